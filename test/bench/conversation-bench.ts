/**
 * Issue 10, speed: opening a conversation of 100,000 stored messages (the
 * newest screen painted under 100 ms, scrolling back through it at p95 frame
 * time under 16 ms), and a received message painted within 5 ms (median) of
 * its arrival at the core, unread counts updated without re-rendering the list.
 *
 * The profile: a real profile database (migrations, roster cache, account
 * setting) whose MessageStore holds N messages in one conversation (and a
 * few small ones), filled through the store's own archive path: MAM results
 * parsed by message-stanzas.ts and written by MessageStore.storeArchivePage,
 * 1,000 a transaction. In main (node): the store's newest page and pages
 * back. In Chromium: the built renderer (dist/renderer) bridged to a real
 * MessengerService on that profile (offline, the cached roster), the message
 * channels answered from that MessageStore (getHistory: MessageService.history
 * where it exists, else the store's page as the IPC shape), as JSON strings
 * (test/support/renderer-bridge.ts).
 */
import { readFileSync, rmSync } from 'node:fs';
import type {
  AccountSettings,
  ChatMessage,
  ConversationSummary,
  HistoryRequest,
  MessengerEvent,
  Result,
  RosterItem,
} from '../../preload/contract.js';
import { MessageService } from '../../main/core/messages/message-service.js';
import { MessageStore } from '../../main/core/store/message-store.js';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import { openStore } from '../../main/core/roster-core.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { tempDir } from '../support/roster-fixtures.js';
import { launchChromium, openBridgedPage, serveRenderer, type BridgedPage } from '../support/renderer-bridge.js';
import { median, percentile, round, withTimeout, type ResultRow } from './bench-util.js';
import { archiveItemsFor, startServer, type ServerChild } from './archive-catchup-bench.js';
import {
  CONVERSATION_SCROLL_PROBE,
  LIVE_PROBE,
  OPEN_PROBE,
  SCROLL_TO_END_PROBE,
  UNREAD_PROBE,
  callProbe,
  type ConversationScrollResult,
  type LiveSample,
  type LiveStep,
  type OpenSample,
  type UnreadSample,
  type UnreadStep,
} from './conversation-probes.js';
import { generateArchive, type ArchiveItem } from './mam-archive.js';
import { xmlProbe } from './xml-probe.js';

export const CONVERSATION_TARGETS = {
  openPaintMs: 100,
  scrollFrameMs: 16,
  livePaintMs: 5,
  /** Rows of the list other than the contact's whose DOM changes on an unread update. */
  otherRows: 1,
};

const OWN = 'juliet@localhost';
const BIG = 'romeo@example.net';
const SMALL = 'benvolio@example.net';
/** Contacts that sort first in the list ("Aa…"), so that their rows are on screen for the unread probe. */
const UNREAD_NAMES = ['Aaron Ash', 'Aaron Birch', 'Aaron Cedar', 'Aaron Elm', 'Aaron Fir'];
/** Their rows show no digit but the count: the probe looks for the number. */
const UNREAD_CONTACTS = UNREAD_NAMES.map((name) => `${name.toLowerCase().replace(' ', '.')}@example.net`);
const OTHERS = Array.from({ length: 40 }, (_, i) => `friend${i}@example.net`);
const BATCH = 1000;
/** The store-level page (the renderer's own limit is logged from its calls). */
const STORE_PAGE = 100;

