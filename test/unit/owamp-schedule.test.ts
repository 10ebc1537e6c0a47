import { describe, expect, it } from 'vitest';
import { intervalToSeconds, secondsToInterval } from '../../electron/core/measure/oneway/ntp.ts';
import {
  exponentialSchedule,
  ExponentialGenerator,
  meanInterval,
  mult64,
  parseOwpingSchedule,
  periodicSchedule,
  Schedule,
  scheduleLastOffset,
} from '../../electron/core/measure/oneway/schedule.ts';

/** Reference §7: Exp #1, #10, #100, #1000 and the sum of the first 1,000,000, 32.32 hex. */
const VECTORS = [
  { seed: '2872979303ab47eeac028dab3829dab2', picks: ['000000006d27e540', '00000004f9d85ec8', '000000021fc133c5', '000000024fe2d8a8'], sum: '000f4479bd317381' },
  { seed: '0102030405060708090a0b0c0d0e0f00', picks: ['00000000c2127448', '00000002f0d21360', '0000000129f07b2c', '00000000774f9b18'], sum: '000f433686466a62' },
  { seed: 'deadbeefdeadbeefdeadbeefdeadbeef', picks: ['000000017ef33648', '000000005dfa6001', '000000010f09fc5b', '0000000088050c02'], sum: '000f416c8884d2d3' },
  { seed: 'feed0feed1feed2feed3feed4feed5ab', picks: ['00000000300d1c98', '00000000114b480e', '000000010af12935', '00000000ee8e03f4'], sum: '000f3f0b4b416ec8' },
];

const hex64 = (value: bigint) => value.toString(16).padStart(16, '0');

describe('exponential generator (RFC 4656 Appendix A/B, owamp schedule.c)', () => {
  for (const vector of VECTORS) {
    it(`matches the reference vectors for seed ${vector.seed}`, () => {
      const generator = new ExponentialGenerator(Buffer.from(vector.seed, 'hex'));
      const picks: string[] = [];
      let sum = 0n;
      for (let i = 1; i <= 1_000_000; i += 1) {
        const value = generator.exp();
        sum += value;
        if (i === 1 || i === 10 || i === 100 || i === 1000) picks.push(hex64(value));
      }
      expect(picks).toEqual(vector.picks);
      expect(hex64(sum & ((1n << 64n) - 1n))).toBe(vector.sum);
    });
  }

  it('gives 0.426390 as the first deviate of the first seed', () => {
    const first = new ExponentialGenerator(Buffer.from(VECTORS[0]!.seed, 'hex')).exp();
    expect(intervalToSeconds(first)).toBeCloseTo(0.42639, 6);
  });

  it('refuses a seed that is not 16 octets', () => {
    expect(() => new ExponentialGenerator(Buffer.alloc(15))).toThrow(RangeError);
  });

  it('multiplies 32.32 numbers with truncation', () => {
    expect(mult64(3n << 32n, 1n << 31n)).toBe(3n << 31n);
    expect(mult64(1n, 1n)).toBe(0n);
  });
});

describe('schedules', () => {
  it('uses slots circularly: fixed slots give exact offsets', () => {
    const slots = parseOwpingSchedule('0.05f,0.01f');
    const schedule = new Schedule(Buffer.alloc(16), slots, 5);
    const offsets = [1, 2, 3, 4, 5].map(() => intervalToSeconds(schedule.nextOffset()));
    expect(offsets.map((o) => Number(o.toFixed(6)))).toEqual([0.05, 0.06, 0.11, 0.12, 0.17]);
  });

  it('scales Exp() by the slot mean, reproducibly from the SID', () => {
    const sid = Buffer.from(VECTORS[0]!.seed, 'hex');
    const a = new Schedule(sid, exponentialSchedule(0.1), 3);
    const b = new Schedule(sid, exponentialSchedule(0.1), 3);
    const first = a.nextDelta();
    expect(first).toBe(b.nextDelta());
    expect(first).toBe(mult64(0x000000006d27e540n, secondsToInterval(0.1)));
  });

  it('only uses as many slots as packets (owamp: min(slots, packets))', () => {
    const slots = parseOwpingSchedule('1f,2f,3f');
    const schedule = new Schedule(Buffer.alloc(16), slots, 2);
    expect([schedule.nextDelta(), schedule.nextDelta(), schedule.nextDelta()].map(intervalToSeconds)).toEqual([1, 2, 1]);
  });

  it('averages about the mean for an exponential schedule', () => {
    const n = 20_000;
    const last = scheduleLastOffset(Buffer.from(VECTORS[1]!.seed, 'hex'), exponentialSchedule(0.01), n);
    expect(intervalToSeconds(last) / n).toBeGreaterThan(0.0095);
    expect(intervalToSeconds(last) / n).toBeLessThan(0.0105);
  });

  it('parses owping -i syntax', () => {
    expect(parseOwpingSchedule('0.05,0.01f,0.2e').map((s) => [s.type, intervalToSeconds(s.interval).toFixed(3)])).toEqual([
      ['exponential', '0.050'],
      ['fixed', '0.010'],
      ['exponential', '0.200'],
    ]);
    expect(periodicSchedule(0.1)[0]).toEqual({ type: 'fixed', interval: 0x19999999n });
    expect(meanInterval(parseOwpingSchedule('0.1f,0.3f'))).toBeCloseTo(0.2, 9);
  });

  it('refuses malformed schedules', () => {
    for (const bad of ['', 'x', '0.1g', '-1', '0.1,,0.2', '1e3', '4000']) {
      expect(() => parseOwpingSchedule(bad), bad).toThrow(/Refused schedule slot/);
    }
    expect(() => parseOwpingSchedule(new Array(1100).fill('1').join(','))).toThrow(/too many slots/);
  });
});
