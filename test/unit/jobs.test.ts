import { describe, expect, it } from 'vitest';
import { JobRunner, type Lock } from '../../electron/core/jobs/runner.ts';
import { abortOutcome } from '../../electron/core/measure/method.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function track(runner: JobRunner, id: number, locks: Lock[], log: string[]) {
  const gate = deferred();
  runner.submit({
    id,
    locks,
    run: async (signal) => {
      log.push(`start ${id}`);
      await Promise.race([gate.promise, new Promise<void>((r) => signal.addEventListener('abort', () => r()))]);
      log.push(signal.aborted ? `aborted ${id}` : `end ${id}`);
    },
    cancelledWhileQueued: () => log.push(`dropped ${id}`),
  });
  return gate;
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const throughput = (server: string): Lock[] => [{ name: 'link', mode: 'exclusive' }, { name: `server:${server}`, mode: 'exclusive' }];
const latency: Lock[] = [{ name: 'link', mode: 'shared' }];

describe('JobRunner locks', () => {
  it('never runs a throughput test beside a latency test, but runs latency tests together', async () => {
    const runner = new JobRunner();
    const log: string[] = [];
    const l1 = track(runner, 1, latency, log);
    const l2 = track(runner, 2, latency, log);
    const t3 = track(runner, 3, throughput('a'), log);
    await flush();
    expect(log).toEqual(['start 1', 'start 2']);
    l1.resolve();
    await flush();
    expect(log).not.toContain('start 3');
    l2.resolve();
    await flush();
    await flush();
    expect(log.at(-1)).toBe('start 3');
    t3.resolve();
    await runner.shutdown();
  });

  it('lets a job with free locks pass one that waits', async () => {
    const runner = new JobRunner();
    const log: string[] = [];
    const t1 = track(runner, 1, throughput('a'), log);
    track(runner, 2, throughput('b'), log);
    track(runner, 3, [], log);
    await flush();
    expect(log).toEqual(['start 1', 'start 3']);
    t1.resolve();
    await flush();
    await flush();
    expect(log.at(-1)).toBe('start 2');
    await runner.shutdown();
    expect(log).toContain('aborted 2');
  });

  it('cancels queued and running jobs; shutdown aborts and waits for all', async () => {
    const runner = new JobRunner();
    const log: string[] = [];
    track(runner, 1, throughput('a'), log);
    track(runner, 2, throughput('a'), log);
    await flush();
    expect(runner.cancel(2)).toBe(true);
    expect(log).toContain('dropped 2');
    expect(runner.cancel(1)).toBe(true);
    await flush();
    expect(log).toContain('aborted 1');
    expect(runner.cancel(42)).toBe(false);
    track(runner, 3, [], log);
    await flush();
    await runner.shutdown();
    expect(log).toContain('aborted 3');
    expect(runner.runningIds).toEqual([]);
    track(runner, 4, [], log);
    expect(log).toContain('dropped 4');
  });
});

describe('JobRunner retries and timeouts', () => {
  it('a job asking to retry releases its locks while it waits, then runs again', async () => {
    const runner = new JobRunner();
    const log: string[] = [];
    let attempts = 0;
    runner.submit({
      id: 1,
      locks: [{ name: 'link', mode: 'exclusive' }],
      run: async () => {
        attempts += 1;
        log.push(`attempt ${attempts}`);
        return attempts < 3 ? { retryAfterMs: 20 } : undefined;
      },
      cancelledWhileQueued: () => log.push('dropped 1'),
    });
    await new Promise((r) => setTimeout(r, 5));
    // While job 1 waits, another exclusive job may use the link.
    const other = track(runner, 2, [{ name: 'link', mode: 'exclusive' }], log);
    await flush();
    expect(log).toContain('start 2');
    other.resolve();
    await new Promise((r) => setTimeout(r, 120));
    expect(log.filter((l) => l.startsWith('attempt'))).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
    await runner.shutdown();
  });

  it('cancelling a job that waits to retry drops it', async () => {
    const runner = new JobRunner();
    const log: string[] = [];
    runner.submit({ id: 7, locks: [], run: async () => ({ retryAfterMs: 10_000 }), cancelledWhileQueued: () => log.push('dropped 7') });
    await flush();
    expect(runner.queuedIds).toEqual([7]);
    expect(runner.cancel(7)).toBe(true);
    expect(log).toEqual(['dropped 7']);
    await runner.shutdown();
  });

  it('a busy reply that comes after the abort is not retried: the job is ended with the abort reason', async () => {
    const runner = new JobRunner();
    const ended: Array<[number, string | undefined]> = [];
    // The server's "busy" arrives just as the job is cancelled, times out, or the app shuts down.
    const busyOnAbort = (id: number, timeoutMs?: number) => ({
      id,
      locks: [{ name: 'link', mode: 'shared' as const }],
      timeoutMs,
      run: (signal: AbortSignal) => new Promise<{ retryAfterMs: number }>((resolve) => signal.addEventListener('abort', () => resolve({ retryAfterMs: 10 }))),
      cancelledWhileQueued: (aborted?: AbortSignal) => ended.push([id, (aborted?.reason as { code?: string } | undefined)?.code]),
    });
    runner.submit(busyOnAbort(1));
    runner.submit(busyOnAbort(2, 20));
    runner.submit(busyOnAbort(3));
    await flush();
    runner.cancel(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(ended).toEqual([
      [1, 'CANCELLED'],
      [2, 'TIMEOUT'],
    ]);
    await runner.shutdown();
    expect(ended).toContainEqual([3, 'CANCELLED']);
    expect(runner.queuedIds).toEqual([]);
    expect(runner.runningIds).toEqual([]);
  });

  it('a job that throws (its outcome could not be stored) is reported, not an unhandled rejection, and frees its locks', async () => {
    const errors: Array<[number, unknown]> = [];
    const runner = new JobRunner({ onJobError: (id, error) => errors.push([id, error]) });
    const failure = new Error('database is locked');
    runner.submit({ id: 4, locks: [{ name: 'link', mode: 'exclusive' }], run: async () => Promise.reject(failure), cancelledWhileQueued: () => {} });
    const log: string[] = [];
    const next = track(runner, 5, [{ name: 'link', mode: 'exclusive' }], log);
    await flush();
    await flush();
    expect(errors).toEqual([[4, failure]]);
    expect(log).toEqual(['start 5']);
    next.resolve();
    await runner.shutdown();
  });

  it('a job past its time limit is aborted with a TIMEOUT reason; cancel gives CANCELLED', async () => {
    const runner = new JobRunner();
    const reasons: unknown[] = [];
    const job = (id: number, timeoutMs?: number) => ({
      id,
      locks: [],
      timeoutMs,
      run: (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => (reasons.push(signal.reason), resolve()))),
      cancelledWhileQueued: () => {},
    });
    runner.submit(job(1, 30));
    runner.submit(job(2));
    await new Promise((r) => setTimeout(r, 60));
    runner.cancel(2);
    await flush();
    expect(reasons.map((r) => (r as { code: string }).code)).toEqual(['TIMEOUT', 'CANCELLED']);
    expect(abortOutcome({ reason: reasons[0] } as AbortSignal).status).toBe('failed');
    expect(abortOutcome({ reason: reasons[1] } as AbortSignal).status).toBe('cancelled');
    await runner.shutdown();
  });
});
