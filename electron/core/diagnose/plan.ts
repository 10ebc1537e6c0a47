import type { RunDetail, StartRunInput } from '../../shared/runs.ts';
import { mssFromMtu, packetsToResolve, tolerableLoss } from './formulas.ts';
import { THRESHOLDS } from './rules.ts';

export type Depth = 'quick' | 'normal' | 'thorough';

export interface PlannedStep {
  role: string;
  family: '4' | '6' | null;
  /** Human wording for progress. */
  label: string;
  request: StartRunInput;
  /** Skip this step when the step with this role (same family) succeeded: a fallback. */
  unlessSucceeded?: string;
  /** Skip this step when the step with this role (same family) ran and did not succeed. */
  ifSucceeded?: string;
  /** Run this step only when the throughput step with this role (same family) fell short of the target rate (as the verdict judges it). */
  ifShort?: string;
  /** Skip this step when the MTU step with this role (same family) suspects a path-MTU black hole. */
  unlessBlackHole?: string;
  /** Consecutive steps with the same batch run side by side (light probes to different hosts). */
  batch?: string;
}

/** What the runner knows of a finished step when it decides on the next ones. */
export interface StepOutcome {
  succeeded: boolean;
  /** The rate a throughput step measured, bits/s. */
  bitsPerSecond: number | null;
  /** An MTU step found full-size packets vanishing without an ICMP error. */
  blackHole?: boolean;
}

/**
 * Whether a planned step runs, given the outcomes so far (keyed `${family}:${role}`). Throughput to a
 * via host is there to place a shortfall on a segment: a direction that met the target has none.
 */
export function shouldRun(step: PlannedStep, outcomes: ReadonlyMap<string, StepOutcome>, targetBitsPerSecond: number): boolean {
  const outcome = (role: string) => outcomes.get(`${step.family}:${role}`);
  if (step.unlessSucceeded && outcome(step.unlessSucceeded)?.succeeded) return false;
  if (step.unlessBlackHole && outcome(step.unlessBlackHole)?.blackHole) return false;
  if (step.ifSucceeded) {
    const before = outcome(step.ifSucceeded);
    if (before && !before.succeeded) return false;
  }
  if (step.ifShort) {
    const measured = outcome(step.ifShort);
    if (measured?.succeeded && measured.bitsPerSecond !== null && measured.bitsPerSecond >= THRESHOLDS.meetsTarget * targetBitsPerSecond) return false;
  }
  return true;
}

/** The plan as the runner walks it: consecutive steps of one batch together, the rest one by one. */
export function batches(steps: PlannedStep[]): Array<Array<{ step: PlannedStep; index: number }>> {
  const out: Array<Array<{ step: PlannedStep; index: number }>> = [];
  steps.forEach((step, index) => {
    const last = out.at(-1);
    if (step.batch !== undefined && last?.[0]?.step.batch === step.batch) last.push({ step, index });
    else out.push([{ step, index }]);
  });
  return out;
}

/** Light probes for the loss estimate (OWAMP packets, else echo requests): resolve ~0.3 % .. 0.06 % loss. */
const PINGS: Record<Depth, { count: number; intervalSeconds: number }> = {
  quick: { count: 300, intervalSeconds: 0.01 },
  normal: { count: 1000, intervalSeconds: 0.01 },
  thorough: { count: 5000, intervalSeconds: 0.01 },
};

/** A probe later than this counts as lost: far beyond any terrestrial RTT, and it keeps the step short. */
const OWAMP_LOSS_TIMEOUT_SECONDS = 1;

/** The most light probes a loss step sends when the path needs finer resolution (at 100 per second). */
const LOSS_PACKET_CAP: Record<Depth, number> = { quick: 300, normal: 3000, thorough: 10_000 };

/**
 * Packets a loss step should send: enough that "none lost" rules out the loss that would cap TCP
 * below the target at this RTT (≈ 3 / tolerable loss), within the depth's bounds.
 */
export function lossPackets(depth: Depth, rttSeconds: number | null, targetBitsPerSecond: number, family: '4' | '6' | null): number {
  const base = PINGS[depth].count;
  if (rttSeconds === null || !(rttSeconds > 0)) return base;
  const needed = packetsToResolve(Math.min(1, tolerableLoss(mssFromMtu(null, family), rttSeconds, targetBitsPerSecond)));
  return Math.max(base, Math.min(LOSS_PACKET_CAP[depth], needed));
}

/** The destination's best RTT from a finished route trace, seconds; null when it was not reached. */
export function traceRttSeconds(trace: RunDetail): number | null {
  if (trace.data?.kind !== 'trace' || !trace.trace?.reached) return null;
  const ttl = trace.trace.destinationTtl;
  const best = trace.data.hops.find((h) => h.ttl === ttl)?.rtt?.best ?? null;
  return best !== null && best > 0 ? best / 1000 : null;
}