export const CONVERSATION_METHODS = {
  conversation_profile:
    'a profile database (the app migrations) with the account setting, a roster cache of 47 contacts (RosterStore.replaceAll) and a MessageStore holding N messages with romeo@example.net (40% ours from another device; bodies from a word to a paragraph, emoji, RTL) plus small conversations, stored through the archive path: generated XEP-0313 results parsed by message-stanzas.ts (unwrapMamResult + parseChatMessage) and written by MessageStore.storeArchivePage, 1,000 per call (one transaction each), the cursor moved with them.',
  store_history:
    'MessageStore.history(jid, {limit: 100}) in node: cold = the first call on a freshly opened database connection (OS file cache warm); warm = median of 50 calls; back = median over successive pages older than the previous page (before = its oldest id), from the newest end, and one page from the middle of the conversation. main_getHistory = MessageService.history where the branch has it (else not reported).',
  conversation_open:
    "the built renderer in Chromium (headless, 1000x700: the wide two-pane layout), bridged to a real MessengerService on that profile (offline: the cached roster) with getHistory/getConversations/markRead answered from the profile's MessageStore (MessageService.history when present, else the store's page mapped to HistoryPage) as JSON strings. An xm-open-conversation event (what the list's Enter sends) is dispatched at the start of a frame; timed to the end of the first frame in which the conversation's newest message body is laid out inside its scroller. first = the first open after a page load (fresh page per sample); again = re-opening it after another conversation was shown. The bridge's CDP round trip is included (not an Electron figure: reported apart as bridge_transport where it can be split).",
  conversation_scroll:
    "the open conversation's scroller moved up by 240 px at the start of each frame (older pages load through getHistory as it goes), frame work from the frame's scroll event (capturing listener on the conversation's shadow root) or animation frame callback, whichever is first, to the end of the frame, p95 and median; stuck frames: the scroller at its top waiting for older messages; long animation frames (over 50 ms) counted.",
  live_message:
    "per message: the core part in node (the stanza's text parsed by @xmpp/xml, message-stanzas.parseChatMessage, MessageStore.storeIncoming, the 'message' and 'conversation' events' JSON: what MessageService does between a stanza arriving and the events it emits, without the session's dispatch) + the renderer part in Chromium (the two events delivered to the page as the bridge delivers them, at the start of a frame, to the end of the first frame in which the body is laid out inside the open conversation's scroller). The sum per message, median; the bridge transport between the two is not counted (Electron's IPC is not this harness's CDP).",
  unread_update:
    "a message for a conversation that is not open and its summary (unread + 1) delivered to the page; timed to the end of the first frame in which that contact's row (first rows of the list) shows the count (its text or an aria-label holds the number); a MutationObserver on the list's shadow root records which rows' DOM changed until two frames later: other_rows = rows other than the contact's (target: none).",
};

interface ConversationDeps {
  /** What is missing; the renderer part adds to it. */
  missing: string[];
}

function rosterItems(): RosterItem[] {
  const item = (jid: string, name: string): RosterItem => ({
    jid,
    name,
    subscription: 'both',
    ask: null,
    approved: false,
    groups: ['Friends'],
  });
  return [
    item(BIG, 'Romeo Montague'),
    item(SMALL, 'Benvolio'),
    ...UNREAD_CONTACTS.map((jid, i) => item(jid, UNREAD_NAMES[i]!)),
    ...OTHERS.map((jid, i) => item(jid, `Friend ${i}`)),
  ];
}

/** Fills `store` with `items` through the archive path, BATCH per transaction; returns ms. */
function fill(store: MessageStore, items: readonly ArchiveItem[]): number {
  const t = performance.now();
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    const last = batch.at(-1)!;
    store.storeArchivePage(archiveItemsFor(batch, OWN, `${OWN}/bench`, 'fill'), {
      cursor: { id: last.archiveId, time: last.time },
    });
  }
  return performance.now() - t;
}

interface Profile {
  dir: string;
  bigNewest: string;
  smallNewest: string;
  fillMs: number;
  lastTime: number;
}

