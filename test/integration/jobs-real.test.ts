import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store } from '../../electron/core/store/index.ts';
import { Workbench } from '../../electron/core/workbench.ts';
import type { RunDetail, RunSummary } from '../../electron/shared/runs.ts';
import { startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { PSW_BIN, psw } from '../helpers/psw.ts';
import { startResponder, type Responder } from '../helpers/responder.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The job runner's rules with real processes on loopback: a real `iperf3 -s`, our own OWAMP
 * responder, the real psw command. Only stored times and statuses are asserted, never durations.
 */

const dir = tempDir('psw-jobs-real-');
let iperf: Iperf3Server;
let owamp: Responder;

beforeAll(async () => {
  iperf = await startIperf3Server();
  owamp = await startResponder('owamp');
});

afterAll(async () => {
  await iperf?.stop();
  await owamp?.stop();
  dir.remove();
});

const overlaps = (a: RunSummary, b: RunSummary) => (a.startedAt ?? 0) < (b.finishedAt ?? 0) && (b.startedAt ?? 0) < (a.finishedAt ?? 0);

/** pids of iperf3 clients aimed at this port (Linux /proc). */
async function iperf3Clients(port: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv[0]?.endsWith('iperf3') && argv.includes('--client') && argv.includes(String(port))) pids.push(Number(entry));
  }
  return pids;
}

describe.runIf(process.platform === 'linux')('job runner with real processes', () => {
  it('a throughput test never runs while a latency test does, submitted at the same time through one workbench', async () => {
    const wb = Workbench.open({ dbPath: dir.file('exclusion.sqlite'), adapter: 'cli', validateOutputs: true });
    try {
      const latency = () => wb.call('runs.start', { kind: 'latency', target: { host: '127.0.0.1', port: owamp.port }, options: { packets: 100, interval: 0.01 } });
      const [first, throughput, second] = await Promise.all([
        latency(),
        wb.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: iperf.port }, options: { duration: 1 } }),
        latency(),
      ]);
      const runs = await Promise.all([first, throughput, second].map(({ runId }) => wb.waitForRun(runId)));
      for (const run of runs) expect(run, `${run.kind} ${run.id}: ${run.error?.message}`).toMatchObject({ status: 'succeeded' });
      const [l1, t, l2] = runs as [RunSummary, RunSummary, RunSummary];
      expect(overlaps(t, l1)).toBe(false);
      expect(overlaps(t, l2)).toBe(false);
      // The latency runs share the link: the second one passed the waiting throughput test.
      expect(l2.startedAt ?? Infinity).toBeLessThan(t.startedAt ?? 0);
    } finally {
      await wb.close();
    }
  });

  it('a psw run killed with SIGKILL mid-run leaves its run interrupted, and no iperf3 client behind', async () => {
    const db = dir.file('killed.sqlite');
    const child = execa(process.execPath, [PSW_BIN, 'run', 'throughput', '--to', `127.0.0.1:${iperf.port}`, '-t', '60', '--json', '--db', db], { reject: false, stdin: 'ignore' });
    let runId = 0;
    await vi.waitFor(
      async () => {
        const store = new Store(db);
        try {
          const running = store.runs.list({ limit: 5 }).find((r) => r.status === 'running' && r.kind === 'throughput');
          expect(running).toBeDefined();
          runId = running?.id ?? 0;
        } finally {
          store.close();
        }
        expect(await iperf3Clients(iperf.port)).toHaveLength(1);
      },
      { timeout: 20_000, interval: 100 },
    );
    child.kill('SIGKILL');
    await child;
    const shown = await psw(['runs', 'show', String(runId), '--json', '--db', db]);
    expect(shown.exitCode).toBe(0);
    const run = JSON.parse(shown.stdout) as RunDetail;
    expect(run).toMatchObject({ id: runId, status: 'interrupted', error: { code: 'INTERRUPTED' } });
    const left = await iperf3Clients(iperf.port);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    expect(left).toEqual([]);
  });
});
