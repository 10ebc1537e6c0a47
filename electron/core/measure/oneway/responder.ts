import { plainAddress } from './address.ts';
import type { ControlChannel } from './control/channel.ts';
import type { SessionRequest } from './control/codec.ts';
import { ACCEPT } from './errors.ts';
import { intervalToSeconds } from './ntp.ts';

/** What both responders (OWAMP server, TWAMP server) share: limits, events, address policy. */

export interface ResponderLimits {
  maxConnections: number;
  maxSessionsPerConnection: number;
  maxPackets: number;
  /**
   * Packets of all sessions accepted and not yet finished, over every connection: each one's
   * records are preallocated, so without it 32 connections × 16 sessions × 100 000 packets could
   * claim about 460 MB.
   */
  maxTotalPackets: number;
  maxPadding: number;
  /** Slots we are willing to accept; more than HARD_MAX_SLOTS closes the connection unread. */
  maxSlots: number;
  /** Per session, from padding, headers and the mean interval. */
  maxBitsPerSecond: number;
  maxTimeoutSeconds: number;
  maxStartDelaySeconds: number;
  /** SERVWAIT: an idle control connection is closed after this (owampd: 1800 s). */
  idleTimeoutMs: number;
  /** How long after a session's expected end we wait for the client's Stop-Sessions. */
  stopGraceMs: number;
  replyTimeoutMs: number;
  writeTimeoutMs: number;
  /** Finished sessions kept for Fetch-Session from a later connection. */
  resultRetention: number;
}

export const DEFAULT_RESPONDER_LIMITS: ResponderLimits = {
  maxConnections: 32,
  maxSessionsPerConnection: 16,
  maxPackets: 100_000,
  maxTotalPackets: 1_000_000,
  maxPadding: 9000,
  maxSlots: 1024,
  maxBitsPerSecond: 100_000_000,
  maxTimeoutSeconds: 600,
  maxStartDelaySeconds: 600,
  idleTimeoutMs: 1_800_000,
  stopGraceMs: 60_000,
  replyTimeoutMs: 15_000,
  writeTimeoutMs: 15_000,
  resultRetention: 256,
};

export const HARD_MAX_SLOTS = 65_536;

export type ResponderEvent =
  | { type: 'connection'; peer: string }
  | { type: 'session-accepted'; peer: string; sid: string; role: 'receiver' | 'sender' | 'reflector'; port: number; packets: number }
  | { type: 'session-refused'; peer: string; accept: number; reason: string }
  | { type: 'session-finished'; peer: string; sid: string; received: number; lost: number; sent: number }
  | { type: 'connection-closed'; peer: string; reason: string };

/** IP overhead used for the bandwidth limit: UDP 8 + IPv4 20 (IPv6 40). */
function headerOctets(ipVersion: 4 | 6): number {
  return 8 + (ipVersion === 6 ? 40 : 20);
}

export interface Refusal {
  accept: number;
  reason: string;
}

/** Limits common to OWAMP and TWAMP requests. `meanInterval` is null for TWAMP (sender paces itself). */
export function checkRequestLimits(request: SessionRequest, limits: ResponderLimits, meanInterval: number | null, now: bigint): Refusal | null {
  if (request.paddingLength > limits.maxPadding) return { accept: ACCEPT.permanentLimit, reason: `padding ${request.paddingLength} > ${limits.maxPadding}` };
  const timeout = intervalToSeconds(request.timeout);
  if (timeout > limits.maxTimeoutSeconds) return { accept: ACCEPT.notSupported, reason: `timeout ${timeout} s > ${limits.maxTimeoutSeconds} s` };
  if (request.startTime > now) {
    const delay = intervalToSeconds(request.startTime - now);
    if (delay > limits.maxStartDelaySeconds) return { accept: ACCEPT.failure, reason: `start time ${delay.toFixed(0)} s ahead` };
  }
  if (meanInterval !== null) {
    if (request.packetCount === 0) return { accept: ACCEPT.failure, reason: 'zero packets' };
    if (request.packetCount > limits.maxPackets) return { accept: ACCEPT.permanentLimit, reason: `${request.packetCount} packets > ${limits.maxPackets}` };
    const bits = (request.paddingLength + 14 + headerOctets(request.ipVersion)) * 8;
    const rate = meanInterval > 0 ? bits / meanInterval : Number.POSITIVE_INFINITY;
    if (rate > limits.maxBitsPerSecond) return { accept: ACCEPT.failure, reason: `${(rate / 1e6).toFixed(1)} Mbit/s > policy ${(limits.maxBitsPerSecond / 1e6).toFixed(1)} Mbit/s` };
  }
  return null;
}

/**
 * A responder only exchanges test packets with the host on the other end of the control
 * connection: a third-party address would turn it into a traffic reflector against others.
 * A zero address means "the control connection's" (what twping -Z sends).
 */
export function resolveTestPeer(requested: string | null, channel: ControlChannel): { address: string } | Refusal {
  const controlPeer = plainAddress(channel.remoteAddress);
  if (requested === null) return { address: controlPeer };
  if (plainAddress(requested) !== controlPeer) return { accept: ACCEPT.failure, reason: `third-party address ${requested} refused by policy` };
  return { address: controlPeer };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'accept' in value;
}

/** Packets promised to live sessions across all connections, against `maxTotalPackets`. */
export class PacketBudget {
  #inUse = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Reserves `packets`, or refuses (temporary: it frees up as sessions end). */
  take(packets: number): Refusal | null {
    if (this.#inUse + packets > this.limit) {
      return { accept: ACCEPT.temporaryLimit, reason: `${packets} packets would exceed the responder's ${this.limit} across all sessions (${this.#inUse} in use)` };
    }
    this.#inUse += packets;
    return null;
  }

  release(packets: number): void {
    this.#inUse = Math.max(0, this.#inUse - packets);
  }

  get inUse(): number {
    return this.#inUse;
  }
}

/** Keeps the newest `capacity` entries. */
export class BoundedMap<V> {
  readonly #map = new Map<string, V>();
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next().value;
      if (oldest === undefined) break;
      this.#map.delete(oldest);
    }
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  get size(): number {
    return this.#map.size;
  }
}
