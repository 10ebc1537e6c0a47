import { decodeAddress, encodeAddress, type IpVersion } from '../address.ts';
import { MalformedMessageError, type ControlStep } from '../errors.ts';

/**
 * OWAMP-Control / TWAMP-Control messages shared by both protocols (RFC 4656 §3, RFC 5357 §3),
 * unauthenticated mode. Every message is a whole number of 16-octet blocks; the HMAC block that
 * ends each command is all zeros in unauthenticated mode and is not checked. MBZ fields are
 * written as zeros and ignored on receipt, as the RFC says.
 *
 * Authenticated and encrypted modes (§10 of the reference) would sit between these codecs and
 * the channel: an AES-CBC stream per direction and a real HMAC in the same positions.
 */

export const BLOCK = 16;
export const SERVER_GREETING_LENGTH = 64;
export const SET_UP_RESPONSE_LENGTH = 164;
export const SERVER_START_LENGTH = 48;
export const SESSION_REQUEST_FIXED_LENGTH = 112;
export const ACCEPT_SESSION_LENGTH = 48;
export const START_SESSIONS_LENGTH = 32;
export const START_ACK_LENGTH = 32;
export const STOP_SESSIONS_HEADER_LENGTH = 16;
export const HMAC_LENGTH = 16;

/** Mode bits (RFC 4656 §3.1, RFC 5618). This implementation speaks only `open`. */
export const MODE = { open: 1, authenticated: 2, encrypted: 4, mixed: 8 } as const;
export const SUPPORTED_MODES = MODE.open;

export const COMMAND = {
  requestSession: 1,
  startSessions: 2,
  stopSessions: 3,
  fetchSession: 4,
  requestTwSession: 5,
} as const;

function expectLength(buffer: Buffer, length: number, what: string, step: ControlStep): void {
  if (buffer.length !== length) throw new MalformedMessageError(`${what} must be ${length} octets, got ${buffer.length}`, step);
}

// ---------------------------------------------------------------------------------------------
// Connection setup

export interface ServerGreeting {
  /** Offered mode bits; 0 means the server refuses service. */
  modes: number;
  challenge: Buffer;
  salt: Buffer;
  /** PBKDF2 iteration count (used only by authenticated/encrypted modes). */
  count: number;
}

export function encodeServerGreeting(greeting: ServerGreeting): Buffer {
  const out = Buffer.alloc(SERVER_GREETING_LENGTH);
  out.writeUInt32BE(greeting.modes >>> 0, 12);
  greeting.challenge.copy(out, 16, 0, 16);
  greeting.salt.copy(out, 32, 0, 16);
  out.writeUInt32BE(greeting.count >>> 0, 48);
  return out;
}

export function decodeServerGreeting(buffer: Buffer): ServerGreeting {
  expectLength(buffer, SERVER_GREETING_LENGTH, 'Server Greeting', 'server-greeting');
  return {
    modes: buffer.readUInt32BE(12),
    challenge: Buffer.from(buffer.subarray(16, 32)),
    salt: Buffer.from(buffer.subarray(32, 48)),
    count: buffer.readUInt32BE(48),
  };
}

export interface SetUpResponse {
  /** The one chosen mode bit, or 0: "I will not continue". */
  mode: number;
  keyId: Buffer;
  token: Buffer;
  clientIv: Buffer;
}

export function encodeSetUpResponse(mode: number): Buffer {
  const out = Buffer.alloc(SET_UP_RESPONSE_LENGTH);
  out.writeUInt32BE(mode >>> 0, 0);
  return out;
}

export function decodeSetUpResponse(buffer: Buffer): SetUpResponse {
  expectLength(buffer, SET_UP_RESPONSE_LENGTH, 'Set-Up-Response', 'set-up-response');
  return {
    mode: buffer.readUInt32BE(0),
    keyId: Buffer.from(buffer.subarray(4, 84)),
    token: Buffer.from(buffer.subarray(84, 148)),
    clientIv: Buffer.from(buffer.subarray(148, 164)),
  };
}

