import type { PingReply, RttSummary } from '../../../shared/path.ts';
import { Problems, asAddress, asHostName, neutralise, round3, splitLines, toInt, toNumber } from '../trace/text.ts';

/**
 * Parsers for ping: Linux iputils, macOS/BSD ping and ping6, Windows ping. Each reads what it can
 * and lists the rest as problems; none throws.
 */

export const PING_FORMATS = ['iputils', 'bsd', 'windows'] as const;
export type PingFormat = (typeof PING_FORMATS)[number];

/** The statistics block as the tool printed it. */
export interface PingToolStats {
  transmitted: number | null;
  received: number | null;
  duplicates: number;
  errors: number;
  lossPercent: number | null;
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
  stdevMs: number | null;
}

export interface PingParse {
  format: PingFormat;
  target: string | null;
  targetAddress: string | null;
  /** ICMP payload bytes requested (ping -s / -l). */
  payloadBytes: number | null;
  /** In order of appearance; timeouts inferred from gaps in icmp_seq for iputils without -O. */
  replies: PingReply[];
  stats: PingToolStats | null;
  problems: string[];
}

const MAX_REPLIES = 100_000;

export function detectPingFormat(text: unknown): PingFormat {
  if (typeof text !== 'string') return 'iputils';
  const head = text.slice(0, 4000);
  if (/^Pinging /m.test(head) || /^Reply from /m.test(head) || /Ping statistics for /.test(head)) return 'windows';
  if (/^PING6\(/m.test(head) || /^PING \S+ \([^)]*\): \d+ data bytes/m.test(head) || /^Request timeout for icmp_seq/m.test(head) || /packets received/.test(head)) return 'bsd';
  return 'iputils';
}

/**
 * One line as ping prints it, for streaming: a reply, a timeout or an error, or null for anything
 * else (headers, statistics). No gap filling, no sequence inference across lines.
 */
export function parsePingLine(line: string, format: PingFormat): PingReply | null {
  if (line.length > 2000 || /packets transmitted|Packets: Sent/.test(line)) return null;
  const parsed = parsePing(line, { format });
  return parsed.replies[0] ?? null;
}

export function parsePing(stdout: unknown, options: { stderr?: string; format?: PingFormat } = {}): PingParse {
  const format = options.format ?? detectPingFormat(stdout);
  switch (format) {
    case 'windows':
      return parseWindowsPing(stdout);
    case 'bsd':
      return parseBsdPing(stdout, options.stderr ?? '');
    case 'iputils':
      return parseIputilsPing(stdout, options.stderr ?? '');
  }
}

function reply(partial: Partial<PingReply> & Pick<PingReply, 'seq' | 'status'>): PingReply {
  return { rttMs: null, ttl: null, bytes: null, from: null, message: null, mtu: null, ...partial };
}

/** "mtu = 1400", "mtu=1400", "(MTU 1400)" */
function mtuIn(text: string): number | null {
  const m = /mtu\s*=?\s*(\d{2,5})/i.exec(text);
  return m ? toInt(m[1], 68, 65536) : null;
}

// ---------------------------------------------------------------------------------------------
// iputils
// ---------------------------------------------------------------------------------------------

const IPUTILS_HEADER = /^PING (\S+?) ?\(([^)\s]+)\) (\d+)(?:\(\d+\))? (?:data )?bytes/;
const IPUTILS_REPLY = /^(\d+) bytes from (?:(\S+) \(([^)\s]+)\)|(\S+?)):? icmp_seq=(\d+)(?: ttl=(\d+))?(?: time[=<]([\d.]+) ms)?(.*)$/;
const IPUTILS_FROM = /^From (?:(\S+) \(([^)\s]+)\)|(\S+?)):? icmp_seq=(\d+) (.+)$/;
const IPUTILS_NO_ANSWER = /^no answer yet for icmp_seq=(\d+)/;
const IPUTILS_STATS = /^(\d+) packets transmitted, (\d+) received,(?: \+(\d+) duplicates,)?(?: \+(\d+) errors,)? ([\d.]+)% packet loss/;
const IPUTILS_RTT = /^(?:rtt|round-trip) min\/avg\/max\/(?:mdev|stddev) = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/;

