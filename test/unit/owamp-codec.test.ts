import { describe, expect, it } from 'vitest';
import {
  COMMAND,
  decodeAcceptSession,
  decodeServerGreeting,
  decodeServerStart,
  decodeSessionRequestFixed,
  decodeSetUpResponse,
  decodeStartAck,
  decodeStopSessionsHeader,
  dscpOfTypeP,
  encodeAcceptSession,
  encodeServerGreeting,
  encodeServerStart,
  encodeSetUpResponse,
  encodeStartAck,
  encodeStartSessions,
  encodeStopSessionsHeader,
  typePForDscp,
  type SessionRequest,
} from '../../electron/core/measure/oneway/control/codec.ts';
import { MalformedMessageError } from '../../electron/core/measure/oneway/errors.ts';
import {
  decodeDataRecord,
  decodeFetchAck,
  decodeFetchSession,
  decodeSkipRanges,
  decodeSlots,
  decodeStopRecordHead,
  decodeTestPacket,
  encodeDataRecord,
  encodeFetchAck,
  encodeFetchSession,
  encodeRequestSession,
  encodeStopRecord,
  encodeTestPacket,
  stopRecordLength,
} from '../../electron/core/measure/owamp/codec.ts';
import { encodeStopSessions } from '../../electron/core/measure/owamp/control.ts';
import { hex, OWAMPD_F_TEST_PACKETS, OWPING_F_CLIENT_STREAM, OWPING_F_SERVER_STREAM, OWPING_T_CLIENT_STREAM, OWPING_T_SERVER_STREAM, OWPING_T_TEST_PACKETS } from './owamp-wire-capture.ts';

const serverT = hex(OWPING_T_SERVER_STREAM);
const clientT = hex(OWPING_T_CLIENT_STREAM);
const serverF = hex(OWPING_F_SERVER_STREAM);
const clientF = hex(OWPING_F_CLIENT_STREAM);
const slice = (buffer: Buffer, from: number, length: number) => buffer.subarray(from, from + length);

/** The "to" request owping sent in §60, as our structure. */
const toRequest: SessionRequest = {
  command: COMMAND.requestSession,
  ipVersion: 4,
  confSender: false,
  confReceiver: true,
  slotCount: 1,
  packetCount: 3,
  senderPort: 9048,
  receiverPort: 0,
  senderAddress: '127.0.0.1',
  receiverAddress: '127.0.0.1',
  sid: Buffer.alloc(16),
  paddingLength: 0,
  startTime: 0xeeacd3e3d837d630n,
  timeout: 0x00000002000e7bc4n,
  typeP: 0,
};
const fixedSlot = [{ type: 'fixed' as const, interval: 0x19999999n }];

describe('connection setup (owping -t capture, §60)', () => {
  it('decodes the Server Greeting: open mode only, count 2048', () => {
    const greeting = decodeServerGreeting(slice(serverT, 0, 64));
    expect(greeting.modes).toBe(1);
    expect(greeting.count).toBe(2048);
    expect(greeting.challenge.toString('hex')).toBe('29c5cb87c79bcac79e0f2cd12735f618');
    expect(greeting.salt.toString('hex')).toBe('0ecb426754b0fb9e45b1289f73c2b2b2');
  });

  it('re-encodes the Server Greeting byte for byte', () => {
    const greeting = decodeServerGreeting(slice(serverT, 0, 64));
    expect(encodeServerGreeting(greeting).equals(slice(serverT, 0, 64))).toBe(true);
  });

  it('encodes the unauthenticated Set-Up-Response exactly as owping sent it', () => {
    expect(encodeSetUpResponse(1).equals(slice(clientT, 0, 164))).toBe(true);
    expect(decodeSetUpResponse(slice(clientT, 0, 164)).mode).toBe(1);
  });

  it('decodes and re-encodes Server-Start (accept 0, start time)', () => {
    const start = decodeServerStart(slice(serverT, 64, 48));
    expect(start.accept).toBe(0);
    expect(start.startTime).toBe(0xeeacd22dd1bb05fan);
    expect(encodeServerStart(0, start.startTime).equals(slice(serverT, 64, 48))).toBe(true);
  });

  it('zeroes the start time of a refusing Server-Start', () => {
    const refused = encodeServerStart(3, 0xeeacd22dd1bb05fan);
    expect(refused[15]).toBe(3);
    expect(refused.readBigUInt64BE(32)).toBe(0n);
  });
});