export interface ServerStart {
  accept: number;
  serverIv: Buffer;
  /** When the server started (its "uptime" origin); 0 when refused. */
  startTime: bigint;
}

export function encodeServerStart(accept: number, startTime: bigint): Buffer {
  const out = Buffer.alloc(SERVER_START_LENGTH);
  out.writeUInt8(accept, 15);
  out.writeBigUInt64BE(accept === 0 ? startTime : 0n, 32);
  return out;
}

export function decodeServerStart(buffer: Buffer): ServerStart {
  expectLength(buffer, SERVER_START_LENGTH, 'Server-Start', 'server-start');
  return { accept: buffer.readUInt8(15), serverIv: Buffer.from(buffer.subarray(16, 32)), startTime: buffer.readBigUInt64BE(32) };
}

// ---------------------------------------------------------------------------------------------
// Request-Session (OWAMP, command 1) and Request-TW-Session (TWAMP, command 5) share this layout.

export interface SessionRequest {
  command: typeof COMMAND.requestSession | typeof COMMAND.requestTwSession;
  ipVersion: IpVersion;
  /** OWAMP: "server, be the sender". Always false in TWAMP. */
  confSender: boolean;
  /** OWAMP: "server, be the receiver". Always false in TWAMP. */
  confReceiver: boolean;
  slotCount: number;
  packetCount: number;
  senderPort: number;
  receiverPort: number;
  /** null = all-zero field (use the control connection's addresses). */
  senderAddress: string | null;
  receiverAddress: string | null;
  sid: Buffer;
  paddingLength: number;
  startTime: bigint;
  timeout: bigint;
  /** Type-P descriptor: `00` + 6-bit DSCP + 24 zero bits, or `01` + PHB ID; 0 = best effort. */
  typeP: number;
}

export function encodeSessionRequestFixed(request: SessionRequest): Buffer {
  const out = Buffer.alloc(SESSION_REQUEST_FIXED_LENGTH);
  out.writeUInt8(request.command, 0);
  out.writeUInt8(request.ipVersion & 0x0f, 1);
  out.writeUInt8(request.confSender ? 1 : 0, 2);
  out.writeUInt8(request.confReceiver ? 1 : 0, 3);
  out.writeUInt32BE(request.slotCount >>> 0, 4);
  out.writeUInt32BE(request.packetCount >>> 0, 8);
  out.writeUInt16BE(request.senderPort, 12);
  out.writeUInt16BE(request.receiverPort, 14);
  if (request.senderAddress) encodeAddress(request.senderAddress, out, 16);
  if (request.receiverAddress) encodeAddress(request.receiverAddress, out, 32);
  request.sid.copy(out, 48, 0, 16);
  out.writeUInt32BE(request.paddingLength >>> 0, 64);
  out.writeBigUInt64BE(request.startTime, 68);
  out.writeBigUInt64BE(request.timeout, 76);
  out.writeUInt32BE(request.typeP >>> 0, 84);
  return out;
}

export function decodeSessionRequestFixed(buffer: Buffer): SessionRequest {
  expectLength(buffer, SESSION_REQUEST_FIXED_LENGTH, 'Request-Session', 'request-session');
  const command = buffer.readUInt8(0);
  if (command !== COMMAND.requestSession && command !== COMMAND.requestTwSession) {
    throw new MalformedMessageError(`not a session request (command ${command})`, 'request-session');
  }
  const ipvn = buffer.readUInt8(1) & 0x0f;
  if (ipvn !== 4 && ipvn !== 6) throw new MalformedMessageError(`IPVN must be 4 or 6, got ${ipvn}`, 'request-session');
  return {
    command,
    ipVersion: ipvn,
    confSender: buffer.readUInt8(2) !== 0,
    confReceiver: buffer.readUInt8(3) !== 0,
    slotCount: buffer.readUInt32BE(4),
    packetCount: buffer.readUInt32BE(8),
    senderPort: buffer.readUInt16BE(12),
    receiverPort: buffer.readUInt16BE(14),
    senderAddress: decodeAddress(buffer, 16, ipvn),
    receiverAddress: decodeAddress(buffer, 32, ipvn),
    sid: Buffer.from(buffer.subarray(48, 64)),
    paddingLength: buffer.readUInt32BE(64),
    startTime: buffer.readBigUInt64BE(68),
    timeout: buffer.readBigUInt64BE(76),
    typeP: buffer.readUInt32BE(84),
  };
}

