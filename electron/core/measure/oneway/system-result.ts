import { WorkbenchError } from '../../../shared/errors.ts';
import type { SessionSummary } from '../../../shared/latency.ts';
import { summarizeRoundTrip } from '../twamp/stats.ts';
import { toTwampRecords } from '../twamp/records.ts';
import { ntpToUnixMs } from './ntp.ts';
import { owpingRawToLog, parseOwpingRaw, parseTwpingRaw, twpingRawToLog, type OwpingRawRecord } from './owping-output.ts';
import { toOneWayRecords } from './records.ts';
import type { StoredOneWaySession, StoredTwampSession } from './rows.ts';
import type { SlotDescription } from './session-result.ts';
import { summarizeOneWay } from './stats.ts';
import { owampSessionSummary, twampSessionSummary } from './view.ts';

/**
 * A system owping's / twping's raw records (-R) as the sessions the built-in client produces:
 * the same record logs, the same statistics code (summarizeOneWay, summarizeRoundTrip), the same
 * SessionSummary. Only the timestamps come from the tool, so the two can be compared figure by
 * figure. What -R does not carry (SID, test ports, the loss timeout owping chose) stays empty.
 */

export interface SystemSessionOptions {
  packets: number;
  interval: number;
  schedule: 'poisson' | 'periodic';
  padding: number;
  lossTimeout?: number;
}

/** owping's own default loss timeout is the round trip + 2 s; 2 s sizes the reordering window. */
const DEFAULT_TIMEOUT_FOR_STATS = 2;

function scheduleOf(o: SystemSessionOptions): SlotDescription[] {
  return [{ type: o.schedule === 'periodic' ? 'fixed' : 'exponential', seconds: o.interval }];
}

function unparseable(message: string): WorkbenchError {
  return new WorkbenchError('UNPARSEABLE_OUTPUT', message);
}

/** The earliest send time stands in for the session's Start Time, which -R does not print. */
function firstSend(times: Iterable<bigint>): bigint {
  let first: bigint | null = null;
  for (const t of times) if (first === null || t < first) first = t;
  if (first === null) throw unparseable('A session without records.');
  return first;
}

function oneWaySession(direction: 'to' | 'from', records: readonly OwpingRawRecord[], o: SystemSessionOptions & { dscp: number | null }): StoredOneWaySession {
  const log = owpingRawToLog(records);
  const start = firstSend(records.map((r) => r.sendTime));
  return {
    direction,
    sid: null,
    sender: null,
    receiver: null,
    startTimeNtp: start.toString(),
    startUnixMs: ntpToUnixMs(start),
    packets: o.packets,
    schedule: scheduleOf(o),
    paddingLength: o.padding,
    // 0: owping chose it (round trip + 2 s) and -R does not say.
    lossTimeoutSeconds: o.lossTimeout ?? 0,
    dscp: o.dscp,
    nextSeqno: o.packets,
    skips: [],
    recordSource: 'tool',
    discarded: null,
    records: toOneWayRecords(log, start),
    summary: summarizeOneWay(log, { packetsPerSecond: 1 / o.interval, timeoutSeconds: o.lossTimeout ?? DEFAULT_TIMEOUT_FOR_STATS }),
    senderTiming: null,
  };
}

/**
 * owping -R stdout → one session per direction asked for, "to" first as owping prints them.
 * Throws UNPARSEABLE_OUTPUT when the records do not add up to those sessions.
 */
export function owpingSessions(stdout: string, o: SystemSessionOptions & { direction: 'to' | 'from' | 'both'; dscp: number | null }): StoredOneWaySession[] {
  const directions: Array<'to' | 'from'> = o.direction === 'both' ? ['to', 'from'] : [o.direction];
  const parsed = parseOwpingRaw(stdout);
  if (parsed.length !== directions.length) {
    throw unparseable(`owping printed records of ${parsed.length} session(s) where ${directions.length} were asked for.`);
  }
  return parsed.map((records, i) => {
    for (const r of records) if (r.seq >= o.packets) throw unparseable(`owping printed a record for packet ${r.seq} of ${o.packets}.`);
    return oneWaySession(directions[i] as 'to' | 'from', records, o);
  });
}

/** twping -R stdout → the round-trip session. */
export function twpingSession(stdout: string, o: SystemSessionOptions): StoredTwampSession {
  const records = parseTwpingRaw(stdout);
  if (records.length === 0) throw unparseable('twping printed no records.');
  for (const r of records) if (r.sent.seq >= o.packets) throw unparseable(`twping printed a record for packet ${r.sent.seq} of ${o.packets}.`);
  const log = twpingRawToLog(records);
  const start = firstSend(records.map((r) => r.sent.sendTime));
  return {
    protocol: 'twping',
    sid: null,
    sender: null,
    reflector: null,
    startTimeNtp: start.toString(),
    packets: o.packets,
    schedule: scheduleOf(o),
    paddingLength: o.padding,
    lossTimeoutSeconds: o.lossTimeout ?? 0,
    nextSeqno: o.packets,
    skips: [],
    records: toTwampRecords(log, start),
    summary: summarizeRoundTrip(log),
    senderTiming: null,
  };
}

export const owpingSessionSummaries = (sessions: readonly StoredOneWaySession[]): SessionSummary[] => sessions.map(owampSessionSummary);
export const twpingSessionSummary = (session: StoredTwampSession): SessionSummary => twampSessionSummary(session);
