/**
 * The renderer benchmark's bridge: the built renderer (dist/renderer) in
 * Debian's Chromium, wired to a real MessengerService through the same
 * handler table main/ipc.ts registers (createHandlers), like
 * test/e2e/bridge.ts, but
 * - compiled by tsc and run under plain node (test/e2e is not compiled), so
 *   everything that runs in the page is source text, never a function;
 * - with a lean transport instead of Playwright's exposeBinding: a CDP
 *   binding carries the call (a JSON string) to node, and the answer comes
 *   back as one JSON string parsed in the page: serialise, copy, deserialise
 *   once, as Electron's IPC does (with a structured clone instead of JSON).
 *   Large answers (the snapshot) do not go through CDP: a 7 MB message takes
 *   it about 0.4-0.9 s (measured: Runtime.evaluate or callFunctionOn alike),
 *   which would be counted as the app's time. The page loads them instead as
 *   a same-origin script (allowed by the page's CSP, script-src 'self') from
 *   this server: `__balconyResolve(id, "<json>")`, a few ms per MB on
 *   loopback. exposeBinding, used by the e2e tests, goes through CDP and
 *   encodes every value in Playwright's own tagged format: costlier still;
 * - with timestamps on both sides, so the round trip of getRoster splits into
 *   the core's time and the transport's.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { MessengerEvent } from '../../preload/contract.js';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import type { MessengerService } from '../../main/core/app/messenger-service.js';
import { launchChromium, serveRendererDir } from '../support/renderer-server.js';

/** dist/renderer as `npm run build` leaves it; BENCH_RENDERER_DIR serves another build (e.g. an older renderer, for a before/after). */
const RENDERER_DIR = process.env.BENCH_RENDERER_DIR ?? fileURLToPath(new URL('../../renderer/', import.meta.url)); // dist/test/bench -> dist/renderer

export interface ServedRenderer {
  url: string;
  /** Keeps a one-shot script at the returned path (absolute, same origin). */
  putScript(text: string): string;
  close(): Promise<void>;
}

const REPLY_PREFIX = '__bench/reply/';

/** Serves dist/renderer on 127.0.0.1 (the page's CSP is its own meta tag), and the bridge's large answers. */
export async function serveRenderer(): Promise<ServedRenderer> {
  const scripts = new Map<string, string>();
  let seq = 0;
  const served = await serveRendererDir(RENDERER_DIR, (path) => {
    if (!path.startsWith(REPLY_PREFIX)) return undefined;
    const script = scripts.get(path);
    scripts.delete(path); // one-shot
    return script;
  });
  return {
    url: served.url,
    putScript(text) {
      const path = `${REPLY_PREFIX}${++seq}.js`;
      scripts.set(path, text);
      return `/${path}`;
    },
    close: served.close,
  };
}

export { launchChromium };

/**
 * Runs in the page before its scripts: window.messenger shaped like the
 * preload's object, over the CDP binding __benchInvoke; answers come back
 * through __balconyResolve(id, jsonText). Every call is logged with page
 * times in window.__bench.ipc.
 */
const INSTALL_MESSENGER = `(() => {
  const bench = (window.__bench ??= { ipc: [], marks: {} });
  const listeners = new Set();
  const pending = new Map();
  let seq = 0;
  window.__balconyResolve = (id, text) => {
    const arrived = performance.now();
    const value = JSON.parse(text);
    const entry = pending.get(id);
    pending.delete(id);
    if (!entry) return;
    entry.log.arrived = arrived;
    entry.log.parsed = performance.now();
    entry.log.bytes = text.length;
    entry.resolve(value);
  };
  const invoke = (channel, ...args) => new Promise((resolve) => {
    const id = ++seq;
    const log = { channel, sent: performance.now(), notified: NaN, arrived: NaN, parsed: NaN, bytes: 0 };
    bench.ipc.push(log);
    pending.set(id, { resolve, log });
    window.__benchInvoke(JSON.stringify({ id, channel, args }));
  });
  window.__balconyReplyScript = (id, src) => {
    const entry = pending.get(id);
    if (entry) entry.log.notified = performance.now();
    const script = document.createElement('script');
    script.src = src;
    script.onload = script.onerror = () => script.remove();
    document.head.append(script);
  };
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
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
})();`;

/** Answers from this size (JSON characters) on come as a script (see the top of the file). */
const LARGE_ANSWER = 64 * 1024;

export interface HandlerTiming {
  channel: string;
  /** node: the handler (the service call) alone */
  handlerMs: number;
  /** node: JSON.stringify of the answer */
  encodeMs: number;
  bytes: number;
}

export interface LeanPage {
  page: Page;
  context: BrowserContext;
  cdp: CDPSession;
  /** node-side timings of every call, in order */
  handled: HandlerTiming[];
  /** Delivers a service event to the page now (as the e2e bridge does). */
  deliver(event: MessengerEvent): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a fresh context and page wired to `service`, with `initScripts`
 * installed after the messenger (before any of the page's own scripts), and
 * navigates to `url`. Service events are forwarded to the page when
 * `forwardEvents` is true.
 */
export async function openLeanPage(
  browser: Browser,
  served: ServedRenderer,
  service: MessengerService,
  options: { initScripts?: string[]; forwardEvents?: boolean; beforeGoto?: (cdp: CDPSession) => Promise<void> } = {},
): Promise<LeanPage> {
  const context = await browser.newContext({ viewport: { width: 480, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const handlers: HandlerTable = createHandlers(service);
  const handled: HandlerTiming[] = [];
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name: '__benchInvoke' });
  cdp.on('Runtime.bindingCalled', (ev) => {
    if (ev.name !== '__benchInvoke') return;
    void (async () => {
      const { id, channel, args } = JSON.parse(ev.payload) as { id: number; channel: string; args: unknown[] };
      const handler = handlers[channel as keyof HandlerTable];
      const t0 = performance.now();
      const result = handler ? await handler(Array.isArray(args) ? args : []) : { ok: false, error: { code: 'invalid-argument', message: 'unknown channel' } };
      const t1 = performance.now();
      const text = JSON.stringify(result);
      const t2 = performance.now();
      handled.push({ channel, handlerMs: t1 - t0, encodeMs: t2 - t1, bytes: text.length });
      const call = `window.__balconyResolve(${id}, ${JSON.stringify(text)})`;
      const expression = text.length < LARGE_ANSWER ? call : `window.__balconyReplyScript(${id}, ${JSON.stringify(served.putScript(call))})`;
      await cdp.send('Runtime.evaluate', { expression, contextId: ev.executionContextId });
    })().catch(() => {});
  });
  await page.addInitScript({ content: INSTALL_MESSENGER });
  for (const content of options.initScripts ?? []) await page.addInitScript({ content });
  const deliver = async (event: MessengerEvent): Promise<void> => {
    await cdp.send('Runtime.evaluate', { expression: `window.__balconyDeliver(JSON.parse(${JSON.stringify(JSON.stringify(event))}))` });
  };
  const forward = (event: MessengerEvent): void => {
    deliver(event).catch(() => {});
  };
  if (options.forwardEvents !== false) service.on('event', forward);
  await options.beforeGoto?.(cdp);
  await page.goto(served.url);
  return {
    page,
    context,
    cdp,
    handled,
    deliver,
    async close() {
      service.off('event', forward);
      await context.close();
    },
  };
}
