import type { PathFormat, PathHop, PathProbe, PathResponder, PathTrace, RttStats } from '../../../shared/path.ts';
import { HOP_FLAG } from '../../../shared/path.ts';
import { MAX_HOPS, MAX_PROBES_PER_HOP, neutralise, type Problems, round3 } from './text.ts';

/** Mean, best, worst, last and population standard deviation of the RTTs that came back. */
export function rttStats(rtts: readonly number[]): RttStats | null {
  if (rtts.length === 0) return null;
  let sum = 0;
  let best = Infinity;
  let worst = -Infinity;
  for (const r of rtts) {
    sum += r;
    if (r < best) best = r;
    if (r > worst) worst = r;
  }
  const avg = sum / rtts.length;
  let sq = 0;
  for (const r of rtts) sq += (r - avg) ** 2;
  return {
    last: rtts[rtts.length - 1] ?? null,
    avg: round3(avg),
    best,
    worst,
    stdev: round3(Math.sqrt(sq / rtts.length)),
  };
}

/**
 * Accumulates one hop from probe-by-probe output (traceroute, tracepath, tracert) and works out
 * counts, loss and statistics when done. Bounded: a hop never holds more than MAX_PROBES_PER_HOP.
 */
export class HopBuilder {
  readonly ttl: number;
  readonly probes: PathProbe[] = [];
  readonly #responders = new Map<string, PathResponder>();
  readonly #flags = new Set<string>();
  mtu: number | null = null;
  mtuReportedBy: string | null = null;
  asymm: number | null = null;
  note: string | null = null;
  reachedMark = false;
  /** Probes sent that are not in `probes` (e.g. tracepath retries that printed nothing). */
  extraSent = 0;

  constructor(ttl: number) {
    this.ttl = ttl;
  }

  get full(): boolean {
    return this.probes.length >= MAX_PROBES_PER_HOP;
  }

  responder(address: string, name: string | null): void {
    const existing = this.#responders.get(address);
    if (existing) {
      if (!existing.name && name) existing.name = name;
      return;
    }
    this.#responders.set(address, { address, name, replies: 0 });
  }

  probe(address: string | null, rttMs: number | null, flag: string | null = null): PathProbe | null {
    if (this.full) return null;
    const probe: PathProbe = { address, rttMs: rttMs === null ? null : Math.max(0, rttMs), flag: flag && HOP_FLAG.test(flag) ? flag : null };
    if (address !== null) {
      this.responder(address, null);
      const r = this.#responders.get(address);
      if (r) r.replies += 1;
    }
    if (probe.flag) this.#flags.add(probe.flag);
    this.probes.push(probe);
    return probe;
  }

  flag(flag: string): void {
    if (HOP_FLAG.test(flag)) this.#flags.add(flag);
  }

  addNote(text: string): void {
    const clean = neutralise(text.trim(), 200);
    if (!clean) return;
    this.note = this.note ? neutralise(`${this.note}; ${clean}`, 400) : clean;
  }

  build(targetAddress: string | null): PathHop {
    const sent = this.probes.length + this.extraSent;
    const answered = this.probes.filter((p) => p.address !== null || p.rttMs !== null);
    const rtts = answered.map((p) => p.rttMs).filter((r): r is number => r !== null);
    const responders = [...this.#responders.values()];
    const reached = this.reachedMark || (targetAddress !== null && responders.some((r) => r.address === targetAddress) && !this.#hasUnreachableFrom(targetAddress));
    return {
      ttl: this.ttl,
      responders,
      probes: this.probes,
      sent,
      received: answered.length,
      lossPercent: sent === 0 ? null : round3(((sent - answered.length) / sent) * 100),
      rtt: rttStats(rtts),
      mtu: this.mtu,
      mtuReportedBy: this.mtuReportedBy,
      asymm: this.asymm,
      flags: [...this.#flags],
      reached,
      note: this.note,
    };
  }

  /** "!H" from the target address itself would be odd but possible; it is not "reached". */
  #hasUnreachableFrom(address: string): boolean {
    return this.probes.some((p) => p.address === address && p.flag !== null && p.flag !== '!' && !p.flag.startsWith('!F'));
  }
}

/** The parts of a PathTrace every parser fills in the same way. */
export function finishTrace(
  format: PathFormat,
  fields: {
    target: string | null;
    targetAddress: string | null;
    maxHops?: number | null;
    packetBytes?: number | null;
    localMtu?: number | null;
    pathMtu?: number | null;
    hopsBack?: number | null;
  },
  hops: PathHop[],
  problems: Problems,
): PathTrace {
  const sorted = [...hops].sort((a, b) => a.ttl - b.ttl);
  // Hops after the destination answered are not part of the path (a tool that keeps probing).
  const firstReached = sorted.findIndex((h) => h.reached);
  const path = firstReached === -1 ? sorted : sorted.slice(0, firstReached + 1);
  if (path.length > MAX_HOPS) path.length = MAX_HOPS;
  return {
    format,
    target: fields.target,
    targetAddress: fields.targetAddress,
    maxHops: fields.maxHops ?? null,
    packetBytes: fields.packetBytes ?? null,
    hops: path,
    reached: firstReached !== -1,
    localMtu: fields.localMtu ?? null,
    pathMtu: fields.pathMtu ?? null,
    hopsBack: fields.hopsBack ?? null,
    problems: problems.list(),
  };
}

/** An empty result for input that is not this format at all. */
export function emptyTrace(format: PathFormat, problems: Problems): PathTrace {
  return finishTrace(format, { target: null, targetAddress: null }, [], problems);
}
