import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathTrace, type PathHop, type PingReply } from '../../electron/shared/path.ts';
import { runMtu } from '../../electron/core/measure/trace/mtu.ts';
import { runMtr, runTrace, runTracepath } from '../../electron/core/measure/trace/run.ts';
import { runToolProcess } from '../../electron/core/measure/trace/spawn.ts';
import { locatePathTools, usableTraceMethods, type PathToolSource } from '../../electron/core/measure/trace/tools.ts';
import { runPing } from '../../electron/core/measure/ping/run.ts';

/**
 * The runners against real tools, on loopback only (127.0.0.1 and ::1). Multi-hop behaviour is
 * covered by the lab-made fixtures (test/fixtures/trace/linux) and, end to end, by the lab.
 */

const tools = locatePathTools();
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Processes whose command line contains all of `parts` (Linux /proc). */
function processesWith(parts: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (parts.every((p) => argv.includes(p))) found.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return found;
}

describe('runTrace (traceroute)', () => {
  it('UDP Paris to 127.0.0.1: one hop, reached, streamed, raw output kept verbatim', async () => {
    const hops: PathHop[] = [];
    const started: string[][] = [];
    const outcome = await runTrace({ host: '127.0.0.1', tools, onHop: (h) => hops.push(h), onStarted: (s) => started.push(s.command) });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.error).toBeNull();
    expect(outcome.family).toBe(4);
    expect(outcome.command.slice(-2)).toEqual(['--', '127.0.0.1']);
    expect(outcome.command).toEqual(expect.arrayContaining(['-U', '-n']));
    expect(started).toEqual([outcome.command]);
    expect(outcome.stdout.startsWith('traceroute to 127.0.0.1 (127.0.0.1), 30 hops max')).toBe(true);
    const result = outcome.result;
    expect(result?.paris).toBe(true);
    expect(result?.trace.hops.map((h) => h.responders.map((r) => r.address))).toEqual([['127.0.0.1']]);
    expect(result?.trace.reached).toBe(true);
    expect(result?.pathKey).toBe('127.0.0.1');
    expect(PathTrace.safeParse(result?.trace).success).toBe(true);
    expect(hops.map((h) => h.ttl)).toEqual([1]);
  });

  it.each([
    ['::1', 'udp'],
    ['::1', 'tcp'],
    ['127.0.0.1', 'icmp'],
    ['127.0.0.1', 'tcp'],
  ] as const)('%s over %s', async (host, method) => {
    const outcome = await runTrace({ host, method, tools, queries: 2 });
    if (!isRoot && method !== 'udp') {
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.reason).toBe('permission');
      return;
    }
    expect(outcome.status).toBe('succeeded');
    expect(outcome.family).toBe(host.includes(':') ? 6 : 4);
    expect(outcome.result?.trace.hops[0]?.probes).toHaveLength(2);
    expect(outcome.result?.trace.reached).toBe(true);
  });

  it('a host name is resolved first; the tool only ever sees the address', async () => {
    const outcome = await runTrace({ host: 'localhost', family: '4', tools, paris: false, queries: 1 });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.command).not.toContain('localhost');
    expect(outcome.targetAddress).toBe('127.0.0.1');
  });

  it('reverse DNS only when asked for', async () => {
    const plain = await runTrace({ host: '127.0.0.1', tools, queries: 1 });
    expect(plain.result?.trace.hops[0]?.responders[0]?.name).toBeNull();
    const named = await runTrace({ host: '127.0.0.1', tools, queries: 1, resolveNames: true, reverseLookup: async () => 'loopback.test' });
    expect(named.result?.trace.hops[0]?.responders[0]?.name).toBe('loopback.test');
    const hostile = await runTrace({ host: '127.0.0.1', tools, queries: 1, resolveNames: true, reverseLookup: async () => '-rf\u001b[2J' });
    expect(hostile.result?.trace.hops[0]?.responders[0]?.name).toBeNull();
  });

  it.runIf(isRoot)('without privileges, ICMP and TCP traceroute fail with a "permission" reason and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psw-trace-'));
    try {
      const script = join(dir, 'traceroute');
      writeFileSync(script, '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups /usr/sbin/traceroute "$@"\n');
      chmodSync(script, 0o755);
      const unprivileged = locatePathTools({ searchPath: dir });
      for (const method of ['tcp', 'icmp'] as const) {
        const outcome = await runTrace({ host: '127.0.0.1', method, tools: unprivileged });
        expect(outcome.status).toBe('failed');
        expect(outcome.error?.reason).toBe('permission');
        expect(outcome.error?.message).toMatch(/CAP_NET_RAW/);
        expect(outcome.stderr).toMatch(/Operation not permitted/);
      }
      const udp = await runTrace({ host: '127.0.0.1', method: 'udp', tools: unprivileged });
      expect(udp.status).toBe('succeeded');
      expect(await usableTraceMethods(script)).toEqual(['udp']);
      expect(await usableTraceMethods((await tools.require('traceroute')).path)).toEqual(['udp', 'icmp', 'tcp']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runTracepath and runMtr', () => {
  it('tracepath to 127.0.0.1 and ::1: reached, MTU of loopback', async () => {
    for (const [host, mtu] of [
      ['127.0.0.1', 65535],
      ['::1', 65536],
    ] as const) {
      const hops: PathHop[] = [];
      const outcome = await runTracepath({ host, tools, onHop: (h) => hops.push(h) });
      expect(outcome.status).toBe('succeeded');
      expect(outcome.result?.trace.reached).toBe(true);
      expect(outcome.result?.trace.pathMtu).toBe(mtu);
      expect(outcome.result?.trace.hops.at(-1)?.responders[0]?.address).toBe(host);
      expect(hops.length).toBeGreaterThanOrEqual(1);
      expect(outcome.stdout).toMatch(/Resume: pmtu/);
    }
  });

  it('mtr --json to ::1 and 127.0.0.1 (UDP, Paris)', async () => {
    const v6 = await runMtr({ host: '::1', tools, cycles: 3, intervalSeconds: 0.2, waitSeconds: 1 });
    expect(v6.status).toBe('succeeded');
    expect(v6.result?.trace.hops).toHaveLength(1);
    expect(v6.result?.trace.hops[0]).toMatchObject({ sent: 3, received: 3, lossPercent: 0, reached: true });
    const udp = await runMtr({ host: '127.0.0.1', tools, cycles: 2, intervalSeconds: 0.2, method: 'udp', paris: true, waitSeconds: 1 });
    expect(udp.status).toBe('succeeded');
    expect(udp.command).toEqual(expect.arrayContaining(['-u', '-L']));
    expect(udp.result?.paris).toBe(true);
  });
});

