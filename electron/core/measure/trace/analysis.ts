import type { HopAssessment, HopLossClass, MtuDrop, PathAssessment, PathHop, PathTrace, TraceMethod } from '../../../shared/path.ts';
import { round3 } from './text.ts';

/**
 * The per-hop reading of a trace (reference §2.7, mtr#239 / PingPlotter):
 *
 *   Loss at an intermediate hop that does not persist to later hops is the router limiting the
 *   ICMP it sends about itself, not loss of the traffic it forwards. Loss that starts at hop k and
 *   persists through every later hop to the destination is real, and starts on the link in front
 *   of hop k.
 *
 * Concretely, for each answering hop i the *forward loss* is the smallest loss among hop i and
 * every later answering hop (the destination included when reached): the part of hop i's loss
 * that all the rest of the path also shows. The remainder is rate limiting. Forward loss can only
 * grow along the path; where it grows (by more than `tolerancePercent`) is where loss starts.
 * Hops that never answer are "noReply" (a silent router is not loss), and loss at the last
 * answering hop of a trace that never reached the destination is "unverified".
 */

export interface AssessOptions {
  /** Probe method; UDP makes even the destination's answers ICMP (port unreachable), rate-limited too. */
  method?: TraceMethod;
  /** Differences in loss below this many percentage points are treated as equal (default 0.5). */
  tolerancePercent?: number;
}

export function assessPath(trace: PathTrace, options: AssessOptions = {}): PathAssessment {
  const tolerance = options.tolerancePercent ?? 0.5;
  const hops = [...trace.hops].sort((a, b) => a.ttl - b.ttl);
  const destination = hops.find((h) => h.reached) ?? null;
  const answering = (h: PathHop) => h.received > 0;
  const lastAnswering = [...hops].reverse().find(answering) ?? null;
  const caveats: string[] = [];

  // forward loss, computed from the end: min over this and all later answering hops
  const forward = new Map<number, number | null>();
  let runningMin: number | null = null;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i];
    if (!hop || !answering(hop) || hop.lossPercent === null) continue;
    runningMin = runningMin === null ? hop.lossPercent : Math.min(runningMin, hop.lossPercent);
    forward.set(hop.ttl, runningMin);
  }

  const assessed: HopAssessment[] = [];
  let previous: { forward: number; sent: number } | null = null;
  let lossStartsAtTtl: number | null = null;
  for (const hop of hops) {
    const loss = hop.lossPercent;
    const unreachable = hop.flags.find((f) => f !== '!' && !f.startsWith('!F')) ?? null;
    let lossClass: HopLossClass;
    let forwardLoss: number | null = null;
    let lossStartsHere = false;
    if (!answering(hop)) {
      lossClass = 'noReply';
    } else if (loss === null || loss <= tolerance) {
      lossClass = 'none';
      forwardLoss = loss === null ? null : forward.get(hop.ttl) ?? 0;
    } else if (!trace.reached && hop === lastAnswering) {
      lossClass = 'unverified';
    } else {
      forwardLoss = forward.get(hop.ttl) ?? null;
      lossClass = forwardLoss !== null && forwardLoss > tolerance ? 'forwardingLoss' : 'icmpRateLimited';
    }
    if (lossClass === 'forwardingLoss' && forwardLoss !== null) {
      // The first hop with forwarding loss is where it starts; a later hop only starts more loss
      // if its forward loss is higher by more than sampling noise.
      lossStartsHere = previous === null || previous.forward <= tolerance || significantlyHigher(previous.forward, previous.sent, forwardLoss, hop.sent, tolerance);
      if (lossStartsHere) lossStartsAtTtl ??= hop.ttl;
    }
    if (forwardLoss !== null && (previous === null || forwardLoss >= previous.forward)) {
      if (previous === null || lossStartsHere || forwardLoss <= tolerance) previous = { forward: forwardLoss, sent: hop.sent };
    }
    assessed.push({
      ttl: hop.ttl,
      lossClass,
      lossPercent: loss,
      forwardLossPercent: forwardLoss === null ? null : round3(forwardLoss),
      rateLimitedPercent: loss !== null && forwardLoss !== null ? round3(Math.max(0, loss - forwardLoss)) : null,
      lossStartsHere,
      unreachable,
    });
  }

  if (!trace.reached && hops.length > 0) {
    caveats.push(
      lastAnswering
        ? `The destination did not answer; loss is judged only up to hop ${lastAnswering.ttl}.`
        : 'No hop answered at all: the probes may be filtered, or the tool lacked privileges.',
    );
  }
  if (options.method === 'udp' && destination && (destination.lossPercent ?? 0) > tolerance) {
    caveats.push('UDP probes: the destination answers with ICMP "port unreachable", which hosts rate-limit too, so its loss may be rate limiting. Confirm with ping (ICMP echo) or TCP probes.');
  }
  if (hops.some((h) => h.responders.length > 1)) {
    caveats.push('Some hops answered from several addresses (load balancing): a lossy member can hide in the aggregate. Paris-style (fixed-flow) probes keep one path per run.');
  }
  if (trace.format === 'tracepath') {
    caveats.push('tracepath prints one line per answer and retries silently, so its per-hop loss is not a loss rate.');
  }

  return {
    hops: assessed,
    reached: trace.reached,
    destinationTtl: destination?.ttl ?? null,
    destinationLossPercent: destination?.lossPercent ?? null,
    lossStartsAtTtl,
    rateLimitedTtls: assessed.filter((h) => h.lossClass === 'icmpRateLimited').map((h) => h.ttl),
    silentTtls: assessed.filter((h) => h.lossClass === 'noReply').map((h) => h.ttl),
    mtu: mtuProfile(trace),
    caveats,
  };
}

