import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../electron/shared/diagnosis.ts';
import { freePort, startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { processesMatching, psw, PSW_BIN } from '../helpers/psw.ts';
import { startResponder, type Responder } from '../helpers/responder.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const db = dir.file('diagnose.sqlite');
let server: Iperf3Server;
let owamp: Responder;

beforeAll(async () => {
  server = await startIperf3Server();
  owamp = await startResponder('owamp');
});
afterAll(async () => {
  await server.stop();
  await owamp.stop();
  dir.remove();
});

describe('psw diagnose on loopback', () => {
  let first: Diagnosis;

  it('measures both directions, audits the host and gives a healthy verdict with evidence', async () => {
    const result = await psw(['diagnose', '--to', `127.0.0.1:${server.port}`, '--owamp-port', String(owamp.port), '--depth', 'quick', '--json', '--db', db], { timeoutMs: 90_000 });
    expect(result.exitCode).toBe(0);
    first = JSON.parse(result.stdout) as Diagnosis;
    expect(first.status).toBe('finished');
    expect(first.owampPort).toBe(owamp.port);
    // OWAMP answered, so the echo-request fallback did not run.
    expect(first.runs.map((r) => r.role)).toEqual(['trace', 'mtu', 'loss-owamp', 'throughput-upload', 'throughput-download']);
    expect(first.verdict?.evidence.find((e) => e.rule === 'packet-loss')?.summary).toMatch(/0\/300 to, 0\/300 from/);
    expect(first.runs.every((r) => r.family === '4')).toBe(true);
    expect(first.verdict?.class).toBe('healthy');
    expect(first.verdict?.evidence.find((e) => e.rule === 'throughput-meets-target')?.fired).toBe(true);
    expect(first.verdict?.measuredBitsPerSecond).toBeGreaterThan(1e9);
    const conn = new Database(db, { readonly: true });
    const host = conn.prepare('SELECT report FROM diagnosis_host WHERE diagnosis_id = ?').get(first.id) as { report: string };
    conn.close();
    expect(JSON.parse(host.report).findings.length).toBeGreaterThan(0);
  });

  it('re-derives the same verdict from the stored runs without measuring', async () => {
    const before = (await psw(['runs', 'list', '--json', '--db', db])).stdout;
    const result = await psw(['diagnose', 'rederive', String(first.id), '--json', '--db', db]);
    expect(result.exitCode).toBe(0);
    const again = JSON.parse(result.stdout) as Diagnosis;
    expect(again.verdict?.class).toBe(first.verdict?.class);
    expect(again.verdict?.headline).toBe(first.verdict?.headline);
    expect((await psw(['runs', 'list', '--json', '--db', db])).stdout).toBe(before);
  });

  it('with a target that refuses, says inconclusive and keeps the failed runs', async () => {
    const port = await freePort();
    const result = await psw(['diagnose', '--to', `127.0.0.1:${port}`, '--owamp-port', String(port), '--depth', 'quick', '--json', '--db', db], { timeoutMs: 60_000 });
    const d = JSON.parse(result.stdout) as Diagnosis;
    expect(d.verdict?.class).toBe('inconclusive');
    // No OWAMP answer: the echo requests stand in for it.
    expect(d.runs.map((r) => r.role)).toEqual(['trace', 'mtu', 'loss-owamp', 'loss-rtt', 'throughput-upload', 'throughput-download']);
    expect(d.verdict?.evidence.find((e) => e.rule === 'packet-loss')?.summary).toMatch(/\d+\/300 round-trip/);
    expect(d.runs.filter((r) => r.role.startsWith('throughput'))).toHaveLength(2);
    expect(d.verdict?.nextSteps.join(' ')).toMatch(/iperf3 server/);
  });

  it('lists and shows diagnoses; refuses hostile input', async () => {
    const list = await psw(['diagnose', 'list', '--db', db]);
    expect(list.stdout).toMatch(/healthy/);
    const show = await psw(['diagnose', 'show', String(first.id), '--db', db]);
    expect(show.stdout).toMatch(/HEALTHY/);
    expect(show.stdout).toMatch(/next steps/);
    expect((await psw(['diagnose', '--to=-ofoo', '--db', db])).exitCode).toBe(2);
    expect((await psw(['diagnose', '--to', '127.0.0.1', '--via=--x', '--db', db])).exitCode).toBe(2);
    expect((await psw(['diagnose', '--to', '127.0.0.1', '--depth', 'forever', '--db', db])).exitCode).toBe(2);
    expect((await psw(['diagnose', '--to', '127.0.0.1', '--owamp-port', '0', '--db', db])).exitCode).toBe(2);
    expect((await psw(['diagnose', '--to', '127.0.0.1', '--owamp-port', '861x', '--db', db])).exitCode).toBe(2);
  });

  it('Ctrl-C cancels the diagnosis and its run, leaving no iperf3 behind', async () => {
    const child = execa(process.execPath, [PSW_BIN, 'diagnose', '--to', `127.0.0.1:${server.port}`, '--depth', 'thorough', '--db', db], { reject: false });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 8000);
      child.stderr?.on('data', (c: Buffer) => {
        if (/\[1\/\d+\]/.test(c.toString())) {
          clearTimeout(timer);
          setTimeout(resolve, 1500);
        }
      });
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(await processesMatching(`--port ${server.port}`)).toEqual([]);
    const conn = new Database(db, { readonly: true });
    const last = conn.prepare('SELECT status FROM diagnoses ORDER BY id DESC LIMIT 1').get() as { status: string };
    conn.close();
    expect(last.status).toBe('cancelled');
  });
});
