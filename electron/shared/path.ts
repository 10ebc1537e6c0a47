import { z } from 'zod';

/**
 * Path measurements (kinds trace, rtt and mtu): the hop model every parser produces, whatever the
 * tool or platform, the per-hop assessment (loss that is real vs ICMP rate limiting), path identity
 * and the options and summaries of the three run kinds. Cross-process: no node:*, no DOM.
 *
 * Units: RTTs in milliseconds (what every one of these tools prints), MTUs in bytes of IP packet,
 * loss in percent 0–100.
 */

// ---------------------------------------------------------------------------------------------
// The hop model
// ---------------------------------------------------------------------------------------------

export const TRACE_METHODS = ['udp', 'icmp', 'tcp'] as const;
export type TraceMethod = (typeof TRACE_METHODS)[number];

export const TRACE_TOOLS = ['traceroute', 'tracepath', 'mtr'] as const;
export type TraceTool = (typeof TRACE_TOOLS)[number];

/** The output formats the parsers read. */
export const PATH_FORMATS = ['linux-traceroute', 'bsd-traceroute', 'windows-tracert', 'tracepath', 'mtr-json', 'mtr-report'] as const;
export type PathFormat = (typeof PATH_FORMATS)[number];

/**
 * Unreachable and similar annotations, as traceroute prints them: "!H" host, "!N" network, "!P"
 * protocol, "!X"/"!A"/"!Z" administratively prohibited, "!F-1400" fragmentation needed (with the
 * next-hop MTU), "!S" source route failed, "!V" "!C" precedence, "!U" "!W" unknown net/host, "!I"
 * isolated, "!Q" "!T" TOS, "!<n>" / "!<t-c>" any other ICMP code, and a bare "!" (BSD: the reply
 * came back with TTL <= 1). Windows tracert's "reports: …" maps onto the same letters.
 */
export const HOP_FLAG = /^!(?:[A-Z]|F-\d{1,5}|<\d{1,3}(?:-\d{1,3})?>)?$/;
export const HopFlag = z.string().regex(HOP_FLAG);

/** One probe: who answered (null: nobody, "*"), how fast, and any annotation on that reply. */
export const PathProbe = z.object({
  address: z.string().nullable(),
  rttMs: z.number().nonnegative().nullable(),
  flag: HopFlag.nullable(),
});
export type PathProbe = z.output<typeof PathProbe>;

/** A distinct address that answered at a hop. Several per hop are normal under ECMP. */
export const PathResponder = z.object({
  address: z.string(),
  /** Reverse DNS name, only when asked for (off by default) or printed by the tool; validated. */
  name: z.string().nullable(),
  /** How many probes this responder answered (mtr: its share is unknown, 0 for the secondary ones). */
  replies: z.number().int().nonnegative(),
});
export type PathResponder = z.output<typeof PathResponder>;

export const RttStats = z.object({
  last: z.number().nullable(),
  avg: z.number().nullable(),
  best: z.number().nullable(),
  worst: z.number().nullable(),
  stdev: z.number().nullable(),
});
export type RttStats = z.output<typeof RttStats>;

export const PathHop = z.object({
  /** Probe TTL (IPv6 hop limit) for this hop, 1-based. */
  ttl: z.number().int().min(1).max(255),
  responders: z.array(PathResponder),
  /** Per-probe results in the order the tool printed them; empty for aggregating tools (mtr). */
  probes: z.array(PathProbe),
  sent: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  /** Share of probes without an answer at this hop; null when nothing was sent. */
  lossPercent: z.number().min(0).max(100).nullable(),
  rtt: RttStats.nullable(),
  /**
   * Path MTU from this hop on, when the tool reported a change here (tracepath "pmtu N",
   * traceroute --mtu "F=N", BSD "!F-N"): the link into this hop carries at most `mtu` bytes.
   */
  mtu: z.number().int().min(68).max(65536).nullable(),
  /** The router that reported the MTU (ICMP fragmentation needed / packet too big), if shown. */
  mtuReportedBy: z.string().nullable(),
  /** tracepath "asymm N": the reply came back over N hops, not `ttl`. */
  asymm: z.number().int().min(0).max(255).nullable(),
  flags: z.array(HopFlag),
  /** The destination itself answered at this hop. */
  reached: z.boolean(),
  /** Free text the tool attached that has no field (e.g. tracert "reports: …"), neutralised. */
  note: z.string().nullable(),
});
export type PathHop = z.output<typeof PathHop>;

