import type { Channel } from '../../../electron/shared/channels.ts';
import type { Result } from '../../../electron/shared/errors.ts';
import type { WorkbenchEvent } from '../../../electron/shared/events.ts';
import type { RawTransport } from './transport.ts';

interface PreloadBridge {
  invoke: Record<Channel, (input: unknown) => Promise<unknown>>;
  onEvent(listener: (event: unknown) => void): () => void;
}

export function preloadBridge(): PreloadBridge | null {
  const candidate = (globalThis as { psw?: PreloadBridge }).psw;
  return candidate && typeof candidate.onEvent === 'function' ? candidate : null;
}

export function ipcTransport(bridge: PreloadBridge): RawTransport {
  return {
    kind: 'electron',
    call: (channel, input) => bridge.invoke[channel](input) as Promise<Result<unknown>>,
    onEvent: (listener) => bridge.onEvent((event) => listener(event as WorkbenchEvent)),
  };
}
