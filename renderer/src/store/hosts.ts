import { create } from 'zustand';
import type { Out } from '../../../electron/shared/contract.ts';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';
import type { DiscoveryCacheStatus, DiscoveryMode, HostSearchInput, HostSearchResult, HostView } from '../../../electron/shared/hosts.ts';
import type { Settings } from '../../../electron/shared/settings.ts';
import { api } from '../api/index.ts';
import { hostKeys, isFavourite } from '../features/hosts/format.ts';

/*
 * The host browser: filters → hosts.search, the answer and its provenance, the selected host,
 * favourites, the user's settings (location, Lookup Services) and the discovery cache.
 *
 * Filter changes ask in `auto` mode (the cache when it is fresh, else the Lookup Services), so
 * typing and clicking badges stays fast; the Search button asks the Lookup Services (`live`, the
 * core falling back to the cache per failed source); Refresh fetches a full snapshot into the cache.
 */

export const HOST_SORTS = ['distance', 'name', 'freshness', 'reachability'] as const;
export type HostSort = (typeof HOST_SORTS)[number];

export interface HostFilters {
  text: string;
  /** Service types, lower-case (owamp, pscheduler, ...); a host matches when it has any of them. */
  types: string[];
  community: string;
  country: string;
  sort: HostSort;
  favouritesOnly: boolean;
  /** Keep cached hosts whose registration has lapsed (shown flagged); by default they are left out. */
  includeExpired: boolean;
}

export const initialHostFilters: HostFilters = { text: '', types: [], community: '', country: '', sort: 'distance', favouritesOnly: false, includeExpired: false };

export const HOST_LIMIT = 500;
/** Favourites are filtered here, so their query asks for (nearly) everything. */
export const FAVOURITES_LIMIT = 5000;

export type Location = NonNullable<Settings['location']>;

/** The sort actually used: distance needs a location. */
export function effectiveSort(sort: HostSort, location: Location | null): HostSort {
  return sort === 'distance' && !location ? 'name' : sort;
}

/** Filters → hosts.search input. Empty fields are left out; over-long ones are cut to the contract's limits. */
export function toHostSearchInput(f: HostFilters, location: Location | null, mode: DiscoveryMode): HostSearchInput {
  const input: HostSearchInput = { mode, limit: f.favouritesOnly ? FAVOURITES_LIMIT : HOST_LIMIT, serviceTypes: f.types.slice(0, 16) };
  const text = f.text.trim().slice(0, 200).trim();
  const community = f.community.trim().slice(0, 128).trim();
  const country = f.country.trim().slice(0, 64).trim();
  if (text) input.text = text;
  if (community) input.community = community;
  if (country) input.country = country;
  if (location) input.near = { latitude: location.latitude, longitude: location.longitude };
  const sort = effectiveSort(f.sort, location);
  input.sort = sort;
  if (sort === 'reachability') input.probe = true;
  if (f.includeExpired) input.includeExpired = true;
  return input;
}

/** The rows to show: the answer, narrowed to favourites when asked. */
export function visibleHosts(result: Pick<HostSearchResult, 'hosts'> | null, favourites: readonly string[], favouritesOnly: boolean): HostView[] {
  if (!result) return [];
  if (!favouritesOnly) return result.hosts;
  const set = new Set(favourites);
  return result.hosts.filter((h) => isFavourite(h, set));
}

const MAX_SEEN = 300;
function remember(seen: readonly string[], values: Iterable<string>): string[] {
  const out = new Set(seen);
  for (const v of values) if (out.size < MAX_SEEN) out.add(v);
  return [...out].sort((a, b) => a.localeCompare(b));
}

export type RefreshReport = Out<'hosts.refresh'>;

