import { describe, expect, it } from 'vitest';
import { MtuOptions, RttOptions, TraceOptions } from '../../electron/shared/path.ts';
import { mtrArgs, stableSourcePort, tracepathArgs, tracerouteArgs, tracerouteExecutable, type TraceArgsInput } from '../../electron/core/measure/trace/args.ts';
import { icmpOverhead, pingArgs } from '../../electron/core/measure/ping/args.ts';
import { classifyToolError } from '../../electron/core/measure/trace/errors.ts';
import { PATH_TOOL_SPECS } from '../../electron/core/measure/trace/tools.ts';

const base: TraceArgsInput = { platform: 'linux', method: 'udp', family: 4, address: '192.0.2.9', maxHops: 30, queries: 3, paris: true, sourcePort: 45000, waitSeconds: 2 };

describe('traceroute argv', () => {
  it('Linux UDP Paris: fixed destination port and source port, "--" before the address', () => {
    const a = tracerouteArgs(base);
    expect(a.args).toEqual(['-n', '-4', '-m', '30', '-q', '3', '-w', '2', '-U', '-p', '33434', '--sport=45000', '--', '192.0.2.9']);
    expect(a).toMatchObject({ method: 'udp', paris: true });
  });

  it('Linux classic UDP, ICMP, TCP; IPv6', () => {
    expect(tracerouteArgs({ ...base, paris: false }).args).toEqual(['-n', '-4', '-m', '30', '-q', '3', '-w', '2', '--', '192.0.2.9']);
    const icmp = tracerouteArgs({ ...base, method: 'icmp' });
    expect(icmp.args).toContain('-I');
    expect(icmp.paris).toBe(false);
    expect(icmp.notes.join(' ')).toMatch(/no fixed-flow ICMP/);
    expect(tracerouteArgs({ ...base, method: 'tcp', port: 443 }).args).toEqual(['-n', '-4', '-m', '30', '-q', '3', '-w', '2', '-T', '-p', '443', '--sport=45000', '--', '192.0.2.9']);
    expect(tracerouteArgs({ ...base, family: 6, address: '2001:db8::9', paris: false, method: 'tcp' }).args).toEqual(['-n', '-6', '-m', '30', '-q', '3', '-w', '2', '-T', '-p', '80', '--', '2001:db8::9']);
  });

  it('macOS: BSD flags, -e for a fixed UDP port, traceroute6 for IPv6', () => {
    expect(tracerouteArgs({ ...base, platform: 'darwin' }).args).toEqual(['-n', '-m', '30', '-q', '3', '-w', '2', '-e', '-p', '33434', '--', '192.0.2.9']);
    expect(tracerouteArgs({ ...base, platform: 'darwin', method: 'tcp' }).args).toEqual(['-n', '-m', '30', '-q', '3', '-w', '2', '-P', 'tcp', '-p', '80', '--', '192.0.2.9']);
    expect(tracerouteExecutable('darwin', 6)).toBe('traceroute6');
    expect(tracerouteExecutable('linux', 6)).toBe('traceroute');
  });

  it('Windows: tracert is ICMP only, 3 probes, milliseconds', () => {
    const a = tracerouteArgs({ ...base, platform: 'win32', queries: 5 });
    expect(a.args).toEqual(['-d', '-h', '30', '-w', '2000', '-4', '192.0.2.9']);
    expect(a).toMatchObject({ method: 'icmp', paris: false });
    expect(a.notes).toHaveLength(2);
    expect(tracerouteExecutable('win32', 4)).toBe('tracert');
  });

  it('never takes a host name or anything option-like', () => {
    for (const address of ['example.net', '-rf', '--help', '192.0.2.9 -x', '', '1.2.3.4.5']) {
      expect(() => tracerouteArgs({ ...base, address })).toThrow(/resolved IP address/);
      expect(() => tracepathArgs({ family: 4, address, maxHops: 5 })).toThrow();
      expect(() => pingArgs({ platform: 'linux', family: 4, address, count: 1, intervalSeconds: 1, size: 56, timeoutSeconds: 1, dontFragment: false })).toThrow();
    }
  });

  it('the Paris source port is stable per target and in 40000-59999', () => {
    expect(stableSourcePort('192.0.2.9')).toBe(stableSourcePort('192.0.2.9'));
    expect(stableSourcePort('192.0.2.9')).not.toBe(stableSourcePort('192.0.2.10'));
    for (let i = 0; i < 500; i += 1) {
      const port = stableSourcePort(`198.18.${i % 256}.${i >> 8}`);
      expect(port).toBeGreaterThanOrEqual(40000);
      expect(port).toBeLessThan(60000);
    }
  });
});

