import { execa } from 'execa';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PSW_BIN = fileURLToPath(new URL('../../bin/psw.js', import.meta.url));

/** Runs the real `psw` command under the same Node as the tests. */
export async function psw(args: string[], options: { timeoutMs?: number } = {}) {
  const result = await execa(process.execPath, [PSW_BIN, ...args], { reject: false, timeout: options.timeoutMs ?? 60_000, stdin: 'ignore', env: { PSW_DATA_DIR: join(tmpdir(), 'psw-cli-default-data'), PSW_VALIDATE_OUTPUTS: '1' } });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Command lines of running processes that mention `needle` (Linux /proc). */
export async function processesMatching(needle: string): Promise<string[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const text = cmdline.split('\0').join(' ');
    if (text.includes(needle)) found.push(text);
  }
  return found;
}
