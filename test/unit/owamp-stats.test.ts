import { describe, expect, it } from 'vitest';
import { errorEstimateFromSeconds } from '../../electron/core/measure/oneway/error-estimate.ts';
import { DelayHistogram } from '../../electron/core/measure/oneway/histogram.ts';
import { lossBound } from '../../electron/core/measure/oneway/loss-bound.ts';
import { secondsToInterval } from '../../electron/core/measure/oneway/ntp.ts';
import { RecordLog, TTL_UNKNOWN, toOneWayRecords } from '../../electron/core/measure/oneway/records.ts';
import { formatG3, summarizeOneWay } from '../../electron/core/measure/oneway/stats.ts';

const BASE = 0xeeacd3e3_00000000n;
const UNSYNC = 0x0001;

/** A record log from (seq, delay in µs or null for lost) pairs, 10 ms apart. */
function logOf(entries: Array<[number, number | null, number?]>, options: { sync?: boolean } = {}): RecordLog {
  const log = new RecordLog(10_000);
  const err = options.sync ? errorEstimateFromSeconds(1e-6, true) : UNSYNC;
  for (const [seq, delayUs, ttl] of entries) {
    const sendTime = BASE + secondsToInterval(seq * 0.01);
    log.push({
      seq,
      sendTime,
      recvTime: delayUs === null ? 0n : delayUs >= 0 ? sendTime + secondsToInterval(delayUs / 1e6) : sendTime - secondsToInterval(-delayUs / 1e6),
      sendError: err,
      recvError: err,
      ttl: delayUs === null ? 255 : (ttl ?? TTL_UNKNOWN),
    });
  }
  return log;
}

describe('one-way summary', () => {
  it('counts sent, lost and duplicates as owping does', () => {
    const summary = summarizeOneWay(logOf([[0, 100], [1, 120], [1, 130], [2, null], [3, 90]]));
    expect(summary).toMatchObject({ sent: 4, lost: 1, duplicates: 1 });
    expect(summary.lossPercent).toBe(25);
    expect(summary.delay.min).toBeCloseTo(90e-6, 9);
    expect(summary.delay.max).toBeCloseTo(130e-6, 9);
    expect(summary.delay.median).toBeCloseTo(100e-6, 9);
  });

  it('reproduces owping histogram quirks: the median bucket can exceed max', () => {
    // §40: "one-way delay min/median/max = 0.061/0.1/0.0939 ms"
    const summary = summarizeOneWay(logOf([[0, 61], [1, 70], [2, 93.9], [3, 80]]));
    expect(summary.owping.median).toBeCloseTo(0.0001, 12);
    expect(summary.delay.max).toBeLessThan(summary.owping.median!);
    expect(summary.owping.buckets).toEqual([[1, 4]]);
  });

  it('prints nan jitter (P95 unreachable) beyond 5 % loss, as the namespace runs show', () => {
    // §20: "100 sent, 5 lost" still has a jitter; "100 sent, 6 lost" prints "jitter = nan".
    const run = (lostEvery: Set<number>) => {
      const entries: Array<[number, number | null]> = [];
      for (let i = 0; i < 100; i += 1) entries.push([i, lostEvery.has(i) ? null : 100 + (i % 7)]);
      return summarizeOneWay(logOf(entries));
    };
    const five = run(new Set([3, 20, 40, 60, 80]));
    expect(five.lost).toBe(5);
    expect(five.jitter).not.toBeNull();
    const six = run(new Set([3, 20, 40, 60, 80, 99]));
    expect(six.lost).toBe(6);
    expect(six.jitter).toBeNull();
    expect(six.owping.median).not.toBeNull();
  });

  it('computes jitter as P95 − P50 of the histogram', () => {
    const entries: Array<[number, number]> = [];
    for (let i = 0; i < 100; i += 1) entries.push([i, i < 90 ? 50 : 350]);
    const summary = summarizeOneWay(logOf(entries));
    expect(summary.owping.median).toBeCloseTo(0.0001, 12);
    expect(summary.jitter).toBeCloseTo(0.0003, 12);
  });

  it('says (unsync) unless every timestamp carries the S bit', () => {
    expect(summarizeOneWay(logOf([[0, 100]])).owping.clockText).toBe('(unsync)');
    const synced = summarizeOneWay(logOf([[0, 100], [1, 100]], { sync: true }));
    expect(synced.owping.synchronized).toBe(true);
    expect(synced.clock.synchronized).toBe(true);
    expect(synced.owping.clockText).toMatch(/^\(err=0\.002\d* ms\)$/);
  });

  it('reports hops from TTL, or that TTL was not reported', () => {
    expect(summarizeOneWay(logOf([[0, 100, 254], [1, 100, 254]])).hops).toMatchObject({ text: 'hops = 1 (consistently)', ambiguous: false });
    // RFC 4656: TTL 255 in a record means the receiver could not read it (our own responders record
    // it), so no hop count rather than owping's "hops = 0"; a real reading next to it still counts.
    const unread = summarizeOneWay(logOf([[0, 100, 255], [1, 100, 255], [2, null]])).hops;
    expect(unread).toMatchObject({ reported: false, min: null, max: null, ambiguous: true, text: 'hops unknown: the far end cannot read TTL (it reports 255)' });
    expect(unread.text).not.toMatch(/hops = 0/);
    expect(summarizeOneWay(logOf([[0, 100, 255], [1, 100, 253]])).hops).toMatchObject({ reported: true, min: 2, max: 2, text: 'hops = 2 (consistently)', ambiguous: false });
    expect(summarizeOneWay(logOf([[0, 100, 254], [1, 100, 250]])).hops.text).toBe('hops takes 2 values; min hops = 1, max hops = 5');
    const unknown = summarizeOneWay(logOf([[0, 100], [1, 100]]));
    expect(unknown.hops.reported).toBe(false);
    expect(unknown.hops.text).toBe('TTL not reported');
  });

  it('measures n-reordering over arrival order', () => {
    const summary = summarizeOneWay(logOf([[0, 100], [2, 100], [1, 100], [3, 100]]));
    expect(summary.reordering.percentByJ[0]).toBeCloseTo(25, 9);
    expect(summary.reordering.text).toEqual(['1-reordering = 25.000000%', 'no 2-reordering']);
    expect(summarizeOneWay(logOf([[0, 1], [1, 1]])).reordering.text).toEqual(['no reordering']);
  });

  it('leaves skipped packets out of sent and lost', () => {
    const summary = summarizeOneWay(logOf([[0, 100], [1, null], [2, null], [3, 100]]), { skips: [[1, 2]] });
    expect(summary).toMatchObject({ sent: 2, lost: 0 });
  });

  it('computes RFC 3393 IPDV over consecutive sequence numbers', () => {
    const summary = summarizeOneWay(logOf([[0, 100], [1, 150], [2, 120], [4, 500]]));
    expect(summary.ipdv.pairs).toBe(2);
    expect(summary.ipdv.max).toBeCloseTo(50e-6, 9);
    expect(summary.ipdv.min).toBeCloseTo(-30e-6, 9);
    expect(summary.ipdv.meanAbs).toBeCloseTo(40e-6, 9);
  });

  it('flags negative delays (offset clocks)', () => {
    expect(summarizeOneWay(logOf([[0, -50], [1, 20]])).clock.negativeDelays).toBe(1);
  });

  it('gives columnar records relative to the start time', () => {
    const records = toOneWayRecords(logOf([[0, 100], [1, null]]), BASE);
    expect(records.length).toBe(2);
    expect(records.sendOffsetNs[1]).toBeCloseTo(10_000_000, -1);
    expect(records.delay[0]).toBeCloseTo(100e-6, 9);
    expect(Number.isNaN(records.delay[1]!)).toBe(true);
    expect(Number.isNaN(records.recvOffsetNs[1]!)).toBe(true);
  });
});

