import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'postmortem-workbench';
export const DB_FILE_NAME = 'workbench.db';

/** Platform data directory for the CLI and web host (Electron uses app.getPath('userData')). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(xdg, APP_DIR_NAME);
}

/** --db flag, then PMW_DB, then the platform default. */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.PMW_DB || join(defaultDataDir(env), DB_FILE_NAME);
}
