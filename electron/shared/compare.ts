import { z } from 'zod';
import { defaultMetric, isMetricOf, kindsOf, METRIC_NAMES, metricProblem, type Metric } from './compare-metrics.ts';
import { RUN_KINDS, RunId, Tag, type RunKind } from './runs.ts';
import { MAX_HOST_LENGTH, isValidHost } from './target.ts';

export { COMPARABLE_KINDS, defaultMetric, formatMetricValue, hasSeries, isMetricOf, kindsOf, METRIC_NAMES, metricLabel, metricProblem, METRICS, metricsFor, seriesProblem } from './compare-metrics.ts';
export type { Metric, MetricUnit } from './compare-metrics.ts';

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

const Kind = z.enum(RUN_KINDS);
const MetricName = z.enum(METRIC_NAMES);
/**
 * Points per series before the store cuts it by LTTB, when a request names none: the same for the
 * UI (which draws a million points with ECharts' own sampling and zoom) and `psw compare`.
 */
export const DEFAULT_MAX_POINTS = 1_000_000;
const MaxPoints = z.number().int().min(10).max(2_000_000).default(DEFAULT_MAX_POINTS);

const CompareShape = z.discriminatedUnion('view', [
  /**
   * Run vs run: the per-interval (throughput) or per-packet (latency, twamp, ping) series of each
   * run, overlaid. Without a metric, the first run's kind picks its own (throughput, delayTo, rtt).
   */
  z.strictObject({ view: z.literal('runs'), runIds: z.array(RunId).min(1).max(8), metric: MetricName.optional(), maxPoints: MaxPoints }),
  /** Host vs host over time (or one host's history): one point per run, with route-change markers. */
  z.strictObject({
    view: z.literal('timeline'),
    hosts: z.array(Host).min(1).max(8),
    kind: Kind.optional(),
    metric: MetricName.optional(),
    family: z.enum(['4', '6']).optional(),
    maxPoints: MaxPoints,
    ...Range,
  }),
  /** Before/after, IPv4 vs IPv6, or any groups: distributions and whether the difference is beyond noise. */
  z.strictObject({ view: z.literal('groups'), groups: z.array(RunGroup).min(1).max(6), kind: Kind.optional(), metric: MetricName.optional() }),
]);
type CompareShape = z.output<typeof CompareShape>;
type WithKind<T> = Omit<T, 'kind' | 'metric'> & { kind: RunKind; metric: Metric };
export type CompareRequest =
  | Extract<CompareShape, { view: 'runs' }>
  | WithKind<Extract<CompareShape, { view: 'timeline' }>>
  | WithKind<Extract<CompareShape, { view: 'groups' }>>;

/**
 * The kind and metric a timeline or groups view reads: both named, or one inferred from the
 * other (a metric's first kind, a kind's first metric), throughput when neither is named.
 * A metric that runs of the kind do not carry is refused here, at the contract.
 */
export const CompareInput = CompareShape.transform((input, ctx): CompareRequest => {
  if (input.view === 'runs') return input;
  const kind: RunKind = input.kind ?? (input.metric ? kindsOf(input.metric)[0] : undefined) ?? 'throughput';
  const metric = input.metric ?? defaultMetric(kind);
  if (metric === undefined || !isMetricOf(metric, kind)) {
    ctx.addIssue({ code: 'custom', path: [input.metric ? 'metric' : 'kind'], message: metricProblem(metric ?? 'throughput', kind) ?? 'no such metric' });
    return z.NEVER;
  }
  return { ...input, kind, metric };
});
export type CompareInput = z.input<typeof CompareInput>;

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
export type Marker = z.output<typeof Marker>;

/** A diagnosis's expected throughput ceiling (bit/s) from its verdict, drawn as a step line from x on. */
export const Ceiling = z.object({ x: z.number(), y: z.number(), seriesId: z.string(), diagnosisId: z.number().int().positive() });
export type Ceiling = z.output<typeof Ceiling>;

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
  /** The run kind the values come from; null for a run vs run view over runs of several kinds. */
  kind: z.enum(RUN_KINDS).nullable(),
  unit: z.string(),
  series: z.array(Series),
  markers: z.array(Marker),
  /** Throughput timelines: each host's diagnosed expected ceilings over time. */
  ceilings: z.array(Ceiling),
  groups: z.array(GroupStats),
  difference: Difference.nullable(),
});
export type CompareResult = z.output<typeof CompareResult>;
