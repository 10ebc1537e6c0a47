import { useEffect, useState } from 'react';
import { onConnectionChange, transportKind } from './api/index.ts';
import { RunHistory } from './features/history/RunHistory.tsx';
import { RunForm } from './features/run/RunForm.tsx';
import { RunView } from './features/run/RunView.tsx';
import { useRuns } from './store/runs.ts';

export function App() {
  const init = useRuns((s) => s.init);
  const error = useRuns((s) => s.error);
  const clearError = useRuns((s) => s.clearError);
  const [connected, setConnected] = useState(true);

  useEffect(() => init(), [init]);
  useEffect(() => onConnectionChange(setConnected), []);

  return (
    <div className="app" data-app-state="ready" data-transport={transportKind()}>
      <header className="topbar">
        <h1>pS Workbench</h1>
        <span className="muted">is it my host or the network?</span>
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
      <main className="layout">
        <aside>
          <RunForm />
          <RunHistory />
        </aside>
        <RunView />
      </main>
    </div>
  );
}
