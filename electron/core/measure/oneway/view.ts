import type { OnewayRunSummary, PacketProgress, SessionSummary } from '../../../shared/latency.ts';
import type { TwampRunResult } from '../twamp/client.ts';
import type { OnewayProgress } from './progress.ts';
import type { ClockReport, OneWaySessionResult } from './session-result.ts';
import type { DelaySummary } from './stats.ts';

const ms = (seconds: number | null | undefined): number | null => (seconds === null || seconds === undefined || !Number.isFinite(seconds) ? null : seconds * 1000);

const percentilesMs = (d: DelaySummary): NonNullable<SessionSummary['percentilesMs']> => ({
  p25: ms(d.percentiles['25']),
  p75: ms(d.percentiles['75']),
  p90: ms(d.percentiles['90']),
  p95: ms(d.percentiles['95']),
  p99: ms(d.percentiles['99']),
});

const delayFigures = (d: DelaySummary) => ({ minMs: ms(d.min), medianMs: ms(d.median), maxMs: ms(d.max) });

/** A one-way session's figures as the contract carries them (owping's, in milliseconds). */
export function owampSessionSummary(result: Pick<OneWaySessionResult, 'direction' | 'summary' | 'senderTiming'>): SessionSummary {
  const s = result.summary;
  return {
    direction: result.direction,
    sent: s.sent,
    lost: s.lost,
    duplicates: s.duplicates,
    lossPercent: s.lossPercent,
    lossLower: s.lossBound?.lower ?? null,
    lossUpper: s.lossBound?.upper ?? null,
    lossText: s.lossBound?.text ?? null,
    minMs: ms(s.delay.min),
    medianMs: ms(s.delay.median),
    maxMs: ms(s.delay.max),
    p95Ms: ms(s.delay.percentiles['95']),
    jitterMs: ms(s.jitter),
    ipdvP95Ms: ms(s.ipdv.p95Abs),
    reorderingPercent: s.reordering.percentByJ[0] ?? 0,
    reordering: s.reordering.text,
    percentilesMs: percentilesMs(s.delay),
    hops: s.hops.text,
    hopsAmbiguous: s.hops.ambiguous,
    synchronized: s.clock.synchronized,
    clockText: s.owping.clockText,
    senderErrorMs: ms(s.clock.senderError),
    receiverErrorMs: ms(s.clock.receiverError),
    scheduleP99Us: result.senderTiming?.p99Us ?? null,
  };
}

export function twampSessionSummary(result: Pick<TwampRunResult, 'summary'> & { senderTiming: TwampRunResult['senderTiming'] | null }): SessionSummary {
  const s = result.summary;
  return {
    direction: 'round-trip',
    sent: s.sent,
    lost: s.lost,
    duplicates: s.sendDuplicates + s.reflectDuplicates,
    lossPercent: s.lossPercent,
    lossLower: s.lossBound?.lower ?? null,
    lossUpper: s.lossBound?.upper ?? null,
    lossText: s.lossBound?.text ?? null,
    minMs: ms(s.rtt.min),
    medianMs: ms(s.rtt.median),
    maxMs: ms(s.rtt.max),
    p95Ms: ms(s.rtt.percentiles['95']),
    jitterMs: ms(s.jitter.rtt),
    ipdvP95Ms: ms(s.ipdv.p95Abs),
    reorderingPercent: null,
    percentilesMs: percentilesMs(s.rtt),
    hops: s.hops.reflect.reported || s.hops.reflect.ambiguous ? `${s.hops.send.text}, ${s.hops.reflect.text}` : s.hops.send.text,
    hopsAmbiguous: s.hops.send.ambiguous || s.hops.reflect.ambiguous,
    synchronized: s.clock.synchronized,
    clockText: s.twping.clockText,
    senderErrorMs: ms(s.clock.senderError),
    receiverErrorMs: ms(s.clock.reflectorError),
    scheduleP99Us: result.senderTiming?.p99Us ?? null,
    clocksOffset: s.clock.clocksOffset,
    send: delayFigures(s.forward),
    reflect: delayFigures(s.backward),
    processingMinMs: ms(s.processing.min),
    processingMaxMs: ms(s.processing.max),
  };
}

/** A batch of live packets as a run.progress field. */
export function packetProgress(progress: Extract<OnewayProgress, { type: 'packets' }>): PacketProgress {
  return {
    session: progress.session,
    sent: progress.sent,
    received: progress.received,
    lost: progress.lost,
    seq: progress.batch.seq,
    sendOffsetS: progress.batch.sendOffset,
    delayMs: progress.batch.delay.map((d) => (d === null ? null : d * 1000)),
  };
}

/** Our clock during a run, as the stored summary carries it. */
export function clockSummary(clock: ClockReport): NonNullable<OnewayRunSummary['clock']> {
  return { synchronized: clock.synchronized, errorMs: clock.errorSeconds * 1000, resolutionNs: clock.resolutionNs, anchorUncertaintyNs: clock.anchorUncertaintyNs };
}
