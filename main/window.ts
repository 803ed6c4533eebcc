/**
 * The one application window, locked down: context isolation and the
 * sandbox on, no Node in the page, no navigation away from the bundled page,
 * no new windows; http(s) links open in the system browser, nothing else.
 */
import { BrowserWindow, nativeTheme, screen, shell, type WebContents } from 'electron';
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
import { windowBackground } from './core/desktop/window-background.js';
import { attachTextFieldMenu } from './text-field-menu.js';

const distDir = fileURLToPath(new URL('..', import.meta.url));
export const RENDERER_URL = new URL(`file://${join(distDir, 'renderer', 'index.html')}`).href;
const PRELOAD_PATH = join(distDir, 'preload', 'preload.cjs');

export function isAppPage(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && `file://${u.pathname}` === RENDERER_URL;
  } catch {
    return false;
  }
}

function openExternally(url: string): void {
  try {
    const { protocol } = new URL(url);
    if (protocol === 'https:' || protocol === 'http:') void shell.openExternal(url);
  } catch {
    // not a URL: ignore
  }
}

function lockNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppPage(url)) {
      event.preventDefault();
      openExternally(url);
    }
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
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
      spellcheck: true,
    },
  });
  lockNavigation(window.webContents);
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
