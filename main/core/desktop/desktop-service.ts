/**
 * The desktop app's side of the contract (issue 13), free of Electron: the
 * settings, the `xmpp:` links waiting for the window, the About data, and
 * the few things only the shell can do (open a browser, a folder), which
 * main/index.ts passes in as hooks. Tests pass recording hooks.
 */
import type {
  AboutInfo,
  DesktopCapabilities,
  DesktopSettings,
  MessengerEvent,
  XmppLinkAction,
} from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { AppSettingsStore } from '../store/app-settings-store.js';
import { readDesktopSettings, writeDesktopSettings } from './desktop-settings.js';
import { xmppLinkAction } from './xmpp-uri.js';

/** What only the Electron shell can do; each is optional (the CLI and tests have none, or record). */
export interface DesktopHooks {
  capabilities?: DesktopCapabilities;
  about?: () => AboutInfo;
  openExternal?: (url: string) => Promise<void> | void;
  openProfileFolder?: () => Promise<void> | void;
  /** Shows the window (from the tray, minimised or hidden) and brings it forward. */
  showWindow?: () => void;
}

const NO_DESKTOP: DesktopCapabilities = { hasTray: false, canStartAtLogin: false, osSpellchecker: false };
/** Links kept for a window that has not asked yet; more are dropped (a flood of second instances). */
const PENDING_LIMIT = 20;

export class DesktopService {
  readonly #store: AppSettingsStore;
  readonly #hooks: DesktopHooks;
  readonly #emit: (event: MessengerEvent) => void;
  readonly #pending: XmppLinkAction[] = [];
  /** Set once the window has taken the waiting links: later ones go out as events. */
  #windowListens = false;

  constructor(store: AppSettingsStore, hooks: DesktopHooks, emit: (event: MessengerEvent) => void) {
    this.#store = store;
    this.#hooks = hooks;
    this.#emit = emit;
  }

  get capabilities(): DesktopCapabilities {
    return this.#hooks.capabilities ?? NO_DESKTOP;
  }

  settings(): DesktopSettings {
    return readDesktopSettings(this.#store, this.capabilities);
  }

  setSettings(input: unknown): DesktopSettings {
    const settings = writeDesktopSettings(this.#store, input);
    this.#emit({ type: 'desktop-settings', settings });
    return settings;
  }

  about(): AboutInfo {
    return this.#hooks.about?.() ?? { name: 'Balcony', version: 'unknown', runtime: [], licences: [] };
  }

  /** A link from argv, a second instance or open-url: decided now, shown by the window (now or when it asks). */
  openXmppLink(uri: string): XmppLinkAction {
    const action = xmppLinkAction(uri);
    if (this.#windowListens) this.#emit({ type: 'xmpp-link', action });
    else if (this.#pending.length < PENDING_LIMIT) this.#pending.push(action);
    return action;
  }

  takeXmppLinks(): XmppLinkAction[] {
    this.#windowListens = true;
    return this.#pending.splice(0);
  }

  /** The window reloaded (or a new one opened): links wait for it to ask again. */
  windowGone(): void {
    this.#windowListens = false;
  }

  async openExternal(url: string): Promise<null> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BalconyError('invalid-argument', 'That is not a web address.');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new BalconyError('invalid-argument', 'Only http and https addresses open in the browser.');
    await this.#hooks.openExternal?.(parsed.href);
    return null;
  }

  async openProfileFolder(): Promise<null> {
    await this.#hooks.openProfileFolder?.();
    return null;
  }

  showWindow(): null {
    this.#hooks.showWindow?.();
    return null;
  }
}
