import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkoutBundledDir } from '../core/measure/bundled.ts';
import { defaultDbPath } from '../core/paths.ts';
import { Workbench } from '../core/workbench.ts';
import { denyAllPermissions, installGuards } from './guards.ts';
import { forwardEvents, registerIpc, trustedSenderCheck } from './ipc.ts';
import { rendererResponder } from './protocol.ts';
import { APP_SCHEME } from './security.ts';
import { createMainWindow } from './window.ts';

// The Electron shell: lifecycle, windows, security, and the IPC adapter. Everything else is core.
const here = fileURLToPath(new URL('.', import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  installGuards(app, shell, devServerUrl);
  let workbench: Workbench | null = null;

  const isTrustedSender = trustedSenderCheck((contents) => BrowserWindow.fromWebContents(contents) !== null, devServerUrl);

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, rendererResponder(join(here, '../renderer')));
    const bundledDir = app.isPackaged ? join(process.resourcesPath, 'bin') : checkoutBundledDir();
    // The same file the CLI opens by default (and PSW_DATA_DIR moves both), not Electron's userData.
    workbench = Workbench.open({ dbPath: defaultDbPath(), adapter: 'electron', version: app.getVersion(), tools: { bundledDir }, backgroundRefresh: true });
    registerIpc(ipcMain, workbench, isTrustedSender);
    forwardEvents(workbench, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
    const open = () => createMainWindow({ preloadPath: join(here, '../preload/index.cjs'), packaged: app.isPackaged, devServerUrl });
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting waits for every running tool to be stopped and its run stored as cancelled.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !workbench) return;
    event.preventDefault();
    quitting = true;
    void workbench.close().finally(() => app.quit());
  });
}
