/**
 * Parser for iperf3's human-readable interval lines. Needed because a server running in text
 * mode hands its side of the test (the sender's retransmits and cwnd in a reverse test, the
 * receiver's jitter and loss in a UDP test) back to `--get-server-output` as text.
 */
export interface TextInterval {
  stream: number | 'SUM';
  start: number;
  end: number;
  bytes: number;
  bitsPerSecond: number;
  retransmits: number | null;
  cwnd: number | null;
  jitterMs: number | null;
  lostPackets: number | null;
  packets: number | null;
  omitted: boolean;
}

const BYTE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const BIT_UNITS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

const LINE =
  /^\[\s*(\d+|SUM)\]\s+(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\s+sec\s+(\d+(?:\.\d+)?)\s+([KMGT]?)Bytes\s+(\d+(?:\.\d+)?)\s+([KMGT]?)bits\/sec(.*)$/;
const TCP_TAIL = /^\s+(\d+)(?:\s+(\d+(?:\.\d+)?)\s+([KMGT]?)Bytes)?\s*(\(omitted\))?\s*$/;
const UDP_TAIL = /^\s+(\d+(?:\.\d+)?)\s+ms\s+(\d+)\/(\d+)\s+\([^)]*\)\s*(\(omitted\))?\s*$/;
const PLAIN_TAIL = /^\s*(\d+\s*)?(\(omitted\))?\s*$/;

/** Interval lines only: the summary block after the "- - -" separator is not included. */
export function parseIperf3TextIntervals(text: string, protocol: 'tcp' | 'udp'): TextInterval[] {
  const out: TextInterval[] = [];
  for (const rawLine of text.split('\n', 200_000)) {
    const line = rawLine.trimEnd();
    if (line.startsWith('- - -')) break;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, id, start, end, amount, byteUnit, rate, bitUnit, tail = ''] = m;
    const interval: TextInterval = {
      stream: id === 'SUM' ? 'SUM' : Number(id),
      start: Number(start),
      end: Number(end),
      bytes: Number(amount) * (BYTE_UNITS[byteUnit ?? ''] ?? 1),
      bitsPerSecond: Number(rate) * (BIT_UNITS[bitUnit ?? ''] ?? 1),
      retransmits: null,
      cwnd: null,
      jitterMs: null,
      lostPackets: null,
      packets: null,
      omitted: false,
    };
    const udp = protocol === 'udp' ? UDP_TAIL.exec(tail) : null;
    const tcp = protocol === 'tcp' ? TCP_TAIL.exec(tail) : null;
    const datagrams = protocol === 'udp' && !udp ? PLAIN_TAIL.exec(tail) : null;
    if (udp) {
      interval.jitterMs = Number(udp[1]);
      interval.lostPackets = Number(udp[2]);
      interval.packets = Number(udp[3]);
      interval.omitted = udp[4] !== undefined;
    } else if (tcp) {
      interval.retransmits = Number(tcp[1]);
      if (tcp[2] !== undefined) interval.cwnd = Math.round(Number(tcp[2]) * (BYTE_UNITS[tcp[3] ?? ''] ?? 1));
      interval.omitted = tcp[4] !== undefined;
    } else if (datagrams || (protocol === 'tcp' && PLAIN_TAIL.test(tail))) {
      if (datagrams?.[1] !== undefined) interval.packets = Number(datagrams[1]);
      interval.omitted = tail.includes('(omitted)');
    } else {
      continue;
    }
    out.push(interval);
  }
  return out;
}
