import type { PacketProgress, SessionSummary } from '../../../shared/latency.ts';
import type { TwampRunResult } from '../twamp/client.ts';
import type { OnewayProgress } from './progress.ts';
import type { OneWaySessionResult } from './session-result.ts';

const ms = (seconds: number | null | undefined): number | null => (seconds === null || seconds === undefined || !Number.isFinite(seconds) ? null : seconds * 1000);

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
    hops: s.hops.text,
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
    hops: s.hops.send.text,
    synchronized: s.clock.synchronized,
    clockText: s.twping.clockText,
    senderErrorMs: ms(s.clock.senderError),
    receiverErrorMs: ms(s.clock.reflectorError),
    scheduleP99Us: result.senderTiming?.p99Us ?? null,
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
