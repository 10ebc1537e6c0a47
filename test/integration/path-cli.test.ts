import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { Workbench } from '../../electron/core/workbench.ts';
import type { RunDetail } from '../../electron/shared/runs.ts';
import { PSW_BIN, psw } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const db = dir.file('path.sqlite');
afterAll(() => dir.remove());

describe('path methods through psw run and the contract (loopback)', () => {
  it('trace: hops stream live, are stored per hop with the route fingerprint', async () => {
    const result = await psw(['run', 'trace', '--to', '127.0.0.1', '--queries', '2', '--json', '--db', db]);
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.kind).toBe('trace');
    expect(run.trace?.reached).toBe(true);
    expect(run.pathFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(run.data?.kind === 'trace' && run.data.hops[0]?.responders[0]?.address).toBe('127.0.0.1');
    expect(run.raw?.stdout).toMatch(/^traceroute to 127\.0\.0\.1/);
  });

  it('rtt and mtu over IPv6 and IPv4', async () => {
    const rtt = JSON.parse((await psw(['run', 'rtt', '--to', '::1', '--count', '4', '--interval', '0.2', '--json', '--db', db])).stdout) as RunDetail;
    expect(rtt.rtt).toMatchObject({ sent: 4, received: 4, family: '6' });
    expect(rtt.data?.kind === 'rtt' && rtt.data.replies).toHaveLength(4);
    const mtu = JSON.parse((await psw(['run', 'mtu', '--to', '127.0.0.1', '--max-mtu', '3000', '--json', '--db', db])).stdout) as RunDetail;
    expect(mtu.status).toBe('succeeded');
    expect(mtu.mtu?.pingMtu).toBe(3000);
    expect(mtu.mtu?.pingMtuIsLowerBound).toBe(true);
  });

  it('paths.history sees one path across repeated traces; hostile targets are refused', async () => {
    await psw(['run', 'trace', '--to', '127.0.0.1', '--queries', '1', '--db', db]);
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    try {
      const history = await wb.call('paths.history', { host: '127.0.0.1' });
      expect(history.runs.length).toBe(2); // the two traceroutes; the mtu run's tracepath is not a route record
      expect(history.family).toBe('4');
      expect(history.history.distinctPaths).toBe(1);
      expect(history.history.changes).toEqual([]);
    } finally {
      await wb.close();
    }
    expect((await psw(['run', 'trace', '--to=--max-hops=1', '--db', db])).exitCode).toBe(2);
    expect((await psw(['run', 'trace', '--to', '127.0.0.1', '--method', 'raw', '--db', db])).exitCode).toBe(2);
    expect((await psw(['run', 'rtt', '--to', '127.0.0.1', '--count', '-5', '--db', db])).exitCode).toBe(2);
  });

  it('a reader that goes away (psw run rtt | head -1) cancels the run cleanly instead of crashing', async () => {
    const child = execa(process.execPath, [PSW_BIN, 'run', 'rtt', '--to', '127.0.0.1', '--count', '200', '--interval', '0.05', '--db', db], { reject: false, stdin: 'ignore', timeout: 30_000 });
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.stdout?.destroy();
    const started = Date.now();
    const result = await child;
    expect(Date.now() - started).toBeLessThan(8000); // 200 pings at 0.05 s would take 10 s
    expect(String(result.stderr)).not.toMatch(/EPIPE|Unhandled/);
    const last = JSON.parse((await psw(['runs', 'list', '--kind', 'rtt', '--limit', '1', '--json', '--db', db])).stdout) as Array<{ status: string }>;
    expect(last[0]?.status).toBe('cancelled');
  });
});
