/**
 * The list's first page and the rest in chunks (getRosterPage,
 * getRosterChunk), from the SQLite cache with the outbox laid over it as
 * roster-view.ts does. No step is large: the first page reads the cache in
 * keyset slices and gives the event loop back between them (at 50,000
 * contacts a single read and sort of the whole roster holds it for a few
 * hundred ms), and a chunk is one bounded keyset read.
 *
 * A token names one load: it carries the account and the count of resets
 * (full retrievals) seen, so a chunk asked for a load that a reset
 * superseded is refused instead of mixing two rosters.
 */
import type {
  RosterChunk,
  RosterChunkRequest,
  RosterItem,
  RosterPage,
  RosterPageRequest,
} from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../store/outbox-store.js';
import type { RosterStore } from '../store/roster-store.js';
import { FirstPageBuilder, type PageEntry } from './first-page.js';
import { viewItem } from './roster-view.js';

/** Contacts read per slice of the first page's scan: a few ms of SQLite and sorting work each. */
export const PAGE_SLICE = 2500;

export interface RosterPagesOptions {
  account: string;
  store: RosterStore;
  outbox: OutboxStore;
  /** Contacts per slice (tests use small ones). */
  slice?: number;
  /** Gives the event loop back between slices (tests may count the calls). */
  yieldNow?: () => Promise<void>;
}

/** A contact as the first page's scan reads it; `item` when it was read whole (waiting edits laid over it). */
interface LightEntry extends PageEntry {
  item?: RosterItem;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** UTF-8 byte order, the store's (SQLite BINARY) order of addresses; JS's `<` compares UTF-16 units. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class RosterPages {
  readonly #account: string;
  readonly #store: RosterStore;
  readonly #outbox: OutboxStore;
  readonly #slice: number;
  readonly #yield: () => Promise<void>;
  #resets = 0;

  constructor(options: RosterPagesOptions) {
    this.#account = options.account;
    this.#store = options.store;
    this.#outbox = options.outbox;
    this.#slice = options.slice ?? PAGE_SLICE;
    this.#yield = options.yieldNow ?? yieldToLoop;
  }

  /** The cache was replaced (a 'reset' change): loads begun before it are over. */
  reset(): void {
    this.#resets += 1;
  }

  #token(): string {
    return `${this.#resets}:${this.#account}`;
  }

  async firstPage(request: RosterPageRequest): Promise<RosterPage> {
    const token = this.#token();
    const version = this.#store.getVersion(this.#account);
    const builder = new FirstPageBuilder<LightEntry>(request);
    // Few distinct group lists exist (a contact's groups are stored as sorted JSON): each is parsed once.
    const parsedGroups = new Map<string, string[]>();
    let after: string | null = null;
    const outboxOnly = this.#pendingByJid();
    for (;;) {
      const rows = this.#store.orderKeysAfter(this.#account, after, this.#slice);
      // Read again per slice: edits made meanwhile arrive as changes too, and replaying them is harmless.
      const pending = this.#pendingByJid();
      for (const [jid, name, groupsJson] of rows) {
        const entries = pending.get(jid);
        if (entries) {
          // A contact with waiting edits is read whole and shown as roster-view.ts shows it.
          outboxOnly.delete(jid);
          const shown = viewItem(this.#store.getItem(this.#account, jid), entries);
          if (shown) builder.add({ jid, name: shown.name, groups: shown.groups, item: shown });
          continue;
        }
        let groups = parsedGroups.get(groupsJson);
        if (!groups) parsedGroups.set(groupsJson, (groups = JSON.parse(groupsJson) as string[]));
        builder.add({ jid, name, groups });
      }
      const last = rows.at(-1);
      if (!last || rows.length < this.#slice) break;
      after = last[0];
      await this.#yield();
    }
    for (const [jid, entries] of outboxOnly) {
      if (this.#store.getItem(this.#account, jid)) continue; // cached after all (added meanwhile)
      const shown = viewItem(undefined, entries);
      if (shown) builder.add({ jid, name: shown.name, groups: shown.groups, item: shown });
    }
    const page = builder.result();
    // Only the page's few contacts are read whole (as they are now: a change since comes as an event too).
    const items: RosterItem[] = [];
    for (const entry of page.items) {
      const item = entry.item ?? this.#store.getItem(this.#account, entry.jid);
      if (item) items.push(item);
    }
    return {
      account: this.#account,
      version,
      total: page.total,
      groups: page.groups,
      items,
      token,
      complete: items.length === page.total,
    };
  }

  chunk(request: RosterChunkRequest): RosterChunk {
    if (request.token !== this.#token())
      throw new BalconyError(
        'invalid-argument',
        'This load of the contact list is out of date: the list was reloaded.',
      );
    const rows = this.#store.itemsAfter(this.#account, request.after, request.limit);
    const last = rows.at(-1);
    const end = rows.length < request.limit || !last;
    const pending = this.#pendingByJid();
    const items: RosterItem[] = [];
    for (const cached of rows) {
      const entries = pending.get(cached.jid);
      pending.delete(cached.jid);
      const shown = entries ? viewItem(cached, entries) : cached;
      if (shown) items.push(shown);
    }
    // Contacts only the outbox knows (added offline) belong to the chunk whose range holds their address.
    const inRange = (jid: string): boolean =>
      (request.after === null || byteOrder(jid, request.after) > 0) && (end || !last || byteOrder(jid, last.jid) <= 0);
    for (const [jid, entries] of pending) {
      if (!inRange(jid) || this.#store.getItem(this.#account, jid)) continue;
      const shown = viewItem(undefined, entries);
      if (shown) items.push(shown);
    }
    return { items, next: end ? null : last.jid };
  }

  #pendingByJid(): Map<string, OutboxEntry[]> {
    const byJid = new Map<string, OutboxEntry[]>();
    for (const entry of this.#outbox.list(this.#account)) {
      const list = byJid.get(entry.jid);
      if (list) list.push(entry);
      else byJid.set(entry.jid, [entry]);
    }
    return byJid;
  }
}
