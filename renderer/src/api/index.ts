import { CHANNELS, type Channel } from '../../../electron/shared/channels.ts';
import type { Api, In, Out } from '../../../electron/shared/contract.ts';
import type { ErrorCode } from '../../../electron/shared/errors.ts';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';
import { bridgeTransport } from './bridge.ts';
import { ipcTransport, preloadBridge } from './ipc.ts';
import type { RawTransport } from './transport.ts';

/**
 * The renderer's only door to the workbench. It alone knows whether it talks to Electron IPC
 * (window.psw from the preload) or to `psw serve` over WebSocket.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

function buildApi(transport: RawTransport): Api {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [domain, verb] = channel.split('.') as [string, string];
    api[domain] ??= {};
    api[domain][verb] = async (input?: unknown) => {
      const result = await transport.call(channel, input ?? {});
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return api as Api;
}

const bridge = preloadBridge();
const transport: RawTransport = bridge ? ipcTransport(bridge) : bridgeTransport();

export const api: Api = buildApi(transport);
export const transportKind = transport.kind;

export function call<C extends Channel>(channel: C, input: In<C>): Promise<Out<C>> {
  const [domain, verb] = channel.split('.') as [string, string];
  const fn = (api as unknown as Record<string, Record<string, (i: unknown) => Promise<Out<C>>>>)[domain]?.[verb];
  if (!fn) throw new ApiError('INVALID_INPUT', `Unknown channel ${channel}`);
  return fn(input);
}

export function onWorkbenchEvent(listener: (event: WorkbenchEvent) => void): () => void {
  return transport.onEvent(listener);
}

export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  return transport.onConnection?.(listener) ?? (() => {});
}
