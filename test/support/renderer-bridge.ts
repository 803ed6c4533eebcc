/**
 * The one bridge between the built renderer (dist/renderer) in Debian's
 * Chromium and a real MessengerService, for the e2e tests and the renderer
 * benchmark. The thin Electron glue is replaced: the same handler table
 * main/ipc.ts registers on ipcMain (createHandlers) answers the page, and the
 * service's events are delivered into it; the page gets `window.messenger`
 * from an init script, one method per contract channel, as the preload's.
 *
 * The transport copes with multi-megabyte answers:
 * - a call goes to node as one JSON string over a CDP binding; the answer
 *   comes back as one JSON string parsed in the page (serialise, copy,
 *   deserialise once, as Electron's IPC does with a structured clone);
 * - large answers (the snapshot) do not go through CDP, where a 7 MB message
 *   takes 0.4-0.9 s (measured) that would be counted as the app's time: the
 *   page loads them as a same-origin script from this server (allowed by the
 *   page's CSP, script-src 'self'), a few ms per MB on loopback;
 * - answers and events reach the page in the order node sent them, as over
 *   Electron's one IPC pipe: CDP keeps the order of evaluations, and after a
 *   script-borne answer nothing is sent until the page says it handled it,
 *   so a push sent after a snapshot was computed is never applied before it;
 * - both sides keep timestamps, so a call's round trip splits into the core's
 *   time and the transport's (the benchmark reads them).
 *
 * Everything that runs in the page is source text, never a function: this
 * file is run by tsx (e2e) and compiled by tsc (bench), and either may add
 * helpers to a serialised function that do not exist in the page.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { CHANNELS, type MessengerEvent } from '../../preload/contract.js';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import type { MessengerService } from '../../main/core/app/messenger-service.js';
import { launchChromium, serveRendererDir } from './renderer-server.js';

export { launchChromium };

// Run from source (tsx) this file sits in test/support; compiled, in dist/test/support.
const BUILT_RENDERER = new URL(
  import.meta.url.includes('/dist/test/') ? '../../renderer/' : '../../dist/renderer/',
  import.meta.url,
);
/** dist/renderer as `npm run build` leaves it; BENCH_RENDERER_DIR serves another build (e.g. an older renderer, for a before/after). */
const RENDERER_DIR = process.env.BENCH_RENDERER_DIR ?? fileURLToPath(BUILT_RENDERER);

const INVOKE_CHANNELS = Object.keys(CHANNELS).filter((name) => name !== 'event');

export interface ServedRenderer {
  url: string;
  /** Keeps a one-shot script at the returned path (absolute, same origin). */
  putScript(text: string): string;
  close(): Promise<void>;
}

const REPLY_PREFIX = '__bridge/reply/';
/**
 * The page enforces Trusted Types (renderer/index.html's CSP allows Lit's
 * policy only), so a script element's src needs a TrustedScriptURL: the
 * bridge has a policy of its own, for its reply paths only, named in the
 * served page's CSP and nowhere in the app's.
 */
const BRIDGE_POLICY = 'balcony-test-bridge';

