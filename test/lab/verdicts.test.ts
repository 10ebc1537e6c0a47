// Issue 7's acceptance suite: psw diagnose, run inside the lab's client namespace, must name each
// injected fault (and the segment, where the mid perfSONAR host lets it), and must say "healthy"
// on the same setup without the fault, so a verdict that always says the same thing cannot pass.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { Diagnosis } from '../../electron/shared/diagnosis.ts';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';

interface Outcome {
  scenario: string;
  verdict: string | null;
  side: string | null;
  segment: string | null;
  confidence: number | null;
  wallSeconds: number;
}

const outcomes: Outcome[] = [];
let dir: string;

async function diagnose(lab: Lab, scenario: string, args: { via?: boolean; rate: string; db: string }): Promise<Diagnosis> {
  const started = Date.now();
  const result = await lab.psw('client', ['diagnose', '--to', `${lab.addr('server')}:5201`, ...(args.via ? ['--via', lab.addr('mid')] : []), '--rate', args.rate, '--depth', 'quick', '--json', '--db', args.db], { timeoutMs: 180_000, reject: false });
  const wallSeconds = (Date.now() - started) / 1000;
  let diagnosis: Diagnosis;
  try {
    diagnosis = JSON.parse(String(result.stdout)) as Diagnosis;
  } catch {
    throw new Error(`psw diagnose gave no JSON (exit ${result.exitCode}): ${String(result.stderr).slice(0, 2000)}`);
  }
  const v = diagnosis.verdict;
  outcomes.push({ scenario, verdict: v?.class ?? null, side: v?.side ?? null, segment: v?.segment ? `${v.segment.from} → ${v.segment.to}` : null, confidence: v?.confidence ?? null, wallSeconds });
  if (process.env.PSW_RECORD_DIAGNOSES) await record(lab, scenario, diagnosis, args.db, process.env.PSW_RECORD_DIAGNOSES);
  return diagnosis;
}

/**
 * Keeps a diagnosis as unit-test evidence (PSW_RECORD_DIAGNOSES=dir): its stored runs as
 * `psw runs show --json` prints them, and the host facts the verdict read.
 */
async function record(lab: Lab, scenario: string, diagnosis: Diagnosis, db: string, into: string): Promise<void> {
  const runs = [];
  for (const r of diagnosis.runs) {
    const shown = await lab.psw('client', ['runs', 'show', String(r.runId), '--json', '--db', db]);
    const run = JSON.parse(String(shown.stdout)) as { kind: string; raw: unknown; data: unknown };
    // Per-packet data of the light probes is bulk the verdict never reads (it reads their summaries).
    if (run.kind === 'latency' || run.kind === 'twamp' || run.kind === 'rtt') Object.assign(run, { raw: null, data: null });
    runs.push({ role: r.role, family: r.family, run });
  }
  const sqlite = new Database(db, { readonly: true });
  const row = sqlite.prepare('SELECT report FROM diagnosis_host WHERE diagnosis_id = ?').get(diagnosis.id) as { report: string } | undefined;
  sqlite.close();
  const host = row ? (JSON.parse(row.report) as unknown) : null;
  mkdirSync(into, { recursive: true });
  const name = scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  writeFileSync(join(into, `${name}.json`), `${JSON.stringify({ scenario, target: diagnosis.target.host, via: diagnosis.via, targetBitsPerSecond: diagnosis.targetBitsPerSecond, verdict: diagnosis.verdict?.class ?? null, host, runs }, null, 1)}\n`);
}

/** Sets the TCP congestion control on the end hosts (a per-namespace sysctl); returns the undo. */
async function congestionControl(lab: Lab, algorithm: 'reno' | 'bbr'): Promise<() => Promise<void>> {
  const hosts = ['client', 'mid', 'server'] as const;
  const before = new Map<string, string>();
  for (const node of hosts) {
    before.set(node, String((await lab.exec(node, ['sysctl', '-n', 'net.ipv4.tcp_congestion_control'])).stdout).trim());
    await lab.exec(node, ['sysctl', '-w', `net.ipv4.tcp_congestion_control=${algorithm}`]);
  }
  return async () => {
    for (const node of hosts) await lab.exec(node, ['sysctl', '-w', `net.ipv4.tcp_congestion_control=${before.get(node)}`]);
  };
}

const explain = (d: Diagnosis) => JSON.stringify({ verdict: d.verdict?.class, headline: d.verdict?.headline, evidence: d.verdict?.evidence.map((e) => `${e.fired ? '+' : '-'} ${e.rule}: ${e.summary}`) }, null, 1);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'psw-verdicts-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/lab-verdicts.json', `${JSON.stringify(outcomes, null, 2)}\n`);
  console.log(outcomes.map((o) => `${o.scenario.padEnd(44)} ${String(o.verdict).padEnd(17)} ${(o.segment ?? '').padEnd(36)} ${o.wallSeconds.toFixed(1)} s`).join('\n'));
});

