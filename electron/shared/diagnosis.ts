import { z } from 'zod';
import { RunId } from './runs.ts';
import { MAX_HOST_LENGTH, isValidHost } from './target.ts';

export const VERDICT_CLASSES = ['healthy', 'host-limited', 'loss-limited', 'capacity-limited', 'mtu', 'path-changed', 'inconclusive'] as const;
export type VerdictClass = (typeof VERDICT_CLASSES)[number];

/** One rule's outcome: what it looked at, whether it fired, and the numbers behind it. */
export const RuleEvidence = z.object({
  rule: z.string(),
  fired: z.boolean(),
  summary: z.string(),
  numbers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  runIds: z.array(RunId),
});
export type RuleEvidence = z.output<typeof RuleEvidence>;

export const Ceilings = z.object({
  /** Bottleneck rate seen on the path (or the local interface speed), bits/s. */
  capacity: z.number().nullable(),
  /** Window limit: usable window × 8 / RTT, bits/s. */
  window: z.number().nullable(),
  /** Mathis et al. loss limit: (MSS/RTT) × 1.22 / √p, bits/s. */
  mathis: z.number().nullable(),
  /** The smallest of the above: what this host and path can be expected to reach. */
  expected: z.number().nullable(),
});
export type Ceilings = z.output<typeof Ceilings>;

export const Segment = z.object({ index: z.number().int(), from: z.string(), to: z.string() });
export type Segment = z.output<typeof Segment>;

export const Verdict = z.object({
  class: z.enum(VERDICT_CLASSES),
  /** Who is at fault: this host, the far host, or the network (path). */
  side: z.enum(['local-host', 'remote-host', 'network']).nullable(),
  direction: z.enum(['upload', 'download', 'both']).nullable(),
  headline: z.string(),
  confidence: z.number().min(0).max(1),
  measuredBitsPerSecond: z.number().nullable(),
  targetBitsPerSecond: z.number(),
  ceilings: Ceilings,
  segment: Segment.nullable(),
  /** Other classes that also fired, weaker than the headline one. */
  alsoFound: z.array(z.enum(VERDICT_CLASSES)),
  evidence: z.array(RuleEvidence),
  nextSteps: z.array(z.string()),
});
export type Verdict = z.output<typeof Verdict>;

export const DiagnoseInput = z.strictObject({
  target: z.strictObject({
    host: z.string().max(MAX_HOST_LENGTH + 1).refine(isValidHost, { message: 'not a valid host name or IP address' }),
    port: z.number().int().min(1).max(65535).nullable().default(null),
  }),
  /** Intermediate perfSONAR hosts along the path, in order, for segment tests. */
  via: z.array(z.string().max(MAX_HOST_LENGTH + 1).refine(isValidHost, { message: 'not a valid host name or IP address' })).max(8).default([]),
  /** The rate the user needs; the verdict explains shortfalls below it. */
  targetBitsPerSecond: z.number().positive().max(1e12).default(1e9),
  depth: z.enum(['quick', 'normal', 'thorough']).default('normal'),
  /** OWAMP port to try for one-way loss (perfSONAR hosts listen on 861); null: echo requests only. */
  owampPort: z.number().int().min(1).max(65535).nullable().default(861),
});
export type DiagnoseInput = z.input<typeof DiagnoseInput>;

export const DIAGNOSIS_STATUSES = ['running', 'finished', 'failed', 'cancelled', 'interrupted'] as const;
export type DiagnosisStatus = (typeof DIAGNOSIS_STATUSES)[number];

export const DiagnosisRun = z.object({ runId: RunId, role: z.string(), family: z.enum(['4', '6']).nullable() });
export type DiagnosisRun = z.output<typeof DiagnosisRun>;

export const FamilyVerdict = z.object({ family: z.enum(['4', '6']).nullable(), verdict: Verdict });

export const Diagnosis = z.object({
  id: RunId,
  target: z.object({ host: z.string(), port: z.number().nullable() }),
  via: z.array(z.string()),
  targetBitsPerSecond: z.number(),
  depth: z.enum(['quick', 'normal', 'thorough']),
  owampPort: z.number().nullable(),
  status: z.enum(DIAGNOSIS_STATUSES),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  runs: z.array(DiagnosisRun),
  /** The headline verdict: the most serious one over the address families tested. */
  verdict: Verdict.nullable(),
  perFamily: z.array(FamilyVerdict),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type Diagnosis = z.output<typeof Diagnosis>;

export const DiagnosisSummary = Diagnosis.pick({ id: true, target: true, status: true, createdAt: true, finishedAt: true }).extend({
  verdictClass: z.enum(VERDICT_CLASSES).nullable(),
  headline: z.string().nullable(),
});
export type DiagnosisSummary = z.output<typeof DiagnosisSummary>;
