import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'pS Workbench';

/**
 * The directory Electron's app.getPath('userData') gives for this app, computed without
 * Electron, so the CLI and the desktop app share one database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PSW_DATA_DIR) return env.PSW_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), 'workbench.sqlite');
}
