import net from 'node:net';
import { plainAddress } from '../address.ts';
import { ControlChannel } from './channel.ts';
import { encodeServerGreeting } from './codec.ts';

/**
 * The TCP side of a responder (OWAMP server or TWAMP server): accepts control connections up to
 * a limit (beyond it, a greeting with no modes tells the client we refuse, RFC 4656 §3.1), hands
 * each to the protocol's handler, and on close() ends every connection it still holds.
 */

export interface ListenerOptions {
  host: string;
  port: number;
  maxConnections: number;
  label: string;
  handle(channel: ControlChannel): Promise<void>;
  onError?(error: unknown, peer: string): void;
}

export interface ListenerHandle {
  host: string;
  port: number;
  readonly connections: number;
  close(): Promise<void>;
}

export function listenControl(options: ListenerOptions): Promise<ListenerHandle> {
  const channels = new Set<ControlChannel>();
  const handlers = new Set<Promise<void>>();
  const server = net.createServer({ noDelay: true, pauseOnConnect: false });
  server.on('connection', (socket) => {
    const peer = `${plainAddress(socket.remoteAddress ?? '?')}:${socket.remotePort ?? '?'}`;
    socket.on('error', () => undefined);
    if (channels.size >= options.maxConnections) {
      const refuse = encodeServerGreeting({ modes: 0, challenge: Buffer.alloc(16), salt: Buffer.alloc(16), count: 0 });
      socket.end(refuse);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const channel = new ControlChannel(socket, { peerLabel: `client ${peer}` });
    channels.add(channel);
    const handler = options
      .handle(channel)
      .catch((error: unknown) => options.onError?.(error, peer))
      .finally(() => {
        channels.delete(channel);
        handlers.delete(handler);
        channel.close();
      });
    handlers.add(handler);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', (error) => options.onError?.(error, options.label));
      const address = server.address() as net.AddressInfo;
      resolve({
        host: address.address,
        port: address.port,
        get connections() {
          return channels.size;
        },
        close: async () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          for (const channel of channels) channel.destroy();
          await Promise.allSettled([...handlers]);
          await closed;
        },
      });
    });
  });
}
