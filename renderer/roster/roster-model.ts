import type { RosterChange, RosterItem, RosterPage, RosterSnapshot } from '../../preload/contract.js';
import { NO_GROUP, labelOf, rosterOrder } from '../../preload/roster-order.js';
import { fold } from './fold.js';
import { hasSearchText, searchText } from './group-search.js';
import { LoadingGroups } from './roster-loading.js';

export { NO_GROUP };

/** The list's order (preload/roster-order.ts), the one main's first page is computed in. */
export const ORDER = rosterOrder();

export const compareText = ORDER.compareText;

/**
 * A roster item plus what the list needs to show and search it. The label is
 * computed when the item arrives (the list is sorted by it); the rest when
 * first asked for, since only the rows on screen need them (the search keys
 * are also folded ahead, in idle time: RosterModel.warm).
 */
export class ContactEntry {
  /** What the list shows: the name, or the JID when no name is set. */
  readonly label: string;
  readonly jid: string;
  private searchKeyValue: string | undefined;
  private initialValue: string | undefined;
  private hueValue: number | undefined;
  private rowKeys: Map<string, string> | undefined;
  /** The last search (SearchIndex.match) that found this contact. */
  searchMark = 0;

  /**
   * @param stranger not in the roster: an address we only have a conversation with (a contact since removed, or
   *   someone who wrote first), listed so that conversation stays readable (the "Recent" sort).
   */
  constructor(
    readonly item: RosterItem,
    readonly stranger = false,
  ) {
    this.label = labelOf(item);
    this.jid = item.jid;
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

/** The list's order of contacts (preload/roster-order.ts): by label, then address, never a tie. */
export const compareEntries: (a: ContactEntry, b: ContactEntry) => number = ORDER.compareContacts;

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
  /** The members the list shows, in order (while loading: those known up to where the first page ended). */
  readonly members: MemberList;
  /** Rows after the members for contacts not yet arrived (0 once the roster is loaded). */
  readonly placeholders: number;
  /** While loading: every member known so far (what a search looks through); absent once loaded (members is all). */
  readonly known?: () => MemberList;
}

/** What the list draws: a new object after every change, so Lit sees the change. */
export interface RosterView {
  /** Contacts in the roster (while loading: as main counted them, or as many as known). */
  readonly size: number;
  /** Contacts not yet arrived (0 once loaded). */
  readonly loading: number;
  readonly sections: readonly RosterSection[];
  get(jid: string): ContactEntry | undefined;
  /** Which contacts match a folded, non-empty search text (their search key contains it). */
  matcher(foldedQuery: string): (entry: ContactEntry) => boolean;
}

const groupsOf = (entry: ContactEntry): readonly string[] =>
  entry.item.groups.length > 0 ? entry.item.groups : [NO_GROUP];

/** What a model loading a chunk at a time keeps until the last chunk arrived. */
interface Loading {
  groups: LoadingGroups<ContactEntry>;
  /** Every known member per group, unordered. */
  buckets: Map<string, ContactEntry[]>;
  /** Contacts in the roster as main counted them. */
  total: number;
}

/**
 * The renderer's copy of the cached roster: built from one snapshot, or
 * from the first page (fromPage) and then the rest a chunk at a time
 * (addChunk, finishLoad), and kept current by applying the change events in
 * order. Upserts and removes are idempotent, so replaying a change the
 * snapshot or a chunk already held is harmless. Kept per group (a contact
 * in several groups is in each): a change touches only the groups of the
 * contact it changes, and puts it in place with a binary search instead of
 * sorting the roster again.
 */
export class RosterModel {
  readonly account: string;
  version: string | null;
  private byJid = new Map<string, ContactEntry>();
  private lists = new Map<string, MemberList>();
  private loadingState: Loading | null = null;
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

  /** A model that shows the first page at once and takes the rest by addChunk until finishLoad (or at once if complete). */
  static fromPage(page: RosterPage): RosterModel {
    const model = new RosterModel({ account: page.account, version: page.version, items: page.items });
    if (page.complete) return model;
    const buckets = new Map<string, ContactEntry[]>();
    for (const [group, list] of model.lists) buckets.set(group, list.all().slice());
    model.lists = new Map();
    model.loadingState = {
      buckets,
      total: page.total,
      groups: new LoadingGroups(page, (group) => buckets.get(group) ?? [], compareEntries),
    };
    return model;
  }

  /** True until the last chunk arrived (fromPage of an incomplete page). */
  get loading(): boolean {
    return this.loadingState !== null;
  }

  /** Takes one chunk of the rest (getRosterChunk): each item as an upsert that main's counts already hold. */
  addChunk(items: readonly RosterItem[], next: string | null): void {
    const loading = this.loadingState;
    if (!loading) return;
    for (const item of items) {
      const previous = this.byJid.get(item.jid);
      // Unchanged (a first-page contact again): nothing to do.
      if (previous && sameShown(previous.item, item)) continue;
      const entry = new ContactEntry(item);
      this.byJid.set(item.jid, entry);
      this.move(previous, entry, previous !== undefined);
      this.indexed(entry);
    }
    loading.groups.advance(next);
    this.changed();
  }

