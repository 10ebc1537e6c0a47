import type { StartRunInput } from '../../shared/runs.ts';

export type Depth = 'quick' | 'normal' | 'thorough';

export interface PlannedStep {
  role: string;
  family: '4' | '6' | null;
  /** Human wording for progress. */
  label: string;
  request: StartRunInput;
}

const THROUGHPUT_SECONDS: Record<Depth, { duration: number; omit: number }> = {
  quick: { duration: 4, omit: 1 },
  normal: { duration: 10, omit: 2 },
  thorough: { duration: 20, omit: 3 },
};

/**
 * The measurements a diagnosis runs, in order, per address family: path first (cheap, and it tells
 * the rest where to look), loss next, throughput last (it disturbs the path the most).
 */
export function planDiagnosis(target: { host: string; port: number | null }, families: Array<'4' | '6' | null>, depth: Depth): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const { duration, omit } = THROUGHPUT_SECONDS[depth];
  for (const family of families) {
    const fam = family ?? 'any';
    const suffix = family ? ` over IPv${family}` : '';
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
