import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

const created: Array<{ options: { webPreferences: unknown }; loadURL: ReturnType<typeof vi.fn> }> = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    options: { webPreferences: unknown };
    loadURL = vi.fn(async () => undefined);
    once = vi.fn();
    constructor(options: { webPreferences: unknown }) {
      this.options = options;
      created.push(this);
    }
  },
}));

const { secureWebPreferences, isAppUrl, isSafeExternalUrl, CONTENT_SECURITY_POLICY, APP_ORIGIN } = await import('../../../electron/main/security.ts');
const { guardWebContents, denyAllPermissions } = await import('../../../electron/main/guards.ts');
const { createMainWindow } = await import('../../../electron/main/window.ts');
const { rendererResponder } = await import('../../../electron/main/protocol.ts');
const { tempDir } = await import('../../helpers/tmp.ts');

describe('Electron window security', () => {
  it('every window gets the locked-down web preferences', () => {
    expect(secureWebPreferences('/app/preload/index.cjs', true)).toEqual({
      preload: '/app/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
    expect(Object.isFrozen(secureWebPreferences('/p', false))).toBe(true);
  });

  it('the main window uses them and loads the app origin', () => {
    createMainWindow({ preloadPath: '/p.cjs', packaged: true, devServerUrl: undefined });
    const window = created.at(-1);
    expect(window?.options.webPreferences).toEqual(secureWebPreferences('/p.cjs', true));
    expect(window?.loadURL).toHaveBeenCalledWith(`${APP_ORIGIN}/`);
  });

  it('the CSP allows only our own scripts and no plugins, base or forms', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('compares origins by parsing, not by prefix', () => {
    expect(isAppUrl('app://workbench/index.html', undefined)).toBe(true);
    expect(isAppUrl('app://workbench.evil/index.html', undefined)).toBe(false);
    expect(isAppUrl('https://evil.example/app://workbench', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('not a url', undefined)).toBe(false);
  });

  it('only http(s) links without credentials go to the system browser', () => {
    expect(isSafeExternalUrl('https://www.perfsonar.net/')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
    expect(isSafeExternalUrl('https://user:pw@host/')).toBe(false);
  });
});

describe('webContents guards', () => {
  function fakeContents() {
    const emitter = new EventEmitter() as EventEmitter & { setWindowOpenHandler: ReturnType<typeof vi.fn> };
    emitter.setWindowOpenHandler = vi.fn();
    return emitter;
  }
  const event = () => ({ preventDefault: vi.fn() });

  it('blocks navigation away from the app, webviews, and opens no new windows', () => {
    const contents = fakeContents();
    const shell = { openExternal: vi.fn(async () => undefined) };
    guardWebContents(contents as never, shell, undefined);
    const away = event();
    contents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = event();
    contents.emit('will-navigate', home, 'app://workbench/index.html');
    expect(home.preventDefault).not.toHaveBeenCalled();
    const redirect = event();
    contents.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = event();
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const handler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => { action: string };
    expect(handler({ url: 'https://docs.perfsonar.net/' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://docs.perfsonar.net/');
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('denies every permission request and check', () => {
    const handlers: Record<string, (...args: any[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: (...a: any[]) => unknown) => (handlers.request = h),
      setPermissionCheckHandler: (h: (...a: any[]) => unknown) => (handlers.check = h),
      setDevicePermissionHandler: (h: (...a: any[]) => unknown) => (handlers.device = h),
    };
    denyAllPermissions(session as never);
    const callback = vi.fn();
    handlers.request?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(handlers.check?.({}, 'geolocation')).toBe(false);
    expect(handlers.device?.({})).toBe(false);
  });
});

describe('app:// protocol', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  it('serves only files inside the renderer directory, with the CSP header', async () => {
    mkdirSync(dir.file('renderer'));
    writeFileSync(dir.file('renderer/index.html'), '<p>ok</p>');
    writeFileSync(dir.file('secret'), 'no');
    const respond = rendererResponder(dir.file('renderer'));
    const page = await respond(new Request('app://workbench/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await respond(new Request('app://workbench/%2e%2e/secret'))).status).toBe(404);
    expect((await respond(new Request('app://workbench/missing.js'))).status).toBe(404);
  });
});