describe('OWAMP commands (§60 owping -t)', () => {
  it('encodes Request-Session (112 + slot + HMAC) byte for byte', () => {
    const encoded = encodeRequestSession(toRequest, fixedSlot);
    expect(encoded.length).toBe(112 + 16 + 16);
    expect(encoded.equals(slice(clientT, 0xa4, 144))).toBe(true);
  });

  it('decodes the captured Request-Session and its slot', () => {
    const request = decodeSessionRequestFixed(slice(clientT, 0xa4, 112));
    expect(request).toMatchObject({ command: 1, ipVersion: 4, confSender: false, confReceiver: true, slotCount: 1, packetCount: 3, senderPort: 9048, receiverPort: 0 });
    expect(request.senderAddress).toBe('127.0.0.1');
    expect(request.startTime).toBe(0xeeacd3e3d837d630n);
    expect(decodeSlots(slice(clientT, 0xa4 + 112, 16), 1)).toEqual(fixedSlot);
  });

  it('decodes Accept-Session: port 9090 and the server SID', () => {
    const accept = decodeAcceptSession(slice(serverT, 0x70, 48));
    expect(accept).toMatchObject({ accept: 0, port: 9090 });
    expect(accept.sid.toString('hex')).toBe('7f000001eeacd3e2e2b3bb83fd5550ed');
    expect(encodeAcceptSession(0, 9090, accept.sid).equals(slice(serverT, 0x70, 48))).toBe(true);
  });

  it('encodes Start-Sessions and decodes Start-Ack', () => {
    expect(encodeStartSessions().equals(slice(clientT, 0x134, 32))).toBe(true);
    expect(decodeStartAck(slice(serverT, 0xa0, 32)).accept).toBe(0);
    expect(encodeStartAck(0).equals(slice(serverT, 0xa0, 32))).toBe(true);
  });

  it("encodes the client's Stop-Sessions (one session, no skips: 64 octets)", () => {
    const sid = hex('7f000001eeacd3e2e2b3bb83fd5550ed');
    const stop = encodeStopSessions(0, [{ sid, nextSeqno: 3, skips: [] }]);
    expect(stop.equals(slice(clientT, 0x154, 64))).toBe(true);
  });

  it("decodes the server's Stop-Sessions with no sessions (32 octets)", () => {
    const header = decodeStopSessionsHeader(slice(serverT, 0xc0, 16));
    expect(header).toEqual({ accept: 0, sessionCount: 0 });
    expect(Buffer.concat([encodeStopSessionsHeader(0, 0), Buffer.alloc(16)]).equals(slice(serverT, 0xc0, 32))).toBe(true);
  });

  it('encodes Fetch-Session for the whole session', () => {
    const fetch = { beginSeq: 0, endSeq: 0xffffffff, sid: hex('7f000001eeacd3e2e2b3bb83fd5550ed') };
    expect(encodeFetchSession(fetch).equals(slice(clientT, 0x194, 48))).toBe(true);
    expect(decodeFetchSession(slice(clientT, 0x194, 48))).toEqual(fetch);
  });

  it('decodes Fetch-Ack, the Request-Session reproduction and the 25-octet records', () => {
    const ack = decodeFetchAck(slice(serverT, 0xe0, 32));
    expect(ack).toEqual({ accept: 0, finished: true, nextSeqno: 3, skipCount: 0, recordCount: 3 });
    expect(encodeFetchAck(ack).equals(slice(serverT, 0xe0, 32))).toBe(true);
    const reproduced = decodeSessionRequestFixed(slice(serverT, 0x100, 112));
    expect(reproduced).toMatchObject({ senderPort: 9048, receiverPort: 9090 });
    expect(reproduced.sid.toString('hex')).toBe('7f000001eeacd3e2e2b3bb83fd5550ed');
    expect(encodeRequestSession({ ...toRequest, receiverPort: 9090, sid: reproduced.sid }, fixedSlot).equals(slice(serverT, 0x100, 144))).toBe(true);
    const records = [0, 1, 2].map((i) => decodeDataRecord(serverT, 0x1a0 + 25 * i));
    expect(records[0]).toEqual({ seq: 0, sendError: 1, recvError: 1, sendTime: 0xeeacd3e3f1e46067n, recvTime: 0xeeacd3e3f1ed8d36n, ttl: 255 });
    expect(records.map((r) => r.seq)).toEqual([0, 1, 2]);
    const reencoded = Buffer.alloc(75);
    records.forEach((r, i) => encodeDataRecord(r, reencoded, 25 * i));
    expect(reencoded.equals(slice(serverT, 0x1a0, 75))).toBe(true);
    expect(slice(serverT, 0x1a0 + 75, 5).every((b) => b === 0)).toBe(true);
  });

  it('decodes the OWAMP-Test packets owping sent', () => {
    const packets = OWPING_T_TEST_PACKETS.map((p) => decodeTestPacket(hex(p)));
    expect(packets[0]).toEqual({ seq: 0, timestamp: 0xeeacd3e3f1e46067n, errorEstimate: 1 });
    expect(packets.map((p) => p?.seq)).toEqual([0, 1, 2]);
    expect(encodeTestPacket(packets[1]!).equals(hex(OWPING_T_TEST_PACKETS[1]!))).toBe(true);
    expect(decodeTestPacket(Buffer.alloc(13))).toBeNull();
  });
});

