import type { RunKind } from './runs.ts';
import { formatBitrate } from './units.ts';

export type MetricUnit = 'bit/s' | 'count' | 'ms' | '%';

interface MetricSpec {
  /** What the metric is, whatever run kind it comes from. */
  label: string;
  unit: MetricUnit;
  /** The run kinds that carry it, each with what exactly is read from them (a label for that kind). */
  kinds: Partial<Record<RunKind, string>>;
  /** Kinds whose runs hold a per-interval or per-packet series of it (the run vs run view). */
  series: readonly RunKind[];
}

/**
 * What a compare view can plot, per kind; each metric has one unit. Order matters: a kind's
 * timeline chunks carry its metrics in this order (store/timeline.ts layoutOf), so add new ones
 * at the end. One-way metrics name their direction: "to" = we sent, the far end received.
 */
export const METRICS = {
  throughput: { label: 'Throughput', unit: 'bit/s', kinds: { throughput: 'Throughput' }, series: ['throughput'] },
  retransmits: { label: 'Retransmits', unit: 'count', kinds: { throughput: 'Retransmits' }, series: ['throughput'] },
  rtt: {
    label: 'Round-trip time',
    unit: 'ms',
    kinds: { throughput: 'TCP RTT (mean)', twamp: 'Round-trip delay (median)', rtt: 'Ping RTT (median)' },
    series: ['throughput', 'twamp', 'rtt'],
  },
  delayTo: { label: 'One-way delay to the far end', unit: 'ms', kinds: { latency: 'Delay to the far end (median)' }, series: ['latency'] },
  delayFrom: { label: 'One-way delay from the far end', unit: 'ms', kinds: { latency: 'Delay from the far end (median)' }, series: ['latency'] },
  jitterTo: { label: 'Jitter to the far end (P95 − P50)', unit: 'ms', kinds: { latency: 'Jitter to the far end (P95 − P50)' }, series: [] },
  jitterFrom: { label: 'Jitter from the far end (P95 − P50)', unit: 'ms', kinds: { latency: 'Jitter from the far end (P95 − P50)' }, series: [] },
  jitter: { label: 'Round-trip jitter (P95 − P50)', unit: 'ms', kinds: { twamp: 'Round-trip jitter (P95 − P50)', rtt: 'Ping jitter (P95 − P50)' }, series: [] },
  lossTo: { label: 'Loss to the far end', unit: '%', kinds: { latency: 'Loss to the far end' }, series: [] },
  lossFrom: { label: 'Loss from the far end', unit: '%', kinds: { latency: 'Loss from the far end' }, series: [] },
  loss: { label: 'Round-trip loss', unit: '%', kinds: { twamp: 'Round-trip loss', rtt: 'Ping loss' }, series: [] },
} as const satisfies Record<string, MetricSpec>;
export type Metric = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as [Metric, ...Metric[]];

const spec = (metric: Metric): MetricSpec => METRICS[metric];

/** The run kinds that carry a metric, in catalogue order. */
export const kindsOf = (metric: Metric): RunKind[] => Object.keys(spec(metric).kinds) as RunKind[];

export const isMetricOf = (metric: Metric, kind: RunKind): boolean => spec(metric).kinds[kind] !== undefined;

/** The metrics a run kind carries, in catalogue order (empty for trace and mtu). */
export const metricsFor = (kind: RunKind): Metric[] => METRIC_NAMES.filter((m) => isMetricOf(m, kind));

/** Whether a run of this kind has a per-interval / per-packet series of the metric. */
export const hasSeries = (metric: Metric, kind: RunKind): boolean => (spec(metric).series as readonly string[]).includes(kind);

/** The run kinds a compare view can draw anything for. */
export const COMPARABLE_KINDS: readonly RunKind[] = (['throughput', 'latency', 'twamp', 'rtt', 'trace', 'mtu'] as const).filter((k) => metricsFor(k).length > 0);

/** What to draw for a kind when no metric is named: its first one. */
export const defaultMetric = (kind: RunKind): Metric | undefined => metricsFor(kind)[0];

/** The metric as shown for runs of one kind ("Ping RTT (median)"), or its general label. */
export const metricLabel = (metric: Metric, kind?: RunKind | null): string => (kind ? spec(metric).kinds[kind] : undefined) ?? spec(metric).label;

/** Why a metric cannot be read from runs of a kind, or null when it can. */
export function metricProblem(metric: Metric, kind: RunKind): string | null {
  if (isMetricOf(metric, kind)) return null;
  const own = metricsFor(kind);
  if (own.length === 0) return `${kind} runs have no metric to compare; compare ${COMPARABLE_KINDS.join(', ')} runs.`;
  return `${metric} is not a metric of ${kind} runs (it comes from ${kindsOf(metric).join(' and ')} runs); ${kind} runs have ${own.join(', ')}.`;
}

/** Why a run of this kind has no series of the metric for the run vs run view, or null. */
export function seriesProblem(metric: Metric, kind: RunKind, runId: number): string | null {
  if (hasSeries(metric, kind)) return null;
  if (isMetricOf(metric, kind)) return `Run ${runId}: ${metric} is one figure per ${kind} run, not a series; compare it over time or between groups of runs.`;
  const own = metricsFor(kind).filter((m) => hasSeries(m, kind));
  return `Run ${runId} is a ${kind} run; it has no ${metric} series${own.length ? ` (it has ${own.join(', ')})` : ''}.`;
}

/** A metric value as people read it: "902 Mbit/s", "31.2 ms", "0.25 %", "12 count". */
export function formatMetricValue(metric: Metric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const unit = spec(metric).unit;
  if (unit === 'bit/s') return formatBitrate(value);
  if (unit === 'count') return `${Number(value.toPrecision(4))} count`;
  // Sub-millisecond delays (a LAN, loopback) keep three significant digits rather than rounding to 0.
  const text = Math.abs(value) >= 1000 ? value.toFixed(0) : String(Number(value.toPrecision(unit === '%' ? 3 : 4)));
  return `${text} ${unit}`;
}
