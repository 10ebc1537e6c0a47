import type { Finding } from '../../../shared/selfcheck.ts';
import { formatBitrate, formatBytes } from '../../../shared/units.ts';
import type { HostFacts } from './facts.ts';

export interface PathContext {
  rttMs: number;
  targetBitsPerSecond: number;
}

export const bdpBytes = (p: PathContext): number => Math.ceil((p.targetBitsPerSecond * (p.rttMs / 1000)) / 8);

/** The largest window autotuning can reach, from the buffer maxima (null when unknown). */
export function maxWindows(facts: HostFacts): { receive: number | null; send: number | null } {
  if (facts.mac) {
    const cap = facts.mac.maxSockBuf;
    const min = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
    return { receive: min(facts.mac.autoRcvBufMax, cap), send: min(facts.mac.autoSndBufMax, cap) };
  }
  return { receive: facts.tcp.tcpRmem?.[2] ?? null, send: facts.tcp.tcpWmem?.[2] ?? null };
}

const rateAt = (windowBytes: number, rttMs: number) => (windowBytes * 8) / (rttMs / 1000);

/** Facts → findings. Pure, so every rule is tested with recorded host facts. */
export function selfCheckFindings(facts: HostFacts, path: PathContext): Finding[] {
  const findings: Finding[] = [];
  const bdp = bdpBytes(path);
  const need = `${formatBytes(bdp)} (${formatBitrate(path.targetBitsPerSecond)} × ${path.rttMs} ms)`;
  const windows = maxWindows(facts);

  for (const [direction, size, knob] of [
    ['receive', windows.receive, facts.mac ? 'net.inet.tcp.autorcvbufmax / kern.ipc.maxsockbuf' : 'net.ipv4.tcp_rmem (max)'],
    ['send', windows.send, facts.mac ? 'net.inet.tcp.autosndbufmax / kern.ipc.maxsockbuf' : 'net.ipv4.tcp_wmem (max)'],
  ] as const) {
    if (size === null) continue;
    const enough = size >= bdp;
    findings.push({
      id: `tcp-${direction}-buffer`,
      area: 'tcp-buffers',
      severity: enough ? 'ok' : 'problem',
      title: enough ? `TCP ${direction} buffer covers the path` : `TCP ${direction} buffer is smaller than the path needs`,
      value: `${knob} = ${formatBytes(size)}`,
      expected: `≥ ${need}`,
      why: enough
        ? `One TCP stream can keep ${formatBitrate(path.targetBitsPerSecond)} in flight at ${path.rttMs} ms.`
        : `A single stream can carry at most buffer/RTT ≈ ${formatBitrate(rateAt(size, path.rttMs))} at ${path.rttMs} ms, whatever the network does: the host is the limit.`,
      fix: enough ? null : facts.mac ? `sudo sysctl -w kern.ipc.maxsockbuf=${Math.max(bdp * 2, 16777216)} net.inet.tcp.auto${direction === 'receive' ? 'rcv' : 'snd'}bufmax=${bdp * 2}` : `sudo sysctl -w net.ipv4.tcp_${direction === 'receive' ? 'r' : 'w'}mem="4096 131072 ${Math.max(bdp * 2, 67108864)}" and net.core.${direction === 'receive' ? 'r' : 'w'}mem_max=${Math.max(bdp * 2, 67108864)} (fasterdata.es.net host tuning)`,
    });
  }

  const coreMax = [facts.tcp.rmemMax, facts.tcp.wmemMax];
  if (facts.platform === 'linux' && coreMax.every((v) => v !== null) && Math.min(...(coreMax as number[])) < bdp) {
    findings.push({
      id: 'core-mem-max',
      area: 'tcp-buffers',
      severity: 'warn',
      title: 'Applications that set their own socket buffers are capped below the path BDP',
      value: `net.core.rmem_max = ${formatBytes(facts.tcp.rmemMax)}, wmem_max = ${formatBytes(facts.tcp.wmemMax)}`,
      expected: `≥ ${need}`,
      why: 'Tools such as iperf3 -w, GridFTP or rsync with explicit buffers cannot exceed net.core.rmem_max / wmem_max.',
      fix: `sudo sysctl -w net.core.rmem_max=${Math.max(bdp * 2, 67108864)} net.core.wmem_max=${Math.max(bdp * 2, 67108864)}`,
    });
  }

  if (facts.tcp.windowScaling === false) {
    findings.push({ id: 'window-scaling', area: 'tcp-stack', severity: 'problem', title: 'TCP window scaling is off', value: 'window scaling = 0', expected: '1', why: `Without window scaling a window is at most 64 KiB: ${formatBitrate(rateAt(65535, path.rttMs))} at ${path.rttMs} ms.`, fix: facts.mac ? 'sudo sysctl -w net.inet.tcp.rfc1323=1' : 'sudo sysctl -w net.ipv4.tcp_window_scaling=1' });
  }
  if (facts.tcp.sack === false) {
    findings.push({ id: 'sack', area: 'tcp-stack', severity: 'warn', title: 'Selective acknowledgements are off', value: 'sack = 0', expected: '1', why: 'Without SACK every loss costs a much slower recovery on long paths.', fix: facts.mac ? 'sudo sysctl -w net.inet.tcp.sack=1' : 'sudo sysctl -w net.ipv4.tcp_sack=1' });
  }
  if (facts.tcp.timestamps === false && facts.platform === 'linux') {
    findings.push({ id: 'timestamps', area: 'tcp-stack', severity: 'warn', title: 'TCP timestamps are off', value: 'tcp_timestamps = 0', expected: '1', why: 'Timestamps give accurate RTT estimates and protect against wrapped sequence numbers at high rates.', fix: 'sudo sysctl -w net.ipv4.tcp_timestamps=1' });
  }

  const cc = facts.tcp.congestion;
  if (cc) {
    const weak = cc === 'reno' || cc === 'vegas' || cc === 'westwood';
    const better = ['bbr', 'htcp', 'cubic'].filter((a) => facts.tcp.availableCongestion.includes(a));
    findings.push({
      id: 'congestion-control',
      area: 'congestion-control',
      severity: weak ? 'warn' : 'ok',
      title: weak ? `Congestion control ${cc} recovers slowly from loss on long paths` : `Congestion control is ${cc}`,
      value: `tcp_congestion_control = ${cc}`,
      expected: 'cubic, htcp or bbr',
      why: weak ? 'Reno halves its window per loss and grows it by one segment per RTT; at 100 ms a single loss costs minutes at 10 Gbit/s.' : 'A modern algorithm is in use.',
      fix: weak ? `sudo sysctl -w net.ipv4.tcp_congestion_control=${better[0] ?? 'cubic'}` : null,
    });
  }
  if (facts.tcp.defaultQdisc && ['pfifo_fast', 'pfifo'].includes(facts.tcp.defaultQdisc)) {
    findings.push({ id: 'qdisc', area: 'queueing', severity: 'info', title: 'The default queueing discipline does not pace', value: `default_qdisc = ${facts.tcp.defaultQdisc}`, expected: 'fq', why: 'fq paces TCP flows; bursts from a fast host into a slower path cause loss at shallow buffers.', fix: 'sudo sysctl -w net.core.default_qdisc=fq' });
  }
  if (facts.tcp.mtuProbing === 0 && facts.interfaces.some((i) => (i.mtu ?? 0) > 1500)) {
    findings.push({ id: 'mtu-probing', area: 'tcp-stack', severity: 'info', title: 'Jumbo-frame host without TCP MTU probing', value: 'tcp_mtu_probing = 0', expected: '1', why: 'If a path black-holes ICMP "fragmentation needed", TCP connections stall; MTU probing recovers.', fix: 'sudo sysctl -w net.ipv4.tcp_mtu_probing=1' });
  }

  const physical = facts.interfaces.filter((i) => i.up && !i.virtual);
  for (const nic of physical) {
    if (nic.speedMbps !== null && nic.speedMbps * 1e6 < path.targetBitsPerSecond) {
      findings.push({ id: `nic-speed-${nic.name}`, area: 'interface', severity: 'problem', title: `${nic.name} runs at ${formatBitrate(nic.speedMbps * 1e6)}, below the rate needed`, value: `${nic.speedMbps} Mbit/s`, expected: `≥ ${formatBitrate(path.targetBitsPerSecond)}`, why: 'No transfer can be faster than the link it leaves on. Check the cable, the switch port and autonegotiation.', fix: 'Check the cable and switch port; ethtool shows the negotiated speed.' });
    }
    if (nic.duplex === 'half') {
      findings.push({ id: `duplex-${nic.name}`, area: 'interface', severity: 'problem', title: `${nic.name} is in half duplex`, value: 'half duplex', expected: 'full duplex', why: 'A duplex mismatch lets small packets through and collapses bulk transfers in one direction.', fix: 'Set both ends to autonegotiate (or both to the same fixed speed and duplex).' });
    }
    if (nic.wireless) {
      findings.push({ id: `wireless-${nic.name}`, area: 'interface', severity: 'info', title: `${nic.name} is a wireless link`, value: 'Wi-Fi', expected: null, why: 'Wi-Fi rate, loss and delay vary from second to second; a wired test tells the host apart from the air.', fix: 'Repeat the test on a wired connection before blaming the wide-area network.' });
    }
  }

  const slow = facts.cpuGovernors.filter((g) => g === 'powersave' || g === 'ondemand' || g === 'conservative');
  if (slow.length > 0) {
    findings.push({ id: 'cpu-governor', area: 'cpu', severity: 'warn', title: `CPU frequency governor is ${slow.join(', ')}`, value: facts.cpuGovernors.join(', '), expected: 'performance', why: 'At high rates a single stream is bound by one core; a governor that clocks down costs throughput and adds jitter.', fix: 'sudo cpupower frequency-set -g performance (or tuned-adm profile network-throughput)' });
  }

  if (facts.windows?.autotuning && facts.windows.autotuning !== 'normal' && facts.windows.autotuning !== 'experimental') {
    findings.push({ id: 'windows-autotuning', area: 'tcp-buffers', severity: 'problem', title: 'Windows receive-window auto-tuning is restricted', value: facts.windows.autotuning, expected: 'normal', why: `A restricted receive window caps downloads: 64 KiB at ${path.rttMs} ms is ${formatBitrate(rateAt(65535, path.rttMs))}.`, fix: 'netsh interface tcp set global autotuninglevel=normal (as administrator)' });
  }
  return findings;
}