/** What a parser returns: what it could read, plus a list of what it could not. Never throws. */
export const PathTrace = z.object({
  format: z.enum(PATH_FORMATS),
  /** Target as the tool printed it (name or address), and the address it used. */
  target: z.string().nullable(),
  targetAddress: z.string().nullable(),
  maxHops: z.number().int().nullable(),
  packetBytes: z.number().int().nullable(),
  hops: z.array(PathHop),
  /** Some hop is the destination. */
  reached: z.boolean(),
  /** tracepath: MTU of the local interface ("[LOCALHOST] pmtu N"). */
  localMtu: z.number().int().nullable(),
  /** tracepath "Resume: pmtu N": the path MTU it ended with. */
  pathMtu: z.number().int().nullable(),
  /** tracepath "back N": hops on the way back from the destination. */
  hopsBack: z.number().int().nullable(),
  /** Lines or fields that could not be read, already neutralised for display. */
  problems: z.array(z.string()),
});
export type PathTrace = z.output<typeof PathTrace>;

// ---------------------------------------------------------------------------------------------
// Assessment: the ICMP rate-limit rule, loss origin, MTU drops
// ---------------------------------------------------------------------------------------------

/**
 * How loss at one hop is to be read:
 * - `none`: every probe answered.
 * - `icmpRateLimited`: the hop drops some probes but a later hop (the destination when reached)
 *   loses fewer: the router deprioritises or rate-limits its own ICMP answers; traffic passing
 *   through it is not lost. Shown as "rate-limited", never as loss.
 * - `forwardingLoss`: loss that persists to the destination (the share every later hop also
 *   loses). Real loss: it starts at the first hop showing it (`lossStartsHere`).
 * - `noReply`: the hop never answers ("* * *") but later hops do: a silent router, not loss.
 * - `unverified`: loss at the last answering hop of a trace that never reached the destination,
 *   so there is nothing after it to tell rate limiting from loss.
 */
export const HOP_LOSS_CLASSES = ['none', 'icmpRateLimited', 'forwardingLoss', 'noReply', 'unverified'] as const;
export type HopLossClass = (typeof HOP_LOSS_CLASSES)[number];

export const MtuDrop = z.object({
  /** TTL of the first hop behind the narrower link. */
  ttl: z.number().int(),
  fromMtu: z.number().int().nullable(),
  toMtu: z.number().int(),
  /** The hop in front of the narrower link (its TTL and address, when known). */
  afterTtl: z.number().int().nullable(),
  afterAddress: z.string().nullable(),
  /** The router that sent "fragmentation needed", when the tool names it. */
  reportedBy: z.string().nullable(),
});
export type MtuDrop = z.output<typeof MtuDrop>;

export const HopAssessment = z.object({
  ttl: z.number().int(),
  lossClass: z.enum(HOP_LOSS_CLASSES),
  /** Raw loss at this hop, as measured. */
  lossPercent: z.number().nullable(),
  /** Loss that carries on through every later answering hop: the forwarding loss up to here. */
  forwardLossPercent: z.number().nullable(),
  /** lossPercent - forwardLossPercent: what the router's own ICMP limiting accounts for. */
  rateLimitedPercent: z.number().nullable(),
  /** Forwarding loss first appears at this hop (the segment in front of it is the suspect). */
  lossStartsHere: z.boolean(),
  /** Unreachable annotation at this hop (e.g. "!H"), if any. */
  unreachable: HopFlag.nullable(),
});
export type HopAssessment = z.output<typeof HopAssessment>;

