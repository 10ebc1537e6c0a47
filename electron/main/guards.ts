import type { App, Session, Shell, WebContents } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './security.ts';

/**
 * Navigation, new-window, webview and permission guards for every webContents the app creates
 * (Electron security checklist items 5, 13, 14, 15, 20).
 */
export function installGuards(app: App, shell: Shell, devServerUrl: string | undefined): void {
  app.on('web-contents-created', (_event, contents: WebContents) => guardWebContents(contents, shell, devServerUrl));
}

export function guardWebContents(contents: WebContents, shell: Pick<Shell, 'openExternal'>, devServerUrl: string | undefined): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