/** Type-P for a DSCP value (RFC 4656 §3.5: top two bits 00, then the 6-bit DSCP). */
export function typePForDscp(dscp: number): number {
  if (!Number.isInteger(dscp) || dscp < 0 || dscp > 63) throw new RangeError('DSCP must be 0..63');
  return (dscp << 24) >>> 0;
}

/** The DSCP a Type-P asks for, or null when it is a PHB ID or has stray bits. */
export function dscpOfTypeP(typeP: number): number | null {
  if (typeP >>> 30 !== 0) return null;
  if ((typeP & 0x00ff_ffff) !== 0) return null;
  return (typeP >>> 24) & 0x3f;
}

// ---------------------------------------------------------------------------------------------
// Accept-Session, Start-Sessions, Start-Ack

export interface AcceptSession {
  accept: number;
  port: number;
  sid: Buffer;
}

export function encodeAcceptSession(accept: number, port: number, sid: Buffer | null): Buffer {
  const out = Buffer.alloc(ACCEPT_SESSION_LENGTH);
  out.writeUInt8(accept, 0);
  out.writeUInt16BE(port, 2);
  if (sid) sid.copy(out, 4, 0, 16);
  return out;
}

export function decodeAcceptSession(buffer: Buffer): AcceptSession {
  expectLength(buffer, ACCEPT_SESSION_LENGTH, 'Accept-Session', 'accept-session');
  return { accept: buffer.readUInt8(0), port: buffer.readUInt16BE(2), sid: Buffer.from(buffer.subarray(4, 20)) };
}

export function encodeStartSessions(): Buffer {
  const out = Buffer.alloc(START_SESSIONS_LENGTH);
  out.writeUInt8(COMMAND.startSessions, 0);
  return out;
}

export function encodeStartAck(accept: number): Buffer {
  const out = Buffer.alloc(START_ACK_LENGTH);
  out.writeUInt8(accept, 0);
  return out;
}

export function decodeStartAck(buffer: Buffer): { accept: number } {
  expectLength(buffer, START_ACK_LENGTH, 'Start-Ack', 'start-ack');
  return { accept: buffer.readUInt8(0) };
}

// ---------------------------------------------------------------------------------------------
// Stop-Sessions header (OWAMP follows it with session records, TWAMP with just the HMAC)

export interface StopSessionsHeader {
  accept: number;
  sessionCount: number;
}

export function encodeStopSessionsHeader(accept: number, sessionCount: number): Buffer {
  const out = Buffer.alloc(STOP_SESSIONS_HEADER_LENGTH);
  out.writeUInt8(COMMAND.stopSessions, 0);
  out.writeUInt8(accept, 1);
  out.writeUInt32BE(sessionCount >>> 0, 4);
  return out;
}

export function decodeStopSessionsHeader(block: Buffer): StopSessionsHeader {
  expectLength(block, STOP_SESSIONS_HEADER_LENGTH, 'Stop-Sessions header', 'stop-sessions');
  if (block.readUInt8(0) !== COMMAND.stopSessions) {
    throw new MalformedMessageError(`expected Stop-Sessions (3), got command ${block.readUInt8(0)}`, 'stop-sessions');
  }
  return { accept: block.readUInt8(1), sessionCount: block.readUInt32BE(4) };
}

export function hmacBlock(): Buffer {
  return Buffer.alloc(HMAC_LENGTH);
}

/** Rounds up to the 16-octet block size. */
export function padToBlock(length: number): number {
  return Math.ceil(length / BLOCK) * BLOCK;
}
