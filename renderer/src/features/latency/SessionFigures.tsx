import { CLOCKS_OFFSET_NOTE, errorEstimatesText, type OnewayRunSummary, type SessionSummary } from '../../../../electron/shared/latency.ts';
import { formatMs, formatPercent } from '../path/format.ts';
import { Stat } from '../run/Stat.tsx';
import { clockValue, lossSentence, lostValue, needsSyncNote, pairMs, percentilesText, timestampQuality, UNSYNC_NOTE } from './format.ts';

/** One session's figures as owping/twping print them, the loss bound in words, and the clock caveat. */
export function SessionFigures({ s, clock = null }: { s: SessionSummary; clock?: OnewayRunSummary['clock'] }) {
  const what = s.direction === 'round-trip' ? 'RTT' : 'Delay';
  const errors = errorEstimatesText(s);
  return (
    <>
      <div className="stats" data-testid="session-figures" data-direction={s.direction} data-sent={s.sent} data-lost={s.lost} data-synchronized={s.synchronized ? 'yes' : 'no'}>
        <Stat label="Sent" value={`${s.sent}${s.duplicates ? ` (+${s.duplicates} dup)` : ''}`} testId="figure-sent" />
        <Stat label="Lost" value={lostValue(s)} tone={s.lost > 0 ? 'bad' : 'ok'} testId="figure-lost" />
        <Stat label={`${what} min / median`} value={pairMs(s.minMs, s.medianMs)} testId="figure-median" />
        <Stat label={`${what} p95 / max`} value={pairMs(s.p95Ms, s.maxMs)} />
        <Stat label="Jitter (p95 − p50)" value={formatMs(s.jitterMs)} />
        <Stat label="IPDV p95" value={formatMs(s.ipdvP95Ms)} />
        <Stat label="Hops" value={s.hopsAmbiguous ? 'unknown: the far end cannot read TTL' : s.hops} tone="muted" testId="figure-hops" />
        <Stat label="Clocks" value={clockValue(s)} tone={s.synchronized ? undefined : 'muted'} testId="figure-clock" />
        {errors && <Stat label="Error estimates" value={errors} tone="muted" testId="figure-errors" />}
        {(s.reorderingPercent ?? 0) > 0 && <Stat label="Reordered" value={formatPercent(s.reorderingPercent)} tone="bad" />}
        {s.scheduleP99Us !== null && <Stat label="Send lag p99" value={`${s.scheduleP99Us.toFixed(0)} µs`} tone="muted" />}
        {s.scheduleP99Us !== null && clock && <Stat label="Timestamps" value={timestampQuality(clock)} tone="muted" testId="figure-timestamps" />}
      </div>
      {s.percentilesMs && (
        <p className="muted" data-testid="percentiles">
          {percentilesText(s.percentilesMs)}
        </p>
      )}
      <p className="loss-bound" data-testid="loss-bound">
        {lossSentence(s)}
      </p>
      {s.clocksOffset && (
        <p className="clock-note" role="note" data-testid="clocks-offset-note">
          {CLOCKS_OFFSET_NOTE}
        </p>
      )}
      {needsSyncNote(s) && (
        <p className="clock-note" role="note" data-testid="unsync-note">
          {UNSYNC_NOTE}
        </p>
      )}
    </>
  );
}
