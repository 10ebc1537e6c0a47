import { chmodSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Workbench } from '../../electron/core/workbench.ts';
import type { ToolInfo } from '../../electron/shared/tools.ts';
import { psw } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A tool path set in the settings is what every adapter resolves: here the real psw command. */

const dir = tempDir('psw-tool-paths-cli-');
const db = dir.file('tools.sqlite');
afterAll(() => dir.remove());

describe('configured tool paths', () => {
  it('are refused unless executable files, stored, and used by psw tools (source "configured")', async () => {
    const mine = dir.file('my-iperf3');
    writeFileSync(mine, '#!/bin/sh\necho "iperf 3.99.1 (cJSON 1.7.15)"\n');
    chmodSync(mine, 0o755);
    const plain = dir.file('plain');
    writeFileSync(plain, 'text');
    const wb = Workbench.open({ dbPath: db, adapter: 'cli', validateOutputs: true });
    try {
      for (const bad of [plain, dir.path, dir.file('missing'), 'iperf3']) {
        const refused = await wb.invoke('settings.update', { toolPaths: { iperf3: bad } });
        expect(refused.ok ? null : refused.error.code, bad).toBe('INVALID_INPUT');
      }
      expect((await wb.call('settings.get', {})).toolPaths).toBeUndefined();
      expect((await wb.call('settings.update', { toolPaths: { iperf3: mine } })).toolPaths).toEqual({ iperf3: mine });
    } finally {
      await wb.close();
    }
    const result = await psw(['tools', '--json', '--db', db]);
    expect(result.exitCode).toBe(0);
    const iperf3 = (JSON.parse(result.stdout) as ToolInfo[]).find((t) => t.name === 'iperf3');
    expect(iperf3).toMatchObject({ path: mine, source: 'configured', version: '3.99.1', problem: null });
  });

  it('psw tools --set NAME=PATH and --unset NAME change them from the command line, checked the same way', async () => {
    const cli = dir.file('cli.sqlite');
    const mine = dir.file('cli-iperf3');
    writeFileSync(mine, '#!/bin/sh\necho "iperf 3.98.0 (cJSON 1.7.15)"\n');
    chmodSync(mine, 0o755);
    const iperf3 = (stdout: string) => (JSON.parse(stdout) as ToolInfo[]).find((t) => t.name === 'iperf3');
    const set = await psw(['tools', '--set', `iperf3=${mine}`, '--json', '--db', cli]);
    expect(set.exitCode).toBe(0);
    expect(iperf3(set.stdout)).toMatchObject({ path: mine, source: 'configured', version: '3.98.0' });
    for (const bad of ['iperf3=relative/iperf3', `iperf3=${dir.path}`, `netcat=${mine}`, `__proto__=${mine}`, mine]) {
      const refused = await psw(['tools', '--set', bad, '--db', cli]);
      expect(refused.exitCode, bad).toBe(2);
    }
    expect(iperf3((await psw(['tools', '--json', '--db', cli])).stdout)?.path).toBe(mine);
    const unset = await psw(['tools', '--unset', 'iperf3', '--json', '--db', cli]);
    expect(iperf3(unset.stdout)?.source).not.toBe('configured');
  });
});
