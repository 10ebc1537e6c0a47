import type { Ceilings, Segment, Verdict, VerdictClass } from '../../shared/diagnosis.ts';
import { formatBitrate } from '../../shared/units.ts';
import type { DiagnosisEvidence, SegmentEvidence } from './evidence.ts';
import { packetsToResolve } from './formulas.ts';
import { THRESHOLDS, buildContext, lossIsSignificant, ruleCapacity, ruleCpu, ruleFarWindow, ruleHostWindow, ruleLoss, ruleMeetsTarget, ruleMtu, rulePathChange, type Context } from './rules.ts';

/** Where loss starts: the first tested segment that is lossy, else the untested rest of the path. */
function locateLoss(e: DiagnosisEvidence, c: Context): { segment: Segment | null; hopNote: string | null } {
  let segment: Segment | null = null;
  const ordered = [...e.segments].sort((a, b) => a.index - b.index);
  const lossy = ordered.find((s) => s.loss.some((l) => lossIsSignificant(l, c, e.targetBitsPerSecond)));
  if (lossy) segment = { index: lossy.index, from: lossy.from, to: lossy.to };
  else if (ordered.length > 0) {
    const last = ordered[ordered.length - 1];
    const clean = ordered.every((s) => s.loss.length > 0);
    if (last && clean) segment = { index: last.index + 1, from: last.to, to: e.target };
  }
  const hop = e.path?.hops.find((h) => h.forwardingLoss);
  const hopNote = hop ? `loss starts at hop ${hop.ttl}${hop.address ? ` (${hop.address})` : ''} and persists to the destination` : null;
  return { segment, hopNote };
}

/**
 * Where a bottleneck sits: the first via host whose own throughput (same direction) is about the
 * end-to-end plateau closes the capped segment; when every via host is clear, the rest of the path.
 */
function locateCapacity(e: DiagnosisEvidence, direction: 'upload' | 'download' | null, plateau: number | null): Segment | null {
  if (direction === null || plateau === null) return null;
  const clearAbove = Math.min(THRESHOLDS.segmentClear * plateau, THRESHOLDS.meetsTarget * e.targetBitsPerSecond);
  let previous: SegmentEvidence | null = null;
  for (const s of [...e.segments].sort((a, b) => a.index - b.index)) {
    const rate = Math.max(0, ...s.throughput.filter((t) => !t.failed && t.direction === direction).map((t) => t.bitsPerSecond));
    if (rate === 0) return null;
    if (rate < clearAbove) return { index: s.index, from: s.from, to: s.to };
    previous = s;
  }
  return previous ? { index: previous.index + 1, from: previous.to, to: e.target } : null;
}

/** The link where full-size packets stop: from the hop before the drop to the hop at it (index = hops before it). */
function locateMtu(e: DiagnosisEvidence): Segment | null {
  const ttl = e.mtu?.dropAtTtl ?? null;
  if (ttl === null || ttl < 1) return null;
  const address = (n: number) => e.path?.hops.find((h) => h.ttl === n)?.address ?? `hop ${n}`;
  return { index: ttl - 1, from: ttl === 1 ? 'this host' : address(ttl - 1), to: address(ttl) };
}

const PRIORITY: VerdictClass[] = ['mtu', 'loss-limited', 'host-limited', 'capacity-limited', 'path-changed', 'healthy'];

