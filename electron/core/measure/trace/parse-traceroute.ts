import type { PathHop, PathTrace } from '../../../shared/path.ts';
import { HOP_FLAG } from '../../../shared/path.ts';
import { HopBuilder, finishTrace } from './model.ts';
import { MAX_HOPS, Problems, asAddress, asHostName, splitLines, toInt, toNumber } from './text.ts';

/**
 * Parser for traceroute output: Linux "Modern traceroute" 2.x (UDP/ICMP/TCP, -n or names,
 * --mtu "F=N", --back "'-N'", -e "<MPLS…>", -A "[AS…]") and the BSD/macOS traceroute and
 * traceroute6 (continuation lines for extra responders, "!F-N", bare "!", "(N% loss)").
 *
 * Grammar of a hop line:  TTL ( "*" | ADDR | NAME "(" ADDR ")" | RTT "ms" | FLAG | extra )*
 * An RTT belongs to the last address printed on the line (traceroute prints an address only when
 * it differs from the previous probe's). BSD continues a hop on lines that start with spaces and an
 * address or name; Linux never does.
 */

export interface TracerouteParseOptions {
  /** Address the trace went to, when the header is missing (truncated output). */
  targetAddress?: string | null;
}

const HEADER = /^(traceroute6?) to (\S+) \(([^)\s]+)\)(?: from \S+)?, (\d+) hops max(?:, (\d+) byte packets)?/;
const HOP_LINE = /^\s{0,3}(\d{1,3})(?:\s+(.*))?$/;
const CONTINUATION = /^\s{2,}(\S.*)$/;
const RTT_GLUED = /^(\d+(?:\.\d+)?)ms$/;

export function parseTraceroute(text: unknown, options: TracerouteParseOptions = {}): PathTrace {
  const problems = new Problems();
  const lines = splitLines(text, problems);
  let target: string | null = null;
  let targetAddress = asAddress(options.targetAddress ?? null);
  let maxHops: number | null = null;
  let packetBytes: number | null = null;
  let bsd = false;
  const hops = new Map<number, HopBuilder>();
  let current: HopBuilder | null = null;
  let lastTtl = 0;

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const header = HEADER.exec(line);
    if (header) {
      if (header[1] === 'traceroute6' || / from \S+, /.test(line)) bsd = true;
      target = asHostName(header[2]) ?? asAddress(header[2]);
      targetAddress = asAddress(header[3]) ?? targetAddress;
      if (!asAddress(header[3])) problems.line(i + 1, line, 'the header names no usable target address');
      maxHops = toInt(header[4], 1, 255);
      packetBytes = toInt(header[5], 0, 65535);
      // BSD defaults: 64 hops, 52-byte probes (40 for -I, 20 for traceroute6); Linux: 30 and 60/80.
      if (maxHops === 64 || packetBytes === 52 || packetBytes === 40 || packetBytes === 20) bsd = true;
      continue;
    }
    if (/^traceroute6?: Warning: /.test(line)) continue; // macOS: "has multiple addresses; using …"
    const hop = HOP_LINE.exec(line);
    if (hop) {
      const ttl = toInt(hop[1], 1, MAX_HOPS);
      if (ttl === null) {
        problems.line(i + 1, line, 'hop number out of range');
        current = null;
        continue;
      }
      if (ttl <= lastTtl && hops.has(ttl)) problems.line(i + 1, line, `hop ${ttl} appears twice; the lines were merged`);
      else if (ttl < lastTtl) problems.line(i + 1, line, `hop ${ttl} comes after hop ${lastTtl}`);
      lastTtl = Math.max(lastTtl, ttl);
      current = hops.get(ttl) ?? new HopBuilder(ttl);
      hops.set(ttl, current);
      readProbes(current, hop[2] ?? '', i + 1, line, problems);
      continue;
    }
    const continuation = CONTINUATION.exec(line);
    if (continuation && current) {
      bsd = true;
      readProbes(current, continuation[1] ?? '', i + 1, line, problems);
      continue;
    }
    problems.line(i + 1, line, 'not a traceroute line');
  }

  if (targetAddress === null && hops.size > 0) problems.add('the target address is unknown (no "traceroute to" header), so "destination reached" cannot be told');
  const built: PathHop[] = [...hops.values()].map((h) => h.build(targetAddress));
  // --mtu: "F=N" on the first hop is the MTU the first probe met leaving this host.
  const localMtu = built.find((h) => h.ttl === 1 && h.mtu !== null && h.mtuReportedBy === null)?.mtu ?? null;
  return finishTrace(bsd ? 'bsd-traceroute' : 'linux-traceroute', { target, targetAddress, maxHops, packetBytes, localMtu }, built, problems);
}

