import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENT_CHANNEL } from '../../../electron/shared/channels.ts';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (event: unknown, payload: unknown) => void) => listeners.set(channel, fn),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

await import('../../../electron/preload/index.ts');

describe('preload bridge', () => {
  const api = exposed.psw as { invoke: Record<string, (input: unknown) => Promise<unknown>>; onEvent(l: (e: unknown) => void): () => void };

  it('exposes one object, with one fixed method per contract channel and nothing generic', () => {
    expect(Object.keys(exposed)).toEqual(['psw']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent']);
    expect(Object.keys(api.invoke).sort()).toEqual([...CHANNELS].sort());
    expect(Object.isFrozen(api.invoke)).toBe(true);
  });

  it('each method calls its own channel only', async () => {
    await api.invoke['runs.list']?.({ limit: 3 });
    expect(invoke).toHaveBeenLastCalledWith('runs.list', { limit: 3 });
  });

  it('events reach the page without the IpcRendererEvent, and unsubscribe works', () => {
    const seen: unknown[] = [];
    const stop = api.onEvent((e) => seen.push(e));
    listeners.get(EVENT_CHANNEL)?.({ sender: 'secret' }, { type: 'run.queued', runId: 1 });
    expect(seen).toEqual([{ type: 'run.queued', runId: 1 }]);
    stop();
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
  });
});
