import { plainAddress, ipVersionOf } from '../oneway/address.ts';
import { createClock, type Clock, type ClockOptions } from '../oneway/clock.ts';
import type { ControlChannel } from '../oneway/control/channel.ts';
import { COMMAND, decodeStopSessionsHeader, encodeAcceptSession, encodeStartAck, START_SESSIONS_LENGTH, BLOCK, type SessionRequest } from '../oneway/control/codec.ts';
import { DEFAULT_CONTROL_TIMEOUTS, serverHandshake, type ControlTimeouts } from '../oneway/control/handshake.ts';
import { listenControl, type ListenerHandle } from '../oneway/control/listener.ts';
import { ACCEPT, OnewayError } from '../oneway/errors.ts';
import { intervalToNs, ntpDiffNs, roughNow, unixNsToNtp } from '../oneway/ntp.ts';
import type { RecordLog } from '../oneway/records.ts';
import {
  BoundedMap,
  checkRequestLimits,
  DEFAULT_RESPONDER_LIMITS,
  HARD_MAX_SLOTS,
  isRefusal,
  PacketBudget,
  resolveTestPeer,
  type ResponderEvent,
  type ResponderLimits,
} from '../oneway/responder.ts';
import { meanInterval, Schedule, scheduleLastOffset, type ScheduleSlot } from '../oneway/schedule.ts';
import { runSendLoop, type SendLoopOutcome } from '../oneway/send-loop.ts';
import { generateSid } from '../oneway/sid.ts';
import { bindTestSocket, closeSocket, connectSocket, validatePortRange, type BoundSocket, type PortRange } from '../oneway/udp.ts';
import { allocateTestPacket, decodeFetchSession, FETCH_SESSION_LENGTH, writeTestPacketHeader, type SkipRange, type StopRecord } from './codec.ts';
import { encodeStopSessions, readRequestSessionRest, readStopSessionsBody, writeFetchReply } from './control.ts';
import { OwampReceiver } from './receiver.ts';

/**
 * An OWAMP server (RFC 4656), unauthenticated mode only: receives test sessions ("owping -t"),
 * sends them ("owping -f"), and answers Fetch-Session for what it received, from the same or a
 * later connection. Test peers are limited to the control connection's address (no third-party
 * tests), and every request is checked against `limits` before a port is bound.
 */

export interface OwampServerOptions {
  /** Address to listen on; default loopback. */
  host?: string;
  /** TCP port; default 861. 0 picks a free one. */
  port?: number;
  /** UDP ports for test sessions; null (default) = ephemeral. owampd uses 8760-9960. */
  testPortRange?: PortRange | null;
  limits?: Partial<ResponderLimits>;
  clock?: ClockOptions;
  /** Extra wait after our last packet + timeout before our Stop-Sessions (owampd "enddelay"). */
  endDelayMs?: number;
  onEvent?(event: ResponderEvent): void;
}

export interface OwampServerHandle {
  host: string;
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

export const OWAMP_PORT = 861;

interface FinishedSession {
  request: SessionRequest;
  slots: ScheduleSlot[];
  nextSeqno: number;
  skips: SkipRange[];
  log: RecordLog;
  /** False when the session ended abnormally: a full Fetch-Session is refused. */
  valid: boolean;
}

interface ServerSession {
  sid: Buffer;
  sidHex: string;
  role: 'receiver' | 'sender';
  /** The request with actual addresses, ports and SID filled in (what Fetch-Session returns). */
  request: SessionRequest;
  slots: ScheduleSlot[];
  bound: BoundSocket;
  peer: { address: string; port: number };
  receiver: OwampReceiver | null;
  sendOutcome: SendLoopOutcome | null;
}

interface ServerContext {
  limits: ResponderLimits;
  timeouts: ControlTimeouts;
  testPortRange: PortRange | null;
  clockOptions: ClockOptions;
  endDelayMs: number;
  startTime: bigint;
  results: BoundedMap<FinishedSession>;
  packets: PacketBudget;
  emit(event: ResponderEvent): void;
}

export async function startOwampServer(options: OwampServerOptions = {}): Promise<OwampServerHandle> {
  const limits = { ...DEFAULT_RESPONDER_LIMITS, ...options.limits };
  const context: ServerContext = {
    limits,
    timeouts: { ...DEFAULT_CONTROL_TIMEOUTS, reply: limits.replyTimeoutMs, write: limits.writeTimeoutMs },
    testPortRange: validatePortRange(options.testPortRange ?? null),
    clockOptions: options.clock ?? {},
    endDelayMs: options.endDelayMs ?? 1000,
    startTime: unixNsToNtp(BigInt(Date.now()) * 1_000_000n),
    results: new BoundedMap<FinishedSession>(limits.resultRetention),
    packets: new PacketBudget(limits.maxTotalPackets),
    emit: (event) => {
      try {
        options.onEvent?.(event);
      } catch {
        // a listener's problem is not the server's
      }
    },
  };
  const listener: ListenerHandle = await listenControl({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? OWAMP_PORT,
    maxConnections: limits.maxConnections,
    label: 'OWAMP server',
    handle: (channel) => new OwampConnection(context, channel).run(),
    onError: (error, peer) => context.emit({ type: 'connection-closed', peer, reason: (error as Error).message ?? String(error) }),
  });
  return {
    host: listener.host,
    port: listener.port,
    get connections() {
      return listener.connections;
    },
    close: () => listener.close(),
  };
}

class OwampConnection {
  readonly #ctx: ServerContext;
  readonly #channel: ControlChannel;
  readonly #peer: string;
  #sessions: ServerSession[] = [];

