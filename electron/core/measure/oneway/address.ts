import { isIPv4, isIPv6 } from '../../../shared/ip.ts';
import { MalformedMessageError } from './errors.ts';

/**
 * The 16-octet address fields of Request-Session: IPv4 in the first 4 octets (rest MBZ) or a
 * full IPv6 address; IPVN (4 or 6) says which.
 */

export type IpVersion = 4 | 6;

/** "::ffff:1.2.3.4" (what a dual-stack socket reports) → "1.2.3.4"; zone ids dropped. */
export function plainAddress(address: string): string {
  const noZone = address.split('%')[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(noZone);
  return mapped ? (mapped[1] as string) : noZone;
}

export function ipVersionOf(address: string): IpVersion {
  const plain = plainAddress(address);
  if (isIPv4(plain)) return 4;
  if (isIPv6(plain)) return 6;
  throw new RangeError(`not an IP address: ${address}`);
}

export function encodeAddress(address: string, target: Buffer, offset: number): void {
  target.fill(0, offset, offset + 16);
  const plain = address.split('%')[0] ?? address;
  if (isIPv4(plain)) {
    plain.split('.').forEach((octet, i) => target.writeUInt8(Number(octet), offset + i));
    return;
  }
  if (!isIPv6(plain)) throw new RangeError(`not an IP address: ${address}`);
  const groups = expandIPv6(plain);
  groups.forEach((group, i) => target.writeUInt16BE(group, offset + 2 * i));
}

function expandIPv6(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const octets = last.split('.').map(Number);
    tail.push(((octets[0] ?? 0) << 8) | (octets[1] ?? 0), ((octets[2] ?? 0) << 8) | (octets[3] ?? 0));
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const gap = text.indexOf('::');
  if (gap === -1) return [...parse(text), ...tail];
  const head = parse(text.slice(0, gap));
  const rest = parse(text.slice(gap + 2));
  const zeros = new Array<number>(Math.max(0, 8 - tail.length - head.length - rest.length)).fill(0);
  return [...head, ...zeros, ...rest, ...tail];
}

/** Decodes an address field; returns null for an all-zero field ("use the control connection's"). */
export function decodeAddress(source: Buffer, offset: number, version: IpVersion): string | null {
  const field = source.subarray(offset, offset + 16);
  if (field.length !== 16) throw new MalformedMessageError('address field truncated');
  if (version === 4) {
    if (field.readUInt32BE(0) === 0) return null;
    return [0, 1, 2, 3].map((i) => field[i]).join('.');
  }
  if (field.every((b) => b === 0)) return null;
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 1) groups.push(field.readUInt16BE(2 * i).toString(16));
  return compressIPv6(groups);
}

function compressIPv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j += 1;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

/** The 4 octets of an address that go into a SID: IPv4 as is, IPv6 its last 4 octets (as owampd). */
export function sidAddressBytes(address: string): Buffer {
  const plain = plainAddress(address);
  const field = Buffer.alloc(16);
  encodeAddress(plain, field, 0);
  return ipVersionOf(plain) === 4 ? field.subarray(0, 4) : field.subarray(12, 16);
}
