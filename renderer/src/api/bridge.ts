import type { Channel } from '../../../electron/shared/channels.ts';
import type { Result } from '../../../electron/shared/errors.ts';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';
import { decodeMessage } from '../../../electron/shared/wire.ts';
import type { RawTransport } from './transport.ts';

const CALL_TIMEOUT_MS = 60_000;
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * The serve bridge: one WebSocket to /api on the page's own origin (the HttpOnly cookie set by
 * `psw serve` authenticates it), request ids for calls, pushed events, reconnect with backoff.
 */
export function bridgeTransport(url = `ws://${location.host}/api`): RawTransport {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  const listeners = new Set<(event: WorkbenchEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let opened: Promise<WebSocket> | null = null;

  const fail = (message: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: { code: 'INTERNAL', message } });
      pending.delete(id);
    }
  };

  const connect = (): Promise<WebSocket> => {
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        attempt = 0;
        socket = ws;
        connectionListeners.forEach((l) => l(true));
        resolve(ws);
      };
      ws.onmessage = (message) => {
        let data: { id?: number | null; result?: Result<unknown>; event?: WorkbenchEvent };
        try {
          data = decodeMessage(message.data as string | ArrayBuffer) as typeof data;
        } catch {
          return;
        }
        if (data.event) listeners.forEach((l) => l(data.event as WorkbenchEvent));
        if (typeof data.id === 'number' && data.result) {
          const p = pending.get(data.id);
          if (p) {
            clearTimeout(p.timer);
            pending.delete(data.id);
            p.resolve(data.result);
          }
        }
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = null;
        opened = null;
        fail('The connection to psw serve was lost.');
        if (wasOpen) connectionListeners.forEach((l) => l(false));
        else reject(new Error('Could not connect to psw serve.'));
        attempt += 1;
        const delay = Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** attempt);
        setTimeout(() => void connect().catch(() => undefined), delay);
      };
    });
    return opened;
  };
  void connect().catch(() => undefined);

  return {
    kind: 'bridge',
    async call(channel: Channel, input: unknown) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (error) {
        return { ok: false, error: { code: 'INTERNAL', message: (error as Error).message } };
      }
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `${channel} did not answer in time.` } });
        }, CALL_TIMEOUT_MS);
        pending.set(id, { resolve, timer });
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
