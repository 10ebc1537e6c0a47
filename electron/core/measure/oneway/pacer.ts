import { setTimeout as sleep } from 'node:timers/promises';
import { nearestRank } from './histogram.ts';

/**
 * Waits for a deadline on the monotonic clock with sub-millisecond accuracy, without holding up
 * the event loop: a timer sleeps until `spinNs` (1.5 ms) before the deadline (Node timers have
 * 1 ms granularity and wake late under load), then the remaining time passes in turns of the
 * event loop (setImmediate), so I/O callbacks still run and packets arriving meanwhile are
 * timestamped without delay. How that last stretch is spent is the pacing mode:
 *  - 'gentle' (default): futex naps (Atomics.wait, ≤ 0.1 ms) between turns until `tightNs`
 *    (0.5 ms) before the deadline, then turns only. About 8 % of a CPU at 100 packets/s.
 *  - 'precise': turns only for the whole stretch: the best timing on an idle machine, but one
 *    CPU stays busy (≈ 20 % at 100 packets/s, ≈ 90 % at 1000) and a receiver on the same host
 *    waits for it, and on a busy machine the scheduler penalises the spinning.
 * Measured figures are in bench/oneway.ts.
 */
export type PacingMode = 'precise' | 'gentle';

export interface PacingOptions {
  mode?: PacingMode;
  /** Time before the deadline at which the timer hands over to the fine-grained wait. */
  spinNs?: bigint;
  /** Longest single nap (gentle mode). */
  napNs?: bigint;
  /** The last stretch, polled without napping (gentle mode). */
  tightNs?: bigint;
}

export const DEFAULT_SPIN_NS = 1_500_000n;
const DEFAULT_NAP_NS = 100_000n;
const DEFAULT_TIGHT_NS = 500_000n;
const napCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * performance.now() reads the same monotonic clock as process.hrtime (libuv's uv_hrtime) but as
 * a double, so the waiting loop allocates nothing: no BigInt, no promise per turn. That matters
 * because every young-generation collection is a pause (1–4 ms on a busy 2-core VM).
 */
const PERF_ORIGIN_NS = perfOrigin();

/** hrtime − performance.now(), from the tightest of a few bracketed reads (the first call is slow). */
function perfOrigin(): bigint {
  performance.now();
  let best: { window: bigint; origin: bigint } | null = null;
  for (let i = 0; i < 20; i += 1) {
    const before = process.hrtime.bigint();
    const perf = performance.now();
    const after = process.hrtime.bigint();
    const window = after - before;
    if (best === null || window < best.window) best = { window, origin: (before + after) / 2n - BigInt(Math.round(perf * 1e6)) };
  }
  return (best as { origin: bigint }).origin;
}

function toPerfMs(mono: bigint): number {
  return Number(mono - PERF_ORIGIN_NS) / 1e6;
}

export async function waitUntil(deadlineMono: bigint, signal?: AbortSignal, pacing: PacingOptions = {}): Promise<boolean> {
  const deadline = toPerfMs(deadlineMono);
  const spinMs = Number(pacing.spinNs ?? DEFAULT_SPIN_NS) / 1e6;
  for (;;) {
    if (signal?.aborted) return false;
    const remaining = deadline - performance.now();
    if (remaining <= 0) return true;
    const sleepMs = Math.floor(remaining - spinMs);
    if (sleepMs < 1) break;
    await sleep(sleepMs, undefined, { signal }).catch(() => undefined);
  }
  const gentle = pacing.mode !== 'precise';
  const napMs = Number(pacing.napNs ?? DEFAULT_NAP_NS) / 1e6;
  const tightMs = Number(pacing.tightNs ?? DEFAULT_TIGHT_NS) / 1e6;
  return new Promise<boolean>((resolve) => {
    const turn = () => {
      if (signal?.aborted) return resolve(false);
      const remaining = deadline - performance.now();
      if (remaining <= 0) return resolve(true);
      if (gentle && remaining > tightMs) Atomics.wait(napCell, 0, 0, Math.min(napMs, remaining - tightMs));
      setImmediate(turn);
    };
    turn();
  });
}

/**
 * Schedule error of a sender: how late each packet left compared with its scheduled time, and
 * how many it skipped because it was already later than the loss timeout.
 */
export interface ScheduleErrorReport {
  packets: number;
  skipped: number;
  /** Lateness in microseconds. */
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  maxUs: number | null;
  meanUs: number | null;
}

export class ScheduleErrorRecorder {
  readonly #lateNs: Float64Array;
  #count = 0;
  skipped = 0;

  constructor(capacity: number) {
    this.#lateNs = new Float64Array(Math.max(0, capacity));
  }

  record(latenessNs: number): void {
    if (this.#count < this.#lateNs.length) this.#lateNs[this.#count] = latenessNs;
    this.#count += 1;
  }

  report(): ScheduleErrorReport {
    const values = this.#lateNs.slice(0, Math.min(this.#count, this.#lateNs.length)).sort();
    const us = (ns: number | null) => (ns === null ? null : Math.round(ns / 10) / 100);
    return {
      packets: this.#count,
      skipped: this.skipped,
      p50Us: us(nearestRank(values, 50)),
      p90Us: us(nearestRank(values, 90)),
      p99Us: us(nearestRank(values, 99)),
      maxUs: us(values.length > 0 ? (values[values.length - 1] as number) : null),
      meanUs: us(values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null),
    };
  }
}
