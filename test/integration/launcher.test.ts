import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PSW_BIN } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';

// The launcher re-executes itself when Node does not strip types by default (22.12-22.17);
// --no-experimental-strip-types makes this Node take that path too.
const REEXEC = ['--no-experimental-strip-types'];
const dir = tempDir();
afterAll(() => dir.remove());

function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

describe('bin/psw.js launcher', () => {
  it('re-executes itself from a checkout whose path has a space in it', async () => {
    const checkout = join(dir.path, 'my checkout');
    mkdirSync(join(checkout, 'bin'), { recursive: true });
    copyFileSync(PSW_BIN, join(checkout, 'bin', 'psw.js'));
    symlinkSync(fileURLToPath(new URL('../../electron', import.meta.url)), join(checkout, 'electron'));
    const result = await execa(process.execPath, [...REEXEC, join(checkout, 'bin', 'psw.js'), '--version'], { reject: false, stdin: 'ignore' });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 128 + the signal number when its child is killed by a signal', async () => {
    const launcher = execa(process.execPath, [...REEXEC, PSW_BIN, 'serve', '--port', '0', '--json', '--db', dir.file('serve.sqlite')], { reject: false, stdin: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      launcher.stdout?.once('data', () => resolve());
      void launcher.then((r) => reject(new Error(`psw serve exited early: ${String(r.stderr)}`)));
    });
    const [child] = childrenOf(launcher.pid ?? 0);
    expect(child).toBeGreaterThan(0);
    process.kill(child ?? 0, 'SIGKILL');
    const result = await launcher;
    expect(result.exitCode).toBe(128 + 9);
  });
});
