import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyTcpFacts, type HostFacts } from '../../../electron/core/diagnose/selfcheck/facts.ts';
import { selfCheck } from '../../../electron/core/diagnose/selfcheck/index.ts';
import { linuxFacts, realListDir, realReadText } from '../../../electron/core/diagnose/selfcheck/linux.ts';
import { parseIfconfig, parseNetshTcpGlobal, parseSysctlLines } from '../../../electron/core/diagnose/selfcheck/other.ts';
import { bdpBytes, selfCheckFindings } from '../../../electron/core/diagnose/selfcheck/rules.ts';
import { tempDir } from '../../helpers/tmp.ts';

const MiB = 1024 * 1024;
function linux(overrides: Partial<HostFacts['tcp']> = {}, extra: Partial<HostFacts> = {}): HostFacts {
  return {
    platform: 'linux', hostname: 'laptop', kernel: '6.1', cpus: 8,
    tcp: { ...emptyTcpFacts(), rmemMax: 64 * MiB, wmemMax: 64 * MiB, tcpRmem: [4096, 131072, 64 * MiB], tcpWmem: [4096, 16384, 64 * MiB], congestion: 'cubic', availableCongestion: ['reno', 'cubic', 'bbr'], windowScaling: true, timestamps: true, sack: true, mtuProbing: 0, defaultQdisc: 'fq', ...overrides },
    mac: null, windows: null, interfaces: [], cpuGovernors: ['performance'], ...extra,
  };
}
const severity = (findings: ReturnType<typeof selfCheckFindings>, id: string) => findings.find((f) => f.id === id)?.severity;

describe('self-check rules', () => {
  it('BDP is rate × RTT', () => {
    expect(bdpBytes({ targetBitsPerSecond: 1e9, rttMs: 50 })).toBe(6_250_000);
  });

  it('buffers are judged against the BDP of the path, with the borderline on the right side', () => {
    const path = { targetBitsPerSecond: 1e9, rttMs: 100 };
    const need = bdpBytes(path);
    expect(severity(selfCheckFindings(linux({ tcpRmem: [4096, 131072, need] }), path), 'tcp-receive-buffer')).toBe('ok');
    const short = selfCheckFindings(linux({ tcpRmem: [4096, 131072, need - 1] }), path);
    expect(severity(short, 'tcp-receive-buffer')).toBe('problem');
    expect(short.find((f) => f.id === 'tcp-receive-buffer')?.why).toMatch(/Mbit\/s at 100 ms/);
    expect(severity(selfCheckFindings(linux({ tcpWmem: [4096, 16384, 4 * MiB] }), path), 'tcp-send-buffer')).toBe('problem');
    // The same 4 MiB buffer is fine for a short path.
    expect(severity(selfCheckFindings(linux({ tcpWmem: [4096, 16384, 4 * MiB] }), { targetBitsPerSecond: 1e9, rttMs: 10 }), 'tcp-send-buffer')).toBe('ok');
  });

  it('flags net.core maxima only when they are below the BDP', () => {
    const path = { targetBitsPerSecond: 1e9, rttMs: 100 };
    expect(severity(selfCheckFindings(linux({ rmemMax: 4 * MiB }), path), 'core-mem-max')).toBe('warn');
    expect(severity(selfCheckFindings(linux(), path), 'core-mem-max')).toBeUndefined();
  });

  it('stack switches, congestion control, qdisc', () => {
    const path = { targetBitsPerSecond: 1e9, rttMs: 50 };
    const f = selfCheckFindings(linux({ windowScaling: false, sack: false, timestamps: false, congestion: 'reno', defaultQdisc: 'pfifo_fast' }), path);
    expect(severity(f, 'window-scaling')).toBe('problem');
    expect(severity(f, 'sack')).toBe('warn');
    expect(severity(f, 'timestamps')).toBe('warn');
    expect(severity(f, 'congestion-control')).toBe('warn');
    expect(f.find((x) => x.id === 'congestion-control')?.fix).toContain('bbr');
    expect(severity(f, 'qdisc')).toBe('info');
    expect(severity(selfCheckFindings(linux(), path), 'congestion-control')).toBe('ok');
  });

  it('interfaces: speed below the target, half duplex, Wi-Fi; virtual and down interfaces are ignored', () => {
    const nic = (o: Partial<HostFacts['interfaces'][number]>) => ({ name: 'eth0', mtu: 1500, speedMbps: 1000, duplex: 'full' as const, up: true, wireless: false, virtual: false, txQueueLength: 1000, qdisc: null, ...o });
    const path = { targetBitsPerSecond: 1e9, rttMs: 20 };
    const f = selfCheckFindings(linux({}, { interfaces: [nic({ name: 'eth0', speedMbps: 100, duplex: 'half' }), nic({ name: 'wlan0', wireless: true }), nic({ name: 'veth1', speedMbps: 10, virtual: true }), nic({ name: 'eth1', speedMbps: 10, up: false })] }), path);
    expect(severity(f, 'nic-speed-eth0')).toBe('problem');
    expect(severity(f, 'duplex-eth0')).toBe('problem');
    expect(severity(f, 'wireless-wlan0')).toBe('info');
    expect(f.some((x) => x.id.endsWith('veth1') || x.id.endsWith('eth1'))).toBe(false);
    expect(severity(selfCheckFindings(linux({}, { interfaces: [nic({ speedMbps: 1000 })] }), path), 'nic-speed-eth0')).toBeUndefined();
  });

  it('CPU governor, macOS buffers and Windows auto-tuning', () => {
    const path = { targetBitsPerSecond: 1e9, rttMs: 100 };
    expect(severity(selfCheckFindings(linux({}, { cpuGovernors: ['powersave'] }), path), 'cpu-governor')).toBe('warn');
    const mac: HostFacts = { ...linux(), platform: 'darwin', tcp: emptyTcpFacts(), mac: { maxSockBuf: 8 * MiB, autoRcvBufMax: 4 * MiB, autoSndBufMax: 4 * MiB } };
    const macFindings = selfCheckFindings(mac, path);
    expect(severity(macFindings, 'tcp-receive-buffer')).toBe('problem');
    expect(macFindings.find((f) => f.id === 'tcp-receive-buffer')?.fix).toContain('kern.ipc.maxsockbuf');
    const win: HostFacts = { ...linux(), platform: 'win32', tcp: emptyTcpFacts(), windows: { autotuning: 'highlyrestricted' } };
    expect(severity(selfCheckFindings(win, path), 'windows-autotuning')).toBe('problem');
    expect(severity(selfCheckFindings({ ...win, windows: { autotuning: 'normal' } }, path), 'windows-autotuning')).toBeUndefined();
  });
});