/** Evidence → one explained verdict. Pure: the same stored runs always give the same answer. */
export function deriveVerdict(e: DiagnosisEvidence): Verdict {
  const c = buildContext(e);
  const meets = ruleMeetsTarget(e, c);
  const mtu = ruleMtu(e);
  const loss = ruleLoss(e, c);
  const window = ruleHostWindow(e, c);
  const cpu = ruleCpu(e, c);
  const far = ruleFarWindow(e, c);
  const capacity = ruleCapacity(e, c, { loss: loss.fired, host: window.fired || cpu.fired || far.fired });
  const pathChange = rulePathChange(e);
  const evidence = [meets, mtu, loss, window, far, cpu, capacity, pathChange];

  const shortfall = !meets.fired && Object.keys(c.best).length > 0;
  const fired = new Set<VerdictClass>();
  if (mtu.fired) fired.add('mtu');
  // Loss the measured rate rides over (short path, BBR) is a warning, not what limits the rate.
  if (loss.fired && shortfall) fired.add('loss-limited');
  if (shortfall && (window.fired || far.fired || cpu.fired)) fired.add('host-limited');
  if (shortfall && capacity.fired) fired.add('capacity-limited');
  if (pathChange.fired) fired.add('path-changed');
  if (meets.fired && !mtu.fired) fired.add('healthy');
  const primary = PRIORITY.find((k) => fired.has(k)) ?? 'inconclusive';

  const worstLoss = loss.worst;
  const lossDirection = worstLoss ? (worstLoss.direction === 'to' ? 'upload' : worstLoss.direction === 'from' ? 'download' : 'both') : (loss.retransmitOnly?.direction ?? null);
  const direction = primary === 'loss-limited' ? lossDirection : primary === 'host-limited' ? (window.direction ?? (far.fired ? 'upload' : null)) : null;
  // Measured rate and window ceiling of one direction: the verdict's, else the slower one.
  const slower = Object.values(c.best).sort((a, b) => a.bitsPerSecond - b.bitsPerSecond)[0]?.direction ?? null;
  const focus = direction === 'upload' || direction === 'download' ? direction : primary === 'capacity-limited' ? capacity.direction : slower;
  const measured = (focus ? c.best[focus]?.bitsPerSecond : null) ?? null;
  const ceilings: Ceilings = {
    capacity: capacity.fired ? capacity.capacity : null,
    window: (focus === 'upload' && far.fired ? far.ceiling : focus ? window.ceilings[focus] : null) ?? null,
    // A rate well above the Mathis bound (BBR rides over loss) is not explained by it.
    mathis: fired.has('loss-limited') && !(loss.mathis !== null && measured !== null && measured > THRESHOLDS.mathisAgreement * loss.mathis) ? loss.mathis : null,
    expected: null,
  };
  const present = [ceilings.capacity, ceilings.window, ceilings.mathis].filter((v): v is number => v !== null);
  ceilings.expected = present.length ? Math.min(...present) : null;

  const located = primary === 'loss-limited' ? locateLoss(e, c) : { segment: primary === 'capacity-limited' ? locateCapacity(e, capacity.direction, capacity.capacity) : primary === 'mtu' ? locateMtu(e) : null, hopNote: null };
  const hostSide = window.fired ? 'local-host' : far.fired ? 'remote-host' : cpu.side;

  const resolution = c.tolerableLoss ? packetsToResolve(c.tolerableLoss) : null;
  const maxSent = Math.max(0, ...e.loss.map((l) => l.sent));
  const underSampled = e.loss.length > 0 && resolution !== null && maxSent < resolution;
  const noLossData = e.loss.length === 0;

  let headline: string;
  let side: Verdict['side'] = null;
  let confidence = 0.5;
  const nextSteps: string[] = [];
  switch (primary) {
    case 'mtu':
      side = 'network';
      confidence = e.mtu?.blackhole ? 0.9 : 0.65;
      headline = `Path MTU problem${located.segment ? ` between ${located.segment.from} and ${located.segment.to}` : ''}${e.mtu?.pathMtu ? `: only ${e.mtu.pathMtu}-byte packets get through` : ''}, and the ICMP that would tell TCP is lost.`;
      nextSteps.push('Ask the network operator to allow ICMP "fragmentation needed" (type 3 code 4) / ICMPv6 "packet too big" along the path.', 'As a workaround: enable net.ipv4.tcp_mtu_probing=1, or clamp the MSS on the tunnel or firewall.');
      break;
    case 'loss-limited': {
      side = 'network';
      const lost = worstLoss?.lost ?? 0;
      confidence = lost >= 10 ? 0.9 : lost >= 3 ? 0.75 : worstLoss ? 0.55 : 0.45;
      if (located.segment || located.hopNote) confidence = Math.min(0.95, confidence + 0.05);
      const where = located.segment ? ` on the segment ${located.segment.from} → ${located.segment.to}` : located.hopNote ? ` (${located.hopNote})` : '';
      const ridesOver = loss.mathis !== null && ceilings.mathis === null;
      if (ridesOver) confidence = Math.min(confidence, 0.6);
      headline = ridesOver
        ? `The network loses packets${where}, and TCP reached only ${formatBitrate(measured)} of the ${formatBitrate(e.targetBitsPerSecond)} needed; its congestion control rides over the loss (a loss-based one such as cubic would be capped near ${formatBitrate(loss.mathis)}).`
        : loss.retransmitOnly
        ? `TCP retransmitted ${(loss.retransmitOnly.rate * 100).toPrecision(2)} % of its segments ${loss.retransmitOnly.direction === 'upload' ? 'sending' : 'receiving'}: the network likely loses packets${where}; no light-probe loss measurement confirms it.`
        : `The network loses packets${where}: at this round-trip time that loss alone caps TCP near ${formatBitrate(ceilings.mathis)}.`;
      if (loss.retransmitOnly) nextSteps.push('Measure one-way loss (OWAMP) to the far host to confirm the loss and say which way it happens.');
      nextSteps.push(located.segment ? `Report the loss on ${located.segment.from} → ${located.segment.to} to the operator of that segment, with this evidence.` : 'Test against perfSONAR hosts part-way along the path to find the segment where loss starts.');
      nextSteps.push('Repeat at another time of day: loss that stays constant points at a faulty link or optic, loss that follows load points at congestion.');
      break;
    }
    case 'host-limited':
      side = hostSide ?? 'local-host';
      confidence = window.fired ? 0.85 : far.fired ? 0.8 : 0.75;
      if (window.fired) {
        headline = `This host limits the transfer: its TCP ${window.direction === 'upload' ? 'send' : 'receive'} buffer allows only ${formatBitrate(window.ceiling)} at this round-trip time; the network is not the problem.`;
        nextSteps.push('Raise the TCP buffer maxima (see the self-check for the exact settings) and measure again.');
      } else if (far.fired) {
        headline = `The far host (receiver) limits the upload: the receive window it advertises allows only ${formatBitrate(far.ceiling)} at this round-trip time; neither this host nor the network is the problem.`;
        nextSteps.push("Ask the far host's operator to raise its TCP receive buffer maxima (net.core.rmem_max, net.ipv4.tcp_rmem) to at least the bandwidth-delay product, then measure again.");
      } else {
        headline = `The ${side === 'remote-host' ? 'far host' : 'local host'} runs out of CPU before the network does.`;
        nextSteps.push('Use parallel streams (-P) or a faster host, then measure again.');
      }
      break;
    case 'capacity-limited':
      side = 'network';
      confidence = (capacity.queueSignal ? 0.8 : 0.65) + (located.segment ? 0.05 : 0);
      headline = `A bottleneck of about ${formatBitrate(capacity.capacity)} ${located.segment ? `on the segment ${located.segment.from} → ${located.segment.to}` : 'on the path'} sets the rate; the link is full, not lossy.`;
      if (!located.segment) nextSteps.push('Measure throughput to a perfSONAR host part-way along the path (--via) to find the segment with the bottleneck.');
      nextSteps.push('Compare with the capacity the Lookup Service lists for the far host and with your access link; ask whether a rate limit (VPN, firewall, policer) sits on the path.');
      break;
    case 'path-changed':
      side = 'network';
      confidence = 0.9;
      headline = 'The route to this host changed since the last measurement; compare results only within one route.';
      nextSteps.push('Look at the path history for when it changed and compare throughput and delay before and after.');
      break;
    case 'healthy':
      confidence = underSampled || noLossData || loss.fired ? 0.6 : 0.85;
      headline = loss.fired
        ? `Healthy: ${formatBitrate(measured)} meets the ${formatBitrate(e.targetBitsPerSecond)} needed, but the path loses packets; that loss does not limit this rate now.`
        : `Healthy: ${formatBitrate(measured)} meets the ${formatBitrate(e.targetBitsPerSecond)} needed, with no loss that matters at this round-trip time.`;
      if (loss.fired) nextSteps.push(`Warning: ${loss.summary} It would limit a longer path or a loss-based TCP; find where it starts before it does.`);
      if (underSampled) nextSteps.push(`To rule out loss that matters at this RTT, send at least ${resolution} packets (sent ${maxSent}).`);
      if (noLossData) nextSteps.push('Loss was not measured with light probes (OWAMP/TWAMP); a clean TCP test alone cannot rule out rare loss that hurts longer paths.');
      nextSteps.push('If the application is still slow, look at the application and the disks: the host and the network can do better.');
      break;
    default:
      headline = 'Inconclusive: the measurements do not explain the shortfall.';
      confidence = 0.3;
      if (Object.keys(c.best).length === 0) nextSteps.push('Throughput could not be measured: check that an iperf3 server is reachable on the far host.');
      if (e.loss.length === 0) nextSteps.push('Measure one-way loss (OWAMP) to the far host.');
      if (underSampled) nextSteps.push(`Send at least ${resolution} packets to resolve the loss that matters here.`);
      nextSteps.push('Try the other IP version, and a perfSONAR host part-way along the path.');
  }
  // Too few probes cannot exclude loss as a contributor to a host or capacity verdict.
  if (underSampled && (primary === 'host-limited' || primary === 'capacity-limited')) confidence = Math.max(0.3, confidence - 0.1);
  if (fired.has('path-changed') && primary !== 'path-changed') nextSteps.push('Note: the route changed since the last measurement.');

  return {
    class: primary,
    side,
    direction,
    headline,
    confidence: Math.round(confidence * 100) / 100,
    measuredBitsPerSecond: measured,
    targetBitsPerSecond: e.targetBitsPerSecond,
    ceilings,
    segment: located.segment,
    alsoFound: [...fired].filter((k) => k !== primary),
    evidence: evidence.map(({ rule, fired: f, summary, numbers, runIds }) => ({ rule, fired: f, summary, numbers, runIds })),
    nextSteps,
  };
}