/** Reads the probe fields of one hop line (also BSD continuation lines, which start a new responder). */
function readProbes(hop: HopBuilder, rest: string, lineNo: number, line: string, problems: Problems): void {
  const tokens = rest.split(/\s+/).filter((t) => t.length > 0);
  let address: string | null = null;
  let unknown = 0;
  for (let k = 0; k < tokens.length; k += 1) {
    const token = tokens[k] ?? '';
    const next = tokens[k + 1];
    if (token === '*') {
      if (hop.probe(null, null) === null) return tooMany(hop, lineNo, line, problems);
      continue;
    }
    const glued = RTT_GLUED.exec(token);
    if (glued || (next === 'ms' && toNumber(token) !== null)) {
      const rtt = toNumber(glued ? glued[1] : token);
      if (!glued) k += 1;
      if (rtt === null || rtt > 3_600_000) {
        problems.line(lineNo, line, 'unreadable round-trip time');
        continue;
      }
      if (address === null) problems.line(lineNo, line, 'a round-trip time before any address');
      if (hop.probe(address, rtt) === null) return tooMany(hop, lineNo, line, problems);
      continue;
    }
    if (token.startsWith('!')) {
      const last = hop.probes[hop.probes.length - 1];
      if (!HOP_FLAG.test(token)) {
        problems.line(lineNo, line, 'unknown annotation');
        continue;
      }
      if (last && last.flag === null && last.address !== null) last.flag = token;
      hop.flag(token);
      const frag = /^!F-(\d{1,5})$/.exec(token);
      const mtu = frag ? toInt(frag[1], 68, 65536) : null;
      if (mtu !== null) {
        hop.mtu = mtu;
        hop.mtuReportedBy = last?.address ?? address;
      }
      continue;
    }
    const fMtu = /^F=(\d{1,5})$/.exec(token);
    if (fMtu) {
      const mtu = toInt(fMtu[1], 68, 65536);
      if (mtu === null) problems.line(lineNo, line, 'MTU out of range');
      else hop.mtu = mtu;
      continue;
    }
    const back = /^'-(\d{1,3})'$/.exec(token);
    if (back) {
      hop.asymm = toInt(back[1], 0, 255);
      continue;
    }
    if (/^<[^<>]{0,200}>$/.test(token)) {
      hop.addNote(token); // ICMP extensions (MPLS labels) or TCP reply flags
      continue;
    }
    if (/^\[[^[\]]{0,100}\]$/.test(token) || /^\(\d{1,3}%$/.test(token) || token === 'loss)') continue; // AS path; BSD -S summary
    const addr = asAddress(token);
    const paren = next ? /^\((.+)\)$/.exec(next) : null;
    if (paren) {
      const inner = asAddress(paren[1]);
      if (inner !== null) {
        const name = asHostName(token);
        if (name === null && addr === null) problems.line(lineNo, line, 'a host name that is not a valid DNS name was dropped');
        address = inner;
        hop.responder(inner, name);
        k += 1;
        continue;
      }
    }
    if (addr !== null) {
      address = addr;
      hop.responder(addr, null);
      continue;
    }
    unknown += 1;
  }
  if (unknown > 0) problems.line(lineNo, line, `${unknown} unreadable field${unknown === 1 ? '' : 's'}`);
}

function tooMany(hop: HopBuilder, lineNo: number, line: string, problems: Problems): void {
  problems.line(lineNo, line, `more probes than a hop can hold; hop ${hop.ttl} was cut`);
}
