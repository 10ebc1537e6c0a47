import type { PathTrace } from '../../../shared/path.ts';
import { HopBuilder, finishTrace } from './model.ts';
import { MAX_HOPS, Problems, asAddress, asHostName, neutralise, splitLines, toInt, toNumber } from './text.ts';

/**
 * Parser for Windows tracert (ICMP echo; CRLF line ends):
 *
 *   Tracing route to example.net [203.0.113.7]
 *   over a maximum of 30 hops:
 *
 *     1    <1 ms    <1 ms    <1 ms  192.168.1.1
 *     2     *        *        *     Request timed out.
 *     3    12 ms     *       11 ms  ae-1.example.net [203.0.113.5]
 *     4     *        *     10.0.0.1  reports: Destination host unreachable.
 *
 *   Trace complete.
 *
 * tracert prints one address per hop (the last that answered), so every answered probe of the hop
 * is credited to it. It reports whole milliseconds: "<1 ms" is recorded as 0.5 ms. "reports: …"
 * lines are a router (or the local host) saying the target is unreachable: "!H", "!N", "!P" for the
 * English texts, a bare "!" (with the text as the note) for anything else, e.g. localised output.
 */

export interface TracertParseOptions {
  targetAddress?: string | null;
}

const HEADER = /^Tracing route to (\S+)(?: \[([^\]\s]+)\])?(?:\s+over a maximum of (\d+) hops:?)?\s*$/;
const MAX_LINE = /^over a maximum of (\d+) hops:?\s*$/;
const HOP_LINE = /^\s*(\d{1,3})\s+(\S.*)$/;
const REPORT = /^(\S+)(?:\s+\[([^\]\s]+)\])?\s+(\S+):\s+(.+)$/;
const UNREACHABLE: ReadonlyArray<[RegExp, string]> = [
  [/destination host unreachable/i, '!H'],
  [/destination net(?:work)? unreachable/i, '!N'],
  [/destination protocol unreachable/i, '!P'],
  [/destination prohibited|administratively prohibited|communication .*prohibited/i, '!X'],
];

export function parseTracert(text: unknown, options: TracertParseOptions = {}): PathTrace {
  const problems = new Problems();
  const lines = splitLines(text, problems);
  let target: string | null = null;
  let targetAddress = asAddress(options.targetAddress ?? null);
  let maxHops: number | null = null;
  const hops = new Map<number, HopBuilder>();

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || /^Trace complete\.?$/.test(trimmed)) continue;
    const header = HEADER.exec(trimmed);
    if (header) {
      const addr = asAddress(header[2] ?? header[1]);
      target = asHostName(header[1]) ?? asAddress(header[1]);
      targetAddress = addr ?? targetAddress;
      maxHops = toInt(header[3], 1, 255) ?? maxHops;
      continue;
    }
    const max = MAX_LINE.exec(trimmed);
    if (max) {
      maxHops = toInt(max[1], 1, 255);
      continue;
    }
    if (/^Unable to resolve target system name /.test(trimmed)) {
      problems.add(`tracert could not resolve the target: ${neutralise(trimmed, 120)}`);
      continue;
    }
    const m = HOP_LINE.exec(line);
    const ttl = m ? toInt(m[1], 1, MAX_HOPS) : null;
    if (!m || ttl === null) {
      problems.line(i + 1, line, 'not a tracert line');
      continue;
    }
    if (hops.has(ttl)) problems.line(i + 1, line, `hop ${ttl} appears twice; the lines were merged`);
    const hop = hops.get(ttl) ?? new HopBuilder(ttl);
    hops.set(ttl, hop);
    readHop(hop, m[2] ?? '', i + 1, line, problems);
  }

  if (targetAddress === null && hops.size > 0) problems.add('the target address is unknown (no "Tracing route to … [address]" header)');
  const built = [...hops.values()].map((h) => h.build(targetAddress));
  return finishTrace('windows-tracert', { target, targetAddress, maxHops }, built, problems);
}

function readHop(hop: HopBuilder, rest: string, lineNo: number, line: string, problems: Problems): void {
  const tokens = rest.split(/\s+/).filter((t) => t.length > 0);
  const rtts: Array<number | null> = [];
  let k = 0;
  while (k < tokens.length && rtts.length < 10) {
    const token = tokens[k] ?? '';
    if (token === '*') {
      rtts.push(null);
      k += 1;
    } else if (token === '<1' && tokens[k + 1] === 'ms') {
      rtts.push(0.5);
      k += 2;
    } else if (/^\d{1,7}$/.test(token) && tokens[k + 1] === 'ms') {
      rtts.push(toNumber(token));
      k += 2;
    } else if (/^(?:<1|\d{1,7})ms$/.test(token)) {
      rtts.push(token.startsWith('<') ? 0.5 : toNumber(token.slice(0, -2)));
      k += 1;
    } else break;
  }
  const hostPart = tokens.slice(k).join(' ');
  let address: string | null = null;
  let name: string | null = null;
  let flag: string | null = null;
  if (/^Request timed out\.?$/i.test(hostPart) || hostPart === '') {
    // every probe shown as "*"; nothing else on the line
  } else {
    const report = REPORT.exec(hostPart);
    if (report && asAddress(report[2] ?? report[1]) !== null) {
      address = asAddress(report[2] ?? report[1]);
      name = report[2] ? asHostName(report[1]) : null;
      const text = report[4] ?? '';
      flag = UNREACHABLE.find(([pattern]) => pattern.test(text))?.[1] ?? '!';
      hop.addNote(`${report[3] ?? ''}: ${text}`);
    } else {
      const named = /^(\S+)\s+\[([^\]\s]+)\]$/.exec(hostPart);
      address = asAddress(named ? named[2] : hostPart);
      name = named ? asHostName(named[1]) : null;
      if (address === null) {
        if (/^[A-Za-z]/.test(hostPart) && rtts.every((r) => r === null)) hop.addNote(hostPart); // "General failure." and the like
        else problems.line(lineNo, line, 'unreadable responder');
      }
    }
  }
  if (address !== null) hop.responder(address, name);
  for (const rtt of rtts) hop.probe(rtt === null ? null : address, rtt, rtt === null ? null : flag);
  // "  4     *        *     10.0.0.1  reports: …": the report is itself an answer, without a time,
  // and takes the place of the last probe column.
  if (flag !== null && address !== null && rtts.every((r) => r === null)) hop.probe(address, null, flag);
  if (flag) hop.flag(flag);
}
