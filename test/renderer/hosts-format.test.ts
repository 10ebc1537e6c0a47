import { describe, expect, it } from 'vitest';
import type { SourceReport } from '../../electron/shared/hosts.ts';
import { answerHeadline, dropSummary, formatAge, formatDistance, hostFreshness, isFavourite, sourceLines, targetChoices } from '../../renderer/src/features/hosts/format.ts';
import { formToSettings, settingsToForm } from '../../renderer/src/features/hosts/settingsForm.ts';
import { hostView } from './hosts-fixtures.ts';

const NOW = Date.parse('2026-10-01T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

const report = (patch: Partial<SourceReport>): SourceReport => ({
  url: 'http://ls.example.net/lookup/_search',
  kind: 'search',
  ok: true,
  error: null,
  records: 10,
  dropped: {},
  elapsedMs: 120,
  fromCache: false,
  fetchedAt: NOW - MIN,
  ...patch,
});

describe('host browser text', () => {
  it('says how old data is in s, min, h and d', () => {
    expect(formatAge(null)).toBe('—');
    expect(formatAge(4_400)).toBe('4 s');
    expect(formatAge(5 * MIN)).toBe('5 min');
    expect(formatAge(3 * HOUR)).toBe('3 h');
    expect(formatAge(2.5 * HOUR)).toBe('2.5 h');
    expect(formatAge(30 * HOUR)).toBe('30 h');
    expect(formatAge(72 * HOUR)).toBe('3 d');
    expect(formatDistance(null)).toBe('—');
    expect(formatDistance(3.26)).toBe('3.3 km');
    expect(formatDistance(8771.4)).toBe('8,771 km');
  });

  it('tells registered, expiring and lapsed hosts apart', () => {
    const at = (expiresIn: number, expired = false) => hostView('ps.example.net', { freshness: { expiresAt: NOW + expiresIn, fetchedAt: NOW - 2 * HOUR, expired } });
    expect(hostFreshness(at(90 * MIN), NOW)).toMatchObject({ state: 'ok', text: 'expires in 1.5 h' });
    expect(hostFreshness(at(5 * MIN), NOW)).toMatchObject({ state: 'expiring', text: 'expires in 5 min' });
    expect(hostFreshness(at(-3 * HOUR, true), NOW)).toMatchObject({ state: 'expired', text: 'lapsed 3 h ago' });
    expect(hostFreshness(at(HOUR), NOW).title).toMatch(/fetched 2 h ago/);
  });

  it('offers the best name, names, addresses and service locator hosts as targets, once each', () => {
    const host = hostView('ps.example.net', {
      names: ['ps.example.net', 'ps-alt.example.net'],
      addresses: { ipv4: ['198.18.0.1'], ipv6: ['2001:db8::1'] },
      services: [
        { uri: 'a', type: 'owamp', name: null, version: null, locators: [{ url: 'tcp://owamp.example.net:861', scheme: 'tcp', host: 'owamp.example.net', port: 861 }], tests: [], tools: [] },
        { uri: 'b', type: 'pscheduler', name: null, version: null, locators: [{ url: 'https://ps.example.net/pscheduler', scheme: 'https', host: 'ps.example.net', port: 443 }], tests: [], tools: [] },
      ],
    });
    expect(targetChoices(host)).toEqual([
      { value: 'ps.example.net', label: 'best name · host name · pscheduler locator' },
      { value: 'ps-alt.example.net', label: 'host name' },
      { value: '198.18.0.1', label: 'IPv4' },
      { value: '2001:db8::1', label: 'IPv6' },
      { value: 'owamp.example.net', label: 'owamp locator' },
    ]);
  });

  it('recognises a favourite under any of the host names and addresses', () => {
    const host = hostView('ps.example.net', { names: ['ps.example.net', 'alias.example.net'], addresses: { ipv4: ['198.18.0.9'], ipv6: [] } });
    expect(isFavourite(host, new Set(['alias.example.net']))).toBe(true);
    expect(isFavourite(host, new Set(['198.18.0.9']))).toBe(true);
    expect(isFavourite(host, new Set(['other.example.net']))).toBe(false);
  });

  it('describes each source: answered, failed with the cache standing in, failed, cache only, bootstrap', () => {
    const lines = sourceLines(
      [
        report({ kind: 'bootstrap', url: 'http://boot.example.net/lookup/activehosts.json', records: 2 }),
        report({ records: 42, elapsedMs: 80 }),
        report({ url: 'http://down.example.net:8090/lookup/records', kind: 'records', ok: false, fromCache: true, records: 7, fetchedAt: NOW - 3 * HOUR, error: { code: 'TOOL_FAILED', message: 'connect ECONNREFUSED' } }),
        report({ url: 'http://dead.example.net:8090/lookup/records', kind: 'records', ok: false, records: 0, fetchedAt: null, error: { code: 'TIMEOUT', message: 'timed out after 15 s' } }),
        report({ url: 'http://cached.example.net/lookup/_search', fromCache: true, elapsedMs: null, fetchedAt: NOW - 10 * MIN, dropped: { expired: 3, 'control-characters': 1 } }),
      ],
      NOW,
      [{ url: 'http://cached.example.net/lookup/_search', kind: 'search', records: 10, lastAttemptAt: NOW - MIN, lastSuccessAt: NOW - 10 * MIN, lastError: { code: 'TIMEOUT', message: 'no answer' } }],
    );
    expect(lines.map((l) => l.state)).toEqual(['bootstrap', 'answered', 'cache-after-failure', 'failed', 'cache']);
    expect(lines[0]?.detail).toBe('bootstrap list: 2 Lookup Service(s)');
    expect(lines[1]?.detail).toBe('answered: 42 record(s) in 80 ms');
    expect(lines[2]).toMatchObject({ detail: 'failed; 7 cached record(s) used, 3 h old', error: 'connect ECONNREFUSED' });
    expect(lines[3]).toMatchObject({ detail: 'failed, nothing cached', error: 'timed out after 15 s' });
    expect(lines[4]).toMatchObject({ detail: 'from the cache: 10 record(s), 10 min old', error: 'no answer', dropped: 4 });
  });

  it('lists a source once when the core repeats it as a cache report', () => {
    const failed = report({ url: 'http://dead.example.net:8090/lookup/records', kind: 'records', ok: false, records: 0, fetchedAt: null, error: { code: 'TOOL_FAILED', message: 'ECONNREFUSED' } });
    const repeat = report({ url: 'http://dead.example.net:8090/lookup/records', kind: 'records', records: 0, fromCache: true, fetchedAt: null });
    expect(sourceLines([failed, report({}), repeat], NOW).map((l) => l.state)).toEqual(['failed', 'answered']);
  });

  it('adds up what was dropped, per source and while joining', () => {
    expect(dropSummary([report({ dropped: { expired: 3 } }), report({ dropped: { expired: 2, 'bad-uri': 1 } })], { 'invalid-host-name': 2, orphan: 0 })).toEqual({ total: 8, text: 'expired 5 · invalid-host-name 2 · bad-uri 1' });
    expect(dropSummary([report({})], {})).toEqual({ total: 0, text: '' });
  });

  it('heads the answer with counts, live sources and the cache age', () => {
    const hosts = [hostView('a.example.net')];
    expect(answerHeadline({ hosts, total: 1, sources: [report({})], fromCache: false, ageMs: 0 })).toBe('1 host(s) · live from 1 of 1 Lookup Service(s)');
    expect(answerHeadline({ hosts, total: 900, sources: [report({ ok: false, fromCache: true }), report({})], fromCache: true, ageMs: 5 * HOUR })).toBe(
      '1 of 900 host(s) · live from 1 of 2 Lookup Service(s) · 1 failed · from the cache, 5 h old',
    );
  });
});

describe('settings form', () => {
  it('round-trips settings and validates coordinates and Lookup Service URLs', () => {
    const form = settingsToForm({ location: { latitude: 46.2, longitude: 6.14, label: 'CERN' }, lsSources: ['http://ls.example.net:8090/lookup/records'] });
    expect(form).toEqual({ latitude: '46.2', longitude: '6.14', label: 'CERN', sources: 'http://ls.example.net:8090/lookup/records' });
    expect(formToSettings(form)).toEqual({ location: { latitude: 46.2, longitude: 6.14, label: 'CERN' }, lsSources: ['http://ls.example.net:8090/lookup/records'] });
    expect(formToSettings({ latitude: '', longitude: '', label: 'x', sources: '' })).toEqual({ location: null, lsSources: [] });
    expect(formToSettings({ ...form, latitude: '91' })).toMatch(/Latitude/);
    expect(formToSettings({ ...form, longitude: '' })).toMatch(/Longitude/);
    expect(formToSettings({ ...form, latitude: 'abc' })).toMatch(/Latitude/);
    expect(formToSettings({ ...form, sources: 'ftp://ls.example.net/' })).toMatch(/only http and https/);
    expect(formToSettings({ ...form, sources: 'http://-x/lookup/records' })).toMatch(/^http:\/\/-x/);
    expect(formToSettings({ ...form, sources: 'http://a.example.net/lookup/_search\n\nhttp://a.example.net/lookup/_search  http://b.example.net/lookup/activehosts.json' })).toMatchObject({
      lsSources: ['http://a.example.net/lookup/_search', 'http://b.example.net/lookup/activehosts.json'],
    });
  });
});