export function parseIputilsPing(stdout: unknown, stderr = ''): PingParse {
  const problems = new Problems();
  const result: PingParse = { format: 'iputils', target: null, targetAddress: null, payloadBytes: null, replies: [], stats: null, problems: [] };
  const seen = new Set<number>();
  for (const [i, line] of splitLines(stdout, problems).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || /^--- .* ping statistics ---$/.test(trimmed) || /^pipe \d+$/.test(trimmed)) continue;
    if (result.replies.length >= MAX_REPLIES) {
      problems.add(`more than ${MAX_REPLIES} replies; the rest were ignored`);
      break;
    }
    const header = IPUTILS_HEADER.exec(trimmed);
    if (header) {
      result.target = asHostName(header[1]) ?? asAddress(header[1]);
      result.targetAddress = asAddress(header[2]);
      result.payloadBytes = toInt(header[3], 0, 65535);
      continue;
    }
    const r = IPUTILS_REPLY.exec(trimmed);
    if (r) {
      const seq = toInt(r[5], 0, 1e9) ?? 0;
      const dup = /\(DUP!\)/.test(r[8] ?? '');
      result.replies.push(
        reply({
          seq,
          status: dup ? 'duplicate' : 'reply',
          rttMs: toNumber(r[7]),
          ttl: toInt(r[6], 0, 255),
          bytes: toInt(r[1], 0, 65535),
          from: asAddress(r[3] ?? r[4]),
          message: /\(BAD CHECKSUM!\)|\(DIFFERENT ADDRESS!\)|wrong data/i.test(r[8] ?? '') ? neutralise((r[8] ?? '').trim(), 120) : null,
        }),
      );
      if (!dup) seen.add(seq);
      continue;
    }
    const from = IPUTILS_FROM.exec(trimmed);
    if (from) {
      const message = neutralise(from[5] ?? '', 160);
      result.replies.push(reply({ seq: toInt(from[4], 0, 1e9) ?? 0, status: 'error', from: asAddress(from[2] ?? from[3]), message, mtu: mtuIn(message) }));
      seen.add(toInt(from[4], 0, 1e9) ?? -1);
      continue;
    }
    const noAnswer = IPUTILS_NO_ANSWER.exec(trimmed);
    if (noAnswer) {
      const seq = toInt(noAnswer[1], 0, 1e9) ?? 0;
      result.replies.push(reply({ seq, status: 'timeout' }));
      seen.add(seq);
      continue;
    }
    const stats = IPUTILS_STATS.exec(trimmed);
    if (stats) {
      result.stats = {
        transmitted: toInt(stats[1], 0, 1e9),
        received: toInt(stats[2], 0, 1e9),
        duplicates: toInt(stats[3], 0, 1e9) ?? 0,
        errors: toInt(stats[4], 0, 1e9) ?? 0,
        lossPercent: toNumber(stats[5]),
        minMs: null,
        avgMs: null,
        maxMs: null,
        stdevMs: null,
      };
      continue;
    }
    const rtt = IPUTILS_RTT.exec(trimmed);
    if (rtt) {
      if (result.stats) Object.assign(result.stats, { minMs: toNumber(rtt[1]), avgMs: toNumber(rtt[2]), maxMs: toNumber(rtt[3]), stdevMs: toNumber(rtt[4]) });
      else problems.line(i + 1, line, 'round-trip statistics without the packet counts');
      continue;
    }
    problems.line(i + 1, line, 'not a ping line');
  }
  // Local errors go to stderr: "ping: local error: message too long, mtu=1400" (one per packet).
  let localErrors = 0;
  let localMtu: number | null = null;
  for (const line of splitLines(stderr, problems)) {
    if (/local error: message too long/i.test(line)) {
      localErrors += 1;
      localMtu = mtuIn(line) ?? localMtu;
    }
  }
  fillTimeouts(result, seen, localErrors, localMtu);
  result.problems = problems.list();
  return result;
}

