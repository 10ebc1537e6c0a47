import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail, RunSummary } from '../../electron/shared/runs.ts';
import type { ToolInfo } from '../../electron/shared/tools.ts';
import { PSW_BIN } from '../helpers/psw.ts';
import { tempDir } from '../helpers/tmp.ts';
import { OWPING_FROM_RAW, OWPING_TO_RAW } from '../unit/owamp-system-samples.ts';

/**
 * `psw run latency|twamp --tool system`, end to end through the real CLI, with PATH pointing at a
 * directory of our choosing: empty (owping absent) or holding stand-ins that print real owping
 * output. The ToolResolver searches PATH (plus /usr/sbin and /sbin on Linux) and nothing else.
 */

const dir = tempDir('psw-system-');
const db = dir.file('system.sqlite');
afterAll(() => dir.remove());

async function pswWithPath(path: string, args: string[]) {
  const result = await execa(process.execPath, [PSW_BIN, ...args, '--db', db], {
    reject: false,
    timeout: 60_000,
    stdin: 'ignore',
    extendEnv: false,
    env: { PATH: path, PSW_DATA_DIR: dir.file('data') },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A stand-in tool: -h prints the usage's version line, a run records its argv and prints `stdout`. */
function standIn(binDir: string, name: 'owping' | 'twping', output: { stdout: string; stderr: string; exit: number }): string {
  mkdirSync(binDir, { recursive: true });
  const out = join(binDir, `${name}.stdout`);
  const err = join(binDir, `${name}.stderr`);
  writeFileSync(out, output.stdout);
  writeFileSync(err, output.stderr);
  const script = join(binDir, name);
  // Shell builtins only: the tool runs with a clean environment (no PATH).
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `if [ "$1" = "-h" ]; then printf '%s: \\nusage: %s [arguments] testaddr [servaddr]\\n\\nVersion: 5.2.3-1\\n\\n' ${name} ${name} >&2; exit 0; fi`,
      `printf '%s\\n' "$@" > '${join(binDir, `${name}.argv`)}'`,
      `while IFS= read -r line; do printf '%s\\n' "$line"; done < '${out}'`,
      `while IFS= read -r line; do printf '%s\\n' "$line" >&2; done < '${err}'`,
      `exit ${output.exit}`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return script;
}

const NTP = 'owping: NTP: Status UNSYNC (clock offset issues likely)\nowping: NTP: STA_NANO should be set. Make sure ntpd is running, and your NTP configuration is good.\n';

describe('psw run --tool system without owping/twping', () => {
  const empty = dir.file('empty-bin');
  mkdirSync(empty);

  it('fails fast with TOOL_MISSING and a remedy, and the failed run is stored', async () => {
    // The resolver also looks in /usr/sbin and /sbin on Linux: owping must not be there either.
    for (const extra of ['/usr/sbin/owping', '/sbin/owping', '/usr/sbin/twping', '/sbin/twping']) expect(existsSync(extra), `${extra} exists on this host`).toBe(false);
    const started = Date.now();
    const result = await pswWithPath(empty, ['run', 'latency', '--tool', 'system', '--to', '127.0.0.1:9', '--count', '5', '--json']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.exitCode).toBe(1);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('TOOL_MISSING');
    expect(run.error?.message).toMatch(/^owping is not installed\. .*owamp-client.*Only --tool system needs it/);
    expect(run.options).toMatchObject({ tool: 'system' });
    expect(run.oneway).toBeNull();
    expect(result.stderr).toMatch(/psw: run \d+ failed: owping is not installed/);

    const stored = JSON.parse((await pswWithPath(empty, ['runs', 'show', String(run.id), '--json'])).stdout) as RunDetail;
    expect(stored).toMatchObject({ id: run.id, status: 'failed', error: { code: 'TOOL_MISSING' } });
    const listed = JSON.parse((await pswWithPath(empty, ['runs', 'list', '--json'])).stdout) as RunSummary[];
    expect(listed.find((r) => r.id === run.id)?.status).toBe('failed');

    const twamp = JSON.parse((await pswWithPath(empty, ['run', 'twamp', '--tool', 'system', '--to', '127.0.0.1:9', '--json'])).stdout) as RunDetail;
    expect(twamp.error?.code).toBe('TOOL_MISSING');
    expect(twamp.error?.message).toMatch(/^twping is not installed\. .*twamp-client/);
  });

  it('psw tools lists both as missing, with where to get them', async () => {
    const tools = JSON.parse((await pswWithPath(empty, ['tools', '--json'])).stdout) as ToolInfo[];
    for (const name of ['owping', 'twping'] as const) {
      const tool = tools.find((t) => t.name === name);
      expect(tool).toMatchObject({ path: null, problem: `${name} was not found` });
      expect(tool?.remedy).toMatch(/perfSONAR/);
    }
  });

  it('refuses --tool system with --light, and unknown tools, as usage errors', async () => {
    expect((await pswWithPath(empty, ['run', 'twamp', '--tool', 'system', '--light', '--to', '127.0.0.1'])).exitCode).toBe(2);
    expect((await pswWithPath(empty, ['run', 'latency', '--tool', 'owping', '--to', '127.0.0.1'])).exitCode).toBe(2);
  });
});

describe('psw run --tool system with an owping that prints real raw output', () => {
  const bin = dir.file('fake-bin');
  const owping = standIn(bin, 'owping', { stdout: OWPING_TO_RAW + OWPING_FROM_RAW, stderr: NTP, exit: 0 });
  standIn(bin, 'twping', { stdout: '', stderr: 'twping: NTP: Status UNSYNC (clock offset issues likely)\ntwping: Unable to open control connection to [::1]:8620.\n', exit: 1 });

  it('passes the options as owping argv, stores raw output verbatim and the sessions psw derived', async () => {
    const result = await pswWithPath(bin, ['run', 'latency', '--tool', 'system', '--to', '127.0.0.1:8610', '--count', '20', '--interval', '0.01', '--periodic', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as RunDetail;
    const argv = ['-A', 'O', '-R', '-c', '20', '-i', '0.01f', '-s', '0', '--', '127.0.0.1:8610'];
    expect(readFileSync(join(bin, 'owping.argv'), 'utf8').trim().split('\n')).toEqual(argv);
    expect(run).toMatchObject({ status: 'succeeded', tool: 'owping', toolVersion: '5.2.3-1', command: [owping, ...argv], family: '4' });
    expect(run.raw).toEqual({ stdout: OWPING_TO_RAW + OWPING_FROM_RAW, stderr: NTP });
    expect(run.oneway?.protocol).toBe('owamp');
    expect(run.oneway?.notes.join(' ')).toMatch(/owping 5\.2\.3-1 .*raw records/);
    expect(run.oneway?.sessions.map((s) => [s.direction, s.sent, s.lost, s.duplicates])).toEqual([
      ['to', 20, 0, 0],
      ['from', 20, 0, 0],
    ]);
    const stored = JSON.parse((await pswWithPath(bin, ['runs', 'show', String(run.id), '--json'])).stdout) as RunDetail;
    expect(stored.oneway).toEqual(run.oneway);
    const data = stored.data as Extract<RunDetail['data'], { kind: 'latency' }>;
    expect(data.sessions.map((s) => [s.direction, Object.keys(s.delayMs).length])).toEqual([
      ['to', 20],
      ['from', 20],
    ]);
  });

  it('IPv6 target in brackets, direction and DSCP flags', async () => {
    const result = await pswWithPath(bin, ['run', 'latency', '--tool', 'system', '--to', '[::1]:8610', '--count', '20', '--direction', 'from', '--dscp', '46', '-6', '--json']);
    expect(readFileSync(join(bin, 'owping.argv'), 'utf8').trim().split('\n')).toEqual(['-A', 'O', '-R', '-c', '20', '-i', '0.1e', '-s', '0', '-f', '-D', '46', '-6', '--', '[::1]:8610']);
    // both sessions' records came back where one was asked for: refused, raw output kept
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('UNPARSEABLE_OUTPUT');
    expect(run.raw?.stdout).toBe(OWPING_TO_RAW + OWPING_FROM_RAW);
  });

  it('a twping that cannot reach its server: a clear error, stderr stored verbatim', async () => {
    const result = await pswWithPath(bin, ['run', 'twamp', '--tool', 'system', '--to', '[::1]:8620', '--count', '5', '--json']);
    expect(result.exitCode).toBe(1);
    const run = JSON.parse(result.stdout) as RunDetail;
    expect(run).toMatchObject({ status: 'failed', tool: 'twping', error: { code: 'CONNECTION_REFUSED' } });
    expect(run.error?.message).toMatch(/^twping could not open a control connection to \[::1\]:8620: no TWAMP server answers there/);
    expect(run.raw?.stderr).toBe('twping: NTP: Status UNSYNC (clock offset issues likely)\ntwping: Unable to open control connection to [::1]:8620.\n');
  });
});