describe('OWAMP "from" session (§61 owping -f)', () => {
  it('encodes the Conf-Sender request with the client SID, padding 4 and receiver port', () => {
    const sid = hex('7f000001eeacd4241dd51b4fb66dcb82');
    const request: SessionRequest = {
      ...toRequest,
      confSender: true,
      confReceiver: false,
      packetCount: 2,
      senderPort: 0,
      receiverPort: 9448,
      sid,
      paddingLength: 4,
      startTime: 0xeeacd4251dddc1e7n,
      timeout: 0x00000002000a393fn,
    };
    expect(encodeRequestSession(request, fixedSlot).equals(slice(clientF, 0xa4, 144))).toBe(true);
  });

  it("decodes the server's Stop-Sessions with one session record (Next Seqno 2, no skips)", () => {
    const header = decodeStopSessionsHeader(slice(serverF, 0xc0, 16));
    expect(header.sessionCount).toBe(1);
    const head = decodeStopRecordHead(slice(serverF, 0xd0, 24));
    expect(head.sid.toString('hex')).toBe('7f000001eeacd4241dd51b4fb66dcb82');
    expect(head).toMatchObject({ nextSeqno: 2, skipCount: 0 });
    expect(stopRecordLength(0)).toBe(32);
    expect(encodeStopRecord({ sid: head.sid, nextSeqno: 2, skips: [] }).equals(slice(serverF, 0xd0, 32))).toBe(true);
  });

  it('reads 18-octet test packets (14 + padding 4) from owampd', () => {
    const packet = decodeTestPacket(hex(OWAMPD_F_TEST_PACKETS[0]!));
    expect(packet).toEqual({ seq: 0, timestamp: 0xeeacd42537_84cad5n, errorEstimate: 1 });
  });
});

