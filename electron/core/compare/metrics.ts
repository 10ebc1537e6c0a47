import type { Metric } from '../../shared/compare.ts';
import type { RunKind } from '../../shared/runs.ts';

type SessionDirection = 'to' | 'from' | 'round-trip';
type SessionField = 'medianMs' | 'jitterMs' | 'lossPercent';

/**
 * A figure of one OWAMP/TWAMP session from the run's stored summary (OnewayRunSummary): a run
 * holds at most two sessions ("to" and "from", or one "round-trip"), so two fixed paths cover
 * every run without a json_each subquery per row.
 */
function session(direction: SessionDirection, field: SessionField): string {
  const at = (i: number) => `json_extract(r.summary, '$.sessions[${i}].${field}')`;
  const dir = (i: number) => `json_extract(r.summary, '$.sessions[${i}].direction')`;
  return `(CASE '${direction}' WHEN ${dir(0)} THEN ${at(0)} WHEN ${dir(1)} THEN ${at(1)} END)`;
}

const summary = (path: string) => `json_extract(r.summary, '$.${path}')`;

/**
 * Per-run value of a metric, from the run's stored summary (SQL over runs r), per run kind:
 * throughput = iperf3's ThroughputSummary, latency/twamp = OnewayRunSummary, rtt = RttSummary.
 * Times in ms, loss in percent; a missing figure is NULL and the run drops out of that metric.
 */
export const RUN_VALUE_SQL: { [M in Metric]: Partial<Record<RunKind, string>> } = {
  throughput: { throughput: summary('receivedBitsPerSecond') },
  retransmits: { throughput: summary('retransmits') },
  rtt: { throughput: `${summary('meanRtt')} / 1000.0`, twamp: session('round-trip', 'medianMs'), rtt: summary('p50Ms') },
  delayTo: { latency: session('to', 'medianMs') },
  delayFrom: { latency: session('from', 'medianMs') },
  jitterTo: { latency: session('to', 'jitterMs') },
  jitterFrom: { latency: session('from', 'jitterMs') },
  // owping's jitter is P95 − P50; ping's own figures give the same measure.
  jitter: { twamp: session('round-trip', 'jitterMs'), rtt: `${summary('p95Ms')} - ${summary('p50Ms')}` },
  lossTo: { latency: session('to', 'lossPercent') },
  lossFrom: { latency: session('from', 'lossPercent') },
  loss: { twamp: session('round-trip', 'lossPercent'), rtt: summary('lossPercent') },
};

/** The SQL for a metric of a kind; the contract has refused any pair without one. */
export function runValueSql(metric: Metric, kind: RunKind): string {
  const sql = RUN_VALUE_SQL[metric][kind];
  if (sql === undefined) throw new Error(`no ${metric} for ${kind} runs`);
  return sql;
}

/** Per-interval value of a metric, from throughput samples (SQL over throughput_samples s). */
export const SAMPLE_VALUE_SQL: Partial<Record<Metric, string>> = {
  throughput: 's.bits_per_second',
  retransmits: 's.retransmits',
  rtt: 's.rtt_us / 1000.0',
};

/** The session a per-packet series of a latency/twamp run is read from. */
export const PACKET_DIRECTION: Partial<Record<Metric, SessionDirection>> = { delayTo: 'to', delayFrom: 'from', rtt: 'round-trip' };
