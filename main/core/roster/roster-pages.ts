/**
 * The list's first page and the rest in chunks (getRosterPage,
 * getRosterChunk), from the SQLite cache with the outbox laid over it as
 * roster-view.ts does. The first page costs what it shows, not the roster:
 * every group's size is kept beside the rows (migration 0080), the counts
 * alone say which groups the page reaches, and only those groups' members
 * come into JS, from one scan of the key in SQLite's C code, in keyset
 * slices with the event loop given back between them (a reached group may
 * be large: "No group" of 12,500), into a bounded top-K per group with the
 * renderer's collator (first-page.ts). At 50,000 contacts the scan of every
 * row in JS it replaces took ~80-250 ms. A chunk is one bounded keyset read.
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
  RosterPageGroup,
  RosterPageRequest,
} from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../store/outbox-store.js';
import type { RosterStore } from '../store/roster-store.js';
import { NO_GROUP, labelOf, rosterOrder } from '../../../preload/roster-order.js';
import { TopMembers } from './first-page.js';
import { viewItem } from './roster-view.js';

/** Contacts read per slice of a reached group's members: a few ms of SQLite and sorting work each. */
export const PAGE_SLICE = 2500;
/** Rows of the key one member scan covers (matching or not): a few ms of SQLite. */
export const SCAN_RANGE = 10_000;

export interface RosterPagesOptions {
  account: string;
  store: RosterStore;
  outbox: OutboxStore;
  /** Contacts per slice (tests use small ones). */
  slice?: number;
  /** Rows of the key per member scan (tests use small ones). */
  scanRange?: number;
  /** Gives the event loop back between slices (tests may count the calls). */
  yieldNow?: () => Promise<void>;
}

/** A contact the page shows: `item` when it was read whole (waiting edits laid over it). */
interface PageMember {
  jid: string;
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
  readonly #scanRange: number;
  readonly #yield: () => Promise<void>;
  #resets = 0;

  constructor(options: RosterPagesOptions) {
    this.#account = options.account;
    this.#store = options.store;
    this.#outbox = options.outbox;
    this.#slice = options.slice ?? PAGE_SLICE;
    this.#scanRange = options.scanRange ?? SCAN_RANGE;
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
    const account = this.#account;
    const store = this.#store;
    const version = store.getVersion(account);
    // One generation throughout: a full replace meanwhile arrives as a 'reset' and a new load.
    const generation = store.generationOf(account);
    const order = rosterOrder(request.locale);
    const folded = new Set(request.folded);

    // Contacts with waiting edits: their stored versions leave the counts and candidates, their shown ones enter.
    const pending = this.#pendingByJid();
    const shownPending: RosterItem[] = [];
    const counts = new Map<string, number>();
    const bump = (groups: readonly string[], by: number): void => {
      for (const group of groups.length > 0 ? new Set(groups) : [NO_GROUP]) {
        counts.set(group, (counts.get(group) ?? 0) + by);
      }
    };
    // Every group's size, kept beside the rows (migration 0080): a few dozen counts, no row read.
    let total = store.countGeneration(account, generation);
    for (const [group, n] of store.groupCounts(account, generation)) counts.set(group, n);
    for (const [jid, entries] of pending) {
      const stored = store.getItem(account, jid);
      if (stored) {
        total -= 1;
        bump(stored.groups, -1);
      }
      const shown = viewItem(stored, entries);
      if (shown) {
        total += 1;
        bump(shown.groups, 1);
        shownPending.push(shown);
      }
    }

    // The counts alone say which groups the page reaches and how many of each it shows.
    const names = [...counts.keys()].filter((g) => (counts.get(g) ?? 0) > 0).sort(order.compareGroups);
    const tops = new Map<string, TopMembers<PageMember>>();
    let rowsLeft = request.rows;
    for (const group of names) {
      if (rowsLeft <= 0) break;
      rowsLeft -= 1; // the header
      if (folded.has(group) || rowsLeft <= 0) continue;
      tops.set(group, new TopMembers<PageMember>(rowsLeft, order.compareContacts));
      rowsLeft -= Math.min(rowsLeft, counts.get(group) ?? 0);
    }
    // Their members in one scan of the key in C, in keyset slices with the loop given back between them.
    const reached = [...tops.keys()];
    const parsed = new Map<string, string[]>();
    const offer = (member: PageMember, label: string, groups: readonly string[]): void => {
      for (const group of groups.length > 0 ? new Set(groups) : [NO_GROUP]) {
        tops.get(group)?.offer({ label, jid: member.jid, item: member });
      }
    };
    // The key in ranges of SCAN_RANGE rows (a few ms of C each), each read in slices of at most `slice` members.
    for (let from: string | null = null, done = reached.length === 0; !done;) {
      const upTo = store.keyAfter(account, generation, from, this.#scanRange);
      for (let after = from; ;) {
        const rows = store.membersOfGroups(account, generation, reached, after, upTo, this.#slice);
        for (const [jid, name, groupsJson] of rows) {
          if (pending.has(jid)) continue;
          let groups = parsed.get(groupsJson);
          if (!groups) parsed.set(groupsJson, (groups = JSON.parse(groupsJson) as string[]));
          offer({ jid }, labelOf({ jid, name }), groups);
        }
        const last = rows.at(-1);
        if (!last || rows.length < this.#slice) break;
        after = last[0];
        await this.#yield();
      }
      if (upTo === null) done = true;
      else {
        from = upTo;
        await this.#yield();
      }
    }
    for (const shown of shownPending) offer({ jid: shown.jid, item: shown }, labelOf(shown), shown.groups);

    const groups: RosterPageGroup[] = [];
    const pageItems: PageMember[] = [];
    const seen = new Set<string>();
    for (const group of names) {
      const members = tops.get(group)?.sorted() ?? [];
      for (const { item } of members) {
        if (seen.has(item.jid)) continue;
        seen.add(item.jid);
        pageItems.push(item);
      }
      groups.push({ group, count: counts.get(group) ?? 0, first: members.length });
    }
    // Only the page's few contacts are read whole (as they are now: a change since comes as an event too).
    const items: RosterItem[] = [];
    for (const entry of pageItems) {
      const item = entry.item ?? store.getItem(account, entry.jid);
      if (item) items.push(item);
    }
    return { account, version, total, groups, items, token, complete: items.length === total };
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
