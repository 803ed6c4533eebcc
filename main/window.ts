/**
 * The one application window, locked down: context isolation and the
 * sandbox on, no Node in the page, no navigation away from the bundled page,
 * no new windows; http(s) links open in the system browser, nothing else.
 */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
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

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 420,
    height: 760,
    minWidth: 320,
    minHeight: 400,
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
  window.once('ready-to-show', () => window.show());
  void window.loadURL(RENDERER_URL);
  return window;
}
