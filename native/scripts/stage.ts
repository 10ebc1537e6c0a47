import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { readManifest, type StagedRecord } from './manifest.ts';
import { builderOs, platformDirName } from '../../electron/core/measure/platform.ts';

/**
 * Copies the build machine's helper tools into resources/bin/<os>-<arch>/ with the shared
 * libraries they need beyond the base C library (into lib/) and their licence texts (into
 * licenses/), then records every file's SHA-256 in staged.json for verify.ts.
 */
export async function stage(outRoot: string, searchPath = process.env.PATH ?? ''): Promise<StagedRecord> {
  const manifest = readManifest();
  const os = builderOs();
  const out = join(outRoot, platformDirName());
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'lib'), { recursive: true });
  mkdirSync(join(out, 'licenses'), { recursive: true });
  const record: StagedRecord = { platform: platformDirName(), stagedAt: new Date().toISOString(), tools: [], files: {} };

  for (const tool of manifest.tools) {
    const source = tool.sources[os];
    if (!source || source.system) continue;
    const found = searchPath.split(':').map((dir) => join(dir, source.binary)).find((p) => existsSync(p));
    if (!found) {
      if (tool.required) throw new Error(`${tool.name} (${source.binary}) is required but not on this build machine's PATH`);
      continue;
    }
    const real = realpathSync(found);
    const target = join(out, source.binary);
    copyFileSync(real, target);
    chmodSync(target, 0o755);
    const version = await execa(target, tool.versionArgs, { reject: false, timeout: 5000, env: { LD_LIBRARY_PATH: join(out, 'lib') } });
    record.tools.push({ name: tool.name, binary: source.binary, version: `${String(version.stdout)}${String(version.stderr)}`.split('\n')[0]?.trim() || null, from: real });
    if (os === 'linux') {
      await copyLibraries(real, join(out, 'lib'), manifest.baseLibraries);
      await copyLicences(real, source.packages ?? [], join(out, 'licenses', tool.name));
    }
  }

  // Libraries of the libraries, until the set is closed.
  for (let pass = 0; pass < 5 && os === 'linux'; pass += 1) {
    const before = readdirSync(join(out, 'lib')).length;
    for (const lib of readdirSync(join(out, 'lib'))) await copyLibraries(join(out, 'lib', lib), join(out, 'lib'), manifest.baseLibraries);
    if (readdirSync(join(out, 'lib')).length === before) break;
  }

  for (const file of listFiles(out)) {
    const info = statSync(file);
    record.files[relative(out, file)] = { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), executable: (info.mode & 0o111) !== 0 };
  }
  writeFileSync(join(out, 'staged.json'), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

async function copyLibraries(binary: string, libDir: string, base: string[]): Promise<void> {
  const ldd = await execa('ldd', [binary], { reject: false, timeout: 5000 });
  for (const line of String(ldd.stdout).split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+(\/\S+)/.exec(line);
    if (!m?.[1] || !m[2] || base.some((b) => m[1]?.startsWith(b))) continue;
    const target = join(libDir, m[1]);
    if (existsSync(target)) continue;
    const real = realpathSync(m[2]);
    copyFileSync(real, target);
    await copyLicences(real, [], join(libDir, '..', 'licenses', 'libraries'));
  }
}

async function copyLicences(binary: string, packages: string[], dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const owner = await execa('dpkg', ['-S', binary], { reject: false, timeout: 5000 });
  const fromDpkg = String(owner.stdout).split(':')[0]?.trim();
  for (const pkg of new Set([...packages, ...(fromDpkg ? [fromDpkg] : [])])) {
    const copyright = `/usr/share/doc/${pkg}/copyright`;
    if (existsSync(copyright)) copyFileSync(copyright, join(dir, `${pkg}.copyright`));
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.name === 'staged.json' ? [] : [join(dir, entry.name)]));
}

if (process.argv[1] && basename(process.argv[1]) === 'stage.ts') {
  const { values } = parseArgs({ options: { out: { type: 'string', default: new URL('../../resources/bin', import.meta.url).pathname } } });
  const record = await stage(values.out ?? '');
  process.stdout.write(`${JSON.stringify({ platform: record.platform, tools: record.tools, files: Object.keys(record.files).length }, null, 2)}\n`);
}
