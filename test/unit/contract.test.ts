import { afterEach, describe, expect, it } from 'vitest';
import { Workbench } from '../../electron/core/workbench.ts';
import { CHANNELS } from '../../electron/shared/channels.ts';
import { contract } from '../../electron/shared/contract.ts';
import { tempDir } from '../helpers/tmp.ts';

const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function workbench() {
  const dir = tempDir();
  dirs.push(dir);
  return Workbench.open({ dbPath: dir.file('w.sqlite'), adapter: 'cli', validateOutputs: true, tools: { searchPath: '' } });
}

describe('contract', () => {
  it('has a schema for exactly the channels the preload exposes', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort());
  });

  it.each([
    ['-ofoo'],
    ['--logfile=/tmp/x'],
    ['a b'],
    [''],
    ['x'.repeat(300)],
  ])('runs.start refuses host %j before anything is stored', async (host) => {
    const wb = workbench();
    const result = await wb.invoke('runs.start', { kind: 'throughput', target: { host } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
    expect((wb.store.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(0);
    expect((wb.store.db.prepare('SELECT count(*) AS n FROM targets').get() as { n: number }).n).toBe(0);
    await wb.close();
  });

  it('rejects unknown channels, unknown keys and wrong types with readable messages', async () => {
    const wb = workbench();
    const unknown = await wb.invoke('runs.drop' as never, {});
    expect(unknown).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel.' } });
    const extra = await wb.invoke('runs.list', { limit: 5, sql: 'DROP TABLE runs' });
    expect(extra.ok).toBe(false);
    const wrong = await wb.invoke('runs.get', { runId: '1 OR 1=1' });
    expect(!wrong.ok && wrong.error.message).toMatch(/runId/);
    const proto = await wb.invoke('runs.start', JSON.parse('{"kind":"throughput","target":{"host":"h.example"},"__proto__":{"x":1}}'));
    expect(proto.ok).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    await wb.close();
  });

  it('a missing tool ends as a stored failed run with TOOL_MISSING', async () => {
    const wb = workbench();
    const started = await wb.invoke('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: 9 }, options: { duration: 1 } });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const run = await wb.waitForRun(started.value.runId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('TOOL_MISSING');
    const detail = await wb.invoke('runs.get', { runId: started.value.runId });
    expect(detail.ok && detail.value.raw).toEqual({ stdout: '', stderr: '' });
    await wb.close();
  });

  it('unknown run ids are NOT_FOUND', async () => {
    const wb = workbench();
    const result = await wb.invoke('runs.get', { runId: 12345 });
    expect(!result.ok && result.error.code).toBe('NOT_FOUND');
    await wb.close();
  });
});
