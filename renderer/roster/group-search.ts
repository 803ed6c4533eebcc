import type { ContactEntry, MemberList } from './roster-model.js';

/** Between two keys in a group's text: a query holding it is searched key by key instead. */
const SEPARATOR = '\u0001';
/** A UTF-16 code unit past Latin-1 (each half of a surrogate pair on its own: no u flag). */
const WIDE = /[\u0100-\uffff]/;

/**
 * `key` with every code unit past Latin-1 made a separator: same length (so
 * every start stays), and a one-byte string, so the group's text takes one
 * byte per character instead of two as soon as one name has an emoji. No
 * query searched in the text holds such a unit or a separator (searchGroup),
 * so no match is lost or made.
 */
function narrow(key: string): string {
  if (!WIDE.test(key)) return key;
  const units = new Array<number>(key.length);
  for (let i = 0; i < key.length; i += 1) {
    const unit = key.charCodeAt(i);
    units[i] = unit > 0xff ? 1 : unit;
  }
  return String.fromCharCode(...units);
}

/** One group's folded search keys in list order, joined: a search of the group is a few indexOf scans of one string. */
interface GroupText {
  readonly text: string;
  /** Where each member's key starts in `text`. */
  readonly starts: Int32Array;
  readonly entries: readonly ContactEntry[];
}

/** Per member list (immutable once in order: RosterModel gives a changed group a new list), so a change rebuilds one group's text. */
const texts = new WeakMap<MemberList, GroupText>();

/** Whether `members` already has its search text (RosterModel.warm builds them in idle time). */
export function hasSearchText(members: MemberList): boolean {
  return texts.has(members);
}

/** The search text of `members`, built (and every member put in order) if it is not yet. */
export function searchText(members: MemberList): GroupText {
  let found = texts.get(members);
  if (!found) {
    const entries = members.all();
    const starts = new Int32Array(entries.length);
    const keys = new Array<string>(entries.length);
    let at = 0;
    entries.forEach((entry, i) => {
      const key = narrow(entry.searchKey);
      starts[i] = at;
      keys[i] = key;
      at += key.length + 1;
    });
    found = { text: keys.join(SEPARATOR), starts, entries };
    texts.set(members, found);
  }
  return found;
}

/**
 * The members whose search key contains `foldedQuery` (non-empty), in list
 * order: one pass over the group's text, no call per member. A group not
 * yet in order (typing before the idle-time warm-up got to it) is filtered
 * instead, which sorts only its matches; so is a query with a character past
 * U+00FF (the text holds none: see searchText).
 */
export function searchGroup(members: MemberList, foldedQuery: string): ContactEntry[] {
  if (foldedQuery.includes(SEPARATOR) || WIDE.test(foldedQuery) || (!members.complete && !hasSearchText(members)))
    return members.filter((entry) => entry.searchKey.includes(foldedQuery));
  const { text, starts, entries } = searchText(members);
  const n = entries.length;
  const found: ContactEntry[] = [];
  let i = 0;
  let pos = text.indexOf(foldedQuery);
  while (pos !== -1) {
    i = keyAt(starts, i, n, pos);
    const entry = entries[i];
    if (entry === undefined) break; // not reached: pos is inside the text, so inside a key
    found.push(entry);
    i += 1;
    if (i >= n) break;
    // A match cannot span two keys: it would contain the separator.
    pos = text.indexOf(foldedQuery, starts[i]);
  }
  return found;
}

/** The key holding `pos`: the last i in [from, n) with starts[i] <= pos (starts[from] <= pos). */
function keyAt(starts: Int32Array, from: number, n: number, pos: number): number {
  if (from + 1 >= n || (starts[from + 1] ?? Infinity) > pos) return from; // the next match is often in the next key
  let lo = from + 1;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] ?? Infinity) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Of `matches` (of a query that `foldedQuery` contains), those that also contain `foldedQuery`, in their order. */
export function narrowMatches(matches: readonly ContactEntry[], foldedQuery: string): ContactEntry[] {
  return matches.filter((entry) => entry.searchKey.includes(foldedQuery));
}
