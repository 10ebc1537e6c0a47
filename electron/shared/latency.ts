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
  /**
   * Error estimate carried with our timestamps (ms). Default: with a synchronised clock, chrony's
   * own bound (`chronyc tracking`: |offset| + root dispersion + root delay / 2) or else 10 ms;
   * unsynchronised, the clock's anchoring uncertainty.
   */
  clockErrorMs: z.number().min(0.001).max(10_000).optional(),
  /** builtin: our own client; system: drive the host's perfSONAR owping/twping and read its raw records. */
  tool: z.enum(['builtin', 'system']).default('builtin'),
};

export const LatencyOptions = z.strictObject({
  ...Schedule,
  direction: z.enum(['to', 'from', 'both']).default('both'),
  padding: z.number().int().min(0).max(65_000).default(0),
  /**
   * DSCP for test packets. Only the far end can mark them (Node cannot set TOS), so a DSCP other
   * than 0 needs direction "from" and is refused, before anything starts, for "to" and "both".
   */
  dscp: z.number().int().min(0).max(63).optional(),
}).refine((o) => !o.dscp || o.direction === 'from', {
  message: 'DSCP marking needs --direction from: only the far end can mark test packets (this host cannot set DSCP on UDP).',
  path: ['dscp'],
});
export type LatencyOptions = z.output<typeof LatencyOptions>;

export const TwampOptions = z.strictObject({
  ...Schedule,
  padding: z.number().int().min(0).max(65_000).default(27),
  /** TWAMP-Light: no control connection, straight to a reflector's UDP port. */
  light: z.boolean().default(false),
}).refine((o) => !(o.light && o.tool === 'system'), { message: 'twping has no TWAMP-Light mode: TWAMP-Light needs the built-in client', path: ['light'] });
export type TwampOptions = z.output<typeof TwampOptions>;

const DelayFigures = z.object({ minMs: z.number().nullable(), medianMs: z.number().nullable(), maxMs: z.number().nullable() });

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
  /** owping's reordering lines ("no reordering", "1-reordering = 2.000000%", …); absent for TWAMP. */
  reordering: z.array(z.string()).optional(),
  /** Exact percentiles of the delay (RTT for TWAMP), ms. */
  percentilesMs: z.object({ p25: z.number().nullable(), p75: z.number().nullable(), p90: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }).optional(),
  hops: z.string(),
  /** Every TTL was 255 (RFC 4656: "could not read"): no hop count, rather than "0 hops". */
  hopsAmbiguous: z.boolean().optional(),
  synchronized: z.boolean(),
  /** What owping prints after the delays: "(unsync)" or "(err=0.02 ms)". */
  clockText: z.string(),
  senderErrorMs: z.number().nullable(),
  receiverErrorMs: z.number().nullable(),
  /** How late our sender's packets left against their schedule, p99 (µs); null when the far end sent. */
  scheduleP99Us: z.number().nullable(),
  /** TWAMP: some send or reflect delay was negative (twping: "Directional delays may be inaccurate"). */
  clocksOffset: z.boolean().optional(),
  /** TWAMP: the one-way parts (meaningful only with synchronised clocks) and the reflector's hold time, ms. */
  send: DelayFigures.optional(),
  reflect: DelayFigures.optional(),
  processingMinMs: z.number().nullable().optional(),
  processingMaxMs: z.number().nullable().optional(),
});
export type SessionSummary = z.output<typeof SessionSummary>;

export const OnewayRunSummary = z.object({
  protocol: z.enum(['owamp', 'twamp', 'twamp-light']),
  mode: z.literal('unauthenticated'),
  controlRttMs: z.number().nullable(),
  /** Our clock during the run (built-in client only; absent for system tools and older runs). */
  clock: z
    .object({
      synchronized: z.boolean(),
      /** The error estimate our timestamps declared, as encoded on the wire (ms). */
      errorMs: z.number(),
      /** Smallest step between two reads of our clock (ns). */
      resolutionNs: z.number(),
      /** How precisely the wall clock was anchored to the monotonic counter (± ns). */
      anchorUncertaintyNs: z.number(),
    })
    .nullable()
    .optional(),
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

/** "synchronised (err=0.02 ms)", "unsynchronised", "unsynchronised (fine for RTT)": the same words in the CLI and the UI. */
export function clockStateWord(s: Pick<SessionSummary, 'direction' | 'synchronized' | 'clockText'>): string {
  if (!s.synchronized) return s.direction === 'round-trip' ? 'unsynchronised (fine for RTT)' : 'unsynchronised';
  const detail = s.clockText.replace(/^\(|\)$/g, '').trim();
  return detail && detail !== 'unsync' ? `synchronised (${detail})` : 'synchronised';
}

/** Each side's declared error: "sender ±0.001 ms, receiver ±10.0 ms"; empty when neither declared one. */
export function errorEstimatesText(s: Pick<SessionSummary, 'direction' | 'senderErrorMs' | 'receiverErrorMs'>): string {
  const far = s.direction === 'round-trip' ? 'reflector' : 'receiver';
  return [s.senderErrorMs === null ? null : `sender ±${formatErrorMs(s.senderErrorMs)}`, s.receiverErrorMs === null ? null : `${far} ±${formatErrorMs(s.receiverErrorMs)}`].filter(Boolean).join(', ');
}

export const CLOCKS_OFFSET_NOTE = 'Clocks offset (a send or reflect delay was negative): directional delays may be inaccurate.';

/** The whole clock state of one session on one line (CLI). */
export function clockState(s: Pick<SessionSummary, 'direction' | 'synchronized' | 'clockText' | 'senderErrorMs' | 'receiverErrorMs' | 'clocksOffset'>): string {
  const errors = errorEstimatesText(s);
  return `${clockStateWord(s)}${errors ? `; error estimates ${errors}` : ''}${s.clocksOffset ? `; ${CLOCKS_OFFSET_NOTE}` : ''}`;
}

/** "0.001 ms", "10.0 ms": error estimates span nanoseconds to seconds. */
export function formatErrorMs(ms: number): string {
  return `${ms < 1 ? Number(ms.toPrecision(3)).toString() : ms.toFixed(ms < 100 ? 1 : 0)} ms`;
}
