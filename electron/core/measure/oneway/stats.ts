import { errorEstimateSeconds, isSynchronized } from './error-estimate.ts';
import { DelayHistogram, nearestRank, OWPING_BUCKET_WIDTH } from './histogram.ts';
import { lossBound, type LossBound } from './loss-bound.ts';
import { ntpDiffSeconds, ntpToUnixMs } from './ntp.ts';
import { TTL_UNKNOWN, TTL_UNREADABLE, type RecordLog } from './records.ts';

/**
 * One-way statistics as perfSONAR users know them from owping (sent, lost, duplicates,
 * min/median/max, P95−P50 "jitter", n-reordering, hops, "(unsync)"), reproduced the way owamp's
 * stats.c computes them, plus exact percentiles, RFC 3393 IPDV and an honest loss bound.
 */

export const DEFAULT_PERCENTILES = [25, 75, 90, 95, 99] as const;

export interface DelaySummary {
  /** Seconds. min/max include duplicates (as owping); the rest are over first copies. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Exact median of received first copies (not quantised). */
  median: number | null;
  /** Exact percentiles of received first copies, keyed by percent ("95"). */
  percentiles: Record<string, number | null>;
}

export interface IpdvSummary {
  /** Pairs of consecutive sequence numbers both received (RFC 3393 selection function). */
  pairs: number;
  min: number | null;
  max: number | null;
  meanAbs: number | null;
  p50Abs: number | null;
  p95Abs: number | null;
}

/** What owping would print for this session (same histogram, same quirks). */
export interface OwpingFigures {
  bucketWidth: number;
  /** Histogram median: a bucket edge, may exceed max. null = "nan". */
  median: number | null;
  /** P95 − P50 from the histogram. null = "nan" (e.g. ≥ 5 % loss). */
  jitter: number | null;
  percentiles: Record<string, number | null>;
  /** min/max as owping computes them (each timestamp converted to a double first). */
  min: number | null;
  max: number | null;
  /** owping's SYNC: every timestamp carried the S bit. When false owping prints "(unsync)". */
  synchronized: boolean;
  /** owping's MAXERR: the largest send+receive error over the records (seconds). */
  maxError: number;
  /** The text owping puts after the delays: "(unsync)" or "(err=… ms)". */
  clockText: string;
  buckets: Array<[number, number]>;
}

export interface ClockSummary {
  /** Both sides said their clock is synchronised (S bit) on every timestamp. */
  synchronized: boolean;
  senderSynchronized: boolean;
  receiverSynchronized: boolean;
  /** Largest error estimate each side declared (seconds; null if none). */
  senderError: number | null;
  receiverError: number | null;
  /** Largest send+receive error of one delay (owping's MAXERR). */
  maxDelayError: number;
  /** Received packets whose delay was negative: the clocks are offset. */
  negativeDelays: number;
}

export interface HopSummary {
  /** False when no TTL below 255 was seen: the receiver could not read TTL (a Node.js receiver never can). */
  reported: boolean;
  min: number | null;
  max: number | null;
  distinctValues: number;
  /** owping's line: "hops = 1 (consistently)", "TTL not reported", … */
  text: string;
  /**
   * Every TTL was 255, which RFC 4656 defines as "could not read" (any Node.js responder, ours
   * included, records it); a peer on the same host also sees 255. owping counts 255 as
   * "hops = 0"; we report no hop count, so a path through routers is never shown as 0 hops.
   */
  ambiguous: boolean;
  ttlBuckets: Array<[ttl: number, count: number]>;
}

export interface ReorderingSummary {
  /** j-reordering percentages for j = 1, 2, … while non-zero. */
  percentByJ: number[];
  /** true when reordering went deeper than the tracking window (owping: "not handled"). */
  exceededWindow: boolean;
  text: string[];
}

