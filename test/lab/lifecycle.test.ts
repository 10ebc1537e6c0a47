// The lab comes up as described (dual stack, routers as traceroute hops, asymmetric paths, no way
// out), never touches the root namespace, and goes away completely — also when its process is
// interrupted, crashes, or is killed outright.
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';
import { leftovers, processAlive } from './leftovers.ts';
import { measureTraceroute } from './measure.ts';
import { readRecord } from './registry.ts';
import { captureRootState, LabSafetyError, rootLeaks, rootStateChanges } from './safety.ts';
import { TOPOLOGIES, type Family, type TopologyName } from './topology.ts';

const HOLD_LAB = new URL('./fixtures/hold-lab.ts', import.meta.url).pathname;
const UP_DOWN_LOOP = new URL('./fixtures/up-down-loop.ts', import.meta.url).pathname;

for (const name of Object.keys(TOPOLOGIES) as TopologyName[]) {
  describeLab(`lab topology ${name}`, () => {
    let lab: Lab;
    let rootBefore: ReturnType<typeof captureRootState>;
    const pids: number[] = [];

    beforeAll(async () => {
      rootBefore = captureRootState();
      lab = await Lab.up(name);
    });

    afterAll(async () => {
      await lab?.down();
    });

    it('has only lab interfaces and addresses, and no route out of the lab', async () => {
      expect(rootLeaks(captureRootState())).toEqual([]);
      expect(rootStateChanges(rootBefore, captureRootState())).toEqual([]);
      for (const node of lab.nodes()) {
        for (const family of ['-4', '-6']) {
          const routes = String((await lab.exec(node, ['ip', family, 'route', 'show', 'table', 'all'])).stdout);
          expect(routes, `${node} ${family}`).not.toMatch(/^default|^0\.0\.0\.0|^::\/0/m);
          for (const line of routes.split('\n').filter((l) => /^\d|^2001/.test(l))) expect(line).toMatch(/^(198\.1[89]\.|2001:db8:)/);
        }
        const forwarding = String((await lab.exec(node, ['sysctl', '-n', 'net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'])).stdout).split('\n').filter(Boolean);
        expect(forwarding, node).toEqual(lab.nodes('router').includes(node) ? ['1', '1'] : ['0', '0']);
      }
      const outside = await lab.exec('client', ['ping', '-c', '1', '-W', '1', '192.0.2.1'], { reject: false });
      expect(outside.exitCode).not.toBe(0);
      expect(String(outside.stderr) + String(outside.stdout)).toMatch(/unreachable/i);
    });

    it.each([4, 6] as Family[])('traceroute over IPv%i sees every router on the path, hop count exact', async (family) => {
      const hosts = lab.nodes('host');
      for (const source of hosts) {
        for (const dest of hosts.filter((h) => h !== source)) {
          const expected = lab.path(source, dest).slice(1);
          const hops = await measureTraceroute(lab, source, lab.addr(dest, family));
          expect(hops.map((h) => (h.address ? lab.nodeOf(h.address) : null)), `${source} → ${dest}`).toEqual(expected);
        }
      }
    });

    it('runs services in the lab and stops them on down', async () => {
      const server = await lab.startIperf3Server('server');
      pids.push(server.pid);
      const result = await lab.exec('client', ['iperf3', '-c', lab.addr('server', 6), '-t', '1', '-J']);
      expect(JSON.parse(String(result.stdout)).end.sum_received.bits_per_second).toBeGreaterThan(1e8);
      expect(lab.processes.map((p) => p.pid)).toContain(server.pid);
    });

    if (name === 'asymmetric') {
      it('sends the return traffic another way than the forward traffic', async () => {
        const forward = await measureTraceroute(lab, 'client', lab.addr('server'));
        const back = await measureTraceroute(lab, 'server', lab.addr('client'));
        expect(forward.map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r1', 'r2', 'server']);
        expect(back.map((h) => lab.nodeOf(h.address ?? ''))).toEqual(['r2', 'r3', 'r1', 'client']);
      });
    }

    it('leaves nothing behind after down', async () => {
      const id = lab.id;
      const warden = lab.wardenPid;
      await lab.down();
      expect(warden).not.toBeNull();
      expect(leftovers(id, [...pids, warden ?? 0])).toEqual([]);
      await expect(lab.exec('client', ['true'])).rejects.toThrow(/down/);
      await lab.down();
    });
  });
}

describeLab('lab hygiene', () => {
  it('gives every lab its own names, so two labs run side by side', async () => {
    const [a, b] = await Promise.all([Lab.up('direct'), Lab.up('direct')]);
    try {
      expect(a.id).not.toBe(b.id);
      expect(a.ns('client')).not.toBe(b.ns('client'));
      await a.exec('client', ['ping', '-c', '1', '-W', '1', a.addr('server')]);
      await b.exec('client', ['ping', '-c', '1', '-W', '1', b.addr('server')]);
    } finally {
      await Promise.all([a.down(), b.down()]);
    }
    expect([...leftovers(a.id), ...leftovers(b.id)]).toEqual([]);
  });

  // `await lab.down()` used to end a plain Node script (exit 13, "unsettled top-level await"):
  // down waited for the warden with nothing but unref'd handles, which vitest's worker hid
  it('comes up and goes down repeatedly in a plain Node script, which runs to its end', async () => {
    const result = await execa(process.execPath, [UP_DOWN_LOOP, 'direct', '3'], { reject: false, timeout: 120_000 });
    expect(String(result.stderr)).not.toMatch(/unsettled top-level await/i);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const lines = String(result.stdout).trim().split('\n');
    expect(lines.at(-1)).toBe('done');
    const rounds = lines.slice(0, -1).map((line) => JSON.parse(line) as { round: number; id: string; pids: number[] });
    expect(rounds.map((r) => r.round)).toEqual([0, 1, 2]);
    expect(new Set(rounds.map((r) => r.id)).size).toBe(3);
    for (const round of rounds) expect(leftovers(round.id, round.pids)).toEqual([]);
  });

  it('refuses to act outside lab namespaces', async () => {
    const lab = await Lab.up('direct');
    try {
      await expect(lab.exec('nobody', ['true'])).rejects.toThrow(/No node "nobody"/);
      const { inNamespace } = await import('./commands.ts');
      await expect(inNamespace('pswtr1-client', ['true'])).rejects.toThrow(LabSafetyError);
      await expect(lab.fault.delay('client', 'r1', 0)).rejects.toThrow(RangeError);
    } finally {
      await lab.down();
    }
  });

  async function holdLab(ending: 'wait' | 'throw') {
    const child = execa(process.execPath, [HOLD_LAB, 'direct', ending], { reject: false, buffer: { stdout: true } });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0] as string);
      });
      void child.then((r) => reject(new Error(`hold-lab exited early: ${r.exitCode} ${String(r.stderr)}`)));
    });
    const info = JSON.parse(line) as { id: string; pids: number[]; warden: number; namespaces: string[] };
    return { child, info };
  }

  // these two and the next stop the warden first, so only the process's own cleanup can pass them
  it.each(['SIGTERM', 'SIGINT'] as const)('cleans up when the process gets %s', async (signal) => {
    const { child, info } = await holdLab('wait');
    process.kill(info.warden, 'SIGKILL');
    expect(leftovers(info.id, info.pids).length).toBeGreaterThan(0);
    child.kill(signal);
    const result = await child;
    expect(result.signal).toBe(signal);
    expect(leftovers(info.id, info.pids)).toEqual([]);
  });

  it('cleans up when the process dies of an uncaught exception', async () => {
    const { child, info } = await holdLab('throw');
    process.kill(info.warden, 'SIGKILL');
    const result = await child;
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/deliberate crash/);
    expect(leftovers(info.id, info.pids)).toEqual([]);
  });

  it('the warden removes the lab of a process killed with SIGKILL', async () => {
    const { child, info } = await holdLab('wait');
    expect(processAlive(info.warden)).toBe(true);
    child.kill('SIGKILL');
    await child;
    for (let i = 0; i < 50 && leftovers(info.id, [...info.pids, info.warden]).length > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(leftovers(info.id, [...info.pids, info.warden])).toEqual([]);
  });

  it('reaps a stale lab whose owner and warden both died, and nothing of live owners', async () => {
    const mine = await Lab.up('direct');
    try {
      const { child, info } = await holdLab('wait');
      process.kill(info.warden, 'SIGKILL');
      child.kill('SIGKILL');
      await child;
      expect(leftovers(info.id, info.pids)).not.toEqual([]);
      expect(info.pids.every(processAlive)).toBe(true);
      const reaped = Lab.reapStale();
      expect(reaped).toContain(info.id);
      expect(reaped).not.toContain(mine.id);
      expect(leftovers(info.id, info.pids)).toEqual([]);
      expect(readRecord(mine.id)).not.toBeNull();
      await mine.exec('client', ['ping', '-c', '1', '-W', '1', mine.addr('server')]);
    } finally {
      await mine.down();
    }
    expect(leftovers(mine.id, mine.wardenPid === null ? [] : [mine.wardenPid])).toEqual([]);
  });
});
