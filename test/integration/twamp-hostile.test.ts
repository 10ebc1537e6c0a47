import type dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSessionRequestFixed, encodeAcceptSession, encodeStartAck } from '../../electron/core/measure/oneway/control/codec.ts';
import { OnewayError } from '../../electron/core/measure/oneway/errors.ts';
import { periodicSchedule } from '../../electron/core/measure/oneway/schedule.ts';
import { decodeTestPacket } from '../../electron/core/measure/owamp/codec.ts';
import { buildReflectedPacket, stampReflectedPacket } from '../../electron/core/measure/twamp/codec.ts';
import { runTwamp, runTwampLight, type TwampLightOptions } from '../../electron/core/measure/twamp/client.ts';
import { acceptSetup, scriptedServer, sleep, udpSocket, type ScriptedServer } from './owamp-fake-peer.ts';

/** Our TWAMP sender against reflectors that forge, delay, duplicate or break packets. */

type Reply = (packet: Buffer, seq: number) => Array<{ data: Buffer; delayMs?: number; fromSpare?: boolean }>;

const sockets: dgram.Socket[] = [];
let control: ScriptedServer | null = null;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await control?.close();
  control = null;
});

/** A reflector on loopback that answers each sender packet as `reply` says. */
async function fakeReflector(reply: Reply): Promise<number> {
  const socket = await udpSocket();
  const spare = await udpSocket();
  sockets.push(socket, spare);
  socket.on('message', (packet, rinfo) => {
    const seq = packet.readUInt32BE(0);
    for (const { data, delayMs, fromSpare } of reply(packet, seq)) {
      const send = () => (fromSpare ? spare : socket).send(data, rinfo.port, rinfo.address);
      if (delayMs) setTimeout(send, delayMs);
      else send();
    }
  });
  return socket.address().port;
}

/** An honest reflection of `packet`, then optionally altered. */
function reflect(packet: Buffer, seq: number, alter?: (out: Buffer) => void): Buffer {
  const out = buildReflectedPacket(packet, { seq, receiveTimestamp: decodeTestPacket(packet)!.timestamp + 1000n, senderTtl: 255 });
  stampReflectedPacket(out, decodeTestPacket(packet)!.timestamp + 2000n, 0x0001);
  alter?.(out);
  return out;
}

const OPTIONS: Partial<TwampLightOptions> = { packets: 10, schedule: periodicSchedule(0.005), lossTimeoutSeconds: 0.15, startDelaySeconds: 0.02, paddingLength: 27 };

async function light(reply: Reply, options: Partial<TwampLightOptions> = {}) {
  const port = await fakeReflector(reply);
  return runTwampLight({ host: '127.0.0.1', port, ...OPTIONS, ...options });
}