export interface OneWaySummary {
  sent: number;
  lost: number;
  duplicates: number;
  /** lost / sent × 100; 0 when nothing was sent (as owping). */
  lossPercent: number;
  lossBound: LossBound | null;
  delay: DelaySummary;
  /** owping's "jitter" (P95 − P50 of the histogram), seconds; null = "nan". */
  jitter: number | null;
  ipdv: IpdvSummary;
  reordering: ReorderingSummary;
  hops: HopSummary;
  clock: ClockSummary;
  owping: OwpingFigures;
  /** Unix ms of the first and last send time among the records (owping's first/last). */
  firstSendUnixMs: number | null;
  lastSendUnixMs: number | null;
}

export interface SummaryContext {
  /** Skip ranges from the sender's Stop-Sessions: those packets were never sent. */
  skips?: ReadonlyArray<readonly [number, number]>;
  /** Mean packets per second, to size owping's reordering window. */
  packetsPerSecond?: number;
  /** Loss timeout in seconds (same purpose). */
  timeoutSeconds?: number;
  bucketWidth?: number;
  /** Extra owping-style percentiles (owping -a). */
  owpingPercentiles?: readonly number[];
  percentiles?: readonly number[];
}

export function isSkipped(seq: number, skips: ReadonlyArray<readonly [number, number]> | undefined): boolean {
  if (!skips) return false;
  for (const [first, last] of skips) if (seq >= first && seq <= last) return true;
  return false;
}

/** owping's delay: each 64-bit timestamp rounded to a double, then subtracted. */
export function owpingDelay(send: bigint, recv: bigint): number {
  return Number(recv) / 2 ** 32 - Number(send) / 2 ** 32;
}

