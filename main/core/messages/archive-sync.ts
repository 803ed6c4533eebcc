/**
 * The archive side of conversations (XEP-0313 MAM, paged with XEP-0059 RSM):
 * the catch-up after every sign-in that is not a resumption, and paging back
 * in one conversation. The archive cursor (the newest archive id we hold,
 * covering everything before it) moves only with the archive page that
 * reaches it, in the same transaction: a live message never moves it, so a
 * live message during catch-up cannot hide a gap (Converse.js #2940).
 * Dedupe of live and archived copies is the store's (stanza-id first).
 */
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { MessageGap } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { ArchivePosition, MessageStore, StorableMessage, StoredBatch } from '../store/message-store.js';
import type { ArchiveApi, CatchUpResult } from './archive-api.js';
import { MamQueries, type MamPage, type QuerySession } from './mam-query.js';
import { NS_MAM, parseChatMessage } from './message-stanzas.js';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
/**
 * An archive that was empty at our first sign-in has no id to continue
 * from: the cursor is then a time (id ''), this long before our clock's now
 * so that a server clock behind ours loses nothing (an empty archive had
 * nothing older anyway; what we see twice, the store drops).
 */
const EMPTY_ARCHIVE_MARGIN_MS = 24 * 60 * 60 * 1000;
/**
 * Messages from the server held (they carry its archive id) but no cursor:
 * no catch-up has completed on this profile yet (the first one was cut),
 * while live messages were stored. The catch-up then reads forward from
 * this long before the first of them (our clock
 * against the server's), not just the newest page: what came between them
 * and the newest page would otherwise never be fetched (paging back starts
 * before the oldest we hold).
 */
const NO_CURSOR_MARGIN_MS = 60 * 60 * 1000;
/** The coarsest archive stamp seen: Prosody 0.12 gives whole seconds (ejabberd microseconds). */
const STAMP_PRECISION_MS = 1000;

/** The MessageStore methods the archive uses. */
export type ArchiveStore = Pick<
  MessageStore,
  | 'archiveCursor'
  | 'firstArchivedStoredAt'
  | 'newestPlacedTime'
  | 'storeArchivePage'
  | 'insertGap'
  | 'setArchiveAtStart'
  | 'archiveAtStart'
  | 'oldestArchiveId'
  | 'messageByArchiveId'
  | 'applyReceipt'
  | 'conversations'
  | 'history'
  | 'message'
  | 'summary'
> &
  // Our own displayed markers in the archive (another device read there); without it they are skipped.
  Partial<Pick<MessageStore, 'markReadByMarker'>>;

export interface ArchiveSyncOptions {
  session: QuerySession;
  store: ArchiveStore;
  log?: (message: string) => void;
  now?: () => number;
  /** RSM max asked per page (servers may send fewer: Prosody caps at 50). */
  pageSize?: number;
  /** Most pages one catch-up fetches: a server that never says complete ends there. */
  maxPages?: number;
  /** Most pages of the open conversation fetched before the global catch-up. */
  maxOpenConversationPages?: number;
  /** One query's timeout, ms. */
  queryTimeoutMs?: number;
  /**
   * Fewest messages of a catch-up page written in one transaction: a page is
   * written in slices with the event loop free between them, the cursor
   * moving with the last (default 25).
   */
  sliceSize?: number;
  /**
   * A slice holds as many messages as the previous slices say fit in this
   * long (ms), at least sliceSize: on a fast machine a page is one
   * transaction, on a loaded one slices of sliceSize (default 10; 0: always sliceSize).
   */
  sliceBudgetMs?: number;
  /**
   * Whether `jid` (bare) is blocked (XEP-0191): its messages, receipts and
   * markers in the archive are skipped, as live ones are (message-service.ts).
   */
  isBlocked?: (jid: string) => boolean;
}

