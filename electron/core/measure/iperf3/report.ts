import { z } from 'zod';
import { ipFamily } from '../../../shared/ip.ts';
import type { ThroughputInterval, ThroughputSummary } from '../../../shared/throughput.ts';
import { parseIperf3TextIntervals, type TextInterval } from './text.ts';

/*
 * iperf3's JSON is untrusted input: the server half of it comes from the remote host. Only the
 * fields we use are validated; numbers must be finite, arrays are bounded.
 */
const Num = z.number();
const StreamData = z.looseObject({
  socket: Num.optional(),
  start: Num,
  end: Num,
  seconds: Num.optional(),
  bytes: Num,
  bits_per_second: Num,
  retransmits: Num.optional(),
  snd_cwnd: Num.optional(),
  rtt: Num.optional(),
  rttvar: Num.optional(),
  pmtu: Num.optional(),
  omitted: z.boolean().optional(),
  sender: z.boolean().optional(),
  jitter_ms: Num.optional(),
  lost_packets: Num.optional(),
  packets: Num.optional(),
  lost_percent: Num.optional(),
});
type StreamData = z.output<typeof StreamData>;
const IntervalData = z.looseObject({ streams: z.array(StreamData).max(4096), sum: StreamData.optional() });
const EndStream = z.looseObject({
  sender: z.looseObject({ max_snd_cwnd: Num.optional(), max_rtt: Num.optional(), min_rtt: Num.optional(), mean_rtt: Num.optional() }).optional(),
});
const Start = z.looseObject({
  version: z.string().max(200).optional(),
  connected: z.array(z.looseObject({ remote_host: z.string().max(100).optional(), socket: Num.optional() })).max(4096).optional(),
  test_start: z.looseObject({ protocol: z.string().optional(), num_streams: Num.optional(), reverse: Num.optional() }).optional(),
});
const End = z.looseObject({
  streams: z.array(EndStream).max(4096).optional(),
  sum_sent: StreamData.partial().optional(),
  sum_received: StreamData.partial().optional(),
  sum: StreamData.partial().optional(),
  cpu_utilization_percent: z.looseObject({ host_total: Num.optional(), remote_total: Num.optional() }).optional(),
  sender_tcp_congestion: z.string().max(32).optional(),
});
export const Iperf3Json = z.looseObject({
  start: Start.optional(),
  intervals: z.array(IntervalData).max(100_000).optional(),
  end: End.optional(),
  error: z.string().optional(),
  server_output_json: z.unknown().optional(),
  server_output_text: z.string().optional(),
});
export type Iperf3Json = z.output<typeof Iperf3Json>;
const ServerJson = z.looseObject({ intervals: z.array(IntervalData).max(100_000).optional(), end: End.optional() });

export interface Iperf3Report {
  version: string | null;
  error: string | null;
  intervals: ThroughputInterval[];
  summary: ThroughputSummary | null;
}

export class Iperf3ParseError extends Error {}

