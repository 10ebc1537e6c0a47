import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND, decodeAcceptSession, type SessionRequest } from '../../electron/core/measure/oneway/control/codec.ts';
import { ACCEPT } from '../../electron/core/measure/oneway/errors.ts';
import { secondsToInterval, unixNsToNtp } from '../../electron/core/measure/oneway/ntp.ts';
import { DEFAULT_RESPONDER_LIMITS, type ResponderEvent } from '../../electron/core/measure/oneway/responder.ts';
import { periodicSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { runOwamp } from '../../electron/core/measure/owamp/client.ts';
import { encodeRequestSession } from '../../electron/core/measure/owamp/codec.ts';
import { startOwampServer, type OwampServerHandle } from '../../electron/core/measure/owamp/server.ts';
import { sleep, type PeerIO, connectUnauthenticated } from './owamp-fake-peer.ts';

/** The responder's packet budget across all connections: records are preallocated per packet. */

let server: OwampServerHandle;
const events: ResponderEvent[] = [];

beforeAll(async () => {
  server = await startOwampServer({ host: '127.0.0.1', port: 0, endDelayMs: 20, limits: { maxPackets: 1000, maxTotalPackets: 1500, replyTimeoutMs: 2000 }, onEvent: (e) => events.push(e) });
});
afterAll(async () => {
  await server.close();
});

function request(packetCount: number): SessionRequest {
  return {
    command: COMMAND.requestSession,
    ipVersion: 4,
    confSender: false,
    confReceiver: true,
    slotCount: 1,
    packetCount,
    senderPort: 40000,
    receiverPort: 0,
    senderAddress: '127.0.0.1',
    receiverAddress: '127.0.0.1',
    sid: Buffer.alloc(16),
    paddingLength: 0,
    startTime: unixNsToNtp(BigInt(Date.now()) * 1_000_000n) + secondsToInterval(30),
    timeout: secondsToInterval(1),
    typeP: 0,
  };
}

const connect = () => connectUnauthenticated(server.port);

async function ask(io: PeerIO, packets: number): Promise<number> {
  io.write(encodeRequestSession(request(packets), periodicSchedule(0.01)));
  return decodeAcceptSession(await io.read(48)).accept;
}

describe('OWAMP responder: packets across all sessions', () => {
  it('has a default that keeps 32 connections × 16 sessions from preallocating hundreds of MB', () => {
    const worst = DEFAULT_RESPONDER_LIMITS.maxConnections * DEFAULT_RESPONDER_LIMITS.maxSessionsPerConnection * DEFAULT_RESPONDER_LIMITS.maxPackets;
    expect(DEFAULT_RESPONDER_LIMITS.maxTotalPackets).toBeLessThan(worst / 20);
    expect(DEFAULT_RESPONDER_LIMITS.maxTotalPackets).toBeGreaterThanOrEqual(DEFAULT_RESPONDER_LIMITS.maxPackets);
  });

  it('refuses a session beyond the budget with Accept 5 (temporary), on another connection too, and frees it when a connection ends', async () => {
    const a = await connect();
    expect(await ask(a, 1000)).toBe(ACCEPT.ok);
    const b = await connect();
    expect(await ask(b, 400)).toBe(ACCEPT.ok);
    expect(await ask(b, 200)).toBe(ACCEPT.temporaryLimit);
    expect(events.some((e) => e.type === 'session-refused' && /would exceed the responder's 1500 across all sessions/.test(e.reason))).toBe(true);
    a.socket.destroy();
    expect(await a.closed(2000)).toBe(true);
    await sleep(50);
    expect(await ask(b, 1000)).toBe(ACCEPT.ok);
    b.socket.destroy();
    await b.closed(2000);
    await sleep(50);
  });

  it('a finished test gives its packets back', async () => {
    for (let i = 0; i < 3; i += 1) {
      const result = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'both', packets: 700, schedule: periodicSchedule(0.0005), lossTimeoutSeconds: 0.3, startDelaySeconds: 0.05, endDelaySeconds: 0 });
      expect(result.sessions.map((s) => s.summary.sent)).toEqual([700, 700]);
    }
  });
});
