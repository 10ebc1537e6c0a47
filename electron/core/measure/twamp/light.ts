import { createClock, type ClockOptions } from '../oneway/clock.ts';
import { bindTestSocket } from '../oneway/udp.ts';
import { TWAMP_PORT } from './codec.ts';
import { Reflector, type ReflectorCounters, type ReflectorSequence } from './reflector.ts';

/**
 * A TWAMP-Light reflector (RFC 5357 Appendix I): no control connection, answers any sender on
 * one UDP port. Replies are max(41, request) octets, so a 14-octet request gets a 41-octet
 * answer: bind it where only intended senders can reach it (default loopback).
 */

export interface TwampLightReflectorOptions {
  host?: string;
  /** Default 862 (RFC 8545's TWAMP-Test port, also STAMP's). 0 picks a free one. */
  port?: number;
  /** Default 'counter' (per-sender counters, reset on seq 0 or 30 s idle); 'copy' is stateless. */
  sequence?: ReflectorSequence;
  clock?: ClockOptions;
}

export interface TwampLightReflectorHandle {
  host: string;
  port: number;
  readonly counters: ReflectorCounters;
  close(): Promise<void>;
}

/** The wall clock may be stepped; a long-lived reflector re-reads it this often. */
const REANCHOR_MS = 10 * 60_000;

export async function startTwampLightReflector(options: TwampLightReflectorOptions = {}): Promise<TwampLightReflectorHandle> {
  const port = options.port ?? TWAMP_PORT;
  const bound = await bindTestSocket(options.host ?? '127.0.0.1', port === 0 ? null : [port, port]);
  const reflector = new Reflector({ socket: bound.socket, clock: createClock(options.clock), expectedPeer: null, exactLength: null, sequence: options.sequence ?? 'counter' });
  const reanchor = setInterval(() => reflector.setClock(createClock(options.clock)), REANCHOR_MS);
  reanchor.unref();
  return {
    host: bound.address,
    port: bound.port,
    get counters() {
      return reflector.counters;
    },
    close: async () => {
      clearInterval(reanchor);
      reflector.deactivate();
      await new Promise<void>((resolve) => {
        try {
          bound.socket.close(() => resolve());
        } catch {
          resolve();
        }
      });
    },
  };
}
