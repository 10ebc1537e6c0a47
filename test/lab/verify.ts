import type { FaultSpec, LabContext } from './context.ts';
import {
  flushPmtuCache,
  measureLoss,
  measureRtt,
  measureThroughput,
  measureTracepath,
  probePacketSize,
  socketMemory,
  type RttMeasurement,
} from './measure.ts';
import { containsHop, hopsOf, pathTo, type Hop } from './routing.ts';
import { binomialAcceptance, lossProbeCount } from './stats.ts';
import { linkBetween, linksOf, neighbours, nodeSpec, type Family, type NodeName } from './topology.ts';

export class LabVerificationError extends Error {
  readonly measured: unknown;

  constructor(message: string, measured: unknown) {
    super(`Lab fault not in effect: ${message}`);
    this.name = 'LabVerificationError';
    this.measured = measured;
  }
}

/** Tolerances the lab holds its own faults to (the "done when"). */
export const TOLERANCE = {
  /** two-sided probability of failing a correct loss fault by chance */
  lossAlpha: 1e-6,
  rateFraction: 0.1,
  delayMs: 2,
} as const;

export const VERIFY_IPERF3_PORT = 5299;

/** A source and a destination address whose path crosses a hop, for measuring a fault there. */
export interface Probe {
  readonly source: NodeName;
  readonly dest: NodeName;
  readonly net: number;
  readonly address: string;
  readonly forward: readonly NodeName[];
  readonly back: readonly NodeName[];
}

function sourceNet(context: LabContext, source: NodeName, forward: readonly NodeName[]): number {
  const next = forward[1];
  const links = linksOf(context.topology, source);
  const link = next ? links.find((l) => l.a === next || l.b === next) : links[0];
  if (!link) throw new Error(`${source} has no links.`);
  return link.net;
}

export function probeFor(context: LabContext, source: NodeName, dest: NodeName, net: number, family: Family = 4): Probe {
  const forward = pathTo(context.topology, context.routes, source, dest, net);
  const back = pathTo(context.topology, context.routes, dest, source, sourceNet(context, source, forward));
  return { source, dest, net, address: context.addr(dest, family, netPeer(context, dest, net)), forward, back };
}

function netPeer(context: LabContext, node: NodeName, net: number): NodeName {
  const link = linksOf(context.topology, node).find((l) => l.net === net);
  if (!link) throw new Error(`${node} has no address on net ${net}.`);
  return link.a === node ? link.b : link.a;
}

/**
 * The probe for a hop: `hop.from` pinging `hop.to` across their link, or, when the fault only acts
 * on forwarded packets (`forwarded`), a neighbour of `hop.from` whose path to `hop.to` crosses it.
 */
export function probeAcross(context: LabContext, hop: Hop, options: { forwarded?: boolean; family?: Family } = {}): Probe {
  const net = linkBetween(context.topology, hop.from, hop.to).net;
  const sources = options.forwarded ? neighbours(context.topology, hop.from).filter((n) => n !== hop.to) : [hop.from];
  for (const source of sources) {
    const probe = probeFor(context, source, hop.to, net, options.family);
    if (containsHop(probe.forward, hop)) return probe;
  }
  throw new Error(`No node can send packets that ${hop.from} forwards to ${hop.to}; this fault cannot be verified here.`);
}

function faultsOn(context: LabContext, path: readonly NodeName[]): FaultSpec[] {
  const hops = hopsOf(path);
  return context.activeFaults().filter((f) => 'hop' in f && hops.some((h) => h.from === f.hop.from && h.to === f.hop.to));
}

// ---------------------------------------------------------------- loss

export interface LossVerification {
  readonly probe: string;
  readonly expectedRatio: number;
  readonly sent: number;
  readonly lost: number;
  readonly measuredRatio: number;
  readonly acceptedLost: { readonly low: number; readonly high: number };
}

/** Round-trip loss a ping sees along the probe's paths, from every loss fault on them. */
export function expectedRoundTripLoss(context: LabContext, probe: Probe): number {
  const losses = [...faultsOn(context, probe.forward), ...faultsOn(context, probe.back)].filter((f) => f.kind === 'loss');
  return 1 - losses.reduce((survive, f) => survive * (1 - f.percent / 100), 1);
}

