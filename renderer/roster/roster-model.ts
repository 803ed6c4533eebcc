import type { RosterChange, RosterItem, RosterSnapshot } from '../../preload/contract.js';
import { fold } from './fold.js';

/** Group key of the section for contacts in no group; group names are never empty. */
export const NO_GROUP = '';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const collate = collator.compare;

export function compareText(a: string, b: string): number {
  return collate(a, b);
}

/**
 * A roster item plus what the list needs to show and search it. The label is
 * computed when the item arrives (the list is sorted by it); the rest when
 * first asked for, since only the rows on screen need them (the search keys
 * are also folded ahead, in idle time: RosterModel.warm).
 */
export class ContactEntry {
  /** What the list shows: the name, or the JID when no name is set. */
  readonly label: string;
  private searchKeyValue: string | undefined;
  private initialValue: string | undefined;
  private hueValue: number | undefined;
  private rowKeys: Map<string, string> | undefined;
  /** The last search (SearchIndex.match) that found this contact. */
  searchMark = 0;

  constructor(readonly item: RosterItem) {
    this.label = item.name !== null && item.name.trim() !== '' ? item.name : item.jid;
  }

  /** Folded name and JID: a keystroke in the search box only compares strings. */
  get searchKey(): string {
    return (this.searchKeyValue ??= fold(`${this.label}\n${this.item.jid}`));
  }

  /** One visible letter for the avatar (format and control characters skipped). */
  get initial(): string {
    if (this.initialValue === undefined) {
      const visible = this.label.replace(/[\p{Cc}\p{Cf}\s]/gu, '');
      this.initialValue = (Array.from(visible)[0] ?? '?').toLocaleUpperCase();
    }
    return this.initialValue;
  }

  /** 0–7, stable per JID, picks the avatar colour. */
  get hue(): number {
    if (this.hueValue === undefined) {
      let hash = 0;
      for (const ch of this.item.jid) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0; // ch is one whole code point, never ''
      this.hueValue = hash % 8;
    }
    return this.hueValue;
  }

  /** The list's key for this contact's row in `group`. */
  rowKey(group: string): string {
    const keys = (this.rowKeys ??= new Map<string, string>());
    let key = keys.get(group);
    if (key === undefined) keys.set(group, (key = `c${JSON.stringify([group, this.item.jid])}`));
    return key;
  }
}

/**
 * The list's order of contacts: by label, then by address (both with the
 * collator), then by the address's code units, so that no two contacts tie
 * and the order never depends on arrival.
 */
export function compareEntries(a: ContactEntry, b: ContactEntry): number {
  if (a === b) return 0;
  const ja = a.item.jid;
  const jb = b.item.jid;
  return collate(a.label, b.label) || collate(ja, jb) || (ja < jb ? -1 : ja > jb ? 1 : 0);
}

/** At least this many more members are put in order at a time. */
const SORT_CHUNK = 64;
/** In idle time, a group with no more than this many members left unordered is sorted in one go. */
const IDLE_SORT_AT_ONCE = 4096;

/**
 * The members of one group, put in list order lazily: a prefix is in order
 * and precedes everything after it, and grows when a position past it is
 * asked for (a selection pass, then a sort of the part selected). The first
 * screen of a 50,000-contact roster then costs one pass over the group it
 * shows instead of a sort of everything; RosterModel.warm finishes the job
 * in idle time.
 *
 * Immutable as far as anyone can see: `with` returns a new list, and sorting
 * only rearranges positions nobody has read yet.
 */
export class MemberList {
  private readonly items: ContactEntry[];
  /** items[0, ordered) are in list order and come before every later item. */
  private ordered: number;

  constructor(items: ContactEntry[], ordered = 0) {
    this.items = items;
    this.ordered = items.length <= 1 ? items.length : Math.min(ordered, items.length);
  }

  get length(): number {
    return this.items.length;
  }

  /** True once every member is in order. */
  get complete(): boolean {
    return this.ordered === this.items.length;
  }

  /** The member at `index` in list order. */
  at(index: number): ContactEntry | undefined {
    if (index >= this.ordered && index < this.items.length) this.orderTo(index + 1);
    return this.items[index];
  }

  /** Every member, in list order. */
  all(): readonly ContactEntry[] {
    this.orderTo(this.items.length);
    return this.items;
  }

