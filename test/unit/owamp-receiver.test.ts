import { describe, expect, it } from 'vitest';
import { secondsToInterval } from '../../electron/core/measure/oneway/ntp.ts';
import { periodicSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { encodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import { OwampReceiver } from '../../electron/core/measure/owamp/receiver.ts';

const START = 0xeeacd3e3_00000000n;
const GAP = 0.01;
const TIMEOUT = secondsToInterval(0.5);
const PEER = { address: '127.0.0.1', port: 9000 };
const at = (seconds: number) => START + secondsToInterval(seconds);

function receiver(overrides: Partial<ConstructorParameters<typeof OwampReceiver>[0]> = {}) {
  return new OwampReceiver({
    sid: Buffer.alloc(16, 3),
    slots: periodicSchedule(GAP),
    packetCount: 10,
    startTime: START,
    timeout: TIMEOUT,
    paddingLength: 0,
    receiveErrorEstimate: 0x0001,
    expectedPeer: PEER,
    ...overrides,
  });
}

/** Packet `seq` sent on schedule (slot 0.01 s fixed: seq n leaves at (n+1) × 0.01 s). */
const packet = (seq: number, sentAt = (seq + 1) * GAP, errorEstimate = 1) => encodeTestPacket({ seq, timestamp: at(sentAt), errorEstimate });

describe('OWAMP session receiver (RFC 4656 §4.2)', () => {
  it('records valid packets with their receive time, duplicates again', () => {
    const r = receiver();
    expect(r.handle(packet(0), PEER, at(0.0102))).toBeNull();
    expect(r.handle(packet(1), PEER, at(0.0203))).toBeNull();
    expect(r.handle(packet(1), PEER, at(0.0205))).toBeNull();
    expect(r.log.length).toBe(3);
    expect(r.log.get(2)).toMatchObject({ seq: 1, recvTime: at(0.0205), recvError: 1, ttl: -1 });
  });

  it('discards datagrams by the RFC rules and counts why', () => {
    const r = receiver({ packetCount: 100 });
    expect(r.handle(packet(0), { address: '127.0.0.2', port: 9000 }, at(0.011))).toBe('wrong-source');
    expect(r.handle(packet(0), { address: '127.0.0.1', port: 9001 }, at(0.011))).toBe('wrong-source');
    expect(r.handle(Buffer.concat([packet(0), Buffer.alloc(1)]), PEER, at(0.011))).toBe('wrong-length');
    expect(r.handle(packet(0).subarray(0, 13), PEER, at(0.011))).toBe('wrong-length');
    expect(r.handle(packet(100, 0.02), PEER, at(0.021))).toBe('seq-out-of-range');
    expect(r.handle(packet(0xffffffff, 0.02), PEER, at(0.021))).toBe('seq-out-of-range');
    expect(r.handle(packet(2, 0.03, 0x0000), PEER, at(0.031))).toBe('invalid-error-estimate');
    // a timestamp 0.6 s in the future of its arrival (timeout 0.5 s)
    expect(r.handle(packet(3, 0.64), PEER, at(0.041))).toBe('send-time-vs-receive-time');
    // packet 60 is scheduled at 0.61 s but claims to leave at 0.05 s
    expect(r.handle(packet(60, 0.05), PEER, at(0.051))).toBe('send-time-vs-schedule');
    expect(r.log.length).toBe(0);
    expect(r.discarded).toMatchObject({ 'wrong-source': 2, 'wrong-length': 2, 'seq-out-of-range': 2, 'invalid-error-estimate': 1, 'send-time-vs-receive-time': 1, 'send-time-vs-schedule': 1 });
  });

  it('accepts any source when no peer is fixed, and padding of the agreed length only', () => {
    const r = receiver({ expectedPeer: null, paddingLength: 4 });
    expect(r.handle(Buffer.concat([packet(0), Buffer.alloc(4)]), { address: '10.0.0.9', port: 1 }, at(0.011))).toBeNull();
    expect(r.handle(packet(1), PEER, at(0.021))).toBe('wrong-length');
  });

  it('declares a packet lost once its scheduled time + timeout has passed, at the presumed send time', () => {
    const r = receiver();
    r.handle(packet(0), PEER, at(0.011));
    r.flushLost(at(0.519));
    expect(r.log.length).toBe(1);
    r.flushLost(at(0.521));
    expect(r.log.length).toBe(2);
    expect(r.log.get(1)).toMatchObject({ seq: 1, sendTime: START + 2n * secondsToInterval(GAP), recvTime: 0n, ttl: 255 });
    expect(r.handle(packet(1), PEER, at(0.5206))).toBe('already-declared-lost');
    r.flushLost(at(2));
    expect(r.complete).toBe(true);
    expect([...r.log].filter((x) => x.recvTime === 0n).map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('finishes with the sender\'s Stop-Sessions: Next Seqno cuts, skips are not lost', () => {
    const r = receiver();
    for (const seq of [0, 1, 2, 5]) r.handle(packet(seq), PEER, at((seq + 1) * GAP + 0.0001));
    r.finish({ nextSeqno: 8, skips: [[3, 4]] }, at(5));
    const lost = [...r.log].filter((x) => x.recvTime === 0n).map((x) => x.seq);
    expect(lost).toEqual([6, 7]);
    expect([...r.log].every((x) => x.seq < 8)).toBe(true);
  });

  it('drops records whose scheduled send time is after (Stop-Sessions time − timeout)', () => {
    const r = receiver();
    for (const seq of [0, 1, 2]) r.handle(packet(seq), PEER, at((seq + 1) * GAP + 0.0001));
    r.finish({ nextSeqno: 10, skips: [] }, at(0.025 + 0.5));
    expect([...r.log].map((x) => x.seq)).toEqual([0, 1]);
  });

  it('never stores more than its record cap, however many duplicates arrive, yet keeps room for every packet', () => {
    const r = receiver({ maxRecords: 15 });
    for (let i = 0; i < 100; i += 1) r.handle(packet(0), PEER, at(0.011));
    expect(r.log.length).toBe(6);
    expect(r.discarded['record-limit']).toBe(94);
    r.handle(packet(1), PEER, at(0.021));
    r.flushLost(at(2));
    expect(r.log.length).toBe(15);
    expect(new Set([...r.log].map((x) => x.seq)).size).toBe(10);
  });
});
