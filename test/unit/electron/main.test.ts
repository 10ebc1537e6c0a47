import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defaultDbPath, PRODUCT_NAME } from '../../../electron/core/paths.ts';
import { tempDir } from '../../helpers/tmp.ts';

const dataDir = tempDir();
const userData = tempDir();
vi.stubEnv('PSW_DATA_DIR', dataDir.path);

let ready!: () => void;
const whenReady = new Promise<void>((resolve) => (ready = resolve));
const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => whenReady,
  getPath: (name: string) => (name === 'userData' ? userData.path : `/nonexistent/${name}`),
  getVersion: () => '0.0.0-test',
  quit: vi.fn(),
});
vi.mock('electron', () => ({
  app,
  BrowserWindow: class {
    static getAllWindows = () => [];
    static fromWebContents = () => null;
    webContents = {};
    once = vi.fn();
    loadURL = vi.fn(async () => undefined);
  },
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() } },
  shell: { openExternal: vi.fn() },
}));

await import('../../../electron/main/index.ts');

afterAll(async () => {
  // Quitting closes the workbench, then quits for real.
  app.emit('before-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
  vi.unstubAllEnvs();
  dataDir.remove();
  userData.remove();
});

describe('Electron main process', () => {
  it('opens the same database the CLI uses by default, not one under Electron userData', async () => {
    ready();
    await vi.waitFor(() => expect(existsSync(defaultDbPath())).toBe(true));
    expect(defaultDbPath()).toBe(dataDir.file('workbench.sqlite'));
    expect(readdirSync(userData.path)).toEqual([]);
  });

  it('names the app so Electron userData, when used, is the CLI data directory', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { productName?: string };
    expect(pkg.productName).toBe(PRODUCT_NAME);
  });
});
