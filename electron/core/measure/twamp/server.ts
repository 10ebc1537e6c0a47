import { ipVersionOf, plainAddress } from '../oneway/address.ts';
import { createClock, type ClockOptions } from '../oneway/clock.ts';
import type { ControlChannel } from '../oneway/control/channel.ts';
import {
  BLOCK,
  COMMAND,
  decodeSessionRequestFixed,
  decodeStopSessionsHeader,
  encodeAcceptSession,
  encodeStartAck,
  HMAC_LENGTH,
  SESSION_REQUEST_FIXED_LENGTH,
  START_SESSIONS_LENGTH,
} from '../oneway/control/codec.ts';
import { DEFAULT_CONTROL_TIMEOUTS, serverHandshake, type ControlTimeouts } from '../oneway/control/handshake.ts';
import { listenControl } from '../oneway/control/listener.ts';
import { ACCEPT, OnewayError } from '../oneway/errors.ts';
import { intervalToNs, roughNow, unixNsToNtp } from '../oneway/ntp.ts';
import { checkRequestLimits, DEFAULT_RESPONDER_LIMITS, isRefusal, resolveTestPeer, type ResponderEvent, type ResponderLimits } from '../oneway/responder.ts';
import { generateSid } from '../oneway/sid.ts';
import { bindTestSocket, closeSocket, validatePortRange, type BoundSocket, type PortRange } from '../oneway/udp.ts';
import { TEST_PACKET_LENGTH } from '../owamp/codec.ts';
import { TWAMP_PORT } from './codec.ts';
import { Reflector } from './reflector.ts';

/**
 * A TWAMP server (RFC 5357) with TWAMP-Control, unauthenticated mode only: accepts
 * Request-TW-Session, reflects between Start-Sessions and Stop-Sessions (+ the session's
 * Timeout, as the RFC asks), only for the control connection's host and the declared sender
 * port. The reflector port comes from `testPortRange` (like twampd, ignoring the requested one).
 */

export interface TwampServerOptions {
  host?: string;
  /** Default 862; 0 picks a free one. */
  port?: number;
  /** UDP ports for reflectors; null (default) = ephemeral. twampd uses 18760-19960. */
  testPortRange?: PortRange | null;
  limits?: Partial<ResponderLimits>;
  clock?: ClockOptions;
  /** REFWAIT: a session with no test packet for this long is ended (RFC default 900 s). */
  reflectorIdleMs?: number;
  onEvent?(event: ResponderEvent): void;
}