  /** The list position of `entry`, or -1. */
  indexOf(entry: ContactEntry): number {
    const index = this.items.indexOf(entry);
    if (index < this.ordered) return index;
    this.orderTo(this.items.length);
    return this.items.indexOf(entry);
  }

  /** Puts at least the first `count` members in order (more at a time: the step doubles). */
  orderTo(count: number): void {
    const n = this.items.length;
    if (count <= this.ordered) return;
    let end = Math.max(count, this.ordered + SORT_CHUNK, this.ordered * 2);
    if (end >= n - SORT_CHUNK) end = n;
    if (end < n) selectSmallest(this.items, this.ordered, n, end);
    sortRange(this.items, this.ordered, end);
    this.ordered = end;
  }

  /** More of the list in order, for idle time (all of it when a few thousand are left); false when it is complete. */
  orderMore(): boolean {
    if (this.complete) return false;
    this.orderTo(this.items.length - this.ordered <= IDLE_SORT_AT_ONCE ? this.items.length : this.ordered + 1);
    return !this.complete;
  }

  /** The members `matches` accepts, in list order, without putting the others in order first. */
  filter(matches: (entry: ContactEntry) => boolean): ContactEntry[] {
    if (this.complete) return this.items.filter(matches);
    // The ordered prefix precedes everything after it: only the rest needs sorting, and only its matches.
    const rest = this.items.slice(this.ordered).filter(matches).sort(compareEntries);
    const found = this.items.slice(0, this.ordered).filter(matches);
    for (const entry of rest) found.push(entry);
    return found;
  }

  /** A new list: this one without `remove` and with `add` (either may be undefined), what was in order kept in order. */
  with(remove: ContactEntry | undefined, add: ContactEntry | undefined): MemberList {
    const items = this.items.slice();
    let ordered = this.ordered;
    if (remove) {
      const index = items.indexOf(remove);
      if (index >= 0) {
        items.splice(index, 1);
        if (index < ordered) ordered -= 1;
      }
    }
    if (add) {
      // Into the ordered prefix when it belongs there (or when everything is in order), else anywhere after it.
      if (ordered === items.length || (ordered > 0 && compareEntries(add, itemAt(items, ordered - 1)) < 0)) {
        items.splice(insertionPoint(items, ordered, add), 0, add);
        ordered += 1;
      } else {
        items.push(add);
      }
    }
    return new MemberList(items, ordered);
  }
}

const EMPTY_LIST = new MemberList([]);

/** a[i] at an index the algorithm keeps in range: a hole is a bug here, not a missing contact. */
function itemAt<T>(a: readonly T[], i: number): T {
  const item = a[i];
  if (item === undefined) throw new Error(`roster model: nothing at ${i} of ${a.length}`);
  return item;
}

