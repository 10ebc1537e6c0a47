import type { ControlChannel } from '../oneway/control/channel.ts';
import {
  BLOCK,
  decodeSessionRequestFixed,
  decodeStopSessionsHeader,
  encodeStopSessionsHeader,
  HMAC_LENGTH,
  hmacBlock,
  padToBlock,
  SESSION_REQUEST_FIXED_LENGTH,
  type SessionRequest,
  type StopSessionsHeader,
} from '../oneway/control/codec.ts';
import { MalformedMessageError, OnewayError } from '../oneway/errors.ts';
import { RecordLog } from '../oneway/records.ts';
import type { ScheduleSlot } from '../oneway/schedule.ts';
import {
  DATA_RECORD_LENGTH,
  decodeDataRecord,
  decodeFetchAck,
  decodeSkipRanges,
  decodeSlots,
  decodeStopRecordHead,
  encodeDataRecord,
  encodeFetchAck,
  encodeRequestSession,
  encodeSkipRanges,
  encodeStopRecord,
  FETCH_ACK_LENGTH,
  SKIP_RANGE_LENGTH,
  SLOT_LENGTH,
  STOP_RECORD_FIXED_LENGTH,
  stopRecordLength,
  type FetchAck,
  type SkipRange,
  type StopRecord,
} from './codec.ts';

/** Multi-message exchanges of OWAMP-Control, over a ControlChannel, with every length bounded. */

export function encodeStopSessions(accept: number, records: readonly StopRecord[]): Buffer {
  return Buffer.concat([encodeStopSessionsHeader(accept, records.length), ...records.map(encodeStopRecord), hmacBlock()]);
}

/**
 * Reads the rest of a Stop-Sessions whose 16-octet header is `header`: the session records (each
 * SID, Next Seqno, skip ranges) and the HMAC. `expected` maps each SID (hex) the peer must
 * account for to that session's packet count; anything else is a protocol violation.
 */
export async function readStopSessionsBody(
  channel: ControlChannel,
  header: StopSessionsHeader,
  expected: ReadonlyMap<string, number>,
  timeoutMs: number,
): Promise<Map<string, StopRecord>> {
  if (header.sessionCount !== expected.size) {
    throw new OnewayError(
      'protocol-violation',
      `The ${channel.peerLabel}'s Stop-Sessions describes ${header.sessionCount} sessions, expected ${expected.size}; its results cannot be trusted.`,
      { step: 'stop-sessions' },
    );
  }
  const records = new Map<string, StopRecord>();
  for (let i = 0; i < header.sessionCount; i += 1) {
    const head = decodeStopRecordHead(await channel.read(STOP_RECORD_FIXED_LENGTH, timeoutMs, 'stop-sessions'));
    const sid = head.sid.toString('hex');
    const packets = expected.get(sid);
    if (packets === undefined || records.has(sid)) {
      throw new OnewayError('protocol-violation', `The ${channel.peerLabel}'s Stop-Sessions names an unknown or repeated session ${sid}.`, { step: 'stop-sessions' });
    }
    if (head.nextSeqno > packets || head.skipCount > Math.ceil(packets / 2) + 1) {
      throw new OnewayError(
        'protocol-violation',
        `The ${channel.peerLabel}'s Stop-Sessions is out of range for session ${sid} (Next Seqno ${head.nextSeqno}, ${head.skipCount} skip ranges, ${packets} packets).`,
        { step: 'stop-sessions' },
      );
    }
    const rest = stopRecordLength(head.skipCount) - STOP_RECORD_FIXED_LENGTH;
    const tail = await channel.read(rest, timeoutMs, 'stop-sessions');
    let skips: SkipRange[];
    try {
      skips = decodeSkipRanges(tail, head.skipCount);
    } catch (error) {
      throw new MalformedMessageError(`Stop-Sessions from the ${channel.peerLabel}: ${(error as Error).message}`, 'stop-sessions');
    }
    if (skips.some(([, last]) => last >= head.nextSeqno)) {
      throw new OnewayError('protocol-violation', `The ${channel.peerLabel}'s Stop-Sessions skips packets at or beyond its Next Seqno.`, { step: 'stop-sessions' });
    }
    records.set(sid, { sid: head.sid, nextSeqno: head.nextSeqno, skips });
  }
  await channel.read(HMAC_LENGTH, timeoutMs, 'stop-sessions');
  return records;
}

export { decodeStopSessionsHeader };

/** Reads the remainder of a Request-Session after its first block (server side). */
export async function readRequestSessionRest(
  channel: ControlChannel,
  firstBlock: Buffer,
  hardMaxSlots: number,
  timeoutMs: number,
): Promise<{ request: SessionRequest; slots: ScheduleSlot[] }> {
  const rest = await channel.read(SESSION_REQUEST_FIXED_LENGTH - BLOCK, timeoutMs, 'request-session');
  const request = decodeSessionRequestFixed(Buffer.concat([firstBlock, rest]));
  if (request.slotCount > hardMaxSlots) {
    throw new OnewayError('protocol-violation', `The ${channel.peerLabel} asked for ${request.slotCount} schedule slots; refusing to read that many.`, {
      step: 'request-session',
    });
  }
  const slots = decodeSlots(await channel.read(request.slotCount * SLOT_LENGTH, timeoutMs, 'request-session'), request.slotCount);
  await channel.read(HMAC_LENGTH, timeoutMs, 'request-session');
  return { request, slots };
}

