import { networkInterfaces } from 'node:os';
import { execa } from 'execa';
import { emptyTcpFacts, type HostFacts, type InterfaceFacts } from './facts.ts';

const run = async (file: string, args: string[]): Promise<string | null> => {
  const result = await execa(file, args, { reject: false, timeout: 5000, extendEnv: false, env: { LANG: 'C' }, stdin: 'ignore' }).catch(() => null);
  return result && result.exitCode === 0 ? String(result.stdout) : null;
};

/** `sysctl key: value` lines (macOS `sysctl kern.ipc.maxsockbuf ...`). */
export function parseSysctlLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n').slice(0, 500)) {
    const m = /^([\w.]+):\s*(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) out[m[1]] = (m[2] ?? '').trim();
  }
  return out;
}

/** `netsh interface tcp show global`: the "Receive Window Auto-Tuning Level" value. */
export function parseNetshTcpGlobal(text: string): { autotuning: string | null } {
  const m = /Receive Window Auto-Tuning Level\s*:\s*(\S+)/i.exec(text);
  return { autotuning: m?.[1]?.toLowerCase() ?? null };
}

/** `ifconfig` (BSD/macOS): mtu, status and media speed per interface. */
export function parseIfconfig(text: string): InterfaceFacts[] {
  const out: InterfaceFacts[] = [];
  let current: InterfaceFacts | null = null;
  for (const line of text.split('\n').slice(0, 5000)) {
    const head = /^([\w.]+):\s+flags=\S+.*\smtu\s+(\d+)/.exec(line);
    if (head?.[1]) {
      current = { name: head[1], mtu: Number(head[2]), speedMbps: null, duplex: null, up: /<[^>]*\bUP\b/.test(line), wireless: false, virtual: /^(lo|utun|gif|stf|awdl|llw|bridge|anpi|ap)\d*/.test(head[1]), txQueueLength: null, qdisc: null };
      if (current.name !== 'lo0') out.push(current);
      continue;
    }
    if (!current) continue;
    const status = /^\s+status:\s+(\w+)/.exec(line);
    if (status) current.up = current.up && status[1] === 'active';
    const media = /^\s+media:.*\((\d+)(G|M)?base[^<)]*(?:<([^>]*)>)?/.exec(line);
    if (media) {
      current.speedMbps = Number(media[1]) * (media[2] === 'G' ? 1000 : 1);
      if (media[3]) current.duplex = /full-duplex/.test(media[3]) ? 'full' : /half-duplex/.test(media[3]) ? 'half' : null;
    }
  }
  return out;
}

export async function macFacts(base: { hostname: string; kernel: string; cpus: number }): Promise<HostFacts> {
  const keys = ['kern.ipc.maxsockbuf', 'net.inet.tcp.autorcvbufmax', 'net.inet.tcp.autosndbufmax', 'net.inet.tcp.sack', 'net.inet.tcp.rfc1323'];
  const values = parseSysctlLines((await run('/usr/sbin/sysctl', keys)) ?? '');
  const num = (key: string) => (values[key] !== undefined && /^\d+$/.test(values[key] ?? '') ? Number(values[key]) : null);
  const tcp = emptyTcpFacts();
  tcp.sack = num('net.inet.tcp.sack') === null ? null : num('net.inet.tcp.sack') !== 0;
  tcp.windowScaling = num('net.inet.tcp.rfc1323') === null ? null : num('net.inet.tcp.rfc1323') !== 0;
  tcp.timestamps = tcp.windowScaling;
  const interfaces = parseIfconfig((await run('/sbin/ifconfig', [])) ?? '');
  return {
    platform: 'darwin',
    ...base,
    tcp,
    mac: { maxSockBuf: num('kern.ipc.maxsockbuf'), autoRcvBufMax: num('net.inet.tcp.autorcvbufmax'), autoSndBufMax: num('net.inet.tcp.autosndbufmax') },
    windows: null,
    interfaces,
    cpuGovernors: [],
  };
}

export async function windowsFacts(base: { hostname: string; kernel: string; cpus: number }): Promise<HostFacts> {
  const netsh = parseNetshTcpGlobal((await run('netsh', ['interface', 'tcp', 'show', 'global'])) ?? '');
  const interfaces: InterfaceFacts[] = Object.entries(networkInterfaces())
    .filter(([, addrs]) => addrs?.some((a) => !a.internal))
    .map(([name]) => ({ name, mtu: null, speedMbps: null, duplex: null, up: true, wireless: /wi-?fi|wireless|wlan/i.test(name), virtual: /vethernet|virtual|vpn|tap|tun/i.test(name), txQueueLength: null, qdisc: null }));
  return { platform: 'win32', ...base, tcp: emptyTcpFacts(), mac: null, windows: netsh, interfaces, cpuGovernors: [] };
}
