import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Balcony';
export const DATABASE_FILE = 'balcony.sqlite3';

/**
 * The profile directory Electron's app.getPath('userData') gives for
 * productName "Balcony", computed without Electron so the headless command
 * shares the desktop app's cache.
 */
export function defaultProfileDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  // XDG Base Directory: an empty XDG_CONFIG_HOME counts as unset
  const xdgConfigHome = env.XDG_CONFIG_HOME;
  return join(
    xdgConfigHome !== undefined && xdgConfigHome !== '' ? xdgConfigHome : join(homedir(), '.config'),
    APP_NAME,
  );
}

export function databasePath(profileDir: string): string {
  return join(profileDir, DATABASE_FILE);
}
