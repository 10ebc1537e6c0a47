import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, EVENT_CHANNEL, type Channel } from '../shared/channels.ts';

/**
 * The whole bridge: one fixed method per contract channel (no generic invoke, no ipcRenderer,
 * no event objects), plus one event subscription that returns its own unsubscribe.
 */
export type InvokeBridge = { readonly [C in Channel]: (input: unknown) => Promise<unknown> };

export function buildBridge(invoke: (channel: Channel, input: unknown) => Promise<unknown>): InvokeBridge {
  const bridge: Partial<Record<Channel, (input: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) bridge[channel] = (input: unknown) => invoke(channel, input);
  return Object.freeze(bridge) as InvokeBridge;
}

const api = {
  invoke: buildBridge((channel, input) => ipcRenderer.invoke(channel, input)),
  onEvent(listener: (event: unknown) => void): () => void {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

export type PreloadApi = typeof api;

contextBridge.exposeInMainWorld('psw', api);
