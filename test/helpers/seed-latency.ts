import { secondsToInterval, unixNsToNtp } from '../../electron/core/measure/oneway/ntp.ts';
import { RecordLog, toOneWayRecords } from '../../electron/core/measure/oneway/records.ts';
import type { OneWaySessionResult } from '../../electron/core/measure/oneway/session-result.ts';
import { summarizeOneWay } from '../../electron/core/measure/oneway/stats.ts';
import { owampSessionSummary, twampSessionSummary } from '../../electron/core/measure/oneway/view.ts';
import { parsePing, summarizePing } from '../../electron/core/measure/ping/index.ts';
import type { TwampRunResult } from '../../electron/core/measure/twamp/client.ts';
import { toTwampRecords, TwampRecordLog } from '../../electron/core/measure/twamp/records.ts';
import { summarizeRoundTrip } from '../../electron/core/measure/twamp/stats.ts';
import { Store } from '../../electron/core/store/index.ts';
import type { OnewayRunSummary } from '../../electron/shared/latency.ts';

/**
 * Latency (OWAMP), twamp and ping rtt runs written the way the workbench writes them: packet
 * records go through the same summarising code as a real run (summarizeOneWay,
 * summarizeRoundTrip, the iputils ping parser), and the store's own write APIs store them.
 */
export interface SeededDelayRun {
  kind: 'latency' | 'twamp' | 'rtt';
  host: string;
  at: number;
  /** Delay ("to" session for latency; round trip otherwise), ms, and how far it wanders (± ms). */
  delayMs: number;
  spreadMs?: number;
  /** The "from" session's delay (latency runs); defaults to delayMs. */
  fromDelayMs?: number;
  packets?: number;
  /** Every n-th packet is lost (0 = none); for latency, in the "to" session only. */
  loseEvery?: number;
  family?: '4' | '6';
  fingerprint?: string;
  tags?: string[];
}

const INTERVAL_S = 0.01;

/** Deterministic wander in [−1, 1]. */
const wander = (i: number, phase: number) => Math.sin(i * 1.7 + phase) * Math.cos(i * 0.31);

function delays(run: SeededDelayRun, baseMs: number, phase: number, loseEvery: number): Array<number | null> {
  return Array.from({ length: run.packets ?? 50 }, (_, i) => (loseEvery > 0 && i % loseEvery === loseEvery - 1 ? null : baseMs + (run.spreadMs ?? 0.2) * wander(i, phase)));
}

function oneWaySession(direction: 'to' | 'from', start: bigint, ms: Array<number | null>): OneWaySessionResult {
  const log = new RecordLog(ms.length);
  ms.forEach((d, seq) => {
    const send = start + secondsToInterval(seq * INTERVAL_S);
    log.push({ seq, sendTime: send, recvTime: d === null ? 0n : send + secondsToInterval(d / 1000), sendError: 1, recvError: 1, ttl: -1 });
  });
  return {
    direction,
    sid: '7f000001eeacd4241dd51b4fb66dcb82',
    sender: { address: '127.0.0.1', port: 9000 },
    receiver: { address: '127.0.0.1', port: 9001 },
    startTimeNtp: start.toString(),
    startUnixMs: 0,
    packets: ms.length,
    schedule: [{ type: 'fixed', seconds: INTERVAL_S }],
    paddingLength: 0,
    lossTimeoutSeconds: 2,
    dscp: null,
    nextSeqno: ms.length,
    skips: [],
    recordSource: 'client',
    discarded: null,
    records: toOneWayRecords(log, start),
    summary: summarizeOneWay(log),
    senderTiming: null,
  };
}