describe('forged and broken reflections', () => {
  it('a forged sender timestamp is rejected: the packet counts as lost', async () => {
    const result = await light((p, seq) => [{ data: reflect(p, seq, (out) => seq % 2 === 0 && out.writeBigUInt64BE(0x1234n, 28)) }]);
    expect(result.summary).toMatchObject({ sent: 10, lost: 5 });
    expect(result.discarded['sender-timestamp-mismatch']).toBe(5);
  });

  it('too-short replies, replies for packets never sent, and invalid error estimates are discarded', async () => {
    const result = await light((p, seq) => {
      if (seq === 0) return [{ data: reflect(p, seq).subarray(0, 20) }];
      if (seq === 1) return [{ data: reflect(p, seq, (out) => out.writeUInt32BE(999, 24)) }];
      if (seq === 2) return [{ data: reflect(p, seq, (out) => out.writeUInt16BE(0x0000, 12)) }];
      return [{ data: reflect(p, seq) }];
    });
    expect(result.discarded).toMatchObject({ 'too-short': 1, 'seq-not-sent': 1, 'invalid-error-estimate': 1 });
    expect(result.summary).toMatchObject({ sent: 10, lost: 3 });
  });

  it('late reflections are lost, not measured', async () => {
    const result = await light((p, seq) => [{ data: reflect(p, seq), delayMs: seq < 3 ? 400 : 0 }], { lossTimeoutSeconds: 0.1 });
    expect(result.summary.lost).toBe(3);
    await sleep(450);
    expect(result.summary.rtt.max).toBeLessThan(0.1);
  });

  it('counts reflect duplicates and send duplicates the way twping does', async () => {
    let counter = 0;
    const reflectDup = await light((p, seq) => [{ data: reflect(p, seq) }, { data: reflect(p, seq) }]);
    expect(reflectDup.summary).toMatchObject({ sent: 10, lost: 0, reflectDuplicates: 10, sendDuplicates: 0 });
    const sendDup = await light((p) => [{ data: reflect(p, counter++) }, { data: reflect(p, counter++) }]);
    expect(sendDup.summary).toMatchObject({ sent: 10, lost: 0, sendDuplicates: 10, reflectDuplicates: 0 });
  });

  it('a reply flood stays within the record cap', async () => {
    const result = await light((p, seq) => Array.from({ length: 120 }, () => ({ data: reflect(p, seq) })), { packets: 10 });
    expect(result.records.length).toBeLessThanOrEqual(10 * 4 + 1024);
    expect(result.discarded['record-limit']).toBeGreaterThan(0);
    // every packet still has its record (reflected or lost), however full the log got
    expect(result.summary.sent).toBe(10);
  });

  it('replies from another port never reach the measurement', async () => {
    const result = await light((p, seq) => [{ data: reflect(p, seq), fromSpare: true }]);
    expect(result.summary).toMatchObject({ sent: 10, lost: 10 });
  });
});

describe('TWAMP-Control misbehaviour', () => {
  async function twampServer(after: (io: Parameters<Parameters<typeof scriptedServer>[0]>[0], port: number) => Promise<void>) {
    control = await scriptedServer(async (io) => {
      await acceptSetup(io);
      const request = decodeSessionRequestFixed(await io.read(112));
      await after(io, request.senderPort);
    });
    return control.port;
  }
  const FAST = { packets: 5, schedule: periodicSchedule(0.01), lossTimeoutSeconds: 0.2, startDelaySeconds: 0.02, endDelaySeconds: 0, timeouts: { reply: 400 } };

  it('a refused session and a stalled Start-Ack are typed errors', async () => {
    const refused = await twampServer(async (io) => {
      io.write(encodeAcceptSession(4, 0, null));
    });
    await expect(runTwamp({ host: '127.0.0.1', port: refused, ...FAST })).rejects.toMatchObject({ reason: 'session-refused', code: 'SERVER_BUSY' });
    await control?.close();
    const stalled = await twampServer(async (io) => {
      io.write(encodeAcceptSession(0, 9999, Buffer.alloc(16, 1)));
      await io.read(32);
      await io.closed(5000);
    });
    await expect(runTwamp({ host: '127.0.0.1', port: stalled, ...FAST })).rejects.toMatchObject({ reason: 'timeout', step: 'start-ack' });
  });

  it('a server that talks or hangs up during the test ends the run with a clear reason', async () => {
    for (const misbehave of ['talk', 'hang-up'] as const) {
      const reflectorPort = await fakeReflector((p, seq) => [{ data: reflect(p, seq) }]);
      const port = await twampServer(async (io) => {
        io.write(encodeAcceptSession(0, reflectorPort, Buffer.alloc(16, 1)));
        await io.read(32);
        io.write(encodeStartAck(0));
        await sleep(40);
        if (misbehave === 'talk') io.write(Buffer.alloc(16, 0xee));
        else io.socket.destroy();
        await io.closed(3000);
      });
      const error = await runTwamp({ host: '127.0.0.1', port, ...FAST, packets: 50 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OnewayError);
      expect((error as OnewayError).reason).toBe(misbehave === 'talk' ? 'protocol-violation' : 'connection-closed');
      await control?.close();
      control = null;
    }
  });
});
