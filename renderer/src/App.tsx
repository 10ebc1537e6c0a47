import { useEffect, useState } from 'react';
import { onConnectionChange, transportKind } from './api/index.ts';
import { CompareView } from './features/compare/CompareView.tsx';
import { DiagnoseView } from './features/diagnose/DiagnoseView.tsx';
import { HistoryView } from './features/history/HistoryView.tsx';
import { HostsView } from './features/hosts/HostsView.tsx';
import { PathHistoryView } from './features/path/PathHistoryView.tsx';
import { RunHistory } from './features/history/RunHistory.tsx';
import { RunForm } from './features/run/RunForm.tsx';
import { RunView } from './features/run/RunView.tsx';
import { SelfCheckView } from './features/selfcheck/SelfCheckView.tsx';
import { ToolsView } from './features/tools/ToolsView.tsx';
import { useRuns } from './store/runs.ts';
import { useUi, VIEW_LABELS, VIEWS, type View } from './store/ui.ts';

function Measure() {
  return (
    <main className="layout">
      <aside>
        <RunForm />
        <RunHistory />
      </aside>
      <RunView />
    </main>
  );
}

const SCREENS: Record<View, () => React.JSX.Element> = {
  measure: Measure,
  history: () => (
    <main className="single">
      <HistoryView />
    </main>
  ),
  diagnose: () => (
    <main className="single">
      <DiagnoseView />
    </main>
  ),
  compare: () => (
    <main className="single">
      <CompareView />
    </main>
  ),
  paths: () => (
    <main className="single">
      <PathHistoryView />
    </main>
  ),
  hosts: () => (
    <main className="single">
      <HostsView />
    </main>
  ),
  selfcheck: () => (
    <main className="single">
      <SelfCheckView />
    </main>
  ),
  tools: () => (
    <main className="single">
      <ToolsView />
    </main>
  ),
};

export function App() {
  const init = useRuns((s) => s.init);
  const error = useRuns((s) => s.error);
  const clearError = useRuns((s) => s.clearError);
  const [connected, setConnected] = useState(true);
  const view = useUi((s) => s.view);
  const show = useUi((s) => s.show);
  const Screen = SCREENS[view];

  useEffect(() => init(), [init]);
  useEffect(() => onConnectionChange(setConnected), []);

  return (
    <div className="app" data-app-state="ready" data-transport={transportKind()}>
      <header className="topbar">
        <h1>pS Workbench</h1>
        <span className="muted">is it my host or the network?</span>
        <nav className="tabs" aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v} type="button" name={`view-${v}`} className={v === view ? 'active' : ''} aria-current={v === view ? 'page' : undefined} onClick={() => show(v)}>
              {VIEW_LABELS[v]}
            </button>
          ))}
        </nav>
        {!connected && <span className="badge failed">disconnected from psw serve, retrying…</span>}
      </header>
      {error && (
        <div className="banner" role="alert">
          {error}
          <button type="button" onClick={clearError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <Screen />
    </div>
  );
}
