import { describe, expect, it } from 'vitest';
import { COMMAND, decodeAcceptSession, decodeSessionRequestFixed, decodeStartAck, decodeStopSessionsHeader, type SessionRequest } from '../../electron/core/measure/oneway/control/codec.ts';
import { decodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import {
  buildReflectedPacket,
  decodeReflectedPacket,
  encodeReflectedPacket,
  encodeRequestTwSession,
  encodeTwampStopSessions,
  stampReflectedPacket,
} from '../../electron/core/measure/twamp/codec.ts';
import { hex, TWAMPD_REFLECTED_PACKETS, TWPING_CLIENT_STREAM, TWPING_SENDER_PACKETS, TWPING_SERVER_STREAM } from './owamp-wire-capture.ts';

const client = hex(TWPING_CLIENT_STREAM);
const server = hex(TWPING_SERVER_STREAM);

const twRequest: SessionRequest = {
  command: COMMAND.requestTwSession,
  ipVersion: 4,
  confSender: false,
  confReceiver: false,
  slotCount: 0,
  packetCount: 0,
  senderPort: 8928,
  receiverPort: 8928,
  senderAddress: '127.0.0.1',
  receiverAddress: '127.0.0.1',
  sid: Buffer.alloc(16),
  paddingLength: 27,
  startTime: 0xeeacd3e87379420dn,
  timeout: 0x00000002005dfa88n,
  typeP: 0,
};

describe('TWAMP-Control (twping -c 3 -i 0.1f capture, §60)', () => {
  it('encodes Request-TW-Session as exactly 112 octets, byte for byte', () => {
    const encoded = encodeRequestTwSession(twRequest);
    expect(encoded.length).toBe(112);
    expect(encoded.equals(client.subarray(0xa4, 0xa4 + 112))).toBe(true);
  });

  it('decodes the captured Request-TW-Session', () => {
    const decoded = decodeSessionRequestFixed(client.subarray(0xa4, 0xa4 + 112));
    expect(decoded).toMatchObject({ command: 5, senderPort: 8928, receiverPort: 8928, paddingLength: 27, slotCount: 0, packetCount: 0 });
  });

  it('decodes Accept-Session: reflector port 18862 picked by twampd, server SID', () => {
    const accept = decodeAcceptSession(server.subarray(0x70, 0xa0));
    expect(accept.port).toBe(18862);
    expect(accept.sid.toString('hex')).toBe('7f000001eeacd3e77304039a72ee8aa3');
    expect(decodeStartAck(server.subarray(0xa0, 0xc0)).accept).toBe(0);
  });

  it('encodes the 32-octet Stop-Sessions with one session and no records', () => {
    const stop = encodeTwampStopSessions(0, 1);
    expect(stop.equals(client.subarray(0x134, 0x154))).toBe(true);
    expect(decodeStopSessionsHeader(stop.subarray(0, 16))).toEqual({ accept: 0, sessionCount: 1 });
  });
});

describe('TWAMP-Test packets', () => {
  it('reads the sender packet (OWAMP-Test layout + 27 octets of padding)', () => {
    const packet = hex(TWPING_SENDER_PACKETS[0]!);
    expect(packet.length).toBe(41);
    expect(decodeTestPacket(packet)).toEqual({ seq: 0, timestamp: 0xeeacd3e88d3cee9dn, errorEstimate: 1 });
  });

  it('decodes twampd reflected packets field by field', () => {
    const reflected = decodeReflectedPacket(hex(TWAMPD_REFLECTED_PACKETS[1]!));
    expect(reflected).toEqual({
      seq: 1,
      timestamp: 0xeeacd3e8a6be0589n,
      errorEstimate: 1,
      receiveTimestamp: 0xeeacd3e8a6bd9018n,
      senderSeq: 1,
      senderTimestamp: 0xeeacd3e8a6b87379n,
      senderErrorEstimate: 1,
      senderTtl: 255,
    });
  });

  it('builds the same reflection twampd sent from the same sender packet and times', () => {
    for (let i = 0; i < 3; i += 1) {
      const sent = hex(TWPING_SENDER_PACKETS[i]!);
      const expected = hex(TWAMPD_REFLECTED_PACKETS[i]!);
      const fields = decodeReflectedPacket(expected)!;
      const built = buildReflectedPacket(sent, { seq: fields.seq, receiveTimestamp: fields.receiveTimestamp, senderTtl: 255 });
      stampReflectedPacket(built, fields.timestamp, fields.errorEstimate);
      expect(built.equals(expected)).toBe(true);
    }
  });

  it('keeps the reflection as long as the request, copying padding from offset 14 to 41', () => {
    const sent = Buffer.alloc(60);
    for (let i = 14; i < 60; i += 1) sent[i] = i;
    const built = buildReflectedPacket(sent, { seq: 7, receiveTimestamp: 1n, senderTtl: 255 });
    expect(built.length).toBe(60);
    expect([...built.subarray(41)]).toEqual([...sent.subarray(14, 33)]);
    expect(buildReflectedPacket(Buffer.alloc(14), { seq: 0, receiveTimestamp: 1n, senderTtl: 255 }).length).toBe(41);
  });

  it('round-trips a reflected packet and tolerates a short (TTL-less) one', () => {
    const packet = { seq: 9, timestamp: 5n, errorEstimate: 0x8001, receiveTimestamp: 4n, senderSeq: 3, senderTimestamp: 2n, senderErrorEstimate: 1, senderTtl: 64 };
    expect(decodeReflectedPacket(encodeReflectedPacket(packet))).toEqual(packet);
    expect(decodeReflectedPacket(encodeReflectedPacket(packet).subarray(0, 38))).toEqual({ ...packet, senderTtl: null });
    expect(decodeReflectedPacket(Buffer.alloc(37))).toBeNull();
  });
});
