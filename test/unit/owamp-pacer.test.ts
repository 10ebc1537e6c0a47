import { describe, expect, it } from 'vitest';
import { createClock } from '../../electron/core/measure/oneway/clock.ts';
import { secondsToInterval } from '../../electron/core/measure/oneway/ntp.ts';
import { ScheduleErrorRecorder, waitUntil } from '../../electron/core/measure/oneway/pacer.ts';
import { periodicSchedule, Schedule } from '../../electron/core/measure/oneway/schedule.ts';
import { runSendLoop } from '../../electron/core/measure/oneway/send-loop.ts';

describe('pacer', () => {
  it('never returns before the deadline', async () => {
    for (const mode of ['precise', 'gentle'] as const) {
      const deadline = process.hrtime.bigint() + 3_000_000n;
      expect(await waitUntil(deadline, undefined, { mode })).toBe(true);
      const late = process.hrtime.bigint() - deadline;
      expect(late).toBeGreaterThanOrEqual(0n);
      expect(late).toBeLessThan(200_000_000n);
    }
  });

  it('is not late by a constant offset: most waits end within 0.5 ms of the deadline', async () => {
    const lateness: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const deadline = process.hrtime.bigint() + 2_500_000n;
      await waitUntil(deadline);
      lateness.push(Number(process.hrtime.bigint() - deadline));
    }
    lateness.sort((a, b) => a - b);
    expect(lateness[15]!).toBeLessThan(500_000);
  });

  it('returns false at once when cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    expect(await waitUntil(process.hrtime.bigint() + 5_000_000_000n, controller.signal)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports lateness percentiles in microseconds, and skips', () => {
    const recorder = new ScheduleErrorRecorder(100);
    for (let i = 1; i <= 100; i += 1) recorder.record(i * 1000);
    recorder.skipped = 2;
    expect(recorder.report()).toEqual({ packets: 100, skipped: 2, p50Us: 50, p90Us: 90, p99Us: 99, maxUs: 100, meanUs: 50.5 });
  });
});

describe('send loop', () => {
  const base = (start: bigint, packets: number) => {
    const clock = createClock();
    return { clock, schedule: new Schedule(Buffer.alloc(16), periodicSchedule(0.001), packets), packetCount: packets, startTime: start, timeout: secondsToInterval(0.5) };
  };

  it('skips, without sending, every packet already later than the timeout', async () => {
    const clock = createClock();
    const sent: number[] = [];
    const outcome = await runSendLoop({
      ...base(clock.now() - secondsToInterval(10), 5),
      prepare: () => Buffer.alloc(14),
      transmit: (seq) => sent.push(seq),
    });
    expect(sent).toEqual([]);
    expect(outcome).toMatchObject({ nextSeqno: 5, skips: [[0, 4]], stoppedEarly: false });
  });

  it('sends every packet, stamped no earlier than scheduled, in order', async () => {
    const clock = createClock();
    const start = clock.now() + secondsToInterval(0.01);
    const stamps: bigint[] = [];
    const outcome = await runSendLoop({
      ...base(start, 20),
      clock,
      prepare: () => Buffer.alloc(14),
      transmit: (_seq, timestamp) => stamps.push(timestamp),
    });
    expect(outcome.nextSeqno).toBe(20);
    expect(stamps).toHaveLength(20);
    stamps.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(start + BigInt(i + 1) * secondsToInterval(0.001)));
  });

  it('stops before the next packet when aborted and says where', async () => {
    const clock = createClock();
    const controller = new AbortController();
    const outcome = await runSendLoop({
      ...base(clock.now() + secondsToInterval(0.01), 1000),
      clock,
      signal: controller.signal,
      prepare: () => Buffer.alloc(14),
      transmit: (seq) => {
        if (seq === 9) controller.abort();
      },
    });
    expect(outcome).toMatchObject({ nextSeqno: 10, stoppedEarly: true });
  });
});
