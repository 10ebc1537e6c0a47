import { BrowserWindow } from 'electron';
import { APP_ORIGIN, secureWebPreferences } from './security.ts';

export function createMainWindow(options: { preloadPath: string; packaged: boolean; devServerUrl: string | undefined }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'pS Workbench',
    backgroundColor: '#0f172a',
    webPreferences: secureWebPreferences(options.preloadPath, options.packaged),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devServerUrl ?? `${APP_ORIGIN}/`);
  return window;
}