describeLab('diagnose: segmented path with a perfSONAR host on r2', () => {
  let lab: Lab;
  const db = () => join(dir, 'segmented.sqlite');

  beforeAll(async () => {
    lab = await Lab.up('segmented');
    // mid runs iperf3 too, as a perfSONAR host does: the diagnosis tests throughput per segment.
    for (const node of ['server', 'mid'] as const) await lab.startIperf3Server(node);
    // perfSONAR hosts answer OWAMP: the diagnosis measures loss each way with it.
    for (const node of ['server', 'mid'] as const) await lab.startResponder(node, ['responder', 'owamp', '--listen', lab.addr(node), '--port', '861'], { protocol: 'tcp', port: 861 });
  });
  afterAll(async () => {
    await lab?.down();
  });

  // Each fault's healthy twin is the same diagnosis on the same lab without the fault: here the
  // first test is the rate cap's twin, and "delay only" is the twin of the three delayed scenarios.
  it('healthy path (the rate cap\'s twin) → healthy', async () => {
    const d = await diagnose(lab, 'healthy (twin of the rate cap)', { via: true, rate: '1G', db: db() });
    expect(d.verdict?.class, explain(d)).toBe('healthy');
  });

  it('rate cap on r1→r2 → capacity-limited on this host → mid', async () => {
    const cap = await lab.fault.rate('r1', 'r2', { rateMbit: 100, bufferBytes: 150_000 });
    const d = await diagnose(lab, 'rate cap 100 Mbit/s on r1→r2', { via: true, rate: '1G', db: db() });
    await cap.remove();
    expect(d.verdict?.class, explain(d)).toBe('capacity-limited');
    expect(d.verdict?.side).toBe('network');
    expect(d.verdict?.ceilings.capacity).toBeGreaterThan(80e6);
    expect(d.verdict?.ceilings.capacity).toBeLessThan(110e6);
    // client → mid crosses r1→r2 too: mid measures the cap, so it sits before mid.
    expect(d.verdict?.segment, explain(d)).toEqual({ index: 0, from: 'this host', to: lab.addr('mid') });
  });

  it('rate cap on r2→server → capacity-limited on mid → server', async () => {
    // Its plain-iperf3 check reads ~90 Mbit/s on this link, at the edge of its ±10 %; the capacity asserted below shows the cap is in effect.
    const cap = await lab.fault.rate('r2', 'server', { rateMbit: 100, bufferBytes: 150_000 }, { verify: false });
    const d = await diagnose(lab, 'rate cap 100 Mbit/s on r2→server', { via: true, rate: '1G', db: db() });
    await cap.remove();
    expect(d.verdict?.class, explain(d)).toBe('capacity-limited');
    expect(d.verdict?.ceilings.capacity).toBeGreaterThan(80e6);
    expect(d.verdict?.ceilings.capacity).toBeLessThan(110e6);
    expect(d.verdict?.segment, explain(d)).toEqual({ index: 1, from: lab.addr('mid'), to: lab.addr('server') });
  });

  // Loss-based TCP here: Reno, the one the Mathis bound models (the lab's namespaces allow only
  // reno and bbr). The lab's default BBR rides over random loss; the BBR case below checks that.
  describe('with 10 ms of delay each way on r1—r2, Reno', () => {
    let restoreCc: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      await lab.fault.delay('r1', 'r2', 10);
      await lab.fault.delay('r2', 'r1', 10);
      restoreCc = await congestionControl(lab, 'reno');
    });
    afterAll(async () => {
      await restoreCc?.();
      await lab.fault.clear();
    });

    it('delay only (the twin of the three below) → healthy', async () => {
      const twin = await diagnose(lab, 'delay only (twin of loss and buffers)', { via: true, rate: '200M', db: db() });
      expect(twin.verdict?.class, explain(twin)).toBe('healthy');
    });

    it('random loss on the far link (r2→server) → loss-limited on mid → server', async () => {
      // The loss fault itself is verified in faults.test.ts; its 2000-ping check would add ~35 s here.
      const loss = await lab.fault.loss('r2', 'server', 3, { verify: false });
      const d = await diagnose(lab, 'loss 3 % on the far link', { via: true, rate: '200M', db: db() });
      await loss.remove();
      expect(d.verdict?.class, explain(d)).toBe('loss-limited');
      expect(d.verdict?.side).toBe('network');
      // OWAMP on the server and on mid says which way packets are lost.
      expect(d.runs.map((r) => r.role)).toContain('loss-owamp');
      expect(d.verdict?.evidence.find((e) => e.rule === 'packet-loss')?.summary, explain(d)).toMatch(/lost towards the far end/);
      expect(d.verdict?.segment).toEqual({ index: 1, from: lab.addr('mid'), to: lab.addr('server') });
    });

    it('random loss on the near link (client→r1) → loss-limited on this host → mid', async () => {
      const loss = await lab.fault.loss('client', 'r1', 3, { verify: false });
      const d = await diagnose(lab, 'loss 3 % on the near link', { via: true, rate: '200M', db: db() });
      await loss.remove();
      expect(d.verdict?.class, explain(d)).toBe('loss-limited');
      expect(d.verdict?.segment).toEqual({ index: 0, from: 'this host', to: lab.addr('mid') });
    });

    it('the far-link loss under BBR, which rides over it → healthy, with the loss as a warning', async () => {
      const bbr = await congestionControl(lab, 'bbr');
      const loss = await lab.fault.loss('r2', 'server', 3, { verify: false });
      const d = await diagnose(lab, 'loss 3 % on the far link, BBR', { via: true, rate: '200M', db: db() });
      await loss.remove();
      await bbr();
      expect(d.verdict?.class, explain(d)).toBe('healthy');
      expect(d.verdict?.evidence.find((e) => e.rule === 'packet-loss')?.fired, explain(d)).toBe(true);
      expect(d.verdict?.nextSteps.join(' ')).toMatch(/^Warning: \d+ of \d+ packets lost towards the far end/);
    });

    it('a client with small TCP buffers on a long path → host-limited, never the network', async () => {
      const small = await lab.fault.windowLimit('client', { rmemMax: 131_072, wmemMax: 131_072 });
      const d = await diagnose(lab, 'small client buffers, 20 ms RTT', { via: true, rate: '200M', db: db() });
      await small.remove();
      expect(d.verdict?.class, explain(d)).toBe('host-limited');
      expect(d.verdict?.side).toBe('local-host');
      expect(d.verdict?.alsoFound).not.toContain('loss-limited');
      expect(d.verdict?.alsoFound).not.toContain('capacity-limited');
    });

    it('a far server with small receive buffers → host-limited on the far host, never the network', async () => {
      // Only its receive side is small: the upload is limited by the window it advertises.
      const small = await lab.fault.windowLimit('server', { rmemMax: 131_072, wmemMax: 6_291_456 });
      const d = await diagnose(lab, 'small server receive buffers, 20 ms RTT', { via: true, rate: '200M', db: db() });
      await small.remove();
      expect(d.verdict?.class, explain(d)).toBe('host-limited');
      expect(d.verdict?.side).toBe('remote-host');
      expect(d.verdict?.direction).toBe('upload');
      expect(d.verdict?.alsoFound).not.toContain('capacity-limited');
    });
  });

  it('a path-MTU black hole on r1—r2 → mtu (twin with ICMP allowed: not mtu)', async () => {
    const hole = await lab.fault.mtu('r1', 'r2', 1400, { blackhole: true });
    const d = await diagnose(lab, 'PMTU black hole (1400 on r1—r2)', { rate: '1G', db: db() });
    await hole.remove();
    expect(d.verdict?.class, explain(d)).toBe('mtu');
    // Full-size packets stop on the link after hop 1 (r1).
    expect(d.verdict?.segment?.index, explain(d)).toBe(1);
    const lower = await lab.fault.mtu('r1', 'r2', 1400);
    const twin = await diagnose(lab, 'PMTU black hole — twin (ICMP allowed)', { rate: '1G', db: db() });
    await lower.remove();
    expect(twin.verdict?.class, explain(twin)).toBe('healthy');
  });
});