export function summarizeOneWay(log: RecordLog, context: SummaryContext = {}): OneWaySummary {
  const width = context.bucketWidth ?? OWPING_BUCKET_WIDTH;
  const histogram = new DelayHistogram(width);
  const seen = new Map<number, number>();
  const lostSeqs = new Set<number>();
  const firstCopyDelays: number[] = [];
  const firstCopyBySeq = new Map<number, number>();
  const ttlCounts = new Map<number, number>();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let owMin = Number.POSITIVE_INFINITY;
  let owMax = Number.NEGATIVE_INFINITY;
  let allSync = true;
  let senderSync = true;
  let receiverSync = true;
  let maxDelayError = 0;
  let senderError: number | null = null;
  let receiverError: number | null = null;
  let negativeDelays = 0;
  let firstSend: bigint | null = null;
  let lastSend: bigint | null = null;
  let receivedRecords = 0;
  const windowLength = reorderWindow(context);
  const recent: number[] = [];
  const reorderCounts: number[] = [];
  let exceededWindow = false;

  for (const r of log) {
    if (isSkipped(r.seq, context.skips)) continue;
    if (firstSend === null || r.sendTime < firstSend) firstSend = r.sendTime;
    if (lastSend === null || r.sendTime > lastSend) lastSend = r.sendTime;
    const recvErr = errorEstimateSeconds(r.recvError);
    if (Number.isFinite(recvErr)) receiverError = Math.max(receiverError ?? 0, recvErr);
    if (!isSynchronized(r.recvError)) {
      receiverSync = false;
      allSync = false;
    }
    if (r.recvTime === 0n) {
      if (!seen.has(r.seq)) lostSeqs.add(r.seq);
      if (Number.isFinite(recvErr)) maxDelayError = Math.max(maxDelayError, recvErr);
      continue;
    }
    if (lostSeqs.has(r.seq)) continue; // a copy after a lost record: owping rejects the file; ignore it
    receivedRecords += 1;
    const sendErr = errorEstimateSeconds(r.sendError);
    if (Number.isFinite(sendErr)) senderError = Math.max(senderError ?? 0, sendErr);
    if (!isSynchronized(r.sendError)) {
      senderSync = false;
      allSync = false;
    }
    maxDelayError = Math.max(maxDelayError, (Number.isFinite(sendErr) ? sendErr : 0) + (Number.isFinite(recvErr) ? recvErr : 0));

    // n-reordering over received records in arrival order (duplicates included), as owping.
    for (let j = 0; j < recent.length && r.seq < (recent[recent.length - 1 - j] as number); j += 1) {
      reorderCounts[j] = (reorderCounts[j] ?? 0) + 1;
      if (j + 1 >= windowLength) exceededWindow = true;
    }
    recent.push(r.seq);
    if (recent.length > windowLength) recent.shift();

    const delay = ntpDiffSeconds(r.recvTime, r.sendTime);
    const owDelay = owpingDelay(r.sendTime, r.recvTime);
    if (delay < 0) negativeDelays += 1;
    min = Math.min(min, delay);
    max = Math.max(max, delay);
    owMin = Math.min(owMin, owDelay);
    owMax = Math.max(owMax, owDelay);
    const copies = (seen.get(r.seq) ?? 0) + 1;
    seen.set(r.seq, copies);
    if (copies > 1) continue;
    firstCopyDelays.push(delay);
    firstCopyBySeq.set(r.seq, delay);
    histogram.add(owDelay);
    if (r.ttl !== TTL_UNKNOWN) ttlCounts.set(r.ttl, (ttlCounts.get(r.ttl) ?? 0) + 1);
  }

  const sent = seen.size + lostSeqs.size;
  const lost = lostSeqs.size;
  let duplicates = 0;
  for (const copies of seen.values()) duplicates += copies - 1;

  const sorted = Float64Array.from(firstCopyDelays).sort();
  const percentiles: Record<string, number | null> = {};
  for (const p of context.percentiles ?? DEFAULT_PERCENTILES) percentiles[String(p)] = nearestRank(sorted, p);
  const mean = sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;

  const owMedian = histogram.percentile(0.5, sent);
  const p95 = histogram.percentile(0.95, sent);
  const jitter = owMedian !== null && p95 !== null ? p95 - owMedian : null;
  const owPercentiles: Record<string, number | null> = {};
  for (const p of context.owpingPercentiles ?? []) owPercentiles[p.toFixed(1)] = histogram.percentile(p / 100, sent);

  const reorderingText = describeReordering(reorderCounts, receivedRecords, exceededWindow, windowLength);

  return {
    sent,
    lost,
    duplicates,
    lossPercent: sent > 0 ? (100 * lost) / sent : 0,
    lossBound: lossBound(lost, sent),
    delay: {
      min: Number.isFinite(min) ? min : null,
      max: Number.isFinite(max) ? max : null,
      mean,
      median: nearestRank(sorted, 50),
      percentiles,
    },
    jitter,
    ipdv: ipdvOf(firstCopyBySeq),
    reordering: {
      percentByJ: reorderingPercents(reorderCounts, receivedRecords),
      exceededWindow,
      text: reorderingText,
    },
    hops: hopsOf(ttlCounts, receivedRecords),
    clock: {
      synchronized: allSync && log.length > 0,
      senderSynchronized: senderSync,
      receiverSynchronized: receiverSync,
      senderError,
      receiverError,
      maxDelayError,
      negativeDelays,
    },
    owping: {
      bucketWidth: width,
      median: owMedian,
      jitter,
      percentiles: owPercentiles,
      min: Number.isFinite(owMin) ? owMin : null,
      max: Number.isFinite(owMax) ? owMax : null,
      synchronized: allSync,
      maxError: maxDelayError,
      clockText: allSync ? `(err=${formatG3(maxDelayError * 1000)} ms)` : '(unsync)',
      buckets: histogram.buckets(),
    },
    firstSendUnixMs: firstSend === null ? null : ntpToUnixMs(firstSend),
    lastSendUnixMs: lastSend === null ? null : ntpToUnixMs(lastSend),
  };
}

