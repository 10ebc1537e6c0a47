// Path methods through the lab routers: exact hops with each trace tool, a lowered MTU placed at
// its hop (and one that does not announce itself), and a route change between two runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Workbench } from '../../electron/core/workbench.ts';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';

describeLab('psw run trace and mtu across the segmented lab', () => {
  let lab: Lab;
  let dir: string;

  async function run(args: string[]): Promise<RunDetail> {
    const result = await lab.psw('client', ['run', ...args, '--json', '--db', join(dir, 'path.sqlite')], { timeoutMs: 120_000, reject: false });
    return JSON.parse(String(result.stdout)) as RunDetail;
  }

  async function mtuRun(): Promise<RunDetail> {
    const result = await lab.psw('client', ['run', 'mtu', '--to', lab.addr('server'), '--max-mtu', '1500', '--json', '--db', join(dir, 'mtu.sqlite')], { timeoutMs: 120_000, reject: false });
    return JSON.parse(String(result.stdout)) as RunDetail;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psw-lab-mtu-'));
    lab = await Lab.up('segmented');
  });
  afterAll(async () => {
    await lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const tool of ['traceroute', 'tracepath', 'mtr'] as const) {
    it(`${tool}: three hops, each router's address on the link the probes arrive by`, async () => {
      const trace = await run(['trace', '--to', lab.addr('server'), '--tool', tool, ...(tool === 'mtr' ? ['--cycles', '3'] : [])]);
      expect(trace.status, JSON.stringify(trace.error)).toBe('succeeded');
      expect(trace.trace).toMatchObject({ reached: true, destinationTtl: 3 });
      const hops = trace.data?.kind === 'trace' ? trace.data.hops : [];
      expect(hops.map((h) => [h.ttl, h.responders[0]?.address])).toEqual([
        [1, lab.addr('r1', 4, 'client')],
        [2, lab.addr('r2', 4, 'r1')],
        [3, lab.addr('server')],
      ]);
    });
  }

  it('1400 on r1—r2 with ICMP allowed: found, and placed behind r1', async () => {
    const fault = await lab.fault.mtu('r1', 'r2', 1400);
    const run = await mtuRun();
    await fault.remove();
    expect(run.status).toBe('succeeded');
    expect(run.mtu).toMatchObject({ pathMtu: 1400, localMtu: 1500, blackHoleSuspected: false });
    expect(run.mtu?.drops[0]).toMatchObject({ toMtu: 1400, ttl: 2, afterTtl: 1, afterAddress: lab.addr('r1', 4, 'client') });
  });

  it('1400 on r1—r2 as a black hole: suspected, and tracepath is stopped once the path goes silent', async () => {
    const fault = await lab.fault.mtu('r1', 'r2', 1400, { blackhole: true });
    const run = await mtuRun();
    await fault.remove();
    expect(run.status).toBe('succeeded');
    expect(run.mtu).toMatchObject({ pathMtu: 1400, blackHoleSuspected: true });
    expect(run.mtu?.problems.join(' ')).toMatch(/no answer from 3 hops in a row/);
    // Without the early stop tracepath walks all 30 TTLs at ~3 s each.
    expect(run.raw?.stdout).not.toMatch(/^\s*10:/m);
  });
});

describeLab('a route change between two traces (asymmetric lab)', () => {
  let lab: Lab;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psw-lab-route-'));
    lab = await Lab.up('asymmetric');
  });
  afterAll(async () => {
    await lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is detected: paths.history shows one change, at the hop that moved', async () => {
    const db = join(dir, 'route.sqlite');
    const trace = async () => {
      const result = await lab.psw('client', ['run', 'trace', '--to', lab.addr('server'), '--json', '--db', db], { timeoutMs: 60_000, reject: false });
      return JSON.parse(String(result.stdout)) as RunDetail;
    };
    const before = await trace();
    const change = await lab.route.change({ at: 'r1', dest: 'server', via: 'r3' });
    const after = await trace();
    await change.revert();
    expect(before.pathFingerprint).not.toBe(after.pathFingerprint);
    expect(after.data?.kind === 'trace' && after.data.hops.map((h) => h.responders[0]?.address)).toContain(lab.addr('r3', 4, 'r1'));
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    try {
      const history = await wb.call('paths.history', { host: lab.addr('server') });
      expect(history.history.distinctPaths).toBe(2);
      expect(history.history.changes).toHaveLength(1);
      expect(history.history.changes[0]).toMatchObject({ previousRunId: before.id, runId: after.id, fromFingerprint: before.pathFingerprint, toFingerprint: after.pathFingerprint });
    } finally {
      await wb.close();
    }
  });
});
