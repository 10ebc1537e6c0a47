import type { PathHop, PathResponder, PathTrace } from '../../../shared/path.ts';
import { finishTrace } from './model.ts';
import { MAX_HOPS, MAX_INPUT_CHARS, Problems, asAddress, asHostName, neutralise, round3, splitLines, toInt, toNumber } from './text.ts';

/**
 * Parsers for mtr's machine-readable output. mtr aggregates: each hop carries counts and RTT
 * statistics over all cycles, not individual probes, so `probes` stays empty.
 *
 * --json (0.92 printed numbers as strings, 0.95 as numbers; both read):
 *   {"report": {"mtr": {"dst": "198.18.9.1", "tests": 5, …},
 *               "hubs": [{"count": 1, "host": "198.18.1.1", "Loss%": 0.0, "Snt": 5,
 *                         "Last": 0.07, "Avg": 0.07, "Best": 0.06, "Wrst": 0.09, "StDev": 0.01}, …]}}
 * "???" is a hop that never answered. JSON lists only the first responder of a hop; --report
 * also lists the others (ECMP) on continuation lines.
 */

export interface MtrParseOptions {
  targetAddress?: string | null;
}

interface HubFields {
  ttl: number | null;
  host: string | null;
  values: Map<string, number>;
}

export function parseMtrJson(text: unknown, options: MtrParseOptions = {}): PathTrace {
  const problems = new Problems();
  if (typeof text !== 'string') {
    problems.add('the output is not text');
    return finishTrace('mtr-json', { target: null, targetAddress: null }, [], problems);
  }
  const input = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  if (input !== text) problems.add(`the output is ${text.length} characters long; only the first ${MAX_INPUT_CHARS} were read`);
  let hubs: HubFields[] = [];
  let dst: string | null = null;
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(input);
  } catch {
    parsed = undefined;
  }
  const report = record(record(parsed)?.report);
  if (report) {
    dst = stringOf(record(report.mtr)?.dst);
    const list = Array.isArray(report.hubs) ? report.hubs : null;
    if (!list) problems.add('the JSON has no "hubs" list');
    for (const [index, hub] of (list ?? []).slice(0, MAX_HOPS).entries()) {
      const fields = record(hub);
      if (!fields) {
        problems.add(`hub ${index + 1} is not an object`);
        continue;
      }
      const values = new Map<string, number>();
      for (const [key, value] of Object.entries(fields)) {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? toNumber(value.replace(/%$/, '')) : null;
        if (n !== null && Number.isFinite(n)) values.set(key, n);
      }
      hubs.push({ ttl: intOf(fields.count), host: stringOf(fields.host), values });
    }
    if ((list?.length ?? 0) > MAX_HOPS) problems.add(`more than ${MAX_HOPS} hubs; the rest were ignored`);
  } else {
    problems.add(parsed === undefined ? 'the output is not complete JSON; hubs were recovered line by line' : 'the JSON is not an mtr report');
    const salvaged = salvage(input, problems);
    hubs = salvaged.hubs;
    dst = salvaged.dst;
  }
  const targetAddress = asAddress(dst) ?? asAddress(options.targetAddress ?? null);
  const hops = hubs.map((hub, i) => hubToHop(hub, i, targetAddress, problems)).filter((h): h is PathHop => h !== null);
  return finishTrace('mtr-json', { target: asHostName(dst) ?? asAddress(dst), targetAddress }, dedupe(hops, problems), problems);
}

/** Reads `"key": value` lines of pretty-printed mtr JSON that was cut short. */
function salvage(text: string, problems: Problems): { hubs: HubFields[]; dst: string | null } {
  const hubs: HubFields[] = [];
  let dst: string | null = null;
  let current: HubFields | null = null;
  for (const line of splitLines(text, problems)) {
    const m = /^\s*"([A-Za-z%]{1,12})":\s*("(?:[^"\\]|\\.){0,300}"|-?\d+(?:\.\d+)?)\s*,?\s*$/.exec(line);
    if (!m) continue;
    const key = m[1] ?? '';
    const raw = m[2] ?? '';
    const value: string = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    if (key === 'dst' && !current) dst = value;
    if (key === 'count') {
      if (hubs.length >= MAX_HOPS) break;
      current = { ttl: toInt(value, 1, MAX_HOPS), host: null, values: new Map() };
      hubs.push(current);
      continue;
    }
    if (!current) continue;
    if (key === 'host') current.host = value;
    else {
      const n = toNumber(value.replace(/%$/, ''));
      if (n !== null) current.values.set(key, n);
    }
  }
  return { hubs, dst };
}

