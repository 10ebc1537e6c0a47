import { z } from 'zod';
import { ERROR_CODES } from './errors.ts';
import { isValidHost, isValidPort, MAX_HOST_LENGTH } from './target.ts';
import { ThroughputInterval, ThroughputOptions, ThroughputSeries, ThroughputSummary } from './throughput.ts';

export const RUN_KINDS = ['throughput'] as const;
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
  throughput: ThroughputSummary.nullable(),
});
export type RunSummary = z.output<typeof RunSummary>;

/** The stored measurement data of a run, one shape per kind. */
export const RunData = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('throughput'), series: ThroughputSeries, intervals: z.array(ThroughputInterval) }),
]);
export type RunData = z.output<typeof RunData>;

export const RunDetail = RunSummary.extend({
  command: z.array(z.string()).nullable(),
  raw: z.object({ stdout: z.string(), stderr: z.string() }).nullable(),
  data: RunData.nullable(),
});
export type RunDetail = z.output<typeof RunDetail>;

export const RunListFilter = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
  /** Keyset pagination: only runs with an id below this one. */
  before: RunId.optional(),
  kind: z.enum(RUN_KINDS).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  host: z.string().max(MAX_HOST_LENGTH).optional(),
});
export type RunListFilter = z.input<typeof RunListFilter>;