/**
 * Two loss shares (percent, out of n1 and n2 probes) differ by more than noise: the two-proportion
 * z statistic exceeds 2 (about 95%), and the difference exceeds `tolerance` points.
 */
export function significantlyHigher(p1: number, n1: number, p2: number, n2: number, tolerance = 0.5): boolean {
  if (p2 - p1 <= tolerance) return false;
  if (n1 <= 0 || n2 <= 0) return true;
  const a = p1 / 100;
  const b = p2 / 100;
  const pooled = (a * n1 + b * n2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se === 0 ? true : (b - a) / se > 2;
}

/**
 * Where the MTU goes down. A hop's `mtu` applies to the link into that hop, so a drop at hop t is
 * a narrower link between hop t-1 and hop t; the router that reported it (tracepath, BSD "!F-N")
 * is normally hop t-1 itself.
 */
export function mtuProfile(trace: PathTrace): PathAssessment['mtu'] {
  const hops = [...trace.hops].sort((a, b) => a.ttl - b.ttl);
  const initial = trace.localMtu ?? hops.find((h) => h.ttl === 1 && h.mtu !== null)?.mtu ?? null;
  let current = initial;
  const drops: MtuDrop[] = [];
  for (let i = 0; i < hops.length; i += 1) {
    const hop = hops[i];
    if (!hop || hop.mtu === null) continue;
    // A router's explicit "fragmentation needed" is a drop even when the MTU before it is unknown.
    if ((current !== null && hop.mtu < current) || (current === null && hop.mtuReportedBy !== null)) {
      const before = i > 0 ? hops[i - 1] : undefined;
      const beforeAddress = before?.ttl === hop.ttl - 1 ? before.responders[0]?.address ?? null : null;
      drops.push({
        ttl: hop.ttl,
        fromMtu: current,
        toMtu: hop.mtu,
        afterTtl: hop.ttl > 1 ? hop.ttl - 1 : null,
        afterAddress: beforeAddress ?? hop.mtuReportedBy,
        reportedBy: hop.mtuReportedBy,
      });
    }
    current = current === null ? hop.mtu : Math.min(current, hop.mtu);
  }
  const final = trace.pathMtu ?? current;
  return { initial, final, drops };
}