export async function verifyLoss(context: LabContext, hop: Hop): Promise<LossVerification> {
  const probe = probeAcross(context, hop);
  const expectedRatio = expectedRoundTripLoss(context, probe);
  const count = lossProbeCount(expectedRatio);
  const measured = await measureLoss(context, probe.source, probe.address, count);
  const lost = measured.sent - measured.received;
  const acceptedLost = binomialAcceptance(measured.sent, expectedRatio, TOLERANCE.lossAlpha);
  const result = { probe: `${probe.source} → ${probe.address}`, expectedRatio, sent: measured.sent, lost, measuredRatio: lost / measured.sent, acceptedLost };
  if (measured.sent < count * 0.99 || lost < acceptedLost.low || lost > acceptedLost.high) {
    throw new LabVerificationError(
      `loss ${hop.from}→${hop.to}: ${lost} of ${measured.sent} pings lost (${(result.measuredRatio * 100).toFixed(2)} %), ` +
        `expected ${(expectedRatio * 100).toFixed(2)} %, i.e. ${acceptedLost.low}..${acceptedLost.high} lost`,
      result,
    );
  }
  return result;
}

// ---------------------------------------------------------------- rate

export interface RateVerification {
  readonly probe: string;
  readonly expectedBitsPerSecond: number;
  readonly measuredBitsPerSecond: number;
  readonly retransmits: number | null;
}

