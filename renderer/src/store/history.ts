import { create } from 'zustand';
import type { RunListFilter, RunSummary } from '../../../electron/shared/runs.ts';
import { api } from '../api/index.ts';

export interface HistoryFilter {
  host: string;
  kind: string;
  status: string;
  family: string;
  fingerprint: string;
  /** yyyy-mm-dd, local days, both inclusive */
  since: string;
  until: string;
  tag: string;
}

export const emptyFilter: HistoryFilter = { host: '', kind: '', status: '', family: '', fingerprint: '', since: '', until: '', tag: '' };

export const PAGE_SIZE = 200;
/** The contract's largest page; a reload after tagging or deleting keeps up to this many rows. */
const MAX_PAGE = 1000;

/** Start of a local calendar day (yyyy-mm-dd), `days` later; null when the text is no date. */
function localDay(text: string, days = 0): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).getTime();
  return Number.isFinite(at) && at >= 0 ? at : null;
}

/** Form filter → contract filter; empty fields are left out. */
export function toListFilter(f: HistoryFilter, limit = PAGE_SIZE, before?: number): RunListFilter {
  const out: Record<string, unknown> = { limit };
  if (before !== undefined) out.before = before;
  if (f.host.trim()) out.host = f.host.trim();
  if (f.kind) out.kind = f.kind;
  if (f.status) out.status = f.status;
  if (f.family) out.family = f.family;
  if (f.fingerprint.trim()) out.pathFingerprint = f.fingerprint.trim();
  if (f.tag.trim()) out.tag = f.tag.trim();
  const from = localDay(f.since);
  if (from !== null) out.from = from;
  const to = localDay(f.until, 1);
  if (to !== null) out.to = to;
  return out as RunListFilter;
}

interface HistoryState {
  filter: HistoryFilter;
  runs: RunSummary[];
  /** The last page was full: older runs may follow. */
  hasMore: boolean;
  selected: number[];
  loading: boolean;
  error: string | null;
  setFilter(patch: Partial<HistoryFilter>): void;
  /** First page for the filter (or as many rows as are shown, with keepCount). */
  load(options?: { keepCount?: boolean }): Promise<void>;
  /** The next page of older runs, appended. */
  loadMore(): Promise<void>;
  toggle(runId: number): void;
  clearSelection(): void;
  tagSelected(tag: string): Promise<void>;
  untagSelected(tag: string): Promise<void>;
  removeTag(runId: number, tag: string): Promise<void>;
  deleteSelected(): Promise<void>;
}

// Every request takes a number; an answer that is no longer the newest is dropped, so a slow
// response for an old filter never overwrites the list for the filter typed since.
let latest = 0;

export const useHistory = create<HistoryState>()((set, get) => {
  const changeTags = async (runIds: number[], add: string[], remove: string[]) => {
    try {
      await api.runs.tag({ runIds, add, remove });
      await get().load({ keepCount: true });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  };
  return {
    filter: emptyFilter,
    runs: [],
    hasMore: false,
    selected: [],
    loading: false,
    error: null,
    setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
    async load(options = {}) {
      const ticket = ++latest;
      const limit = options.keepCount ? Math.min(MAX_PAGE, Math.max(PAGE_SIZE, get().runs.length)) : PAGE_SIZE;
      set({ loading: true, error: null });
      try {
        const runs = await api.runs.list(toListFilter(get().filter, limit));
        if (ticket === latest) set({ runs, hasMore: runs.length === limit });
      } catch (error) {
        if (ticket === latest) set({ error: (error as Error).message });
      } finally {
        if (ticket === latest) set({ loading: false });
      }
    },
    async loadMore() {
      const { runs, hasMore, loading } = get();
      const last = runs.at(-1);
      if (!hasMore || loading || !last) return;
      const ticket = ++latest;
      set({ loading: true, error: null });
      try {
        const page = await api.runs.list(toListFilter(get().filter, PAGE_SIZE, last.id));
        if (ticket === latest) set((s) => ({ runs: [...s.runs, ...page], hasMore: page.length === PAGE_SIZE }));
      } catch (error) {
        if (ticket === latest) set({ error: (error as Error).message });
      } finally {
        if (ticket === latest) set({ loading: false });
      }
    },
    toggle: (runId) => set((s) => ({ selected: s.selected.includes(runId) ? s.selected.filter((id) => id !== runId) : [...s.selected, runId] })),
    clearSelection: () => set({ selected: [] }),
    async tagSelected(tag) {
      const runIds = get().selected;
      if (runIds.length && tag.trim()) await changeTags(runIds, [tag.trim()], []);
    },
    async untagSelected(tag) {
      const runIds = get().selected;
      if (runIds.length && tag.trim()) await changeTags(runIds, [], [tag.trim()]);
    },
    removeTag: (runId, tag) => changeTags([runId], [], [tag]),
    async deleteSelected() {
      const runIds = get().selected;
      if (!runIds.length) return;
      try {
        await api.runs.delete({ runIds });
        set({ selected: [] });
        await get().load({ keepCount: true });
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },
  };
});
