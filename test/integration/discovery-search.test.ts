import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostsForHops, searchHosts } from '../../electron/core/discovery/index.ts';
import { HostSearchResult, HostsForHopsResult, type HostView } from '../../electron/shared/hosts.ts';
import { WorkbenchError } from '../../electron/shared/errors.ts';
import { iso, linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { hostileCases, unusableHost } from '../doubles/lookup-service/hostile.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';

/* searchHosts / hostsForHops end to end against Lookup Service doubles on loopback. */

const NOW = Date.now();
const RECORDS = [...linkedReferenceSet(NOW), ...generateRecords({ records: 3000, now: NOW, seed: 11 })];
let ls: LookupServiceDouble;
let other: LookupServiceDouble;

beforeAll(async () => {
  ls = await startLookupServiceDouble({ records: RECORDS });
  other = await startLookupServiceDouble({ records: linkedReferenceSet(NOW) });
});
afterAll(async () => {
  await ls.close();
  await other.close();
});
afterEach(() => {
  ls.behave();
  other.behave();
  ls.requests.length = 0;
  other.requests.length = 0;
});

const summary = (hosts: readonly HostView[]) => hosts.map((h) => `${h.target} ${h.services.map((s) => s.type).sort().join(',')}`).sort();

describe('searchHosts over both query forms', () => {
  it('finds the same owamp hosts through the records API and through _search', async () => {
    const viaV1 = await searchHosts({ serviceTypes: ['owamp'], limit: 5000 }, { sources: [ls.recordsUrl] });
    const viaEs = await searchHosts({ serviceTypes: ['owamp'], limit: 5000 }, { sources: [ls.searchUrl] });
    expect(viaV1.total).toBeGreaterThan(300);
    expect(summary(viaEs.hosts)).toEqual(summary(viaV1.hosts));
    expect(viaV1.sources).toMatchObject([{ url: ls.recordsUrl, kind: 'records', ok: true, fromCache: false }]);
    expect(viaEs.sources).toMatchObject([{ url: ls.searchUrl, kind: 'search', ok: true, fromCache: false }]);
    // v1 does not filter expired records; the client drops and counts them. ES filters them server-side.
    expect(viaV1.sources[0]?.dropped.expired).toBeGreaterThan(0);
    expect(viaEs.sources[0]?.dropped.expired).toBeUndefined();
    expect(HostSearchResult.safeParse(viaV1).error).toBeUndefined();
    expect(viaV1.fromCache).toBe(false);
    expect(viaV1.ageMs).toBeLessThan(10_000);
  });

  it('asks the records API with comma lists and operator=any, and _search with term filters and expires > now', async () => {
    await searchHosts({ serviceTypes: ['owamp', 'twamp'] }, { sources: [ls.recordsUrl, ls.searchUrl] });
    const v1 = ls.requests.filter((r) => r.route === 'records');
    expect(v1[0]?.query).toEqual({ 'service-type': 'owamp,twamp', operator: 'any' });
    expect(v1.some((r) => r.query.type === 'host' || r.query.uri !== undefined)).toBe(true);
    const es = ls.requests.filter((r) => r.route === 'search');
    expect(es[0]?.method).toBe('POST');
    expect(JSON.stringify(es[0]?.body)).toContain('{"terms":{"service-type.keyword":["owamp","twamp"]}}');
    expect(JSON.stringify(es[0]?.body)).toContain('{"range":{"expires":{"gt":"now"}}}');
  });

  it('pages _search past the 10,000-hit window with search_after', async () => {
    const big = await startLookupServiceDouble({ records: generateRecords({ records: 24_000, now: NOW, seed: 5, expiredShare: 0 }) });
    try {
      const result = await searchHosts({ limit: 5000 }, { sources: [big.searchUrl] });
      const services = big.requests.filter((r) => r.route === 'search' && JSON.stringify(r.body).includes('{"term":{"type":"service"}}'));
      expect(services.length).toBeGreaterThanOrEqual(2);
      expect((services[1]?.body as { search_after?: unknown }).search_after).toBeDefined();
      const fullV1 = await searchHosts({ limit: 5000 }, { sources: [big.recordsUrl] });
      expect(result.total).toBe(fullV1.total);
      expect(result.sources[0]?.records).toBe(24_000);
    } finally {
      await big.close();
    }
  });

  it('pages with small pages too (every record, no repeats)', async () => {
    const result = await searchHosts({ serviceTypes: ['pscheduler'], limit: 5000 }, { sources: [ls.searchUrl], esPageSize: 97 });
    const reference = await searchHosts({ serviceTypes: ['pscheduler'], limit: 5000 }, { sources: [ls.searchUrl] });
    expect(summary(result.hosts)).toEqual(summary(reference.hosts));
  });

  it('finds Lookup Services through the bootstrap list and asks each alive one', async () => {
    ls.setActiveHosts({
      hosts: [
        { locator: ls.recordsUrl, status: 'alive', lastupdated: iso(NOW) },
        { locator: other.recordsUrl, status: 'alive', priority: 10 },
        { locator: 'http://127.0.0.1:9/lookup/records', status: 'unreachable' },
      ],
    });
    try {
      const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.activeHostsUrl] });
      expect(result.sources.map((s) => [s.kind, s.url, s.ok])).toEqual([
        ['bootstrap', ls.activeHostsUrl, true],
        ['records', other.recordsUrl, true],
        ['records', ls.recordsUrl, true],
      ]);
      expect(result.sources[0]).toMatchObject({ records: 2, dropped: { 'not-alive': 1 } });
      // the BCNET host is in both: one host, two sources
      const bc = result.hosts.find((h) => h.target === 'pfs1-lat.srry1.bc.net');
      expect(bc?.sources).toEqual([other.recordsUrl, ls.recordsUrl].sort());
    } finally {
      ls.setActiveHosts(null);
    }
  });

  it('falls back to the fallback list when no bootstrap list answers', async () => {
    ls.misbehave('activehosts', { kind: 'status', status: 500, body: '500 timeout' });
    const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: { bootstrap: [ls.activeHostsUrl], direct: [], fallback: [other.searchUrl] } });
    expect(result.sources.map((s) => [s.kind, s.ok])).toEqual([
      ['bootstrap', false],
      ['search', true],
    ]);
    expect(result.sources[0]?.error?.message).toContain('HTTP 500');
    expect(result.hosts.map((h) => h.target)).toEqual(['pfs1-lat.srry1.bc.net']);
  });

  it('answers with the sources that worked and says which failed and why', async () => {
    other.misbehave('records', { kind: 'status', status: 500, body: 'Error retrieving results' });
    const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl, other.recordsUrl] });
    expect(result.sources.map((s) => [s.url, s.ok, s.error?.code ?? null])).toEqual([
      [ls.searchUrl, true, null],
      [other.recordsUrl, false, 'TOOL_FAILED'],
    ]);
    expect(result.total).toBeGreaterThan(300);
  });

  it('keeps to the time budget when a source hangs, and still answers from the others', async () => {
    other.misbehave('all', { kind: 'hang' });
    const started = performance.now();
    const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl, other.searchUrl], budgetMs: 1500 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.sources.find((s) => s.url === other.searchUrl)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(result.sources.find((s) => s.url === ls.searchUrl)?.ok).toBe(true);
    expect(result.total).toBeGreaterThan(300);
  });

  it('reports a source that sends garbage, a truncated body or too much, and never crashes', async () => {
    for (const behaviour of [{ kind: 'garbage' }, { kind: 'truncate' }, { kind: 'huge', bytes: 50 * 1024 * 1024 }] as const) {
      other.misbehave('search', behaviour);
      const result = await searchHosts({}, { sources: [other.searchUrl], maxResponseBytes: 1024 * 1024 });
      expect(result.sources[0]?.ok).toBe(false);
      expect(result.hosts).toEqual([]);
      other.behave();
    }
  });

  it('reports a records API that answers with the wrong shape', async () => {
    other.misbehave('records', { kind: 'body', body: '{"hosts": 5}' });
    const result = await searchHosts({}, { sources: [other.recordsUrl] });
    expect(result.sources[0]).toMatchObject({ ok: false, error: { code: 'UNPARSEABLE_OUTPUT', message: expect.stringContaining('expected a JSON array') } });
  });

  it('drops hostile records, counting each by reason, and serves the rest', async () => {
    const hostile = hostileCases(NOW).filter((c) => c.reason !== 'other-type');
    const evil = await startLookupServiceDouble({ records: [...linkedReferenceSet(NOW), ...hostile.map((c) => c.record), ...unusableHost(NOW)] });
    try {
      const result = await searchHosts({ limit: 5000 }, { sources: [evil.recordsUrl] });
      const dropped = result.sources[0]?.dropped ?? {};
      // (records that are not services never match type=service on the server, so they never arrive here)
      for (const reason of ['bad-uri', 'wrong-type', 'control-characters', 'oversized-value', 'too-many-values', 'expired', 'bad-expires']) {
        expect(dropped[reason], reason).toBeGreaterThan(0);
      }
      expect(result.dropped).toMatchObject({ 'invalid-locator': expect.any(Number), 'no-usable-address': 1 });
      expect(result.hosts.map((h) => h.target)).toEqual(expect.arrayContaining(['pfs1-lat.srry1.bc.net', 'ok-x.hostile.example.net']));
      for (const host of result.hosts) expect(host.target.startsWith('-')).toBe(false);
      expect(HostSearchResult.safeParse(result).error).toBeUndefined();
    } finally {
      await evil.close();
    }
  });

  it('finds the host of a service registered without service-host through its client-uuid', async () => {
    const live = iso(NOW + 3600_000);
    const odd = await startLookupServiceDouble({
      records: [
        { type: ['host'], uri: 'lookup/host/u1', expires: live, 'host-name': ['uuid-only.example.net'], 'client-uuid': ['c-1'], 'location-city': ['Upton'] },
        { type: ['service'], uri: 'lookup/service/u1', expires: live, 'service-type': ['owamp'], 'client-uuid': ['c-1'], 'service-locator': ['tcp://198.51.100.99:861'] },
      ],
    });
    try {
      for (const url of [odd.recordsUrl, odd.searchUrl]) {
        const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [url] });
        expect(result.hosts.map((h) => [h.target, h.location.city, h.addresses.ipv4])).toEqual([['uuid-only.example.net', 'Upton', ['198.51.100.99']]]);
      }
    } finally {
      await odd.close();
    }
  });

  it('counts things in a records array that are not records at all', async () => {
    other.misbehave('records', { kind: 'body', body: '[null, 42, "x", [1], {"uri": "lookup/service/z"}]' });
    const result = await searchHosts({}, { sources: [other.recordsUrl] });
    expect(result.sources[0]).toMatchObject({ ok: true, records: 0, dropped: { 'not-an-object': 4, 'missing-type': 1 } });
  });

  it('de-duplicates the copies the _search proxy also finds in snapshot indices', async () => {
    const snap = await startLookupServiceDouble({ records: linkedReferenceSet(NOW), snapshot: linkedReferenceSet(NOW - 60_000) });
    try {
      const result = await searchHosts({}, { sources: [snap.searchUrl] });
      expect(result.sources[0]?.records).toBe(12);
      expect(result.hosts).toHaveLength(2);
      expect(result.hosts.every((h) => h.services.length === 1)).toBe(true);
    } finally {
      await snap.close();
    }
  });

  it('stops at once when cancelled', async () => {
    other.misbehave('all', { kind: 'hang' });
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    await expect(searchHosts({}, { sources: [other.searchUrl], signal: c.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(searchHosts({}, { sources: [other.searchUrl], signal: c.signal })).rejects.toBeInstanceOf(WorkbenchError);
  });

  it('ranks by great-circle distance from a location', async () => {
    const near = { latitude: 49.2, longitude: -122.8 };
    const result = await searchHosts({ serviceTypes: ['owamp'], near, limit: 3 }, { sources: [other.searchUrl, ls.searchUrl] });
    expect(result.hosts[0]?.target).toBe('pfs1-lat.srry1.bc.net');
    expect(result.hosts[0]?.distanceKm).toBeLessThan(5);
    expect(result.hosts[1]?.distanceKm ?? 0).toBeGreaterThanOrEqual(result.hosts[0]?.distanceKm ?? 0);
  });
});

describe('hostsForHops', () => {
  for (const form of ['records', 'search'] as const) {
    it(`maps traceroute hops to registered hosts through the ${form} form`, async () => {
      const url = form === 'records' ? ls.recordsUrl : ls.searchUrl;
      const result = await hostsForHops(['192.0.2.1', '198.19.10.1', '2001:DB8:FFFF:10:0::1', '116.193.10.38'], { sources: [url] });
      expect(result.hops.map((h) => h.hostIds)).toEqual([
        [],
        ['uuid:5a2c8f3e-0c1d-4b7a-9f2e-bc0000000001'],
        ['uuid:5a2c8f3e-0c1d-4b7a-9f2e-bc0000000001'],
        ['uuid:62115a18-48c8-4893-849f-3bd1f04d4cf9'],
      ]);
      expect(summary(result.hosts)).toEqual(['116.193.10.38 pscheduler', 'pfs1-lat.srry1.bc.net owamp']);
      expect(HostsForHopsResult.safeParse(result).error).toBeUndefined();
    });
  }

  it('refuses a hop that is not an IP address', async () => {
    await expect(hostsForHops(['--foo=bar'], { sources: [ls.recordsUrl] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