describe('runPing', () => {
  it('127.0.0.1 and ::1: replies stream as they arrive; summary and raw output', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const replies: PingReply[] = [];
      const outcome = await runPing({ host, tools, count: 3, intervalSeconds: 0.2, onReply: (r) => replies.push(r) });
      expect(outcome.status).toBe('succeeded');
      expect(replies.map((r) => [r.seq, r.status])).toEqual([
        [1, 'reply'],
        [2, 'reply'],
        [3, 'reply'],
      ]);
      expect(outcome.result?.summary).toMatchObject({ sent: 3, received: 3, lossPercent: 0, family: host === '::1' ? '6' : '4' });
      expect(outcome.stdout).toMatch(/3 packets transmitted, 3 received/);
    }
  });

  it('cancel stops ping and leaves no process behind', async () => {
    const controller = new AbortController();
    const replies: PingReply[] = [];
    const pending = runPing({ host: '127.0.0.1', tools, count: 97, intervalSeconds: 0.2, signal: controller.signal, onReply: (r) => replies.push(r) });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(processesWith(['-c', '97', '127.0.0.1']).length).toBe(1);
    controller.abort();
    const outcome = await pending;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.error?.code).toBe('CANCELLED');
    expect(replies.length).toBeGreaterThan(0);
    expect(processesWith(['-c', '97', '127.0.0.1'])).toEqual([]);
  });

  it('a run over its time budget fails with "timeout", keeps what it measured, and leaves no process', async () => {
    const outcome = await runPing({ host: '127.0.0.1', tools, count: 91, intervalSeconds: 0.2, timeoutMs: 900 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ reason: 'timeout', code: 'TIMEOUT' });
    expect(outcome.result?.parse.replies.length).toBeGreaterThan(1);
    expect(processesWith(['-c', '91', '127.0.0.1'])).toEqual([]);
  });

  it('a time budget kills the process', async () => {
    const exit = await runToolProcess({ command: (await tools.require('ping')).path, args: ['-n', '-c', '93', '-i', '0.2', '--', '127.0.0.1'], signal: new AbortController().signal, timeoutMs: 500 });
    expect(exit.timedOut).toBe(true);
    expect(exit.cancelled).toBe(false);
    expect(processesWith(['-c', '93', '127.0.0.1'])).toEqual([]);
  });
});

