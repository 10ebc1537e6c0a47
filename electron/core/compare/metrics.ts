import type { Metric } from '../../shared/compare.ts';

/** Per-run value of a metric, from the run's stored summary (SQL over runs r). */
export const RUN_VALUE_SQL: Record<Metric, string> = {
  throughput: "json_extract(r.summary, '$.receivedBitsPerSecond')",
  retransmits: "json_extract(r.summary, '$.retransmits')",
  rtt: "json_extract(r.summary, '$.meanRtt') / 1000.0",
};

/** Per-interval value of a metric, from throughput samples (SQL over throughput_samples s). */
export const SAMPLE_VALUE_SQL: Record<Metric, string> = {
  throughput: 's.bits_per_second',
  retransmits: 's.retransmits',
  rtt: 's.rtt_us / 1000.0',
};
