import { afterEach, describe, expect, it, vi } from 'vitest';
import { throughputMethod } from '../../electron/core/measure/iperf3/method.ts';
import { Workbench, type WorkbenchOptions } from '../../electron/core/workbench.ts';
import type { WorkbenchEvent } from '../../electron/shared/events.ts';
import { tempDir } from '../helpers/tmp.ts';

// Output and event validation is the safety net for drift between the core and the contract: a
// handler or a method that produces something the schema does not allow must fail loudly in tests.
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  dirs.splice(0).forEach((d) => d.remove());
});

function workbench(options: Partial<WorkbenchOptions> = {}) {
  const dir = tempDir();
  dirs.push(dir);
  return Workbench.open({ dbPath: dir.file('w.sqlite'), adapter: 'cli', tools: { searchPath: '' }, ...options });
}

const badList = () => [{ id: 'not a number', kind: 'throughput' }] as never;

describe('contract output validation', () => {
  it('a malformed handler output is an INTERNAL error naming the channel and the field', async () => {
    const wb = workbench({ validateOutputs: true });
    vi.spyOn(wb.store.runs, 'list').mockReturnValue(badList());
    const result = await wb.invoke('runs.list', {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INTERNAL');
      expect(result.error.message).toMatch(/^The output of runs\.list breaks the contract: 0\.id: /);
    }
    await wb.close();
  });

  it('is on when PSW_VALIDATE_OUTPUTS=1 (how the CLI, serve and the tests turn it on) and off otherwise', async () => {
    vi.stubEnv('PSW_VALIDATE_OUTPUTS', '1');
    const checked = workbench();
    vi.spyOn(checked.store.runs, 'list').mockReturnValue(badList());
    expect((await checked.invoke('runs.list', {})).ok).toBe(false);
    await checked.close();

    vi.stubEnv('PSW_VALIDATE_OUTPUTS', '');
    const unchecked = workbench();
    vi.spyOn(unchecked.store.runs, 'list').mockReturnValue(badList());
    expect((await unchecked.invoke('runs.list', {})).ok).toBe(true);
    await unchecked.close();
  });

  it('a malformed event is refused before any adapter sees it and fails the run with a clear error', async () => {
    const wb = workbench({ validateOutputs: true });
    const seen: WorkbenchEvent[] = [];
    wb.subscribe((event) => seen.push(event));
    vi.spyOn(throughputMethod, 'run').mockImplementation(async (ctx) => {
      ctx.onProgress({ elapsed: Number.NaN, fraction: 2, interval: null });
      return { status: 'succeeded', error: null, stdout: '', stderr: '', summary: null, writeSamples: () => {} };
    });
    const { runId } = await wb.call('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: 9 }, options: { duration: 1 } });
    const run = await wb.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('INTERNAL');
    expect(run.error?.message).toMatch(/^The run\.progress event breaks the contract: .*elapsed/);
    expect(run.error?.message).toMatch(/fraction/);
    expect(seen.map((e) => e.type)).toEqual(['run.queued', 'run.finished']);
    await wb.close();
  });
});
