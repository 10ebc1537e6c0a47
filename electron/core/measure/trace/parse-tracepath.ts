import type { PathTrace } from '../../../shared/path.ts';
import { HopBuilder, finishTrace } from './model.ts';
import { MAX_HOPS, Problems, asAddress, asHostName, splitLines, toInt, toNumber } from './text.ts';

/**
 * Parser for Linux tracepath (iputils): one line per answer, several per TTL.
 *
 *    1?: [LOCALHOST]                      pmtu 1500          local interface MTU
 *    1:  198.18.1.1                        0.054ms           a time-exceeded answer
 *    2:  198.18.2.2                        0.020ms asymm  6  answer came back over 6 hops
 *    3:  198.18.2.2                        0.014ms pmtu 1400 hop 2 could not forward 1500 bytes
 *    3:  198.18.9.1                        0.017ms reached   destination
 *    4:  no reply
 *        Resume: pmtu 1400 hops 3 back 3
 *
 * A "pmtu N" line is an ICMP "fragmentation needed" from the router in front of the narrow link,
 * in answer to the probe for this TTL: it sets the hop's MTU (and who reported it) but is not the
 * hop's responder; tracepath then resends smaller and prints the real answer on the next line.
 * tracepath prints no header, so the target address comes from the caller.
 */

export interface TracepathParseOptions {
  target?: string | null;
  targetAddress?: string | null;
}

const LINE = /^\s*(\d{1,3})(\?)?:\s+(.*)$/;
const RESUME = /^\s*Resume: pmtu (\d+)(?: hops (\d+))?(?: back (\d+))?\s*$/;
const TOO_MANY = /^\s*Too many hops: pmtu (\d+)\s*$/;
const RTT = /^(\d+(?:\.\d+)?)ms$/;

export function parseTracepath(text: unknown, options: TracepathParseOptions = {}): PathTrace {
  const problems = new Problems();
  const lines = splitLines(text, problems);
  const targetAddress = asAddress(options.targetAddress ?? null);
  const hops = new Map<number, HopBuilder>();
  let localMtu: number | null = null;
  let pathMtu: number | null = null;
  let hopsTo: number | null = null;
  let hopsBack: number | null = null;
  let finished = false;

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const resume = RESUME.exec(line);
    if (resume) {
      pathMtu = toInt(resume[1], 68, 65536);
      hopsTo = toInt(resume[2], 0, 255);
      hopsBack = toInt(resume[3], 0, 255);
      finished = true;
      continue;
    }
    const tooMany = TOO_MANY.exec(line);
    if (tooMany) {
      pathMtu = toInt(tooMany[1], 68, 65536);
      continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      problems.line(i + 1, line, 'not a tracepath line');
      continue;
    }
    const ttl = toInt(m[1], 1, MAX_HOPS);
    if (ttl === null) {
      problems.line(i + 1, line, 'hop number out of range');
      continue;
    }
    const hop = hops.get(ttl) ?? new HopBuilder(ttl);
    hops.set(ttl, hop);
    readLine(hop, m[3] ?? '', i + 1, line, problems, (mtu) => {
      if (localMtu === null && ttl === 1) localMtu = mtu;
      else {
        hop.mtu = mtu; // the kernel already knew a smaller PMTU for this route (cached)
        hop.mtuReportedBy = null;
      }
    });
  }

  if (!finished && lines.some((l) => l.trim() !== '')) problems.add('the output ends before tracepath\'s "Resume" line (truncated or still running)');
  const built = [...hops.values()].map((h) => h.build(targetAddress));
  // "hops N" in the Resume line names the TTL that reached the destination.
  if (hopsTo !== null && !built.some((h) => h.reached)) {
    const hop = built.find((h) => h.ttl === hopsTo);
    if (hop && hop.received > 0) hop.reached = true;
  }
  return finishTrace('tracepath', { target: asHostName(options.target) ?? asAddress(options.target), targetAddress, localMtu, pathMtu, hopsBack }, built, problems);
}

function readLine(hop: HopBuilder, rest: string, lineNo: number, line: string, problems: Problems, onLocalMtu: (mtu: number) => void): void {
  const tokens = rest.split(/\s+/).filter((t) => t.length > 0);
  if (tokens[0] === '[LOCALHOST]') {
    const at = tokens.indexOf('pmtu');
    const mtu = at === -1 ? null : toInt(tokens[at + 1], 68, 65536);
    if (mtu !== null) onLocalMtu(mtu);
    return;
  }
  if (tokens[0] === 'no' && tokens[1] === 'reply') {
    hop.probe(null, null);
    return;
  }
  if (tokens[0] === 'send' && tokens[1] === 'failed') {
    hop.probe(null, null);
    hop.addNote('send failed');
    return;
  }
  if (tokens[0] === 'reply' && tokens[1] === 'received') {
    hop.reachedMark = true;
    hop.addNote('reply received');
    return;
  }
  let address: string | null = null;
  let name: string | null = null;
  let rtt: number | null = null;
  let mtu: number | null = null;
  let flag: string | null = null;
  let reached = false;
  let unknown = 0;
  for (let k = 0; k < tokens.length; k += 1) {
    const token = tokens[k] ?? '';
    const next = tokens[k + 1];
    const paren = next ? /^\((.+)\)$/.exec(next) : null;
    if (address === null && paren && asAddress(paren[1]) !== null) {
      address = asAddress(paren[1]);
      name = asHostName(token);
      k += 1;
      continue;
    }
    if (address === null && asAddress(token) !== null) {
      address = asAddress(token);
      continue;
    }
    const r = RTT.exec(token);
    if (r) {
      rtt = toNumber(r[1]);
      continue;
    }
    if (token === 'pmtu' || token === 'asymm') {
      const value = toInt(next, token === 'pmtu' ? 68 : 0, token === 'pmtu' ? 65536 : 255);
      if (value === null) problems.line(lineNo, line, `unreadable ${token} value`);
      else if (token === 'pmtu') mtu = value;
      else hop.asymm = value;
      k += 1;
      continue;
    }
    if (token === 'reached') {
      reached = true;
      continue;
    }
    if (/^!(?:[A-Z])$/.test(token)) {
      flag = token;
      continue;
    }
    if (token.startsWith('(This') || token === 'broken') {
      hop.addNote('the router returned a corrupted payload');
      break;
    }
    unknown += 1;
  }
  if (unknown > 0) problems.line(lineNo, line, `${unknown} unreadable field${unknown === 1 ? '' : 's'}`);
  if (address === null) {
    problems.line(lineNo, line, 'no address');
    return;
  }
  if (mtu !== null && !reached) {
    // Fragmentation needed, from the router in front of the narrow link: not this hop's responder.
    hop.mtu = mtu;
    hop.mtuReportedBy = address;
    return;
  }
  hop.responder(address, name);
  hop.probe(address, rtt, flag);
  if (reached) hop.reachedMark = true;
}
