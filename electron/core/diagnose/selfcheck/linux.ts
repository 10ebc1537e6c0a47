import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyTcpFacts, type HostFacts, type InterfaceFacts } from './facts.ts';

export type ReadText = (path: string) => Promise<string | null>;
export type ListDir = (path: string) => Promise<string[]>;

export const realReadText: ReadText = (path) => readFile(path, 'utf8').then((t) => t.trim(), () => null);
export const realListDir: ListDir = (path) => readdir(path).catch(() => []);

const int = (text: string | null): number | null => {
  if (text === null || !/^-?\d+$/.test(text)) return null;
  return Number(text);
};
const triple = (text: string | null): [number, number, number] | null => {
  const parts = text?.split(/\s+/).map(Number);
  return parts && parts.length === 3 && parts.every(Number.isFinite) ? [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0] : null;
};
const flag = (text: string | null): boolean | null => (text === null ? null : text !== '0');

/**
 * Linux facts from /proc/sys and /sys, readable without privileges. `root` lets tests point it at
 * a fixture tree.
 */
export async function linuxFacts(base: { hostname: string; kernel: string; cpus: number }, read: ReadText = realReadText, list: ListDir = realListDir, root = '/'): Promise<HostFacts> {
  const sys = (path: string) => read(join(root, 'proc/sys', path));
  const tcp = emptyTcpFacts();
  tcp.rmemMax = int(await sys('net/core/rmem_max'));
  tcp.wmemMax = int(await sys('net/core/wmem_max'));
  tcp.tcpRmem = triple(await sys('net/ipv4/tcp_rmem'));
  tcp.tcpWmem = triple(await sys('net/ipv4/tcp_wmem'));
  tcp.congestion = await sys('net/ipv4/tcp_congestion_control');
  tcp.availableCongestion = (await sys('net/ipv4/tcp_available_congestion_control'))?.split(/\s+/).filter(Boolean) ?? [];
  tcp.windowScaling = flag(await sys('net/ipv4/tcp_window_scaling'));
  tcp.timestamps = flag(await sys('net/ipv4/tcp_timestamps'));
  tcp.sack = flag(await sys('net/ipv4/tcp_sack'));
  tcp.mtuProbing = int(await sys('net/ipv4/tcp_mtu_probing'));
  tcp.defaultQdisc = await sys('net/core/default_qdisc');

  const interfaces: InterfaceFacts[] = [];
  const netDir = join(root, 'sys/class/net');
  for (const name of (await list(netDir)).slice(0, 256)) {
    if (name === 'lo') continue;
    const attr = (file: string) => read(join(netDir, name, file));
    const speed = int(await attr('speed'));
    const duplex = await attr('duplex');
    const device = await read(join(netDir, name, 'device/uevent'));
    interfaces.push({
      name,
      mtu: int(await attr('mtu')),
      speedMbps: speed !== null && speed > 0 ? speed : null,
      duplex: duplex === 'full' || duplex === 'half' ? duplex : null,
      up: (await attr('operstate')) === 'up',
      wireless: (await list(join(netDir, name, 'wireless'))).length > 0 || (await attr('phy80211/name')) !== null,
      virtual: device === null,
      txQueueLength: int(await attr('tx_queue_len')),
      qdisc: null,
    });
  }

  const governors = new Set<string>();
  const cpuDir = join(root, 'sys/devices/system/cpu');
  for (const entry of (await list(cpuDir)).filter((e) => /^cpu\d+$/.test(e)).slice(0, 1024)) {
    const governor = await read(join(cpuDir, entry, 'cpufreq/scaling_governor'));
    if (governor) governors.add(governor);
  }

  return { platform: 'linux', ...base, tcp, mac: null, windows: null, interfaces, cpuGovernors: [...governors] };
}
