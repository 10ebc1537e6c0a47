// OWAMP and TWAMP across routed namespaces: loss injected in one direction must show in that
// direction only, at a rate a binomial test accepts; delay added one way must show one way
// (the namespaces share one clock, so one-way delays here are real).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionSummary } from '../../electron/shared/latency.ts';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';

const PACKETS = 1000;
const LOSS = 0.05;

/** The k a binomial(n, p) count falls outside with probability below about 1e-4 (normal approximation, ±4σ). */
function acceptance(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [Math.max(0, Math.floor(n * p - 4 * sd)), Math.ceil(n * p + 4 * sd)];
}

describeLab('OWAMP/TWAMP through the lab routers', () => {
  let lab: Lab;
  let dir: string;
  const db = () => join(dir, 'oneway.sqlite');
  const session = (run: RunDetail, direction: SessionSummary['direction']) => run.oneway?.sessions.find((s) => s.direction === direction);

  async function measure(kind: 'latency' | 'twamp', port: number, extra: string[] = []): Promise<RunDetail> {
    const result = await lab.psw('client', ['run', kind, '--to', `${lab.addr('server')}:${port}`, '--count', String(PACKETS), '--interval', '0.005', '--timeout', '2', ...extra, '--json', '--db', db()], { timeoutMs: 90_000, reject: false });
    const run = JSON.parse(String(result.stdout)) as RunDetail;
    expect(run.status, String(result.stderr)).toBe('succeeded');
    return run;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psw-lab-oneway-'));
    lab = await Lab.up('segmented');
    await lab.startResponder('server', ['responder', 'owamp', '--listen', lab.addr('server'), '--port', '861', '--clock-sync'], { protocol: 'tcp', port: 861 });
    await lab.startResponder('server', ['responder', 'twamp', '--listen', lab.addr('server'), '--port', '862'], { protocol: 'tcp', port: 862 });
  });
  afterAll(async () => {
    await lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${LOSS * 100} % loss on r1→r2 shows towards the server only, within its binomial range`, async () => {
    const loss = await lab.fault.loss('r1', 'r2', LOSS * 100);
    const run = await measure('latency', 861);
    const twamp = await measure('twamp', 862);
    await loss.remove();
    const [low, high] = acceptance(PACKETS, LOSS);
    const to = session(run, 'to')!;
    const from = session(run, 'from')!;
    expect(to.sent).toBe(PACKETS);
    expect(to.lost).toBeGreaterThanOrEqual(low);
    expect(to.lost).toBeLessThanOrEqual(high);
    // The reported 95 % interval should contain the injected rate (it may miss 1 time in 20 by design;
    // the assertion above is the strict one, this one checks the bounds are computed around it).
    expect(to.lossLower!).toBeLessThan(LOSS * 1.6);
    expect(to.lossUpper!).toBeGreaterThan(LOSS / 1.6);
    expect(from.lost).toBeLessThanOrEqual(3);
    expect(from.lossText).toMatch(/of 1000 lost/);
    // Round trip crosses r1→r2 once: the same loss, now without a direction.
    const rt = session(twamp, 'round-trip')!;
    expect(rt.lost).toBeGreaterThanOrEqual(low);
    expect(rt.lost).toBeLessThanOrEqual(high + 3);
  });

  it('20 ms added on r2→server shows in the one-way delay towards the server, not back', async () => {
    const delay = await lab.fault.delay('r2', 'server', 20);
    const run = await measure('latency', 861, ['--clock-sync']);
    await delay.remove();
    const to = session(run, 'to')!;
    const from = session(run, 'from')!;
    expect(to.minMs!).toBeGreaterThanOrEqual(19.5);
    expect(to.minMs!).toBeLessThan(30);
    expect(from.minMs!).toBeLessThan(5);
    // Both ends claim a synchronised clock (they share one), so the delays are absolute.
    expect(to.synchronized).toBe(true);
    expect(to.clockText).toMatch(/err=/);
  });
});
