import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND, decodeAcceptSession, encodeStartSessions, typePForDscp, type SessionRequest } from '../../electron/core/measure/oneway/control/codec.ts';
import { OnewayError } from '../../electron/core/measure/oneway/errors.ts';
import { secondsToInterval, unixNsToNtp } from '../../electron/core/measure/oneway/ntp.ts';
import type { OnewayProgress } from '../../electron/core/measure/oneway/progress.ts';
import { periodicSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { encodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import { decodeReflectedPacket, encodeRequestTwSession, encodeTwampStopSessions } from '../../electron/core/measure/twamp/codec.ts';
import { runTwamp, runTwampLight, type TwampRunOptions } from '../../electron/core/measure/twamp/client.ts';
import { startTwampLightReflector } from '../../electron/core/measure/twamp/light.ts';
import { startTwampServer, type TwampServerHandle } from '../../electron/core/measure/twamp/server.ts';
import { sleep, udpSocket, connectUnauthenticated } from './owamp-fake-peer.ts';

/** TWAMP with control, and TWAMP-Light, against our own responders on loopback. */

let server: TwampServerHandle;
beforeAll(async () => {
  server = await startTwampServer({ host: '127.0.0.1', port: 0, limits: { replyTimeoutMs: 500, idleTimeoutMs: 2000 } });
});
afterAll(async () => {
  await server.close();
});

const QUICK: Partial<TwampRunOptions> = { packets: 40, schedule: periodicSchedule(0.005), lossTimeoutSeconds: 1, startDelaySeconds: 0.05, endDelaySeconds: 0 };

function sane(summary: Awaited<ReturnType<typeof runTwamp>>['summary'], packets: number) {
  expect(summary).toMatchObject({ sent: packets, lost: 0, sendDuplicates: 0, reflectDuplicates: 0 });
  expect(summary.rtt.min).toBeGreaterThan(0);
  expect(summary.rtt.min!).toBeLessThanOrEqual(summary.rtt.median!);
  expect(summary.rtt.max).toBeLessThan(0.25);
  expect(summary.processing.min).toBeGreaterThanOrEqual(0);
  expect(summary.processing.max).toBeLessThan(0.05);
  // one clock on both ends: the one-way parts add up to the round trip
  expect(summary.forward.median! + summary.backward.median!).toBeGreaterThan(0);
  expect(summary.clock.clocksOffset).toBe(false);
}

describe('TWAMP with TWAMP-Control', () => {
  it('measures the round trip and its parts', async () => {
    const result = await runTwamp({ host: '127.0.0.1', port: server.port, ...QUICK });
    expect(result.protocol).toBe('twamp');
    expect(result.sid).toMatch(/^7f000001/);
    expect(result.paddingLength).toBe(27);
    sane(result.summary, 40);
    expect(result.records.length).toBe(40);
    for (let i = 0; i < result.records.length; i += 1) {
      const rtt = result.records.rtt[i]!;
      expect(rtt).toBeCloseTo(result.records.forward[i]! + result.records.backward[i]!, 9);
    }
    expect(result.summary.hops.reflect.reported).toBe(false);
    // our reflector sends Sender TTL 255 (cannot read it): no forward hop count, never "send hops = 0"
    expect(result.summary.hops.send).toMatchObject({ reported: false, ambiguous: true, min: null, text: 'send hops unknown: the far end cannot read TTL (it reports 255)' });
    expect(result.senderTiming.packets).toBe(40);
    expect(Object.values(result.discarded).every((n) => n === 0)).toBe(true);
  });

  it('sends zero addresses (twping -Z) and any padding', async () => {
    const result = await runTwamp({ host: '127.0.0.1', port: server.port, ...QUICK, packets: 10, zeroAddresses: true, paddingLength: 0 });
    sane(result.summary, 10);
  });

  it('streams live round-trip progress', async () => {
    const progress: OnewayProgress[] = [];
    await runTwamp({ host: '127.0.0.1', port: server.port, ...QUICK, packets: 20, onProgress: (p) => progress.push(p) });
    const rtts = progress.flatMap((p) => (p.type === 'packets' && p.session === 'round-trip' ? p.batch.delay : []));
    expect(rtts).toHaveLength(20);
    expect(progress.at(-1)).toMatchObject({ type: 'phase', phase: 'done' });
  });

  it('cancels through the AbortSignal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await runTwamp({ host: '127.0.0.1', port: server.port, ...QUICK, packets: 5000, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnewayError);
    expect((error as OnewayError).code).toBe('CANCELLED');
  });

  it('refuses DSCP before sending anything (Node cannot mark packets)', async () => {
    await expect(runTwamp({ host: '127.0.0.1', port: server.port, dscp: 46 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('works over IPv6 loopback', async () => {
    const v6 = await startTwampServer({ host: '::1', port: 0 });
    try {
      const result = await runTwamp({ host: '::1', port: v6.port, ...QUICK, packets: 10 });
      sane(result.summary, 10);
    } finally {
      await v6.close();
    }
  });
});

describe('our TWAMP server against a hand-driven client', () => {
  const now = () => unixNsToNtp(BigInt(Date.now()) * 1_000_000n);
  const twRequest = (overrides: Partial<SessionRequest>): SessionRequest => ({
    command: COMMAND.requestTwSession,
    ipVersion: 4,
    confSender: false,
    confReceiver: false,
    slotCount: 0,
    packetCount: 0,
    senderPort: 1,
    receiverPort: 1,
    senderAddress: '127.0.0.1',
    receiverAddress: '127.0.0.1',
    sid: Buffer.alloc(16),
    paddingLength: 27,
    startTime: now(),
    timeout: secondsToInterval(0.2),
    typeP: 0,
    ...overrides,
  });
  const connect = () => connectUnauthenticated(server.port);

  it('reflects only the declared sender, only the agreed size, and stops after Stop-Sessions + Timeout', async () => {
    const sender = await udpSocket();
    const other = await udpSocket();
    const io = await connect();
    io.write(encodeRequestTwSession(twRequest({ senderPort: sender.address().port })));
    const accept = decodeAcceptSession(await io.read(48));
    expect(accept.accept).toBe(0);
    io.write(encodeStartSessions());
    expect((await io.read(32))[0]).toBe(0);
    const replies: Buffer[] = [];
    sender.on('message', (m) => replies.push(m));
    other.on('message', (m) => replies.push(m));
    const send = (socket: typeof sender, seq: number, length = 41) => {
      const packet = Buffer.alloc(length);
      encodeTestPacket({ seq, timestamp: now(), errorEstimate: 1 }).copy(packet);
      socket.send(packet, accept.port, '127.0.0.1');
    };
    send(sender, 0);
    send(other, 1);
    send(sender, 2, 14);
    send(sender, 3);
    await sleep(100);
    expect(replies.map((r) => decodeReflectedPacket(r)?.senderSeq)).toEqual([0, 3]);
    expect(replies.map((r) => decodeReflectedPacket(r)?.seq)).toEqual([0, 1]);
    expect(replies.every((r) => r.length === 41)).toBe(true);
    io.write(encodeTwampStopSessions(0, 1));
    await sleep(50);
    send(sender, 4);
    await sleep(300);
    send(sender, 5);
    await sleep(100);
    expect(replies.map((r) => decodeReflectedPacket(r)?.senderSeq)).toEqual([0, 3, 4]);
    io.socket.destroy();
    sender.close();
    other.close();
  });

  it('refuses third-party senders and DSCP; closes on commands that are not TWAMP', async () => {
    const io = await connect();
    io.write(encodeRequestTwSession(twRequest({ senderAddress: '127.0.0.9', senderPort: 5000 })));
    expect(decodeAcceptSession(await io.read(48)).accept).toBe(1);
    io.write(encodeRequestTwSession(twRequest({ senderPort: 5000, typeP: typePForDscp(46) })));
    expect(decodeAcceptSession(await io.read(48)).accept).toBe(3);
    const fetch = Buffer.alloc(48);
    fetch[0] = COMMAND.fetchSession;
    io.write(fetch);
    expect(await io.closed(2000)).toBe(true);
  });
});

describe('TWAMP-Light', () => {
  it('measures against our light reflector (per-sender counters)', async () => {
    const reflector = await startTwampLightReflector({ host: '127.0.0.1', port: 0 });
    try {
      const result = await runTwampLight({ host: '127.0.0.1', port: reflector.port, ...QUICK, packets: 30 });
      expect(result.protocol).toBe('twamp-light');
      expect(result.sid).toBeNull();
      sane(result.summary, 30);
      expect(reflector.counters.reflected).toBe(30);
      expect([...result.records.reflectorSeq]).toEqual([...result.records.senderSeq]);
    } finally {
      await reflector.close();
    }
  });

  it('a stateless (copy) reflector returns the sender sequence numbers', async () => {
    const reflector = await startTwampLightReflector({ host: '127.0.0.1', port: 0, sequence: 'copy' });
    try {
      const result = await runTwampLight({ host: '127.0.0.1', port: reflector.port, ...QUICK, packets: 10, paddingLength: 0 });
      sane(result.summary, 10);
    } finally {
      await reflector.close();
    }
  });

  it('reports every packet lost when nothing answers', async () => {
    const silent = await udpSocket();
    try {
      const result = await runTwampLight({ host: '127.0.0.1', port: silent.address().port, ...QUICK, packets: 10, lossTimeoutSeconds: 0.1 });
      expect(result.summary).toMatchObject({ sent: 10, lost: 10 });
      expect(result.summary.lossBound!.lower).toBeGreaterThan(0.6);
      expect(result.summary.jitter.rtt).toBeNull();
    } finally {
      silent.close();
    }
  });
});
