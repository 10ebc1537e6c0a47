import type { SessionSummary } from '../../../../electron/shared/latency.ts';
import { formatMs, formatPercent } from '../path/format.ts';
import { Stat } from '../run/Stat.tsx';
import { clockValue, lossSentence, lostValue, needsSyncNote, pairMs, UNSYNC_NOTE } from './format.ts';

/** One session's figures as owping/twping print them, the loss bound in words, and the clock caveat. */
export function SessionFigures({ s }: { s: SessionSummary }) {
  const what = s.direction === 'round-trip' ? 'RTT' : 'Delay';
  return (
    <>
      <div className="stats" data-testid="session-figures" data-direction={s.direction} data-sent={s.sent} data-lost={s.lost} data-synchronized={s.synchronized ? 'yes' : 'no'}>
        <Stat label="Sent" value={`${s.sent}${s.duplicates ? ` (+${s.duplicates} dup)` : ''}`} testId="figure-sent" />
        <Stat label="Lost" value={lostValue(s)} tone={s.lost > 0 ? 'bad' : 'ok'} testId="figure-lost" />
        <Stat label={`${what} min / median`} value={pairMs(s.minMs, s.medianMs)} testId="figure-median" />
        <Stat label={`${what} p95 / max`} value={pairMs(s.p95Ms, s.maxMs)} />
        <Stat label="Jitter (p95 − p50)" value={formatMs(s.jitterMs)} />
        <Stat label="IPDV p95" value={formatMs(s.ipdvP95Ms)} />
        <Stat label="Hops" value={s.hops} tone="muted" />
        <Stat label="Clocks" value={clockValue(s)} tone={s.synchronized ? undefined : 'muted'} testId="figure-clock" />
        {(s.reorderingPercent ?? 0) > 0 && <Stat label="Reordered" value={formatPercent(s.reorderingPercent)} tone="bad" />}
        {s.scheduleP99Us !== null && <Stat label="Send lag p99" value={`${s.scheduleP99Us.toFixed(0)} µs`} tone="muted" />}
      </div>
      <p className="loss-bound" data-testid="loss-bound">
        {lossSentence(s)}
      </p>
      {needsSyncNote(s) && (
        <p className="clock-note" role="note" data-testid="unsync-note">
          {UNSYNC_NOTE}
        </p>
      )}
    </>
  );
}
