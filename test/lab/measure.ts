import { isIP } from 'node:net';
import type { CommandOptions, CommandResult } from './commands.ts';

/** Anything that can run a program on a lab node (the Lab does). */
export interface NodeRunner {
  exec(node: string, argv: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}

export function familyFlag(address: string): '-4' | '-6' {
  const family = isIP(address);
  if (family === 0) throw new Error(`${JSON.stringify(address)} is not an IP address.`);
  return family === 4 ? '-4' : '-6';
}

const text = (result: CommandResult) => `${String(result.stdout)}\n${String(result.stderr)}`;

// ---------------------------------------------------------------- parsers (pure)

export interface PingSummary {
  readonly transmitted: number;
  readonly received: number;
  readonly errors: number;
  readonly rtt: { readonly min: number; readonly avg: number; readonly max: number } | null;
}

export function parsePingSummary(output: string): PingSummary {
  const counts = /(\d+) packets transmitted, (\d+) received(?:, \+(\d+) errors)?/.exec(output);
  if (!counts) throw new Error(`No ping summary in:\n${output.slice(-500)}`);
  const rtt = /rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)\//.exec(output);
  return {
    transmitted: Number(counts[1]),
    received: Number(counts[2]),
    errors: Number(counts[3] ?? 0),
    rtt: rtt ? { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } : null,
  };
}

/** The MTU an ICMP "fragmentation needed" / "packet too big", or the local stack, reported to ping. */
export function parsePingMtu(output: string): number | null {
  const match = /mtu ?[=:] ?(\d+)/i.exec(output);
  return match ? Number(match[1]) : null;
}

