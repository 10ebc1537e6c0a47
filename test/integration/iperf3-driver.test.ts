import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Workbench } from '../../electron/core/workbench.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import { startIperf3Server, type Iperf3Server } from '../helpers/iperf3-server.ts';
import { processesMatching } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let server: Iperf3Server;
beforeAll(async () => {
  server = await startIperf3Server();
});
afterAll(async () => {
  await server.stop();
  dir.remove();
});

/** A stand-in `iperf3` in its own directory: reports version 3.12, then behaves as `body` says. */
function fakeIperf3(name: string, body: string): string {
  const bin = dir.file(name);
  mkdirSync(bin, { recursive: true });
  const path = `${bin}/iperf3`;
  writeFileSync(
    path,
    `#!${process.execPath}
if (process.argv.includes('--version')) {
  console.log('iperf 3.12 (cJSON 1.7.15)');
  process.exit(0);
}
${body}
`,
  );
  chmodSync(path, 0o755);
  return bin;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('iperf3 driver', () => {
  it('unparseable output is stored as a failed run with UNPARSEABLE_OUTPUT and the raw output kept', async () => {
    const garbage = '{"start": {"version": "iperf 3.12" <- not JSON after all\n\u001b[31mSegmentation\u0000fault?\n';
    const bin = fakeIperf3('garbage', `process.stdout.write(${JSON.stringify(garbage)}); process.stderr.write('warning: odd\\n');`);
    const wb = Workbench.open({ dbPath: dir.file('garbage.sqlite'), adapter: 'cli', tools: { searchPath: bin } });
    const { runId } = await wb.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: server.port }, options: { duration: 1 } });
    const run = await wb.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('UNPARSEABLE_OUTPUT');
    expect(run.toolVersion).toBe('3.12');
    const detail = await wb.call('runs.get', { runId });
    expect(detail.raw).toEqual({ stdout: garbage, stderr: 'warning: odd\n' });
    await wb.close();
  });

  it('cancel sends SIGTERM, then kills an iperf3 that ignores it, and leaves no process behind', async () => {
    const ready = dir.file('stubborn.pid');
    const log = dir.file('stubborn.log');
    const bin = fakeIperf3(
      'stubborn',
      `const fs = require('node:fs');
process.on('SIGTERM', () => fs.appendFileSync(${JSON.stringify(log)}, 'SIGTERM\\n'));
fs.writeFileSync(${JSON.stringify(ready)}, String(process.pid));
setInterval(() => {}, 1000);`,
    );
    const wb = Workbench.open({ dbPath: dir.file('stubborn.sqlite'), adapter: 'cli', tools: { searchPath: bin } });
    const { runId } = await wb.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: server.port }, options: { duration: 30 } });
    await vi.waitFor(() => expect(existsSync(ready)).toBe(true), { timeout: 10_000 });
    const pid = Number(readFileSync(ready, 'utf8'));
    expect(await wb.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    const run = await wb.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    expect(readFileSync(log, 'utf8')).toBe('SIGTERM\n');
    expect(isAlive(pid)).toBe(false);
    expect(await processesMatching(`${bin}/iperf3`)).toEqual([]);
    await wb.close();
  });

  it('a UDP run on iperf3 without --json-stream still streams live intervals (from /proc/PID/io)', async () => {
    const wb = Workbench.open({ dbPath: dir.file('udp.sqlite'), adapter: 'cli' });
    const iperf3 = await wb.tools.describe('iperf3');
    expect(iperf3.capabilities).not.toContain('json-stream');
    const events: WorkbenchEvent[] = [];
    wb.subscribe((event) => events.push(event));
    const { runId } = await wb.call('runs.start', {
      kind: 'throughput',
      target: { host: '127.0.0.1', port: server.port },
      options: { protocol: 'udp', bitrate: 20_000_000, duration: 3 },
    });
    const run = await wb.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    const finishedAt = events.findIndex((e) => e.type === 'run.finished');
    const live = events.slice(0, finishedAt).flatMap((e) => (e.type === 'run.progress' && e.interval ? [e.interval] : []));
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(live.every((i) => i.provisional)).toBe(true);
    expect(live.some((i) => i.bytes > 0 && i.bitsPerSecond > 0)).toBe(true);
    await wb.close();
  });
});