  constructor(ctx: ServerContext, channel: ControlChannel) {
    this.#ctx = ctx;
    this.#channel = channel;
    this.#peer = `${plainAddress(channel.remoteAddress)}:${channel.socket.remotePort ?? '?'}`;
  }

  async run(): Promise<void> {
    const ctx = this.#ctx;
    ctx.emit({ type: 'connection', peer: this.#peer });
    let reason = 'client closed the connection';
    try {
      if (!(await serverHandshake(this.#channel, ctx.startTime, ctx.timeouts))) {
        reason = 'client declined the offered mode';
        return;
      }
      for (;;) {
        const block = await this.#channel.read(BLOCK, ctx.limits.idleTimeoutMs, 'command');
        const command = block.readUInt8(0);
        if (command === COMMAND.requestSession) await this.#requestSession(block);
        else if (command === COMMAND.startSessions) await this.#startSessions();
        else if (command === COMMAND.fetchSession) await this.#fetchSession(block);
        else {
          throw new OnewayError('protocol-violation', `Unexpected command ${command} from the ${this.#channel.peerLabel}.`, { step: 'command' });
        }
      }
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof OnewayError && error.reason === 'connection-closed')) throw error;
    } finally {
      this.#endSessions(this.#sessions);
      this.#sessions = [];
      ctx.emit({ type: 'connection-closed', peer: this.#peer, reason });
    }
  }

  #endSessions(sessions: readonly ServerSession[]): void {
    for (const session of sessions) {
      closeSocket(session.bound.socket);
      this.#ctx.packets.release(session.request.packetCount);
    }
  }

  async #refuse(accept: number, reason: string): Promise<void> {
    this.#ctx.emit({ type: 'session-refused', peer: this.#peer, accept, reason });
    await this.#channel.write(encodeAcceptSession(accept, 0, null), this.#ctx.timeouts.write, 'accept-session');
  }

  async #requestSession(firstBlock: Buffer): Promise<void> {
    const { limits, timeouts } = this.#ctx;
    const { request, slots } = await readRequestSessionRest(this.#channel, firstBlock, HARD_MAX_SLOTS, timeouts.reply);
    const localAddress = plainAddress(this.#channel.localAddress);
    if (this.#sessions.length >= limits.maxSessionsPerConnection) return this.#refuse(ACCEPT.temporaryLimit, 'too many sessions on one connection');
    if (request.confSender === request.confReceiver) return this.#refuse(ACCEPT.notSupported, 'exactly one of Conf-Sender / Conf-Receiver must be set');
    if (slots.length === 0 || slots.length > limits.maxSlots) return this.#refuse(ACCEPT.notSupported, `${slots.length} schedule slots`);
    if (request.ipVersion !== ipVersionOf(localAddress)) return this.#refuse(ACCEPT.notSupported, `IPv${request.ipVersion} test over an IPv${ipVersionOf(localAddress)} control connection`);
    const limit = checkRequestLimits(request, limits, meanInterval(slots), roughNow());
    if (limit) return this.#refuse(limit.accept, limit.reason);

    const role = request.confReceiver ? 'receiver' : 'sender';
    const peer = resolveTestPeer(role === 'receiver' ? request.senderAddress : request.receiverAddress, this.#channel);
    if (isRefusal(peer)) return this.#refuse(peer.accept, peer.reason);
    const peerPort = role === 'receiver' ? request.senderPort : request.receiverPort;
    if (peerPort === 0) return this.#refuse(ACCEPT.failure, 'no client test port');
    if (role === 'sender' && request.typeP !== 0) {
      return this.#refuse(ACCEPT.notSupported, 'DSCP/PHB marking requested: Node.js cannot set the TOS byte of test packets');
    }
    const overBudget = this.#ctx.packets.take(request.packetCount);
    if (overBudget) return this.#refuse(overBudget.accept, overBudget.reason);
    let bound: BoundSocket;
    try {
      bound = await bindTestSocket(localAddress, this.#ctx.testPortRange);
    } catch {
      this.#ctx.packets.release(request.packetCount);
      return this.#refuse(ACCEPT.temporaryLimit, 'no free test port');
    }
    const sid = role === 'receiver' || request.sid.every((b) => b === 0) ? generateSid(role === 'receiver' ? localAddress : peer.address, roughNow()) : request.sid;
    const filled: SessionRequest = {
      ...request,
      sid,
      senderAddress: role === 'receiver' ? peer.address : localAddress,
      receiverAddress: role === 'receiver' ? localAddress : peer.address,
      senderPort: role === 'receiver' ? peerPort : bound.port,
      receiverPort: role === 'receiver' ? bound.port : peerPort,
    };
    const session: ServerSession = {
      sid,
      sidHex: sid.toString('hex'),
      role,
      request: filled,
      slots,
      bound,
      peer: { address: peer.address, port: peerPort },
      receiver: null,
      sendOutcome: null,
    };
    this.#sessions.push(session);
    try {
      await this.#channel.write(encodeAcceptSession(ACCEPT.ok, bound.port, sid), this.#ctx.timeouts.write, 'accept-session');
    } catch (error) {
      closeSocket(bound.socket);
      throw error;
    }
    this.#ctx.emit({ type: 'session-accepted', peer: this.#peer, sid: session.sidHex, role, port: bound.port, packets: request.packetCount });
  }

  async #startSessions(): Promise<void> {
    const ctx = this.#ctx;
    await this.#channel.read(START_SESSIONS_LENGTH - BLOCK, ctx.timeouts.reply, 'start-sessions');
    if (this.#sessions.length === 0) {
      await this.#channel.write(encodeStartAck(ACCEPT.failure), ctx.timeouts.write, 'start-ack');
      return;
    }
    await this.#channel.write(encodeStartAck(ACCEPT.ok), ctx.timeouts.write, 'start-ack');
    const clock = createClock(ctx.clockOptions);
    const sessions = this.#sessions;
    try {
      await this.#runTest(clock, sessions);
    } finally {
      this.#endSessions(sessions);
      this.#sessions = [];
    }
  }

  async #runTest(clock: Clock, sessions: ServerSession[]): Promise<void> {
    const ctx = this.#ctx;
    const stopSenders = new AbortController();
    const receivers: ServerSession[] = sessions.filter((s) => s.role === 'receiver');
    const senders: ServerSession[] = sessions.filter((s) => s.role === 'sender');
    for (const session of receivers) {
      const receiver = new OwampReceiver({
        sid: session.sid,
        slots: session.slots,
        packetCount: session.request.packetCount,
        startTime: session.request.startTime,
        timeout: session.request.timeout,
        paddingLength: session.request.paddingLength,
        receiveErrorEstimate: clock.errorEstimate,
        expectedPeer: session.peer,
      });
      session.receiver = receiver;
      session.bound.socket.on('message', (datagram, rinfo) => receiver.handle(datagram, rinfo, clock.now()));
    }
    const sendRuns = senders.map(async (session) => {
      const template = allocateTestPacket(session.request.paddingLength, 'random');
      await connectSocket(session.bound, session.peer.port, session.peer.address);
      session.sendOutcome = await runSendLoop({
        clock,
        schedule: new Schedule(session.sid, session.slots, session.request.packetCount),
        packetCount: session.request.packetCount,
        startTime: session.request.startTime,
        timeout: session.request.timeout,
        signal: stopSenders.signal,
        prepare: () => Buffer.from(template),
        transmit: (seq, timestamp, packet) => {
          writeTestPacketHeader(packet, seq, timestamp, clock.errorEstimate);
          session.bound.socket.send(packet);
        },
      });
      // Let the receiver see the tail before we say we stopped (RFC 4656 §3.8).
      const settle = session.sendOutcome.lastScheduled + session.request.timeout;
      await waitUntilNtp(clock, settle, ctx.endDelayMs, stopSenders.signal);
    });
    const flushTimer = setInterval(() => {
      const now = clock.now();
      for (const session of receivers) session.receiver?.flushLost(now);
    }, 50);

    let stopSentByUs = false;
    const sendOurStop = async () => {
      if (stopSentByUs) return;
      stopSentByUs = true;
      const records: StopRecord[] = senders.map((s) => ({ sid: s.sid, nextSeqno: s.sendOutcome?.nextSeqno ?? 0, skips: s.sendOutcome?.skips ?? [] }));
      await this.#channel.write(encodeStopSessions(ACCEPT.ok, records), ctx.timeouts.write, 'stop-sessions');
    };

    try {
      const expectedEnd = sessions.reduce((latest, s) => {
        const end = s.request.startTime + scheduleLastOffset(s.sid, s.slots, s.request.packetCount) + s.request.timeout;
        return end > latest ? end : latest;
      }, clock.now());
      const waitMs = Math.max(0, Number(ntpDiffNs(expectedEnd, clock.now())) / 1e6) + ctx.endDelayMs + ctx.limits.stopGraceMs;
      const clientStop = this.#channel.read(BLOCK, waitMs, 'stop-sessions').then(
        (block) => ({ block, at: clock.now() }),
        (error: unknown) => ({ error }),
      );
      const localDone = (async () => {
        await Promise.all(sendRuns);
        while (!stopSenders.signal.aborted && receivers.some((s) => !s.receiver?.complete)) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const first = await Promise.race([clientStop.then(() => 'client' as const), localDone.then(() => 'local' as const)]);
      if (first === 'local') await sendOurStop();
      const stop = await clientStop;
      if ('error' in stop) throw stop.error;
      stopSenders.abort();
      await Promise.all(sendRuns);
      const header = decodeStopSessionsHeader(stop.block);
      const expected = new Map(receivers.map((s) => [s.sidHex, s.request.packetCount] as const));
      const records = await readStopSessionsBody(this.#channel, header, expected, ctx.timeouts.reply);
      await sendOurStop();
      for (const session of receivers) {
        const receiver = session.receiver as OwampReceiver;
        const record = records.get(session.sidHex) ?? null;
        receiver.finish(record, stop.at);
        this.#publish(session, receiver.log, record?.nextSeqno ?? session.request.packetCount, record?.skips ?? [], header.accept === ACCEPT.ok);
      }
    } catch (error) {
      for (const session of receivers) {
        if (session.receiver) this.#publish(session, session.receiver.log, 0, [], false);
      }
      throw error;
    } finally {
      clearInterval(flushTimer);
      stopSenders.abort();
    }
  }

  #publish(session: ServerSession, log: RecordLog, nextSeqno: number, skips: SkipRange[], valid: boolean): void {
    this.#ctx.results.set(session.sidHex, { request: session.request, slots: session.slots, nextSeqno, skips, log, valid });
    let lost = 0;
    for (let i = 0; i < log.length; i += 1) if (log.isLost(i)) lost += 1;
    this.#ctx.emit({ type: 'session-finished', peer: this.#peer, sid: session.sidHex, received: log.length - lost, lost, sent: nextSeqno });
  }

  async #fetchSession(firstBlock: Buffer): Promise<void> {
    const ctx = this.#ctx;
    const rest = await this.#channel.read(FETCH_SESSION_LENGTH - BLOCK, ctx.timeouts.reply, 'fetch-session');
    const fetch = decodeFetchSession(Buffer.concat([firstBlock, rest]));
    const result = ctx.results.get(fetch.sid.toString('hex'));
    const whole = fetch.beginSeq === 0 && fetch.endSeq === 0xffff_ffff;
    const refused = { accept: ACCEPT.failure, finished: false, nextSeqno: 0, skipCount: 0, recordCount: 0 };
    if (!result || (whole && !result.valid) || fetch.beginSeq > fetch.endSeq) {
      await writeFetchReply(this.#channel, { ack: refused }, ctx.timeouts.write);
      return;
    }
    let count = 0;
    for (let i = 0; i < result.log.length; i += 1) {
      const seq = result.log.seqAt(i);
      if (seq >= fetch.beginSeq && seq <= fetch.endSeq) count += 1;
    }
    await writeFetchReply(
      this.#channel,
      {
        ack: { accept: ACCEPT.ok, finished: true, nextSeqno: result.nextSeqno, skipCount: result.skips.length, recordCount: count },
        request: result.request,
        slots: result.slots,
        skips: result.skips,
        records: result.log,
        range: [fetch.beginSeq, fetch.endSeq],
      },
      ctx.timeouts.write,
    );
  }
}

async function waitUntilNtp(clock: Clock, time: bigint, extraMs: number, signal: AbortSignal): Promise<void> {
  const ms = Math.max(0, Number(intervalToNs(time > clock.now() ? time - clock.now() : 0n)) / 1e6) + extraMs;
  if (signal.aborted || ms <= 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
