import type { RunDetail } from '../../shared/runs.ts';
import type { SelfCheckReport } from '../../shared/selfcheck.ts';
import type { DiagnosisEvidence, ThroughputEvidence } from './evidence.ts';

/** A run as the diagnosis used it: its role in the plan ("throughput-upload", ...) and its data. */
export interface RoleRun {
  role: string;
  family: '4' | '6' | null;
  run: RunDetail;
}

export function throughputEvidence(run: RunDetail, direction: 'upload' | 'download'): ThroughputEvidence | null {
  if (run.kind !== 'throughput') return null;
  const t = run.throughput;
  const intervals = run.data?.kind === 'throughput' ? run.data.intervals.filter((i) => i.stream === -1 && !i.omitted) : [];
  const failed = run.status === 'succeeded' ? null : { code: run.error?.code ?? run.status.toUpperCase(), message: run.error?.message ?? run.status };
  return {
    runId: run.id,
    direction,
    family: t?.family ?? run.family,
    bitsPerSecond: t ? (t.reverse ? t.receivedBitsPerSecond : t.receivedBitsPerSecond || t.sentBitsPerSecond) : 0,
    intervalBps: intervals.map((i) => i.bitsPerSecond),
    retransmits: t?.retransmits ?? null,
    bytes: t ? Math.max(t.sentBytes, t.receivedBytes) : 0,
    minRttUs: t?.minRtt ?? null,
    meanRttUs: t?.meanRtt ?? null,
    maxRttUs: t?.maxRtt ?? null,
    maxCwnd: t?.maxCwnd ?? null,
    pmtu: t?.pmtu ?? null,
    streams: t?.streams ?? 1,
    localCpuPercent: t?.localCpuPercent ?? null,
    remoteCpuPercent: t?.remoteCpuPercent ?? null,
    failed: t === null && !failed ? { code: 'UNPARSEABLE_OUTPUT', message: 'no summary' } : failed,
  };
}

/** Stored runs (by role) → the evidence the verdict rules read. */
export function evidenceFromRuns(input: { target: string; targetBitsPerSecond: number; host: SelfCheckReport | null; runs: RoleRun[] }): DiagnosisEvidence {
  const evidence: DiagnosisEvidence = { target: input.target, targetBitsPerSecond: input.targetBitsPerSecond, host: input.host, throughput: [], loss: [], path: null, mtu: null, segments: [] };
  for (const { role, run } of input.runs) {
    if (role === 'throughput-upload' || role === 'throughput-download') {
      const t = throughputEvidence(run, role === 'throughput-upload' ? 'upload' : 'download');
      if (t) evidence.throughput.push(t);
    }
  }
  return evidence;
}
