import { errorEstimateSeconds, isSynchronized } from '../oneway/error-estimate.ts';
import { DelayHistogram, nearestRank, OWPING_BUCKET_WIDTH } from '../oneway/histogram.ts';
import { lossBound, type LossBound } from '../oneway/loss-bound.ts';
import { ntpToUnixMs } from '../oneway/ntp.ts';
import { DEFAULT_PERCENTILES, formatG3, hopsOf, ipdvOf, owpingDelay, type DelaySummary, type HopSummary, type IpdvSummary } from '../oneway/stats.ts';
import { roundTripDelays, type TwampRecordLog } from './records.ts';

/**
 * Round-trip statistics as twping prints them (owamp stats.c, two-way branch): sent, lost, send
 * and reflect duplicates, round-trip/send/reflect delays, reflector processing time, P95−P50
 * jitter per direction, hops each way; plus exact percentiles, IPDV of the RTT and a loss bound.
 */

export interface TwpingFigures {
  bucketWidth: number;
  /** Histogram medians (twping's "median"), null = "nan". */
  median: { rtt: number | null; forward: number | null; backward: number | null };
  jitter: { rtt: number | null; forward: number | null; backward: number | null };
  percentiles: Record<string, number | null>;
  /**
   * twping's SYNC flag. twping only clears it for lost records, so a loss-free run prints
   * "(err=…)" even between unsynchronised clocks; reproduced here as it is.
   */
  synchronized: boolean;
  maxError: { rtt: number; forward: number; backward: number };
  clockText: string;
  /** twping prints "Directional delays may be inaccurate due to out of sync clocks!" */
  clocksOffset: boolean;
  buckets: Array<[bucket: number, rtt: number, forward: number, backward: number]>;
}

export interface RoundTripSummary {
  sent: number;
  lost: number;
  lossPercent: number;
  lossBound: LossBound | null;
  sendDuplicates: number;
  reflectDuplicates: number;
  rtt: DelaySummary;
  /** One-way parts: meaningful only with synchronised clocks. */
  forward: DelaySummary;
  backward: DelaySummary;
  processing: { min: number | null; max: number | null };
  /** twping's P95 − P50, seconds; null = "nan". */
  jitter: { rtt: number | null; forward: number | null; backward: number | null };
  ipdv: IpdvSummary;
  hops: { send: HopSummary; reflect: HopSummary };
  clock: {
    /** Every timestamp on both sides carried the S bit. */
    synchronized: boolean;
    senderError: number | null;
    reflectorError: number | null;
    /** Some forward or backward delay was negative: the two clocks are offset. */
    clocksOffset: boolean;
  };
  twping: TwpingFigures;
  firstSendUnixMs: number | null;
  lastSendUnixMs: number | null;
}

export interface RoundTripContext {
  bucketWidth?: number;
  percentiles?: readonly number[];
  owpingPercentiles?: readonly number[];
}

interface Accumulator {
  min: number;
  max: number;
  firstCopies: number[];
}

function accumulator(): Accumulator {
  return { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, firstCopies: [] };
}

function delaySummary(acc: Accumulator, percentiles: readonly number[]): DelaySummary {
  const sorted = Float64Array.from(acc.firstCopies).sort();
  const out: Record<string, number | null> = {};
  for (const p of percentiles) out[String(p)] = nearestRank(sorted, p);
  return {
    min: Number.isFinite(acc.min) ? acc.min : null,
    max: Number.isFinite(acc.max) ? acc.max : null,
    mean: sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null,
    median: nearestRank(sorted, 50),
    percentiles: out,
  };
}