/** Serves dist/renderer on 127.0.0.1 (the page's CSP is its own meta tag), and the bridge's large answers. */
export async function serveRenderer(): Promise<ServedRenderer> {
  const scripts = new Map<string, string>();
  let seq = 0;
  const served = await serveRendererDir(
    RENDERER_DIR,
    (path) => {
      if (!path.startsWith(REPLY_PREFIX)) return undefined;
      const script = scripts.get(path);
      scripts.delete(path); // one-shot
      return script;
    },
    (html) => html.replace(/trusted-types ([^;"]+)/, `trusted-types $1 ${BRIDGE_POLICY}`),
  );
  return {
    url: served.url,
    putScript(text) {
      const path = `${REPLY_PREFIX}${++seq}.js`;
      scripts.set(path, text);
      return `/${path}`;
    },
    close: () => served.close(),
  };
}

/**
 * Runs in the page before its scripts: window.messenger over the CDP binding
 * __bridgeInvoke. Node sends every answer and event as
 * __bridgeMessage(kind, id, jsonText), or as a script that makes that call;
 * a script's arrival is acknowledged over the binding. Every call is logged
 * with page times in window.__bench.ipc.
 */
const INSTALL_MESSENGER = `(() => {
  const bench = (window.__bench ??= { ipc: [], marks: {} });
  const listeners = new Set();
  const pending = new Map();
  let callSeq = 0;
  // What the preload's onEvent listeners get; the benchmark's push probe calls it in the page.
  window.__bridgeDeliver = (event) => { for (const listener of listeners) listener(event); };
  window.__bridgeMessage = (kind, id, text) => {
    const arrived = performance.now();
    const value = JSON.parse(text);
    if (kind === 'event') return window.__bridgeDeliver(value);
    const entry = pending.get(id);
    pending.delete(id);
    if (!entry) return;
    entry.log.arrived = arrived;
    entry.log.parsed = performance.now();
    entry.log.bytes = text.length;
    entry.resolve(value);
  };
  let policy;
  const scriptUrl = (src) => {
    if (!window.trustedTypes) return src;
    policy ??= window.trustedTypes.createPolicy(${JSON.stringify(BRIDGE_POLICY)}, {
      createScriptURL: (url) => {
        if (!url.startsWith(${JSON.stringify(`/${REPLY_PREFIX}`)})) throw new TypeError('not a bridge reply: ' + url);
        return url;
      },
    });
    return policy.createScriptURL(src);
  };
  window.__bridgeScript = (ack, id, src) => {
    const entry = pending.get(id);
    if (entry) entry.log.notified = performance.now();
    const script = document.createElement('script');
    script.src = scriptUrl(src);
    script.onload = script.onerror = () => {
      script.remove();
      window.__bridgeInvoke(JSON.stringify({ ack }));
    };
    document.head.append(script);
  };
  const invoke = (channel, args) => new Promise((resolve) => {
    const id = ++callSeq;
    const log = { channel, sent: performance.now(), notified: NaN, arrived: NaN, parsed: NaN, bytes: 0 };
    bench.ipc.push(log);
    pending.set(id, { resolve, log });
    window.__bridgeInvoke(JSON.stringify({ id, channel, args }));
  });
  const api = {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  for (const channel of ${JSON.stringify(INVOKE_CHANNELS)}) api[channel] = (...args) => invoke(channel, args);
  window.messenger = Object.freeze(api);
})();`;

/** Messages from this size (JSON characters) on come as a script (see the top of the file). */
const LARGE_MESSAGE = 64 * 1024;
/** How long the order waits for a script's acknowledgement before it assumes the page went away. */
const SCRIPT_ACK_TIMEOUT_MS = 30_000;

export interface HandlerTiming {
  channel: string;
  /** node: the handler (the service call) alone */
  handlerMs: number;
  /** node: JSON.stringify of the answer */
  encodeMs: number;
  bytes: number;
}

export interface BridgedPage {
  page: Page;
  context: BrowserContext;
  cdp: CDPSession;
  /** Every event the service sent to the page, in order. */
  events: MessengerEvent[];
  /** node-side timings of every call, in order */
  handled: HandlerTiming[];
  /** Delivers an event to the page now, in order with everything else sent. */
  deliver(event: MessengerEvent): Promise<void>;
  close(): Promise<void>;
}

export interface BridgeOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Installed after the messenger, before any of the page's own scripts. */
  initScripts?: string[];
  /** Forward the service's events to the page (default true). */
  forwardEvents?: boolean;
  beforeGoto?: (cdp: CDPSession) => Promise<void>;
  /**
   * Runs before a call reaches its handler; a test may hold a channel back
   * by waiting here. The handler runs when the wait ends, so its answer is
   * what main would answer then, in order with the events around it.
   */
  beforeCall?: (channel: string, args: unknown[]) => Promise<void>;
  /** Changes the handler table built from the service (the messages bench answers some channels from its own store). */
  handlers?: (table: HandlerTable) => HandlerTable;
}

/** Opens the renderer in a fresh context and page wired to `service`, and navigates to it. */
export async function openBridgedPage(
  browser: Browser,
  served: ServedRenderer,
  service: MessengerService,
  options: BridgeOptions = {},
): Promise<BridgedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 480, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const handlers: HandlerTable = options.handlers ? options.handlers(createHandlers(service)) : createHandlers(service);
  const handled: HandlerTiming[] = [];
  const events: MessengerEvent[] = [];
  // Every message waits for the one before it (see the top of the file).
  let order: Promise<void> = Promise.resolve();
  const scriptAcks = new Map<number, () => void>();
  let scriptSeq = 0;
  const sendNow = async (
    kind: 'answer' | 'event',
    id: number,
    text: string,
    executionContextId?: number,
  ): Promise<void> => {
    const call = `window.__bridgeMessage(${JSON.stringify(kind)}, ${id}, ${JSON.stringify(text)})`;
    let acknowledged: Promise<void> | undefined;
    let expression = call;
    if (text.length >= LARGE_MESSAGE) {
      const ack = ++scriptSeq;
      acknowledged = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SCRIPT_ACK_TIMEOUT_MS);
        scriptAcks.set(ack, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      expression = `window.__bridgeScript(${ack}, ${id}, ${JSON.stringify(served.putScript(call))})`;
    }
    await cdp.send(
      'Runtime.evaluate',
      executionContextId === undefined ? { expression } : { expression, contextId: executionContextId },
    );
    await acknowledged;
  };
  const send = (kind: 'answer' | 'event', id: number, text: string, executionContextId?: number): Promise<void> => {
    const sent = order.then(() => sendNow(kind, id, text, executionContextId));
    order = sent.catch(() => {
      // the page went away: later messages are still tried (a new page may be there)
    });
    return sent;
  };

  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name: '__bridgeInvoke' });
  cdp.on('Runtime.bindingCalled', (ev) => {
    if (ev.name !== '__bridgeInvoke') return;
    void (async () => {
      const message = JSON.parse(ev.payload) as { ack: number } | { id: number; channel: string; args: unknown };
      if ('ack' in message) {
        scriptAcks.get(message.ack)?.();
        scriptAcks.delete(message.ack);
        return;
      }
      const { id, channel, args } = message;
      const handler = handlers[channel as keyof HandlerTable] as HandlerTable[keyof HandlerTable] | undefined;
      await options.beforeCall?.(channel, Array.isArray(args) ? args : []);
      const t0 = performance.now();
      const result = handler
        ? await handler(Array.isArray(args) ? args : [])
        : { ok: false, error: { code: 'invalid-argument', message: 'unknown channel' } };
      const t1 = performance.now();
      const text = JSON.stringify(result);
      const t2 = performance.now();
      handled.push({ channel, handlerMs: t1 - t0, encodeMs: t2 - t1, bytes: text.length });
      await send('answer', id, text, ev.executionContextId);
    })().catch(() => {
      // the page went away (closed or navigated): nothing is waiting for the answer
    });
  });
  await page.addInitScript({ content: INSTALL_MESSENGER });
  for (const content of options.initScripts ?? []) await page.addInitScript({ content });

  const deliver = (event: MessengerEvent): Promise<void> => send('event', 0, JSON.stringify(event));
  const forward = (event: MessengerEvent): void => {
    events.push(event);
    deliver(event).catch(() => {
      // the page went away: the event is recorded in `events` all the same
    });
  };
  if (options.forwardEvents !== false) service.on('event', forward);
  await options.beforeGoto?.(cdp);
  await page.goto(served.url);
  return {
    page,
    context,
    cdp,
    events,
    handled,
    deliver,
    async close() {
      service.off('event', forward);
      for (const release of scriptAcks.values()) release();
      await context.close();
    },
  };
}