/** A loss step with its packet count set for the path (rtt runs count, latency runs packets). */
export function withLossPackets(step: PlannedStep, packets: number): PlannedStep {
  const request = step.request;
  if (request.kind === 'rtt') return { ...step, label: step.label.replace(/\d+ echo requests/, `${packets} echo requests`), request: { ...request, options: { ...request.options, count: packets } } };
  if (request.kind === 'latency') return { ...step, label: step.label.replace(/\(\d+ packets\)/, `(${packets} packets)`), request: { ...request, options: { ...request.options, packets } } };
  return step;
}

const THROUGHPUT_SECONDS: Record<Depth, { duration: number; omit: number }> = {
  quick: { duration: 4, omit: 1 },
  normal: { duration: 10, omit: 2 },
  thorough: { duration: 20, omit: 3 },
};

/**
 * Loss toward `host`: OWAMP both ways when the host answers on `owampPort` (it tells which
 * direction loses), else echo requests (round trip only). Behind a path-MTU black hole OWAMP's
 * control connection would stall fetching its records, so small echo requests measure instead.
 */
function lossSteps(role: string, host: string, family: '4' | '6' | null, what: string, depth: Depth, owampPort: number | null): PlannedStep[] {
  const fam = family ?? 'any';
  const pings = PINGS[depth];
  const suffix = family ? ` over IPv${family}` : '';
  const rtt: PlannedStep = { role: `${role}-rtt`, family, label: `${what} with ${pings.count} echo requests${suffix}`, request: { kind: 'rtt', target: { host, port: null }, options: { family: fam, ...pings } } };
  if (owampPort === null) return [rtt];
  return [
    {
      role: `${role}-owamp`,
      family,
      label: `${what} each way with OWAMP (${pings.count} packets)${suffix}`,
      request: { kind: 'latency', target: { host, port: owampPort }, options: { family: fam, packets: pings.count, interval: pings.intervalSeconds, direction: 'both', lossTimeout: OWAMP_LOSS_TIMEOUT_SECONDS } },
      unlessBlackHole: 'mtu',
    },
    { ...rtt, label: `${rtt.label} (no OWAMP answer)`, unlessSucceeded: `${role}-owamp` },
  ];
}

/**
 * The measurements a diagnosis runs, in order, per address family: path first (cheap, and it tells
 * the rest where to look), loss next, throughput last (it disturbs the path the most).
 */
export function planDiagnosis(target: { host: string; port: number | null }, families: Array<'4' | '6' | null>, depth: Depth, via: string[] = [], owampPort: number | null = null): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const { duration, omit } = THROUGHPUT_SECONDS[depth];
  for (const family of families) {
    const fam = family ?? 'any';
    const suffix = family ? ` over IPv${family}` : '';
    const host = { host: target.host, port: null };
    steps.push({ role: 'trace', family, label: `Route to the host${suffix}`, request: { kind: 'trace', target: host, options: { family: fam, queries: 3 } } });
    steps.push({ role: 'mtu', family, label: `Path MTU${suffix}`, request: { kind: 'mtu', target: host, options: { family: fam, maxMtu: 9000 } } });
    // Light probes to the target and to each via host run side by side: OWAMP first, then the
    // echo-request fallbacks for whichever hosts did not answer it.
    const loss = [lossSteps('loss', target.host, family, 'Loss and delay', depth, owampPort), ...via.map((hop, index) => lossSteps(`segment-${index}`, hop, family, `Loss to ${hop} (segment ${index + 1})`, depth, owampPort))].flat();
    const owamp = loss.filter((s) => s.request.kind === 'latency');
    const echo = loss.filter((s) => s.request.kind === 'rtt');
    steps.push(...owamp.map((s) => ({ ...s, batch: `owamp-${fam}` })), ...echo.map((s) => ({ ...s, batch: `echo-${fam}` })));
    for (const direction of ['upload', 'download'] as const) {
      steps.push({
        role: `throughput-${direction}`,
        family,
        label: `Throughput ${direction === 'upload' ? 'from this host' : 'to this host'}${suffix}`,
        request: { kind: 'throughput', target: { host: target.host, port: target.port }, options: { duration, omit, reverse: direction === 'download', family: fam } },
      });
    }
    // Throughput to each via host that runs an iperf3 server (default port) places a shortfall on a
    // segment, so it runs only in a direction that fell short end to end; a via host that did not
    // answer the upload is not asked for the download.
    via.forEach((hop, index) => {
      for (const direction of ['upload', 'download'] as const) {
        steps.push({
          role: `segment-${index}-throughput-${direction}`,
          family,
          label: `Throughput ${direction === 'upload' ? 'to' : 'from'} ${hop} (segment ${index + 1})${suffix}`,
          request: { kind: 'throughput', target: { host: hop, port: null }, options: { duration, omit, reverse: direction === 'download', family: fam } },
          ifShort: `throughput-${direction}`,
          ...(direction === 'download' ? { ifSucceeded: `segment-${index}-throughput-upload` } : {}),
        });
      }
    });
  }
  return steps;
}
