import { afterEach, describe, expect, it } from 'vitest';
import { decodeSessionRequestFixed, encodeAcceptSession, encodeStartAck, encodeStopSessionsHeader } from '../../electron/core/measure/oneway/control/codec.ts';
import { OnewayError } from '../../electron/core/measure/oneway/errors.ts';
import { secondsToInterval } from '../../electron/core/measure/oneway/ntp.ts';
import { periodicSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { runOwamp, type OwampRunOptions } from '../../electron/core/measure/owamp/client.ts';
import { encodeDataRecord, encodeFetchAck, encodeRequestSession, encodeStopRecord, encodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import { encodeStopSessions } from '../../electron/core/measure/owamp/control.ts';
import { acceptSetup, greeting, scriptedServer, serverStart, sleep, udpSocket, type PeerIO, type ScriptedServer } from './owamp-fake-peer.ts';

/** Our OWAMP client against servers that lie, stall, truncate and forge: typed errors, never a hang. */

let peer: ScriptedServer | null = null;
afterEach(async () => {
  await peer?.close();
  peer = null;
});

const FAST: Partial<OwampRunOptions> = {
  packets: 5,
  schedule: periodicSchedule(0.02),
  lossTimeoutSeconds: 0.3,
  startDelaySeconds: 0.05,
  endDelaySeconds: 0,
  timeouts: { connect: 1000, reply: 400, write: 1000 },
};

async function runAgainst(script: (io: PeerIO) => Promise<void>, options: Partial<OwampRunOptions> = {}): Promise<{ error: OnewayError; ms: number }> {
  peer = await scriptedServer(script);
  const started = Date.now();
  const error = await runOwamp({ host: '127.0.0.1', port: peer.port, direction: 'to', ...FAST, ...options }).then(
    () => {
      throw new Error('the run should have failed');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OnewayError);
  return { error: error as OnewayError, ms: Date.now() - started };
}

/** Reads one OWAMP Request-Session with its slots and HMAC. */
async function readRequest(io: PeerIO) {
  const fixed = await io.read(112);
  const request = decodeSessionRequestFixed(fixed);
  await io.read(16 * request.slotCount + 16);
  return request;
}

describe('connection setup', () => {
  it('a truncated greeting followed by close → connection-closed at the greeting', async () => {
    const { error } = await runAgainst(async (io) => {
      io.write(greeting(1).subarray(0, 30));
      io.socket.end();
    });
    expect(error.reason).toBe('connection-closed');
    expect(error.step).toBe('server-greeting');
  });

  it('a server that stalls after accepting TCP → timeout at the greeting, within the deadline', async () => {
    const { error, ms } = await runAgainst(async (io) => {
      await io.closed(5000);
    });
    expect(error).toMatchObject({ reason: 'timeout', step: 'server-greeting', code: 'TIMEOUT' });
    expect(ms).toBeLessThan(3000);
  });

  it('a greeting with no modes → server-refused', async () => {
    const { error } = await runAgainst(async (io) => {
      io.write(greeting(0));
      await io.closed(2000);
    });
    expect(error.reason).toBe('server-refused');
  });

  it('an authenticated-only server → no-common-mode, after answering Mode 0', async () => {
    let mode = -1;
    const { error } = await runAgainst(async (io) => {
      io.write(greeting(2 | 4));
      mode = (await io.read(164, 2000)).readUInt32BE(0);
    });
    expect(error).toMatchObject({ reason: 'no-common-mode', code: 'UNAUTHORIZED' });
    expect(error.message).toMatch(/authenticated, encrypted/);
    await peer!.done;
    expect(mode).toBe(0);
  });

  it('Server-Start refusing, with a known and an unknown Accept value', async () => {
    for (const accept of [4, 9]) {
      const { error } = await runAgainst(async (io) => {
        io.write(greeting(1));
        await io.read(164);
        io.write(serverStart(accept));
      });
      expect(error).toMatchObject({ reason: 'server-refused', acceptCode: accept });
      expect(error.message).toMatch(accept === 4 ? /permanent resource/ : /unknown Accept value 9/);
      expect(error.code).toBe(accept === 4 ? 'SERVER_BUSY' : 'TOOL_FAILED');
      await peer?.close();
      peer = null;
    }
  });

  it('a server that stalls before Server-Start → timeout at server-start', async () => {
    const { error } = await runAgainst(async (io) => {
      io.write(greeting(1));
      await io.read(164);
      await io.closed(5000);
    });
    expect(error).toMatchObject({ reason: 'timeout', step: 'server-start' });
  });
});

describe('negotiation', () => {
  it('Accept-Session refusals: temporary limit → SERVER_BUSY, policy → session-refused', async () => {
    for (const accept of [5, 1]) {
      const { error } = await runAgainst(async (io) => {
        await acceptSetup(io);
        await readRequest(io);
        io.write(encodeAcceptSession(accept, 0, null));
      });
      expect(error).toMatchObject({ reason: 'session-refused', step: 'accept-session', acceptCode: accept });
      expect(error.code).toBe(accept === 5 ? 'SERVER_BUSY' : 'TOOL_FAILED');
      await peer?.close();
      peer = null;
    }
  });

  it('a truncated Accept-Session and close → connection-closed at accept-session', async () => {
    const { error } = await runAgainst(async (io) => {
      await acceptSetup(io);
      await readRequest(io);
      io.write(encodeAcceptSession(0, 9000, Buffer.alloc(16, 1)).subarray(0, 20));
      io.socket.end();
    });
    expect(error).toMatchObject({ reason: 'connection-closed', step: 'accept-session' });
  });

  it('an Accept-Session with port 0 → protocol-violation', async () => {
    const { error } = await runAgainst(async (io) => {
      await acceptSetup(io);
      await readRequest(io);
      io.write(encodeAcceptSession(0, 0, Buffer.alloc(16, 1)));
    });
    expect(error.reason).toBe('protocol-violation');
  });

  it('Start-Ack stalling or refusing', async () => {
    const stalled = await runAgainst(async (io) => {
      await acceptSetup(io);
      await readRequest(io);
      io.write(encodeAcceptSession(0, 9, Buffer.alloc(16, 1)));
      await io.read(32);
      await io.closed(5000);
    });
    expect(stalled.error).toMatchObject({ reason: 'timeout', step: 'start-ack' });
    await peer?.close();
    const refused = await runAgainst(async (io) => {
      await acceptSetup(io);
      await readRequest(io);
      io.write(encodeAcceptSession(0, 9, Buffer.alloc(16, 1)));
      await io.read(32);
      io.write(encodeStartAck(2));
    });
    expect(refused.error).toMatchObject({ reason: 'start-refused', acceptCode: 2 });
  });

  it('garbage instead of a greeting (a flood) → a bounded, clear failure', async () => {
    const { error, ms } = await runAgainst(async (io) => {
      const junk = Buffer.alloc(1 << 20, 0xff);
      for (let i = 0; i < 8; i += 1) io.write(junk);
      await io.closed(3000);
    });
    expect(['server-refused', 'no-common-mode', 'timeout', 'connection-closed']).toContain(error.reason);
    expect(ms).toBeLessThan(3000);
  });
});

/** Plays a correct "to" session up to Start-Ack, then hands over to `after`. */
function toSessionThen(after: (io: PeerIO, sid: Buffer, packets: number) => Promise<void>) {
  return async (io: PeerIO) => {
    await acceptSetup(io);
    const request = await readRequest(io);
    const sid = Buffer.alloc(16, 0x5a);
    const sink = await udpSocket();
    io.write(encodeAcceptSession(0, sink.address().port, sid));
    await io.read(32);
    io.write(encodeStartAck(0));
    try {
      await after(io, sid, request.packetCount);
    } finally {
      sink.close();
    }
  };
}

describe('the test and the Stop-Sessions exchange', () => {
  it('a server that never sends Stop-Sessions → timeout at stop-sessions', async () => {
    const { error, ms } = await runAgainst(
      toSessionThen(async (io) => {
        await io.closed(10_000);
      }),
    );
    expect(error).toMatchObject({ reason: 'timeout', step: 'stop-sessions' });
    expect(ms).toBeLessThan(6000);
  });

  it('a Stop-Sessions describing sessions it does not have → protocol-violation', async () => {
    const { error } = await runAgainst(
      toSessionThen(async (io) => {
        io.write(encodeStopSessions(0, [{ sid: Buffer.alloc(16, 1), nextSeqno: 1, skips: [] }]));
        await io.closed(3000);
      }),
    );
    expect(error.reason).toBe('protocol-violation');
    expect(error.message).toMatch(/describes 1 sessions, expected 0/);
  });

  it('a Stop-Sessions with an unknown SID or an out-of-range Next Seqno → protocol-violation', async () => {
    for (const make of [
      (sid: Buffer) => ({ sid: Buffer.from(sid.map((b) => b ^ 1)), nextSeqno: 5, skips: [] }),
      (sid: Buffer) => ({ sid, nextSeqno: 6, skips: [] }),
    ]) {
      const { error } = await runAgainst(
        async (io) => {
          await acceptSetup(io);
          const request = await readRequest(io);
          const sink = await udpSocket();
          io.write(encodeAcceptSession(0, sink.address().port, request.sid));
          await io.read(32);
          io.write(encodeStartAck(0));
          io.write(encodeStopSessions(0, [make(request.sid)]));
          await io.closed(3000);
          sink.close();
        },
        { direction: 'from' },
      );
      expect(error.reason).toBe('protocol-violation');
      await peer?.close();
      peer = null;
    }
  });

  it('a Stop-Sessions claiming billions of skip ranges is refused without reading them', async () => {
    const { error } = await runAgainst(
      async (io) => {
        await acceptSetup(io);
        const request = await readRequest(io);
        const sink = await udpSocket();
        io.write(encodeAcceptSession(0, sink.address().port, request.sid));
        await io.read(32);
        io.write(encodeStartAck(0));
        const record = encodeStopRecord({ sid: request.sid, nextSeqno: 5, skips: [] });
        record.writeUInt32BE(0xfffffff0, 20);
        io.write(Buffer.concat([encodeStopSessionsHeader(0, 1), record]));
        await io.closed(3000);
        sink.close();
      },
      { direction: 'from' },
    );
    expect(error.reason).toBe('protocol-violation');
    expect(error.message).toMatch(/out of range/);
  });

  it('a Stop-Sessions with Accept ≠ 0 → the results are declared invalid', async () => {
    const { error } = await runAgainst(
      toSessionThen(async (io) => {
        io.write(encodeStopSessions(2, []));
        await io.closed(3000);
      }),
    );
    expect(error).toMatchObject({ reason: 'stopped-with-error', acceptCode: 2 });
  });
});

describe('Fetch-Session', () => {
  /** A correct "to" session whose fetch reply is produced by `reply`. */
  const fetchScript = (reply: (io: PeerIO, sid: Buffer, request: ReturnType<typeof decodeSessionRequestFixed>) => Promise<void>) => async (io: PeerIO) => {
    await acceptSetup(io);
    const request = await readRequest(io);
    const sid = Buffer.alloc(16, 0x5a);
    const sink = await udpSocket();
    io.write(encodeAcceptSession(0, sink.address().port, sid));
    await io.read(32);
    io.write(encodeStartAck(0));
    io.write(encodeStopSessions(0, []));
    await io.read(64, 5000); // the client's Stop-Sessions (one session)
    await io.read(48, 5000); // Fetch-Session
    try {
      await reply(io, sid, { ...request, sid, receiverPort: sink.address().port });
    } finally {
      sink.close();
    }
  };
  const description = (request: ReturnType<typeof decodeSessionRequestFixed>) => encodeRequestSession(request, periodicSchedule(0.02));

  it('a refused fetch → fetch-refused', async () => {
    const { error } = await runAgainst(
      fetchScript(async (io) => {
        io.write(encodeFetchAck({ accept: 1, finished: false, nextSeqno: 0, skipCount: 0, recordCount: 0 }));
      }),
    );
    expect(error).toMatchObject({ reason: 'fetch-refused', step: 'fetch-ack' });
  });

  it('a Fetch-Ack announcing a billion records is refused before anything is allocated', async () => {
    const { error } = await runAgainst(
      fetchScript(async (io) => {
        io.write(encodeFetchAck({ accept: 0, finished: true, nextSeqno: 5, skipCount: 0, recordCount: 1_000_000_000 }));
        await io.closed(3000);
      }),
    );
    expect(error.reason).toBe('protocol-violation');
    expect(error.message).toMatch(/1000000000 records/);
  });

  it('records cut off mid-stream → connection-closed at fetch-data', async () => {
    const { error } = await runAgainst(
      fetchScript(async (io, _sid, request) => {
        io.write(encodeFetchAck({ accept: 0, finished: true, nextSeqno: 5, skipCount: 0, recordCount: 5 }));
        io.write(description(request));
        io.write(Buffer.alloc(16));
        io.write(Buffer.alloc(40));
        io.socket.end();
      }),
    );
    expect(error).toMatchObject({ reason: 'connection-closed', step: 'fetch-data' });
  });

  it('records for another session, or for packets never sent → protocol-violation', async () => {
    for (const variant of ['other-sid', 'bad-seq'] as const) {
      const { error } = await runAgainst(
        fetchScript(async (io, sid, request) => {
          const records = Buffer.alloc(32 + 16);
          encodeDataRecord({ seq: variant === 'bad-seq' ? 77 : 0, sendError: 1, recvError: 1, sendTime: request.startTime, recvTime: request.startTime + 1000n, ttl: 64 }, records, 0);
          io.write(encodeFetchAck({ accept: 0, finished: true, nextSeqno: 5, skipCount: 0, recordCount: 1 }));
          io.write(description(variant === 'other-sid' ? { ...request, sid: Buffer.alloc(16, 1) } : { ...request, sid }));
          io.write(Buffer.alloc(16));
          io.write(records);
          await io.closed(3000);
        }),
      );
      expect(error.reason).toBe('protocol-violation');
      await peer?.close();
      peer = null;
    }
  });
});

describe('forged test packets to our receiver', () => {
  it('counts and discards them; the genuine packets still make a clean session', async () => {
    peer = await scriptedServer(async (io) => {
      await acceptSetup(io);
      const request = await readRequest(io);
      const sender = await udpSocket();
      const forger = await udpSocket();
      io.write(encodeAcceptSession(0, sender.address().port, request.sid));
      await io.read(32);
      io.write(encodeStartAck(0));
      const send = (socket: typeof sender, packet: Buffer) => socket.send(packet, request.receiverPort, '127.0.0.1');
      const scheduled = (seq: number) => request.startTime + BigInt(seq + 1) * secondsToInterval(0.02);
      await sleep(80);
      for (let seq = 0; seq < 5; seq += 1) send(sender, encodeTestPacket({ seq, timestamp: scheduled(seq), errorEstimate: 1 }));
      send(forger, encodeTestPacket({ seq: 1, timestamp: scheduled(1), errorEstimate: 1 }));
      send(sender, encodeTestPacket({ seq: 999, timestamp: scheduled(2), errorEstimate: 1 }));
      send(sender, Buffer.concat([encodeTestPacket({ seq: 2, timestamp: scheduled(2), errorEstimate: 1 }), Buffer.alloc(3)]));
      send(sender, encodeTestPacket({ seq: 3, timestamp: scheduled(3), errorEstimate: 0 }));
      send(sender, encodeTestPacket({ seq: 4, timestamp: scheduled(4) + secondsToInterval(5), errorEstimate: 1 }));
      send(sender, encodeTestPacket({ seq: 4, timestamp: scheduled(4), errorEstimate: 1 }));
      await io.read(32, 5000); // client's Stop-Sessions: no send sessions
      io.write(encodeStopSessions(0, [{ sid: request.sid, nextSeqno: 5, skips: [] }]));
      await io.closed(3000);
      sender.close();
      forger.close();
    });
    const result = await runOwamp({ host: '127.0.0.1', port: peer.port, direction: 'from', ...FAST, lossTimeoutSeconds: 1 });
    const session = result.sessions[0]!;
    expect(session.direction).toBe('from');
    expect(session.summary).toMatchObject({ sent: 5, lost: 0, duplicates: 1 });
    expect(session.discarded).toMatchObject({
      'wrong-source': 1,
      'seq-out-of-range': 1,
      'wrong-length': 1,
      'invalid-error-estimate': 1,
      'send-time-vs-receive-time': 1,
    });
    expect(session.summary.hops.reported).toBe(false);
  });
});

describe('input validation before any traffic', () => {
  it('refuses bad options with INVALID_INPUT', async () => {
    await expect(runOwamp({ host: '-oops', direction: 'to' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runOwamp({ host: '127.0.0.1', packets: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runOwamp({ host: '127.0.0.1', paddingLength: 70_000 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runOwamp({ host: '127.0.0.1', direction: 'to', dscp: 46 })).rejects.toMatchObject({ code: 'INVALID_INPUT', reason: 'unsupported' });
    await expect(runOwamp({ host: '127.0.0.1', testPortRange: [9000, 8000] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a closed port → CONNECTION_REFUSED', async () => {
    const probe = await scriptedServer(async () => undefined);
    const port = probe.port;
    await probe.close();
    await expect(runOwamp({ host: '127.0.0.1', port, direction: 'to', ...FAST })).rejects.toMatchObject({ code: 'CONNECTION_REFUSED', reason: 'connect-failed' });
  });
});
