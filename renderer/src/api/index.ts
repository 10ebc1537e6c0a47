import { CHANNELS } from '../../../electron/shared/channels.ts';
import type { Api } from '../../../electron/shared/contract.ts';
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

let current: RawTransport | null = null;

/** Chosen on first use: the preload's bridge inside Electron, the WebSocket bridge in a browser. */
function transport(): RawTransport {
  if (!current) {
    const bridge = preloadBridge();
    current = bridge ? ipcTransport(bridge) : bridgeTransport();
  }
  return current;
}

/** Tests and storybook-like harnesses plug in their own transport. */
export function setTransport(replacement: RawTransport): void {
  current = replacement;
}

function buildApi(): Api {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [domain, verb] = channel.split('.') as [string, string];
    api[domain] ??= {};
    api[domain][verb] = async (input?: unknown) => {
      const result = await transport().call(channel, input ?? {});
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return api as Api;
}

export const api: Api = buildApi();

export function transportKind(): RawTransport['kind'] {
  return transport().kind;
}

export function onWorkbenchEvent(listener: (event: WorkbenchEvent) => void): () => void {
  return transport().onEvent(listener);
}

export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  return transport().onConnection?.(listener) ?? (() => {});
}
