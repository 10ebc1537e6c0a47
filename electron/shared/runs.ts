import { z } from 'zod';
import { ERROR_CODES } from './errors.ts';
import { isValidHost, isValidPort, MAX_HOST_LENGTH } from './target.ts';
import { LatencyOptions, OnewayRunSummary, SessionPackets, TwampOptions } from './latency.ts';
import { HopAssessment, MtuOptions, MtuProbe, MtuSummary, PathHop, PingReply, RttOptions, RttSummary, TraceOptions, TraceSummary } from './path.ts';
import { ThroughputInterval, ThroughputOptions, ThroughputSeries, ThroughputSummary } from './throughput.ts';

export const RUN_KINDS = ['throughput', 'latency', 'twamp', 'trace', 'rtt', 'mtu'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export const RunId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const TargetInput = z.strictObject({
  host: z
    .string()
    .max(MAX_HOST_LENGTH + 1)
    .refine(isValidHost, { message: 'not a valid host name or IP address' }),
  port: z.number().int().refine(isValidPort, { message: 'port must be 1-65535' }).nullable().default(null),
});
export type TargetInput = z.input<typeof TargetInput>;

export const StartRunInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('throughput'), target: TargetInput, options: ThroughputOptions.default(ThroughputOptions.parse({})) }),
  z.strictObject({ kind: z.literal('latency'), target: TargetInput, options: LatencyOptions.default(LatencyOptions.parse({})) }),
  z.strictObject({ kind: z.literal('twamp'), target: TargetInput, options: TwampOptions.default(TwampOptions.parse({})) }),
  z.strictObject({ kind: z.literal('trace'), target: TargetInput, options: TraceOptions.default(TraceOptions.parse({})) }),
  z.strictObject({ kind: z.literal('rtt'), target: TargetInput, options: RttOptions.default(RttOptions.parse({})) }),
  z.strictObject({ kind: z.literal('mtu'), target: TargetInput, options: MtuOptions.default(MtuOptions.parse({})) }),
]);
export type StartRunInput = z.input<typeof StartRunInput>;
export type StartRunRequest = z.output<typeof StartRunInput>;

export const ErrorInfoSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

export const RunSummary = z.object({
  id: RunId,
  kind: z.enum(RUN_KINDS),
  target: z.object({ host: z.string(), port: z.number().nullable() }),
  status: z.enum(RUN_STATUSES),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  error: ErrorInfoSchema.nullable(),
  tool: z.string().nullable(),
  toolVersion: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  /** The address family the run actually used (not just the one asked for). */
  family: z.enum(['4', '6']).nullable(),
  pathFingerprint: z.string().nullable(),
  tags: z.array(z.string()),
  /** The kind's own summary: exactly one of these is set for a run that produced one. */
  throughput: ThroughputSummary.nullable(),
  /** OWAMP (latency) and TWAMP runs. */
  oneway: OnewayRunSummary.nullable(),
  trace: TraceSummary.nullable(),
  rtt: RttSummary.nullable(),
  mtu: MtuSummary.nullable(),
});
export type RunSummary = z.output<typeof RunSummary>;

/** The stored measurement data of a run, one shape per kind. */
export const RunData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('throughput'), series: ThroughputSeries, intervals: z.array(ThroughputInterval) }),
  z.object({ kind: z.literal('latency'), sessions: z.array(SessionPackets) }),
  z.object({ kind: z.literal('twamp'), sessions: z.array(SessionPackets) }),
  z.object({ kind: z.literal('trace'), hops: z.array(PathHop), assessment: z.array(HopAssessment) }),
  z.object({ kind: z.literal('rtt'), replies: z.array(PingReply) }),
  z.object({ kind: z.literal('mtu'), hops: z.array(PathHop), assessment: z.array(HopAssessment), probes: z.array(MtuProbe) }),
]);
export type RunData = z.output<typeof RunData>;

export const RunDetail = RunSummary.extend({
  command: z.array(z.string()).nullable(),
  raw: z.object({ stdout: z.string(), stderr: z.string() }).nullable(),
  data: RunData.nullable(),
});
export type RunDetail = z.output<typeof RunDetail>;

export const Tag = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'tags cannot hold control characters');

const EpochMs = z.number().int().min(0).max(8.64e15);

export const RunListFilter = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
  /** Keyset pagination: only runs with an id below this one. */
  before: RunId.optional(),
  kind: z.enum(RUN_KINDS).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  host: z.string().max(MAX_HOST_LENGTH).optional(),
  /** Created at or after / before, ms since the epoch. */
  from: EpochMs.optional(),
  to: EpochMs.optional(),
  family: z.enum(['4', '6']).optional(),
  pathFingerprint: z.string().max(128).optional(),
  tag: Tag.optional(),
});
export type RunListFilter = z.input<typeof RunListFilter>;

export const RunIds = z.array(RunId).min(1).max(1000);
export const TagRunsInput = z.strictObject({ runIds: RunIds, add: z.array(Tag).max(20).default([]), remove: z.array(Tag).max(20).default([]) });
