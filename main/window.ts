/**
 * The one application window, locked down: context isolation and the
 * sandbox on, no Node in the page, the page from app://balcony/ (app-scheme.ts)
 * and no navigation away from it, no new windows. A link leaves the app only
 * through the page's confirmation and openExternal (the contract call), never
 * from here: a navigation or window.open that gets here is refused, not opened.
 */
import { app, BrowserWindow, nativeTheme, screen, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  MIN_SIZE,
  placeWindowOnDisplays,
  readWindowMemory,
  rememberWindow,
  writeWindowMemory,
  type DisplayInfo,
} from './core/app/window-placement.js';
import { APP_PAGE_URL, isAppPageUrl } from './core/desktop/app-protocol.js';
import { devToolsAllowed } from './core/desktop/devtools-policy.js';
import { windowBackground } from './core/desktop/window-background.js';
import { attachTextFieldMenu } from './text-field-menu.js';

const distDir = fileURLToPath(new URL('..', import.meta.url));
/** What app-scheme.ts serves. */
export const RENDERER_DIR = join(distDir, 'renderer');
export const RENDERER_URL = APP_PAGE_URL;
const PRELOAD_PATH = join(distDir, 'preload', 'preload.cjs');

export function isAppPage(url: string): boolean {
  return isAppPageUrl(url);
}

function lockNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppPage(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Closes developer tools that opened anyway (a menu role, a shortcut) where they are not allowed. */
function lockDevTools(contents: WebContents, allowed: boolean): void {
  if (!allowed) contents.on('devtools-opened', () => contents.closeDevTools());
}

/** The displays, the primary first (window-placement.ts decides with them). */
function displays(): DisplayInfo[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map(({ id, bounds, workArea }) => ({
    id,
    bounds,
    workArea,
  }));
}

export interface MainWindowOptions {
  log?: (message: string) => void;
  /** Shown once it has painted; false when started minimised into the tray (core/desktop/start-window.ts). */
  showWhenReady: boolean;
  /** Asked on every close: true hides the window instead (kept in the tray, core/desktop/window-close.ts). */
  hideOnClose: () => boolean;
}

/**
 * Opens the window where it was last closed on a display that is still
 * there (issue 10 #1, per display since issue 13 #1), and remembers it in
 * `profileDir` whenever it is closed or hidden to the tray.
 */
export function createMainWindow(profileDir: string, options: MainWindowOptions): BrowserWindow {
  const { log } = options;
  const placement = placeWindowOnDisplays(readWindowMemory(profileDir), displays());
  const devTools = devToolsAllowed({ isPackaged: app.isPackaged, argv: process.argv });
  const window = new BrowserWindow({
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined && { x: placement.x, y: placement.y }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Balcony',
    show: false,
    // The page's own background until it paints: no white frame in a dark desktop (and none the other way).
    backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors),
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true, // the session decides whether it checks (session-hardening.ts)
      devTools,
    },
  });
  lockNavigation(window.webContents);
  lockDevTools(window.webContents, devTools);
  attachTextFieldMenu(window);
  if (placement.maximized) window.maximize();
  window.on('close', (event) => {
    const bounds = window.getNormalBounds();
    const saved = { ...bounds, maximized: window.isMaximized() };
    const display = screen.getDisplayMatching(bounds);
    const memory = rememberWindow(readWindowMemory(profileDir), saved, {
      id: display.id,
      bounds: display.bounds,
      workArea: display.workArea,
    });
    writeWindowMemory(profileDir, memory, log);
    if (options.hideOnClose()) {
      event.preventDefault();
      window.hide();
    }
  });
  // Shown once painted (the cached list is there at once: no blank frame), unless it starts in the tray.
  window.once('ready-to-show', () => {
    if (options.showWhenReady) window.show();
  });
  void window.loadURL(RENDERER_URL);
  return window;
}
