import dgram from 'node:dgram';
import { ipVersionOf, plainAddress } from './address.ts';
import { OnewayError } from './errors.ts';

/**
 * Test sockets. Node's dgram can set the TTL of what we send (255, so the far side can count
 * hops) but cannot read the TTL of what we receive, and has no setter for the TOS/traffic-class
 * byte, so it cannot mark DSCP: both limits are reported where they matter.
 */

export type PortRange = readonly [low: number, high: number];

export const OWAMPD_TEST_PORTS: PortRange = [8760, 9960];
export const TWAMPD_TEST_PORTS: PortRange = [18760, 19960];
/** The TTL we send with (RFC 4656 §4.1.2: 255 so the receiver can count hops). */
export const SEND_TTL = 255;

export interface BoundSocket {
  socket: dgram.Socket;
  address: string;
  port: number;
}

export function validatePortRange(range: PortRange | null | undefined): PortRange | null {
  if (!range) return null;
  const [low, high] = range;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 1 || high > 65535 || low > high) {
    throw new OnewayError('unsupported', `Port range ${low}-${high} is not valid (1-65535, low ≤ high).`, { code: 'INVALID_INPUT' });
  }
  return range;
}

function bindOnce(address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const family = ipVersionOf(address);
    const socket = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
    const onError = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address: plainAddress(address), port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * Binds a UDP socket on `address`, in `range` when given (tries from a random point, at most
 * 256 ports) or on an ephemeral port. The socket always has an error listener: a stray ICMP error
 * must never crash the process.
 */
export async function bindTestSocket(address: string, range: PortRange | null, onError?: (error: Error) => void): Promise<BoundSocket> {
  const attempts: number[] = [];
  if (range) {
    const size = range[1] - range[0] + 1;
    const start = Math.floor(Math.random() * size);
    for (let i = 0; i < Math.min(size, 256); i += 1) attempts.push(range[0] + ((start + i) % size));
  } else {
    attempts.push(0);
  }
  let lastError: unknown = null;
  for (const port of attempts) {
    try {
      const socket = await bindOnce(address, port);
      socket.on('error', (error) => onError?.(error));
      try {
        socket.setTTL(SEND_TTL);
      } catch {
        // some platforms refuse; the packets then leave with the default TTL
      }
      const bound = socket.address();
      return { socket, address: bound.address, port: bound.port };
    } catch (error) {
      lastError = error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') break;
    }
  }
  const where = range ? `in ${range[0]}-${range[1]}` : '(ephemeral)';
  throw new OnewayError('local-resource', `No free UDP port on ${address} ${where}: ${(lastError as Error | null)?.message ?? 'unknown error'}.`, {
    cause: lastError,
  });
}

export function closeSocket(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

/** Matches a datagram's source against the expected peer ("::ffff:a.b.c.d" == "a.b.c.d"). */
export function sameEndpoint(rinfo: { address: string; port: number }, address: string, port: number): boolean {
  return rinfo.port === port && plainAddress(rinfo.address) === plainAddress(address);
}

/**
 * Connects a test socket to its one peer: sends then skip the per-packet address lookup, and
 * the kernel drops datagrams from anyone else. ICMP errors then surface as socket errors, which
 * the socket's error listener absorbs.
 */
export function connectSocket(bound: BoundSocket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    bound.socket.once('error', onError);
    bound.socket.connect(port, plainAddress(address), () => {
      bound.socket.off('error', onError);
      resolve();
    });
  });
}
