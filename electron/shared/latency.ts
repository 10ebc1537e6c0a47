import { z } from 'zod';

/** OWAMP (one-way) and TWAMP (round-trip) run options: bounded, like every option that reaches the wire. */
const Schedule = {
  packets: z.number().int().min(1).max(100_000).default(100),
  /** Mean seconds between packets (owping -i). */
  interval: z.number().min(0.001).max(10).default(0.1),
  /** Poisson (exponential gaps, as owping) or fixed gaps. */
  schedule: z.enum(['poisson', 'periodic']).default('poisson'),
  /** Seconds after which a packet counts as lost (owping -L); default RTT + 2 s. */
  lossTimeout: z.number().min(0.1).max(60).optional(),
  family: z.enum(['any', '4', '6']).default('any'),
  /** What the user says of this host's clock: Node cannot ask the OS whether NTP is in sync. */
  clockSynchronized: z.boolean().default(false),
  /** builtin: our own client; system: drive the host's perfSONAR owping/twping and read its raw records. */
  tool: z.enum(['builtin', 'system']).default('builtin'),
};

export const LatencyOptions = z.strictObject({
  ...Schedule,
  direction: z.enum(['to', 'from', 'both']).default('both'),
  padding: z.number().int().min(0).max(65_000).default(0),
  /** DSCP for test packets: only the far end can mark them, so it applies to the "from" session. */
  dscp: z.number().int().min(0).max(63).optional(),
});
export type LatencyOptions = z.output<typeof LatencyOptions>;

export const TwampOptions = z.strictObject({
  ...Schedule,
  padding: z.number().int().min(0).max(65_000).default(27),
  /** TWAMP-Light: no control connection, straight to a reflector's UDP port. */
  light: z.boolean().default(false),
}).refine((o) => !(o.light && o.tool === 'system'), { message: 'twping has no TWAMP-Light mode: TWAMP-Light needs the built-in client', path: ['light'] });
export type TwampOptions = z.output<typeof TwampOptions>;

/** One test session as people read it (owping / twping figures), times in milliseconds. */
export const SessionSummary = z.object({
  direction: z.enum(['to', 'from', 'round-trip']),
  sent: z.number().int(),
  lost: z.number().int(),
  duplicates: z.number().int(),
  lossPercent: z.number(),
  /** 95 % Clopper–Pearson bounds on the loss rate (zero of N lost: below about 3/N). */
  lossLower: z.number().nullable(),
  lossUpper: z.number().nullable(),
  lossText: z.string().nullable(),
  minMs: z.number().nullable(),
  medianMs: z.number().nullable(),
  maxMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** owping's "jitter": P95 − P50. */
  jitterMs: z.number().nullable(),
  /** RFC 3393 IPDV, 95th percentile of |IPDV|. */
  ipdvP95Ms: z.number().nullable(),
  reorderingPercent: z.number().nullable(),
  hops: z.string(),
  synchronized: z.boolean(),
  /** What owping prints after the delays: "(unsync)" or "(err=0.02 ms)". */
  clockText: z.string(),
  senderErrorMs: z.number().nullable(),
  receiverErrorMs: z.number().nullable(),
  /** How late our sender's packets left against their schedule, p99 (µs); null when the far end sent. */
  scheduleP99Us: z.number().nullable(),
});
export type SessionSummary = z.output<typeof SessionSummary>;

export const OnewayRunSummary = z.object({
  protocol: z.enum(['owamp', 'twamp', 'twamp-light']),
  mode: z.literal('unauthenticated'),
  controlRttMs: z.number().nullable(),
  sessions: z.array(SessionSummary),
  notes: z.array(z.string()),
});
export type OnewayRunSummary = z.output<typeof OnewayRunSummary>;

const F64 = z.custom<Float64Array>((value) => value instanceof Float64Array, { message: 'expected a Float64Array' });

/** Per-packet data for charts: NaN delay = lost. Columnar typed arrays. */
export const SessionPackets = z.object({
  direction: z.enum(['to', 'from', 'round-trip']),
  seq: F64,
  /** Send time, seconds after the session start. */
  sendOffsetS: F64,
  /** One-way delay or round-trip time, ms; NaN when lost. */
  delayMs: F64,
});
export type SessionPackets = z.output<typeof SessionPackets>;

/** Live packets during a run (a batch every ~100 ms). */
export const PacketProgress = z.object({
  session: z.enum(['to', 'from', 'round-trip']),
  sent: z.number().int(),
  received: z.number().int(),
  lost: z.number().int(),
  seq: z.array(z.number()),
  sendOffsetS: z.array(z.number()),
  delayMs: z.array(z.number().nullable()),
});
export type PacketProgress = z.output<typeof PacketProgress>;