export function parsePingTimes(output: string): number[] {
  return [...output.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
}

export function parsePingTtls(output: string): number[] {
  return [...output.matchAll(/ttl=(\d+)/g)].map((m) => Number(m[1]));
}

export interface TracepathResult {
  readonly pmtu: number;
  readonly hops: number | null;
  readonly reached: boolean;
}

export function parseTracepath(output: string): TracepathResult {
  const resume = /Resume: pmtu (\d+)(?: hops (\d+))?/.exec(output);
  if (!resume) throw new Error(`No tracepath summary in:\n${output.slice(-500)}`);
  return { pmtu: Number(resume[1]), hops: resume[2] ? Number(resume[2]) : null, reached: /\breached\b/.test(output) };
}

export interface TracerouteHop {
  readonly ttl: number;
  /** null when no probe of this hop was answered. */
  readonly address: string | null;
}

export function parseTraceroute(output: string): TracerouteHop[] {
  const hops: TracerouteHop[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const address = match[2]?.split(/\s+/).find((word) => isIP(word) !== 0) ?? null;
    hops.push({ ttl: Number(match[1]), address });
  }
  return hops;
}

export interface Iperf3Result {
  readonly receivedBitsPerSecond: number;
  readonly sentBitsPerSecond: number;
  readonly retransmits: number | null;
}

export function parseIperf3Json(output: string): Iperf3Result {
  const data = JSON.parse(output) as {
    error?: string;
    end?: { sum_received?: { bits_per_second: number }; sum_sent?: { bits_per_second: number; retransmits?: number }; sum?: { bits_per_second: number } };
  };
  if (data.error) throw new Error(`iperf3: ${data.error}`);
  const end = data.end;
  const received = end?.sum_received?.bits_per_second ?? end?.sum?.bits_per_second;
  const sent = end?.sum_sent?.bits_per_second ?? end?.sum?.bits_per_second;
  if (received === undefined || sent === undefined) throw new Error('iperf3 JSON has no end summary.');
  return { receivedBitsPerSecond: received, sentBitsPerSecond: sent, retransmits: end?.sum_sent?.retransmits ?? null };
}

export interface SocketMemory {
  readonly local: string;
  readonly peer: string;
  /** receive / send buffer sizes the kernel allows this socket, bytes */
  readonly rcvbuf: number;
  readonly sndbuf: number;
}

/** `ss -t -i -m -n -H` output: one socket line followed by its skmem/info line(s). */
export function parseSocketMemory(output: string): SocketMemory[] {
  const sockets: SocketMemory[] = [];
  let endpoints: [string, string] | null = null;
  for (const line of output.split('\n')) {
    const socket = /^(?:[A-Z][A-Z-]*\s+)?\d+\s+\d+\s+(\S+)\s+(\S+)/.exec(line);
    if (socket?.[1] && socket[2]) endpoints = [socket[1], socket[2]];
    const skmem = /skmem:\(r\d+,rb(\d+),t\d+,tb(\d+)/.exec(line);
    if (skmem && endpoints) {
      sockets.push({ local: endpoints[0], peer: endpoints[1], rcvbuf: Number(skmem[1]), sndbuf: Number(skmem[2]) });
      endpoints = null;
    }
  }
  return sockets;
}

// ---------------------------------------------------------------- measurements

export interface LossMeasurement {
  readonly sent: number;
  readonly received: number;
  readonly lossRatio: number;
}

/** Flood ping (root): as fast as replies come back, at least 100 per second. */
export async function measureLoss(lab: NodeRunner, node: string, address: string, count: number): Promise<LossMeasurement> {
  // -l 16: up to 16 echo requests in flight, so a long RTT does not stretch the flood to count × RTT.
  const result = await lab.exec(node, ['ping', familyFlag(address), '-n', '-q', '-f', '-l', '16', '-c', String(count), '-W', '1', address], {
    reject: false,
    timeoutMs: 20_000 + count * 12,
  });
  const summary = parsePingSummary(text(result));
  return { sent: summary.transmitted, received: summary.received, lossRatio: 1 - summary.received / summary.transmitted };
}

export interface RttMeasurement {
  readonly minMs: number;
  readonly avgMs: number;
  readonly maxMs: number;
  readonly received: number;
  /** per reply, in order */
  readonly timesMs: readonly number[];
  readonly ttls: readonly number[];
}

export async function measureRtt(lab: NodeRunner, node: string, address: string, options: { count?: number; intervalS?: number } = {}): Promise<RttMeasurement> {
  const count = options.count ?? 20;
  const interval = options.intervalS ?? 0.02;
  const result = await lab.exec(node, ['ping', familyFlag(address), '-n', '-c', String(count), '-i', String(interval), '-W', '2', address], {
    reject: false,
    timeoutMs: 10_000 + count * (interval * 1000 + 100),
  });
  const summary = parsePingSummary(text(result));
  if (!summary.rtt) throw new Error(`No replies from ${address} to ${node}:\n${text(result).slice(-500)}`);
  return { minMs: summary.rtt.min, avgMs: summary.rtt.avg, maxMs: summary.rtt.max, received: summary.received, timesMs: parsePingTimes(String(result.stdout)), ttls: parsePingTtls(String(result.stdout)) };
}

export interface SizeProbe {
  /** an echo reply came back */
  readonly passed: boolean;
  /** MTU named by an ICMP error or by the local stack, if any */
  readonly reportedMtu: number | null;
  readonly output: string;
}

/** One don't-fragment ping whose IP packet is exactly `packetBytes` long. */
export async function probePacketSize(lab: NodeRunner, node: string, address: string, packetBytes: number): Promise<SizeProbe> {
  const headers = isIP(address) === 4 ? 28 : 48;
  const result = await lab.exec(node, ['ping', familyFlag(address), '-n', '-M', 'do', '-s', String(packetBytes - headers), '-c', '2', '-i', '0.2', '-W', '1', address], {
    reject: false,
    timeoutMs: 10_000,
  });
  const output = text(result);
  const summary = parsePingSummary(output);
  return { passed: summary.received > 0, reportedMtu: parsePingMtu(output), output };
}

export async function measureTracepath(lab: NodeRunner, node: string, address: string): Promise<TracepathResult> {
  const result = await lab.exec(node, ['tracepath', familyFlag(address), '-n', '-m', '12', address], { reject: false, timeoutMs: 30_000 });
  return parseTracepath(text(result));
}

export async function measureTraceroute(lab: NodeRunner, node: string, address: string): Promise<TracerouteHop[]> {
  const result = await lab.exec(node, ['traceroute', familyFlag(address), '-n', '-q', '1', '-w', '2', '-m', '12', address], { reject: false, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`traceroute from ${node} to ${address} failed:\n${text(result).slice(-500)}`);
  return parseTraceroute(String(result.stdout));
}

export interface ThroughputOptions {
  readonly port: number;
  readonly seconds?: number;
  readonly reverse?: boolean;
}

export async function measureThroughput(lab: NodeRunner, node: string, address: string, options: ThroughputOptions): Promise<Iperf3Result> {
  const seconds = options.seconds ?? 2;
  const argv = ['iperf3', familyFlag(address), '-c', address, '-p', String(options.port), '-t', String(seconds), '-J', ...(options.reverse ? ['-R'] : [])];
  const result = await lab.exec(node, argv, { reject: false, timeoutMs: (seconds + 20) * 1000 });
  return parseIperf3Json(String(result.stdout));
}

export async function socketMemory(lab: NodeRunner, node: string, port: number): Promise<SocketMemory[]> {
  const result = await lab.exec(node, ['ss', '-t', '-i', '-m', '-n', '-H', 'state', 'established']);
  return parseSocketMemory(String(result.stdout)).filter((s) => s.local.endsWith(`:${port}`) || s.peer.endsWith(`:${port}`));
}

/** Forget learned path MTUs, so the next probe meets the links as they are now. */
export async function flushPmtuCache(lab: NodeRunner, node: string): Promise<void> {
  await lab.exec(node, ['ip', '-4', 'route', 'flush', 'cache']);
  await lab.exec(node, ['ip', '-6', 'route', 'flush', 'cache']);
}