export const PathAssessment = z.object({
  hops: z.array(HopAssessment),
  reached: z.boolean(),
  /** TTL at which the destination answered, or null. */
  destinationTtl: z.number().int().nullable(),
  destinationLossPercent: z.number().nullable(),
  /** First hop where forwarding loss starts (persisting to the destination), or null. */
  lossStartsAtTtl: z.number().int().nullable(),
  rateLimitedTtls: z.array(z.number().int()),
  silentTtls: z.array(z.number().int()),
  mtu: z.object({ initial: z.number().int().nullable(), final: z.number().int().nullable(), drops: z.array(MtuDrop) }),
  /** Cautions for the reader, e.g. that UDP/TCP probes make even the destination's loss ICMP-limited. */
  caveats: z.array(z.string()),
});
export type PathAssessment = z.output<typeof PathAssessment>;

// ---------------------------------------------------------------------------------------------
// Path identity
// ---------------------------------------------------------------------------------------------

export const HopChangeStatus = z.enum(['same', 'changed', 'unknown', 'added', 'removed']);
export const HopChange = z.object({
  ttl: z.number().int(),
  /** Responder addresses before / after; [] for a "*" hop, null when the path had no such hop. */
  before: z.array(z.string()).nullable(),
  after: z.array(z.string()).nullable(),
  status: HopChangeStatus,
});
export type HopChange = z.output<typeof HopChange>;

export const PathDiff = z.object({
  same: z.boolean(),
  /** 'route': some hop answered from a different router or the length changed; 'reachability':
   *  only whether the destination answered changed. */
  kind: z.enum(['none', 'route', 'reachability']),
  firstChangedTtl: z.number().int().nullable(),
  hops: z.array(HopChange),
  lengthBefore: z.number().int(),
  lengthAfter: z.number().int(),
  reachedBefore: z.boolean(),
  reachedAfter: z.boolean(),
});
export type PathDiff = z.output<typeof PathDiff>;

export const PathChange = z.object({
  /** The run where the new path was first seen, and when. */
  runId: z.number().int().nullable(),
  at: z.number(),
  previousRunId: z.number().int().nullable(),
  fromFingerprint: z.string(),
  toFingerprint: z.string(),
  diff: PathDiff,
});
export type PathChange = z.output<typeof PathChange>;

export const PathSegment = z.object({
  fingerprint: z.string(),
  key: z.string(),
  firstRunId: z.number().int().nullable(),
  lastRunId: z.number().int().nullable(),
  firstAt: z.number(),
  lastAt: z.number(),
  runs: z.number().int(),
});
export type PathSegment = z.output<typeof PathSegment>;

export const PathHistory = z.object({
  changes: z.array(PathChange),
  /** Consecutive runs on one path (a "*" hop never splits a segment). */
  segments: z.array(PathSegment),
  /** Distinct paths seen (MaDDash: > 1 per hour is a warning, >= 2 distinct is critical). */
  distinctPaths: z.number().int(),
});
export type PathHistory = z.output<typeof PathHistory>;

// ---------------------------------------------------------------------------------------------
// Run kinds: options
// ---------------------------------------------------------------------------------------------

const Family = z.enum(['any', '4', '6']);

export const TraceOptions = z.strictObject({
  tool: z.enum(TRACE_TOOLS).default('traceroute'),
  /** traceroute and mtr; tracepath always sends UDP. ICMP and TCP need privileges on Linux. */
  method: z.enum(TRACE_METHODS).default('udp'),
  family: Family.default('any'),
  maxHops: z.number().int().min(1).max(64).default(30),
  /** Probes per hop (traceroute -q, at most 10). */
  queries: z.number().int().min(1).max(10).default(3),
  /**
   * Paris-style fixed flow: every probe of the run carries the same 5-tuple, so ECMP routers keep
   * it on one path (traceroute: -U/-T with --sport; mtr: fixed source and destination ports).
   */
  paris: z.boolean().default(true),
  /** Destination port for UDP/TCP probes (tcp default 80; paris UDP default 33434). */
  port: z.number().int().min(1).max(65535).optional(),
  /** Per-probe wait in seconds (traceroute -w MAX). */
  waitSeconds: z.number().min(0.1).max(10).default(2),
  /** mtr: probe cycles and the interval between them (non-root mtr refuses < 1 s). */
  cycles: z.number().int().min(1).max(1000).default(10),
  intervalSeconds: z.number().min(0.1).max(60).default(1),
  /** Reverse DNS for hop addresses: off by default (slow, and leaks the trace to the resolver). */
  resolveNames: z.boolean().default(false),
});
export type TraceOptions = z.output<typeof TraceOptions>;
export type TraceOptionsInput = z.input<typeof TraceOptions>;

