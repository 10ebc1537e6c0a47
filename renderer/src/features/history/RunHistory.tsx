import { formatTarget } from '../../../../electron/shared/target.ts';
import { useRuns } from '../../store/runs.ts';
import { KIND_LABELS, runResultText } from './runResult.ts';

export function RunHistory() {
  const history = useRuns((s) => s.history);
  const selectedId = useRuns((s) => s.selectedId);
  const select = useRuns((s) => s.select);
  return (
    <section className="panel history" aria-label="Run history">
      <h2>History</h2>
      {history.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <ul>
          {history.map((run) => {
            // A succeeded run without a headline figure (e.g. a route) shows nothing rather than "ok".
            const result = run.status === 'succeeded' ? (run.throughput || run.oneway ? runResultText(run) : '') : run.status;
            return (
              <li key={run.id}>
                <button type="button" className={run.id === selectedId ? 'selected' : ''} data-run-id={run.id} data-status={run.status} data-kind={run.kind} onClick={() => void select(run.id)}>
                  <span className={`dot ${run.status}`} aria-label={run.status} />
                  <span className="target">{formatTarget(run.target)}</span>
                  <span className="rate">{result}</span>
                  <span className="when">
                    {new Date(run.createdAt).toLocaleTimeString()} · {KIND_LABELS[run.kind]}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
