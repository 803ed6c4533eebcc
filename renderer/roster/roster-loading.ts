import type { RosterPage } from '../../preload/contract.js';
import type { Ordered } from '../../preload/roster-order.js';

interface GroupState<Member> {
  /** Contacts in the group as main counted them, followed by the changes seen since. */
  count: number;
  /**
   * Every member that sorts at or before this bound is known (it was on the
   * first page, or a change brought it): 'all' when the whole group is,
   * null when none is known in order (folded, or past the first page).
   */
  bound: Member | 'all' | null;
  /** The known members up to the bound, in list order: what the list can show before the rest arrives. */
  head: Member[];
}

/** Code point order, which is UTF-8 byte order: the order of main's chunk cursor (SQLite BINARY). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral code point) outranks every BMP unit above it in code point order.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The list while the rest of the roster arrives (getRosterChunk): per group,
 * main's count and the first members the first page held, kept exact as
 * changes and chunks arrive, so the list shows its final length at once
 * (the rows not yet known as placeholders) and its first rows as they will
 * stay. `compare` is the list's order of members.
 */
export class LoadingGroups<Member extends Ordered> {
  private readonly groups = new Map<string, GroupState<Member>>();
  /** Every address up to here (code point order) has arrived; null: no chunk yet. */
  private cursor: string | null = null;
  private done = false;

  constructor(
    page: RosterPage,
    membersOf: (group: string) => readonly Member[],
    private readonly compare: (a: Member, b: Member) => number,
  ) {
    for (const { group, count, first } of page.groups) {
      // The page's members of a group sort its `first` first ones before any other it holds (main/core/roster/first-page.ts).
      const head = [...membersOf(group)].sort(compare).slice(0, first);
      const bound = first >= count ? 'all' : first > 0 ? (head[first - 1] ?? null) : null;
      this.groups.set(group, { count, bound, head });
    }
  }

  /** True when `jid` is at or before the last chunk's end: if it is not known, it does not exist. */
  passed(jid: string): boolean {
    return this.done || (this.cursor !== null && compareCodePoints(jid, this.cursor) <= 0);
  }

  /** A chunk arrived; `next` is its end (null: it was the last). */
  advance(next: string | null): void {
    if (next === null) this.done = true;
    else this.cursor = next;
  }

  /** `member` joined `group`; `counted`: main's count did not include it (a new contact or a move). */
  joined(group: string, member: Member, counted: boolean): void {
    let state = this.groups.get(group);
    // A group main did not list has no member but those changes bring.
    if (!state) this.groups.set(group, (state = { count: 0, bound: 'all', head: [] }));
    if (counted) state.count += 1;
    if (state.bound === null || (state.bound !== 'all' && this.compare(member, state.bound) > 0)) return;
    const head = state.head;
    let lo = 0;
    let hi = head.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = head[mid];
      if (at !== undefined && this.compare(at, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    head.splice(lo, 0, member);
  }

  /** `member` left `group`; `counted`: main's count included it. */
  left(group: string, member: Member, counted: boolean): void {
    const state = this.groups.get(group);
    if (!state) return;
    if (counted) state.count = Math.max(0, state.count - 1);
    const index = state.head.indexOf(member);
    if (index >= 0) state.head.splice(index, 1);
  }

  /** The group's length as the list shows it: main's count, or the members known if more. */
  length(group: string, known: number): number {
    return Math.max(this.groups.get(group)?.count ?? 0, known);
  }

  head(group: string): readonly Member[] {
    return this.groups.get(group)?.head ?? [];
  }

  names(): IterableIterator<string> {
    return this.groups.keys();
  }
}
