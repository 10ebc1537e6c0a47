import { formatTarget } from '../../../../electron/shared/target.ts';
import { formatBitrate } from '../../../../electron/shared/units.ts';
import { useRuns } from '../../store/runs.ts';

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
            const t = run.throughput;
            const rate = t ? formatBitrate(t.reverse ? t.receivedBitsPerSecond : t.sentBitsPerSecond) : '';
            return (
              <li key={run.id}>
                <button type="button" className={run.id === selectedId ? 'selected' : ''} data-run-id={run.id} data-status={run.status} onClick={() => void select(run.id)}>
                  <span className={`dot ${run.status}`} aria-label={run.status} />
                  <span className="target">{formatTarget(run.target)}</span>
                  <span className="rate">{run.status === 'succeeded' ? rate : run.status}</span>
                  <span className="when">{new Date(run.createdAt).toLocaleTimeString()}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