/** owping sizes its reordering window as rate × timeout × 3.5, at least 10. */
function reorderWindow(context: SummaryContext): number {
  const rate = context.packetsPerSecond ?? 0;
  const timeout = context.timeoutSeconds ?? 0;
  const size = Math.floor(rate * timeout * 3.5);
  return Math.max(10, Math.min(size, 100_000));
}

function reorderingPercents(counts: number[], received: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < counts.length && (counts[j] ?? 0) > 0; j += 1) out.push((100 * (counts[j] as number)) / received);
  return out;
}

function describeReordering(counts: number[], received: number, exceeded: boolean, window: number): string[] {
  const percents = reorderingPercents(counts, received);
  if (percents.length === 0) return ['no reordering'];
  const lines = percents.map((p, j) => `${j + 1}-reordering = ${p.toFixed(6)}%`);
  lines.push(exceeded ? `${window + 1}-reordering not handled` : `no ${percents.length + 1}-reordering`);
  return lines;
}

export const hopsUnknownText = (reader = 'the far end') => `hops unknown: ${reader} cannot read TTL (it reports 255)`;

/** Hop count from received TTLs (255 − TTL); 255 is "not read", never "0 hops". */
export function hopsOf(ttlCounts: Map<number, number>, received: number, prefix = '', reader?: string): HopSummary {
  const all = [...ttlCounts.entries()].sort((a, b) => a[0] - b[0]);
  const buckets = all.filter(([ttl]) => ttl !== TTL_UNREADABLE);
  if (buckets.length === 0 && all.length > 0) {
    return { reported: false, min: null, max: null, distinctValues: 0, text: `${prefix}${hopsUnknownText(reader)}`, ambiguous: true, ttlBuckets: all };
  }
  if (buckets.length === 0) {
    return {
      reported: false,
      min: null,
      max: null,
      distinctValues: 0,
      text: received > 0 ? `${prefix}TTL not reported` : `${prefix}TTL not reported (nothing received)`,
      ambiguous: false,
      ttlBuckets: [],
    };
  }
  const minTtl = buckets[0]?.[0] as number;
  const maxTtl = buckets[buckets.length - 1]?.[0] as number;
  const text =
    buckets.length === 1
      ? `${prefix}hops = ${255 - minTtl} (consistently)`
      : `${prefix}hops takes ${buckets.length} values; min hops = ${255 - maxTtl}, max hops = ${255 - minTtl}`;
  return { reported: true, min: 255 - maxTtl, max: 255 - minTtl, distinctValues: buckets.length, text, ambiguous: false, ttlBuckets: all };
}

/** RFC 3393 IPDV over consecutive sequence numbers both present in `delayBySeq`. */
export function ipdvOf(delayBySeq: Map<number, number>): IpdvSummary {
  const values: number[] = [];
  for (const [seq, delay] of delayBySeq) {
    const next = delayBySeq.get(seq + 1);
    if (next !== undefined) values.push(next - delay);
  }
  if (values.length === 0) return { pairs: 0, min: null, max: null, meanAbs: null, p50Abs: null, p95Abs: null };
  const abs = Float64Array.from(values, Math.abs).sort();
  return {
    pairs: values.length,
    min: values.reduce((a, b) => Math.min(a, b)),
    max: values.reduce((a, b) => Math.max(a, b)),
    meanAbs: abs.reduce((a, b) => a + b, 0) / abs.length,
    p50Abs: nearestRank(abs, 50),
    p95Abs: nearestRank(abs, 95),
  };
}

/** C's "%.3g" (and "%g" with `precision` 6). */
export function formatG3(value: number, precision = 3): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(precision));
  const exponent = Math.floor(Math.log10(Math.abs(rounded)));
  const strip = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
  if (exponent < -4 || exponent >= precision) {
    const [mantissa = '0'] = rounded.toExponential(precision - 1).split('e');
    return `${strip(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return strip(rounded.toFixed(Math.max(0, precision - 1 - exponent)));
}