describe('tracepath and mtr argv', () => {
  it('tracepath', () => {
    expect(tracepathArgs({ family: 6, address: '2001:db8::9', maxHops: 12 })).toEqual(['-n', '-6', '-m', '12', '--', '2001:db8::9']);
  });

  it('mtr: JSON, -n, Paris over UDP, interval raised for non-root', () => {
    const input = { method: 'udp' as const, family: 4 as const, address: '192.0.2.9', maxHops: 30, cycles: 10, intervalSeconds: 0.2, paris: true, sourcePort: 45000, root: true };
    expect(mtrArgs(input).args).toEqual(['--json', '-n', '-4', '-c', '10', '-i', '0.2', '-G', '2', '-m', '30', '-u', '-P', '33434', '-L', '45000', '--', '192.0.2.9']);
    const user = mtrArgs({ ...input, root: false });
    expect(user.intervalSeconds).toBe(1);
    expect(user.args).toContain('1');
    expect(user.notes[0]).toMatch(/non-root/);
    expect(mtrArgs({ ...input, method: 'icmp' })).toMatchObject({ paris: false });
    expect(mtrArgs({ ...input, method: 'tcp', port: 443 }).args).toEqual(expect.arrayContaining(['-T', '-P', '443']));
  });
});

describe('ping argv', () => {
  const p = { family: 4 as const, address: '192.0.2.9', count: 5, intervalSeconds: 0.2, size: 1472, timeoutSeconds: 1, dontFragment: true };
  it('Linux iputils: -O for live loss, -M do for DF', () => {
    expect(pingArgs({ ...p, platform: 'linux' })).toEqual({ executable: 'ping', args: ['-n', '-4', '-O', '-c', '5', '-i', '0.2', '-W', '1', '-s', '1472', '-M', 'do', '--', '192.0.2.9'], notes: [] });
  });
  it('macOS: -D, -W in ms, ping6', () => {
    expect(pingArgs({ ...p, platform: 'darwin' }).args).toEqual(['-n', '-c', '5', '-i', '0.2', '-s', '1472', '-W', '1000', '-D', '--', '192.0.2.9']);
    expect(pingArgs({ ...p, platform: 'darwin', family: 6, address: '2001:db8::9' }).executable).toBe('ping6');
  });
  it('Windows: -n -w -l -f', () => {
    const w = pingArgs({ ...p, platform: 'win32' });
    expect(w.args).toEqual(['-n', '5', '-w', '1000', '-l', '1472', '-4', '-f', '192.0.2.9']);
    expect(w.notes[0]).toMatch(/one request per second/);
  });
  it('header overhead', () => {
    expect(icmpOverhead(4)).toBe(28);
    expect(icmpOverhead(6)).toBe(48);
  });
});

describe('options schemas', () => {
  it('defaults and bounds', () => {
    expect(TraceOptions.parse({})).toMatchObject({ tool: 'traceroute', method: 'udp', paris: true, maxHops: 30, queries: 3, resolveNames: false });
    expect(TraceOptions.safeParse({ queries: 11 }).success).toBe(false);
    expect(TraceOptions.safeParse({ maxHops: 0 }).success).toBe(false);
    expect(TraceOptions.safeParse({ extra: 1 }).success).toBe(false);
    expect(RttOptions.parse({})).toMatchObject({ count: 10, intervalSeconds: 1, size: 56 });
    expect(MtuOptions.parse({})).toMatchObject({ tracepath: true, pingSearch: true, minMtu: 576, maxMtu: 9000 });
  });
});

describe('tool error classification', () => {
  it.each([
    ['traceroute', 'You do not have enough privileges to use this traceroute method.\nsocket: Operation not permitted', 'permission'],
    ['mtr', 'mtr: non-root users cannot request an interval < 1.0 seconds', 'permission'],
    ['mtr', 'mtr: Failed to resolve host: x.invalid: Name or service not known', 'host-unknown'],
    ['traceroute', 'Cannot handle "host" cmdline arg `x\' on position 1 (argc 5)', 'host-unknown'],
    ['ping', 'ping: connect: Network is unreachable', 'no-route'],
    ['tracepath', 'something odd', 'tool-failed'],
  ] as const)('%s: %s → %s', (tool, text, reason) => {
    const failure = classifyToolError(tool, text);
    expect(failure.reason).toBe(reason);
    expect(failure.message.length).toBeLessThan(800);
  });

  it('the permission message says what to do', () => {
    expect(classifyToolError('traceroute', 'socket: Operation not permitted').message).toMatch(/setcap cap_net_raw/);
  });
});

describe('tool specs (for the ToolResolver table)', () => {
  it('parse real version strings', () => {
    expect(PATH_TOOL_SPECS.traceroute.parseVersion('Modern traceroute for Linux, version 2.1.2\nCopyright (c) 2016  Dmitry Butskoy')).toBe('2.1.2');
    expect(PATH_TOOL_SPECS.tracepath.parseVersion('tracepath from iputils 20221126')).toBe('20221126');
    expect(PATH_TOOL_SPECS.ping.parseVersion('ping from iputils 20221126\nlibcap: yes')).toBe('20221126');
    expect(PATH_TOOL_SPECS.mtr.parseVersion('mtr 0.95')).toBe('0.95');
    expect(PATH_TOOL_SPECS.traceroute.capabilities('2.1.2')).toEqual(expect.arrayContaining(['paris-udp', 'paris-tcp', 'mtu', 'icmp-needs-privileges']));
    expect(PATH_TOOL_SPECS.mtr.capabilities('0.95')).toEqual(expect.arrayContaining(['json', 'paris-udp']));
    expect(PATH_TOOL_SPECS.tracepath.capabilities('20221126')).toContain('ipv6');
  });
});
