import { useMemo } from 'react';
import type { OnewayRunSummary, SessionPackets, SessionSummary } from '../../../../electron/shared/latency.ts';
import type { RunDetail } from '../../../../electron/shared/runs.ts';
import { delayPoints } from '../../charts/options/latency.ts';
import type { LivePackets, LiveRun, PacketSession } from '../../store/runs.ts';
import { formatMs } from '../path/format.ts';
import { DelayChart, DelayHistogramChart } from './DelayChart.tsx';
import { PROTOCOL_LABELS, sessionTitle } from './format.ts';
import { SessionFigures } from './SessionFigures.tsx';

const ORDER: readonly PacketSession[] = ['to', 'from', 'round-trip'];

function StoredSession({ s, packets, host, clock }: { s: SessionSummary; packets: SessionPackets | null; host: string; clock: OnewayRunSummary['clock'] }) {
  const points = useMemo(() => (packets ? delayPoints(packets.sendOffsetS, packets.delayMs) : null), [packets]);
  return (
    <section className="oneway-session" data-testid="oneway-session" data-direction={s.direction}>
      <h3>{sessionTitle(s.direction, host)}</h3>
      <SessionFigures s={s} clock={clock ?? null} />
      {packets && points && points.received + points.lost > 0 && (
        <>
          <DelayChart session={s.direction} points={points} live={false} synchronized={s.synchronized} medianMs={s.medianMs} p95Ms={s.p95Ms} />
          <DelayHistogramChart session={s.direction} delayMs={packets.delayMs} />
        </>
      )}
    </section>
  );
}

/** A stored latency or twamp run: per session (to and from side by side), figures, delay over time and histogram. */
export function OnewayRunDetail({ run }: { run: RunDetail }) {
  const summary = run.oneway;
  if (!summary) return null;
  const data = run.data?.kind === 'latency' || run.data?.kind === 'twamp' ? run.data.sessions : [];
  const sessions = [...summary.sessions].sort((a, b) => ORDER.indexOf(a.direction) - ORDER.indexOf(b.direction));
  return (
    <div className="oneway-run" data-kind={run.kind} data-protocol={summary.protocol}>
      <p className="muted" data-testid="oneway-protocol">
        {PROTOCOL_LABELS[summary.protocol]}, {summary.mode}
        {summary.controlRttMs !== null ? ` · control connection RTT ${formatMs(summary.controlRttMs)}` : ''}
      </p>
      <div className="oneway-sessions" data-sessions={sessions.length}>
        {sessions.map((s) => (
          <StoredSession key={s.direction} s={s} packets={data.find((p) => p.direction === s.direction) ?? null} host={run.target.host} clock={summary.clock} />
        ))}
      </div>
      {summary.notes.length > 0 && (
        <ul className="path-notes" data-testid="oneway-notes">
          {summary.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LiveSession({ p, host }: { p: LivePackets; host: string | null }) {
  // Toward the far end, the far end holds the delays until the session ends: only the sent count moves.
  const farEndHolds = p.session === 'to' && p.received + p.lost === 0;
  return (
    <section className="oneway-session" data-testid="oneway-session" data-direction={p.session}>
      <h3>{sessionTitle(p.session, host)}</h3>
      <p className="muted" data-testid="live-packets" data-session={p.session} data-received={p.received} data-lost={p.lost} data-sent={p.sent}>
        {farEndHolds ? `${p.sent} sent; the far end reports their delays when the session ends` : `${p.received} received, ${p.lost} lost${p.sent ? ` of ${p.sent} sent` : ''}`}
      </p>
      {!farEndHolds && <DelayChart session={p.session} points={p.points} live synchronized={false} />}
    </section>
  );
}

/** A latency or twamp run in flight: each session's packets as the batches arrive. */
export function OnewayLive({ live, host }: { live: LiveRun; host: string | null }) {
  const sessions = ORDER.map((d) => live.packets[d]).filter((p): p is LivePackets => p !== undefined);
  if (sessions.length === 0) {
    return (
      <p className="muted" data-testid="oneway-waiting">
        Negotiating the test session{live.kind === 'latency' ? 's' : ''}…
      </p>
    );
  }
  return (
    <div className="oneway-run" data-kind={live.kind ?? ''}>
      <div className="oneway-sessions" data-sessions={sessions.length}>
        {sessions.map((p) => (
          <LiveSession key={p.session} p={p} host={host} />
        ))}
      </div>
    </div>
  );
}