describeLab('diagnose: a route change between runs (asymmetric lab)', () => {
  let lab: Lab;
  const db = () => join(dir, 'routes.sqlite');

  beforeAll(async () => {
    lab = await Lab.up('asymmetric');
    await lab.startIperf3Server('server');
  });
  afterAll(async () => {
    await lab?.down();
  });

  it('the same route twice → healthy; after the forward path moves onto r3 → path-changed', async () => {
    // The route as it was: any earlier trace to the host is what a diagnosis compares against.
    const baseline = await lab.psw('client', ['run', 'trace', '--to', lab.addr('server'), '--db', db()], { reject: false });
    expect(baseline.exitCode, String(baseline.stderr)).toBe(0);
    const twin = await diagnose(lab, 'route — healthy twin (unchanged)', { rate: '1G', db: db() });
    expect(twin.verdict?.class, explain(twin)).toBe('healthy');
    const change = await lab.route.change({ at: 'r1', dest: 'server', via: 'r3' });
    const d = await diagnose(lab, 'route changed between runs', { rate: '1G', db: db() });
    await change.revert();
    expect(d.verdict?.class, explain(d)).toBe('path-changed');
    expect(d.verdict?.evidence.find((e) => e.rule === 'path-change')?.summary).toMatch(/hop/);
  });
});
