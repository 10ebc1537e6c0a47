import { TTL_UNREADABLE } from '../oneway/records.ts';
import { COMMAND, encodeSessionRequestFixed, encodeStopSessionsHeader, hmacBlock, type SessionRequest } from '../oneway/control/codec.ts';

/**
 * TWAMP-only messages (RFC 5357), unauthenticated mode: Request-TW-Session (the 112-octet
 * Request-Session layout, nothing after it), the 32-octet Stop-Sessions, and the reflected test
 * packet. The session-sender packet is the OWAMP-Test packet (owamp/codec.ts).
 */

export const STOP_SESSIONS_LENGTH = 32;
/** Unauthenticated reflected packet without padding (RFC 5357 §4.2.1). */
export const REFLECTED_PACKET_LENGTH = 41;
/** Shortest reflected packet we still read: up to the Sender Error Estimate (sloppy reflectors omit the rest). */
export const REFLECTED_PACKET_MIN_LENGTH = 38;
/** Sender padding RFC 5357 recommends so reflected and sent packets are the same size (twping's default). */
export const RECOMMENDED_SENDER_PADDING = 27;
export const TWAMP_PORT = 862;
export { TTL_UNREADABLE };

export function encodeRequestTwSession(request: SessionRequest): Buffer {
  if (request.command !== COMMAND.requestTwSession) throw new RangeError('not a Request-TW-Session');
  return encodeSessionRequestFixed({ ...request, confSender: false, confReceiver: false, slotCount: 0, packetCount: 0 });
}

export function encodeTwampStopSessions(accept: number, sessionCount: number): Buffer {
  return Buffer.concat([encodeStopSessionsHeader(accept, sessionCount), hmacBlock()]);
}

export interface ReflectedPacket {
  /** Reflector's own sequence number (or the sender's, copied, by a stateless reflector). */
  seq: number;
  /** t3: reflector transmit time. */
  timestamp: bigint;
  /** Error estimate of the reflector clock (t2 and t3). */
  errorEstimate: number;
  /** t2: when the sender's packet reached the reflector. */
  receiveTimestamp: bigint;
  senderSeq: number;
  /** t1 as copied from the sender's packet. */
  senderTimestamp: bigint;
  senderErrorEstimate: number;
  /** TTL of the sender's packet at the reflector; null when the packet is too short to carry it. */
  senderTtl: number | null;
}

/**
 * Builds the reflection of `received` (a session-sender packet). Size = max(41, received): the
 * first (size − 41) octets of the sender's padding (which starts at offset 14) are copied to
 * offset 41, as twampd does, so a sender padding 27 octets gets a same-size reply.
 */
export function buildReflectedPacket(received: Buffer, fields: { seq: number; receiveTimestamp: bigint; senderTtl: number }): Buffer {
  const out = Buffer.alloc(Math.max(REFLECTED_PACKET_LENGTH, received.length));
  if (out.length > REFLECTED_PACKET_LENGTH) received.copy(out, REFLECTED_PACKET_LENGTH, 14, 14 + (out.length - REFLECTED_PACKET_LENGTH));
  out.writeUInt32BE(fields.seq >>> 0, 0);
  out.writeBigUInt64BE(fields.receiveTimestamp, 16);
  received.copy(out, 24, 0, 4);
  received.copy(out, 28, 4, 12);
  received.copy(out, 36, 12, 14);
  out.writeUInt8(fields.senderTtl, 40);
  return out;
}

/** Stamps the reflector transmit time into a packet from buildReflectedPacket, just before sending. */
export function stampReflectedPacket(packet: Buffer, timestamp: bigint, errorEstimate: number): void {
  packet.writeBigUInt64BE(timestamp, 4);
  packet.writeUInt16BE(errorEstimate, 12);
}

export function encodeReflectedPacket(packet: ReflectedPacket, paddingLength = 0): Buffer {
  const out = Buffer.alloc(REFLECTED_PACKET_LENGTH + paddingLength);
  out.writeUInt32BE(packet.seq >>> 0, 0);
  out.writeBigUInt64BE(packet.timestamp, 4);
  out.writeUInt16BE(packet.errorEstimate, 12);
  out.writeBigUInt64BE(packet.receiveTimestamp, 16);
  out.writeUInt32BE(packet.senderSeq >>> 0, 24);
  out.writeBigUInt64BE(packet.senderTimestamp, 28);
  out.writeUInt16BE(packet.senderErrorEstimate, 36);
  out.writeUInt8(packet.senderTtl ?? TTL_UNREADABLE, 40);
  return out;
}

/** null for a datagram too short to be a reflected packet. */
export function decodeReflectedPacket(datagram: Buffer): ReflectedPacket | null {
  if (datagram.length < REFLECTED_PACKET_MIN_LENGTH) return null;
  return {
    seq: datagram.readUInt32BE(0),
    timestamp: datagram.readBigUInt64BE(4),
    errorEstimate: datagram.readUInt16BE(12),
    receiveTimestamp: datagram.readBigUInt64BE(16),
    senderSeq: datagram.readUInt32BE(24),
    senderTimestamp: datagram.readBigUInt64BE(28),
    senderErrorEstimate: datagram.readUInt16BE(36),
    senderTtl: datagram.length >= REFLECTED_PACKET_LENGTH ? datagram.readUInt8(40) : null,
  };
}