export async function verifyRate(context: LabContext, hop: Hop): Promise<RateVerification> {
  const probe = probeAcross(context, hop);
  const onPath = faultsOn(context, probe.forward);
  const caps = onPath.flatMap((f) => (f.kind === 'rate' ? [f.rateMbit * 1e6] : []));
  if (onPath.some((f) => f.kind === 'loss')) throw new Error(`Cannot verify the rate cap on ${hop.from}→${hop.to} while the path also loses packets; add the rate cap first.`);
  const expectedBitsPerSecond = Math.min(...caps);
  const server = await context.spawn(probe.dest, ['iperf3', '-s', '-p', String(VERIFY_IPERF3_PORT)], {
    ready: { kind: 'listening', protocol: 'tcp', port: VERIFY_IPERF3_PORT },
  });
  try {
    const measured = await measureThroughput(context, probe.source, probe.address, { port: VERIFY_IPERF3_PORT, seconds: 2 });
    const result = { probe: `${probe.source} → ${probe.address}`, expectedBitsPerSecond, measuredBitsPerSecond: measured.receivedBitsPerSecond, retransmits: measured.retransmits };
    if (Math.abs(measured.receivedBitsPerSecond - expectedBitsPerSecond) > TOLERANCE.rateFraction * expectedBitsPerSecond) {
      throw new LabVerificationError(
        `rate ${hop.from}→${hop.to}: iperf3 measured ${(measured.receivedBitsPerSecond / 1e6).toFixed(1)} Mbit/s, cap is ${(expectedBitsPerSecond / 1e6).toFixed(1)} Mbit/s (±${TOLERANCE.rateFraction * 100} %)`,
        result,
      );
    }
    return result;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- delay

export interface DelayVerification {
  readonly probe: string;
  readonly baselineMinMs: number;
  readonly delayedMinMs: number;
  readonly addedMs: number;
  readonly expectedMs: number;
}

/** netem delays everything leaving `hop.from`; a delay line in `hop.from` only what it forwards. */
export function delayProbe(context: LabContext, hop: Hop, backend: 'netem' | 'delay-line'): Probe {
  const forwarded = backend === 'delay-line' && nodeSpec(context.topology, hop.to).role !== 'router';
  return probeAcross(context, hop, { forwarded });
}

export function measureDelayBaseline(context: LabContext, probe: Probe): Promise<RttMeasurement> {
  return measureRtt(context, probe.source, probe.address, { count: 20, intervalS: 0.02 });
}

export async function verifyDelay(context: LabContext, hop: Hop, ms: number, probe: Probe, baseline: RttMeasurement): Promise<DelayVerification> {
  const delayed = await measureRtt(context, probe.source, probe.address, { count: 20, intervalS: 0.02 });
  const addedMs = delayed.minMs - baseline.minMs;
  const result = { probe: `${probe.source} → ${probe.address}`, baselineMinMs: baseline.minMs, delayedMinMs: delayed.minMs, addedMs, expectedMs: ms };
  if (Math.abs(addedMs - ms) > TOLERANCE.delayMs) {
    throw new LabVerificationError(`delay ${hop.from}→${hop.to}: ping adds ${addedMs.toFixed(2)} ms, expected ${ms} ms (±${TOLERANCE.delayMs} ms)`, result);
  }
  return result;
}

// ---------------------------------------------------------------- mtu

export interface MtuVerification {
  readonly probe: string;
  readonly family: Family;
  readonly expectedPathMtu: number;
  /** tracepath's answer (null on a black hole, where it cannot learn anything) */
  readonly tracepathMtu: number | null;
  readonly largestPassing: number;
  readonly oversizeReportedMtu: number | null;
}

function blackholeProbe(context: LabContext, a: NodeName, b: NodeName, family: Family): Probe {
  for (const hop of [{ from: a, to: b }, { from: b, to: a }]) {
    if (nodeSpec(context.topology, hop.from).role !== 'router') continue;
    try {
      return probeAcross(context, hop, { forwarded: true, family });
    } catch {
      // try the other direction
    }
  }
  throw new Error(`No path enters link ${a}—${b} through a router; a PMTU black hole there cannot be observed.`);
}

export function pathMtu(context: LabContext, path: readonly NodeName[]): number {
  return Math.min(...hopsOf(path).map((h) => context.linkMtu(linkBetween(context.topology, h.from, h.to).net)));
}

export async function verifyMtu(context: LabContext, link: readonly [NodeName, NodeName], blackhole: boolean): Promise<MtuVerification[]> {
  const one = async (family: Family): Promise<MtuVerification> => {
    const probe = blackholeProbe(context, link[0], link[1], family);
    const expectedPathMtu = pathMtu(context, probe.forward);
    const tracepathMtu = blackhole ? null : (await measureTracepath(context, probe.source, probe.address)).pmtu;
    const fits = await probePacketSize(context, probe.source, probe.address, expectedPathMtu);
    const oversize = await probePacketSize(context, probe.source, probe.address, expectedPathMtu + 1);
    const result = {
      probe: `${probe.source} → ${probe.address}`,
      family,
      expectedPathMtu,
      tracepathMtu,
      largestPassing: fits.passed && !oversize.passed ? expectedPathMtu : Number.NaN,
      oversizeReportedMtu: oversize.reportedMtu,
    };
    const problems: string[] = [];
    if (!fits.passed) problems.push(`a ${expectedPathMtu}-byte packet did not pass`);
    if (oversize.passed) problems.push(`a ${expectedPathMtu + 1}-byte packet passed`);
    if (!blackhole && tracepathMtu !== expectedPathMtu) problems.push(`tracepath found pmtu ${tracepathMtu}`);
    if (!blackhole && oversize.reportedMtu !== expectedPathMtu) problems.push(`the oversize packet drew mtu ${oversize.reportedMtu} instead of ${expectedPathMtu}`);
    if (blackhole && oversize.reportedMtu !== null) problems.push(`the oversize packet drew an ICMP error naming mtu ${oversize.reportedMtu}: no black hole`);
    if (problems.length > 0) throw new LabVerificationError(`mtu ${link[0]}—${link[1]} IPv${family}${blackhole ? ' (black hole)' : ''}: ${problems.join('; ')}`, result);
    return result;
  };
  await Promise.all(context.topology.nodes.map((n) => flushPmtuCache(context, n.name)));
  return Promise.all([one(4), one(6)]);
}

// ---------------------------------------------------------------- window

export interface WindowVerification {
  readonly peer: NodeName;
  readonly samples: number;
  readonly maxReceiveBuffer: number;
  readonly maxSendBuffer: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs iperf3 to and from `node` and reads its sockets' buffer limits with ss while data flows. */
export async function verifyWindow(context: LabContext, node: NodeName, rmemMax: number, wmemMax: number): Promise<WindowVerification> {
  const peer = neighbours(context.topology, node)[0];
  if (!peer) throw new Error(`${node} has no neighbour to exchange data with.`);
  const address = context.addr(node, 4, peer);
  const server = await context.spawn(node, ['iperf3', '-s', '-p', String(VERIFY_IPERF3_PORT)], { ready: { kind: 'listening', protocol: 'tcp', port: VERIFY_IPERF3_PORT } });
  let maxReceiveBuffer = 0;
  let maxSendBuffer = 0;
  let samples = 0;
  try {
    for (const reverse of [false, true]) {
      const transfer = measureThroughput(context, peer, address, { port: VERIFY_IPERF3_PORT, seconds: 1, reverse });
      let done = false;
      void transfer.finally(() => (done = true)).catch(() => undefined);
      for (let i = 0; i < 40 && !done; i += 1) {
        await sleep(100);
        for (const socket of await socketMemory(context, node, VERIFY_IPERF3_PORT)) {
          samples += 1;
          maxReceiveBuffer = Math.max(maxReceiveBuffer, socket.rcvbuf);
          maxSendBuffer = Math.max(maxSendBuffer, socket.sndbuf);
        }
      }
      await transfer;
    }
  } finally {
    await server.stop();
  }
  const result = { peer, samples, maxReceiveBuffer, maxSendBuffer };
  if (samples === 0 || maxReceiveBuffer > rmemMax || maxSendBuffer > wmemMax) {
    throw new LabVerificationError(
      `window on ${node}: ss saw receive buffers up to ${maxReceiveBuffer} (limit ${rmemMax}) and send buffers up to ${maxSendBuffer} (limit ${wmemMax}) in ${samples} samples`,
      result,
    );
  }
  return result;
}