interface ArchiveSyncEvents {
  /** A page was stored (its new and changed messages, for the UI). */
  stored: [StoredBatch];
  /** An "earlier messages may be missing" marker was put in a conversation. */
  gap: [string, MessageGap];
  /** A catch-up or page-back ended early for a reason worth knowing (a misbehaving server). */
  warning: [string];
}

export class ArchiveSync extends EventEmitter<ArchiveSyncEvents> implements ArchiveApi {
  readonly #session: QuerySession;
  readonly #store: ArchiveStore;
  readonly #queries: MamQueries;
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #maxOpenPages: number;
  readonly #own: string;
  readonly #sliceSize: number;
  readonly #sliceBudgetMs: number;
  readonly #isBlocked: (jid: string) => boolean;
  /** What writing one message of a page cost lately (ms, smoothed); 0 before the first slice. */
  #msPerMessage = 0;
  #catchUp: Promise<CatchUpResult> | null = null;
  readonly #pagingBack = new Map<string, Promise<{ added: number; atStart: boolean }>>();

  constructor(options: ArchiveSyncOptions) {
    super();
    this.#session = options.session;
    this.#store = options.store;
    this.#own = options.session.account;
    this.#log = options.log ?? ((): void => undefined);
    this.#now = options.now ?? Date.now;
    this.#pageSize = options.pageSize ?? 100;
    this.#maxPages = options.maxPages ?? 1000;
    this.#maxOpenPages = options.maxOpenConversationPages ?? 3;
    this.#sliceSize = Math.max(1, options.sliceSize ?? 25);
    this.#sliceBudgetMs = Math.max(0, options.sliceBudgetMs ?? 10);
    this.#isBlocked = options.isBlocked ?? ((): boolean => false);
    this.#queries = new MamQueries(options.session, { timeoutMs: options.queryTimeoutMs, log: this.#log });
  }

  /** Archive queries in flight (tests: none is left behind). */
  get pendingQueries(): number {
    return this.#queries.pending;
  }

