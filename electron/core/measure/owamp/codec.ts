import {
  COMMAND,
  encodeSessionRequestFixed,
  hmacBlock,
  padToBlock,
  type SessionRequest,
} from '../oneway/control/codec.ts';
import { MalformedMessageError } from '../oneway/errors.ts';
import type { ScheduleSlot } from '../oneway/schedule.ts';

/**
 * OWAMP-only messages (RFC 4656 §3.5–3.9, §4.1.2), unauthenticated mode: Request-Session with
 * its schedule slots, Stop-Sessions with session records, Fetch-Session, Fetch-Ack, the 25-octet
 * data records, and the OWAMP-Test packet.
 */

export const SLOT_LENGTH = 16;
export const FETCH_SESSION_LENGTH = 48;
export const FETCH_ACK_LENGTH = 32;
export const DATA_RECORD_LENGTH = 25;
export const STOP_RECORD_FIXED_LENGTH = 24;
export const SKIP_RANGE_LENGTH = 8;
/** Unauthenticated OWAMP-Test packet without padding. */
export const TEST_PACKET_LENGTH = 14;
/** Request all of a session in Fetch-Session. */
export const FETCH_ALL_END = 0xffff_ffff;

// ---------------------------------------------------------------------------------------------
// Request-Session

export function encodeSlots(slots: readonly ScheduleSlot[]): Buffer {
  const out = Buffer.alloc(slots.length * SLOT_LENGTH);
  slots.forEach((slot, i) => {
    out.writeUInt8(slot.type === 'exponential' ? 0 : 1, i * SLOT_LENGTH);
    out.writeBigUInt64BE(slot.interval, i * SLOT_LENGTH + 8);
  });
  return out;
}

export function decodeSlots(buffer: Buffer, count: number): ScheduleSlot[] {
  if (buffer.length !== count * SLOT_LENGTH) throw new MalformedMessageError(`schedule slots truncated (${buffer.length} octets for ${count} slots)`, 'request-session');
  const slots: ScheduleSlot[] = [];
  for (let i = 0; i < count; i += 1) {
    const type = buffer.readUInt8(i * SLOT_LENGTH);
    if (type !== 0 && type !== 1) throw new MalformedMessageError(`schedule slot ${i} has unknown type ${type}`, 'request-session');
    slots.push({ type: type === 0 ? 'exponential' : 'fixed', interval: buffer.readBigUInt64BE(i * SLOT_LENGTH + 8) });
  }
  return slots;
}

/** The whole Request-Session: 112 octets, the slots, then an HMAC block. */
export function encodeRequestSession(request: SessionRequest, slots: readonly ScheduleSlot[]): Buffer {
  if (request.command !== COMMAND.requestSession) throw new RangeError('not an OWAMP Request-Session');
  if (slots.length !== request.slotCount) throw new RangeError('slot count does not match the slots');
  return Buffer.concat([encodeSessionRequestFixed(request), encodeSlots(slots), hmacBlock()]);
}

// ---------------------------------------------------------------------------------------------
// Stop-Sessions session records

export type SkipRange = readonly [first: number, last: number];

export interface StopRecord {
  sid: Buffer;
  /** First sequence number never scheduled or sent (= packet count for a complete session). */
  nextSeqno: number;
  skips: SkipRange[];
}

export function stopRecordLength(skipCount: number): number {
  return padToBlock(STOP_RECORD_FIXED_LENGTH + SKIP_RANGE_LENGTH * skipCount);
}

export function encodeSkipRanges(skips: readonly SkipRange[], target: Buffer, offset: number): void {
  skips.forEach(([first, last], i) => {
    target.writeUInt32BE(first >>> 0, offset + i * SKIP_RANGE_LENGTH);
    target.writeUInt32BE(last >>> 0, offset + i * SKIP_RANGE_LENGTH + 4);
  });
}

export function decodeSkipRanges(buffer: Buffer, count: number): SkipRange[] {
  const skips: SkipRange[] = [];
  let previousLast = -1;
  for (let i = 0; i < count; i += 1) {
    const first = buffer.readUInt32BE(i * SKIP_RANGE_LENGTH);
    const last = buffer.readUInt32BE(i * SKIP_RANGE_LENGTH + 4);
    if (last < first || first <= previousLast) throw new MalformedMessageError(`skip range ${i} (${first}-${last}) is empty, overlapping or out of order`);
    skips.push([first, last]);
    previousLast = last;
  }
  return skips;
}

export function encodeStopRecord(record: StopRecord): Buffer {
  const out = Buffer.alloc(stopRecordLength(record.skips.length));
  record.sid.copy(out, 0, 0, 16);
  out.writeUInt32BE(record.nextSeqno >>> 0, 16);
  out.writeUInt32BE(record.skips.length, 20);
  encodeSkipRanges(record.skips, out, STOP_RECORD_FIXED_LENGTH);
  return out;
}

/** First part of a session record: SID, Next Seqno and how many skip ranges follow. */
export function decodeStopRecordHead(buffer: Buffer): { sid: Buffer; nextSeqno: number; skipCount: number } {
  if (buffer.length !== STOP_RECORD_FIXED_LENGTH) throw new MalformedMessageError('Stop-Sessions session record truncated', 'stop-sessions');
  return { sid: Buffer.from(buffer.subarray(0, 16)), nextSeqno: buffer.readUInt32BE(16), skipCount: buffer.readUInt32BE(20) };
}