function makeProfile(n: number): Profile {
  const dir = tempDir('balcony-bench-messages-');
  const { db, store: roster } = openStore(dir);
  try {
    const account = 'juliet@localhost';
    roster.replaceAll(account, rosterItems(), 'bench-1');
    roster.markSynced(account, Date.now());
    const settings: AccountSettings = { jid: account, host: null, port: null, rememberPassword: false };
    new AppSettingsStore(db).set('account', settings);
    const store = new MessageStore(db, OWN);
    const start = Date.UTC(2025, 0, 1);
    const big = generateArchive({ own: OWN, contacts: [BIG], count: n, startTime: start, seed: 3, prefix: 'b' });
    const bigNewest = `Newest of ${n}: see you at the station`;
    big[big.length - 1] = { ...big.at(-1)!, body: bigNewest, direction: 'in' };
    const small = generateArchive({ own: OWN, contacts: [SMALL], count: 40, startTime: start, seed: 5, prefix: 's' });
    const smallNewest = 'Newest of the small one: the keys are under the mat';
    small[small.length - 1] = { ...small.at(-1)!, body: smallNewest, direction: 'in' };
    const others = generateArchive({
      own: OWN,
      contacts: [...UNREAD_CONTACTS, ...OTHERS],
      count: 400,
      startTime: start,
      seed: 9,
      prefix: 'o',
    });
    // One archive, in time order, as a server holds it.
    const all = [...big, ...small, ...others].sort((a, b) => a.time - b.time);
    const fillMs = fill(store, all);
    store.setArchiveAtStart(BIG, true);
    store.setArchiveAtStart(SMALL, true);
    return { dir, bigNewest, smallNewest, fillMs, lastTime: all.at(-1)!.time };
  } finally {
    db.close();
  }
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const PASSWORD = 'bench-secret';

function historyRequest(value: unknown): HistoryRequest {
  const o = value as Partial<HistoryRequest> | null;
  if (!o || typeof o.jid !== 'string' || !Number.isInteger(o.limit)) throw new Error('bad getHistory request');
  return { jid: o.jid, before: o.before ?? null, limit: o.limit! };
}

export async function benchConversation(
  n: number,
  options: { quick: boolean; renderer: boolean },
  deps: ConversationDeps,
  log: (s: string) => void,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const row = (metric: string, value: number | null, unit: string, target: number | null = null): void => {
    const v = value === null || Number.isNaN(value) ? null : value;
    rows.push({
      n,
      metric,
      value: v === null ? null : round(v, 3),
      unit,
      floor: null,
      target,
      met: target === null || v === null ? null : v < target,
    });
  };
  const profile = makeProfile(n);
  log(
    `conversation: ${n} messages stored in ${round(profile.fillMs / 1000, 1)} s (${round(n / (profile.fillMs / 1000), 0)}/s through storeArchivePage)`,
  );
  const { db } = openStore(profile.dir);
  try {
    // --- In main: the store's pages.
    const store = new MessageStore(db, OWN);
    let t = performance.now();
    const newest = store.history(BIG, { limit: STORE_PAGE });
    const coldMs = performance.now() - t;
    if (newest.entries.length !== STORE_PAGE) throw new Error(`history gave ${newest.entries.length} entries`);
    const last = newest.entries.at(-1)!;
    if (last.kind !== 'message' || last.body !== profile.bigNewest)
      throw new Error('the newest page does not end with the newest message');
    const warm: number[] = [];
    for (let i = 0; i < 50; i++) {
      t = performance.now();
      store.history(BIG, { limit: STORE_PAGE });
      warm.push(performance.now() - t);
    }
    const back: number[] = [];
    let before = newest.entries[0]!.id;
    const pagesBack = options.quick ? 20 : 100;
    for (let i = 0; i < pagesBack; i++) {
      t = performance.now();
      const page = store.history(BIG, { before, limit: STORE_PAGE });
      back.push(performance.now() - t);
      if (page.entries.length === 0) break;
      before = page.entries[0]!.id;
    }
    // A page from the middle: the entry n/2 from the end, found by paging (ids are the store's).
    const middle: number[] = [];
    {
      let cursor: string | null = null;
      let seen = 0;
      while (seen < n / 2) {
        const page = store.history(BIG, { before: cursor, limit: 500 });
        if (page.entries.length === 0) break;
        seen += page.entries.length;
        cursor = page.entries[0]!.id;
      }
      for (let i = 0; i < 10; i++) {
        t = performance.now();
        store.history(BIG, { before: cursor, limit: STORE_PAGE });
        middle.push(performance.now() - t);
      }
    }
    log(
      `conversation: store history newest page cold ${round(coldMs, 2)} ms, warm median ${round(median(warm), 2)} ms; back median ${round(median(back), 2)} ms; middle ${round(median(middle), 2)} ms`,
    );
    row('store_history_newest_page_cold (first call on a fresh connection, 100)', coldMs, 'ms');
    row('store_history_newest_page_warm_median (100)', median(warm), 'ms');
    row('store_history_page_back_median (before = previous oldest, 100)', median(back), 'ms');
    row('store_history_page_middle_median (n/2 from the end, 100)', median(middle), 'ms');
    row('  conversation_fill_rate (storeArchivePage, 1,000 a call)', n / (profile.fillMs / 1000), 'msg/s');

    // --- The live core: a session to a scripted server, the real MessageService on this store.
    const server = await startServer({ user: 'juliet', password: PASSWORD, own: OWN, parts: [] });
    const session = new XmppSession({
      account: OWN,
      password: PASSWORD,
      host: '127.0.0.1',
      port: server.port,
      ca: readFileSync(server.caFile, 'utf8'),
      resource: 'bench',
    });
    const service = new MessageService({
      session,
      store,
      settings: new AppSettingsStore(db),
      sharesPresence: () => true,
      isBlocked: () => false,
    });
    try {
      await withTimeout(session.start({ failFast: true }), 60_000, 'live core sign-in');
      const serviceMs: number[] = [];
      for (let i = 0; i < 50; i++) {
        t = performance.now();
        await service.history({ jid: BIG, limit: STORE_PAGE });
        serviceMs.push(performance.now() - t);
      }
      row('main_getHistory_newest_page_median (MessageService.history, 100)', median(serviceMs), 'ms');
      if (!options.renderer) return rows;
      rows.push(...(await rendererPart(n, options.quick, profile, { service, server }, deps, log)));
      return rows;
    } finally {
      await session.stop();
      await server.stop();
    }
  } finally {
    db.close();
    rmSync(profile.dir, { recursive: true, force: true });
  }
}

let liveSeq = 0;

/** A unique tag without digits (the unread probe looks for the count's digits in the row). */
const letters = (k: number): string =>
  String.fromCharCode(97 + (k % 26)) + String.fromCharCode(97 + (Math.floor(k / 26) % 26));

/** An incoming chat message as the server delivers it. */
function chatStanza(from: string, body: string): string {
  liveSeq += 1;
  const id = `live-${liveSeq}-${Date.now().toString(36)}`;
  return (
    `<message xmlns='jabber:client' from='${from}/phone' to='${OWN}/bench' type='chat' id='${id}'>` +
    `<body>${body}</body><origin-id xmlns='urn:xmpp:sid:0' id='${id}'/>` +
    `<stanza-id xmlns='urn:xmpp:sid:0' by='${OWN}' id='S-${id}'/>` +
    `<request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/>` +
    `<active xmlns='http://jabber.org/protocol/chatstates'/></message>`
  );
}

interface Arrival {
  /** performance.now(): the chunk holding the stanza reached the parser (xml-probe) */
  chunkAt: number;
  /** performance.now(): MessageService emitted 'message' */
  emittedAt: number;
  /** the 'message' and 'conversation' events as the bridge would send them (JSON) */
  events: string[];
  message: ChatMessage;
}

/**
 * Has the server send a chat message and waits for MessageService's events
 * for it: arrival at the core (the chunk at the parser) -> 'message' emitted.
 */
async function arrive(service: MessageService, server: ServerChild, from: string, body: string): Promise<Arrival> {
  const xml = chatStanza(from, body);
  const id = /id='([^']+)'/.exec(xml)![1]!;
  let chunkAt = Number.NaN;
  xmlProbe.onStanza = (ev) => {
    if (ev.element.name === 'message' && ev.element.attrs.id === id) chunkAt = ev.chunkReceivedAt;
  };
  xmlProbe.active = true;
  try {
    const got = new Promise<Arrival>((resolve) => {
      let arrival: Arrival | null = null;
      const onMessage = (message: ChatMessage): void => {
        if (message.body !== body) return;
        arrival = {
          chunkAt,
          emittedAt: performance.now(),
          events: [JSON.stringify({ type: 'message', message } satisfies MessengerEvent)],
          message,
        };
      };
      // emitted synchronously after 'message' (#emitSummary): the pair is complete when it comes
      const onSummary = (conversation: ConversationSummary): void => {
        if (arrival?.message.conversation !== conversation.jid) return;
        arrival.events.push(JSON.stringify({ type: 'conversation', conversation } satisfies MessengerEvent));
        service.off('message', onMessage);
        service.off('conversation', onSummary);
        resolve(arrival);
      };
      service.on('message', onMessage);
      service.on('conversation', onSummary);
    });
    server.send(xml);
    return await withTimeout(got, 20_000, `live message ${id}`);
  } finally {
    xmlProbe.active = false;
    xmlProbe.onStanza = null;
  }
}

