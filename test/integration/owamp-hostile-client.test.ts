import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND, decodeAcceptSession, decodeServerStart, encodeSessionRequestFixed, encodeStartSessions, encodeStopSessionsHeader, typePForDscp, type SessionRequest } from '../../electron/core/measure/oneway/control/codec.ts';
import { secondsToInterval, unixNsToNtp } from '../../electron/core/measure/oneway/ntp.ts';
import { periodicSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { runOwamp } from '../../electron/core/measure/owamp/client.ts';
import { decodeDataRecord, decodeFetchAck, encodeFetchSession, encodeRequestSession, encodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import { encodeStopSessions } from '../../electron/core/measure/owamp/control.ts';
import { startOwampServer, type OwampServerHandle } from '../../electron/core/measure/owamp/server.ts';
import { rawClient, sleep, udpSocket, type PeerIO, connectUnauthenticated } from './owamp-fake-peer.ts';

/** Our OWAMP server against clients that misbehave: it refuses, closes, and keeps serving. */

let server: OwampServerHandle;

beforeAll(async () => {
  server = await startOwampServer({
    host: '127.0.0.1',
    port: 0,
    endDelayMs: 20,
    limits: {
      replyTimeoutMs: 300,
      idleTimeoutMs: 600,
      stopGraceMs: 300,
      maxConnections: 4,
      maxPackets: 1000,
      maxPadding: 100,
      maxBitsPerSecond: 1_000_000,
      maxSessionsPerConnection: 2,
    },
  });
});
afterAll(async () => {
  await server.close();
});

const now = () => unixNsToNtp(BigInt(Date.now()) * 1_000_000n);

function request(overrides: Partial<SessionRequest> = {}): SessionRequest {
  return {
    command: COMMAND.requestSession,
    ipVersion: 4,
    confSender: false,
    confReceiver: true,
    slotCount: 1,
    packetCount: 5,
    senderPort: 40000,
    receiverPort: 0,
    senderAddress: '127.0.0.1',
    receiverAddress: '127.0.0.1',
    sid: Buffer.alloc(16),
    paddingLength: 0,
    startTime: now() + secondsToInterval(0.05),
    timeout: secondsToInterval(0.3),
    typeP: 0,
    ...overrides,
  };
}

const connect = () => connectUnauthenticated(server.port);

async function ask(io: PeerIO, req: SessionRequest, slots = periodicSchedule(0.02)) {
  io.write(encodeRequestSession(req, slots));
  return decodeAcceptSession(await io.read(48));
}

/** After each hostile act, a well-behaved owping-like run must still work. */
async function stillServes() {
  const result = await runOwamp({ host: '127.0.0.1', port: server.port, direction: 'both', packets: 5, schedule: periodicSchedule(0.01), lossTimeoutSeconds: 0.2, startDelaySeconds: 0.05, endDelaySeconds: 0 });
  expect(result.sessions.map((s) => s.summary.sent)).toEqual([5, 5]);
}

describe('connection setup abuse', () => {
  it('a truncated Set-Up-Response then close', async () => {
    const io = await rawClient(server.port);
    await io.read(64);
    io.write(Buffer.alloc(50));
    io.socket.end();
    expect(await io.closed(2000)).toBe(true);
    await stillServes();
  });

  it('a client that stalls after the greeting is dropped after the reply timeout', async () => {
    const io = await rawClient(server.port);
    await io.read(64);
    const started = Date.now();
    expect(await io.closed(3000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a mode we did not offer gets Accept 3; Mode 0 just closes', async () => {
    const io = await rawClient(server.port);
    await io.read(64);
    io.write(Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.alloc(160)]));
    expect(decodeServerStart(await io.read(48)).accept).toBe(3);
    expect(await io.closed(2000)).toBe(true);
    const zero = await rawClient(server.port);
    await zero.read(64);
    zero.write(Buffer.alloc(164));
    expect(await zero.closed(2000)).toBe(true);
  });

  it('an idle connection is closed (SERVWAIT)', async () => {
    const io = await connect();
    expect(await io.closed(3000)).toBe(true);
  });

  it('beyond maxConnections, new clients get a greeting offering no mode', async () => {
    const held = await Promise.all([connect(), connect(), connect(), connect()]);
    const extra = await rawClient(server.port);
    const greeting = await extra.read(64);
    expect(greeting.readUInt32BE(12)).toBe(0);
    for (const io of held) io.socket.destroy();
    extra.socket.destroy();
    await sleep(100);
    await stillServes();
  });
});

describe('command abuse', () => {
  it('an unknown command, or Stop-Sessions outside a test, closes the connection', async () => {
    for (const first of [Buffer.concat([Buffer.from([9]), Buffer.alloc(15)]), encodeStopSessionsHeader(0, 0)]) {
      const io = await connect();
      io.write(first);
      expect(await io.closed(2000)).toBe(true);
    }
  });

  it('a Request-Session announcing 70000 slots is not read; the connection closes', async () => {
    const io = await connect();
    io.write(encodeSessionRequestFixed(request({ slotCount: 70_000 })));
    expect(await io.closed(2000)).toBe(true);
  });

  it('refuses requests outside its limits with the right Accept codes', async () => {
    const io = await connect();
    const cases: Array<[Partial<SessionRequest>, number]> = [
      [{ paddingLength: 101 }, 4],
      [{ packetCount: 1001 }, 4],
      [{ packetCount: 0 }, 1],
      [{ paddingLength: 100, packetCount: 500 }, 1], // with a 1 ms slot, see below
      [{ receiverAddress: '127.0.0.2' }, 0],
      [{ confSender: true, confReceiver: true }, 3],
      [{ confSender: false, confReceiver: false }, 3],
      [{ confSender: true, confReceiver: false, receiverPort: 40001, senderPort: 0, receiverAddress: '127.0.0.3' }, 1],
      [{ confSender: true, confReceiver: false, receiverPort: 40001, senderPort: 0, typeP: typePForDscp(46) }, 3],
      [{ timeout: secondsToInterval(900) }, 3],
      [{ startTime: now() + secondsToInterval(3600) }, 1],
      [{ senderPort: 0 }, 1],
    ];
    const outcomes: number[] = [];
    for (const [overrides] of cases) {
      // the bandwidth case uses a 1 ms fixed slot: 142 octets per ms ≈ 1.1 Mbit/s > 1 Mbit/s
      const slots = overrides.packetCount === 500 ? periodicSchedule(0.001) : periodicSchedule(0.02);
      outcomes.push((await ask(io, request(overrides), slots)).accept);
    }
    // The receiver address is ours (the server's) in a "to" session, so 127.0.0.2 is simply ignored.
    expect(outcomes).toEqual(cases.map(([, accept]) => accept));
    io.socket.destroy();
  });

  it('limits sessions per connection (temporary limit, Accept 5)', async () => {
    const io = await connect();
    expect((await ask(io, request())).accept).toBe(0);
    expect((await ask(io, request())).accept).toBe(0);
    expect((await ask(io, request())).accept).toBe(5);
    io.socket.destroy();
  });
});

describe('test-phase abuse', () => {
  it('keeps only genuine test packets: forged source, seq, length and timestamps are dropped', async () => {
    const sender = await udpSocket();
    const forger = await udpSocket();
    const io = await connect();
    const req = request({ senderPort: sender.address().port, packetCount: 5, startTime: now() + secondsToInterval(0.05) });
    const accept = await ask(io, req);
    expect(accept.accept).toBe(0);
    io.write(encodeStartSessions());
    expect((await io.read(32))[0]).toBe(0);
    const scheduled = (seq: number) => req.startTime + BigInt(seq + 1) * secondsToInterval(0.02);
    await sleep(80);
    const to = (socket: typeof sender, packet: Buffer) => socket.send(packet, accept.port, '127.0.0.1');
    for (let seq = 0; seq < 5; seq += 1) to(sender, encodeTestPacket({ seq, timestamp: scheduled(seq), errorEstimate: 1 }));
    to(forger, encodeTestPacket({ seq: 0, timestamp: scheduled(0), errorEstimate: 1 }));
    to(sender, encodeTestPacket({ seq: 4_000_000_000, timestamp: scheduled(1), errorEstimate: 1 }));
    to(sender, Buffer.alloc(9));
    to(sender, encodeTestPacket({ seq: 2, timestamp: scheduled(2) - secondsToInterval(10), errorEstimate: 1 }));
    // Stop only after the last packet's time + timeout, or the server trims the tail (RFC 4656 §3.8).
    await sleep(450);
    io.write(encodeStopSessions(0, [{ sid: accept.sid, nextSeqno: 5, skips: [] }]));
    const stop = await io.read(32);
    expect(stop[0]).toBe(3);
    io.write(encodeFetchSession({ beginSeq: 0, endSeq: 0xffffffff, sid: accept.sid }));
    const ack = decodeFetchAck(await io.read(32));
    expect(ack).toMatchObject({ accept: 0, recordCount: 5, nextSeqno: 5 });
    await io.read(144 + 16);
    const data = await io.read(5 * 25 + 3 + 16);
    const seqs = [0, 1, 2, 3, 4].map((i) => decodeDataRecord(data, 25 * i)).map((r) => r.seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
    io.socket.destroy();
    sender.close();
    forger.close();
  });

  it('a client that never sends Stop-Sessions is dropped, and its session cannot be fetched whole', async () => {
    const io = await connect();
    const accept = await ask(io, request({ packetCount: 2 }));
    io.write(encodeStartSessions());
    await io.read(32);
    expect((await io.read(32))[0]).toBe(3); // the server's own Stop-Sessions, when its receive session is over
    expect(await io.closed(5000)).toBe(true);
    const later = await connect();
    later.write(encodeFetchSession({ beginSeq: 0, endSeq: 0xffffffff, sid: accept.sid }));
    expect(decodeFetchAck(await later.read(32)).accept).toBe(1);
    later.socket.destroy();
  });

  it('a Stop-Sessions that does not account for the sessions closes the connection', async () => {
    const io = await connect();
    await ask(io, request({ packetCount: 2 }));
    io.write(encodeStartSessions());
    await io.read(32);
    io.write(encodeStopSessions(0, []));
    expect(await io.closed(3000)).toBe(true);
    await stillServes();
  });
});