// ---------------------------------------------------------------------------------------------
// Fetch-Session and Fetch-Ack

export interface FetchSession {
  beginSeq: number;
  endSeq: number;
  sid: Buffer;
}

export function encodeFetchSession(request: FetchSession): Buffer {
  const out = Buffer.alloc(FETCH_SESSION_LENGTH);
  out.writeUInt8(COMMAND.fetchSession, 0);
  out.writeUInt32BE(request.beginSeq >>> 0, 8);
  out.writeUInt32BE(request.endSeq >>> 0, 12);
  request.sid.copy(out, 16, 0, 16);
  return out;
}

export function decodeFetchSession(buffer: Buffer): FetchSession {
  if (buffer.length !== FETCH_SESSION_LENGTH) throw new MalformedMessageError('Fetch-Session must be 48 octets', 'fetch-session');
  if (buffer.readUInt8(0) !== COMMAND.fetchSession) throw new MalformedMessageError('not a Fetch-Session', 'fetch-session');
  return { beginSeq: buffer.readUInt32BE(8), endSeq: buffer.readUInt32BE(12), sid: Buffer.from(buffer.subarray(16, 32)) };
}

export interface FetchAck {
  accept: number;
  finished: boolean;
  nextSeqno: number;
  skipCount: number;
  recordCount: number;
}

export function encodeFetchAck(ack: FetchAck): Buffer {
  const out = Buffer.alloc(FETCH_ACK_LENGTH);
  out.writeUInt8(ack.accept, 0);
  out.writeUInt8(ack.finished ? 1 : 0, 1);
  out.writeUInt32BE(ack.nextSeqno >>> 0, 4);
  out.writeUInt32BE(ack.skipCount >>> 0, 8);
  out.writeUInt32BE(ack.recordCount >>> 0, 12);
  return out;
}

export function decodeFetchAck(buffer: Buffer): FetchAck {
  if (buffer.length !== FETCH_ACK_LENGTH) throw new MalformedMessageError('Fetch-Ack must be 32 octets', 'fetch-ack');
  return {
    accept: buffer.readUInt8(0),
    finished: buffer.readUInt8(1) !== 0,
    nextSeqno: buffer.readUInt32BE(4),
    skipCount: buffer.readUInt32BE(8),
    recordCount: buffer.readUInt32BE(12),
  };
}

// ---------------------------------------------------------------------------------------------
// Data records (Fetch-Session payload), 25 octets each

export interface DataRecord {
  seq: number;
  sendError: number;
  recvError: number;
  sendTime: bigint;
  /** 0 = the packet was lost. */
  recvTime: bigint;
  /** 255 when lost or not readable. */
  ttl: number;
}

export function encodeDataRecord(record: DataRecord, target: Buffer, offset: number): void {
  target.writeUInt32BE(record.seq >>> 0, offset);
  target.writeUInt16BE(record.sendError, offset + 4);
  target.writeUInt16BE(record.recvError, offset + 6);
  target.writeBigUInt64BE(record.sendTime, offset + 8);
  target.writeBigUInt64BE(record.recvTime, offset + 16);
  target.writeUInt8(record.ttl, offset + 24);
}

export function decodeDataRecord(source: Buffer, offset: number): DataRecord {
  return {
    seq: source.readUInt32BE(offset),
    sendError: source.readUInt16BE(offset + 4),
    recvError: source.readUInt16BE(offset + 6),
    sendTime: source.readBigUInt64BE(offset + 8),
    recvTime: source.readBigUInt64BE(offset + 16),
    ttl: source.readUInt8(offset + 24),
  };
}

// ---------------------------------------------------------------------------------------------
// OWAMP-Test packet (unauthenticated): seq(4) timestamp(8) error estimate(2) padding

export interface TestPacket {
  seq: number;
  timestamp: bigint;
  errorEstimate: number;
}

/** A reusable send buffer: the header is rewritten per packet, the padding stays. */
export function allocateTestPacket(paddingLength: number, padding: 'zero' | 'random'): Buffer {
  const packet = Buffer.alloc(TEST_PACKET_LENGTH + paddingLength);
  if (padding === 'random' && paddingLength > 0) {
    for (let i = TEST_PACKET_LENGTH; i < packet.length; i += 1) packet[i] = (Math.random() * 256) | 0;
  }
  return packet;
}

export function writeTestPacketHeader(packet: Buffer, seq: number, timestamp: bigint, errorEstimate: number): void {
  packet.writeUInt32BE(seq >>> 0, 0);
  packet.writeBigUInt64BE(timestamp, 4);
  packet.writeUInt16BE(errorEstimate, 12);
}

export function encodeTestPacket(packet: TestPacket, paddingLength = 0): Buffer {
  const out = Buffer.alloc(TEST_PACKET_LENGTH + paddingLength);
  writeTestPacketHeader(out, packet.seq, packet.timestamp, packet.errorEstimate);
  return out;
}

/** Returns null for a datagram too short to be a test packet. */
export function decodeTestPacket(datagram: Buffer): TestPacket | null {
  if (datagram.length < TEST_PACKET_LENGTH) return null;
  return { seq: datagram.readUInt32BE(0), timestamp: datagram.readBigUInt64BE(4), errorEstimate: datagram.readUInt16BE(12) };
}
