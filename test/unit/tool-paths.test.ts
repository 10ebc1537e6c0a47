import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolResolver, toolPathProblem } from '../../electron/core/measure/tools.ts';
import { SettingsPatch, ToolPath } from '../../electron/shared/settings.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('psw-tool-paths-');
afterAll(() => dir.remove());

function executable(path: string, version: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho "iperf ${version} (cJSON 1.7.15)"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('tool path settings', () => {
  it('accepts absolute POSIX and Windows paths only, without control characters', () => {
    for (const ok of ['/usr/local/bin/iperf3', 'C:\\Tools\\iperf3.exe', 'D:/iperf3.exe', '\\\\server\\share\\iperf3.exe']) expect(ToolPath.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['iperf3', './iperf3', '../bin/iperf3', '~/iperf3', '/usr/bin/iperf3\n--help', '/usr/bin/ip\u0000erf3', '/usr/bin/\u009biperf3', '', `/${'a'.repeat(5000)}`]) {
      expect(ToolPath.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(SettingsPatch.safeParse({ toolPaths: { iperf3: '/usr/bin/iperf3' } }).success).toBe(true);
    expect(SettingsPatch.safeParse({ toolPaths: { netcat: '/usr/bin/nc' } }).success).toBe(false);
  });

  it('a configured path must be an existing, executable regular file', async () => {
    const exe = executable(join(dir.path, 'ok', 'iperf3'), '3.16');
    const plain = join(dir.path, 'plain');
    writeFileSync(plain, 'not a program');
    expect(await toolPathProblem(exe)).toBeNull();
    expect(await toolPathProblem(join(dir.path, 'missing'))).toMatch(/does not exist/);
    expect(await toolPathProblem(dir.path)).toMatch(/not a regular file/);
    expect(await toolPathProblem(plain)).toMatch(/not executable/);
  });
});

describe('ToolResolver order: configured → bundled → PATH', () => {
  const bundled = join(dir.path, 'bundled');
  const onPath = join(dir.path, 'path');
  const configured = executable(join(dir.path, 'mine', 'iperf3'), '3.19');
  executable(join(bundled, 'iperf3'), '3.17');
  executable(join(onPath, 'iperf3'), '3.12');

  it('the configured path wins over the bundled tool, which wins over PATH', async () => {
    const all = new ToolResolver({ configured: { iperf3: configured }, bundledDir: bundled, searchPath: onPath });
    expect(await all.describe('iperf3')).toMatchObject({ source: 'configured', path: configured, version: '3.19', problem: null });
    expect((await all.require('iperf3')).env).toEqual({});
    expect(await new ToolResolver({ bundledDir: bundled, searchPath: onPath }).describe('iperf3')).toMatchObject({ source: 'bundled', version: '3.17' });
    expect(await new ToolResolver({ bundledDir: null, searchPath: onPath }).describe('iperf3')).toMatchObject({ source: 'path', version: '3.12' });
  });

  it('reads configured paths afresh on each lookup, and says so when one is not usable', async () => {
    let paths: Record<string, string> = {};
    const resolver = new ToolResolver({ configured: () => paths, bundledDir: bundled, searchPath: onPath });
    expect((await resolver.describe('iperf3')).source).toBe('bundled');
    paths = { iperf3: configured };
    expect((await resolver.describe('iperf3')).source).toBe('configured');
    paths = { iperf3: join(dir.path, 'gone') };
    const info = await resolver.describe('iperf3');
    expect(info).toMatchObject({ source: 'bundled', version: '3.17' });
    expect(info.problem).toMatch(/configured .*gone is not an executable file, so the bundled one is used/);
    expect(info.remedy).toMatch(/settings/);
  });
});
