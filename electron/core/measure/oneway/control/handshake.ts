import { randomBytes } from 'node:crypto';
import type { ControlChannel } from './channel.ts';
import {
  decodeServerGreeting,
  decodeServerStart,
  decodeSetUpResponse,
  encodeServerGreeting,
  encodeServerStart,
  encodeSetUpResponse,
  MODE,
  SERVER_GREETING_LENGTH,
  SERVER_START_LENGTH,
  SET_UP_RESPONSE_LENGTH,
  SUPPORTED_MODES,
  type ServerGreeting,
} from './codec.ts';
import { ACCEPT, OnewayError, refusal } from '../errors.ts';

/** Deadlines for each control step, in milliseconds. Tests shorten them; defaults suit the Internet. */
export interface ControlTimeouts {
  connect: number;
  /** Any single reply from the peer during setup and negotiation. */
  reply: number;
  /** Writing one message (a peer that never reads). */
  write: number;
}

export const DEFAULT_CONTROL_TIMEOUTS: ControlTimeouts = { connect: 10_000, reply: 15_000, write: 15_000 };

export interface ControlSession {
  channel: ControlChannel;
  greeting: ServerGreeting;
  /** The server's start time (NTP), from Server-Start. */
  serverStartTime: bigint;
  mode: number;
}

export function describeModes(modes: number): string {
  const names: string[] = [];
  if (modes & MODE.open) names.push('unauthenticated');
  if (modes & MODE.authenticated) names.push('authenticated');
  if (modes & MODE.encrypted) names.push('encrypted');
  if (modes & MODE.mixed) names.push('mixed');
  return names.length > 0 ? names.join(', ') : 'none';
}

/**
 * Client side of connection setup: Server Greeting → Set-Up-Response (unauthenticated) →
 * Server-Start. Closes the channel on every failure.
 */
export async function clientHandshake(channel: ControlChannel, timeouts: ControlTimeouts, signal?: AbortSignal): Promise<ControlSession> {
  try {
    const greeting = decodeServerGreeting(await channel.read(SERVER_GREETING_LENGTH, timeouts.reply, 'server-greeting', signal));
    if (greeting.modes === 0) {
      throw new OnewayError('server-refused', `The ${channel.peerLabel} refuses service (its greeting offers no mode).`, { step: 'server-greeting' });
    }
    if ((greeting.modes & SUPPORTED_MODES) === 0) {
      // RFC 4656 §3.1: a client that will not continue answers Mode 0, then both close.
      await channel.write(encodeSetUpResponse(0), timeouts.write, 'set-up-response').catch(() => undefined);
      throw new OnewayError(
        'no-common-mode',
        `No common mode: the ${channel.peerLabel} offers ${describeModes(greeting.modes)} only; this client speaks unauthenticated mode only.`,
        { step: 'server-greeting' },
      );
    }
    await channel.write(encodeSetUpResponse(MODE.open), timeouts.write, 'set-up-response');
    const start = decodeServerStart(await channel.read(SERVER_START_LENGTH, timeouts.reply, 'server-start', signal));
    if (start.accept !== ACCEPT.ok) throw refusal('server-refused', `The ${channel.peerLabel} refused the control connection`, start.accept, 'server-start');
    return { channel, greeting, serverStartTime: start.startTime, mode: MODE.open };
  } catch (error) {
    channel.destroy();
    throw error;
  }
}

/**
 * Server side: greeting (unauthenticated only) → Set-Up-Response → Server-Start. Returns false
 * when the client declined (Mode 0) or chose a mode we did not offer; the caller closes.
 */
export async function serverHandshake(channel: ControlChannel, serverStartTime: bigint, timeouts: ControlTimeouts): Promise<boolean> {
  const greeting = encodeServerGreeting({ modes: SUPPORTED_MODES, challenge: randomBytes(16), salt: randomBytes(16), count: 2048 });
  await channel.write(greeting, timeouts.write, 'server-greeting');
  const setup = decodeSetUpResponse(await channel.read(SET_UP_RESPONSE_LENGTH, timeouts.reply, 'set-up-response'));
  if (setup.mode === 0) return false;
  if (setup.mode !== MODE.open) {
    await channel.write(encodeServerStart(ACCEPT.notSupported, 0n), timeouts.write, 'server-start');
    return false;
  }
  await channel.write(encodeServerStart(ACCEPT.ok, serverStartTime), timeouts.write, 'server-start');
  return true;
}
