import { errorEstimateFromSeconds } from './error-estimate.ts';
import { nsToInterval, unixNsToNtp, type NtpTime } from './ntp.ts';

/**
 * The clock every test packet is stamped with.
 *
 * `Date.now()` has only millisecond resolution, so the wall clock is read once, at the instant
 * its millisecond ticks over (found by spinning on it), and from then on time advances with the
 * monotonic nanosecond counter (`process.hrtime.bigint()`). The same mapping converts scheduled
 * send times into monotonic deadlines for the pacer, so schedule and timestamps agree exactly.
 * A clock is anchored per session: the monotonic counter is not slewed like the wall clock, so a
 * long-lived anchor would drift from it.
 */
export interface Clock {
  /** Now, as an NTP timestamp. */
  now(): NtpTime;
  /** Now, on the monotonic counter (ns). */
  monoNs(): bigint;
  monoToNtp(mono: bigint): NtpTime;
  ntpToMono(time: NtpTime): bigint;
  /** Wire error estimate carried with every timestamp from this clock. */
  readonly errorEstimate: number;
  readonly synchronized: boolean;
  /** Half-width of the window in which the wall clock's millisecond tick was seen (ns). */
  readonly anchorUncertaintyNs: number;
}

export interface ClockOptions {
  /**
   * Whether the host clock is synchronised to UTC (NTP/PTP/GPS). Node cannot ask the kernel
   * (no adjtimex), so the caller says so; default false, which is what owping shows as "(unsync)".
   */
  synchronized?: boolean;
  /** The error to declare, in seconds. Default: the anchoring uncertainty (about a microsecond). */
  errorSeconds?: number;
}

const EDGE_ATTEMPTS = 5;
const EDGE_SPIN_LIMIT_NS = 5_000_000n;

interface Anchor {
  unixNs: bigint;
  mono: bigint;
  uncertaintyNs: bigint;
}

/**
 * Spins until Date.now() changes and returns the monotonic instant of that tick. The tick lies
 * after the previous read began and before the current read ended, so the window is honest even
 * if the thread was paused between reads (a long pause just widens it, and a wider one loses).
 */
function findMillisecondEdge(): Anchor | null {
  const start = process.hrtime.bigint();
  let previousStart = start;
  let previousMs = Date.now();
  for (;;) {
    const readStart = process.hrtime.bigint();
    const ms = Date.now();
    const readEnd = process.hrtime.bigint();
    if (ms !== previousMs) {
      return { unixNs: BigInt(ms) * 1_000_000n, mono: (previousStart + readEnd) / 2n, uncertaintyNs: (readEnd - previousStart + 1n) / 2n };
    }
    if (readEnd - start > EDGE_SPIN_LIMIT_NS) return null;
    previousStart = readStart;
    previousMs = ms;
  }
}

function anchorClock(): Anchor {
  let best: Anchor | null = null;
  for (let i = 0; i < EDGE_ATTEMPTS; i += 1) {
    const edge = findMillisecondEdge();
    if (edge && (best === null || edge.uncertaintyNs < best.uncertaintyNs)) best = edge;
  }
  if (best) return best;
  // The wall clock did not tick within the spin limit (a frozen or coarse clock): fall back to
  // one plain read, uncertain by a whole millisecond.
  return { unixNs: BigInt(Date.now()) * 1_000_000n + 500_000n, mono: process.hrtime.bigint(), uncertaintyNs: 500_000n };
}

export function createClock(options: ClockOptions = {}): Clock {
  const anchor = anchorClock();
  const anchorNtp = unixNsToNtp(anchor.unixNs);
  const synchronized = options.synchronized ?? false;
  const uncertaintyNs = Number(anchor.uncertaintyNs);
  const errorSeconds = options.errorSeconds ?? Math.max(uncertaintyNs, 1000) / 1e9;
  const monoToNtp = (mono: bigint): NtpTime => {
    const delta = mono - anchor.mono;
    return delta >= 0n ? anchorNtp + nsToInterval(delta) : anchorNtp - nsToInterval(-delta);
  };
  const ntpToMono = (time: NtpTime): bigint => {
    const delta = time - anchorNtp;
    return delta >= 0n ? anchor.mono + ((delta * 1_000_000_000n) >> 32n) : anchor.mono - ((-delta * 1_000_000_000n) >> 32n);
  };
  return {
    now: () => monoToNtp(process.hrtime.bigint()),
    monoNs: () => process.hrtime.bigint(),
    monoToNtp,
    ntpToMono,
    errorEstimate: errorEstimateFromSeconds(errorSeconds, synchronized),
    synchronized,
    anchorUncertaintyNs: uncertaintyNs,
  };
}

export interface TimestampResolution {
  /** Smallest non-zero step seen between consecutive clock reads (ns). */
  resolutionNs: number;
  /** Median cost of one clock read (ns). */
  readCostNs: number;
  anchorUncertaintyNs: number;
}

/** Measures the clock: its smallest visible step and the cost of reading it. Bounded by `samples`. */
export function measureTimestampResolution(clock: Clock, samples = 20_000): TimestampResolution {
  let smallest = Number.POSITIVE_INFINITY;
  const costs = new Float64Array(Math.min(samples, 2000));
  let previous = clock.now();
  for (let i = 0; i < samples; i += 1) {
    const t0 = process.hrtime.bigint();
    const current = clock.now();
    const t1 = process.hrtime.bigint();
    if (i < costs.length) costs[i] = Number(t1 - t0);
    const step = Number(((current - previous) * 1_000_000_000n) >> 32n);
    if (current > previous && step > 0 && step < smallest) smallest = step;
    previous = current;
  }
  costs.sort();
  return {
    resolutionNs: Number.isFinite(smallest) ? smallest : 0,
    readCostNs: costs[Math.floor(costs.length / 2)] ?? 0,
    anchorUncertaintyNs: clock.anchorUncertaintyNs,
  };
}
