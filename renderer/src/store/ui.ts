import { create } from 'zustand';

export const VIEWS = ['measure', 'diagnose', 'history', 'compare', 'paths', 'hosts', 'selfcheck', 'tools'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<View, string> = {
  measure: 'Measure',
  diagnose: 'Diagnose',
  history: 'History',
  compare: 'Compare',
  paths: 'Paths',
  hosts: 'Hosts',
  selfcheck: 'Host check',
  tools: 'Tools',
};

interface UiState {
  view: View;
  show(view: View): void;
}

export const useUi = create<UiState>()((set) => ({
  view: 'measure',
  show: (view) => set({ view }),
}));
