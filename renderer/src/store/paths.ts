import { create } from 'zustand';
import type { PathHistoryResult } from '../../../electron/shared/path.ts';
import { api, ApiError } from '../api/index.ts';
import { useRuns } from './runs.ts';
import { useUi } from './ui.ts';

/** Path history of one target (the Paths view): what paths.history returned, for which host. */
export interface PathsState {
  host: string;
  limit: number;
  /** The host the result belongs to (the field may have been edited since). */
  loadedHost: string | null;
  result: PathHistoryResult | null;
  loading: boolean;
  error: string | null;
  /** Bumped per answer, so views can key charts and tests can wait for a fresh one. */
  resultId: number;
  setHost(host: string): void;
  setLimit(limit: number): void;
  /** Loads a host's route series; `family` picks IPv4 or IPv6 (default: the one traced last). */
  load(host?: string, family?: '4' | '6'): Promise<void>;
}

const message = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : String(error));

let requestSeq = 0;

export const usePaths = create<PathsState>()((set, get) => ({
  host: '',
  limit: 200,
  loadedHost: null,
  result: null,
  loading: false,
  error: null,
  resultId: 0,

  setHost: (host) => set({ host }),
  setLimit: (limit) => set({ limit }),

  async load(hostArg, family) {
    const host = (hostArg ?? get().host).trim();
    if (!host) {
      set({ error: 'Enter the target whose paths to show.' });
      return;
    }
    const request = ++requestSeq;
    set({ host, loading: true, error: null });
    try {
      const result = await api.paths.history({ host, limit: get().limit, ...(family ? { family } : {}) });
      if (request !== requestSeq) return; // a newer request owns the view
      set((s) => ({ result, loadedHost: host, loading: false, resultId: s.resultId + 1 }));
    } catch (error) {
      if (request !== requestSeq) return;
      set({ error: message(error), loading: false });
    }
  },
}));

/** Open the Paths view on one target's history (from a run, a host, anywhere). */
export function openPathHistory(host: string): void {
  void usePaths.getState().load(host);
  useUi.getState().show('paths');
}

/** Open one run in the Measure view (the run view shows any kind). */
export function openRun(runId: number): void {
  void useRuns.getState().select(runId);
  useUi.getState().show('measure');
}

/** Targets that have trace runs (route history) in the loaded run list, most recent first. */
export function pathTargets(history: ReadonlyArray<{ kind: string; target: { host: string } }>): string[] {
  const seen = new Set<string>();
  for (const run of history) if (run.kind === 'trace') seen.add(run.target.host);
  return [...seen];
}
