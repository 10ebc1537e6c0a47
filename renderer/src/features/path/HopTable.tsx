import { Fragment } from 'react';
import type { HopAssessment, MtuDrop, PathHop } from '../../../../electron/shared/path.ts';
import { describeFlag, formatMs, formatPercent, LOSS_CLASS_LABELS, lossText, mtuDropText } from './format.ts';

export interface HopTableProps {
  hops: readonly PathHop[];
  /** Per-hop reading (stored with a trace, or derived); null while a trace is still running. */
  assessment: readonly HopAssessment[] | null;
  drops: readonly MtuDrop[];
  /** Whether the destination answered; null while the run is still going. */
  reached: boolean | null;
  live?: boolean;
}

function LossBar({ a }: { a: HopAssessment }) {
  const forward = a.lossClass === 'forwardingLoss' ? (a.forwardLossPercent ?? 0) : 0;
  const limited = a.lossClass === 'forwardingLoss' ? (a.rateLimitedPercent ?? 0) : a.lossClass === 'icmpRateLimited' ? (a.lossPercent ?? 0) : 0;
  const unverified = a.lossClass === 'unverified' ? (a.lossPercent ?? 0) : 0;
  if (forward + limited + unverified <= 0) return null;
  return (
    <span className="loss-bar" aria-hidden="true">
      {forward > 0 && <span className="seg forwarding" style={{ width: `${Math.min(100, forward)}%` }} />}
      {limited > 0 && <span className="seg rate-limited" style={{ width: `${Math.min(100 - forward, limited)}%` }} />}
      {unverified > 0 && <span className="seg unverified" style={{ width: `${Math.min(100, unverified)}%` }} />}
    </span>
  );
}

function Responders({ hop }: { hop: PathHop }) {
  if (hop.responders.length === 0) return <span className="silent-mark">*</span>;
  const ecmp = hop.responders.length > 1;
  return (
    <ul className="responders">
      {hop.responders.map((r) => (
        <li key={r.address} data-address={r.address}>
          <code>{r.address}</code>
          {r.name && <span className="muted"> {r.name}</span>}
          {ecmp && r.replies > 0 && <span className="muted small"> · {r.replies} of {hop.received}</span>}
        </li>
      ))}
      {ecmp && (
        <li>
          <span className="badge ecmp" title="Load balancing: probes of this hop were answered by several routers.">
            ECMP · {hop.responders.length} routers
          </span>
        </li>
      )}
    </ul>
  );
}

/**
 * The hops of one trace in TTL order: who answered (several routers under ECMP, "*" when none
 * did), RTT, and loss read the right way: forwarding loss that persists to the destination in red
 * (marked where it starts), ICMP rate limiting in grey and labelled as not real loss. MTU drops sit
 * between the two hops of the narrower link.
 */
