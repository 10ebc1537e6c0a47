import { assertValidHost } from '../../../../shared/target.ts';
import { resolveHost } from '../../resolve.ts';
import { plainAddress } from '../address.ts';
import { connectControl } from './channel.ts';
import { clientHandshake, DEFAULT_CONTROL_TIMEOUTS, describeModes, type ControlSession, type ControlTimeouts } from './handshake.ts';

export interface OpenControlOptions {
  host: string;
  port: number;
  family?: 'any' | '4' | '6';
  localAddress?: string;
  timeouts?: Partial<ControlTimeouts>;
  signal?: AbortSignal;
  /** "OWAMP server" / "TWAMP server", for messages. */
  serverKind: string;
}

export interface OpenedControl extends ControlSession {
  timeouts: ControlTimeouts;
  serverAddress: string;
  localAddress: string;
  /** TCP connect time: one round trip, our RTT estimate (as owping's). */
  rttSeconds: number;
  modesText: string;
}

/** Validates and resolves the host, connects (measuring the RTT) and runs connection setup. */
export async function openControl(options: OpenControlOptions): Promise<OpenedControl> {
  const timeouts = { ...DEFAULT_CONTROL_TIMEOUTS, ...options.timeouts };
  assertValidHost(options.host);
  const resolved = await resolveHost(options.host, options.family ?? 'any');
  const label = `${options.serverKind} ${resolved.family === 6 ? `[${resolved.address}]` : resolved.address}:${options.port}`;
  const started = process.hrtime.bigint();
  const channel = await connectControl({
    host: resolved.address,
    port: options.port,
    timeoutMs: timeouts.connect,
    signal: options.signal,
    localAddress: options.localAddress,
    peerLabel: label,
  });
  const rttSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const session = await clientHandshake(channel, timeouts, options.signal);
  return {
    ...session,
    timeouts,
    serverAddress: plainAddress(channel.remoteAddress),
    localAddress: plainAddress(channel.localAddress),
    rttSeconds,
    modesText: describeModes(session.greeting.modes),
  };
}