function hubToHop(hub: HubFields, index: number, targetAddress: string | null, problems: Problems): PathHop | null {
  const ttl = hub.ttl;
  if (ttl === null || ttl < 1 || ttl > MAX_HOPS) {
    problems.add(`hub ${index + 1}: hop number missing or out of range`);
    return null;
  }
  const responders: PathResponder[] = [];
  let note: string | null = null;
  const host = hub.host ?? '???';
  if (host !== '???') {
    const named = /^(\S+) \((\S+)\)$/.exec(host);
    const address = asAddress(named ? named[2] : host);
    if (address !== null) responders.push({ address, name: named ? asHostName(named[1]) : null, replies: 0 });
    else if (asHostName(host) !== null) {
      note = `responder ${neutralise(host, 100)} (mtr printed a name without its address)`;
      problems.add(`hop ${ttl}: a name without an address; run mtr with -n or -b to keep addresses`);
    } else problems.add(`hop ${ttl}: unreadable host ${JSON.stringify(neutralise(host, 64))}`);
  }
  const loss = clampPercent(hub.values.get('Loss%'));
  const sent = nonNegativeInt(hub.values.get('Snt'));
  const rcv = nonNegativeInt(hub.values.get('Rcv'));
  const received = rcv ?? (sent !== null && loss !== null ? Math.round(sent * (1 - loss / 100)) : responders.length > 0 ? 1 : 0);
  const first = responders[0];
  if (first) first.replies = received;
  const rtt = received > 0
    ? {
        last: ms(hub.values.get('Last')),
        avg: ms(hub.values.get('Avg')),
        best: ms(hub.values.get('Best')),
        worst: ms(hub.values.get('Wrst')),
        stdev: ms(hub.values.get('StDev')),
      }
    : null;
  return {
    ttl,
    responders,
    probes: [],
    sent: sent ?? 0,
    received: Math.min(received, sent ?? received),
    lossPercent: loss ?? (sent ? round3(((sent - received) / sent) * 100) : null),
    rtt,
    mtu: null,
    mtuReportedBy: null,
    asymm: null,
    flags: [],
    reached: targetAddress !== null && responders.some((r) => r.address === targetAddress),
    note,
  };
}

// ---------------------------------------------------------------------------------------------
// --report (text)
// ---------------------------------------------------------------------------------------------

