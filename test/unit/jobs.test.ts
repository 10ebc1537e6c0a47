import { describe, expect, it } from 'vitest';
import { JobRunner, type Lock } from '../../electron/core/jobs/runner.ts';

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