export function HopTable({ hops, assessment, drops, reached, live = false }: HopTableProps) {
  const byTtl = new Map((assessment ?? []).map((a) => [a.ttl, a]));
  const dropAt = new Map(drops.map((d) => [d.ttl, d]));
  const ordered = [...hops].sort((a, b) => a.ttl - b.ttl);
  const lastTtl = ordered[ordered.length - 1]?.ttl ?? 0;
  return (
    <table className="runs-table hop-table" data-testid="hop-table" data-hops={ordered.length} data-live={live ? 'yes' : 'no'} data-reached={reached === null ? '' : reached ? 'yes' : 'no'}>
      <thead>
        <tr>
          <th>Hop</th>
          <th>Responder</th>
          <th>Loss</th>
          <th className="num">RTT best / avg / worst</th>
          <th className="num">MTU</th>
          <th>Notes</th>
        </tr>
      </thead>
      <tbody>
        {ordered.map((hop) => {
          const a = byTtl.get(hop.ttl) ?? null;
          const drop = dropAt.get(hop.ttl) ?? null;
          const silent = hop.responders.length === 0;
          const lossClass = a?.lossClass ?? (silent && hop.sent > 0 ? 'noReply' : 'pending');
          const flags = hop.flags.filter((f) => !f.startsWith('!F'));
          return (
            <Fragment key={hop.ttl}>
              {drop && (
                <tr className="mtu-drop-row" data-testid="mtu-drop" data-ttl={hop.ttl}>
                  <td colSpan={6}>
                    <span className="mtu-drop-mark">⇣</span> {mtuDropText(drop)}
                  </td>
                </tr>
              )}
              <tr
                className={`hop-row loss-${lossClass}${a?.lossStartsHere ? ' loss-start' : ''}${hop.reached ? ' destination' : ''}`}
                data-testid="hop-row"
                data-ttl={hop.ttl}
                data-loss-class={lossClass}
                data-loss-start={a?.lossStartsHere ? 'yes' : 'no'}
                data-responders={hop.responders.length}
                data-mtu-drop={drop ? 'yes' : 'no'}
              >
                <td className="num ttl">{hop.ttl}</td>
                <td>
                  <Responders hop={hop} />
                </td>
                <td className="loss-cell" title={a ? LOSS_CLASS_LABELS[a.lossClass] : undefined}>
                  {a && <LossBar a={a} />}
                  <span className={`loss-text ${lossClass}`} data-testid="hop-loss">
                    {lossText(a, hop)}
                  </span>
                  {a?.lossStartsHere && (
                    <span className="badge loss-start-badge" data-testid="loss-start">
                      loss starts here{hop.ttl > 1 ? ` · link from hop ${hop.ttl - 1}` : ''}
                    </span>
                  )}
                  {!a && live && hop.lossPercent !== null && hop.lossPercent > 0 && <span className="muted small"> read when the trace ends</span>}
                </td>
                <td className="num rtt">
                  {hop.rtt ? (
                    <>
                      {formatMs(hop.rtt.best)} / <strong>{formatMs(hop.rtt.avg)}</strong> / {formatMs(hop.rtt.worst)}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="num">{hop.mtu !== null ? <span className={drop ? 'mtu-changed' : ''}>{hop.mtu}</span> : ''}</td>
                <td className="notes">
                  <div className="notes-inner">
                    {hop.reached && <span className="badge succeeded">destination</span>}
                    {flags.map((f) => (
                      <span key={f} className="badge failed flag" data-flag={f} title={describeFlag(f)}>
                        {f} {describeFlag(f)}
                      </span>
                    ))}
                    {hop.asymm !== null && (
                      <span className="badge asymm" data-testid="asymm" title="The reply came back over a different number of hops than the probe took: the return path differs.">
                        asymm {hop.asymm} · reply over {hop.asymm} hop(s)
                      </span>
                    )}
                    {hop.note && <span className="muted small">{hop.note}</span>}
                    {a && a.lossClass === 'forwardingLoss' && !a.lossStartsHere && <span className="muted small">carried from an earlier hop</span>}
                    {!silent && hop.sent > 0 && (
                      <span className="muted small">
                        {hop.received}/{hop.sent} answered{hop.lossPercent !== null && hop.lossPercent > 0 && a?.lossClass !== 'forwardingLoss' ? ` (${formatPercent(hop.lossPercent)} unanswered)` : ''}
                      </span>
                    )}
                  </div>
                </td>
              </tr>
            </Fragment>
          );
        })}
        {reached === false && (
          <tr className="hop-row not-reached" data-testid="not-reached">
            <td className="num ttl">{lastTtl + 1}…</td>
            <td colSpan={5}>
              <span className="problem">The destination did not answer.</span> <span className="muted">Loss is judged only up to the last hop that answered.</span>
            </td>
          </tr>
        )}
        {live && (
          <tr className="hop-row pending">
            <td className="num ttl">{lastTtl + 1}</td>
            <td colSpan={5} className="muted">
              probing…
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