/**
 * iputils prints nothing for a lost packet unless run with -O; the sequence numbers that never
 * appeared, up to the transmitted count, are the timeouts (or local errors, which it reports on
 * stderr without a sequence number).
 */
function fillTimeouts(result: PingParse, seen: Set<number>, localErrors: number, localMtu: number | null): void {
  const transmitted = result.stats?.transmitted ?? null;
  if (transmitted === null || transmitted > MAX_REPLIES) return;
  let errorsLeft = localErrors;
  for (let seq = 1; seq <= transmitted; seq += 1) {
    if (seen.has(seq)) continue;
    if (errorsLeft > 0) {
      errorsLeft -= 1;
      result.replies.push(reply({ seq, status: 'error', message: 'local error: message too long', mtu: localMtu }));
    } else result.replies.push(reply({ seq, status: 'timeout' }));
  }
  result.replies.sort((a, b) => a.seq - b.seq);
}

// ---------------------------------------------------------------------------------------------
// macOS / BSD
// ---------------------------------------------------------------------------------------------

const BSD_HEADER = /^PING (\S+) \(([^)\s]+)\): (\d+) data bytes/;
const BSD6_HEADER = /^PING6\((\d+)=\d+\+\d+\+(\d+) bytes\) (\S+) --> (\S+)/;
const BSD_REPLY = /^(\d+) bytes from (\S+?)[:,] icmp_seq=(\d+) (?:ttl|hlim)=(\d+) time=([\d.]+) ms(.*)$/;
const BSD_ERROR = /^(\d+) bytes from (\S+?)[:,] (.+)$/;
const BSD_TIMEOUT = /^Request timeout for icmp_seq[ =](\d+)/;
const BSD_STATS = /^(\d+) packets transmitted, (\d+) packets received,(?: \+(\d+) duplicates,)? ([\d.]+)% packet loss/;
const BSD_RTT = /^round-trip min\/avg\/max\/(?:stddev|std-dev) = ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/;
const BSD_DUMP = /^(?:Vr HL TOS|\s*[0-9a-f]{1,2}\s+[0-9a-f]{1,2}\s+[0-9a-f]{2}\s)/i;

