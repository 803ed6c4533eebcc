/**
 * Electron entry: wires the modules explicitly, keeps no mutable globals
 * beyond the one window reference owned by this function's closure.
 */
import { app, BrowserWindow, dialog, ipcMain, powerMonitor } from 'electron';
import { existsSync } from 'node:fs';
import { release, type } from 'node:os';
import { join } from 'node:path';
import { installAppMenu } from './app-menu.js';
import { createHandlers } from './core/app/ipc-handlers.js';
import { MessengerService } from './core/app/messenger-service.js';
import { describeStartupFailure } from './core/app/startup-failure.js';
import { aboutInfo } from './core/desktop/about-info.js';
import { registerIpc, sendEvent } from './ipc.js';
import { safeStorageVault } from './safe-storage-vault.js';
import { createMainWindow } from './window.js';

/** The Electron build of better-sqlite3 from scripts/electron-sqlite.mjs, when running from a checkout. */
function electronSqliteBinding(): string | undefined {
  const file = join(app.getAppPath(), '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  await app.whenReady();

  const profileDir = app.getPath('userData');
  const log = (message: string): void => console.log(message);
  const service = new MessengerService({
    profileDir,
    vault: safeStorageVault,
    log,
    sqliteBinding: electronSqliteBinding(),
    desktop: {
      // The About screen: read when first asked (the licences are then cached), not at start-up.
      about: () =>
        aboutInfo({
          appRoot: app.getAppPath(),
          name: 'Balcony',
          version: app.getVersion(),
          versions: process.versions,
          os: `${type()} ${release()} (${process.arch})`,
        }),
    },
  });
  const openWindow = (): BrowserWindow => createMainWindow(profileDir, log);
  let window: BrowserWindow | null = openWindow();
  const contents = () => window?.webContents ?? null;

  registerIpc(ipcMain, createHandlers(service), contents);
  service.on('event', (event) => sendEvent(contents(), event));
  installAppMenu({ service, allowDevTools: !app.isPackaged, showWindow: () => (window ??= openWindow()).show(), log });
  await service.resume();

  // The OS knows before our sockets do: retry at once on these signals.
  powerMonitor.on('resume', () => service.networkMayBeBack());
  powerMonitor.on('unlock-screen', () => service.networkMayBeBack());

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('activate', () => {
    window ??= openWindow();
  });
  app.on('window-all-closed', () => {
    window = null;
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void service.close();
  });
}

// A failure before the window can say anything (the profile cannot be opened:
// a folder in the way, a full or read-only disk, another program's file) gets
// a message box and a clean exit, never an unhandled rejection.
main().catch((error: unknown) => {
  const { title, detail } = describeStartupFailure(error);
  console.error(`${title}: ${detail}`);
  dialog.showErrorBox(title, detail); // safe before app ready, per Electron's docs
  app.exit(1);
});
