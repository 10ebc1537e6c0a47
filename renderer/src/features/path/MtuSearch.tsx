import type { MtuProbe, MtuSummary } from '../../../../electron/shared/path.ts';
import { mtuDropText, MTU_OUTCOME_TEXT } from './format.ts';

/** The Don't-Fragment size search, one row per probe in the order sent. */
export function MtuProbes({ probes, live = false }: { probes: readonly MtuProbe[]; live?: boolean }) {
  if (probes.length === 0) return live ? <p className="muted">Waiting for the first size probe…</p> : null;
  const largest = Math.max(...probes.map((p) => p.mtu));
  return (
    <table className="runs-table mtu-probes" data-testid="mtu-probes" data-probes={probes.length} data-live={live ? 'yes' : 'no'}>
      <thead>
        <tr>
          <th className="num">Step</th>
          <th className="num">Packet size</th>
          <th>Outcome</th>
          <th className="num">MTU named</th>
          <th>From</th>
        </tr>
      </thead>
      <tbody>
        {probes.map((p) => (
          <tr key={p.step} data-step={p.step} data-outcome={p.outcome} className={`probe-${p.outcome}`}>
            <td className="num">{p.step}</td>
            <td className="num">
              <span className="size-bar" aria-hidden="true">
                <span className={`fill ${p.outcome}`} style={{ width: `${(100 * p.mtu) / largest}%` }} />
              </span>
              {p.mtu} B
            </td>
            <td>{MTU_OUTCOME_TEXT[p.outcome]}</td>
            <td className="num">{p.reportedMtu ?? ''}</td>
            <td>{p.from ? <code>{p.from}</code> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the mtu run concluded: the path MTU, how each method saw it, and a black-hole warning. */
export function MtuVerdict({ summary }: { summary: MtuSummary }) {
  const bound = summary.pingMtuIsLowerBound ? ' or more' : '';
  return (
    <div className={`mtu-verdict${summary.blackHoleSuspected ? ' black-hole' : ''}`} data-testid="mtu-verdict" data-path-mtu={summary.pathMtu ?? ''} data-black-hole={summary.blackHoleSuspected ? 'yes' : 'no'}>
      <div className="stats">
        <div className="stat">
          <span className="stat-label">Path MTU</span>
          <span className="stat-value">{summary.pathMtu !== null ? `${summary.pathMtu} B${summary.pathMtu === summary.pingMtu ? bound : ''}` : '—'}</span>
        </div>
        <div className="stat">
          <span className="stat-label">tracepath (per hop)</span>
          <span className="stat-value">{summary.tracepathMtu !== null ? `${summary.tracepathMtu} B` : '—'}</span>
        </div>
        <div className="stat">
          <span className="stat-label">DF ping search</span>
          <span className="stat-value">{summary.pingMtu !== null ? `${summary.pingMtu} B${bound}` : '—'}</span>
        </div>
        <div className="stat">
          <span className="stat-label">Local interface</span>
          <span className="stat-value">{summary.localMtu !== null ? `${summary.localMtu} B` : '—'}</span>
        </div>
        <div className="stat">
          <span className="stat-label">Hops</span>
          <span className="stat-value">{summary.hops ?? '—'}</span>
        </div>
      </div>
      {summary.blackHoleSuspected ? (
        <p className="problem" role="alert" data-testid="black-hole">
          PMTU black hole suspected: large Don't-Fragment packets vanish without the ICMP "fragmentation needed" that would let TCP shrink them, or tracepath
          promises more than the path delivers. Connections stall once they send full-size segments.
        </p>
      ) : (
        summary.pathMtu !== null && <p className="muted">No black hole: where packets were too big, a router said so.</p>
      )}
      {summary.drops.length > 0 && (
        <ul className="mtu-drops">
          {summary.drops.map((d) => (
            <li key={d.ttl}>⇣ {mtuDropText(d)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