export const RttOptions = z.strictObject({
  family: Family.default('any'),
  count: z.number().int().min(1).max(100_000).default(10),
  /** Seconds between echo requests (iputils allows 0.002 for users; macOS users 0.1). */
  intervalSeconds: z.number().min(0.01).max(60).default(1),
  /** ICMP payload bytes (ping -s). */
  size: z.number().int().min(0).max(65_000).default(56),
  /** Seconds to wait for each reply (ping -W). */
  timeoutSeconds: z.number().min(0.1).max(60).default(2),
  /** Set Don't Fragment (ping -M do / -D / -f). */
  dontFragment: z.boolean().default(false),
});
export type RttOptions = z.output<typeof RttOptions>;
export type RttOptionsInput = z.input<typeof RttOptions>;

export const MtuOptions = z.strictObject({
  family: Family.default('any'),
  /** Per-hop MTU with tracepath. */
  tracepath: z.boolean().default(true),
  /** End-to-end confirmation by a Don't-Fragment ping size search (finds PMTU black holes). */
  pingSearch: z.boolean().default(true),
  /** Search range, in bytes of IP packet. */
  minMtu: z.number().int().min(68).max(65_535).default(576),
  maxMtu: z.number().int().min(68).max(65_535).default(9000),
  maxHops: z.number().int().min(1).max(64).default(30),
  /** Seconds to wait for each DF probe's reply. */
  timeoutSeconds: z.number().min(0.2).max(10).default(1),
});
export type MtuOptions = z.output<typeof MtuOptions>;
export type MtuOptionsInput = z.input<typeof MtuOptions>;

// ---------------------------------------------------------------------------------------------
// Run kinds: summaries and per-sample data
// ---------------------------------------------------------------------------------------------

export const TraceSummary = z.object({
  tool: z.enum(TRACE_TOOLS),
  method: z.enum(TRACE_METHODS),
  paris: z.boolean(),
  family: z.enum(['4', '6']).nullable(),
  targetAddress: z.string().nullable(),
  hopCount: z.number().int(),
  reached: z.boolean(),
  destinationTtl: z.number().int().nullable(),
  destinationLossPercent: z.number().nullable(),
  lossStartsAtTtl: z.number().int().nullable(),
  rateLimitedTtls: z.array(z.number().int()),
  /** Strict identity of the observed path (see identity.ts). */
  fingerprint: z.string(),
  /** Route identity recorded for the run: the previous run's when only "*" hops differ. */
  routeFingerprint: z.string().nullable(),
  /** Human-readable path: "198.18.1.1 > 198.18.2.2 > * > 198.18.9.1". */
  pathKey: z.string(),
  pathMtu: z.number().int().nullable(),
  mtuDrops: z.array(MtuDrop),
  problems: z.array(z.string()),
});
export type TraceSummary = z.output<typeof TraceSummary>;

export const PING_REPLY_STATUSES = ['reply', 'duplicate', 'timeout', 'error'] as const;
export const PingReply = z.object({
  seq: z.number().int().nonnegative(),
  status: z.enum(PING_REPLY_STATUSES),
  rttMs: z.number().nonnegative().nullable(),
  ttl: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
  /** Who answered: the target, or a router reporting an error. */
  from: z.string().nullable(),
  /** Error text ("Destination Host Unreachable", "Frag needed and DF set (mtu = 1400)"), neutralised. */
  message: z.string().nullable(),
  /** MTU reported by a "fragmentation needed" error or a local "message too long". */
  mtu: z.number().int().nullable(),
});
export type PingReply = z.output<typeof PingReply>;

