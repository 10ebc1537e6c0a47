import { create } from 'zustand';
import type { CompareInput, CompareResult } from '../../../electron/shared/compare.ts';
import { initialCompareForm, patchForm, toCompareInput, type CompareForm } from '../features/compare/form.ts';
import { api } from '../api/index.ts';

export { initialCompareForm, metricChoices, patchForm, toCompareInput } from '../features/compare/form.ts';
export type { CompareChartType, CompareForm, CompareMode } from '../features/compare/form.ts';

interface CompareState {
  form: CompareForm;
  result: CompareResult | null;
  loading: boolean;
  error: string | null;
  /** ms from pressing Show to the data arriving. */
  fetchMs: number | null;
  /** Increments with every result, so views (and tests) can tell a new one from the last. */
  resultId: number;
  /** performance.now() when Show was pressed, for the time-to-first-paint figure. */
  requestedAt: number | null;
  setForm(patch: Partial<CompareForm>): void;
  run(): Promise<void>;
}

export const useCompare = create<CompareState>()((set, get) => ({
  form: initialCompareForm,
  result: null,
  loading: false,
  error: null,
  fetchMs: null,
  resultId: 0,
  requestedAt: null,
  setForm: (patch) => set((s) => ({ form: patchForm(s.form, patch) })),
  async run() {
    let input: CompareInput;
    try {
      input = toCompareInput(get().form);
    } catch (error) {
      set({ error: (error as Error).message });
      return;
    }
    const started = performance.now();
    set({ loading: true, error: null, requestedAt: started });
    try {
      const result = await api.compare.series(input);
      set((s) => ({ result, fetchMs: performance.now() - started, resultId: s.resultId + 1 }));
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ loading: false });
    }
  },
}));