export function parseIperf3Json(text: string): Iperf3Json {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Iperf3ParseError(`iperf3 output is not JSON: ${(error as Error).message}`);
  }
  const parsed = Iperf3Json.safeParse(raw);
  if (!parsed.success) {
    throw new Iperf3ParseError(`iperf3 JSON has an unexpected shape: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

interface SideInterval {
  streams: Array<Partial<TextInterval> & { stream: number }>;
  sum: Partial<TextInterval> | null;
}

/** The server's view of the same test, from its JSON if it ran with -J, else from its text. */
function serverSide(report: Iperf3Json, protocol: 'tcp' | 'udp'): { intervals: SideInterval[]; end: z.output<typeof End> | null } {
  const json = ServerJson.safeParse(report.server_output_json);
  if (report.server_output_json !== undefined && json.success) {
    return {
      intervals: (json.data.intervals ?? []).map((i) => ({
        streams: i.streams.map((s, index) => ({ ...fromJsonStream(s), stream: s.socket ?? index })),
        sum: i.sum ? fromJsonStream(i.sum) : null,
      })),
      end: json.data.end ?? null,
    };
  }
  if (report.server_output_text === undefined) return { intervals: [], end: null };
  const grouped: SideInterval[] = [];
  let current: SideInterval | null = null;
  let lastKey = '';
  for (const line of parseIperf3TextIntervals(report.server_output_text, protocol)) {
    const key = `${line.start}-${line.end}`;
    if (!current || key !== lastKey) {
      current = { streams: [], sum: null };
      grouped.push(current);
      lastKey = key;
    }
    if (line.stream === 'SUM') current.sum = line;
    else current.streams.push({ ...line, stream: line.stream });
  }
  return { intervals: grouped, end: null };
}

function fromJsonStream(s: StreamData): Partial<TextInterval> {
  return {
    start: s.start,
    end: s.end,
    bytes: s.bytes,
    bitsPerSecond: s.bits_per_second,
    retransmits: s.retransmits ?? null,
    cwnd: s.snd_cwnd ?? null,
    jitterMs: s.jitter_ms ?? null,
    lostPackets: s.lost_packets ?? null,
    packets: s.packets ?? null,
  };
}

const mean = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const sumOrNull = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) : null);
const present = (values: Array<number | null | undefined>): number[] => values.filter((v): v is number => typeof v === 'number');

/**
 * Turns one iperf3 client report into stored intervals and a summary. Rates and bytes come from
 * the client's own intervals; what only the other end knows (the sender's TCP state in a reverse
 * test, the receiver's jitter and loss in a UDP test) is filled in from the server's output.
 */
export function interpretIperf3(report: Iperf3Json): Iperf3Report {
  const error = report.error ?? null;
  const version = report.start?.version ?? null;
  const protocol = report.start?.test_start?.protocol?.toUpperCase() === 'UDP' ? 'udp' : 'tcp';
  const reverse = (report.start?.test_start?.reverse ?? 0) !== 0;
  const clientIsSender = !reverse;
  const server = serverSide(report, protocol);
  const needServerTcp = protocol === 'tcp' && !clientIsSender;
  const needServerUdp = protocol === 'udp' && clientIsSender;
  const intervals: ThroughputInterval[] = [];
  const streamCount = Math.max(1, report.start?.test_start?.num_streams ?? 1);

  (report.intervals ?? []).forEach((interval, seq) => {
    const remote = server.intervals[seq];
    const streams = interval.streams.map((s, index): ThroughputInterval => {
      const other = remote?.streams[index];
      const tcpFrom = needServerTcp ? other : fromJsonStream(s);
      const udpFrom = needServerUdp ? other : fromJsonStream(s);
      return {
        seq,
        stream: index,
        start: s.start,
        end: s.end,
        bitsPerSecond: s.bits_per_second,
        bytes: s.bytes,
        retransmits: protocol === 'tcp' ? (tcpFrom?.retransmits ?? null) : null,
        cwnd: protocol === 'tcp' ? (tcpFrom?.cwnd ?? null) : null,
        rtt: protocol === 'tcp' && !needServerTcp ? (s.rtt ?? null) : null,
        rttvar: protocol === 'tcp' && !needServerTcp ? (s.rttvar ?? null) : null,
        pmtu: protocol === 'tcp' && !needServerTcp ? (s.pmtu ?? null) : null,
        omitted: s.omitted ?? false,
        jitterMs: protocol === 'udp' ? (udpFrom?.jitterMs ?? null) : null,
        lostPackets: protocol === 'udp' ? (udpFrom?.lostPackets ?? null) : null,
        packets: protocol === 'udp' ? (udpFrom?.packets ?? s.packets ?? null) : null,
      };
    });
    if (needServerTcp && remote) fillRttFromServerJson(report, seq, streams);
    const sum = interval.sum ?? interval.streams[0];
    if (!sum) return;
    const remoteSum = remote?.sum ?? (remote?.streams.length === 1 ? remote.streams[0] : undefined);
    intervals.push({
      seq,
      stream: -1,
      start: sum.start,
      end: sum.end,
      bitsPerSecond: sum.bits_per_second,
      bytes: sum.bytes,
      retransmits: protocol === 'tcp' ? (needServerTcp ? (remoteSum?.retransmits ?? null) : (sum.retransmits ?? sumOrNull(present(streams.map((s) => s.retransmits))))) : null,
      cwnd: sumOrNull(present(streams.map((s) => s.cwnd))),
      rtt: mean(present(streams.map((s) => s.rtt))),
      rttvar: mean(present(streams.map((s) => s.rttvar))),
      pmtu: present(streams.map((s) => s.pmtu)).reduce<number | null>((a, b) => (a === null ? b : Math.min(a, b)), null),
      omitted: sum.omitted ?? false,
      jitterMs: mean(present(streams.map((s) => s.jitterMs))),
      lostPackets: sumOrNull(present(streams.map((s) => s.lostPackets))),
      packets: sumOrNull(present(streams.map((s) => s.packets))),
    });
    if (streamCount > 1) intervals.push(...streams);
  });

    const end = report.end;
  const hasTotals = end !== undefined && (end.sum_sent !== undefined || end.sum_received !== undefined || end.sum !== undefined);
  return { version, error, intervals, summary: hasTotals ? summarize(report, protocol, reverse, intervals, server.end) : null };
}

/** In a reverse test the sender's rtt lives only in the server's JSON intervals (never in its text). */
function fillRttFromServerJson(report: Iperf3Json, seq: number, streams: ThroughputInterval[]): void {
  const json = ServerJson.safeParse(report.server_output_json);
  if (!json.success) return;
  const remote = json.data.intervals?.[seq];
  if (!remote) return;
  streams.forEach((s, index) => {
    const r = remote.streams[index];
    if (!r) return;
    s.rtt = r.rtt ?? null;
    s.rttvar = r.rttvar ?? null;
    s.pmtu = r.pmtu ?? null;
  });
}

function summarize(
  report: Iperf3Json,
  protocol: 'tcp' | 'udp',
  reverse: boolean,
  intervals: ThroughputInterval[],
  serverEnd: z.output<typeof End> | null,
): ThroughputSummary {
  const end = report.end ?? {};
  const sent = end.sum_sent ?? end.sum ?? {};
  const received = end.sum_received ?? end.sum ?? {};
  const senderEnd = reverse ? (serverEnd?.streams ?? []) : (end.streams ?? []);
  const senderStats = senderEnd.map((s) => s.sender).filter((s) => s !== undefined);
  const sums = intervals.filter((i) => i.stream === -1 && !i.omitted);
  const rtts = present(sums.map((i) => i.rtt));
  const positive = (values: number[]) => values.filter((v) => v > 0);
  const minRtt = positive(present(senderStats.map((s) => s.min_rtt)));
  const maxRtt = positive(present(senderStats.map((s) => s.max_rtt)));
  const meanRtt = positive(present(senderStats.map((s) => s.mean_rtt)));
  const maxCwnd = positive(present(senderStats.map((s) => s.max_snd_cwnd)));
  const pmtus = present(sums.map((i) => i.pmtu));
  const remoteHost = report.start?.connected?.[0]?.remote_host ?? null;
  const unmapped = remoteHost?.startsWith('::ffff:') && remoteHost.includes('.') ? remoteHost.slice(7) : remoteHost;
  const family = unmapped ? ipFamily(unmapped) : null;
  return {
    protocol,
    reverse,
    streams: report.start?.test_start?.num_streams ?? 1,
    seconds: received.seconds ?? sent.seconds ?? 0,
    sentBitsPerSecond: sent.bits_per_second ?? 0,
    receivedBitsPerSecond: received.bits_per_second ?? 0,
    sentBytes: sent.bytes ?? 0,
    receivedBytes: received.bytes ?? 0,
    retransmits: protocol === 'tcp' ? (sent.retransmits ?? null) : null,
    meanRtt: meanRtt.length ? mean(meanRtt) : mean(rtts),
    minRtt: minRtt.length ? Math.min(...minRtt) : rtts.length ? Math.min(...rtts) : null,
    maxRtt: maxRtt.length ? Math.max(...maxRtt) : rtts.length ? Math.max(...rtts) : null,
    maxCwnd: maxCwnd.length ? Math.max(...maxCwnd) : present(sums.map((i) => i.cwnd)).reduce<number | null>((a, b) => (a === null ? b : Math.max(a, b)), null),
    pmtu: pmtus.length ? Math.min(...pmtus) : null,
    lostPercent: protocol === 'udp' ? (received.lost_percent ?? null) : null,
    jitterMs: protocol === 'udp' ? (received.jitter_ms ?? null) : null,
    localCpuPercent: end.cpu_utilization_percent?.host_total ?? null,
    remoteCpuPercent: end.cpu_utilization_percent?.remote_total ?? null,
    congestion: end.sender_tcp_congestion ?? null,
    remoteAddress: unmapped,
    family: family === 4 ? '4' : family === 6 ? '6' : null,
  };
}

/** The summed interval of one --json-stream "interval" event, for live progress. */
export function liveSumInterval(data: unknown, seq: number): ThroughputInterval | null {
  const parsed = IntervalData.safeParse(data);
  if (!parsed.success) return null;
  const sum = parsed.data.sum ?? parsed.data.streams[0];
  if (!sum) return null;
  const streams = parsed.data.streams;
  const rtts = present(streams.map((s) => s.rtt));
  return {
    seq,
    stream: -1,
    start: sum.start,
    end: sum.end,
    bitsPerSecond: sum.bits_per_second,
    bytes: sum.bytes,
    retransmits: sum.retransmits ?? null,
    cwnd: sumOrNull(present(streams.map((s) => s.snd_cwnd))),
    rtt: mean(rtts),
    rttvar: mean(present(streams.map((s) => s.rttvar))),
    pmtu: null,
    omitted: sum.omitted ?? false,
    jitterMs: sum.jitter_ms ?? null,
    lostPackets: sum.lost_packets ?? null,
    packets: sum.packets ?? null,
  };
}
