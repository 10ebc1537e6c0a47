import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheStatus, hostsForHops, refreshCache, searchHosts, startBackgroundRefresh } from '../../electron/core/discovery/index.ts';
import type { RefreshResult } from '../../electron/core/discovery/index.ts';
import { linkedReferenceSet } from '../doubles/lookup-service/fixtures.ts';
import { generateRecords } from '../doubles/lookup-service/generate.ts';
import { startLookupServiceDouble, type LookupServiceDouble } from '../doubles/lookup-service/server.ts';
import { openCache } from './discovery-helpers.ts';

/* The SQLite cache: offline answers that say how old they are, background refresh, fallback per source. */

const T0 = Date.now();
const MINUTE = 60_000;
let ls: LookupServiceDouble;
let cache: ReturnType<typeof openCache>;

beforeEach(async () => {
  ls = await startLookupServiceDouble({ records: [...linkedReferenceSet(T0), ...generateRecords({ records: 1500, now: T0, seed: 3, expiredShare: 0 })] });
  cache = openCache();
});
afterEach(async () => {
  await ls.close();
  cache.cleanup();
});

describe('the discovery cache', () => {
  it('is a migration on top of the foundation schema, with STRICT tables', () => {
    const tables = cache.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'ls_%' ORDER BY name").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(['ls_records', 'ls_sources']);
    for (const t of tables) expect(t.sql).toMatch(/STRICT/);
    expect(cache.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('answers from the cache when the Lookup Service is gone, and says how old the data is', async () => {
    const live = await searchHosts({ serviceTypes: ['owamp'], limit: 5000 }, { sources: [ls.recordsUrl], cache: cache.store, now: () => T0 });
    expect(live.fromCache).toBe(false);
    await ls.close();

    const later = T0 + 90 * MINUTE;
    const offline = await searchHosts({ serviceTypes: ['owamp'], limit: 5000 }, { sources: [ls.recordsUrl], cache: cache.store, now: () => later });
    expect(offline.fromCache).toBe(true);
    expect(offline.fetchedAt).toBe(T0);
    expect(offline.ageMs).toBe(90 * MINUTE);
    expect(offline.sources).toMatchObject([{ url: ls.recordsUrl, ok: false, error: { code: 'CONNECTION_REFUSED' }, fromCache: true, fetchedAt: T0 }]);
    // Records whose registration lapsed in those 90 minutes are left out, and counted.
    expect(offline.total).toBeGreaterThan(50);
    expect(offline.total).toBeLessThan(live.total);
    expect(offline.hosts.every((h) => !h.freshness.expired && h.freshness.expiresAt > later)).toBe(true);
    expect(offline.dropped.expired).toBeGreaterThan(0);
    const kept = await searchHosts({ serviceTypes: ['owamp'], limit: 5000, includeExpired: true }, { sources: [ls.recordsUrl], cache: cache.store, now: () => later });
    expect(kept.hosts.map((h) => h.id).sort()).toEqual(live.hosts.map((h) => h.id).sort());
  });

  it('keeps answering after the database is closed and reopened (another process, a restart)', async () => {
    await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl], cache: cache.store, now: () => T0 });
    const { store } = cache.reopen();
    const offline = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl], cache: store, mode: 'cache', now: () => T0 + MINUTE });
    expect(offline.total).toBeGreaterThan(100);
    expect(offline.ageMs).toBe(MINUTE);
  });

  it('drops cached records whose registration has lapsed, counting them; on request keeps them flagged', async () => {
    const live = await searchHosts({}, { sources: [ls.recordsUrl], cache: cache.store, now: () => T0 });
    expect(live.total).toBeGreaterThan(100);
    const later = T0 + 3 * 3600_000;
    const offline = await searchHosts({}, { sources: [ls.recordsUrl], cache: cache.store, mode: 'cache', now: () => later });
    expect(offline.hosts).toEqual([]);
    expect(offline.dropped.expired).toBe(cache.store.sources()[0]?.records);
    const hops = await hostsForHops(['198.19.10.1'], { sources: [ls.recordsUrl], cache: cache.store, mode: 'cache', now: () => later });
    expect(hops.hops).toEqual([{ ip: '198.19.10.1', hostIds: [] }]);
    expect(hops.dropped.expired).toBeGreaterThan(0);

    const flagged = await searchHosts({ includeExpired: true }, { sources: [ls.recordsUrl], cache: cache.store, mode: 'cache', now: () => later });
    expect(flagged.total).toBe(live.total);
    expect(flagged.hosts.every((h) => h.freshness.expired)).toBe(true);
    expect(flagged.dropped.expired).toBeUndefined();
  });

  it('keeps a cached host whose records are still registered next to one whose lapsed', async () => {
    await searchHosts({}, { sources: [ls.recordsUrl], cache: cache.store, now: () => T0 });
    const records = cache.store.load([ls.recordsUrl]);
    const lapsedHost = records.find((r) => r.record.type === 'host')?.record;
    expect(lapsedHost).toBeDefined();
    const forHost = new Set([lapsedHost?.uri, ...records.filter((r) => r.record.fields['service-host']?.includes(lapsedHost?.uri ?? '')).map((r) => r.record.uri)]);
    cache.store.save(ls.recordsUrl, 'records', records.filter((r) => forHost.has(r.record.uri)).map((r) => ({ ...r.record, expires: T0 - 1 })), T0);
    const offline = await searchHosts({}, { sources: [ls.recordsUrl], cache: cache.store, mode: 'cache', now: () => T0 + 1 });
    expect(offline.dropped.expired).toBe(forHost.size);
    expect(offline.total).toBeGreaterThan(100);
    expect(offline.hosts.some((h) => h.hostUris.includes(lapsedHost?.uri ?? ''))).toBe(false);
  });

  it('mode cache never touches the network; mode auto uses the cache only while it is fresh', async () => {
    await searchHosts({}, { sources: [ls.searchUrl], cache: cache.store, now: () => T0 });
    ls.requests.length = 0;
    const offline = await searchHosts({}, { sources: [ls.searchUrl], cache: cache.store, mode: 'cache', now: () => T0 });
    expect(ls.requests).toEqual([]);
    expect(offline.fromCache).toBe(true);

    // auto compares against the time of the last successful fetch, which is the wall clock
    await searchHosts({}, { sources: [ls.searchUrl], cache: cache.store, mode: 'auto', maxCacheAgeMs: 10 * MINUTE });
    expect(ls.requests).toEqual([]);
    await searchHosts({}, { sources: [ls.searchUrl], cache: cache.store, mode: 'auto', maxCacheAgeMs: 10 * MINUTE, now: () => Date.now() + 11 * MINUTE });
    expect(ls.requests.length).toBeGreaterThan(0);
  });

  it('auto goes live after only a targeted search (the cache may lack other types); offline says the answer is partial', async () => {
    const owamp = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl], cache: cache.store });
    expect(owamp.total).toBeGreaterThan(100);
    const live = await searchHosts({ serviceTypes: ['pscheduler'] }, { sources: [ls.searchUrl], cache: null });
    expect(live.total).toBeGreaterThan(100);

    ls.requests.length = 0;
    const auto = await searchHosts({ serviceTypes: ['pscheduler'] }, { sources: [ls.searchUrl], cache: cache.store, mode: 'auto' });
    expect(ls.requests.length).toBeGreaterThan(0);
    expect(auto).toMatchObject({ fromCache: false, partial: false, total: live.total });

    const other = openCache();
    try {
      await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl], cache: other.store });
      const offline = await searchHosts({ serviceTypes: ['pscheduler'] }, { sources: [ls.searchUrl], cache: other.store, mode: 'cache' });
      expect(offline).toMatchObject({ fromCache: true, partial: true });
      expect(offline.total).toBeLessThan(live.total);
    } finally {
      other.cleanup();
    }
  });

  it('auto answers from the cache after a complete fetch (refresh or untyped search), for any type', async () => {
    await searchHosts({}, { sources: [ls.searchUrl], cache: cache.store });
    expect(cache.store.sources()[0]?.completeAt).not.toBeNull();
    ls.requests.length = 0;
    const auto = await searchHosts({ serviceTypes: ['pscheduler'] }, { sources: [ls.searchUrl], cache: cache.store, mode: 'auto' });
    expect(ls.requests).toEqual([]);
    expect(auto).toMatchObject({ fromCache: true, partial: false });
    expect(auto.total).toBeGreaterThan(100);

    // A named source the cache has never held sends auto to the Lookup Services.
    const both = await searchHosts({ serviceTypes: ['pscheduler'] }, { sources: [ls.searchUrl, ls.recordsUrl], cache: cache.store, mode: 'auto' });
    expect(ls.requests.length).toBeGreaterThan(0);
    expect(both.sources.map((s) => [s.url, s.fromCache])).toEqual([
      [ls.searchUrl, false],
      [ls.recordsUrl, false],
    ]);
  });

  it('falls back per source: the failed one from the cache, the live one fresh', async () => {
    const second = await startLookupServiceDouble({ records: linkedReferenceSet(T0) });
    try {
      await searchHosts({}, { sources: [ls.searchUrl, second.recordsUrl], cache: cache.store, now: () => T0 });
      second.misbehave('all', { kind: 'status', status: 503, body: 'busy' });
      const result = await searchHosts({}, { sources: [ls.searchUrl, second.recordsUrl], cache: cache.store, now: () => T0 + 5 * MINUTE });
      expect(result.sources.map((s) => [s.ok, s.fromCache, s.error?.code ?? null])).toEqual([
        [true, false, null],
        [false, true, 'SERVER_BUSY'],
      ]);
      expect(result.fromCache).toBe(true);
      expect(result.fetchedAt).toBe(T0);
      const bc = result.hosts.find((h) => h.target === 'pfs1-lat.srry1.bc.net');
      expect(bc?.sources).toEqual([ls.searchUrl, second.recordsUrl].sort());
      expect(cache.store.sources().find((s) => s.url === second.recordsUrl)).toMatchObject({ lastError: { code: 'SERVER_BUSY' }, lastSuccessAt: T0 });
    } finally {
      await second.close();
    }
  });

  it('uses everything cached when no source can be found at all (bootstrap list down)', async () => {
    await searchHosts({}, { sources: [ls.recordsUrl, ls.searchUrl], cache: cache.store, now: () => T0 });
    ls.misbehave('all', { kind: 'reset' });
    const result = await searchHosts({}, { sources: [ls.activeHostsUrl], cache: cache.store, now: () => T0 + MINUTE });
    expect(result.sources[0]).toMatchObject({ kind: 'bootstrap', ok: false });
    expect(result.sources.slice(1).map((s) => [s.url, s.fromCache]).sort()).toEqual([
      [ls.searchUrl, true],
      [ls.recordsUrl, true],
    ].sort());
    expect(result.total).toBeGreaterThan(100);
  });

  it('refreshCache stores a full snapshot and forgets hosts that left the Lookup Service', async () => {
    const first = await refreshCache(cache.store, { sources: [ls.searchUrl], now: () => T0 });
    expect(first.sources).toMatchObject([{ ok: true }]);
    expect(first.records).toBe(1506);
    expect(cache.store.sources()).toMatchObject([{ url: ls.searchUrl, records: 1506, lastSuccessAt: T0 }]);

    ls.setRecords(linkedReferenceSet(T0));
    const second = await refreshCache(cache.store, { sources: [ls.searchUrl], now: () => T0 + 10 * MINUTE });
    expect(second.records).toBe(6);
    expect(cache.store.sources()).toMatchObject([{ records: 6, oldestFetchAt: T0 + 10 * MINUTE }]);
    const offline = await searchHosts({}, { sources: [ls.searchUrl], cache: cache.store, mode: 'cache', now: () => T0 + 11 * MINUTE });
    expect(offline.hosts.map((h) => h.target).sort()).toEqual(['116.193.10.38', 'pfs1-lat.srry1.bc.net']);
  });

  it('refreshCache reports a failing source without throwing and keeps its old records', async () => {
    await refreshCache(cache.store, { sources: [ls.recordsUrl], now: () => T0 });
    ls.misbehave('all', { kind: 'garbage' });
    const result = await refreshCache(cache.store, { sources: [ls.recordsUrl], now: () => T0 + MINUTE });
    expect(result.sources[0]).toMatchObject({ ok: false, fromCache: true, error: { code: 'UNPARSEABLE_OUTPUT' } });
    expect(cache.store.sources()[0]).toMatchObject({ records: 1506, lastSuccessAt: T0, lastError: { code: 'UNPARSEABLE_OUTPUT' } });
  });

  it('prunes records fetched before a point in time', async () => {
    await refreshCache(cache.store, { sources: [ls.searchUrl], now: () => T0 });
    expect(cache.store.prune(T0)).toBe(0);
    expect(cache.store.prune(T0 + 1)).toBe(1506);
    expect(cache.store.load()).toEqual([]);
  });

  it('answers hops offline from the cache', async () => {
    await refreshCache(cache.store, { sources: [ls.recordsUrl], now: () => T0 });
    await ls.close();
    const result = await hostsForHops(['198.19.10.1', '192.0.2.1'], { sources: [ls.recordsUrl], cache: cache.store, now: () => T0 + MINUTE });
    expect(result.fromCache).toBe(true);
    expect(result.ageMs).toBe(MINUTE);
    expect(result.hops).toEqual([
      { ip: '198.19.10.1', hostIds: ['uuid:5a2c8f3e-0c1d-4b7a-9f2e-bc0000000001'] },
      { ip: '192.0.2.1', hostIds: [] },
    ]);
  });

  it('reports what it holds and how old it is', async () => {
    expect(cacheStatus(cache.store, T0)).toEqual({ sources: [], records: 0, fetchedAt: null, ageMs: null });
    await refreshCache(cache.store, { sources: [ls.searchUrl], now: () => T0 });
    expect(cacheStatus(cache.store, T0 + 2 * MINUTE)).toEqual({
      sources: [{ url: ls.searchUrl, kind: 'search', records: 1506, lastAttemptAt: T0, lastSuccessAt: T0, lastError: null }],
      records: 1506,
      fetchedAt: T0,
      ageMs: 2 * MINUTE,
    });
  });

  it('refreshes in the background, one refresh at a time, and stops cleanly', async () => {
    const results: RefreshResult[] = [];
    const background = startBackgroundRefresh(cache.store, { sources: [ls.searchUrl], intervalMs: 50, onResult: (r) => results.push(r) });
    const deadline = Date.now() + 10_000;
    while (results.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(results.length).toBeGreaterThanOrEqual(3);
    const [a, b] = await Promise.all([background.refreshNow(), background.refreshNow()]);
    expect(a).toBe(b);
    ls.misbehave('all', { kind: 'hang' });
    const hanging = background.refreshNow();
    await new Promise((r) => setTimeout(r, 50));
    const stopped = performance.now();
    await background.stop();
    expect(performance.now() - stopped).toBeLessThan(1000);
    await expect(hanging).rejects.toMatchObject({ code: 'CANCELLED' });
    const count = results.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(results.length).toBe(count);
    expect(cache.store.sources()[0]?.records).toBe(1506);
  });

  it('still answers live when the cache cannot be written', async () => {
    cache.db.close();
    const result = await searchHosts({ serviceTypes: ['owamp'] }, { sources: [ls.searchUrl], cache: cache.store });
    expect(result.sources[0]?.ok).toBe(true);
    expect(result.total).toBeGreaterThan(100);
  });
});