export interface TwampServerHandle {
  host: string;
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

interface TwSession {
  sidHex: string;
  bound: BoundSocket;
  reflector: Reflector | null;
  timeoutMs: number;
  peer: { address: string; port: number };
  paddingLength: number;
}

interface TwampContext {
  limits: ResponderLimits;
  timeouts: ControlTimeouts;
  testPortRange: PortRange | null;
  clockOptions: ClockOptions;
  reflectorIdleMs: number;
  startTime: bigint;
  emit(event: ResponderEvent): void;
}

export async function startTwampServer(options: TwampServerOptions = {}): Promise<TwampServerHandle> {
  const limits = { ...DEFAULT_RESPONDER_LIMITS, ...options.limits };
  const context: TwampContext = {
    limits,
    timeouts: { ...DEFAULT_CONTROL_TIMEOUTS, reply: limits.replyTimeoutMs, write: limits.writeTimeoutMs },
    testPortRange: validatePortRange(options.testPortRange ?? null),
    clockOptions: options.clock ?? {},
    reflectorIdleMs: options.reflectorIdleMs ?? 900_000,
    startTime: unixNsToNtp(BigInt(Date.now()) * 1_000_000n),
    emit: (event) => {
      try {
        options.onEvent?.(event);
      } catch {
        // ignore listener failures
      }
    },
  };
  const listener = await listenControl({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? TWAMP_PORT,
    maxConnections: limits.maxConnections,
    label: 'TWAMP server',
    handle: (channel) => serveTwampConnection(context, channel),
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

async function serveTwampConnection(ctx: TwampContext, channel: ControlChannel): Promise<void> {
  const peer = `${plainAddress(channel.remoteAddress)}:${channel.socket.remotePort ?? '?'}`;
  ctx.emit({ type: 'connection', peer });
  const sessions: TwSession[] = [];
  const lingering = new Map<NodeJS.Timeout, TwSession>();
  let reason = 'client closed the connection';
  try {
    if (!(await serverHandshake(channel, ctx.startTime, ctx.timeouts))) {
      reason = 'client declined the offered mode';
      return;
    }
    let testing = false;
    for (;;) {
      const block = await channel.read(BLOCK, ctx.limits.idleTimeoutMs, testing ? 'stop-sessions' : 'command');
      const command = block.readUInt8(0);
      if (!testing && command === COMMAND.requestTwSession) {
        await requestTwSession(ctx, channel, block, sessions, peer);
      } else if (!testing && command === COMMAND.startSessions) {
        await channel.read(START_SESSIONS_LENGTH - BLOCK, ctx.timeouts.reply, 'start-sessions');
        if (sessions.length === 0) {
          await channel.write(encodeStartAck(ACCEPT.failure), ctx.timeouts.write, 'start-ack');
          continue;
        }
        const clock = createClock(ctx.clockOptions);
        for (const session of sessions) {
          session.reflector = new Reflector({
            socket: session.bound.socket,
            clock,
            expectedPeer: session.peer,
            exactLength: TEST_PACKET_LENGTH + session.paddingLength,
            sequence: 'counter',
          });
        }
        await channel.write(encodeStartAck(ACCEPT.ok), ctx.timeouts.write, 'start-ack');
        testing = true;
        watchIdleReflectors(ctx, sessions, channel);
      } else if (testing && command === COMMAND.stopSessions) {
        const header = decodeStopSessionsHeader(block);
        await channel.read(HMAC_LENGTH, ctx.timeouts.reply, 'stop-sessions');
        // Keep reflecting for each session's Timeout after Stop-Sessions (RFC 5357 §3.8), then close.
        for (const session of sessions.splice(0)) {
          const timer = setTimeout(() => {
            lingering.delete(timer);
            session.reflector?.deactivate();
            closeSocket(session.bound.socket);
            ctx.emit({ type: 'session-finished', peer, sid: session.sidHex, received: session.reflector?.counters.reflected ?? 0, lost: 0, sent: 0 });
          }, session.timeoutMs);
          lingering.set(timer, session);
        }
        if (header.accept !== ACCEPT.ok) reason = `client stopped with Accept ${header.accept}`;
        testing = false;
      } else {
        throw new OnewayError('protocol-violation', `Unexpected command ${command} from the ${channel.peerLabel}${testing ? ' during the test' : ''}.`, { step: 'command' });
      }
    }
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
    if (!(error instanceof OnewayError && error.reason === 'connection-closed')) throw error;
  } finally {
    for (const [timer, session] of lingering) {
      clearTimeout(timer);
      closeSocket(session.bound.socket);
      ctx.emit({ type: 'session-finished', peer, sid: session.sidHex, received: session.reflector?.counters.reflected ?? 0, lost: 0, sent: 0 });
    }
    for (const session of sessions) closeSocket(session.bound.socket);
    ctx.emit({ type: 'connection-closed', peer, reason });
  }
}

async function requestTwSession(ctx: TwampContext, channel: ControlChannel, firstBlock: Buffer, sessions: TwSession[], peer: string): Promise<void> {
  const rest = await channel.read(SESSION_REQUEST_FIXED_LENGTH - BLOCK, ctx.timeouts.reply, 'request-session');
  const request = decodeSessionRequestFixed(Buffer.concat([firstBlock, rest]));
  const refuse = async (accept: number, why: string) => {
    ctx.emit({ type: 'session-refused', peer, accept, reason: why });
    await channel.write(encodeAcceptSession(accept, 0, null), ctx.timeouts.write, 'accept-session');
  };
  const localAddress = plainAddress(channel.localAddress);
  if (sessions.length >= ctx.limits.maxSessionsPerConnection) return refuse(ACCEPT.temporaryLimit, 'too many sessions on one connection');
  if (request.ipVersion !== ipVersionOf(localAddress)) return refuse(ACCEPT.notSupported, `IPv${request.ipVersion} test over an IPv${ipVersionOf(localAddress)} control connection`);
  const limit = checkRequestLimits(request, ctx.limits, null, roughNow());
  if (limit) return refuse(limit.accept, limit.reason);
  if (request.typeP !== 0) return refuse(ACCEPT.notSupported, 'DSCP/PHB marking requested: Node.js cannot set the TOS byte of reflected packets');
  const testPeer = resolveTestPeer(request.senderAddress, channel);
  if (isRefusal(testPeer)) return refuse(testPeer.accept, testPeer.reason);
  if (request.senderPort === 0) return refuse(ACCEPT.failure, 'no sender port');
  let bound: BoundSocket;
  try {
    bound = await bindTestSocket(localAddress, ctx.testPortRange);
  } catch {
    return refuse(ACCEPT.temporaryLimit, 'no free reflector port');
  }
  const sid = generateSid(localAddress, roughNow());
  sessions.push({
    sidHex: sid.toString('hex'),
    bound,
    reflector: null,
    timeoutMs: Math.min(Number(intervalToNs(request.timeout)) / 1e6, ctx.limits.maxTimeoutSeconds * 1000),
    peer: { address: testPeer.address, port: request.senderPort },
    paddingLength: request.paddingLength,
  });
  await channel.write(encodeAcceptSession(ACCEPT.ok, bound.port, sid), ctx.timeouts.write, 'accept-session');
  ctx.emit({ type: 'session-accepted', peer, sid: sid.toString('hex'), role: 'reflector', port: bound.port, packets: 0 });
}

/** REFWAIT: a reflector that has seen nothing for reflectorIdleMs ends the control connection. */
function watchIdleReflectors(ctx: TwampContext, sessions: TwSession[], channel: ControlChannel): void {
  const startedAt = Date.now();
  const timer = setInterval(() => {
    if (sessions.length === 0 || !channel.isOpen) return clearInterval(timer);
    const idle = sessions.every((s) => Date.now() - (s.reflector?.counters.lastPacketAt || startedAt) > ctx.reflectorIdleMs);
    if (idle) {
      clearInterval(timer);
      channel.destroy();
    }
  }, Math.min(1000, ctx.reflectorIdleMs));
  timer.unref();
}