describe('loss bound', () => {
  it('zero lost of N is "below about 3/N"', () => {
    const bound = lossBound(0, 100)!;
    expect(bound.upper).toBeCloseTo(1 - 0.05 ** (1 / 100), 6);
    expect(bound.upper).toBeGreaterThan(0.029);
    expect(bound.upper).toBeLessThan(0.03);
    expect(bound.text).toMatch(/0 of 100 lost: loss below 2\.95 %/);
    expect(lossBound(0, 1_000_000)!.upper * 1_000_000).toBeCloseTo(3, 1);
  });

  it('gives the exact (Clopper–Pearson) interval for k of N', () => {
    const bound = lossBound(5, 100)!;
    expect(bound.lower).toBeCloseTo(0.01643, 4);
    expect(bound.intervalUpper).toBeCloseTo(0.11283, 4);
    expect(lossBound(100, 100)!.upper).toBe(1);
    expect(lossBound(0, 0)).toBeNull();
    expect(lossBound(3, 2)).toBeNull();
  });
});

describe('owping formatting and histogram', () => {
  it('formats like C %.3g', () => {
    expect([0.0277, 9.31e-7, 0.1, 172, 999.5, 3.19481e-5, 0].map((v) => formatG3(v))).toEqual(['0.0277', '9.31e-07', '0.1', '172', '1e+03', '3.19e-05', '0']);
    expect(formatG3(Number.NaN)).toBe('nan');
  });

  it('buckets by ceil(delay/width), floor for negative delays', () => {
    const histogram = new DelayHistogram(0.0001);
    for (const d of [0.00005, 0.0001, 0.00011, -0.00005]) histogram.add(d);
    expect(histogram.buckets()).toEqual([[-1, 1], [1, 2], [2, 1]]);
    expect(histogram.percentile(0.5, 4)).toBeCloseTo(0.0001, 12);
    expect(histogram.percentile(0.99, 5)).toBeNull();
  });
});