export interface HostsState {
  filters: HostFilters;
  result: HostSearchResult | null;
  /** Increments with every answer, so views (and tests) can tell a new one from the last. */
  resultId: number;
  /** The mode of the last answered search. */
  resultMode: DiscoveryMode | null;
  fetchMs: number | null;
  loading: boolean;
  error: string | null;
  selectedId: string | null;
  favourites: string[];
  settings: Settings | null;
  settingsError: string | null;
  cache: DiscoveryCacheStatus | null;
  refreshing: boolean;
  refreshReport: RefreshReport | null;
  /** Countries, communities and service types seen in answers, for the filter suggestions. */
  seen: { countries: string[]; communities: string[]; types: string[] };
  initialised: boolean;
  init(): Promise<void>;
  setFilters(patch: Partial<HostFilters>): void;
  toggleType(type: string): void;
  search(mode?: DiscoveryMode): Promise<void>;
  select(id: string | null): void;
  toggleFavourite(host: HostView): Promise<void>;
  saveSettings(patch: Partial<Settings>): Promise<boolean>;
  takeLocationFrom(host: HostView): Promise<void>;
  refresh(): Promise<void>;
  loadCacheStatus(): Promise<void>;
  /** hosts.refreshed (the background refresh landed): the cache status and a cached answer anew. */
  handleEvent(event: WorkbenchEvent): void;
  clearError(): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
let searchSeq = 0;

export const useHosts = create<HostsState>()((set, get) => ({
  filters: initialHostFilters,
  result: null,
  resultId: 0,
  resultMode: null,
  fetchMs: null,
  loading: false,
  error: null,
  selectedId: null,
  favourites: [],
  settings: null,
  settingsError: null,
  cache: null,
  refreshing: false,
  refreshReport: null,
  seen: { countries: [], communities: [], types: [] },
  initialised: false,

  async init() {
    try {
      const [settings, favourites] = await Promise.all([api.settings.get(), api.hosts.favourites()]);
      set({ settings, favourites, initialised: true });
    } catch (error) {
      set({ error: message(error), initialised: true });
    }
    await get().loadCacheStatus();
    if (get().result) return;
    // Whatever the cache holds shows at once; auto then asks the Lookup Services only when it is stale.
    if ((get().cache?.records ?? 0) > 0) await get().search('cache');
    await get().search('auto');
  },

  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),

  toggleType: (type) =>
    set((s) => {
      const t = type.toLowerCase();
      const types = s.filters.types.includes(t) ? s.filters.types.filter((x) => x !== t) : [...s.filters.types, t];
      return { filters: { ...s.filters, types } };
    }),

  async search(mode = 'auto') {
    const seq = (searchSeq += 1);
    const { filters, settings } = get();
    const started = performance.now();
    set({ loading: true, error: null });
    try {
      const result = await api.hosts.search(toHostSearchInput(filters, settings?.location ?? null, mode));
      if (seq !== searchSeq) return;
      set((s) => ({
        result,
        resultId: s.resultId + 1,
        resultMode: mode,
        fetchMs: performance.now() - started,
        seen: {
          countries: remember(s.seen.countries, result.hosts.flatMap((h) => (h.location.country ? [h.location.country] : []))),
          communities: remember(s.seen.communities, result.hosts.flatMap((h) => h.communities)),
          types: remember(s.seen.types, result.hosts.flatMap((h) => h.services.map((x) => x.type))),
        },
      }));
      if (mode !== 'cache') void get().loadCacheStatus();
    } catch (error) {
      if (seq === searchSeq) set({ error: message(error) });
    } finally {
      if (seq === searchSeq) set({ loading: false });
    }
  },

  select: (id) => set({ selectedId: id }),

  async toggleFavourite(host) {
    const favourites = new Set(get().favourites);
    try {
      if (isFavourite(host, favourites)) {
        let list = get().favourites;
        for (const key of hostKeys(host)) if (favourites.has(key)) list = await api.hosts.setFavourite({ host: key, favourite: false });
        set({ favourites: list });
      } else {
        set({ favourites: await api.hosts.setFavourite({ host: host.target, favourite: true }) });
      }
    } catch (error) {
      set({ error: message(error) });
    }
  },

  async saveSettings(patch) {
    try {
      // Always the whole settings: settings.update fills keys left out of a patch with their
      // defaults (zod 4 applies defaults inside .partial()), so a location-only patch would
      // forget the Lookup Services and send discovery to the built-in list.
      const before = get().settings ?? (await api.settings.get());
      const settings = await api.settings.update({ ...before, ...patch });
      set({ settings, settingsError: null });
      const sourcesChanged = JSON.stringify(settings.lsSources) !== JSON.stringify(before.lsSources);
      const locationChanged = JSON.stringify(settings.location) !== JSON.stringify(before.location);
      if (sourcesChanged) await get().search('live');
      else if (locationChanged) await get().search('auto');
      return true;
    } catch (error) {
      set({ settingsError: message(error) });
      return false;
    }
  },

  async takeLocationFrom(host) {
    const { latitude, longitude } = host.location;
    if (latitude === null || longitude === null) return;
    await get().saveSettings({ location: { latitude, longitude, label: host.target.slice(0, 100) } });
  },

  async refresh() {
    set({ refreshing: true, error: null });
    try {
      const refreshReport = await api.hosts.refresh({});
      set({ refreshReport });
      await get().loadCacheStatus();
      await get().search('auto');
    } catch (error) {
      set({ error: message(error) });
    } finally {
      set({ refreshing: false });
    }
  },

  async loadCacheStatus() {
    try {
      set({ cache: await api.hosts.cacheStatus() });
    } catch {
      // The status line is a help; the search itself reports errors.
    }
  },

  handleEvent(event) {
    if (event.type !== 'hosts.refreshed') return;
    void get().loadCacheStatus();
    if (!get().loading && !get().refreshing) void get().search('cache');
  },

  clearError: () => set({ error: null }),
}));

/** A target chosen in the host browser, for the Measure form to pick up. */
export interface PickedTarget {
  target: string;
  /** Where it came from, e.g. "ps.example.net (owamp locator)". */
  label: string;
  seq: number;
}

interface TargetPickState {
  picked: PickedTarget | null;
  pick(target: string, label: string): void;
}

export const useTargetPick = create<TargetPickState>()((set, get) => ({
  picked: null,
  pick: (target, label) => set({ picked: { target, label, seq: (get().picked?.seq ?? 0) + 1 } }),
}));
