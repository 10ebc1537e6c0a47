import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { Workbench } from '../../electron/core/workbench.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import { startIperf3Server } from '../helpers/iperf3-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('a busy iperf3 server', () => {
  it('is retried with backoff until it is free, and the user is told', async () => {
    const server = await startIperf3Server();
    const wb = Workbench.open({ dbPath: dir.file('busy.sqlite'), adapter: 'cli', busyRetryBaseMs: 500 });
    const events: WorkbenchEvent[] = [];
    wb.subscribe((e) => events.push(e));
    const other = execa('iperf3', ['-c', '127.0.0.1', '-p', String(server.port), '-t', '2'], { reject: false });
    await new Promise((r) => setTimeout(r, 500));
    try {
      const started = await wb.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: server.port }, options: { duration: 1, busyRetries: 5 } });
      const run = await wb.waitForRun(started.runId);
      expect(run.status).toBe('succeeded');
      const notes = events.filter((e) => e.type === 'run.progress' && e.note).map((e) => (e.type === 'run.progress' ? e.note : ''));
      expect(notes.length).toBeGreaterThanOrEqual(1);
      expect(notes[0]).toMatch(/server busy; retrying in \d+\.\d s \(attempt 2 of 6\)/);
    } finally {
      await other;
      await wb.close();
      await server.stop();
    }
  });

  it('gives up after the allowed attempts with SERVER_BUSY and how often it tried', async () => {
    const server = await startIperf3Server();
    const wb = Workbench.open({ dbPath: dir.file('busy2.sqlite'), adapter: 'cli', busyRetryBaseMs: 100 });
    const other = execa('iperf3', ['-c', '127.0.0.1', '-p', String(server.port), '-t', '4'], { reject: false });
    await new Promise((r) => setTimeout(r, 500));
    try {
      const started = await wb.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: server.port }, options: { duration: 1, busyRetries: 2 } });
      const run = await wb.waitForRun(started.runId);
      expect(run.status).toBe('failed');
      expect(run.error?.code).toBe('SERVER_BUSY');
      expect(run.error?.message).toMatch(/Tried 3 times/);
    } finally {
      await other;
      await wb.close();
      await server.stop();
    }
  });
});