export const RttSummary = z.object({
  family: z.enum(['4', '6']).nullable(),
  targetAddress: z.string().nullable(),
  sent: z.number().int(),
  received: z.number().int(),
  duplicates: z.number().int(),
  errors: z.number().int(),
  lossPercent: z.number().nullable(),
  minMs: z.number().nullable(),
  avgMs: z.number().nullable(),
  maxMs: z.number().nullable(),
  /** iputils mdev / BSD stddev. */
  stdevMs: z.number().nullable(),
  /** Median and 95th percentile over the replies, computed here. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  ttl: z.number().int().nullable(),
  problems: z.array(z.string()),
});
export type RttSummary = z.output<typeof RttSummary>;

export const MTU_PROBE_OUTCOMES = ['fits', 'tooBig', 'noReply', 'error'] as const;
export const MtuProbe = z.object({
  step: z.number().int(),
  /** IP packet size probed (payload + headers). */
  mtu: z.number().int(),
  outcome: z.enum(MTU_PROBE_OUTCOMES),
  /** MTU named in the error ("mtu = 1400", "mtu=1400"), if any. */
  reportedMtu: z.number().int().nullable(),
  from: z.string().nullable(),
});
export type MtuProbe = z.output<typeof MtuProbe>;

export const MtuSummary = z.object({
  family: z.enum(['4', '6']).nullable(),
  targetAddress: z.string().nullable(),
  /** MTU of the local interface (tracepath [LOCALHOST]). */
  localMtu: z.number().int().nullable(),
  /** Best estimate: the DF search when it ran and worked, else tracepath's. */
  pathMtu: z.number().int().nullable(),
  tracepathMtu: z.number().int().nullable(),
  pingMtu: z.number().int().nullable(),
  /** The DF search hit the top of its range: the path carries at least pingMtu bytes. */
  pingMtuIsLowerBound: z.boolean(),
  /** Where the MTU goes down (per tracepath), first drop first. */
  drops: z.array(MtuDrop),
  /**
   * tracepath (ICMP "fragmentation needed" seen) promises more than DF pings deliver, or full-size
   * DF pings vanish without any ICMP error: the signature of a PMTU black hole.
   */
  blackHoleSuspected: z.boolean(),
  hops: z.number().int().nullable(),
  problems: z.array(z.string()),
});
export type MtuSummary = z.output<typeof MtuSummary>;

// ---------------------------------------------------------------------------------------------
// Path history of one target (paths.history)
// ---------------------------------------------------------------------------------------------

export const PathHistoryInput = z.strictObject({
  host: z.string().min(1).max(254),
  limit: z.number().int().min(1).max(2000).default(200),
  /** One route series per address family; by default the family traced most recently. */
  family: z.enum(['4', '6']).optional(),
});
export type PathHistoryInput = z.input<typeof PathHistoryInput>;

export const PathHistoryRun = z.object({
  runId: z.number().int(),
  at: z.number(),
  reached: z.boolean(),
  fingerprint: z.string(),
  hops: z.array(PathHop),
  /** The core's per-hop loss reading (forwarding loss vs ICMP rate limiting), as stored. */
  assessment: z.array(HopAssessment),
});

export const PathHistoryResult = z.object({
  /** The address family of this series (null: no trace with a known family). */
  family: z.enum(['4', '6']).nullable().optional(),
  /** Families the host's traces used, the most recently traced first: each is its own series. */
  families: z.array(z.enum(['4', '6'])).optional(),
  /** Trace runs only (not the tracepath of mtu runs), oldest first. */
  runs: z.array(PathHistoryRun),
  history: PathHistory,
});
export type PathHistoryResult = z.output<typeof PathHistoryResult>;
