import net from 'node:net';
import { OnewayError, type ControlStep } from '../errors.ts';

/**
 * A control connection as a sequence of exact-size reads, each with its own deadline. TCP may
 * split or merge messages (owampd writes Stop-Sessions in 16-octet pieces and Fetch data in big
 * chunks), so reads never assume message boundaries. Memory stays bounded: past `highWater`
 * buffered octets the socket is paused until a read consumes them.
 */

export interface ChannelOptions {
  /** Who the peer is, for messages ("server 127.0.0.1:861"). */
  peerLabel: string;
  highWater?: number;
}

interface PendingRead {
  length: number;
  step: ControlStep;
  resolve(data: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  cleanup(): void;
}

export class ControlChannel {
  readonly socket: net.Socket;
  readonly peerLabel: string;
  readonly #highWater: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #pending: PendingRead | null = null;
  #ended: Error | null = null;

  constructor(socket: net.Socket, options: ChannelOptions) {
    this.socket = socket;
    this.peerLabel = options.peerLabel;
    this.#highWater = options.highWater ?? 256 * 1024;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#buffered > this.#highWater) socket.pause();
      this.#serve();
    });
    socket.on('end', () => this.#finish(new OnewayError('connection-closed', `The ${this.peerLabel} closed the control connection.`)));
    socket.on('close', () => this.#finish(new OnewayError('connection-closed', `The control connection to the ${this.peerLabel} was closed.`)));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#finish(new OnewayError('connection-closed', `The control connection to the ${this.peerLabel} failed (${error.code ?? error.message}).`, { cause: error }));
    });
  }

  get localAddress(): string {
    return this.socket.localAddress ?? '';
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }

  get isOpen(): boolean {
    return this.#ended === null;
  }

  /** Octets received but not read yet. */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * Resolves with exactly `length` octets, or rejects: `timeout` when they do not arrive within
   * `timeoutMs`, `connection-closed`, or `cancelled` through the signal.
   */
  read(length: number, timeoutMs: number, step: ControlStep, signal?: AbortSignal): Promise<Buffer> {
    if (this.#pending) return Promise.reject(new Error('ControlChannel: one read at a time'));
    if (!Number.isInteger(length) || length < 0) return Promise.reject(new RangeError(`bad read length ${length}`));
    return new Promise<Buffer>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new OnewayError('cancelled', 'Cancelled.', { step }));
        return;
      }
      const onAbort = () => this.#failPending(new OnewayError('cancelled', 'Cancelled.', { step }));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        this.#failPending(
          new OnewayError('timeout', `The ${this.peerLabel} sent no ${describeStep(step)} within ${formatSeconds(timeoutMs)} (the peer stalled).`, { step }),
        );
      }, Math.max(1, timeoutMs));
      this.#pending = { length, step, resolve, reject, timer, cleanup: () => signal?.removeEventListener('abort', onAbort) };
      this.#serve();
    });
  }

  /** Writes and resolves once the data is handed to the kernel; a peer that never reads times out. */
  write(data: Buffer, timeoutMs: number, step: ControlStep): Promise<void> {
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new OnewayError('timeout', `The ${this.peerLabel} did not take our ${describeStep(step)} within ${formatSeconds(timeoutMs)}.`, { step }));
        this.socket.destroy();
      }, Math.max(1, timeoutMs));
      this.socket.write(data, (error) => {
        clearTimeout(timer);
        if (error) reject(new OnewayError('connection-closed', `Could not send ${describeStep(step)} to the ${this.peerLabel}: ${error.message}.`, { step, cause: error }));
        else resolve();
      });
    });
  }

  /** Closes gracefully (FIN), and forcibly if the peer does not close within a second. */
  close(): void {
    if (this.socket.destroyed) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  #serve(): void {
    const pending = this.#pending;
    if (!pending) return;
    if (this.#buffered >= pending.length) {
      const data = this.#take(pending.length);
      this.#pending = null;
      clearTimeout(pending.timer);
      pending.cleanup();
      pending.resolve(data);
      return;
    }
    if (this.#ended) this.#failPending(withStep(this.#ended, pending.step));
  }

  #take(length: number): Buffer {
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const data = Buffer.from(all.subarray(0, length));
    const rest = all.subarray(length);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    if (this.#buffered <= this.#highWater && this.socket.isPaused()) this.socket.resume();
    return data;
  }

  #failPending(error: Error): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    clearTimeout(pending.timer);
    pending.cleanup();
    pending.reject(error);
  }

  #finish(error: OnewayError): void {
    if (!this.#ended) this.#ended = error;
    this.#serve();
  }
}

function withStep(error: Error, step: ControlStep): Error {
  if (error instanceof OnewayError && error.step === null) {
    return new OnewayError(error.reason, `${error.message.replace(/\.$/, '')} while waiting for ${describeStep(step)}.`, { step, cause: error.cause });
  }
  return error;
}

const STEP_NAMES: Record<ControlStep, string> = {
  connect: 'connection',
  'server-greeting': 'Server Greeting',
  'set-up-response': 'Set-Up-Response',
  'server-start': 'Server-Start',
  'request-session': 'Request-Session',
  'accept-session': 'Accept-Session',
  'start-sessions': 'Start-Sessions',
  'start-ack': 'Start-Ack',
  test: 'test traffic',
  'stop-sessions': 'Stop-Sessions',
  'fetch-session': 'Fetch-Session',
  'fetch-ack': 'Fetch-Ack',
  'fetch-data': 'Fetch-Session data',
  command: 'command',
};

export function describeStep(step: ControlStep): string {
  return STEP_NAMES[step];
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}

export interface ConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
  localAddress?: string;
  peerLabel: string;
}

/** Opens the TCP control connection; refusals, unreachable hosts and timeouts become typed errors. */
export function connectControl(options: ConnectOptions): Promise<ControlChannel> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new OnewayError('cancelled', 'Cancelled before connecting.', { step: 'connect' }));
      return;
    }
    const socket = net.connect({ host: options.host, port: options.port, localAddress: options.localAddress });
    const fail = (error: OnewayError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onAbort = () => fail(new OnewayError('cancelled', 'Cancelled while connecting.', { step: 'connect' }));
    const timer = setTimeout(
      () => fail(new OnewayError('timeout', `No answer from the ${options.peerLabel} within ${formatSeconds(options.timeoutMs)} (TCP connect).`, { step: 'connect' })),
      options.timeoutMs,
    );
    const onError = (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (code === 'ECONNREFUSED') {
        fail(new OnewayError('connect-failed', `The connection to the ${options.peerLabel} was refused: nothing listens on that port.`, { step: 'connect', cause: error }));
      } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
        fail(new OnewayError('connect-failed', `There is no route to the ${options.peerLabel} (${code}).`, { step: 'connect', cause: error, code: 'NO_ROUTE' }));
      } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        fail(new OnewayError('connect-failed', `The ${options.peerLabel} could not be resolved.`, { step: 'connect', cause: error, code: 'HOST_UNKNOWN' }));
      } else {
        fail(new OnewayError('connect-failed', `Could not connect to the ${options.peerLabel} (${code || error.message}).`, { step: 'connect', cause: error }));
      }
    };
    const onConnect = () => {
      cleanup();
      resolve(new ControlChannel(socket, { peerLabel: options.peerLabel }));
    };
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('connect', onConnect);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}