describe('stop records with skip ranges', () => {
  it('pads odd and even skip counts to the 16-octet block', () => {
    expect(stopRecordLength(1)).toBe(32);
    expect(stopRecordLength(2)).toBe(48);
    const record = { sid: Buffer.alloc(16, 1), nextSeqno: 10, skips: [[2, 3], [5, 5]] as Array<[number, number]> };
    const encoded = encodeStopRecord(record);
    expect(encoded.length).toBe(48);
    expect(decodeSkipRanges(encoded.subarray(24), 2)).toEqual([[2, 3], [5, 5]]);
  });

  it('refuses overlapping, reversed or unordered skip ranges', () => {
    const ranges = Buffer.alloc(16);
    ranges.writeUInt32BE(5, 0);
    ranges.writeUInt32BE(3, 4);
    expect(() => decodeSkipRanges(ranges, 1)).toThrow(MalformedMessageError);
    ranges.writeUInt32BE(1, 0);
    ranges.writeUInt32BE(4, 4);
    ranges.writeUInt32BE(4, 8);
    ranges.writeUInt32BE(6, 12);
    expect(() => decodeSkipRanges(ranges, 2)).toThrow(/overlapping/);
  });
});

describe('malformed input', () => {
  it('rejects messages of the wrong length', () => {
    expect(() => decodeServerGreeting(Buffer.alloc(63))).toThrow(MalformedMessageError);
    expect(() => decodeServerStart(Buffer.alloc(47))).toThrow(/48 octets/);
    expect(() => decodeAcceptSession(Buffer.alloc(49))).toThrow(MalformedMessageError);
    expect(() => decodeFetchAck(Buffer.alloc(31))).toThrow(MalformedMessageError);
  });

  it('rejects a request with an unknown IP version or command', () => {
    const bad = Buffer.from(slice(clientT, 0xa4, 112));
    bad[1] = 5;
    expect(() => decodeSessionRequestFixed(bad)).toThrow(/IPVN/);
    bad[1] = 4;
    bad[0] = 9;
    expect(() => decodeSessionRequestFixed(bad)).toThrow(/not a session request/);
  });

  it('rejects unknown slot types and truncated slots', () => {
    const slot = Buffer.alloc(16);
    slot[0] = 2;
    expect(() => decodeSlots(slot, 1)).toThrow(/unknown type 2/);
    expect(() => decodeSlots(Buffer.alloc(15), 1)).toThrow(/truncated/);
  });

  it('rejects a Stop-Sessions header with another command', () => {
    const block = Buffer.alloc(16);
    block[0] = 2;
    expect(() => decodeStopSessionsHeader(block)).toThrow(/expected Stop-Sessions/);
  });
});

describe('Type-P and addresses', () => {
  it('encodes DSCP in the top six bits after two zero bits', () => {
    expect(typePForDscp(46)).toBe(0x2e000000);
    expect(dscpOfTypeP(0x2e000000)).toBe(46);
    expect(dscpOfTypeP(0)).toBe(0);
    expect(dscpOfTypeP(0x40000001)).toBeNull();
    expect(() => typePForDscp(64)).toThrow(RangeError);
  });

  it('round-trips IPv6 addresses and treats zero fields as "use the control connection"', () => {
    const request: SessionRequest = { ...toRequest, ipVersion: 6, senderAddress: '2001:db8::1', receiverAddress: '::ffff:198.18.0.1' };
    const decoded = decodeSessionRequestFixed(encodeRequestSession(request, fixedSlot).subarray(0, 112));
    expect(decoded.senderAddress).toBe('2001:db8::1');
    expect(decoded.receiverAddress).toBe('::ffff:c612:1');
    const zero = decodeSessionRequestFixed(encodeRequestSession({ ...toRequest, senderAddress: null, receiverAddress: null }, fixedSlot).subarray(0, 112));
    expect(zero.senderAddress).toBeNull();
    expect(zero.receiverAddress).toBeNull();
  });
});
