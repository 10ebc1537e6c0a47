import { z } from 'zod';

export const CONGESTION_ALGORITHM = /^[a-z][a-z0-9_]{0,15}$/;

/** iperf3 options we expose; every field is bounded so nothing odd ever reaches iperf3's argv. */
export const ThroughputOptions = z.strictObject({
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  duration: z.number().int().min(1).max(3600).default(10),
  parallel: z.number().int().min(1).max(128).default(1),
  reverse: z.boolean().default(false),
  family: z.enum(['any', '4', '6']).default('any'),
  /** bits per second; 0 means unlimited (iperf3's UDP default is 1 Mbit/s when absent). */
  bitrate: z.number().int().min(0).max(1e12).optional(),
  /** socket buffer / window size in bytes (iperf3 -w). */
  window: z.number().int().min(1024).max(1 << 30).optional(),
  congestion: z.string().regex(CONGESTION_ALGORITHM, 'congestion control must be a kernel algorithm name such as cubic or bbr').optional(),
  /** seconds at the start left out of the statistics (TCP slow start). */
  omit: z.number().int().min(0).max(60).default(0),
  /** milliseconds to wait for the control connection. */
  connectTimeout: z.number().int().min(100).max(60_000).default(5_000),
  /** How often to try again when the server is busy with another client's test. */
  busyRetries: z.number().int().min(0).max(10).default(3),
});
export type ThroughputOptions = z.output<typeof ThroughputOptions>;
export type ThroughputOptionsInput = z.input<typeof ThroughputOptions>;

/**
 * One reporting interval. `stream` is -1 for the sum over all streams. Rates are in bits/s,
 * rtt in microseconds, cwnd in bytes: the units iperf3 uses.
 */
export const ThroughputInterval = z.object({
  seq: z.number().int().min(0),
  stream: z.number().int(),
  start: z.number(),
  end: z.number(),
  bitsPerSecond: z.number(),
  bytes: z.number(),
  retransmits: z.number().nullable(),
  cwnd: z.number().nullable(),
  rtt: z.number().nullable(),
  rttvar: z.number().nullable(),
  pmtu: z.number().nullable(),
  omitted: z.boolean(),
  /** UDP only */
  jitterMs: z.number().nullable(),
  lostPackets: z.number().nullable(),
  packets: z.number().nullable(),
});
export type ThroughputInterval = z.output<typeof ThroughputInterval>;

export const ThroughputSummary = z.object({
  protocol: z.enum(['tcp', 'udp']),
  reverse: z.boolean(),
  streams: z.number().int(),
  seconds: z.number(),
  sentBitsPerSecond: z.number(),
  receivedBitsPerSecond: z.number(),
  sentBytes: z.number(),
  receivedBytes: z.number(),
  retransmits: z.number().nullable(),
  meanRtt: z.number().nullable(),
  minRtt: z.number().nullable(),
  maxRtt: z.number().nullable(),
  maxCwnd: z.number().nullable(),
  pmtu: z.number().nullable(),
  lostPercent: z.number().nullable(),
  jitterMs: z.number().nullable(),
  localCpuPercent: z.number().nullable(),
  remoteCpuPercent: z.number().nullable(),
  congestion: z.string().nullable(),
  /** Address iperf3 actually connected to, and its family. */
  remoteAddress: z.string().nullable(),
  family: z.enum(['4', '6']).nullable(),
});
export type ThroughputSummary = z.output<typeof ThroughputSummary>;

/** Columnar per-interval data (sum over streams), the shape charts consume. */
export const ThroughputSeries = z.object({
  start: z.array(z.number()),
  end: z.array(z.number()),
  bitsPerSecond: z.array(z.number()),
  retransmits: z.array(z.number().nullable()),
  rtt: z.array(z.number().nullable()),
  cwnd: z.array(z.number().nullable()),
});
export type ThroughputSeries = z.output<typeof ThroughputSeries>;

/** An interval as shown live; provisional ones come from socket sampling, not from the tool. */
export type LiveInterval = ThroughputInterval & { provisional: boolean };
