import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { endLeftoverTool } from '../../electron/core/jobs/orphans.ts';

describe.runIf(process.platform === 'linux')('ending a tool a killed workbench left running', () => {
  it('kills the process only when its argv is the recorded command (a reused pid is a stranger)', async () => {
    const child = execa('sleep', ['30'], { reject: false });
    const pid = child.pid ?? 0;
    expect(endLeftoverTool(pid, ['sleep', '31'])).toBe(false);
    expect(endLeftoverTool(pid, ['sleep'])).toBe(false);
    expect(endLeftoverTool(pid, ['sleep', '30'])).toBe(true);
    expect((await child).signal).toBe('SIGKILL');
    expect(endLeftoverTool(pid, ['sleep', '30'])).toBe(false); // gone now
    expect(endLeftoverTool(process.pid, ['node'])).toBe(false);
    expect(endLeftoverTool(1, ['/sbin/init'])).toBe(false);
  });
});