/** First position in a[0, end) whose member comes after `x`. */
function insertionPoint(a: readonly ContactEntry[], end: number, x: ContactEntry): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(itemAt(a, mid), x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sortRange(a: ContactEntry[], lo: number, hi: number): void {
  if (hi - lo < 2) return;
  const part = a.slice(lo, hi).sort(compareEntries);
  for (let i = 0; i < part.length; i += 1) a[lo + i] = itemAt(part, i);
}

/** Rearranges a[lo, hi) so that a[lo, k) holds its k - lo first members in list order (quickselect; lo < k < hi). */
function selectSmallest(a: ContactEntry[], lo: number, hi: number, k: number): void {
  let left = lo;
  let right = hi - 1;
  const swap = (i: number, j: number): void => {
    const t = itemAt(a, i);
    a[i] = itemAt(a, j);
    a[j] = t;
  };
  while (right > left) {
    const mid = (left + right) >>> 1;
    if (compareEntries(itemAt(a, mid), itemAt(a, left)) < 0) swap(mid, left);
    if (compareEntries(itemAt(a, right), itemAt(a, left)) < 0) swap(right, left);
    if (compareEntries(itemAt(a, right), itemAt(a, mid)) < 0) swap(right, mid);
    const pivot = itemAt(a, mid);
    let i = left;
    let j = right;
    while (i <= j) {
      while (compareEntries(itemAt(a, i), pivot) < 0) i += 1;
      while (compareEntries(itemAt(a, j), pivot) > 0) j -= 1;
      if (i <= j) {
        swap(i, j);
        i += 1;
        j -= 1;
      }
    }
    // a[left, j] come before the pivot's value, a[i, right] after; positions between hold it.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

const SEPARATOR = '\u0001';
let lastMark = 0;

/**
 * Every contact's search key in one string, so that a keystroke is a few
 * String.prototype.indexOf scans (fast native code) instead of 50,000
 * `includes` calls. Contacts are appended as they change; the ones replaced
 * or removed stay in the text (they are in no group, so finding them does
 * nothing) until there are as many of them as live ones.
 */
class SearchIndex {
  private parts: string[] = [];
  private starts: number[] = [];
  private entries: ContactEntry[] = [];
  private length = 0;
  private text: string | null = null;

  add(entry: ContactEntry): void {
    const key = entry.searchKey;
    this.starts.push(this.length);
    this.entries.push(entry);
    this.parts.push(key);
    this.length += key.length + 1;
    this.text = null;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Marks every contact whose key contains `query` (which holds no separator) with a new mark, and returns it. */
  match(query: string): number {
    const mark = ++lastMark;
    const text = (this.text ??= this.parts.join(SEPARATOR));
    const { starts, entries } = this;
    const n = entries.length;
    let i = 0;
    let pos = text.indexOf(query);
    while (pos !== -1) {
      while (i + 1 < n && itemAt(starts, i + 1) <= pos) i += 1;
      itemAt(entries, i).searchMark = mark;
      i += 1;
      if (i >= n) break;
      // A match cannot span two keys: it would contain the separator.
      pos = text.indexOf(query, starts[i]);
    }
    return mark;
  }
}

/** One group of the list (NO_GROUP last), with its members. */
export interface RosterSection {
  readonly group: string;
  readonly members: MemberList;
}

/** What the list draws: a new object after every change, so Lit sees the change. */
export interface RosterView {
  readonly size: number;
  readonly sections: readonly RosterSection[];
  get(jid: string): ContactEntry | undefined;
  /** Which contacts match a folded, non-empty search text (their search key contains it). */
  matcher(foldedQuery: string): (entry: ContactEntry) => boolean;
}

const groupsOf = (entry: ContactEntry): readonly string[] =>
  entry.item.groups.length > 0 ? entry.item.groups : [NO_GROUP];

/**
 * The renderer's copy of the cached roster: built from one snapshot, then
 * kept current by applying the change events in order. Upserts and removes
 * are idempotent, so replaying a change the snapshot already held is
 * harmless. Kept per group (a contact in several groups is in each): a
 * change touches only the groups of the contact it changes, and puts it in
 * place with a binary search instead of sorting the roster again.
 */
export class RosterModel {
  readonly account: string;
  version: string | null;
  private byJid = new Map<string, ContactEntry>();
  private lists = new Map<string, MemberList>();
  private order: string[] | null = null;
  private suggestions: string[] | null = null;
  private currentView: RosterView | null = null;
  private unfolded: Iterator<ContactEntry> | null = null;
  private index: SearchIndex | null = null;
  private lastSearch: { query: string; mark: number; index: SearchIndex } | null = null;

  constructor(snapshot: RosterSnapshot) {
    this.account = snapshot.account;
    this.version = snapshot.version;
    this.load(snapshot.items);
  }

  private load(items: readonly RosterItem[]): void {
    this.byJid = new Map();
    for (const item of items) this.byJid.set(item.jid, new ContactEntry(item));
    const buckets = new Map<string, ContactEntry[]>();
    for (const entry of this.byJid.values()) {
      for (const group of groupsOf(entry)) {
        let members = buckets.get(group);
        if (!members) buckets.set(group, (members = []));
        members.push(entry);
      }
    }
    this.lists = new Map([...buckets].map(([group, members]) => [group, new MemberList(members)]));
    this.order = null;
    this.suggestions = null;
    this.unfolded = null;
    this.index = null;
    this.lastSearch = null;
  }

  apply(change: RosterChange): void {
    if (change.kind === 'replace') {
      this.load(change.snapshot.items);
      this.version = change.snapshot.version;
    } else if (change.kind === 'upsert') {
      const entry = new ContactEntry(change.item);
      const previous = this.byJid.get(change.item.jid);
      this.byJid.set(change.item.jid, entry);
      this.move(previous, entry);
      this.indexed(entry);
      this.version = change.version;
    } else {
      const previous = this.byJid.get(change.jid);
      if (previous) {
        this.byJid.delete(change.jid);
        this.move(previous, undefined);
        this.indexed(undefined);
      }
      this.version = change.version;
    }
    this.currentView = null;
    this.lastSearch = null;
  }

  /** Keeps the search index (if built) current after a change: appends the new entry, or starts over when half of it is dead. */
  private indexed(added: ContactEntry | undefined): void {
    if (!this.index) return;
    if (this.index.size > 2 * this.byJid.size + 1024) this.index = null;
    else if (added) this.index.add(added);
  }

  private searchIndex(): SearchIndex {
    if (!this.index) {
      this.index = new SearchIndex();
      for (const entry of this.byJid.values()) this.index.add(entry);
    }
    return this.index;
  }

  private match(foldedQuery: string): (entry: ContactEntry) => boolean {
    if (foldedQuery.includes(SEPARATOR)) return (entry) => entry.searchKey.includes(foldedQuery);
    let search = this.lastSearch;
    if (search?.query !== foldedQuery || search.index !== this.index) {
      const index = this.searchIndex();
      search = this.lastSearch = { query: foldedQuery, mark: index.match(foldedQuery), index };
    }
    const mark = search.mark;
    return (entry) => entry.searchMark === mark;
  }

  /** Takes `from` out of its groups and puts `to` into its own. */
  private move(from: ContactEntry | undefined, to: ContactEntry | undefined): void {
    const before = from ? groupsOf(from) : [];
    const after = to ? groupsOf(to) : [];
    for (const group of new Set([...before, ...after])) {
      const list = this.lists.get(group);
      const updated = (list ?? EMPTY_LIST).with(
        before.includes(group) ? from : undefined,
        after.includes(group) ? to : undefined,
      );
      if (updated.length === 0) this.lists.delete(group);
      else this.lists.set(group, updated);
      const existed = list !== undefined;
      const exists = updated.length > 0;
      if (existed !== exists) {
        this.order = null;
        this.suggestions = null;
      }
    }
  }

  get size(): number {
    return this.byJid.size;
  }

  /** The members of a group in use (groupOrder() lists only those). */
  private listOf(group: string): MemberList {
    const list = this.lists.get(group);
    if (!list) throw new Error(`roster model: no list for the group ${JSON.stringify(group)}`);
    return list;
  }

  get(jid: string): ContactEntry | undefined {
    return this.byJid.get(jid);
  }

  /** How many contacts are in `group`, whatever the list shows of it (a search or hidden offline contacts show fewer). */
  groupSize(group: string): number {
    return this.lists.get(group)?.length ?? 0;
  }

  /** The groups in list order: by name, "No group" last. */
  private groupOrder(): string[] {
    return (this.order ??= [...this.lists.keys()].sort((a, b) =>
      a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : compareText(a, b),
    ));
  }

  /** The list as of now, by group. */
  get view(): RosterView {
    if (!this.currentView) {
      const byJid = this.byJid;
      this.currentView = {
        size: byJid.size,
        sections: this.groupOrder().map((group) => ({ group, members: this.listOf(group) })),
        get: (jid) => byJid.get(jid),
        matcher: (foldedQuery) => this.match(foldedQuery),
      };
    }
    return this.currentView;
  }

  /** Every group in use, sorted: the suggestions when adding or editing a contact. The same array until a group appears or goes. */
  get groups(): string[] {
    return (this.suggestions ??= this.groupOrder().filter((group) => group !== NO_GROUP));
  }

  /**
   * Work worth doing before anyone asks, in idle time: the search keys
   * folded and indexed, then the groups put in order (in list order). Stops when `hasTime`
   * says so; returns true when nothing is left.
   */
  warm(hasTime: () => boolean): boolean {
    // The search first: typing is what comes soonest after opening.
    if (!this.index) {
      this.unfolded ??= this.byJid.values();
      for (let done = false; !done;) {
        if (!hasTime()) return false;
        for (let i = 0; i < 512 && !done; i += 1) {
          const next = this.unfolded.next();
          if (next.done) done = true;
          else {
            const _folded = next.value.searchKey; // the getter folds the key and keeps it
          }
        }
      }
      if (!hasTime()) return false;
      this.searchIndex();
    }
    for (const group of this.groupOrder()) {
      const list = this.listOf(group);
      while (!list.complete) {
        if (!hasTime()) return false;
        list.orderMore();
      }
    }
    return true;
  }
}