export async function pollPage(page: BridgedPage['page'], expression: string, what: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!(await page.evaluate(expression))) {
    if (performance.now() > deadline) throw new Error(`${what} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const LIST_SHOWN = `(() => {
  const stack = [document];
  while (stack.length) {
    const node = stack.pop();
    for (const el of node.children ?? []) {
      if (el.localName === 'xm-contact-list' && el.shadowRoot?.querySelector('.contact-row')) return true;
      if (el.shadowRoot) stack.push(el.shadowRoot);
      stack.push(el);
    }
  }
  return false;
})()`;

async function rendererPart(
  n: number,
  quick: boolean,
  profile: Profile,
  live: { service: MessageService; server: ServerChild },
  deps: ConversationDeps,
  log: (s: string) => void,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const row = (metric: string, value: number | null, unit: string, target: number | null = null): void => {
    const v = value === null || Number.isNaN(value) ? null : value;
    rows.push({
      n,
      metric,
      value: v === null ? null : round(v, 3),
      unit,
      floor: null,
      target,
      met: target === null || v === null ? null : v < target,
    });
  };
  const { service: messages, server } = live;
  const service = new MessengerService({ profileDir: profile.dir, vault: new TestVault(false) });
  await service.resume();
  // The app's own IPC handlers (validation, MessengerService, its MessageService on this profile) where
  // they answer; else the message channels from the bench's MessageService (same database file).
  const probe = await createHandlers(service).getHistory([{ jid: BIG, limit: 1 }]);
  const realHandlers = probe.ok;
  log(
    `conversation: getHistory answered by ${realHandlers ? "the app's IPC handler table (MessengerService)" : `the bench's MessageService (the app's handler said: ${JSON.stringify(probe)})`}`,
  );
  const handlers = (table: HandlerTable): HandlerTable =>
    realHandlers
      ? table
      : {
          ...table,
          getHistory: async (args) => ok(await messages.history(historyRequest(args[0]))),
          getConversations: () => Promise.resolve(ok(messages.conversations())),
          markRead: (args) => {
            const o = args[0] as { jid?: unknown; upTo?: unknown } | undefined;
            if (typeof o?.jid === 'string' && typeof o.upTo === 'string') messages.markRead(o.jid, o.upTo);
            return Promise.resolve(ok(null));
          },
        };
  const served = await serveRenderer();
  const browser = await launchChromium();
  const pageErrors: string[] = [];
  let lean: BridgedPage | null = null;
  try {
    lean = await openBridgedPage(browser, served, service, { handlers, viewport: { width: 1000, height: 700 } });
    const { page } = lean;
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await pollPage(page, LIST_SHOWN, 'no contact row shown');
    const hasConversation = await page.evaluate<boolean>(`customElements.get('xm-conversation') !== undefined`);
    if (!hasConversation) {
      deps.missing.push(
        'renderer: no <xm-conversation> element in dist/renderer (the conversation pane, branch msg-pane)',
      );
      log('conversation: the renderer has no xm-conversation: the renderer rows are not measured');
      row(
        'conversation_open_newest_painted (NOT MEASURED: no xm-conversation)',
        null,
        'ms',
        CONVERSATION_TARGETS.openPaintMs,
      );
      row('conversation_scroll_back_frame_work_p95 (NOT MEASURED)', null, 'ms', CONVERSATION_TARGETS.scrollFrameMs);
      row('live_message_arrival_to_painted_median (NOT MEASURED)', null, 'ms', CONVERSATION_TARGETS.livePaintMs);
      row('unread_update_other_rows_changed (NOT MEASURED)', null, 'rows', CONVERSATION_TARGETS.otherRows);
      return rows;
    }
    const openProbe = (opens: { jid: string; newest: string }[]) =>
      withTimeout(
        page.evaluate<OpenSample[]>(callProbe(OPEN_PROBE, { opens, settleFrames: 5, maxFrames: 600 })),
        120_000,
        'open probe',
      );
    const big = { jid: BIG, newest: profile.bigNewest };
    const small = { jid: SMALL, newest: profile.smallNewest };
    const firsts: OpenSample[] = [];
    const agains: OpenSample[] = [];
    const historyCalls: { handlerMs: number; bytes: number }[] = [];
    /** The bridge's part of the first open's getHistory round trip (CDP; not Electron's IPC). */
    const transports: number[] = [];
    const loads = quick ? 2 : 5;
    for (let load = 0; load < loads; load++) {
      if (load > 0) {
        await page.reload();
        await pollPage(page, LIST_SHOWN, 'no contact row shown after reload');
      }
      const since = lean.handled.length;
      const [first, ...rest] = await openProbe([big, small, big, small, big]);
      const handled = lean.handled.slice(since).filter((h) => h.channel === 'getHistory');
      historyCalls.push(...handled);
      // The first open's newest page: its round trip in the page, split into the handler, JSON and the bridge.
      const inPage = await page.evaluate<{ sent: number; arrived: number; parsed: number }[]>(
        `window.__bench.ipc.filter((c) => c.channel === 'getHistory')`,
      );
      const call = inPage[0];
      const node = handled[0];
      if (call && node)
        transports.push(call.parsed - call.sent - node.handlerMs - node.encodeMs - (call.parsed - call.arrived));
      firsts.push(first!);
      agains.push(...rest.filter((s) => s.jid === BIG));
      log(
        `conversation: load ${load + 1}/${loads}: first open painted ${round(first!.ms, 1)} ms (${first!.frames} frames${first!.ok ? '' : ', NOT SHOWN'}), again ${rest
          .filter((s) => s.jid === BIG)
          .map((s) => round(s.ms, 1))
          .join(', ')} ms`,
      );
    }
    const notShown = [...firsts, ...agains].filter((s) => !s.ok).length;
    const firstMs = firsts.filter((s) => s.ok).map((s) => s.ms);
    const againMs = agains.filter((s) => s.ok).map((s) => s.ms);
    const limits = lean.handled.length;
    log(
      `conversation: ${historyCalls.length} getHistory calls during the opens, handler median ${round(median(historyCalls.map((h) => h.handlerMs)), 2)} ms, answer median ${round(median(historyCalls.map((h) => h.bytes)) / 1024, 1)} KB (${limits} calls in all)`,
    );

    // Scroll back through it.
    const sinceScroll = lean.handled.length;
    const scroll = await withTimeout(
      page.evaluate<ConversationScrollResult>(
        callProbe(CONVERSATION_SCROLL_PROBE, { frames: quick ? 120 : 300, step: 240 }),
      ),
      180_000,
      'scroll probe',
    );
    const scrollPages = lean.handled.slice(sinceScroll).filter((h) => h.channel === 'getHistory').length;
    log(
      `conversation: scroll ${scroll.ok ? '' : `FAILED (${scroll.reason}) `}${scroll.frames} frames, ${round(scroll.scrolledPx, 0)} px, ${scrollPages} older pages: frame work median ${round(median(scroll.frameWork), 1)} / p95 ${round(percentile(scroll.frameWork, 95), 1)} / max ${round(Math.max(...scroll.frameWork), 1)} ms; stuck frames ${scroll.stuckFrames}; long frames ${scroll.longFrames.length}`,
    );

    // Live messages into the open conversation.
    await openProbe([small, big]);
    await page.evaluate(callProbe(SCROLL_TO_END_PROBE, {}));
    const liveCount = quick ? 20 : 60;
    const core: number[] = [];
    const renderer: LiveSample[] = [];
    for (let k = 0; k < liveCount; k++) {
      const body = `Live message ${k} from Romeo: are you there?`;
      const c = await arrive(messages, server, BIG, body);
      core.push(c.emittedAt - c.chunkAt);
      const step: LiveStep = { body, events: c.events };
      const [sample] = await withTimeout(
        page.evaluate<LiveSample[]>(callProbe(LIVE_PROBE, { steps: [step], settleFrames: 3, maxFrames: 120 })),
        30_000,
        'live probe',
      );
      renderer.push(sample!);
    }
    const liveOk = renderer.filter((s) => s.ok).length;
    const totals = renderer.map((s, i) => (s.ok ? s.ms + core[i]! : Number.NaN)).filter((v) => !Number.isNaN(v));
    log(
      `conversation: live ${liveOk}/${liveCount} painted: total median ${round(median(totals), 2)} ms (core ${round(median(core), 2)} + page ${round(median(renderer.filter((s) => s.ok).map((s) => s.ms)), 2)})`,
    );

    // Unread counts in the list.
    const unread: UnreadSample[] = [];
    const unreadCount = quick ? 10 : 30;
    for (let k = 0; k < unreadCount; k++) {
      const jid = UNREAD_CONTACTS[k % UNREAD_CONTACTS.length]!;
      const c = await arrive(messages, server, jid, `An unread message for you, ${letters(k)}`);
      const summary = JSON.parse(c.events[1]!) as { conversation: ConversationSummary };
      const step: UnreadStep = { events: c.events, jid, unread: summary.conversation.unread };
      const [sample] = await withTimeout(
        page.evaluate<UnreadSample[]>(callProbe(UNREAD_PROBE, { steps: [step], settleFrames: 3, maxFrames: 60 })),
        30_000,
        'unread probe',
      );
      if (sample) unread.push(sample);
    }
    const unreadOk = unread.filter((s) => s.ok);
    log(
      `conversation: unread ${unreadOk.length}/${unread.length} shown: median ${round(median(unreadOk.map((s) => s.ms)), 2)} ms; rows changed per update max ${Math.max(0, ...unread.map((s) => s.rowsChanged))}, other rows max ${Math.max(0, ...unread.map((s) => s.otherRowsChanged))} (of ${Math.max(0, ...unread.map((s) => s.rowsInDom))} in the DOM)`,
    );
    if (unreadOk.length === 0)
      deps.missing.push(
        'renderer: no contact row showed an unread count (the list side of issue 10 #3, branch msg-list): unread rows not measured',
      );
    if (pageErrors.length > 0) log(`page errors: ${pageErrors.join('; ')}`);

    row(
      'conversation_open_newest_painted_first (open -> newest painted, first after load)',
      firstMs.length > 0 ? median(firstMs) : null,
      'ms',
      CONVERSATION_TARGETS.openPaintMs,
    );
    row(
      'conversation_open_newest_painted_first_excl_transport (the same, minus bridge_transport)',
      firstMs.length > 0 && transports.length > 0 ? median(firstMs) - median(transports) : null,
      'ms',
      CONVERSATION_TARGETS.openPaintMs,
    );
    row('  bridge_transport_getHistory (CDP round trip minus handler and JSON)', median(transports), 'ms');
    row(
      'conversation_open_newest_painted_again (re-open after another)',
      againMs.length > 0 ? median(againMs) : null,
      'ms',
      CONVERSATION_TARGETS.openPaintMs,
    );
    row('  conversation_open_not_shown (opens whose newest never painted)', notShown, 'opens');
    row(
      '  main_getHistory_handler_median (bridge handler in node)',
      median(historyCalls.map((h) => h.handlerMs)),
      'ms',
    );
    row('  ipc_getHistory_answer_median (JSON)', median(historyCalls.map((h) => h.bytes)) / 1024, 'KB');
    row(
      'conversation_scroll_back_frame_work_p95 (240 px/frame, main thread per frame)',
      scroll.ok ? percentile(scroll.frameWork, 95) : null,
      'ms',
      CONVERSATION_TARGETS.scrollFrameMs,
    );
    row('  conversation_scroll_back_frame_work_median', scroll.ok ? median(scroll.frameWork) : null, 'ms');
    row('  conversation_scroll_back_px (moved up in all)', scroll.scrolledPx, 'px');
    row('  conversation_scroll_back_pages (older pages fetched)', scrollPages, 'pages');
    row('  conversation_scroll_back_stuck_frames (at the top, waiting)', scroll.stuckFrames, 'frames');
    row('  conversation_scroll_back_long_frames (over 50 ms)', scroll.longFrames.length, 'frames');
    row(
      'live_message_arrival_to_painted_median (core + page)',
      totals.length > 0 ? median(totals) : null,
      'ms',
      CONVERSATION_TARGETS.livePaintMs,
    );
    row('  live_message_arrival_to_painted_p95', totals.length > 0 ? percentile(totals, 95) : null, 'ms');
    row('  live_message_core_median (chunk at parser -> MessageService message event)', median(core), 'ms');
    row(
      '  live_message_page_median (delivery -> painted)',
      liveOk > 0 ? median(renderer.filter((s) => s.ok).map((s) => s.ms)) : null,
      'ms',
    );
    row(
      '    live_message_page_sync_median (the event listeners, synchronously)',
      liveOk > 0 ? median(renderer.filter((s) => s.ok).map((s) => s.syncMs)) : null,
      'ms',
    );
    row('  live_message_not_shown', liveCount - liveOk, 'messages');
    row(
      'unread_update_to_painted_median (delivery -> row shows the count)',
      unreadOk.length > 0 ? median(unreadOk.map((s) => s.ms)) : null,
      'ms',
    );
    row(
      'unread_update_other_rows_changed (max per update)',
      unreadOk.length > 0 ? Math.max(...unread.map((s) => s.otherRowsChanged)) : null,
      'rows',
      CONVERSATION_TARGETS.otherRows,
    );
    row('  unread_update_not_shown (count never shown on the row)', unread.length - unreadOk.length, 'updates');
    return rows;
  } finally {
    await lean?.close();
    await browser.close();
    await served.close();
    await service.close();
  }
}
