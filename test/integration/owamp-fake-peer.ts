import dgram from 'node:dgram';
import net from 'node:net';
import { expect } from 'vitest';
import { decodeServerStart, encodeServerGreeting, encodeServerStart } from '../../electron/core/measure/oneway/control/codec.ts';

/**
 * Scripted peers for hostile-peer tests: a TCP server on loopback that plays one control
 * connection by a script (which may lie, stall or truncate), and a raw TCP client for testing
 * our responders the same way. Everything is bounded by timeouts so a test can only fail, not hang.
 */

export interface PeerIO {
  socket: net.Socket;
  /** Exactly n octets from the other side (rejects after timeoutMs or on close). */
  read(n: number, timeoutMs?: number): Promise<Buffer>;
  write(data: Buffer): void;
  /** Resolves when the other side closes (or after timeoutMs, with false). */
  closed(timeoutMs?: number): Promise<boolean>;
}

function wrap(socket: net.Socket): PeerIO {
  let buffered = Buffer.alloc(0);
  let ended = false;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake();
  });
  socket.on('close', () => {
    ended = true;
    wake();
  });
  socket.on('error', () => undefined);
  return {
    socket,
    read(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`peer read of ${n} timed out`)), timeoutMs);
        const check = () => {
          if (buffered.length >= n) {
            clearTimeout(timer);
            const out = buffered.subarray(0, n);
            buffered = buffered.subarray(n);
            resolve(Buffer.from(out));
          } else if (ended) {
            clearTimeout(timer);
            reject(new Error('peer closed'));
          } else waiters.push(check);
        };
        check();
      });
    },
    write(data) {
      if (!socket.destroyed) socket.write(data);
    },
    closed(timeoutMs = 5000) {
      return new Promise((resolve) => {
        if (ended) return resolve(true);
        const timer = setTimeout(() => resolve(false), timeoutMs);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

export interface ScriptedServer {
  port: number;
  /** Settles when the script finishes (its error, if any, is kept, not thrown). */
  done: Promise<unknown>;
  close(): Promise<void>;
}

/** A one-connection TCP server on 127.0.0.1 that runs `script` for the first client. */
export async function scriptedServer(script: (io: PeerIO) => Promise<void>): Promise<ScriptedServer> {
  const sockets = new Set<net.Socket>();
  let finish: (value: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    script(wrap(socket)).then(
      () => finish(null),
      (error: unknown) => finish(error),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    done,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A raw TCP client to one of our responders. */
export async function rawClient(port: number, host = '127.0.0.1'): Promise<PeerIO> {
  const socket = net.connect({ port, host });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return wrap(socket);
}

/** Connects to one of our responders and completes unauthenticated setup (greeting, mode 1, Server-Start accepted). */
export async function connectUnauthenticated(port: number): Promise<PeerIO> {
  const io = await rawClient(port);
  await io.read(64);
  io.write(Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.alloc(160)]));
  expect(decodeServerStart(await io.read(48)).accept).toBe(0);
  return io;
}

export const greeting = (modes = 1) => encodeServerGreeting({ modes, challenge: Buffer.alloc(16, 7), salt: Buffer.alloc(16, 9), count: 2048 });
export const serverStart = (accept = 0) => encodeServerStart(accept, 0xeeacd22dd1bb05fan);

/** Plays the server side of connection setup correctly. */
export async function acceptSetup(io: PeerIO): Promise<Buffer> {
  io.write(greeting(1));
  const setup = await io.read(164);
  io.write(serverStart(0));
  return setup;
}

export async function udpSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