export function parseBsdPing(stdout: unknown, stderr = ''): PingParse {
  const problems = new Problems();
  const result: PingParse = { format: 'bsd', target: null, targetAddress: null, payloadBytes: null, replies: [], stats: null, problems: [] };
  let errorSeq = 0;
  for (const [i, line] of splitLines(stdout, problems).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || /^--- .* ping6? statistics ---$/.test(trimmed) || BSD_DUMP.test(line)) continue;
    if (result.replies.length >= MAX_REPLIES) {
      problems.add(`more than ${MAX_REPLIES} replies; the rest were ignored`);
      break;
    }
    const h = BSD_HEADER.exec(trimmed);
    if (h) {
      result.target = asHostName(h[1]) ?? asAddress(h[1]);
      result.targetAddress = asAddress(h[2]);
      result.payloadBytes = toInt(h[3], 0, 65535);
      continue;
    }
    const h6 = BSD6_HEADER.exec(trimmed);
    if (h6) {
      result.targetAddress = asAddress(h6[4]);
      result.target = result.targetAddress;
      result.payloadBytes = toInt(h6[2], 0, 65535);
      continue;
    }
    const r = BSD_REPLY.exec(trimmed);
    if (r) {
      const seq = toInt(r[3], 0, 1e9) ?? 0;
      errorSeq = seq + 1;
      result.replies.push(
        reply({
          seq,
          status: /\(DUP!\)/.test(r[6] ?? '') ? 'duplicate' : 'reply',
          rttMs: toNumber(r[5]),
          ttl: toInt(r[4], 0, 255),
          bytes: toInt(r[1], 0, 65535),
          from: asAddress(r[2]),
        }),
      );
      continue;
    }
    const t = BSD_TIMEOUT.exec(trimmed);
    if (t) {
      const seq = toInt(t[1], 0, 1e9) ?? 0;
      errorSeq = seq + 1;
      result.replies.push(reply({ seq, status: 'timeout' }));
      continue;
    }
    const e = BSD_ERROR.exec(trimmed);
    if (e) {
      const message = neutralise(e[3] ?? '', 160);
      // BSD error replies carry no sequence number in the text; number them after the last one seen.
      result.replies.push(reply({ seq: errorSeq, status: 'error', from: asAddress(e[2]), message, mtu: mtuIn(message) }));
      errorSeq += 1;
      continue;
    }
    const s = BSD_STATS.exec(trimmed);
    if (s) {
      result.stats = {
        transmitted: toInt(s[1], 0, 1e9),
        received: toInt(s[2], 0, 1e9),
        duplicates: toInt(s[3], 0, 1e9) ?? 0,
        errors: 0,
        lossPercent: toNumber(s[4]),
        minMs: null,
        avgMs: null,
        maxMs: null,
        stdevMs: null,
      };
      continue;
    }
    const rtt = BSD_RTT.exec(trimmed);
    if (rtt) {
      if (result.stats) Object.assign(result.stats, { minMs: toNumber(rtt[1]), avgMs: toNumber(rtt[2]), maxMs: toNumber(rtt[3]), stdevMs: toNumber(rtt[4]) });
      continue;
    }
    problems.line(i + 1, line, 'not a ping line');
  }
  for (const line of splitLines(stderr, problems)) {
    if (/sendto: Message too long/i.test(line)) {
      result.replies.push(reply({ seq: errorSeq, status: 'error', message: 'sendto: Message too long' }));
      errorSeq += 1;
    }
  }
  if (result.stats) result.stats.errors = result.replies.filter((x) => x.status === 'error').length;
  result.problems = problems.list();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------------------------

const WIN_HEADER = /^Pinging (\S+)(?: \[([^\]\s]+)\])?(?: from \S+)? with (\d+) bytes of data:?$/;
const WIN_REPLY = /^Reply from ([^\s:]+|[0-9a-fA-F:.%]+): (?:bytes=(\d+) )?time([=<])(\d+)ms(?: TTL=(\d+))?/;
const WIN_REPLY_ERROR = /^Reply from (\S+?): (.+)$/;
const WIN_STATS = /^Packets: Sent = (\d+), Received = (\d+), Lost = (\d+) \((\d+)% loss\)/;
const WIN_RTT = /^Minimum = (\d+)ms, Maximum = (\d+)ms, Average = (\d+)ms/;

