import type dgram from 'node:dgram';
import type { Clock } from '../oneway/clock.ts';
import { sameEndpoint } from '../oneway/udp.ts';
import { TEST_PACKET_LENGTH } from '../owamp/codec.ts';
import { buildReflectedPacket, stampReflectedPacket, TTL_UNREADABLE } from './codec.ts';

/**
 * TWAMP Session-Reflector (RFC 5357 §4.2), used by the TWAMP server (one per session, peer and
 * packet size fixed by Request-TW-Session) and by the TWAMP-Light responder (any peer, any
 * size). Node cannot read the received TTL, so Sender TTL is always 255 ("unknown").
 */

export type ReflectorSequence = 'counter' | 'copy';

export interface ReflectorOptions {
  socket: dgram.Socket;
  clock: Clock;
  /** Full TWAMP: only this peer (port null = any port of that address). null = anyone (Light). */
  expectedPeer: { address: string; port: number | null } | null;
  /** Exact sender packet length to accept (twampd's rule), or null for anything ≥ 14 octets. */
  exactLength: number | null;
  /**
   * counter: our own sequence numbers (per peer in Light mode); copy: the sender's (what RFC 5357
   * Appendix I requires of a stateless reflector).
   */
  sequence: ReflectorSequence;
  /** Light mode: most peers tracked for per-peer counters (oldest forgotten first). */
  maxPeers?: number;
  onReflect?(info: { senderSeq: number; peer: string }): void;
}

export interface ReflectorCounters {
  reflected: number;
  discardedSource: number;
  discardedLength: number;
  lastPacketAt: number;
}

const PEER_IDLE_RESET_MS = 30_000;

export class Reflector {
  readonly counters: ReflectorCounters = { reflected: 0, discardedSource: 0, discardedLength: 0, lastPacketAt: 0 };
  readonly #options: ReflectorOptions;
  readonly #peers = new Map<string, { next: number; lastSeen: number }>();
  #next = 0;
  #active = true;
  #clock: Clock;

  constructor(options: ReflectorOptions) {
    this.#options = options;
    this.#clock = options.clock;
    options.socket.on('message', (datagram, rinfo) => this.#handle(datagram, rinfo, this.#clock.now()));
  }

  /** Swaps in a freshly anchored clock (long-lived reflectors). */
  setClock(clock: Clock): void {
    this.#clock = clock;
  }

  /** Stops reflecting (the socket stays open until its owner closes it). */
  deactivate(): void {
    this.#active = false;
  }

  #handle(datagram: Buffer, rinfo: { address: string; port: number }, received: bigint): void {
    if (!this.#active) return;
    const { expectedPeer, exactLength, socket } = this.#options;
    const clock = this.#clock;
    if (expectedPeer) {
      const portOk = expectedPeer.port === null || expectedPeer.port === rinfo.port;
      if (!portOk || !sameEndpoint({ address: rinfo.address, port: 0 }, expectedPeer.address, 0)) {
        this.counters.discardedSource += 1;
        return;
      }
    }
    if (datagram.length < TEST_PACKET_LENGTH || (exactLength !== null && datagram.length !== exactLength)) {
      this.counters.discardedLength += 1;
      return;
    }
    const senderSeq = datagram.readUInt32BE(0);
    const reply = buildReflectedPacket(datagram, { seq: this.#sequenceFor(rinfo, senderSeq), receiveTimestamp: received, senderTtl: TTL_UNREADABLE });
    stampReflectedPacket(reply, clock.now(), clock.errorEstimate);
    socket.send(reply, rinfo.port, rinfo.address);
    this.counters.reflected += 1;
    this.counters.lastPacketAt = Date.now();
    this.#options.onReflect?.({ senderSeq, peer: `${rinfo.address}:${rinfo.port}` });
  }

  #sequenceFor(rinfo: { address: string; port: number }, senderSeq: number): number {
    if (this.#options.sequence === 'copy') return senderSeq;
    if (this.#options.expectedPeer) return this.#next++ >>> 0;
    const key = `${rinfo.address}|${rinfo.port}`;
    const now = Date.now();
    let state = this.#peers.get(key);
    if (!state || senderSeq === 0 || now - state.lastSeen > PEER_IDLE_RESET_MS) {
      this.#peers.delete(key);
      state = { next: 0, lastSeen: now };
      this.#peers.set(key, state);
      const max = this.#options.maxPeers ?? 1024;
      while (this.#peers.size > max) {
        const oldest = this.#peers.keys().next().value;
        if (oldest === undefined) break;
        this.#peers.delete(oldest);
      }
    }
    state.lastSeen = now;
    return state.next++ >>> 0;
  }
}