export function summarizeRoundTrip(log: TwampRecordLog, context: RoundTripContext = {}): RoundTripSummary {
  const width = context.bucketWidth ?? OWPING_BUCKET_WIDTH;
  const histograms = { rtt: new DelayHistogram(width), forward: new DelayHistogram(width), backward: new DelayHistogram(width) };
  const acc = { rtt: accumulator(), forward: accumulator(), backward: accumulator() };
  let procMin = Number.POSITIVE_INFINITY;
  let procMax = Number.NEGATIVE_INFINITY;
  const sendSeen = new Map<number, { copies: number; reflectorSeq: number }>();
  const reflectSeen = new Map<number, { copies: number; senderSeq: number }>();
  const lost = new Set<number>();
  const rttBySeq = new Map<number, number>();
  const sendTtl = new Map<number, number>();
  const reflectTtl = new Map<number, number>();
  let twpingSync = true;
  let allSync = true;
  let senderError: number | null = null;
  let reflectorError: number | null = null;
  const maxError = { rtt: 0, forward: 0, backward: 0 };
  let clocksOffset = false;
  let firstSend: bigint | null = null;
  let lastSend: bigint | null = null;
  let received = 0;

  for (const r of log) {
    if (firstSend === null || r.t1 < firstSend) firstSend = r.t1;
    if (lastSend === null || r.t1 > lastSend) lastSend = r.t1;
    const e1 = errorEstimateSeconds(r.senderError);
    const e23 = errorEstimateSeconds(r.reflectorError);
    const e4 = errorEstimateSeconds(r.receiveError);
    const delays = roundTripDelays(r);
    if (!delays) {
      if (!sendSeen.has(r.senderSeq)) lost.add(r.senderSeq);
      if (!isSynchronized(r.receiveError)) twpingSync = false;
      for (const key of ['rtt', 'forward', 'backward'] as const) maxError[key] = Math.max(maxError[key], Number.isFinite(e4) ? e4 : 0);
      continue;
    }
    if (lost.has(r.senderSeq)) continue;
    received += 1;
    if (!isSynchronized(r.senderError) || !isSynchronized(r.reflectorError) || !isSynchronized(r.receiveError)) allSync = false;
    if (Number.isFinite(e1)) senderError = Math.max(senderError ?? 0, e1);
    if (Number.isFinite(e23)) reflectorError = Math.max(reflectorError ?? 0, e23);
    const z = (x: number) => (Number.isFinite(x) ? x : 0);
    maxError.rtt = Math.max(maxError.rtt, z(e1) + 2 * z(e23) + z(e4));
    maxError.forward = Math.max(maxError.forward, z(e1) + z(e23));
    maxError.backward = Math.max(maxError.backward, z(e23) + z(e4));
    if (delays.forward < 0 || delays.backward < 0) clocksOffset = true;

    // twping's duplicate bookkeeping: a reflector seq bound to one sender seq; a new reflector
    // seq for an already-seen sender seq is a send duplicate, a repeated reflector seq a reflect one.
    const reflect = reflectSeen.get(r.reflectorSeq);
    if (reflect && reflect.senderSeq !== r.senderSeq) continue; // inconsistent reflector: ignore the record
    const reflectCopies = (reflect?.copies ?? 0) + 1;
    reflectSeen.set(r.reflectorSeq, { copies: reflectCopies, senderSeq: r.senderSeq });
    const send = sendSeen.get(r.senderSeq);
    if (!send) sendSeen.set(r.senderSeq, { copies: 1, reflectorSeq: r.reflectorSeq });
    else if (send.reflectorSeq !== r.reflectorSeq && reflectCopies === 1) send.copies += 1;

    const proc = delays.processing;
    procMin = Math.min(procMin, proc);
    procMax = Math.max(procMax, proc);
    for (const key of ['rtt', 'forward', 'backward'] as const) {
      acc[key].min = Math.min(acc[key].min, delays[key]);
      acc[key].max = Math.max(acc[key].max, delays[key]);
    }
    const firstCopy = !send && reflectCopies === 1;
    if (!firstCopy) continue;
    acc.rtt.firstCopies.push(delays.rtt);
    acc.forward.firstCopies.push(delays.forward);
    acc.backward.firstCopies.push(delays.backward);
    rttBySeq.set(r.senderSeq, delays.rtt);
    const owProc = owpingDelay(r.t2, r.t3);
    histograms.rtt.add(owpingDelay(r.t1, r.t4) - owProc);
    histograms.forward.add(owpingDelay(r.t1, r.t2));
    histograms.backward.add(owpingDelay(r.t3, r.t4));
    if (r.senderTtl >= 0) sendTtl.set(r.senderTtl, (sendTtl.get(r.senderTtl) ?? 0) + 1);
    if (r.reflectedTtl >= 0) reflectTtl.set(r.reflectedTtl, (reflectTtl.get(r.reflectedTtl) ?? 0) + 1);
  }

  const sent = sendSeen.size + lost.size;
  let sendDuplicates = 0;
  for (const s of sendSeen.values()) sendDuplicates += s.copies - 1;
  let reflectDuplicates = 0;
  for (const s of reflectSeen.values()) reflectDuplicates += s.copies - 1;
  const percentiles = context.percentiles ?? DEFAULT_PERCENTILES;
  const median = (h: DelayHistogram) => h.percentile(0.5, sent);
  const jitterOf = (h: DelayHistogram) => {
    const p50 = h.percentile(0.5, sent);
    const p95 = h.percentile(0.95, sent);
    return p50 !== null && p95 !== null ? p95 - p50 : null;
  };
  const jitter = { rtt: jitterOf(histograms.rtt), forward: jitterOf(histograms.forward), backward: jitterOf(histograms.backward) };
  const owPercentiles: Record<string, number | null> = {};
  for (const p of context.owpingPercentiles ?? []) owPercentiles[p.toFixed(1)] = histograms.rtt.percentile(p / 100, sent);
  const bucketKeys = new Set<number>();
  for (const h of Object.values(histograms)) for (const [b] of h.buckets()) bucketKeys.add(b);
  const countIn = (h: DelayHistogram, b: number) => h.buckets().find(([key]) => key === b)?.[1] ?? 0;

  return {
    sent,
    lost: lost.size,
    lossPercent: sent > 0 ? (100 * lost.size) / sent : 0,
    lossBound: lossBound(lost.size, sent),
    sendDuplicates,
    reflectDuplicates,
    rtt: delaySummary(acc.rtt, percentiles),
    forward: delaySummary(acc.forward, percentiles),
    backward: delaySummary(acc.backward, percentiles),
    processing: { min: Number.isFinite(procMin) ? procMin : null, max: Number.isFinite(procMax) ? procMax : null },
    jitter,
    ipdv: ipdvOf(rttBySeq),
    hops: { send: hopsOf(sendTtl, received, 'send '), reflect: hopsOf(reflectTtl, received, 'reflect ', 'this host') },
    clock: { synchronized: allSync && received > 0, senderError, reflectorError, clocksOffset },
    twping: {
      bucketWidth: width,
      median: { rtt: median(histograms.rtt), forward: median(histograms.forward), backward: median(histograms.backward) },
      jitter,
      percentiles: owPercentiles,
      synchronized: twpingSync,
      maxError,
      clockText: twpingSync ? `(err=${formatG3(maxError.rtt * 1000)} ms)` : '(unsync)',
      clocksOffset,
      buckets: [...bucketKeys].sort((a, b) => a - b).map((b) => [b, countIn(histograms.rtt, b), countIn(histograms.forward, b), countIn(histograms.backward, b)]),
    },
    firstSendUnixMs: firstSend === null ? null : ntpToUnixMs(firstSend),
    lastSendUnixMs: lastSend === null ? null : ntpToUnixMs(lastSend),
  };
}
