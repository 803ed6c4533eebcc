/**
 * Electron entry: wires the modules explicitly, keeps no mutable globals
 * beyond the one window reference owned by this function's closure.
 */
import { app, dialog, ipcMain, powerMonitor, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { release, type } from 'node:os';
import { join } from 'node:path';
import { installAppMenu } from './app-menu.js';
import { createHandlers } from './core/app/ipc-handlers.js';
import { MessengerService } from './core/app/messenger-service.js';
import { describeStartupFailure } from './core/app/startup-failure.js';
import { AttentionTracker } from './core/desktop/attention.js';
import { desktopCapabilities } from './core/desktop/capabilities.js';
import { createQuitGate } from './core/desktop/quit-gate.js';
import {
  CHROMIUM_DEBUG_SWITCHES,
  devToolsAllowed,
  refusalWords,
  refusedDebugSwitches,
} from './core/desktop/devtools-policy.js';
import { loginItemSettings, showWindowAtStart } from './core/desktop/start-window.js';
import { registerAppScheme, serveAppScheme } from './app-scheme.js';
import { aboutInfo } from './core/desktop/about-info.js';
import { registerIpc, sendEvent } from './ipc.js';
import { createSafeStorageVault } from './safe-storage-vault.js';
import { applySpellcheck, lockPermissions } from './session-hardening.js';
import { createTray, showBadge, type BalconyTray } from './tray.js';
import { RENDERER_DIR } from './window.js';
import { WindowKeeper } from './window-keeper.js';
import { listenForXmppLinks } from './xmpp-links.js';

/** The Electron build of better-sqlite3 from scripts/electron-sqlite.mjs, when running from a checkout. */
function electronSqliteBinding(): string | undefined {
  const file = join(app.getAppPath(), '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

async function main(): Promise<void> {
  // Issue 13 leftovers #3: a packaged build started with remote debugging (--remote-debugging-port/-pipe,
  // --inspect*) quits before anything else, the lock and any window included; the Chromium switches are
  // removed too, so the endpoint Chromium would open at start-up never does while the process winds down.
  const refused = refusedDebugSwitches({
    isPackaged: app.isPackaged,
    argv: process.argv,
    platform: process.platform,
    hasSwitch: (name) => app.commandLine.hasSwitch(name),
  });
  if (refused.length > 0) {
    for (const name of CHROMIUM_DEBUG_SWITCHES) app.commandLine.removeSwitch(name);
    console.error(refusalWords(refused));
    app.exit(1);
    return;
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  registerAppScheme();
  const xmppLinks = listenForXmppLinks(app, process.argv); // before ready: macOS's first open-url comes early
  await app.whenReady();
  // Before any page loads: our origin, the permission locks (issue 13 #5).
  serveAppScheme(session.defaultSession, RENDERER_DIR);
  lockPermissions(session.defaultSession);

  const profileDir = app.getPath('userData');
  const log = (message: string): void => console.log(message);
  const capabilities = desktopCapabilities({ platform: process.platform, env: process.env });
  const windows = new WindowKeeper({
    profileDir,
    log,
    hasTray: capabilities.hasTray,
    keepInTray: () => service.desktop.settings().keepInTray,
  });
  const service = new MessengerService({
    profileDir,
    vault: await createSafeStorageVault(),
    log,
    sqliteBinding: electronSqliteBinding(),
    desktop: {
      capabilities,
      showWindow: () => windows.show(),
      // The page asks only after its confirmation showed the whole address; the service checks it is http(s).
      openExternal: (url) => shell.openExternal(url),
      openProfileFolder: async () => {
        const failure = await shell.openPath(profileDir);
        if (failure) log(`open profile folder: ${failure}`);
      },
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
  // Spellcheck as the settings say, now and when they change (off on Linux unless turned on: issue 13 #5).
  applySpellcheck(session.defaultSession, service.desktop.settings().spellcheck);
  // Issue 13 #1: started at login with "start minimised", the window is made but stays hidden (tray only).
  const { wasOpenedAtLogin } = app.getLoginItemSettings();
  const startSettings = service.desktop.settings();
  windows.open(
    showWindowAtStart({ argv: process.argv, settings: startSettings, capabilities, openedAtLogin: wasOpenedAtLogin }),
  );
  const contents = () => windows.contents();
  const applyLoginItem = (settings: typeof startSettings): void => {
    if (capabilities.canStartAtLogin)
      app.setLoginItemSettings(loginItemSettings(settings, capabilities, app.isPackaged));
  };
  applyLoginItem(startSettings);
  service.on('event', (event) => {
    if (event.type === 'desktop-settings') applyLoginItem(event.settings);
  });
  let tray: BalconyTray | null = null;
  const attention = new AttentionTracker(service, (view) => {
    showBadge(view);
    tray?.update(view);
  });
  showBadge(attention.view);
  if (capabilities.hasTray)
    tray = createTray(service, attention.view, {
      show: () => windows.show(),
      toggle: () => windows.toggle(),
      quit: () => app.quit(),
      log,
    });

  registerIpc(ipcMain, createHandlers(service), contents);
  service.on('event', (event) => sendEvent(contents(), event));
  service.on('event', (event) => {
    if (event.type === 'desktop-settings') applySpellcheck(session.defaultSession, event.settings.spellcheck);
    // The tray's Status items follow a change made in the window (Linux menus are not refreshed when opened).
    if (event.type === 'own-presence') tray?.update(attention.view);
  });
  installAppMenu({
    service,
    allowDevTools: devToolsAllowed({ isPackaged: app.isPackaged, argv: process.argv }),
    showWindow: () => windows.show(),
    log,
  });
  await service.resume();

  // The OS knows before our sockets do: retry at once on these signals.
  powerMonitor.on('resume', () => service.networkMayBeBack());
  powerMonitor.on('unlock-screen', () => service.networkMayBeBack());

  app.on('second-instance', () => windows.show());
  // macOS: the dock icon shows the window, hidden in the tray or closed.
  app.on('activate', () => windows.show());
  // xmpp: links (issue 13 #4) go to the service, which the window hears or asks; the window comes forward.
  xmppLinks.deliverTo(
    (uri) => void service.desktop.openXmppLink(uri),
    () => windows.show(),
  );
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Unavailable presence and the stream's close reach the server before the process ends (at most ~2 s).
  const quitGate = createQuitGate(
    () => service.close(),
    () => app.quit(),
    { log },
  );
  app.on('before-quit', (event) => {
    windows.quitting();
    attention.dispose();
    tray?.dispose();
    tray = null;
    quitGate.beforeQuit(event);
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
