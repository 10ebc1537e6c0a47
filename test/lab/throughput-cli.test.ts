// The real `psw run throughput` across the lab, run inside the client's namespace: a rate-capped
// path measures near its cap, a lossy path shows retransmits — in the JSON and in the SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab } from './gate.ts';
import { Lab } from './lab.ts';
import { leftovers } from './leftovers.ts';

interface RunJson {
  id: number;
  status: string;
  family: string | null;
  throughput: { receivedBitsPerSecond: number; sentBitsPerSecond: number; sentBytes: number; retransmits: number | null; remoteAddress: string | null } | null;
}

describeLab('psw run throughput across the lab (segmented)', () => {
  let lab: Lab;
  let dir: string;
  let db: string;
  const pids: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psw-lab-'));
    db = join(dir, 'runs.sqlite');
    lab = await Lab.up('segmented');
    pids.push((await lab.startIperf3Server('server')).pid);
  });

  afterAll(async () => {
    await lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  async function psw(args: string[]): Promise<RunJson> {
    const result = await lab.psw('client', ['run', 'throughput', ...args, '--json', '--db', db], { reject: false, timeoutMs: 60_000 });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    return JSON.parse(String(result.stdout)) as RunJson;
  }

  it('measures a 40 Mbit/s cap on r1→r2 within 10 %', async () => {
    const cap = await lab.fault.rate('r1', 'r2', { rateMbit: 40, bufferBytes: 80_000 }, { verify: false });
    const run = await psw(['--to', lab.addr('server'), '-t', '3']);
    await cap.remove();
    expect(run.status).toBe('succeeded');
    expect(run.throughput?.remoteAddress).toBe(lab.addr('server'));
    expect(Math.abs((run.throughput?.receivedBitsPerSecond ?? 0) - 40e6)).toBeLessThan(4e6);

    const sqlite = new Database(db, { readonly: true });
    try {
      const row = sqlite.prepare('SELECT status, summary FROM runs WHERE id = ?').get(run.id) as { status: string; summary: string };
      expect(row.status).toBe('succeeded');
      expect(Math.abs(JSON.parse(row.summary).receivedBitsPerSecond - 40e6)).toBeLessThan(4e6);
      const intervals = sqlite.prepare('SELECT bits_per_second FROM throughput_samples WHERE run_id = ? AND stream = -1 ORDER BY seq').all(run.id) as { bits_per_second: number }[];
      expect(intervals.length).toBeGreaterThanOrEqual(3);
      // every full second runs at the cap (the first one includes slow start)
      for (const i of intervals.slice(1)) expect(i.bits_per_second).toBeLessThan(44e6);
    } finally {
      sqlite.close();
    }
  });

  it('shows retransmits on a path losing 1 % on r2→server (IPv6), far above a clean path', async () => {
    const segmentsOf = (run: RunJson) => (run.throughput?.sentBytes ?? 0) / 1448;
    const clean = await psw(['--to', lab.addr('server', 6), '-t', '2']);
    const loss = await lab.fault.loss('r2', 'server', 1, { verify: false });
    const run = await psw(['--to', lab.addr('server', 6), '-t', '2']);
    await loss.remove();
    expect(run.status).toBe('succeeded');
    expect(run.family).toBe('6');
    // at 1 % random loss about one segment in a hundred is sent again; a clean path (which still
    // retransmits a little at many Gbit/s on veth) stays far below that
    const lossyRatio = (run.throughput?.retransmits ?? 0) / segmentsOf(run);
    const cleanRatio = (clean.throughput?.retransmits ?? 0) / segmentsOf(clean);
    expect(lossyRatio).toBeGreaterThan(0.005);
    expect(lossyRatio).toBeGreaterThan(5 * cleanRatio);

    const sqlite = new Database(db, { readonly: true });
    try {
      const { total } = sqlite.prepare('SELECT sum(retransmits) AS total FROM throughput_samples WHERE run_id = ? AND stream = -1').get(run.id) as { total: number };
      expect(total).toBeGreaterThan(0);
      expect(total).toBe(run.throughput?.retransmits);
    } finally {
      sqlite.close();
    }
  });

  it('leaves nothing behind after down', async () => {
    const id = lab.id;
    const warden = lab.wardenPid;
    await lab.down();
    expect(warden).not.toBeNull();
    expect(leftovers(id, [...pids, warden ?? 0])).toEqual([]);
  });
});
