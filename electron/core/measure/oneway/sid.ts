import { randomBytes } from 'node:crypto';
import { sidAddressBytes } from './address.ts';
import type { NtpTime } from './ntp.ts';

/**
 * Session identifier (RFC 4656 §3.5), chosen by the receiving side: the receiver's IPv4 address
 * (last 4 octets for IPv6) | the time it was made | 4 random octets. It also keys the schedule.
 */
export function generateSid(receiverAddress: string, now: NtpTime): Buffer {
  const sid = Buffer.alloc(16);
  sidAddressBytes(receiverAddress).copy(sid, 0);
  sid.writeBigUInt64BE(now, 4);
  randomBytes(4).copy(sid, 12);
  return sid;
}

export function sidHex(sid: Uint8Array): string {
  return Buffer.from(sid).toString('hex');
}
