// Path MTU through the lab routers: a lowered MTU that announces itself, and one that does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';

describeLab('psw run mtu across the segmented lab', () => {
  let lab: Lab;
  let dir: string;

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

  it('1400 on r1—r2 with ICMP allowed: found, with the drop tracepath saw', async () => {
    const fault = await lab.fault.mtu('r1', 'r2', 1400);
    const run = await mtuRun();
    await fault.remove();
    expect(run.status).toBe('succeeded');
    expect(run.mtu).toMatchObject({ pathMtu: 1400, localMtu: 1500, blackHoleSuspected: false });
    expect(run.mtu?.drops[0]?.toMtu).toBe(1400);
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