function twampSession(start: bigint, ms: Array<number | null>): TwampRunResult {
  const log = new TwampRecordLog(ms.length);
  ms.forEach((d, seq) => {
    const t1 = start + secondsToInterval(seq * INTERVAL_S);
    const half = d === null ? 0n : secondsToInterval(d / 2000);
    const t2 = d === null ? 0n : t1 + half;
    const t3 = d === null ? 0n : t2 + secondsToInterval(0.00001);
    const t4 = d === null ? 0n : t3 + half;
    log.push({ senderSeq: seq, reflectorSeq: seq, t1, t2, t3, t4, senderError: 1, reflectorError: 1, receiveError: 1, senderTtl: 255, reflectedTtl: -1 });
  });
  return {
    protocol: 'twamp',
    sid: null,
    sender: { address: '127.0.0.1', port: 9002 },
    reflector: { address: '127.0.0.1', port: 9003 },
    startTimeNtp: start.toString(),
    packets: ms.length,
    paddingLength: 27,
    lossTimeoutSeconds: 2,
    schedule: [{ type: 'fixed', seconds: INTERVAL_S }],
    nextSeqno: ms.length,
    skips: [],
    records: toTwampRecords(log, start),
    summary: summarizeRoundTrip(log),
    senderTiming: null,
  } as unknown as TwampRunResult;
}

/** iputils ping output for these round trips (null = no reply, a gap in icmp_seq). */
function pingOutput(host: string, ms: Array<number | null>): string {
  const lines = [`PING ${host} (127.0.0.1) 56(84) bytes of data.`];
  ms.forEach((d, i) => d !== null && lines.push(`64 bytes from 127.0.0.1: icmp_seq=${i + 1} ttl=64 time=${d.toFixed(3)} ms`));
  const got = ms.filter((d) => d !== null).length;
  lines.push('', `--- ${host} ping statistics ---`, `${ms.length} packets transmitted, ${got} received, ${(((ms.length - got) / ms.length) * 100).toFixed(0)}% packet loss, time ${ms.length * 10}ms`, '');
  return lines.join('\n');
}

/** Writes finished latency / twamp / rtt runs into a store; returns their ids in order. */
export function seedDelayRuns(dbPath: string, runs: SeededDelayRun[]): number[] {
  const store = new Store(dbPath);
  try {
    return runs.map((r, n) => {
      const options = r.kind === 'rtt' ? { count: r.packets ?? 50, intervalSeconds: INTERVAL_S } : { packets: r.packets ?? 50, interval: INTERVAL_S };
      const id = store.runs.create({ kind: r.kind, host: r.host, port: null, family: 'any', options, now: r.at });
      const start = unixNsToNtp(BigInt(r.at) * 1_000_000n);
      const done = { status: 'succeeded' as const, error: null, stdout: '', stderr: '', now: r.at + 5000, family: r.family ?? '4', pathFingerprint: r.fingerprint ?? null };
      if (r.kind === 'latency') {
        const sessions = [oneWaySession('to', start, delays(r, r.delayMs, n, r.loseEvery ?? 0)), oneWaySession('from', start, delays(r, r.fromDelayMs ?? r.delayMs, n + 0.5, 0))];
        const summary: OnewayRunSummary = { protocol: 'owamp', mode: 'unauthenticated', controlRttMs: 0.2, sessions: sessions.map(owampSessionSummary), notes: [] };
        store.runs.finish(id, { ...done, summary }, () => store.oneway.insertOwamp(id, sessions));
      } else if (r.kind === 'twamp') {
        const session = twampSession(start, delays(r, r.delayMs, n, r.loseEvery ?? 0));
        const summary: OnewayRunSummary = { protocol: 'twamp', mode: 'unauthenticated', controlRttMs: 0.2, sessions: [twampSessionSummary(session)], notes: [] };
        store.runs.finish(id, { ...done, summary }, () => store.oneway.insertTwamp(id, session));
      } else {
        const parse = parsePing(pingOutput(r.host, delays(r, r.delayMs, n, r.loseEvery ?? 0)), { format: 'iputils' });
        store.runs.finish(id, { ...done, summary: summarizePing(parse, r.family ?? '4') }, () => store.paths.insertPingReplies(id, parse.replies));
      }
      if (r.tags?.length) store.runs.tag([id], r.tags, []);
      return id;
    });
  } finally {
    store.close();
  }
}
