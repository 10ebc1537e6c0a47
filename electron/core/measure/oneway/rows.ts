import { ntpToUnixNs } from './ntp.ts';
import type { Endpoint, OneWaySessionResult } from './session-result.ts';
import type { TwampRunResult } from '../twamp/client.ts';

/**
 * Results → rows of the proposed tables (store/migrations/0020-oneway.ts), so the store only has
 * to bind them. Column order = the order of the `*_COLUMNS` lists below.
 */

export type SqlValue = number | string | bigint | null;

export const ONEWAY_SESSION_COLUMNS = [
  'run_id', 'session', 'direction', 'protocol', 'sid', 'sender_address', 'sender_port', 'receiver_address', 'receiver_port',
  'start_unix_ns', 'start_ntp', 'packets', 'padding', 'loss_timeout_s', 'dscp', 'schedule', 'next_seqno', 'skips',
  'record_source', 'sent', 'lost', 'duplicates', 'delay_min_s', 'delay_median_s', 'delay_max_s', 'jitter_s', 'loss_upper',
  'clock_sync', 'schedule_p99_us', 'summary',
] as const;

export const ONEWAY_PACKET_COLUMNS = ['run_id', 'session', 'idx', 'seq', 'send_offset_ns', 'recv_offset_ns', 'delay_s', 'send_err', 'recv_err', 'ttl'] as const;

export const TWAMP_PACKET_COLUMNS = [
  'run_id', 'session', 'idx', 'sender_seq', 'reflector_seq', 'send_offset_ns', 'reflector_recv_offset_ns', 'reflector_send_offset_ns',
  'recv_offset_ns', 'rtt_s', 'forward_s', 'backward_s', 'processing_s', 'sender_err', 'reflector_err', 'recv_err', 'sender_ttl', 'reflected_ttl',
] as const;

/**
 * What the store needs of a one-way session: our client's result, or one read from a system
 * owping's raw records (no SID or test ports there; records come from the tool).
 */
export type StoredOneWaySession = Omit<OneWaySessionResult, 'sid' | 'sender' | 'receiver' | 'recordSource'> & {
  sid: string | null;
  sender: Endpoint | null;
  receiver: Endpoint | null;
  recordSource: OneWaySessionResult['recordSource'] | 'tool';
};

/** The same for a round-trip session: our TWAMP/TWAMP-Light client's, or a system twping's. */
export type StoredTwampSession = Pick<TwampRunResult, 'startTimeNtp' | 'packets' | 'schedule' | 'paddingLength' | 'lossTimeoutSeconds' | 'nextSeqno' | 'skips' | 'records' | 'summary'> & {
  protocol: TwampRunResult['protocol'] | 'twping';
  sid: string | null;
  sender: Endpoint | null;
  reflector: Endpoint | null;
  senderTiming: TwampRunResult['senderTiming'] | null;
};

const orNull = (value: number | undefined): number | null => (value === undefined || Number.isNaN(value) ? null : value);

function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function onewaySessionRow(runId: number, session: number, protocol: 'owamp' | 'owping', result: StoredOneWaySession): SqlValue[] {
  const s = result.summary;
  return [
    runId, session, result.direction, protocol, result.sid, result.sender?.address ?? null, result.sender?.port ?? null, result.receiver?.address ?? null, result.receiver?.port ?? null,
    ntpToUnixNs(BigInt(result.startTimeNtp)), result.startTimeNtp, result.packets, result.paddingLength, result.lossTimeoutSeconds, result.dscp,
    JSON.stringify(result.schedule), result.nextSeqno, JSON.stringify(result.skips), result.recordSource, s.sent, s.lost, s.duplicates,
    s.delay.min, s.delay.median, s.delay.max, s.jitter, s.lossBound?.upper ?? null, s.clock.synchronized ? 1 : 0,
    result.senderTiming?.p99Us ?? null, stringify(s),
  ];
}

export function* onewayPacketRows(runId: number, session: number, result: Pick<StoredOneWaySession, 'records'>): Generator<SqlValue[]> {
  const r = result.records;
  for (let i = 0; i < r.length; i += 1) {
    const ttl = r.ttl[i] as number;
    const lost = Number.isNaN(r.delay[i] as number);
    yield [runId, session, i, r.seq[i] as number, Math.round(r.sendOffsetNs[i] as number), lost ? null : Math.round(r.recvOffsetNs[i] as number), orNull(r.delay[i]), r.sendError[i] as number, r.recvError[i] as number, lost || ttl < 0 ? null : ttl];
  }
}

export function twampSessionRow(runId: number, session: number, result: StoredTwampSession): SqlValue[] {
  const s = result.summary;
  return [
    runId, session, 'round-trip', result.protocol, result.sid, result.sender?.address ?? null, result.sender?.port ?? null, result.reflector?.address ?? null, result.reflector?.port ?? null,
    ntpToUnixNs(BigInt(result.startTimeNtp)), result.startTimeNtp, result.packets, result.paddingLength, result.lossTimeoutSeconds, null,
    JSON.stringify(result.schedule), result.nextSeqno, JSON.stringify(result.skips), result.protocol === 'twping' ? 'tool' : 'client', s.sent, s.lost, s.sendDuplicates + s.reflectDuplicates,
    s.rtt.min, s.rtt.median, s.rtt.max, s.jitter.rtt, s.lossBound?.upper ?? null, s.clock.synchronized ? 1 : 0, result.senderTiming?.p99Us ?? null, stringify(s),
  ];
}

export function* twampPacketRows(runId: number, session: number, result: Pick<StoredTwampSession, 'records'>): Generator<SqlValue[]> {
  const r = result.records;
  for (let i = 0; i < r.length; i += 1) {
    const lost = Number.isNaN(r.rtt[i] as number);
    const ns = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? null : Math.round(v));
    const ttl = (v: number | undefined) => (lost || v === undefined || v < 0 ? null : v);
    yield [
      runId, session, i, r.senderSeq[i] as number, lost ? null : (r.reflectorSeq[i] as number), Math.round(r.sendOffsetNs[i] as number),
      ns(r.reflectorReceiveOffsetNs[i]), ns(r.reflectorSendOffsetNs[i]), ns(r.receiveOffsetNs[i]), orNull(r.rtt[i]), orNull(r.forward[i]),
      orNull(r.backward[i]), orNull(r.processing[i]), r.senderError[i] as number, r.reflectorError[i] as number, r.receiveError[i] as number,
      ttl(r.senderTtl[i]), ttl(r.reflectedTtl[i]),
    ];
  }
}
