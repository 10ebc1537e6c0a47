import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSessionRequestFixed } from '../../electron/core/measure/oneway/control/codec.ts';
import { OnewayError } from '../../electron/core/measure/oneway/errors.ts';
import type { OnewayProgress } from '../../electron/core/measure/oneway/progress.ts';
import { periodicSchedule, parseOwpingSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { runOwamp, type OwampRunOptions } from '../../electron/core/measure/owamp/client.ts';
import { decodeFetchAck, encodeFetchSession } from '../../electron/core/measure/owamp/codec.ts';
import { startOwampServer, type OwampServerHandle } from '../../electron/core/measure/owamp/server.ts';
import type { ResponderEvent } from '../../electron/core/measure/oneway/responder.ts';
import { rawClient } from './owamp-fake-peer.ts';

/** Our OWAMP client against our OWAMP server on loopback: both directions, real sockets. */

let server: OwampServerHandle;
const events: ResponderEvent[] = [];

beforeAll(async () => {
  server = await startOwampServer({ host: '127.0.0.1', port: 0, endDelayMs: 50, onEvent: (e) => events.push(e) });
});
afterAll(async () => {
  await server.close();
});

const QUICK: Partial<OwampRunOptions> = {
  packets: 40,
  schedule: periodicSchedule(0.005),
  // generous, so a busy CI machine cannot turn a late packet into a lost one
  lossTimeoutSeconds: 1,
  startDelaySeconds: 0.05,
  endDelaySeconds: 0.05,
};

describe('OWAMP on loopback', () => {
  it('measures both directions: all packets, no loss, sane delays', async () => {
    const result = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'both', ...QUICK });
    expect(result.protocol).toBe('owamp');
    expect(result.mode).toBe('unauthenticated');
    expect(result.server.modes).toBe(1);
    expect(result.sessions.map((s) => s.direction)).toEqual(['to', 'from']);
    for (const session of result.sessions) {
      expect(session.summary).toMatchObject({ sent: 40, lost: 0, duplicates: 0 });
      expect(session.nextSeqno).toBe(40);
      expect(session.records.length).toBe(40);
      const { min, median, max } = session.summary.delay;
      expect(min).toBeGreaterThan(-0.001);
      expect(min!).toBeLessThanOrEqual(median!);
      expect(median!).toBeLessThanOrEqual(max!);
      expect(max).toBeLessThan(0.25);
      expect(session.summary.lossBound!.upper).toBeCloseTo(1 - 0.05 ** (1 / 40), 6);
      expect(session.sid).toMatch(/^7f000001[0-9a-f]{24}$/);
    }
    const [to, from] = result.sessions;
    expect(to!.recordSource).toBe('server');
    expect(to!.senderTiming!.packets).toBe(40);
    expect(to!.senderTiming!.p50Us).toBeLessThan(5000);
    expect(from!.recordSource).toBe('client');
    expect(from!.summary.hops.reported).toBe(false);
    // our server cannot read TTL and records 255: no hop count, never "hops = 0"
    expect(to!.summary.hops).toMatchObject({ reported: false, ambiguous: true, min: null, text: 'hops unknown: the far end cannot read TTL (it reports 255)' });
    expect(from!.discarded!['wrong-source']).toBe(0);
    expect(result.notes.join(' ')).toMatch(/Unauthenticated/);
  });

  it('keeps the schedule: fixed 5 ms slots, no packet sent before its slot', async () => {
    const result = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'to', ...QUICK });
    const records = result.sessions[0]!.records;
    const offsets = [...records.sendOffsetNs].sort((a, b) => a - b);
    expect(offsets).toHaveLength(40);
    // A loaded machine may send late (and catch up), but never before a packet's slot.
    const early = offsets.filter((o, i) => o / 1e6 < (i + 1) * 5 - 0.1);
    expect(early).toEqual([]);
    expect(offsets[39]! / 1e6).toBeGreaterThan(199.9);
  });

  it('runs "from" only, with padding and a multi-slot exponential schedule', async () => {
    const result = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'from', ...QUICK, packets: 30, paddingLength: 100, schedule: parseOwpingSchedule('0.004,0.002f,0.006e') });
    expect(result.sessions).toHaveLength(1);
    expect(result.sessions[0]).toMatchObject({ direction: 'from', paddingLength: 100 });
    expect(result.sessions[0]!.summary.sent).toBe(30);
  });

  it('emits progress: phases in order, live "from" delays, then done', async () => {
    const progress: OnewayProgress[] = [];
    await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'both', ...QUICK, onProgress: (p) => progress.push(p) });
    const phases = progress.filter((p) => p.type === 'phase').map((p) => (p.type === 'phase' ? p.phase : ''));
    expect(phases[0]).toBe('connecting');
    expect(phases.slice(-2)).toEqual(['fetching', 'done']);
    const from = progress.filter((p) => p.type === 'packets' && p.session === 'from');
    const delays = from.flatMap((p) => (p.type === 'packets' ? p.batch.delay : []));
    expect(delays.length).toBe(40);
    expect(delays.every((d) => d !== null && d < 0.25)).toBe(true);
    const lastTo = progress.filter((p) => p.type === 'packets' && p.session === 'to').pop();
    expect(lastTo && lastTo.type === 'packets' ? lastTo.sent : 0).toBe(40);
    const fractions = progress.map((p) => p.fraction).filter((f): f is number => f !== null);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
  });

  it('cancels mid-test through the AbortSignal, and the server carries on', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runOwamp({ host: '127.0.0.1', port: server.port, direction: 'both', ...QUICK, packets: 2000, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnewayError);
    expect((error as OnewayError).code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(2000);
    const after = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'to', ...QUICK, packets: 5 });
    expect(after.sessions[0]!.summary.sent).toBe(5);
  });

  it('answers Fetch-Session from a later connection, whole or by range, and refuses unknown SIDs', async () => {
    const result = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'to', ...QUICK, packets: 10 });
    const sid = Buffer.from(result.sessions[0]!.sid, 'hex');
    const io = await rawClient(server.port);
    await io.read(64);
    io.write(Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.alloc(160)]));
    await io.read(48);
    io.write(encodeFetchSession({ beginSeq: 2, endSeq: 4, sid }));
    const ack = decodeFetchAck(await io.read(32));
    expect(ack).toMatchObject({ accept: 0, finished: true, nextSeqno: 10, recordCount: 3 });
    const description = decodeSessionRequestFixed(await io.read(112));
    expect(description.sid.equals(sid)).toBe(true);
    await io.read(16 + 16 + 16);
    const records = await io.read(80 + 16);
    expect([0, 1, 2].map((i) => records.readUInt32BE(25 * i))).toEqual([2, 3, 4]);
    io.write(encodeFetchSession({ beginSeq: 0, endSeq: 0xffffffff, sid: Buffer.alloc(16, 9) }));
    expect(decodeFetchAck(await io.read(32)).accept).toBe(1);
    io.socket.destroy();
  });

  it('works over IPv6 loopback', async () => {
    const v6 = await startOwampServer({ host: '::1', port: 0, endDelayMs: 50 });
    try {
      const result = await runOwamp({ host: '::1', port: v6.port, direction: 'both', ...QUICK, packets: 10 });
      expect(result.sessions.map((s) => s.summary.sent)).toEqual([10, 10]);
      expect(result.sessions[0]!.sender.address).toBe('::1');
    } finally {
      await v6.close();
    }
  });

  it('reported what it did through events', () => {
    expect(events.some((e) => e.type === 'session-accepted' && e.role === 'receiver')).toBe(true);
    expect(events.some((e) => e.type === 'session-accepted' && e.role === 'sender')).toBe(true);
    expect(events.some((e) => e.type === 'session-finished' && e.received === 40 && e.lost === 0)).toBe(true);
  });

  it('still a plain connection setup works after all that (no leaked state)', async () => {
    const io = await rawClient(server.port);
    await acceptSetupClient(io);
    io.socket.destroy();
    expect(server.connections).toBeLessThanOrEqual(1);
  });
});

async function acceptSetupClient(io: Awaited<ReturnType<typeof rawClient>>) {
  const greeting = await io.read(64);
  expect(greeting.readUInt32BE(12)).toBe(1);
  io.write(Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.alloc(160)]));
  const start = await io.read(48);
  expect(start[15]).toBe(0);
}

