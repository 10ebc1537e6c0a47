import type { StartRunInput } from '../../shared/runs.ts';

export type Depth = 'quick' | 'normal' | 'thorough';

export interface PlannedStep {
  role: string;
  family: '4' | '6' | null;
  /** Human wording for progress. */
  label: string;
  request: StartRunInput;
}

/** Echo requests for the round-trip loss estimate: enough to resolve ~0.3 % .. 0.06 % loss. */
const PINGS: Record<Depth, { count: number; intervalSeconds: number }> = {
  quick: { count: 300, intervalSeconds: 0.01 },
  normal: { count: 1000, intervalSeconds: 0.01 },
  thorough: { count: 5000, intervalSeconds: 0.01 },
};

const THROUGHPUT_SECONDS: Record<Depth, { duration: number; omit: number }> = {
  quick: { duration: 4, omit: 1 },
  normal: { duration: 10, omit: 2 },
  thorough: { duration: 20, omit: 3 },
};

/**
 * The measurements a diagnosis runs, in order, per address family: path first (cheap, and it tells
 * the rest where to look), loss next, throughput last (it disturbs the path the most).
 */
export function planDiagnosis(target: { host: string; port: number | null }, families: Array<'4' | '6' | null>, depth: Depth, via: string[] = []): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const { duration, omit } = THROUGHPUT_SECONDS[depth];
  const pings = PINGS[depth];
  for (const family of families) {
    const fam = family ?? 'any';
    const suffix = family ? ` over IPv${family}` : '';
    const host = { host: target.host, port: null };
    steps.push({ role: 'trace', family, label: `Route to the host${suffix}`, request: { kind: 'trace', target: host, options: { family: fam, queries: 3 } } });
    steps.push({ role: 'mtu', family, label: `Path MTU${suffix}`, request: { kind: 'mtu', target: host, options: { family: fam, maxMtu: 9000 } } });
    steps.push({ role: 'loss-rtt', family, label: `Loss and delay with ${pings.count} echo requests${suffix}`, request: { kind: 'rtt', target: host, options: { family: fam, ...pings } } });
    via.forEach((hop, index) => {
      steps.push({ role: `segment-${index}-rtt`, family, label: `Loss to ${hop} (segment ${index + 1})${suffix}`, request: { kind: 'rtt', target: { host: hop, port: null }, options: { family: fam, ...pings } } });
    });
    for (const direction of ['upload', 'download'] as const) {
      steps.push({
        role: `throughput-${direction}`,
        family,
        label: `Throughput ${direction === 'upload' ? 'from this host' : 'to this host'}${suffix}`,
        request: { kind: 'throughput', target: { host: target.host, port: target.port }, options: { duration, omit, reverse: direction === 'download', family: fam } },
      });
    }
  }
  return steps;
}
