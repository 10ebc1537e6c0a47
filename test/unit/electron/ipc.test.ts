import { afterAll, describe, expect, it, vi } from 'vitest';
import { forwardEvents, registerIpc, trustedSenderCheck } from '../../../electron/main/ipc.ts';
import { Workbench } from '../../../electron/core/workbench.ts';
import { CHANNELS, EVENT_CHANNEL } from '../../../electron/shared/channels.ts';
import { tempDir } from '../../helpers/tmp.ts';

const dir = tempDir();
const workbench = Workbench.open({ dbPath: dir.file('ipc.sqlite'), adapter: 'electron' });
afterAll(async () => {
  await workbench.close();
  dir.remove();
});

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
  return {
    handlers,
    handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

describe('IPC adapter', () => {
  it('registers exactly one handler per contract channel and removes them', () => {
    const ipc = fakeIpcMain();
    const dispose = registerIpc(ipc as never, workbench, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses calls from untrusted senders before anything runs', async () => {
    const ipc = fakeIpcMain();
    const spy = vi.spyOn(workbench, 'invoke');
    registerIpc(ipc as never, workbench, () => false);
    const result = await ipc.handlers.get('runs.list')?.({}, {});
    expect(result).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused.' } });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('validates input from trusted senders through the contract', async () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc as never, workbench, () => true);
    const bad = (await ipc.handlers.get('runs.start')?.({}, { kind: 'throughput', target: { host: '-x' } })) as { ok: boolean; error: { code: string } };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('INVALID_INPUT');
    const good = (await ipc.handlers.get('runs.list')?.({}, { limit: 5 })) as { ok: boolean };
    expect(good.ok).toBe(true);
  });

  it('forwards workbench events to live windows only', async () => {
    const sent: unknown[] = [];
    const alive = { isDestroyed: () => false, send: (channel: string, payload: unknown) => sent.push([channel, payload]) };
    const dead = { isDestroyed: () => true, send: () => sent.push('dead') };
    const stop = forwardEvents(workbench, () => [alive, dead] as never);
    const started = await workbench.invoke('runs.start', { kind: 'throughput', target: { host: '127.0.0.1', port: 9 }, options: { duration: 1 } });
    expect(started.ok).toBe(true);
    if (started.ok) await workbench.waitForRun(started.value.runId);
    stop();
    expect(sent).not.toContain('dead');
    expect(sent.some((s) => Array.isArray(s) && s[0] === EVENT_CHANNEL && (s[1] as { type: string }).type === 'run.finished')).toBe(true);
  });
});

describe('trusted sender check', () => {
  const mainFrame = { url: 'app://workbench/index.html' };
  const ours = { mainFrame };
  const check = trustedSenderCheck((contents) => contents === (ours as never), undefined);
  it('accepts the main frame of our window on our origin', () => {
    expect(check({ sender: ours, senderFrame: mainFrame } as never)).toBe(true);
  });
  it('refuses sub-frames, foreign windows, foreign origins and destroyed frames', () => {
    expect(check({ sender: ours, senderFrame: { url: 'app://workbench/frame.html' } } as never)).toBe(false);
    expect(check({ sender: { mainFrame }, senderFrame: mainFrame } as never)).toBe(false);
    const navigated = { url: 'https://evil.example/' };
    expect(check({ sender: { mainFrame: navigated }, senderFrame: navigated } as never)).toBe(false);
    expect(check({ sender: ours, senderFrame: null } as never)).toBe(false);
  });
});