describe('self-check collectors', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  it('reads Linux facts from /proc/sys and /sys (fixture tree)', async () => {
    const put = (path: string, text: string) => {
      mkdirSync(join(dir.path, path, '..'), { recursive: true });
      writeFileSync(join(dir.path, path), `${text}\n`);
    };
    put('proc/sys/net/core/rmem_max', '212992');
    put('proc/sys/net/core/wmem_max', '212992');
    put('proc/sys/net/ipv4/tcp_rmem', '4096\t131072\t6291456');
    put('proc/sys/net/ipv4/tcp_wmem', '4096\t16384\t4194304');
    put('proc/sys/net/ipv4/tcp_congestion_control', 'cubic');
    put('proc/sys/net/ipv4/tcp_available_congestion_control', 'reno cubic');
    put('proc/sys/net/ipv4/tcp_window_scaling', '1');
    put('proc/sys/net/core/default_qdisc', 'fq_codel');
    put('sys/class/net/enp3s0/mtu', '9000');
    put('sys/class/net/enp3s0/speed', '10000');
    put('sys/class/net/enp3s0/duplex', 'full');
    put('sys/class/net/enp3s0/operstate', 'up');
    put('sys/class/net/enp3s0/device/uevent', 'DRIVER=ixgbe');
    put('sys/class/net/wlp2s0/operstate', 'up');
    put('sys/class/net/wlp2s0/speed', '-1');
    put('sys/class/net/wlp2s0/wireless/.keep', '');
    put('sys/class/net/wlp2s0/device/uevent', 'DRIVER=iwlwifi');
    put('sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'powersave');
    put('sys/devices/system/cpu/cpu1/cpufreq/scaling_governor', 'powersave');
    const facts = await linuxFacts({ hostname: 'h', kernel: 'k', cpus: 2 }, realReadText, realListDir, dir.path);
    expect(facts.tcp.tcpRmem).toEqual([4096, 131072, 6291456]);
    expect(facts.tcp.availableCongestion).toEqual(['reno', 'cubic']);
    expect(facts.tcp.sack).toBeNull();
    const enp = facts.interfaces.find((i) => i.name === 'enp3s0');
    expect(enp).toMatchObject({ mtu: 9000, speedMbps: 10000, duplex: 'full', up: true, wireless: false, virtual: false });
    expect(facts.interfaces.find((i) => i.name === 'wlp2s0')).toMatchObject({ wireless: true, speedMbps: null });
    expect(facts.cpuGovernors).toEqual(['powersave']);
    const report = await selfCheck({ rttMs: 100 }, facts);
    expect(report.maxReceiveWindow).toBe(6291456);
    expect(report.findings.find((f) => f.id === 'tcp-receive-buffer')?.severity).toBe('problem');
  });

  it('parses macOS sysctl and ifconfig, and Windows netsh output', () => {
    expect(parseSysctlLines('kern.ipc.maxsockbuf: 8388608\nnet.inet.tcp.autorcvbufmax: 4194304\ngarbage')).toEqual({ 'kern.ipc.maxsockbuf': '8388608', 'net.inet.tcp.autorcvbufmax': '4194304' });
    const ifc = parseIfconfig(`lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 16384
en0: flags=8863<UP,BROADCAST,SMART,RUNNING,SIMPLEX,MULTICAST> mtu 1500
\tether 3c:22:fb:00:00:01
\tmedia: autoselect (1000baseT <full-duplex>)
\tstatus: active
utun0: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> mtu 1380
`);
    expect(ifc.map((i) => i.name)).toEqual(['en0', 'utun0']);
    expect(ifc[0]).toMatchObject({ mtu: 1500, speedMbps: 1000, duplex: 'full', up: true, virtual: false });
    expect(ifc[1]).toMatchObject({ mtu: 1380, virtual: true });
    expect(parseNetshTcpGlobal('Querying active state...\n\nTCP Global Parameters\n----------------------------------------------\nReceive-Side Scaling State          : enabled\nReceive Window Auto-Tuning Level    : highlyrestricted\n')).toEqual({ autotuning: 'highlyrestricted' });
    expect(parseNetshTcpGlobal('nothing here')).toEqual({ autotuning: null });
  });
});