describe('runMtu', () => {
  it('127.0.0.1: tracepath and the DF search agree; loopback carries the whole search range', async () => {
    const probes: number[] = [];
    const outcome = await runMtu({ host: '127.0.0.1', tools, maxMtu: 2000, onProbe: (p) => probes.push(p.mtu) });
    expect(outcome.status).toBe('succeeded');
    const summary = outcome.result?.summary;
    expect(summary).toMatchObject({ tracepathMtu: 65535, pingMtu: 2000, pingMtuIsLowerBound: true, blackHoleSuspected: false, pathMtu: 65535, drops: [] });
    expect(probes).toEqual([576, 2000]);
    expect(outcome.stdout).toMatch(/### .*tracepath/);
    expect(outcome.stdout).toMatch(/### .*ping .*-s 1972 -M do -- 127\.0\.0\.1\n/);
  });

  it('::1 with the ping search only', async () => {
    const outcome = await runMtu({ host: '::1', tools, tracepath: false, minMtu: 1280, maxMtu: 1500 });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.result?.summary).toMatchObject({ family: '6', pingMtu: 1500, tracepathMtu: null, pathMtu: 1500 });
    expect(outcome.result?.probes.map((p) => p.outcome)).toEqual(['fits', 'fits']);
  });
});

describe('failures are typed, and nothing starts for a bad target', () => {
  let none: PathToolSource;
  beforeAll(() => {
    none = locatePathTools({ searchPath: '/nonexistent' });
  });
  afterAll(() => undefined);

  it('an option-like or malformed host never reaches a tool', async () => {
    for (const host of ['-rf', '--help', 'a b', '127.0.0.1;id', '']) {
      const outcome = await runTrace({ host, tools });
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.reason).toBe('invalid-input');
      expect(outcome.command).toEqual([]);
    }
  });

  it('an unknown host', async () => {
    const outcome = await runTracepath({ host: 'no-such-host.invalid', tools });
    expect(outcome.error).toMatchObject({ reason: 'host-unknown', code: 'HOST_UNKNOWN' });
    expect(outcome.command).toEqual([]);
  });

  it('the wrong family for a literal', async () => {
    const outcome = await runPing({ host: '127.0.0.1', family: '6', tools, count: 1 });
    expect(outcome.error?.reason).toBe('invalid-input');
  });

  it('a missing tool says how to install it', async () => {
    for (const run of [() => runTrace({ host: '127.0.0.1', tools: none }), () => runMtr({ host: '127.0.0.1', tools: none }), () => runPing({ host: '127.0.0.1', tools: none })]) {
      const outcome = await run();
      expect(outcome.error).toMatchObject({ reason: 'tool-missing', code: 'TOOL_MISSING' });
      expect(outcome.error?.message).toMatch(/install/i);
    }
  });

  it('cancelled before starting', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runTrace({ host: '127.0.0.1', tools, signal: controller.signal });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.command).toEqual([]);
  });
});