  /**
   * Fetches what the archive holds since the cursor. One catch-up at a time:
   * a call while one runs gets that one's result.
   */
  catchUp(options: { openConversation?: string | null } = {}): Promise<CatchUpResult> {
    this.#catchUp ??= this.#runCatchUp(options.openConversation ?? null).finally(() => {
      this.#catchUp = null;
    });
    return this.#catchUp;
  }

  /**
   * One page older than the oldest archived message we hold in `jid`'s
   * conversation (the newest page when we hold none), stored in one
   * transaction; atStart when the server says that was the last.
   */
  pageBack(jid: string, limit: number): Promise<{ added: number; atStart: boolean }> {
    // Two calls for one conversation (a fast scroll) would ask for the same page: they share it.
    let running = this.#pagingBack.get(jid);
    if (!running) {
      running = this.#pageBack(jid, limit).finally(() => this.#pagingBack.delete(jid));
      this.#pagingBack.set(jid, running);
    }
    return running;
  }

  async #pageBack(jid: string, limit: number): Promise<{ added: number; atStart: boolean }> {
    // An archive never grows backwards: once at its start, asking again would only cost a round trip.
    if (this.#store.archiveAtStart(jid)) return { added: 0, atStart: true };
    const before = this.#store.oldestArchiveId(jid) ?? '';
    const max = Number.isInteger(limit) && limit > 0 ? Math.min(limit, this.#pageSize) : this.#pageSize;
    let page: MamPage;
    try {
      page = await this.#queries.query({ with: jid, before, max });
    } catch (error) {
      if ((error as BalconyError).code !== 'item-not-found') throw error;
      // The archive no longer has the oldest message we hold (expired, or reset):
      // nothing older can be fetched, and what came before it may be missing.
      const oldest = before === '' ? null : this.#store.messageByArchiveId(before);
      const gap = this.#store.insertGap(jid, { time: oldest ? oldest.time - 1 : 0 });
      this.#store.setArchiveAtStart(jid, true);
      this.emit('gap', jid, gap);
      this.#warn(`archive: the server no longer has ${before} in ${jid}; marked earlier messages as possibly missing`);
      return { added: 0, atStart: true };
    }
    const oldestHeld = before === '' ? null : this.#store.messageByArchiveId(before);
    const items = placeBefore(this.#inOrder(page), oldestHeld?.time ?? Infinity);
    const batch = this.#save(page, messagesOf(items), {});
    // An empty page has nothing older either, whatever the server says.
    const atStart = page.complete || page.items.length === 0;
    if (atStart) this.#store.setArchiveAtStart(jid, true);
    return { added: batch.added, atStart };
  }

  async #runCatchUp(openConversation: string | null): Promise<CatchUpResult> {
    const result: CatchUpResult = { fetched: 0, pages: 0, gaps: 0 };
    if (!(await this.#hasMam())) {
      result.gaps = this.#markGapsWithoutArchive();
      return result;
    }
    // Read before the open conversation's pass, which stores archived messages of its own.
    const firstStored = this.#store.archiveCursor() === null ? this.#store.firstArchivedStoredAt() : null;
    const open = openConversation === null ? null : await this.#fillOpenConversation(openConversation, result);
    const cursor = this.#store.archiveCursor();
    if (cursor === null && firstStored === null) {
      // First sign-in on this profile: the newest page only; older ones come by paging back.
      await this.#newestPage(result, { gap: false, open });
      return result;
    }
    if (cursor === null) {
      await this.#forwardFrom({ id: '', time: (firstStored ?? this.#now()) - NO_CURSOR_MARGIN_MS }, result, open);
      return result;
    }
    await this.#forwardFrom(cursor, result, open);
    return result;
  }

  /**
   * The open conversation's newest pages first (a `with` query backwards),
   * until a page meets what we hold: the screen the user looks at fills
   * before the global catch-up. No cursor move: other conversations are not
   * covered by these pages.
   */
  async #fillOpenConversation(jid: string, result: CatchUpResult): Promise<OpenPass> {
    const pass: OpenPass = { jid, ids: new Set(), oldest: Infinity, met: false };
    let before = '';
    for (let n = 0; n < this.#maxOpenPages; n += 1) {
      let page: MamPage;
      try {
        page = await this.#queries.query({ with: jid, before, max: this.#pageSize });
      } catch (error) {
        // A first screen is a nicety: an id the server refuses ends it, the catch-up still runs.
        if ((error as BalconyError).code !== 'item-not-found') throw error;
        break;
      }
      this.#count(result, page);
      const items = placeBefore(this.#inOrder(page), pass.oldest);
      // What was held before the pass is older than the cursor: no bound for what the catch-up brings.
      for (const { message, held } of items) {
        if (held || message.archiveId == null) continue;
        pass.ids.add(message.archiveId);
        pass.oldest = Math.min(pass.oldest, message.archiveTime ?? Infinity);
      }
      this.#save(page, messagesOf(items), {});
      const oldest = page.items[0]?.archiveId ?? page.first;
      if (items.some((item) => item.held) || page.complete || oldest === null || oldest === before) break;
      before = oldest;
    }
    return pass;
  }

  /** The newest page of the whole archive, the cursor set to its newest item. */
  async #newestPage(result: CatchUpResult, options: { gap: boolean; open?: OpenPass | null }): Promise<void> {
    const page = await this.#queries.query({ before: '', max: this.#pageSize });
    this.#count(result, page);
    const newest = page.items.at(-1);
    const cursor = newest
      ? { id: newest.archiveId, time: newest.archiveTime }
      : { id: '', time: this.#now() - EMPTY_ARCHIVE_MARGIN_MS };
    const items = messagesOf(placeAfterOpenPass(this.#inOrder(page), options.open ?? null, this.#own));
    const gapIn = options.gap ? [...new Set(items.map((item) => (item.from === this.#own ? item.to : item.from)))] : [];
    const batch = this.#save(page, items, { cursor, gapIn });
    for (const { jid, gap } of batch.gaps) this.emit('gap', jid, gap);
    result.gaps += batch.gaps.length;
  }

  /**
   * Page by page after the cursor, each page stored with the cursor at its
   * end in one transaction. A cursor without an id (the archive was empty)
   * starts at its time instead.
   */
  async #forwardFrom(
    cursor: { id: string; time: number },
    result: CatchUpResult,
    open: OpenPass | null,
  ): Promise<void> {
    let after = cursor.id;
    // Each conversation's newest time so far in the archive's order, from the cursor's item on (placeAfter).
    const floors = new Map<string, number>();
    const atCursor = after === '' ? null : this.#store.messageByArchiveId(after);
    if (atCursor) floors.set(atCursor.conversation, atCursor.time);
    const seenEnds = new Set<string>([after]);
    let previousFirst: string | null = null;
    let reread = false;
    // Reading by time because the archive does not know our cursor: null until the first page says
    // whether the cursor's item is still there (then nothing was lost); the conversations marked so far.
    let expiry: { lost: boolean | null; marked: Set<string> } | null = null;
    for (;;) {
      if (result.pages >= this.#maxPages) {
        this.#warn(`archive: stopped the catch-up after ${result.pages} pages; the rest comes at the next sign-in`);
        return;
      }
      let page: MamPage;
      try {
        page = await this.#queries.query(
          after === '' ? { start: cursor.time, max: this.#pageSize } : { after, max: this.#pageSize },
        );
      } catch (error) {
        if ((error as BalconyError).code !== 'item-not-found') throw error;
        if (after === '' || reread) {
          this.#warn(`archive: the server no longer has ${after} (expired or reset); fetching the newest page`);
          await this.#newestPage(result, { gap: true, open });
          return;
        }
        // The archive expired our cursor's item (or was reset): what it still holds after the
        // cursor's time comes by time, and where messages may have expired unseen, a marker says so.
        this.#warn(`archive: the server no longer has ${after} (expired or reset); reading from its time`);
        expiry = { lost: null, marked: new Set() };
        reread = true;
        after = '';
        continue;
      }
      this.#count(result, page);
      const kept = page.items.at(-1);
      // Where this page ends: the RSM <last>, or the last item kept when the
      // server sent more than asked (what it sent beyond was not stored).
      const end = page.dropped > 0 ? (kept?.archiveId ?? null) : (page.last ?? kept?.archiveId ?? null);
      const first = page.items[0]?.archiveId ?? page.first;
      if (page.items.length === 0 || end === null) {
        if (!page.complete) this.#warn('archive: the server sent an empty page without saying complete; stopped');
        if (reread || after === '' || !(await this.#newerThanCursor(after))) return;
        // ejabberd answers an id it does not know (from another server, say)
        // with an empty, complete page, not item-not-found: stuck there, no
        // catch-up would ever bring anything. Its ids are times; so is ours.
        this.#warn(`archive: nothing after ${after}, yet the archive has newer messages; reading from its time`);
        expiry = { lost: null, marked: new Set() };
        reread = true;
        after = '';
        continue;
      }
      if (seenEnds.has(end) || (first !== null && first === previousFirst)) {
        this.#warn(`archive: the server sent a page that does not advance (after ${after}); stopped`);
        return;
      }
      const endItem = page.items.find((item) => item.archiveId === end) ?? kept;
      const next = { id: end, time: endItem?.archiveTime ?? this.#now() };
      const items = messagesOf(placeAfterOpenPass(this.#inOrder(page, floors), open, this.#own));
      const gapIn = expiry ? this.#expiryGaps(expiry, page, cursor.id, items) : [];
      const batch = await this.#saveInSlices(page, items, next, gapIn);
      for (const { jid, gap } of batch.gaps) this.emit('gap', jid, gap);
      result.gaps += batch.gaps.length;
      if (page.complete && page.dropped === 0) return;
      seenEnds.add(end);
      previousFirst = first;
      after = end;
    }
  }

  /**
   * The conversations of a page read by time after an unknown cursor that get
   * an "earlier messages may be missing" marker: each once, before its first
   * message after the cursor, unless the first page holds the cursor's own
   * item (the archive kept it: ejabberd not reading an id, nothing lost).
   */
  #expiryGaps(
    expiry: { lost: boolean | null; marked: Set<string> },
    page: MamPage,
    cursorId: string,
    items: readonly StorableMessage[],
  ): string[] {
    expiry.lost ??= !page.items.some((item) => item.archiveId === cursorId);
    if (!expiry.lost) return [];
    const jids: string[] = [];
    for (const item of items) {
      const jid = item.from === this.#own ? item.to : item.from;
      if (expiry.marked.has(jid)) continue;
      expiry.marked.add(jid);
      jids.push(jid);
    }
    return jids;
  }

  /**
   * Whether the archive's newest item is neither `cursorId` nor one we hold:
   * then an empty page after the cursor was no "nothing new".
   */
  async #newerThanCursor(cursorId: string): Promise<boolean> {
    const newest = (await this.#queries.query({ before: '', max: 1 })).items.at(-1);
    return (
      newest !== undefined && newest.archiveId !== cursorId && this.#store.messageByArchiveId(newest.archiveId) === null
    );
  }

  /** Whether our own server keeps an archive for us (disco#info on our bare JID, XEP-0313 7). */
  async #hasMam(): Promise<boolean> {
    let info: Element;
    try {
      info = await this.#session.iq('get', xml('query', { xmlns: NS_DISCO_INFO }), this.#own);
    } catch (error) {
      const code = (error as BalconyError).code;
      if (code === 'not-connected' || code === 'connection-lost' || code === 'timeout') throw error;
      // Any refusal of disco#info means we cannot learn of an archive: as without one.
      return false;
    }
    const query = info.getChild('query', NS_DISCO_INFO);
    return (query?.getChildren('feature') ?? []).some((feature) => feature.attrs.var === NS_MAM);
  }

  /**
   * No archive: what arrived while we were away cannot be fetched. Each
   * conversation with messages gets a marker, once: not again while its
   * newest entry is still the marker of an earlier sign-in.
   */
  #markGapsWithoutArchive(): number {
    let gaps = 0;
    for (const summary of this.#store.conversations()) {
      if (summary.last === null) continue;
      const newest = this.#store.history(summary.jid, { before: null, limit: 1 }).entries.at(-1);
      if (newest?.kind === 'gap') continue;
      const gap = this.#store.insertGap(summary.jid, { time: Math.max(this.#now(), summary.last.time) });
      this.emit('gap', summary.jid, gap);
      gaps += 1;
    }
    if (gaps > 0) this.#log(`archive: the server keeps no archive; marked ${gaps} conversations`);
    return gaps;
  }

  /** The page's results as the store takes them, each with whether we hold it already; results that are not chat messages are skipped. */
  #items(page: MamPage): PageItem[] {
    const items: PageItem[] = [];
    for (const item of page.items) {
      const parsed = parseChatMessage(item.message, this.#own);
      // Receipts, markers, chat states and error bounces the archive may hold are no messages to show.
      if (parsed?.body == null || parsed.type === 'error') continue;
      // Nothing from or to a blocked address is shown, whichever way it reached us.
      if (this.#isBlocked(parsed.from === this.#own ? parsed.to : parsed.from)) continue;
      // A message we hold keeps its time when the archive's says the same to
      // the stamp's precision (whole seconds on Prosody): the time it was
      // given when placed among its neighbours (placeBefore) stays its place.
      const held = this.#store.messageByArchiveId(item.archiveId);
      const sameInstant = held !== null && Math.abs(held.time - item.archiveTime) < STAMP_PRECISION_MS;
      items.push({
        held: held !== null,
        message: {
          ...parsed,
          body: parsed.body,
          source: 'archive',
          archiveId: item.archiveId,
          archiveTime: sameInstant ? held.time : item.archiveTime,
        },
      });
    }
    return items;
  }

  /**
   * The page's items (#items) with times that keep the archive's order
   * (placeAfter); `floors` carries each conversation's newest time from one
   * forward page to the next.
   */
  #inOrder(page: MamPage, floors = new Map<string, number>()): PageItem[] {
    return placeAfter(this.#items(page), floors, this.#own, (jid) => this.#store.newestPlacedTime(jid) ?? undefined);
  }

  #count(result: CatchUpResult, page: MamPage): void {
    result.pages += 1;
    result.fetched += page.items.length;
    if (page.forged > 0) this.#log(`archive: ${page.forged} results not from our archive were ignored`);
    if (page.dropped > 0) this.#warn(`archive: the server sent ${page.dropped} results beyond the page size`);
  }

  /**
   * Stores a page's messages and moves the cursor in one transaction, and
   * applies the receipts and displayed markers (XEP-0184, XEP-0333) the page
   * holds to our messages: those a contact sent while we were away reach us
   * only here where the server keeps no offline copies (ejabberd here).
   * With markers, the cursor moves last, on its own: a crash in between
   * fetches the page again rather than losing a marker behind the cursor.
   */
  #save(
    page: MamPage,
    items: StorableMessage[],
    options: Parameters<ArchiveStore['storeArchivePage']>[1],
  ): StoredBatch {
    const markers = this.#markersOf(page);
    if (markers.length === 0) return this.#emitStored(this.#store.storeArchivePage(items, options));
    const { cursor, ...rest } = options ?? {};
    return this.#applyMarkers(markers, this.#store.storeArchivePage(items, rest), cursor);
  }

  /** #save for a catch-up page, written in slices (#storeInSlices). */
  async #saveInSlices(
    page: MamPage,
    items: StorableMessage[],
    cursor: { id: string; time: number },
    gapIn: readonly string[] = [],
  ): Promise<StoredBatch> {
    const markers = this.#markersOf(page);
    if (markers.length === 0) return this.#emitStored(await this.#storeInSlices(items, cursor, gapIn));
    return this.#applyMarkers(markers, await this.#storeInSlices(items, undefined, gapIn), cursor);
  }

  /** Applies a page's markers after its messages are stored, then moves the cursor. */
  #applyMarkers(markers: PageMarker[], stored: StoredBatch, cursor: ArchivePosition | null | undefined): StoredBatch {
    const changed = markers.flatMap((m) =>
      m.kind === 'shown' ? [] : this.#store.applyReceipt(m.conversation, m.id, m.kind),
    );
    // Read on another device of ours: unread drops here too (the summaries say so).
    const read = new Set(
      markers
        .filter((m) => m.kind === 'shown' && this.#store.markReadByMarker?.(m.conversation, m.id) === true)
        .map((m) => m.conversation),
    );
    const summaries = [...read].map((jid) => this.#store.summary(jid)).filter((c) => c !== null);
    return this.#emitStored({
      ...stored,
      results: [...stored.results, ...changed.map((message) => ({ message, isNew: false, changed: true }))],
      conversations: [...stored.conversations.filter((c) => !read.has(c.jid)), ...summaries],
      cursor: cursor == null ? stored.cursor : this.#store.storeArchivePage([], { cursor }).cursor,
    });
  }

  /**
   * A catch-up page in slices of #sliceSize, one transaction each, the event
   * loop free between them; the cursor (when given) moves only with the last
   * slice. A stop between slices leaves messages after the cursor: the next
   * catch-up fetches them again and the store's dedupe drops them. One batch
   * for the page: its messages as they are at its end, its conversations' summaries.
   * The gap markers of `gapIn` go each with the slice of its conversation's first item.
   */
  async #storeInSlices(
    items: StorableMessage[],
    cursor: { id: string; time: number } | undefined,
    gapIn: readonly string[] = [],
  ): Promise<StoredBatch> {
    const batches: StoredBatch[] = [];
    let pending = [...gapIn];
    for (let i = 0; i < items.length || batches.length === 0;) {
      const n = this.#nextSliceSize(items.length - i);
      const last = i + n >= items.length;
      const started = performance.now();
      const slice = items.slice(i, i + n);
      // A marker goes with the slice that holds its conversation's first item (the store puts it just before).
      const gaps = pending.filter((jid) => slice.some((m) => (m.from === this.#own ? m.to : m.from) === jid));
      pending = pending.filter((jid) => !gaps.includes(jid));
      if (last) gaps.push(...pending);
      const options = { ...(last && cursor ? { cursor } : {}), ...(gaps.length > 0 ? { gapIn: gaps } : {}) };
      batches.push(this.#store.storeArchivePage(slice, options));
      if (n > 0) {
        const cost = Math.max(1e-6, (performance.now() - started) / n);
        this.#msPerMessage = this.#msPerMessage === 0 ? cost : (this.#msPerMessage + cost) / 2;
      }
      i += n;
      if (last) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return batches.length === 1 && batches[0] ? batches[0] : joinBatches(this.#store, batches);
  }

  /** How many of the `remaining` messages the next slice writes. */
  #nextSliceSize(remaining: number): number {
    const fit = this.#msPerMessage === 0 ? 0 : Math.floor(this.#sliceBudgetMs / this.#msPerMessage);
    return Math.min(remaining, Math.max(this.#sliceSize, fit));
  }

  #emitStored(batch: StoredBatch): StoredBatch {
    this.emit('stored', batch);
    return batch;
  }

  /**
   * The receipts and displayed markers in a page from contacts, and our own
   * displayed markers ('shown': another device of ours read the contact's
   * messages; ours are never receipts).
   */
  #markersOf(page: MamPage): PageMarker[] {
    const markers: PageMarker[] = [];
    for (const item of page.items) {
      const parsed = parseChatMessage(item.message, this.#own);
      if (!parsed || parsed.type === 'error') continue;
      if (parsed.from === this.#own) {
        if (parsed.displayedId !== null && !this.#isBlocked(parsed.to))
          markers.push({ conversation: parsed.to, id: parsed.displayedId, kind: 'shown' });
        continue;
      }
      if (this.#isBlocked(parsed.from)) continue;
      if (parsed.receivedId !== null)
        markers.push({ conversation: parsed.from, id: parsed.receivedId, kind: 'delivered' });
      if (parsed.displayedId !== null)
        markers.push({ conversation: parsed.from, id: parsed.displayedId, kind: 'read' });
    }
    return markers;
  }

  #warn(message: string): void {
    this.#log(message);
    this.emit('warning', message);
  }
}

/** A receipt or marker in an archive page: 'shown' is our own displayed marker (read on another device). */
interface PageMarker {
  conversation: string;
  id: string;
  kind: 'delivered' | 'read' | 'shown';
}

/** What the open conversation's pass stored: its archive ids and the oldest time it gave them. */
interface OpenPass {
  jid: string;
  ids: Set<string>;
  oldest: number;
  /** A later page reached one of the pass's items. */
  met: boolean;
}

/*
 * Order within a second. The store orders by (time, seq), seq being the
 * order of insertion, and Prosody's archive stamps have whole seconds: a
 * page fetched backwards, inserted after the newer messages it precedes,
 * would sort after those of the same second. So a page known to lie before
 * what is held gets times strictly below it, each strictly below the next
 * (a few ms earlier than the stamp at most, and only where stamps tie).
 */

/** One result of a page: the message to store, and whether we held it before this page. */
interface PageItem {
  message: StorableMessage;
  held: boolean;
}

/**
 * The slices of one page as one batch. What an earlier slice stored may have
 * changed since (a live receipt between slices): its messages and the
 * page's summaries are read again, so the batch is the page's end state.
 */
function joinBatches(store: Pick<ArchiveStore, 'message' | 'summary'>, batches: StoredBatch[]): StoredBatch {
  const lastBatch = batches.at(-1);
  const results = batches.flatMap((batch) =>
    batch === lastBatch
      ? batch.results
      : batch.results.map((r) => ({ ...r, message: store.message(r.message.id) ?? r.message })),
  );
  const jids = new Set(batches.flatMap((batch) => batch.conversations.map((c) => c.jid)));
  return {
    results,
    added: batches.reduce((n, batch) => n + batch.added, 0),
    gaps: batches.flatMap((batch) => batch.gaps),
    conversations: [...jids].map((jid) => store.summary(jid)).filter((c) => c !== null),
    cursor: lastBatch?.cursor ?? null,
  };
}

function messagesOf(items: readonly PageItem[]): StorableMessage[] {
  return items.map((item) => item.message);
}

/**
 * The mirror of placeBefore, for any page, oldest first: an item that comes
 * after another of its conversation in the archive's order never gets an
 * earlier time. A held message keeps its arrival time (live, in ms) when the
 * archive's stamp says the same second, and the archive's next messages of
 * that second are stamped .000: where an item's stamp is below the
 * conversation's newest time so far by less than the stamp's precision, the
 * stamps cannot tell their order and the archive's order wins: it goes 1 ms
 * after. Strictly after, not a tie left to seq: a copy of a message we hold
 * without its archive id (our own, matched by origin-id) keeps its older
 * seq when the store re-times it. A held item keeps its time where that is
 * after the floor, and raises it; one the floor passed within the precision
 * moves after it like a new one (the store takes an archive time over an
 * arrival time); a stamp older by a second or more is kept (the archive's
 * times win over local ones). `floors` (conversation -> ms) is updated.
 */
function placeAfter(
  items: PageItem[],
  floors: Map<string, number>,
  own: string,
  newestHeld: (jid: string) => number | undefined,
): PageItem[] {
  return items.map((item) => {
    const { message } = item;
    const jid = message.from === own ? message.to : message.from;
    // Before this page's first item of the conversation: what we hold of it (a live message
    // at its arrival time in ms, after the cursor's item at its whole second) comes first.
    const floor = floors.get(jid) ?? newestHeld(jid) ?? -Infinity;
    const stamp = message.archiveTime ?? floor;
    // Held ones too: a live copy kept at its arrival time (say .047) while the archive's
    // messages before it in the same second were placed .000, .001, ... up to past it (a
    // catch-up interrupted, then resumed with live messages in between) goes after them.
    if (stamp > floor || (item.held && stamp === floor) || floor - stamp >= STAMP_PRECISION_MS) {
      floors.set(jid, Math.max(floor, stamp));
      return item;
    }
    floors.set(jid, floor + 1);
    return { ...item, message: { ...message, archiveTime: floor + 1 } };
  });
}

/**
 * The items of a page that lies before `limit` (ms), oldest first: the new
 * ones get times strictly below the next newer one (and below `limit`); those
 * we hold keep theirs and bound what precedes them.
 */
function placeBefore(items: PageItem[], limit: number): PageItem[] {
  let next = limit;
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i];
    if (!item) continue;
    const stamp = item.message.archiveTime ?? next - 1;
    if (item.held) {
      next = Math.min(next, stamp);
      continue;
    }
    const time = Math.min(stamp, next - 1);
    items[i] = { ...item, message: { ...item.message, archiveTime: time } };
    next = time;
  }
  return items;
}

/**
 * A page fetched after the open conversation's pass: that conversation's new
 * items before the first one the pass stored are older than all it stored,
 * so they are kept below its oldest time; from that one on, the archive's
 * order and the insertion order agree again.
 */
function placeAfterOpenPass(items: PageItem[], open: OpenPass | null, own: string): PageItem[] {
  if (open === null) return items;
  return items.map((item) => {
    const { message } = item;
    if (open.met || (message.from === own ? message.to : message.from) !== open.jid) return item;
    if (open.ids.has(message.archiveId ?? '')) {
      open.met = true;
      return item;
    }
    if (item.held) return item;
    const time = Math.min(message.archiveTime ?? open.oldest - 1, open.oldest - 1);
    return { ...item, message: { ...message, archiveTime: time } };
  });
}