export function parseWindowsPing(stdout: unknown): PingParse {
  const problems = new Problems();
  const result: PingParse = { format: 'windows', target: null, targetAddress: null, payloadBytes: null, replies: [], stats: null, problems: [] };
  let seq = 0;
  for (const [i, line] of splitLines(stdout, problems).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || /^Ping statistics for /.test(trimmed) || /^Approximate round trip times/.test(trimmed)) continue;
    if (result.replies.length >= MAX_REPLIES) {
      problems.add(`more than ${MAX_REPLIES} replies; the rest were ignored`);
      break;
    }
    const h = WIN_HEADER.exec(trimmed);
    if (h) {
      result.target = asHostName(h[1]) ?? asAddress(h[1]);
      result.targetAddress = asAddress(h[2] ?? h[1]);
      result.payloadBytes = toInt(h[3], 0, 65535);
      continue;
    }
    const r = WIN_REPLY.exec(trimmed);
    if (r) {
      seq += 1;
      const value = toNumber(r[4]);
      result.replies.push(
        reply({
          seq,
          status: 'reply',
          // Windows reports whole milliseconds; "time<1ms" is recorded as 0.5 ms.
          rttMs: r[3] === '<' ? 0.5 : value,
          ttl: toInt(r[5], 0, 255),
          bytes: toInt(r[2], 0, 65535),
          from: asAddress(r[1]),
        }),
      );
      continue;
    }
    const re = WIN_REPLY_ERROR.exec(trimmed);
    if (re) {
      seq += 1;
      const message = neutralise(re[2] ?? '', 160);
      result.replies.push(reply({ seq, status: 'error', from: asAddress(re[1]), message, mtu: mtuIn(message) }));
      continue;
    }
    if (/^Request timed out\.?$/.test(trimmed)) {
      seq += 1;
      result.replies.push(reply({ seq, status: 'timeout' }));
      continue;
    }
    if (/^Packet needs to be fragmented but DF set\.?$/.test(trimmed) || /^(?:PING: transmit failed\. )?General failure\.?$/.test(trimmed) || /^Destination (?:host|net) unreachable\.?$/i.test(trimmed)) {
      seq += 1;
      result.replies.push(reply({ seq, status: 'error', message: neutralise(trimmed, 160) }));
      continue;
    }
    const s = WIN_STATS.exec(trimmed);
    if (s) {
      result.stats = {
        transmitted: toInt(s[1], 0, 1e9),
        received: toInt(s[2], 0, 1e9),
        duplicates: 0,
        errors: 0,
        lossPercent: toNumber(s[4]),
        minMs: null,
        avgMs: null,
        maxMs: null,
        stdevMs: null,
      };
      continue;
    }
    const rtt = WIN_RTT.exec(trimmed);
    if (rtt) {
      if (result.stats) Object.assign(result.stats, { minMs: toNumber(rtt[1]), maxMs: toNumber(rtt[2]), avgMs: toNumber(rtt[3]) });
      continue;
    }
    if (/^Ping request could not find host /.test(trimmed)) {
      problems.add(`ping could not resolve the target: ${neutralise(trimmed, 120)}`);
      continue;
    }
    problems.line(i + 1, line, 'not a ping line');
  }
  if (result.stats) result.stats.errors = result.replies.filter((x) => x.status === 'error').length;
  result.problems = problems.list();
  return result;
}

// ---------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return round3(a + (b - a) * (rank - lo));
}

/**
 * The run summary. Counts come from the replies (so Windows "Reply from …: Destination host
 * unreachable", which Windows counts as received, is an error here); the tool's own statistics
 * fill in what the replies cannot tell (packets sent whose fate was never printed).
 */
export function summarizePing(parse: PingParse, family: '4' | '6' | null = null): RttSummary {
  const replies = parse.replies.filter((r) => r.status === 'reply');
  const rtts = replies.map((r) => r.rttMs).filter((v): v is number => v !== null);
  const sorted = [...rtts].sort((a, b) => a - b);
  const sentFromReplies = new Set(parse.replies.filter((r) => r.status !== 'duplicate').map((r) => r.seq)).size;
  const sent = Math.max(parse.stats?.transmitted ?? 0, sentFromReplies);
  const received = new Set(replies.map((r) => r.seq)).size;
  const mean = rtts.length > 0 ? rtts.reduce((a, b) => a + b, 0) / rtts.length : null;
  const stdev = mean !== null ? Math.sqrt(rtts.reduce((a, b) => a + (b - mean) ** 2, 0) / rtts.length) : null;
  const ttl = replies.find((r) => r.ttl !== null)?.ttl ?? null;
  return {
    family: family ?? (parse.targetAddress ? (parse.targetAddress.includes(':') ? '6' : '4') : null),
    targetAddress: parse.targetAddress,
    sent,
    received,
    duplicates: parse.replies.filter((r) => r.status === 'duplicate').length,
    errors: parse.replies.filter((r) => r.status === 'error').length,
    lossPercent: sent > 0 ? round3(((sent - received) / sent) * 100) : null,
    minMs: sorted[0] ?? parse.stats?.minMs ?? null,
    avgMs: mean !== null ? round3(mean) : (parse.stats?.avgMs ?? null),
    maxMs: sorted[sorted.length - 1] ?? parse.stats?.maxMs ?? null,
    stdevMs: parse.stats?.stdevMs ?? (stdev !== null ? round3(stdev) : null),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    ttl,
    problems: parse.problems,
  };
}
