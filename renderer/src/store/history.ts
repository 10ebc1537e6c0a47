import { create } from 'zustand';
import type { RunListFilter, RunSummary } from '../../../electron/shared/runs.ts';
import { api } from '../api/index.ts';

export interface HistoryFilter {
  host: string;
  kind: string;
  status: string;
  family: string;
  since: string;
  tag: string;
}

export const emptyFilter: HistoryFilter = { host: '', kind: '', status: '', family: '', since: '', tag: '' };

/** Form filter → contract filter; empty fields are left out. */
export function toListFilter(f: HistoryFilter, limit = 500): RunListFilter {
  const out: Record<string, unknown> = { limit };
  if (f.host.trim()) out.host = f.host.trim();
  if (f.kind) out.kind = f.kind;
  if (f.status) out.status = f.status;
  if (f.family) out.family = f.family;
  if (f.tag.trim()) out.tag = f.tag.trim();
  if (f.since) {
    const at = Date.parse(f.since);
    if (Number.isFinite(at)) out.from = at;
  }
  return out as RunListFilter;
}

interface HistoryState {
  filter: HistoryFilter;
  runs: RunSummary[];
  selected: number[];
  loading: boolean;
  error: string | null;
  setFilter(patch: Partial<HistoryFilter>): void;
  load(): Promise<void>;
  toggle(runId: number): void;
  clearSelection(): void;
  tagSelected(tag: string): Promise<void>;
  deleteSelected(): Promise<void>;
}

export const useHistory = create<HistoryState>()((set, get) => ({
  filter: emptyFilter,
  runs: [],
  selected: [],
  loading: false,
  error: null,
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
  async load() {
    set({ loading: true, error: null });
    try {
      set({ runs: await api.runs.list(toListFilter(get().filter)) });
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ loading: false });
    }
  },
  toggle: (runId) => set((s) => ({ selected: s.selected.includes(runId) ? s.selected.filter((id) => id !== runId) : [...s.selected, runId] })),
  clearSelection: () => set({ selected: [] }),
  async tagSelected(tag) {
    const runIds = get().selected;
    if (!runIds.length || !tag.trim()) return;
    try {
      await api.runs.tag({ runIds, add: [tag.trim()] });
      await get().load();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async deleteSelected() {
    const runIds = get().selected;
    if (!runIds.length) return;
    try {
      await api.runs.delete({ runIds });
      set({ selected: [] });
      await get().load();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
}));
