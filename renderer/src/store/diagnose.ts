import { create } from 'zustand';
import type { Diagnosis, DiagnosisSummary, DiagnoseInput } from '../../../electron/shared/diagnosis.ts';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';
import { api, onWorkbenchEvent } from '../api/index.ts';

export interface Progress {
  step: number;
  of: number;
  message: string;
  runId: number | null;
}

interface DiagnoseState {
  list: DiagnosisSummary[];
  current: Diagnosis | null;
  runningId: number | null;
  progress: Progress | null;
  error: string | null;
  start(input: DiagnoseInput): Promise<void>;
  cancel(): Promise<void>;
  open(id: number): Promise<void>;
  rederive(id: number): Promise<void>;
  load(): Promise<void>;
  handleEvent(event: WorkbenchEvent): void;
  init(): () => void;
}

export const useDiagnose = create<DiagnoseState>()((set, get) => ({
  list: [],
  current: null,
  runningId: null,
  progress: null,
  error: null,
  async start(input) {
    set({ error: null, progress: null });
    try {
      const { diagnosisId } = await api.diagnose.start(input);
      set({ runningId: diagnosisId, current: null });
      void get().load();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async cancel() {
    const id = get().runningId;
    if (id !== null) await api.diagnose.cancel({ diagnosisId: id }).catch((error: Error) => set({ error: error.message }));
  },
  async open(id) {
    try {
      set({ current: await api.diagnose.get({ diagnosisId: id }) });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async rederive(id) {
    try {
      set({ current: await api.diagnose.rederive({ diagnosisId: id }) });
      void get().load();
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  async load() {
    try {
      set({ list: await api.diagnose.list({ limit: 50 }) });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },
  handleEvent(event) {
    if (event.type === 'diagnosis.progress' && event.diagnosisId === get().runningId) {
      set({ progress: { step: event.step, of: event.of, message: event.message, runId: event.runId } });
    }
    if (event.type === 'diagnosis.finished') {
      if (event.diagnosisId === get().runningId) {
        set({ runningId: null, progress: null });
        void get().open(event.diagnosisId);
      }
      void get().load();
    }
  },
  init() {
    void get().load();
    return onWorkbenchEvent((event) => get().handleEvent(event));
  },
}));