// ---------------------------------------------------------------------------------------------
// Fetch-Session reply

export interface FetchedSession {
  ack: FetchAck;
  request: SessionRequest;
  slots: ScheduleSlot[];
  skips: SkipRange[];
  log: RecordLog;
}

/** Writes the Fetch-Ack and, when accepted, the session description, skips and records. */
export async function writeFetchReply(
  channel: ControlChannel,
  reply: { ack: FetchAck; request?: SessionRequest; slots?: readonly ScheduleSlot[]; skips?: readonly SkipRange[]; records?: RecordLog; range?: [number, number] },
  timeoutMs: number,
): Promise<void> {
  await channel.write(encodeFetchAck(reply.ack), timeoutMs, 'fetch-ack');
  if (reply.ack.accept !== 0 || !reply.request || !reply.slots || !reply.records) return;
  await channel.write(encodeRequestSession(reply.request, reply.slots), timeoutMs, 'fetch-data');
  const skips = reply.skips ?? [];
  const skipBlock = Buffer.alloc(padToBlock(skips.length * SKIP_RANGE_LENGTH) + HMAC_LENGTH);
  encodeSkipRanges(skips, skipBlock, 0);
  await channel.write(skipBlock, timeoutMs, 'fetch-data');
  const [begin, end] = reply.range ?? [0, 0xffff_ffff];
  const chunkRecords = 2048;
  const total = reply.ack.recordCount;
  let written = 0;
  let chunk = Buffer.alloc(chunkRecords * DATA_RECORD_LENGTH);
  let inChunk = 0;
  for (const record of reply.records) {
    if (record.seq < begin || record.seq > end) continue;
    if (written >= total) break;
    encodeDataRecord({ ...record, ttl: record.ttl < 0 ? 255 : record.ttl }, chunk, inChunk * DATA_RECORD_LENGTH);
    inChunk += 1;
    written += 1;
    if (inChunk === chunkRecords) {
      await channel.write(chunk, timeoutMs, 'fetch-data');
      chunk = Buffer.alloc(chunkRecords * DATA_RECORD_LENGTH);
      inChunk = 0;
    }
  }
  const tailLength = padToBlock(total * DATA_RECORD_LENGTH) - (total - inChunk) * DATA_RECORD_LENGTH;
  const tail = Buffer.alloc(tailLength + HMAC_LENGTH);
  chunk.copy(tail, 0, 0, inChunk * DATA_RECORD_LENGTH);
  await channel.write(tail, timeoutMs, 'fetch-data');
}

/** Reads a Fetch-Ack and everything after it (client side). Record counts are bounded by `maxRecords`. */
export async function readFetchReply(channel: ControlChannel, maxRecords: number, maxSlots: number, timeoutMs: number): Promise<FetchedSession | FetchAck> {
  const ack = decodeFetchAck(await channel.read(FETCH_ACK_LENGTH, timeoutMs, 'fetch-ack'));
  if (ack.accept !== 0) return ack;
  if (ack.recordCount > maxRecords) {
    throw new OnewayError('protocol-violation', `The ${channel.peerLabel} announced ${ack.recordCount} records, more than the ${maxRecords} this session can hold.`, {
      step: 'fetch-ack',
    });
  }
  if (ack.skipCount > maxRecords) {
    throw new OnewayError('protocol-violation', `The ${channel.peerLabel} announced ${ack.skipCount} skip ranges.`, { step: 'fetch-ack' });
  }
  const fixed = await channel.read(SESSION_REQUEST_FIXED_LENGTH, timeoutMs, 'fetch-data');
  let request: SessionRequest;
  try {
    request = decodeSessionRequestFixed(fixed);
  } catch (error) {
    throw new MalformedMessageError(`The session description in the Fetch-Session reply is malformed: ${(error as Error).message}`, 'fetch-data');
  }
  if (request.slotCount > maxSlots) {
    throw new OnewayError('protocol-violation', `The Fetch-Session reply describes ${request.slotCount} slots.`, { step: 'fetch-data' });
  }
  const slots = decodeSlots(await channel.read(request.slotCount * SLOT_LENGTH, timeoutMs, 'fetch-data'), request.slotCount);
  await channel.read(HMAC_LENGTH, timeoutMs, 'fetch-data');
  const skipOctets = padToBlock(ack.skipCount * SKIP_RANGE_LENGTH);
  const skipBuffer = await channel.read(skipOctets + HMAC_LENGTH, timeoutMs, 'fetch-data');
  let skips: SkipRange[];
  try {
    skips = decodeSkipRanges(skipBuffer, ack.skipCount);
  } catch (error) {
    throw new MalformedMessageError(`Fetch-Session skip ranges: ${(error as Error).message}`, 'fetch-data');
  }
  const log = new RecordLog(Math.max(1, ack.recordCount));
  const chunkRecords = 4096;
  let remaining = ack.recordCount;
  while (remaining > 0) {
    const n = Math.min(chunkRecords, remaining);
    const data = await channel.read(n * DATA_RECORD_LENGTH, timeoutMs, 'fetch-data');
    for (let i = 0; i < n; i += 1) log.push(decodeDataRecord(data, i * DATA_RECORD_LENGTH));
    remaining -= n;
  }
  const padding = padToBlock(ack.recordCount * DATA_RECORD_LENGTH) - ack.recordCount * DATA_RECORD_LENGTH;
  await channel.read(padding + HMAC_LENGTH, timeoutMs, 'fetch-data');
  return { ack, request, slots, skips, log };
}
