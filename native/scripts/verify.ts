import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { readManifest, type StagedRecord } from './manifest.ts';
import { builderOs, platformDirName } from '../../electron/core/measure/platform.ts';

/**
 * electron-builder only warns when an extraResources source is missing, so packaging runs this
 * first: every required tool staged, every file present, executable where it was, unchanged
 * (SHA-256), and each tool actually runs.
 */
export async function verifyStaged(outRoot: string, platform = platformDirName()): Promise<string[]> {
  const dir = join(outRoot, platform);
  const problems: string[] = [];
  const recordPath = join(dir, 'staged.json');
  if (!existsSync(recordPath)) return [`${recordPath} is missing: run npm run stage:native`];
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as StagedRecord;
  const os = builderOs();
  for (const tool of readManifest().tools) {
    const source = tool.sources[os];
    if (tool.required && source && !source.system && !record.tools.some((t) => t.name === tool.name)) problems.push(`${tool.name} is required but was not staged`);
  }
  for (const [file, expected] of Object.entries(record.files)) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      problems.push(`${file} is missing`);
      continue;
    }
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (sha256 !== expected.sha256) problems.push(`${file} changed since staging (sha256 ${sha256.slice(0, 12)}… ≠ ${expected.sha256.slice(0, 12)}…)`);
    if (expected.executable && (statSync(path).mode & 0o111) === 0) problems.push(`${file} lost its executable bit`);
  }
  for (const tool of record.tools) {
    const spec = readManifest().tools.find((t) => t.name === tool.name);
    const result = await execa(join(dir, tool.binary), spec?.versionArgs ?? ['--version'], { reject: false, timeout: 5000, extendEnv: false, env: { LD_LIBRARY_PATH: join(dir, 'lib'), LANG: 'C' } });
    if (result.failed && result.exitCode !== 0 && !String(result.stdout)) problems.push(`${tool.binary} does not run: ${String(result.stderr).split('\n')[0] ?? result.shortMessage}`);
  }
  return problems;
}

if (process.argv[1] && basename(process.argv[1]) === 'verify.ts') {
  const { values } = parseArgs({ options: { out: { type: 'string', default: new URL('../../resources/bin', import.meta.url).pathname } } });
  const problems = await verifyStaged(values.out ?? '');
  if (problems.length) {
    process.stderr.write(`${problems.map((p) => `verify: ${p}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('verify: staged helper binaries are complete and unchanged\n');
  }
}