  /** The last chunk arrived: from now on the model is what a whole snapshot would have made. */
  finishLoad(): void {
    const loading = this.loadingState;
    if (!loading) return;
    this.loadingState = null;
    this.lists = new Map();
    for (const [group, members] of loading.buckets) {
      if (members.length === 0) continue;
      // The head is the group's exact first members now that every member is known (roster-loading.ts): keep it in order.
      const head = loading.groups.head(group);
      const inHead = new Set(head);
      const items = head.concat(members.filter((entry) => !inHead.has(entry)));
      this.lists.set(group, new MemberList(items, head.length));
    }
    this.order = null;
    this.suggestions = null;
    this.changed();
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

  /** Applies one change event ('reset' is the controller's: it loads the list again). */
  apply(change: RosterChange): void {
    if (change.kind === 'reset') return;
    if (change.kind === 'upsert') {
      const previous = this.byJid.get(change.item.jid);
      const entry = new ContactEntry(change.item);
      this.byJid.set(change.item.jid, entry);
      this.move(previous, entry, previous !== undefined || this.isNew(change.item.jid));
      this.indexed(entry);
      this.version = change.version;
    } else {
      const previous = this.byJid.get(change.jid);
      if (previous) {
        this.byJid.delete(change.jid);
        this.move(previous, undefined, true);
        this.indexed(undefined);
      }
      this.version = change.version;
    }
    this.changed();
  }

  /** While loading: whether a contact not known yet is new (its address is behind the chunks), not one still to come. */
  private isNew(jid: string): boolean {
    return this.loadingState?.groups.passed(jid) ?? true;
  }

  private changed(): void {
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

  /**
   * Takes `from` out of its groups and puts `to` into its own. While
   * loading, `counted` says whether main's group counts follow the change
   * (false for a contact that was counted but had not arrived yet).
   */
  private move(from: ContactEntry | undefined, to: ContactEntry | undefined, counted = true): void {
    const before = from ? groupsOf(from) : [];
    const after = to ? groupsOf(to) : [];
    const loading = this.loadingState;
    if (loading) {
      for (const group of before) {
        const bucket = loading.buckets.get(group);
        const index = from ? (bucket?.indexOf(from) ?? -1) : -1;
        if (bucket && index >= 0) bucket.splice(index, 1);
        if (from) loading.groups.left(group, from, counted);
      }
      for (const group of after) {
        let bucket = loading.buckets.get(group);
        if (!bucket) loading.buckets.set(group, (bucket = []));
        if (to) {
          bucket.push(to);
          loading.groups.joined(group, to, counted);
        }
      }
      this.order = null;
      this.suggestions = null;
      return;
    }
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

  /** Contacts in the roster (while loading: main's count, or as many as known if more). */
  get size(): number {
    return Math.max(this.loadingState?.total ?? 0, this.byJid.size);
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
    const loading = this.loadingState;
    if (loading) return loading.groups.length(group, loading.buckets.get(group)?.length ?? 0);
    return this.lists.get(group)?.length ?? 0;
  }

  /** The groups in list order: by name, "No group" last (while loading: those main listed and those seen since). */
  private groupOrder(): string[] {
    if (this.order) return this.order;
    const loading = this.loadingState;
    const names = loading
      ? [...new Set([...loading.groups.names(), ...loading.buckets.keys()])].filter((g) => this.groupSize(g) > 0)
      : [...this.lists.keys()];
    return (this.order = names.sort(ORDER.compareGroups));
  }

  /** The list as of now, by group. */
  get view(): RosterView {
    if (!this.currentView) {
      const byJid = this.byJid;
      const loading = this.loadingState;
      this.currentView = {
        size: this.size,
        loading: loading ? Math.max(0, loading.total - byJid.size) : 0,
        sections: this.groupOrder().map((group) => this.section(group)),
        get: (jid) => byJid.get(jid),
        matcher: (foldedQuery) => this.match(foldedQuery),
      };
    }
    return this.currentView;
  }

  private section(group: string): RosterSection {
    const loading = this.loadingState;
    if (!loading) return { group, members: this.listOf(group), placeholders: 0 };
    const head = loading.groups.head(group);
    const bucket = loading.buckets.get(group) ?? [];
    let known: MemberList | null = null;
    return {
      group,
      members: new MemberList(head.slice(), head.length),
      placeholders: this.groupSize(group) - head.length,
      known: () => (known ??= new MemberList(bucket.slice())),
    };
  }

  /** Every group in use, sorted: the suggestions when adding or editing a contact. The same array until a group appears or goes. */
  get groups(): string[] {
    return (this.suggestions ??= this.groupOrder().filter((group) => group !== NO_GROUP));
  }

  /**
   * Work worth doing before anyone asks, in idle time: the search keys
   * folded, then each group put in order and its search text joined
   * (group-search.ts), in list order. Stops when `hasTime` says so; returns
   * true when nothing is left.
   */
  warm(hasTime: () => boolean): boolean {
    if (this.loadingState) return false; // finishLoad changes the lists: warm after it
    // The search first: typing is what comes soonest after opening.
    if (this.unfolded !== FOLDED) {
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
      this.unfolded = FOLDED;
    }
    for (const group of this.groupOrder()) {
      const list = this.listOf(group);
      while (!list.complete) {
        if (!hasTime()) return false;
        list.orderMore();
      }
      if (!hasSearchText(list)) {
        if (!hasTime()) return false;
        searchText(list);
      }
    }
    return true;
  }
}

/** RosterModel.unfolded once every key was folded (a change after that folds its own key when searched). */
const FOLDED: Iterator<ContactEntry> = [].values();

/** Equal in everything the list shows of a contact (a chunk repeating a first-page contact changes nothing). */
function sameShown(a: RosterItem, b: RosterItem): boolean {
  return (
    a.jid === b.jid &&
    a.name === b.name &&
    a.subscription === b.subscription &&
    a.ask === b.ask &&
    a.approved === b.approved &&
    a.groups.length === b.groups.length &&
    a.groups.every((g, i) => g === b.groups[i]) &&
    JSON.stringify(a.pending ?? null) === JSON.stringify(b.pending ?? null)
  );
}
