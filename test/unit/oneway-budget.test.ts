import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LatencyOptions, TwampOptions } from '../../electron/shared/latency.ts';
import { latencyMethod, twampMethod } from '../../electron/core/measure/owamp/method.ts';
import { sessionsBudgetSeconds, systemToolBudgetMs } from '../../electron/core/measure/oneway/budget.ts';
import { exponentialSchedule, scheduleLastOffset } from '../../electron/core/measure/oneway/schedule.ts';
import { intervalToSeconds } from '../../electron/core/measure/oneway/ntp.ts';

const latency = (options: object) => ({ kind: 'latency', target: { host: '127.0.0.1', port: null }, options: LatencyOptions.parse(options) }) as Parameters<typeof latencyMethod.timeoutMs>[0];
const twamp = (options: object) => ({ kind: 'twamp', target: { host: '127.0.0.1', port: null }, options: TwampOptions.parse(options) }) as Parameters<typeof twampMethod.timeoutMs>[0];

describe('run time budget for latency and TWAMP runs', () => {
  it('covers the longest of 100 real Poisson schedules of 3600 packets at 1 s, with start delay and loss timeout', () => {
    const timeoutS = latencyMethod.timeoutMs(latency({ packets: 3600, interval: 1 })) / 1000;
    let longest = 0;
    for (let i = 0; i < 100; i += 1) longest = Math.max(longest, intervalToSeconds(scheduleLastOffset(randomBytes(16), exponentialSchedule(1), 3600)));
    // start delay (≈ 1–10 s) + the schedule + loss timeout (10 s) + end delay and fetch
    expect(longest + 10 + 10 + 5).toBeLessThan(timeoutS);
    expect(twampMethod.timeoutMs(twamp({ packets: 3600, interval: 1 })) / 1000).toBeGreaterThan(longest + 25);
  });

  it('allows 20 % over the mean plus six standard deviations of the gaps, start and end delays and the loss timeout', () => {
    const o = { packets: 3600, interval: 1, lossTimeout: 30 };
    expect(sessionsBudgetSeconds(o)).toBeGreaterThanOrEqual(3600 * 1.2 + 6 * 60 + 30);
    expect(sessionsBudgetSeconds({ ...o, lossTimeout: 60 }) - sessionsBudgetSeconds(o)).toBe(30);
  });

  it('gives a --tool system run more than its own process budget, so the tool stops first with its own message', () => {
    for (const packets of [1, 100, 3600, 100_000]) {
      const options = { packets, interval: 0.5, tool: 'system' };
      expect(latencyMethod.timeoutMs(latency(options))).toBeGreaterThan(systemToolBudgetMs(LatencyOptions.parse(options)));
      expect(twampMethod.timeoutMs(twamp(options))).toBeGreaterThan(systemToolBudgetMs(TwampOptions.parse(options)));
    }
  });

  it('does not double for two directions: both sessions run at the same time', () => {
    expect(latencyMethod.timeoutMs(latency({ packets: 1000, direction: 'both' }))).toBe(latencyMethod.timeoutMs(latency({ packets: 1000, direction: 'to' })));
  });
});
