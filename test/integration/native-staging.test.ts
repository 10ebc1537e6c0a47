import { appendFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolResolver } from '../../electron/core/measure/tools.ts';
import { platformDirName } from '../../electron/core/measure/platform.ts';
import { stage } from '../../native/scripts/stage.ts';
import { verifyStaged } from '../../native/scripts/verify.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
afterAll(() => dir.remove());

describe('native helper staging', () => {
  it('stages the build machine tools with their libraries and licences, and they run from the bundle', async () => {
    const record = await stage(dir.path);
    const staged = join(dir.path, platformDirName());
    expect(record.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['iperf3', 'traceroute']));
    expect(existsSync(join(staged, 'lib', 'libiperf.so.0'))).toBe(true);
    expect(existsSync(join(staged, 'licenses', 'iperf3', 'iperf3.copyright'))).toBe(true);
    expect(await verifyStaged(dir.path)).toEqual([]);

    // Bundled beats PATH, and runs with its own libraries.
    const resolver = new ToolResolver({ bundledDir: staged, searchPath: '/usr/bin:/bin' });
    const info = await resolver.describe('iperf3');
    expect(info.source).toBe('bundled');
    expect(info.path).toBe(join(staged, 'iperf3'));
    expect(info.version).toMatch(/^3\./);
    expect((await resolver.require('iperf3')).env).toEqual({ LD_LIBRARY_PATH: join(staged, 'lib') });
    // A configured path beats both.
    const configured = new ToolResolver({ bundledDir: staged, configured: { iperf3: '/usr/bin/iperf3' } });
    expect((await configured.describe('iperf3')).source).toBe('configured');
  });

  it('verify catches a changed file, a lost executable bit and a missing file', async () => {
    const staged = join(dir.path, platformDirName());
    appendFileSync(join(staged, 'traceroute'), 'tampered');
    chmodSync(join(staged, 'iperf3'), 0o644);
    const problems = await verifyStaged(dir.path);
    expect(problems.some((p) => p.startsWith('traceroute changed since staging'))).toBe(true);
    expect(problems).toContain('iperf3 lost its executable bit');
    expect(await verifyStaged(join(dir.path, 'nowhere'))).toEqual([expect.stringMatching(/staged.json is missing/)]);
  });
});
