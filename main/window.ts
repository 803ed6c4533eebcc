/**
 * The one application window, locked down: context isolation and the
 * sandbox on, no Node in the page, no navigation away from the bundled page,
 * no new windows; http(s) links open in the system browser, nothing else.
 */
import { BrowserWindow, screen, shell, type Rectangle, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MIN_SIZE, placeWindow, readSavedWindow, writeSavedWindow } from './core/app/window-placement.js';
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

/** The displays' work areas, the primary first (window-placement.ts decides with them). */
function workAreas(): Rectangle[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
}

/** Opens the window where it was last closed (issue 10 #1), and remembers it in `profileDir` when closed. */
export function createMainWindow(profileDir: string, log?: (message: string) => void): BrowserWindow {
  const placement = placeWindow(readSavedWindow(profileDir), workAreas());
  const window = new BrowserWindow({
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined && { x: placement.x, y: placement.y }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Balcony',
    show: false,
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
  window.on('close', () => {
    writeSavedWindow(profileDir, { ...window.getNormalBounds(), maximized: window.isMaximized() }, log);
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(RENDERER_URL);
  return window;
}