const COLUMNS = new Set(['Loss%', 'Drop', 'Rcv', 'Snt', 'Last', 'Best', 'Avg', 'Wrst', 'StDev', 'Gmean', 'Jttr', 'Javg', 'Jmax', 'Jint']);
const HOP_LINE = /^\s{0,3}(\d{1,3})\.(?:\|--)?\s+(.*)$/;
const EXTRA_RESPONDER = /^\s+(?:\|\s+`?\|--\s+|\|\s+\|--\s+)?(\S+)(?:\s+\((\S+)\))?\s*$/;

/**
 *   Start: 2026-11-22T03:36:32+0000
 *   HOST: vm                          Loss%   Snt   Last   Avg  Best  Wrst StDev
 *     1.|-- 198.18.1.1                 0.0%    10    0.1   0.1   0.1   0.3   0.1
 *     2.|-- 198.18.2.2                 0.0%    10    0.1   0.1   0.1   0.1   0.0
 *           198.18.4.2                                (a second responder: ECMP)
 *     3.|-- ???                       100.0    10    0.0   0.0   0.0   0.0   0.0
 * Columns follow the HOST line (mtr -o changes them); values are read from the right.
 */
export function parseMtrReport(text: unknown, options: MtrParseOptions = {}): PathTrace {
  const problems = new Problems();
  const lines = splitLines(text, problems);
  let columns: string[] = ['Loss%', 'Snt', 'Last', 'Avg', 'Best', 'Wrst', 'StDev'];
  let sawHeader = false;
  const targetAddress = asAddress(options.targetAddress ?? null);
  const hops: PathHop[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || /^Start: /.test(line)) continue;
    if (/^HOST: /.test(line)) {
      const titles = line.split(/\s+/).filter((t) => COLUMNS.has(t));
      if (titles.length > 0) columns = titles;
      sawHeader = true;
      continue;
    }
    const m = HOP_LINE.exec(line);
    if (m) {
      const ttl = toInt(m[1], 1, MAX_HOPS);
      const tokens = (m[2] ?? '').split(/\s+/).filter((t) => t.length > 0);
      if (ttl === null || tokens.length < columns.length + 1) {
        problems.line(i + 1, line, 'not a complete mtr report line');
        continue;
      }
      const valueTokens = tokens.slice(tokens.length - columns.length);
      const hostTokens = tokens.slice(0, tokens.length - columns.length).filter((t) => !/^AS(?:\d+|\?+)$/.test(t));
      const values = new Map<string, number>();
      let bad = 0;
      columns.forEach((title, c) => {
        const n = toNumber((valueTokens[c] ?? '').replace(/%$/, ''));
        if (n === null) bad += 1;
        else values.set(title, n);
      });
      if (bad > 0) problems.line(i + 1, line, `${bad} unreadable value${bad === 1 ? '' : 's'}`);
      const host = hostTokens.length === 2 && /^\(.+\)$/.test(hostTokens[1] ?? '') ? `${hostTokens[0]} ${hostTokens[1]}` : (hostTokens[0] ?? '???');
      if (hostTokens.length > 2 || (hostTokens.length === 2 && host.indexOf(' ') === -1)) problems.line(i + 1, line, 'unexpected text in the host column');
      const hop = hubToHop({ ttl, host, values }, hops.length, targetAddress, problems);
      if (hop) hops.push(hop);
      continue;
    }
    if (/\[MPLS:/.test(line)) {
      const last = hops[hops.length - 1];
      if (last) last.note = neutralise(`${last.note ? `${last.note}; ` : ''}${line.trim()}`, 400);
      continue;
    }
    const extra = EXTRA_RESPONDER.exec(line);
    const last = hops[hops.length - 1];
    if (extra && last) {
      const address = asAddress(extra[2] ?? extra[1]);
      if (address !== null) {
        if (!last.responders.some((r) => r.address === address)) {
          last.responders.push({ address, name: extra[2] ? asHostName(extra[1]) : null, replies: 0 });
          if (targetAddress !== null && address === targetAddress) last.reached = true;
        }
        continue;
      }
    }
    problems.line(i + 1, line, 'not an mtr report line');
  }
  if (!sawHeader && hops.length > 0) problems.add('no "HOST:" header; the default columns were assumed');
  return finishTrace('mtr-report', { target: null, targetAddress }, dedupe(hops, problems), problems);
}

// ---------------------------------------------------------------------------------------------

function dedupe(hops: PathHop[], problems: Problems): PathHop[] {
  const seen = new Map<number, PathHop>();
  for (const hop of hops) {
    if (seen.has(hop.ttl)) {
      problems.add(`hop ${hop.ttl} is listed twice; the first was kept`);
      continue;
    }
    seen.set(hop.ttl, hop);
  }
  return [...seen.values()];
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.length <= 300 ? value : null;
}

function intOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string') return toInt(value, 0, 1_000_000);
  return null;
}

function clampPercent(value: number | undefined): number | null {
  return value === undefined || value < 0 || value > 100 ? null : round3(value);
}

function nonNegativeInt(value: number | undefined): number | null {
  return value === undefined || value < 0 || value > 1e9 ? null : Math.round(value);
}

function ms(value: number | undefined): number | null {
  return value === undefined || value < 0 || value > 3_600_000 ? null : value;
}
