import Database from 'better-sqlite3';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { freePort, startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { processesMatching, psw, PSW_BIN } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let server: Iperf3Server;
let jsonServer: Iperf3Server;

beforeAll(async () => {
  server = await startIperf3Server();
  jsonServer = await startIperf3Server({ json: true });
});
afterAll(async () => {
  await server.stop();
  await jsonServer.stop();
  dir.remove();
});

function rows<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

describe('psw run throughput against a real iperf3 server on loopback', () => {
  const db = dir.file('cli.sqlite');

  it('stores the run, its intervals and the raw JSON verbatim', async () => {
    const result = await psw(['run', 'throughput', '--to', `127.0.0.1:${server.port}`, '-t', '2', '--json', '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('succeeded');
    expect(run.throughput?.sentBitsPerSecond).toBeGreaterThan(1e8);
    expect(run.toolVersion).toMatch(/^3\./);

    const [stored] = rows<{ status: string; tool: string; kind: string }>(db, 'SELECT status, tool, kind FROM runs WHERE id = ?', run.id);
    expect(stored).toEqual({ status: 'succeeded', tool: 'iperf3', kind: 'throughput' });
    const samples = rows<{ stream: number; rtt_us: number | null; bits_per_second: number }>(db, 'SELECT stream, rtt_us, bits_per_second FROM throughput_samples WHERE run_id = ? ORDER BY seq', run.id);
    expect(samples.filter((s) => s.stream === -1)).toHaveLength(2);
    expect(samples.every((s) => s.rtt_us !== null && s.bits_per_second > 0)).toBe(true);
    const [raw] = rows<{ stdout: string }>(db, 'SELECT stdout FROM run_output WHERE run_id = ?', run.id);
    const iperf = JSON.parse(raw?.stdout ?? '') as { start: { version: string; connecting_to: { port: number } } };
    expect(iperf.start.connecting_to.port).toBe(server.port);
    expect(raw?.stdout).toBe(run.raw?.stdout);
  });

  it('reverse mode keeps the sender TCP stats from --get-server-output (JSON server)', async () => {
    const result = await psw(['run', 'throughput', '--to', `127.0.0.1:${jsonServer.port}`, '-t', '2', '-R', '--json', '--db', db]);
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.throughput?.reverse).toBe(true);
    const sums = run.data?.kind === 'throughput' ? run.data.intervals.filter((i) => i.stream === -1) : [];
    expect(sums[0]?.rtt).toBeGreaterThan(0);
    expect(sums[0]?.retransmits).not.toBeNull();
  });

  it('UDP with a bitrate stores loss and jitter', async () => {
    const result = await psw(['run', 'throughput', '--to', `127.0.0.1:${server.port}`, '-t', '2', '-u', '-b', '20M', '--json', '--db', db]);
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.throughput?.protocol).toBe('udp');
    expect(run.throughput?.sentBitsPerSecond).toBeGreaterThan(15e6);
    expect(run.throughput?.sentBitsPerSecond).toBeLessThan(25e6);
    expect(run.throughput?.lostPercent).not.toBeNull();
  });

  it('shows live intervals on a terminal while the test runs, then the stored run', async () => {
    const result = await psw(['run', 'throughput', '--to', `127.0.0.1:${server.port}`, '-t', '3', '--db', db]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/bit\/s/);
    expect(result.stdout).toMatch(/succeeded/);
    expect(result.stdout.split('\n').filter((l) => /^\s+\d+\.\d\d-/.test(l)).length).toBeGreaterThanOrEqual(3);
  });

  it('a refusing port ends as a failed run with a readable error, raw output kept', async () => {
    const port = await freePort();
    const result = await psw(['run', 'throughput', '--to', `127.0.0.1:${port}`, '-t', '2', '--json', '--db', db]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/refused/i);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('CONNECTION_REFUSED');
    expect(run.raw?.stdout).toMatch(/Connection refused/);
  });

  it('an unknown host name fails as HOST_UNKNOWN without running iperf3', async () => {
    const result = await psw(['run', 'throughput', '--to', 'no-such-host.invalid', '-t', '1', '--json', '--db', db]);
    expect(result.exitCode).toBe(1);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.error?.code).toBe('HOST_UNKNOWN');
    expect(run.command).toBeNull();
  });

  it('a busy server is reported as SERVER_BUSY', async () => {
    const busy = await startIperf3Server();
    const other = execa('iperf3', ['-c', '127.0.0.1', '-p', String(busy.port), '-t', '4'], { reject: false });
    await new Promise((r) => setTimeout(r, 700));
    const result = await psw(['run', 'throughput', '--to', `127.0.0.1:${busy.port}`, '-t', '1', '--busy-retries', '0', '--json', '--db', db]);
    await other;
    await busy.stop();
    expect(result.exitCode).toBe(1);
    expect((JSON.parse(result.stdout) as RunDetail).error?.code).toBe('SERVER_BUSY');
  });

  it('runs list and runs show read the same file', async () => {
    const list = await psw(['runs', 'list', '--json', '--db', db]);
    expect(list.exitCode).toBe(0);
    const runs = JSON.parse(list.stdout) as RunDetail[];
    expect(runs.length).toBeGreaterThanOrEqual(6);
    const show = await psw(['runs', 'show', String(runs.at(-1)?.id), '--db', db]);
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toMatch(/succeeded/);
    const missing = await psw(['runs', 'show', '999999', '--db', db]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no run 999999/);
  });

  it('refuses hostile targets before any process starts and leaves the database untouched', async () => {
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');
    const logfile = dir.file('iperf3-logfile');
    for (const target of ['-ofoo', `--logfile=${logfile}`, 'a b', '', 'x'.repeat(300), '127.0.0.1;id']) {
      const result = await psw(['run', 'throughput', `--to=${target}`, '--db', db]);
      expect(result.exitCode, target).toBe(2);
      expect(result.stderr, target).toMatch(/psw: /);
    }
    const fresh = dir.file('never-created.sqlite');
    expect((await psw(['run', 'throughput', '--to=-ofoo', '--db', fresh])).exitCode).toBe(2);
    expect(existsSync(fresh)).toBe(false);
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
    expect(existsSync(logfile)).toBe(false);
  });

  it('Ctrl-C stops iperf3, stores the run as cancelled and leaves no child behind', async () => {
    const child = execa(process.execPath, [PSW_BIN, 'run', 'throughput', '--to', `127.0.0.1:${server.port}`, '-t', '30', '--db', db], { reject: false });
    let sawInterval = false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 8000);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (/bit\/s/.test(chunk.toString())) {
          sawInterval = true;
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(sawInterval).toBe(true);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(await processesMatching(`--port ${server.port}`)).toEqual([]);
    const [last] = rows<{ status: string; error_code: string }>(db, 'SELECT status, error_code FROM runs ORDER BY id DESC LIMIT 1');
    expect(last).toEqual({ status: 'cancelled', error_code: 'CANCELLED' });
  });
});
