import { z } from 'zod';
import { RUN_KINDS, RunId, Tag } from './runs.ts';
import { MAX_HOST_LENGTH, isValidHost } from './target.ts';
import { formatBitrate } from './units.ts';

/** What a compare view can plot, per kind; each metric has one unit. */
export const METRICS = {
  throughput: { label: 'Throughput', unit: 'bit/s', kinds: ['throughput'] },
  retransmits: { label: 'Retransmits', unit: 'count', kinds: ['throughput'] },
  rtt: { label: 'TCP RTT', unit: 'ms', kinds: ['throughput'] },
} as const;
export type Metric = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as [Metric, ...Metric[]];

/** A metric value as people read it: "902 Mbit/s", "31.2 ms", "12 count". */
export function formatMetricValue(metric: Metric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (metric === 'throughput') return formatBitrate(value);
  return `${Number(value.toPrecision(4))} ${METRICS[metric].unit}`;
}

const Host = z.string().max(MAX_HOST_LENGTH + 1).refine(isValidHost, { message: 'not a valid host name or IP address' });
const EpochMs = z.number().int().min(0).max(8.64e15);
const Range = { from: EpochMs.optional(), to: EpochMs.optional() };

/** A group of runs: listed explicitly, or picked by tag, host, family and time range. */
export const RunGroup = z.strictObject({
  label: z.string().min(1).max(64),
  runIds: z.array(RunId).max(10_000).optional(),
  tag: Tag.optional(),
  host: Host.optional(),
  family: z.enum(['4', '6']).optional(),
  ...Range,
});
export type RunGroup = z.input<typeof RunGroup>;

export const CompareInput = z.discriminatedUnion('view', [
  /** Run vs run: the per-interval series of each run, overlaid. */
  z.strictObject({ view: z.literal('runs'), runIds: z.array(RunId).min(1).max(8), metric: z.enum(METRIC_NAMES).default('throughput') }),
  /** Host vs host over time (or one host's history): one point per run, with route-change markers. */
  z.strictObject({
    view: z.literal('timeline'),
    hosts: z.array(Host).min(1).max(8),
    kind: z.enum(RUN_KINDS).default('throughput'),
    metric: z.enum(METRIC_NAMES).default('throughput'),
    family: z.enum(['4', '6']).optional(),
    maxPoints: z.number().int().min(10).max(2_000_000).default(5000),
    ...Range,
  }),
  /** Before/after, IPv4 vs IPv6, or any groups: distributions and whether the difference is beyond noise. */
  z.strictObject({ view: z.literal('groups'), groups: z.array(RunGroup).min(1).max(6), kind: z.enum(RUN_KINDS).default('throughput'), metric: z.enum(METRIC_NAMES).default('throughput') }),
]);
export type CompareInput = z.input<typeof CompareInput>;
export type CompareRequest = z.output<typeof CompareInput>;

const F64 = z.custom<Float64Array>((value) => value instanceof Float64Array, { message: 'expected a Float64Array' });

export const Series = z.object({
  id: z.string(),
  label: z.string(),
  /** x: ms since the epoch (timeline) or seconds into the run (runs view). */
  x: F64,
  y: F64,
  /** The run behind each point (timeline) or the run of the whole series (runs view). */
  runIds: F64,
  /** Points before downsampling. */
  total: z.number().int(),
});
export type Series = z.output<typeof Series>;

export const Marker = z.object({ x: z.number(), seriesId: z.string(), runId: RunId, label: z.string() });

export const GroupStats = z.object({
  label: z.string(),
  n: z.number().int(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p5: z.number().nullable(),
  p25: z.number().nullable(),
  p75: z.number().nullable(),
  p95: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  values: F64,
  runIds: F64,
});
export type GroupStats = z.output<typeof GroupStats>;

export const Difference = z.object({
  /** later − earlier group means, in the metric's unit, and relative to the first group. */
  absolute: z.number(),
  relative: z.number().nullable(),
  /** Welch's t-test, two-sided. */
  pValue: z.number().nullable(),
  beyondNoise: z.boolean(),
  explanation: z.string(),
});

export const CompareResult = z.object({
  view: z.enum(['runs', 'timeline', 'groups']),
  metric: z.enum(METRIC_NAMES),
  unit: z.string(),
  series: z.array(Series),
  markers: z.array(Marker),
  groups: z.array(GroupStats),
  difference: Difference.nullable(),
});
export type CompareResult = z.output<typeof CompareResult>;
