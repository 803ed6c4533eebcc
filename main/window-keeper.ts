/**
 * Owns the one window (issue 13 #1): opens it shown or hidden (started
 * minimised), hides it instead of closing when it is kept in the tray, shows
 * and raises it for the tray, a second instance, the dock or a clicked
 * notification. The decisions are core/desktop/window-close.ts's.
 */
import type { BrowserWindow, WebContents } from 'electron';
import { decideWindowClose } from './core/desktop/window-close.js';
import { createMainWindow } from './window.js';

export interface WindowKeeperOptions {
  profileDir: string;
  log: (message: string) => void;
  hasTray: boolean;
  /** The setting as it is now (read at each close: the user may have changed it). */
  keepInTray: () => boolean;
}

export class WindowKeeper {
  readonly #options: WindowKeeperOptions;
  #window: BrowserWindow | null = null;
  #quitting = false;

  constructor(options: WindowKeeperOptions) {
    this.#options = options;
  }

  get window(): BrowserWindow | null {
    return this.#window;
  }

  contents(): WebContents | null {
    return this.#window?.webContents ?? null;
  }

  /** Opens the window (if there is none); `show` false keeps it hidden in the tray until asked. */
  open(show: boolean): BrowserWindow {
    if (this.#window) return this.#window;
    const window = createMainWindow(this.#options.profileDir, {
      log: this.#options.log,
      showWhenReady: show,
      hideOnClose: () =>
        decideWindowClose({
          platform: process.platform,
          keepInTray: this.#options.keepInTray(),
          hasTray: this.#options.hasTray,
          quitting: this.#quitting,
        }) === 'hide',
    });
    window.on('closed', () => {
      if (this.#window === window) this.#window = null;
    });
    this.#window = window;
    return window;
  }

  /** Shows the window, raised and focused: from the tray, minimised, or (macOS) a new one after it was closed. */
  show(): void {
    const window = this.open(true);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /**
   * The tray icon's click: a shown window hides, a hidden one shows. By
   * visibility, not focus: on Windows the click itself takes the focus from
   * the window, so "focused" would never be true there.
   */
  toggle(): void {
    const window = this.#window;
    if (window?.isVisible() && !window.isMinimized()) window.hide();
    else this.show();
  }

  /** The app is quitting: the next close really closes. */
  quitting(): void {
    this.#quitting = true;
  }
}
