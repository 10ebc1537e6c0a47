import { describe, expect, it } from 'vitest';
import { createClock, measureTimestampResolution } from '../../electron/core/measure/oneway/clock.ts';
import {
  decodeErrorEstimate,
  encodeErrorEstimate,
  errorEstimateFromSeconds,
  errorEstimateSeconds,
  isSynchronized,
  isValidErrorEstimate,
} from '../../electron/core/measure/oneway/error-estimate.ts';
import {
  intervalToSeconds,
  ntpDiffNs,
  ntpDiffSeconds,
  ntpToUnixMs,
  ntpToUnixNs,
  secondsToInterval,
  unixNsToNtp,
} from '../../electron/core/measure/oneway/ntp.ts';
import { generateSid } from '../../electron/core/measure/oneway/sid.ts';

describe('NTP timestamps and intervals', () => {
  it('counts from 1900: the Unix epoch is 2208988800 seconds in', () => {
    expect(unixNsToNtp(0n)).toBe(2_208_988_800n << 32n);
    expect(ntpToUnixNs(2_208_988_800n << 32n)).toBe(0n);
  });

  it('encodes the intervals seen on the wire', () => {
    expect(secondsToInterval(0.1)).toBe(0x19999999n);
    expect(secondsToInterval(2)).toBe(0x200000000n);
    expect(intervalToSeconds(0x00000002000e7bc4n)).toBeCloseTo(2.000221, 6);
    expect(() => secondsToInterval(-1)).toThrow(RangeError);
  });

  it('converts a captured timestamp to the date owping printed', () => {
    // owping §30 "first: 2026-11-22T02:37:23.945" (printf rounds the milliseconds) was the first
    // packet's send time, eeacd3e3f1e46067.
    expect(new Date(Math.round(ntpToUnixMs(0xeeacd3e3f1e46067n))).toISOString()).toBe('2026-11-22T02:37:23.945Z');
  });

  it('round-trips Unix nanoseconds within one nanosecond', () => {
    const ns = 1_795_000_000_123_456_789n;
    const back = ntpToUnixNs(unixNsToNtp(ns));
    expect(back - ns <= 1n && ns - back <= 1n).toBe(true);
  });

  it('differences are exact and signed', () => {
    const a = 0xeeacd3e3f1e46067n;
    const b = 0xeeacd3e3f1ed8d36n;
    expect(ntpDiffSeconds(b, a) * 1e6).toBeCloseTo(140.0, 0);
    expect(ntpDiffSeconds(a, b)).toBe(-ntpDiffSeconds(b, a));
    // 0xf1ed8d36 − 0xf1e46067 = 601295 units of 2^-32 s = 139 999.8 ns, truncated.
    expect(ntpDiffNs(b, a)).toBe(139_999n);
    expect(ntpDiffNs(a, b)).toBe(-139_999n);
  });
});

describe('error estimates', () => {
  it('reads the unsynchronised minimum owampd sends (0x0001 = 2^-32 s)', () => {
    expect(decodeErrorEstimate(0x0001)).toEqual({ synchronized: false, scale: 0, multiplier: 1 });
    expect(errorEstimateSeconds(0x0001)).toBeCloseTo(2.32831e-10, 14);
    expect(isSynchronized(0x0001)).toBe(false);
  });

  it('reads the S bit and scale', () => {
    const word = encodeErrorEstimate({ synchronized: true, scale: 10, multiplier: 3 });
    expect(word).toBe(0x8a03);
    expect(isSynchronized(word)).toBe(true);
    expect(errorEstimateSeconds(word)).toBe(3 * 2 ** -22);
  });

  it('marks a zero multiplier invalid', () => {
    expect(isValidErrorEstimate(0x8000)).toBe(false);
    expect(Number.isNaN(errorEstimateSeconds(0x0100))).toBe(true);
    expect(() => encodeErrorEstimate({ synchronized: false, scale: 0, multiplier: 0 })).toThrow(RangeError);
  });

  it('encodes a duration as the smallest estimate not below it', () => {
    for (const seconds of [1e-9, 1e-6, 1e-3, 0.5, 3]) {
      const word = errorEstimateFromSeconds(seconds, false);
      const value = errorEstimateSeconds(word);
      expect(value).toBeGreaterThanOrEqual(seconds);
      expect(value).toBeLessThan(seconds * 1.01 + 2 ** -32);
    }
    expect(errorEstimateFromSeconds(0, true)).toBe(0x8001);
  });
});

describe('clock and SID', () => {
  it('anchors the wall clock within a few microseconds and agrees with Date.now()', () => {
    const clock = createClock();
    expect(clock.anchorUncertaintyNs).toBeLessThan(1_000_000);
    const drift = ntpToUnixMs(clock.now()) - Date.now();
    expect(Math.abs(drift)).toBeLessThan(5);
    expect(clock.synchronized).toBe(false);
    expect(isSynchronized(clock.errorEstimate)).toBe(false);
  });

  it('two clocks anchored apart agree to well under a millisecond', () => {
    const a = createClock();
    const b = createClock();
    const mono = process.hrtime.bigint();
    expect(Math.abs(ntpDiffSeconds(a.monoToNtp(mono), b.monoToNtp(mono)))).toBeLessThan(0.0005);
  });

  it('maps scheduled NTP times to monotonic deadlines and back', () => {
    const clock = createClock();
    const t = clock.now() + secondsToInterval(1.5);
    expect(Math.abs(ntpDiffSeconds(clock.monoToNtp(clock.ntpToMono(t)), t))).toBeLessThan(1e-8);
  });

  it('declares a caller-given synchronised state and error', () => {
    const clock = createClock({ synchronized: true, errorSeconds: 0.001 });
    expect(isSynchronized(clock.errorEstimate)).toBe(true);
    expect(errorEstimateSeconds(clock.errorEstimate)).toBeGreaterThanOrEqual(0.001);
  });

  it('measures a sub-microsecond timestamp resolution', () => {
    const report = measureTimestampResolution(createClock(), 2000);
    expect(report.resolutionNs).toBeGreaterThan(0);
    expect(report.resolutionNs).toBeLessThan(100_000);
  });

  it('builds SIDs from the receiver address, the time and randomness', () => {
    const now = 0xeeacd3e2e2b3bb83n;
    const sid = generateSid('127.0.0.1', now);
    expect(sid.subarray(0, 12).toString('hex')).toBe('7f000001eeacd3e2e2b3bb83');
    expect(generateSid('127.0.0.1', now).equals(sid)).toBe(false);
    expect(generateSid('2001:db8::c612:1', now).subarray(0, 4).toString('hex')).toBe('c6120001');
    expect(generateSid('::ffff:10.99.2.2', now).subarray(0, 4).toString('hex')).toBe('0a630202');
  });
});
