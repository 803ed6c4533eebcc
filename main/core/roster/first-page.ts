/**
 * The first page of the contact list, computed from the roster's items in
 * any order, one at a time: every group's count, and per group only the
 * first few members in display order (a bounded max-heap of as many members
 * as the window has rows), so memory and work stay per group and per row,
 * never a sort of 50,000 contacts. The order is preload/roster-order.ts's,
 * the renderer's own. Pure: roster-pages.ts feeds it from SQLite in slices,
 * the component tests' fake API from a snapshot.
 */
import type { RosterItem, RosterPageGroup } from '../../../preload/contract.js';
import { NO_GROUP, labelOf, rosterOrder, type Ordered, type RosterOrder } from '../../../preload/roster-order.js';

export interface FirstPageOptions {
  rows: number;
  folded: readonly string[];
  locale: string;
}

/** What the order reads of a contact: roster-pages.ts passes light rows, the fake API whole items. */
export type PageEntry = Pick<RosterItem, 'jid' | 'name' | 'groups'>;

export interface FirstPageResult<T extends PageEntry = RosterItem> {
  total: number;
  groups: RosterPageGroup[];
  items: T[];
}

export interface Candidate<T> extends Ordered {
  readonly item: T;
}

/** The `limit` first members of a group seen so far, kept as a max-heap (the last of them at the root). */
export class TopMembers<T> {
  readonly heap: Candidate<T>[] = [];
  count = 0;

  constructor(
    private readonly limit: number,
    private readonly compare: (a: Candidate<T>, b: Candidate<T>) => number,
  ) {}

  offer(candidate: Candidate<T>): void {
    this.count += 1;
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(candidate);
      this.up(heap.length - 1);
    } else if (this.limit > 0 && this.compare(candidate, at(heap, 0)) < 0) {
      heap[0] = candidate;
      this.down(0);
    }
  }

  /** The members kept, in display order. */
  sorted(): Candidate<T>[] {
    return this.heap.slice().sort(this.compare);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(at(heap, i), at(heap, parent)) <= 0) return;
      swap(heap, i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && this.compare(at(heap, left), at(heap, largest)) > 0) largest = left;
      if (right < heap.length && this.compare(at(heap, right), at(heap, largest)) > 0) largest = right;
      if (largest === i) return;
      swap(heap, i, largest);
      i = largest;
    }
  }
}

/** Collects items (add) and then says what the first `rows` rows of the list hold (result). */
export class FirstPageBuilder<T extends PageEntry = RosterItem> {
  readonly order: RosterOrder;
  private readonly rows: number;
  private readonly folded: ReadonlySet<string>;
  private readonly groups = new Map<string, TopMembers<T>>();
  private total = 0;

  constructor(options: FirstPageOptions) {
    this.order = rosterOrder(options.locale);
    this.rows = options.rows;
    this.folded = new Set(options.folded);
  }

  add(item: T): void {
    this.total += 1;
    const candidate: Candidate<T> = { label: labelOf(item), jid: item.jid, item };
    const groups = item.groups.length > 0 ? item.groups : [NO_GROUP];
    for (const group of groups) {
      let top = this.groups.get(group);
      if (!top) {
        // A header takes a row, so a group can show at most rows - 1 members; a folded one none.
        const limit = this.folded.has(group) ? 0 : Math.max(0, this.rows - 1);
        this.groups.set(group, (top = new TopMembers(limit, this.order.compareContacts)));
      }
      top.offer(candidate);
    }
  }

  result(): FirstPageResult<T> {
    const names = [...this.groups.keys()].sort(this.order.compareGroups);
    const groups: RosterPageGroup[] = [];
    const items: T[] = [];
    const seen = new Set<string>();
    let rowsLeft = this.rows;
    for (const group of names) {
      const top = at([this.groups.get(group)], 0);
      let first = 0;
      if (rowsLeft > 0) {
        rowsLeft -= 1; // the header
        if (!this.folded.has(group)) {
          const shown = top.sorted().slice(0, rowsLeft);
          first = shown.length;
          rowsLeft -= first;
          for (const { item } of shown) {
            if (seen.has(item.jid)) continue;
            seen.add(item.jid);
            items.push(item);
          }
        }
      }
      groups.push({ group, count: top.count, first });
    }
    return { total: this.total, groups, items };
  }
}

/** a[i] where the heap's own bookkeeping keeps i in range: a miss is a bug here. */
function at<T>(a: readonly (T | undefined)[], i: number): T {
  const value = a[i];
  if (value === undefined) throw new Error(`first page: nothing at ${i}`);
  return value;
}

function swap(a: unknown[], i: number, j: number): void {
  const t = at(a, i);
  a[i] = at(a, j);
  a[j] = t;
}
