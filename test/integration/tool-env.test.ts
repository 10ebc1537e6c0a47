import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runPing } from '../../electron/core/measure/ping/run.ts';
import { ToolResolver } from '../../electron/core/measure/tools.ts';
import { runMtr, runTrace, runTracepath } from '../../electron/core/measure/trace/run.ts';
import { toolEnv } from '../../electron/core/measure/tool-env.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Bundled tools find their shared libraries through LD_LIBRARY_PATH (ToolResolver.envFor): every
 * runner must start the resolved tool with that environment. The "bundled" tools here are shell
 * scripts that report the environment they were given on stderr, then print real-looking output.
 */

const dir = tempDir('psw-tool-env-');
const bundled = join(dir.path, 'bin');
const ENV_LINE = 'echo "env LD_LIBRARY_PATH=${LD_LIBRARY_PATH-unset} SystemRoot=${SystemRoot-unset} HOME=${HOME-unset} LANG=${LANG-unset}" >&2';

const OUTPUT: Record<string, string> = {
  traceroute: 'traceroute to 127.0.0.1 (127.0.0.1), 30 hops max, 60 byte packets\n 1  127.0.0.1  0.050 ms  0.020 ms  0.020 ms\n',
  tracepath: ' 1?: [LOCALHOST]                      pmtu 65535\n 1:  127.0.0.1                                             0.050ms reached\n     Resume: pmtu 65535 hops 1 back 1 \n',
  ping: 'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.040 ms\n\n--- 127.0.0.1 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.040/0.040/0.040/0.000 ms\n',
  mtr: '{"report":{"mtr":{"src":"local","dst":"127.0.0.1","tos":0,"tests":1,"psize":"64","bitpattern":"0x00"},"hubs":[{"count":1,"host":"127.0.0.1","Loss%":0.0,"Snt":1,"Last":0.05,"Avg":0.05,"Best":0.05,"Wrst":0.05,"StDev":0.0}]}}\n',
};

function script(name: string, body: string): void {
  const path = join(bundled, name);
  writeFileSync(path, `#!/bin/sh\n${ENV_LINE}\necho "pid $$" >&2\ncat <<'EOF'\n${body}EOF\n`);
  chmodSync(path, 0o755);
}

beforeAll(() => {
  mkdirSync(join(bundled, 'lib'), { recursive: true });
  for (const [name, body] of Object.entries(OUTPUT)) script(name, body);
  script('stdbuf', '');
  // stdbuf -oL TOOL ARGS…: run the tool after reporting the environment.
  writeFileSync(join(bundled, 'stdbuf'), `#!/bin/sh\n${ENV_LINE}\nshift\nexec "$@"\n`);
});

const savedRoot = process.env.SystemRoot;
afterEach(() => {
  if (savedRoot === undefined) delete process.env.SystemRoot;
  else process.env.SystemRoot = savedRoot;
});
afterAll(() => dir.remove());

const resolver = () => new ToolResolver({ bundledDir: bundled, searchPath: '' });
const common = () => ({ host: '127.0.0.1', tools: resolver(), timeoutMs: 20_000 });
const envLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('env '));

describe.runIf(process.platform === 'linux')('bundled tools run with their environment', () => {
  it('traceroute, tracepath (through stdbuf), mtr and ping get LD_LIBRARY_PATH and nothing else of ours', async () => {
    process.env.SystemRoot = 'C:\\Windows';
    const expected = `env LD_LIBRARY_PATH=${join(bundled, 'lib')} SystemRoot=C:\\Windows HOME=unset LANG=C`;
    const outcomes = {
      traceroute: await runTrace({ ...common(), paris: false }),
      tracepath: await runTracepath(common()),
      mtr: await runMtr({ ...common(), cycles: 1 }),
      ping: await runPing({ ...common(), count: 1 }),
    };
    for (const [name, outcome] of Object.entries(outcomes)) {
      expect(outcome.command[0], name).toMatch(new RegExp(`^${bundled}/`));
      expect(envLines(outcome.stderr).length, name).toBeGreaterThan(0);
      for (const line of envLines(outcome.stderr)) expect(line, name).toBe(expected);
    }
    expect(outcomes.traceroute.result?.trace.hops[0]?.responders[0]?.address).toBe('127.0.0.1');
    expect(outcomes.ping.result?.summary.received).toBe(1);
    expect(envLines(outcomes.tracepath.stderr)).toHaveLength(2); // stdbuf, then tracepath
  });

  it('each runner tells the workbench the pid of the tool it started', async () => {
    for (const run of [(o: ReturnType<typeof common>) => runTrace({ ...o, paris: false }), runTracepath, (o: ReturnType<typeof common>) => runMtr({ ...o, cycles: 1 }), (o: ReturnType<typeof common>) => runPing({ ...o, count: 1 })]) {
      const pids: number[] = [];
      const outcome = await run({ ...common(), onToolProcess: (pid: number) => pids.push(pid) });
      expect(pids).toHaveLength(1);
      expect(outcome.stderr).toContain(`pid ${pids[0]}\n`);
    }
  });
});

describe('toolEnv', () => {
  it('keeps only what Windows needs to start a program, plus the tool\'s own variables, in the C locale', () => {
    const env = toolEnv({ LD_LIBRARY_PATH: '/x/lib', LANG: 'de_DE' }, { SystemRoot: 'C:\\Windows', windir: 'C:\\Windows', ComSpec: 'cmd', PATHEXT: '.EXE', TEMP: 'C:\\T', HOME: '/root', SECRET: 's' });
    expect(env).toEqual({ SystemRoot: 'C:\\Windows', windir: 'C:\\Windows', ComSpec: 'cmd', PATHEXT: '.EXE', TEMP: 'C:\\T', LD_LIBRARY_PATH: '/x/lib', LANG: 'C', LC_ALL: 'C' });
  });
});
