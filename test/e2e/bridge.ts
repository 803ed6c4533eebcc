/**
 * Runs the real renderer (dist/renderer, as built) in Debian's Chromium
 * against the real core, with the thin Electron glue replaced: the same
 * handler table main/ipc.ts registers on ipcMain is exposed to the page with
 * page.exposeBinding, and the service's events are delivered into the page.
 * The page gets `window.messenger` from an init script, shaped exactly like
 * the preload's object.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MessengerEvent } from '../../preload/contract.js';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import type { MessengerService } from '../../main/core/app/messenger-service.js';
import { launchChromium, serveRendererDir, type StaticServer } from '../support/renderer-server.js';

const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
/** Serves dist/renderer on 127.0.0.1. */
export function serveRenderer(): Promise<StaticServer> {
  return serveRendererDir(RENDERER_DIR);
}

export { launchChromium };

// Runs in the page before any of its scripts: the preload's object, over the
// binding. Kept as source text: a function would be serialised after tsx's
// transform, which may add helpers (__name) that do not exist in the page.
const INSTALL_MESSENGER = `(() => {
  const listeners = new Set();
  const invoke = (channel, ...args) => window.__balconyInvoke(channel, args);
  window.__balconyDeliver = (event) => { for (const l of listeners) l(event); };
  window.messenger = Object.freeze({
    getState: () => invoke('getState'),
    signIn: (r) => invoke('signIn', r),
    signOut: (o) => invoke('signOut', o),
    getRoster: () => invoke('getRoster'),
    addContact: (i) => invoke('addContact', i),
    updateContact: (i) => invoke('updateContact', i),
    removeContact: (j) => invoke('removeContact', j),
    renameGroup: (f, t) => invoke('renameGroup', f, t),
    cancelEdit: (id) => invoke('cancelEdit', id),
    reconnectNow: () => invoke('reconnectNow'),
    getPresence: () => invoke('getPresence'),
    approveRequest: (jid, options) => invoke('approveRequest', jid, options),
    denyRequest: (jid) => invoke('denyRequest', jid),
    changeSubscription: (jid, action) => invoke('changeSubscription', jid, action),
    setOwnPresence: (presence) => invoke('setOwnPresence', presence),
    getConnectionReport: () => invoke('getConnectionReport'),
    resyncRoster: () => invoke('resyncRoster'),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
})();`;

export interface BridgedPage {
  page: Page;
  context: BrowserContext;
  /** Every event the service sent to the page, in order. */
  events: MessengerEvent[];
  close(): Promise<void>;
}

/** Opens the renderer in a fresh context wired to `service`. */
export async function openBridgedPage(browser: Browser, url: string, service: MessengerService, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<BridgedPage> {
  const context = await browser.newContext({ viewport: { width: 480, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const handlers: HandlerTable = createHandlers(service);
  await page.exposeBinding('__balconyInvoke', async (_source, channel: string, args: unknown[]) => {
    const handler = handlers[channel as keyof HandlerTable];
    return handler ? handler(Array.isArray(args) ? args : []) : { ok: false, error: { code: 'invalid-argument', message: 'unknown channel' } };
  });
  await page.addInitScript({ content: INSTALL_MESSENGER });
  const events: MessengerEvent[] = [];
  const forward = (event: MessengerEvent): void => {
    events.push(event);
    // an inline arrow: nothing for tsx to name, so it serialises as written
    page.evaluate((e) => (window as unknown as { __balconyDeliver(e: unknown): void }).__balconyDeliver(e), event).catch(() => {});
  };
  service.on('event', forward);
  await page.goto(url);
  return {
    page,
    context,
    events,
    async close() {
      service.off('event', forward);
      await context.close();
    },
  };
}
