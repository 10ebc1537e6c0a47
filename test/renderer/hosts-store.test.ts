import { beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../electron/shared/channels.ts';
import type { Result } from '../../electron/shared/errors.ts';
import type { HostSearchResult } from '../../electron/shared/hosts.ts';
import { setTransport } from '../../renderer/src/api/index.ts';
import { initialForm, withPickedTarget } from '../../renderer/src/features/run/startInput.ts';
import { FAVOURITES_LIMIT, HOST_LIMIT, initialHostFilters, toHostSearchInput, useHosts, useTargetPick, visibleHosts } from '../../renderer/src/store/hosts.ts';
import { hostView } from './hosts-fixtures.ts';

const calls: Array<[Channel, unknown]> = [];
type Handler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;
const handlers: Partial<Record<Channel, Handler>> = {};
setTransport({
  kind: 'bridge',
  call: async (channel, input) => {
    calls.push([channel, input]);
    const handler = handlers[channel];
    return handler ? handler(input) : { ok: true, value: [] };
  },
  onEvent: () => () => {},
});

const answer = (hosts = [hostView('a.example.net')], patch: Partial<HostSearchResult> = {}): HostSearchResult => ({ hosts, total: hosts.length, sources: [], dropped: {}, fromCache: false, fetchedAt: 1, ageMs: 0, ...patch });
const ok = (value: unknown): Result<unknown> => ({ ok: true, value });
const searches = () => calls.filter((c) => c[0] === 'hosts.search').map((c) => c[1] as Record<string, unknown>);
const settle = () => new Promise((r) => setTimeout(r, 0));
const geneva = { latitude: 46.2, longitude: 6.14 };

beforeEach(() => {
  calls.length = 0;
  for (const k of Object.keys(handlers)) delete handlers[k as Channel];
  handlers['hosts.search'] = () => ok(answer());
  handlers['hosts.cacheStatus'] = () => ok({ sources: [], records: 0, fetchedAt: null, ageMs: null });
  handlers['settings.get'] = () => ok({ location: null, lsSources: [] });
  handlers['hosts.favourites'] = () => ok([]);
  useHosts.setState({ filters: initialHostFilters, result: null, resultId: 0, loading: false, error: null, selectedId: null, favourites: [], settings: null, settingsError: null, cache: null, refreshing: false, refreshReport: null, initialised: false });
});

describe('host search input', () => {
  it('leaves empty fields out, trims, and falls back from distance to name without a location', () => {
    expect(toHostSearchInput(initialHostFilters, null, 'auto')).toEqual({ mode: 'auto', limit: HOST_LIMIT, serviceTypes: [], sort: 'name' });
    const input = toHostSearchInput({ ...initialHostFilters, text: '  geneva  ', community: ' WLCG ', country: 'ch', types: ['owamp', 'pscheduler'] }, { ...geneva, label: 'office' }, 'live');
    expect(input).toEqual({ mode: 'live', limit: HOST_LIMIT, serviceTypes: ['owamp', 'pscheduler'], text: 'geneva', community: 'WLCG', country: 'ch', near: geneva, sort: 'distance' });
  });

  it('probes for the reachability sort and asks for everything when showing favourites only', () => {
    expect(toHostSearchInput({ ...initialHostFilters, sort: 'reachability' }, null, 'auto')).toMatchObject({ sort: 'reachability', probe: true });
    expect(toHostSearchInput({ ...initialHostFilters, favouritesOnly: true }, null, 'auto')).toMatchObject({ limit: FAVOURITES_LIMIT });
    expect(toHostSearchInput({ ...initialHostFilters, includeExpired: true }, null, 'cache')).toMatchObject({ includeExpired: true });
    expect(toHostSearchInput(initialHostFilters, null, 'cache')).not.toHaveProperty('includeExpired');
    expect(toHostSearchInput({ ...initialHostFilters, text: 'x'.repeat(500) }, null, 'auto').text).toHaveLength(200);
  });

  it('narrows the answer to favourites, known under any name or address', () => {
    const hosts = [hostView('a.example.net'), hostView('b.example.net', { addresses: { ipv4: ['198.18.0.2'], ipv6: [] } }), hostView('c.example.net')];
    expect(visibleHosts({ hosts }, ['198.18.0.2', 'c.example.net'], true).map((h) => h.target)).toEqual(['b.example.net', 'c.example.net']);
    expect(visibleHosts({ hosts }, [], false)).toHaveLength(3);
    expect(visibleHosts(null, [], true)).toEqual([]);
  });
});

describe('hosts store', () => {
  it('loads settings and favourites, then answers in auto mode near the saved location', async () => {
    handlers['settings.get'] = () => ok({ location: geneva, lsSources: ['http://ls.example.net/lookup/_search'] });
    handlers['hosts.favourites'] = () => ok(['a.example.net']);
    await useHosts.getState().init();
    const state = useHosts.getState();
    expect(state.favourites).toEqual(['a.example.net']);
    expect(searches()).toEqual([{ mode: 'auto', limit: HOST_LIMIT, serviceTypes: [], near: geneva, sort: 'distance' }]);
    expect(state.result?.hosts).toHaveLength(1);
    expect(state.resultId).toBe(1);
    expect(calls.map((c) => c[0])).toContain('hosts.cacheStatus');
  });

  it('shows what the cache holds first, then asks in auto mode; a background refresh brings a new cached answer', async () => {
    handlers['hosts.cacheStatus'] = () => ok({ sources: [], records: 40, fetchedAt: 1, ageMs: 5 });
    await useHosts.getState().init();
    expect(searches().map((s) => s.mode)).toEqual(['cache', 'auto']);

    handlers['hosts.search'] = () => ok(answer([hostView('refreshed.example.net')], { fromCache: true }));
    useHosts.getState().handleEvent({ type: 'run.finished', runId: 1, status: 'succeeded', error: null });
    await settle();
    expect(searches()).toHaveLength(2);
    useHosts.getState().handleEvent({ type: 'hosts.refreshed', finishedAt: 2, records: 40, failed: 0 });
    await settle();
    expect(searches().map((s) => s.mode)).toEqual(['cache', 'auto', 'cache']);
    expect(useHosts.getState().result?.hosts.map((h) => h.target)).toEqual(['refreshed.example.net']);
  });

  it('keeps only the newest answer when searches overlap', async () => {
    let release: (r: Result<unknown>) => void = () => {};
    handlers['hosts.search'] = () => new Promise((resolve) => (release = resolve));
    const slow = useHosts.getState().search('live');
    const slowRelease = release;
    handlers['hosts.search'] = () => ok(answer([hostView('new.example.net')]));
    await useHosts.getState().search('auto');
    slowRelease(ok(answer([hostView('old.example.net')])));
    await slow;
    expect(useHosts.getState().result?.hosts.map((h) => h.target)).toEqual(['new.example.net']);
    expect(useHosts.getState().resultMode).toBe('auto');
    expect(useHosts.getState().loading).toBe(false);
  });

  it('shows a failed search as an error and keeps the last answer', async () => {
    await useHosts.getState().search();
    handlers['hosts.search'] = () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'country: too long' } });
    await useHosts.getState().search();
    expect(useHosts.getState().error).toBe('country: too long');
    expect(useHosts.getState().result?.hosts).toHaveLength(1);
  });

  it('stars a host under its best name and unstars it under every name it was stored as', async () => {
    let stored: string[] = [];
    handlers['hosts.setFavourite'] = (input) => {
      const { host, favourite } = input as { host: string; favourite: boolean };
      stored = favourite ? [...new Set([...stored, host])].sort() : stored.filter((h) => h !== host);
      return ok(stored);
    };
    const host = hostView('ps.example.net', { addresses: { ipv4: ['198.18.0.7'], ipv6: [] } });
    await useHosts.getState().toggleFavourite(host);
    expect(useHosts.getState().favourites).toEqual(['ps.example.net']);
    stored = ['198.18.0.7', 'ps.example.net'];
    useHosts.setState({ favourites: stored });
    await useHosts.getState().toggleFavourite(host);
    expect(useHosts.getState().favourites).toEqual([]);
    expect(calls.filter((c) => c[0] === 'hosts.setFavourite').map((c) => c[1])).toEqual([
      { host: 'ps.example.net', favourite: true },
      { host: 'ps.example.net', favourite: false },
      { host: '198.18.0.7', favourite: false },
    ]);
  });

  it('saving new Lookup Services asks them live; a new location re-ranks from the cache', async () => {
    useHosts.setState({ settings: { location: null, lsSources: [] } });
    handlers['settings.update'] = (patch) => ok({ location: null, lsSources: [], ...(patch as object) });
    expect(await useHosts.getState().saveSettings({ lsSources: ['http://ls.example.net/lookup/_search'] })).toBe(true);
    expect(searches().at(-1)).toMatchObject({ mode: 'live' });
    expect(await useHosts.getState().saveSettings({ location: geneva })).toBe(true);
    expect(searches().at(-1)).toMatchObject({ mode: 'auto', near: geneva, sort: 'distance' });
    expect(calls.filter((c) => c[0] === 'settings.update').at(-1)?.[1]).toEqual({ location: geneva, lsSources: ['http://ls.example.net/lookup/_search'] });
    expect(useHosts.getState().settings?.lsSources).toEqual(['http://ls.example.net/lookup/_search']);
    handlers['settings.update'] = () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'lsSources.0: not a Lookup Service URL' } });
    expect(await useHosts.getState().saveSettings({ lsSources: ['x'] })).toBe(false);
    expect(useHosts.getState().settingsError).toMatch(/not a Lookup Service URL/);
  });

  it("takes a host's coordinates as the user's location, keeping the Lookup Services", async () => {
    handlers['settings.update'] = (patch) => ok({ location: null, lsSources: [], ...(patch as object) });
    handlers['settings.get'] = () => ok({ location: null, lsSources: ['http://ls.example.net/lookup/_search'] });
    await useHosts.getState().takeLocationFrom(hostView('ps.example.net', { location: { latitude: 22.19, longitude: 113.55 } }));
    // The whole settings go back: settings.update resets keys a patch leaves out.
    expect(calls.find((c) => c[0] === 'settings.update')?.[1]).toEqual({ location: { latitude: 22.19, longitude: 113.55, label: 'ps.example.net' }, lsSources: ['http://ls.example.net/lookup/_search'] });
    expect(useHosts.getState().settings?.lsSources).toEqual(['http://ls.example.net/lookup/_search']);
    calls.length = 0;
    await useHosts.getState().takeLocationFrom(hostView('nowhere.example.net', { location: { latitude: null, longitude: null } }));
    expect(calls).toEqual([]);
  });

  it('refresh fills the cache, then answers from it', async () => {
    handlers['hosts.refresh'] = () => ok({ sources: [], records: 120, pruned: 0, finishedAt: 5 });
    await useHosts.getState().refresh();
    expect(calls.map((c) => c[0])).toEqual(['hosts.refresh', 'hosts.cacheStatus', 'hosts.search', 'hosts.cacheStatus']);
    expect(useHosts.getState().refreshReport?.records).toBe(120);
    expect(useHosts.getState().refreshing).toBe(false);
    await settle();
  });

  it('toggles service types in the filters', () => {
    useHosts.getState().toggleType('OWAMP');
    useHosts.getState().toggleType('pscheduler');
    expect(useHosts.getState().filters.types).toEqual(['owamp', 'pscheduler']);
    useHosts.getState().toggleType('owamp');
    expect(useHosts.getState().filters.types).toEqual(['pscheduler']);
  });
});

describe('use as target', () => {
  it('hands a host to the Measure form, IPv6 bracketed', () => {
    useTargetPick.getState().pick('ps.example.net', 'ps.example.net: owamp locator');
    const first = useTargetPick.getState().picked;
    useTargetPick.getState().pick('2001:db8::1', 'IPv6');
    expect(useTargetPick.getState().picked?.seq).toBe((first?.seq ?? 0) + 1);
    expect(withPickedTarget(initialForm, 'ps.example.net').target).toBe('ps.example.net');
    expect(withPickedTarget(initialForm, '2001:db8::1').target).toBe('[2001:db8::1]');
  });
});
