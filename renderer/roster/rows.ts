import type { ItemsWithGeometry, RowGeometry } from '../components/rows-layout.js';
import { narrowMatches, searchGroup } from './group-search.js';
import { NO_GROUP, type ContactEntry, type MemberList, type RosterView } from './roster-model.js';

export { NO_GROUP };

/**
 * The two sections of the "Recent" sort instead of groups. U+0001 cannot occur in XML 1.0, so no roster group is ever
 * called either; neither can be renamed, dropped onto or sent to main as a folded group.
 */
export const RECENT_SECTION = '\u0001recent';
export const OTHERS_SECTION = '\u0001others';

/** A section of the list that is not a roster group ("No group" is one: contacts in none). */
export const isSortSection = (group: string): boolean => group === RECENT_SECTION || group === OTHERS_SECTION;

export interface GroupRow {
  readonly kind: 'group';
  readonly key: string;
  readonly group: string;
  readonly count: number;
  readonly collapsed: boolean;
  /** 1-based position among the groups shown, and how many there are (a tree's aria-posinset/aria-setsize). */
  readonly position: number;
  readonly setSize: number;
}

export interface ContactRow {
  readonly kind: 'contact';
  readonly key: string;
  readonly group: string;
  readonly entry: ContactEntry;
  /** 1-based position within its group as shown, and the group's size as shown. */
  readonly position: number;
  readonly setSize: number;
}

/** A row for a contact that has not arrived yet (the roster is still loading): quiet, and replaced when it comes. */
export interface PlaceholderRow {
  readonly kind: 'placeholder';
  readonly key: string;
  readonly group: string;
  /** As for a contact row: its place within the group as it will be. */
  readonly position: number;
  readonly setSize: number;
}

export type ListRow = GroupRow | ContactRow | PlaceholderRow;

/** A group's members as shown: the whole group (a MemberList) or the matches of a search (an array), both in list order. */
interface Members {
  readonly length: number;
  at(index: number): ContactEntry | undefined;
  indexOf(entry: ContactEntry): number;
}

interface Section {
  /** Position of the header row. */
  readonly start: number;
  readonly header: GroupRow;
  /** null when the group is folded. */
  readonly members: Members | null;
  /** Placeholder rows after the members (while loading). */
  readonly placeholders: number;
}

/** Rows resolved for the screen are kept (they are immutable), up to this many. */
const MAX_CACHED_ROWS = 4096;

/**
 * The one list the virtualiser renders: a header row per group, then its
 * contacts (a contact in several groups appears in each). Held as one
 * section per group; a row is made when asked for (by position or key), so
 * building the list costs per group, not per contact, and a change or a
 * keystroke never allocates 50,000 rows.
 */
export class RowList implements RowGeometry {
  /**
   * What the virtualiser is given: only its length counts (rows come from `at`). A new array per list, so it sees
   * the change. Filled, not sparse: the virtualiser's element(index) takes an undefined item for "no such row".
   */
  readonly items: unknown[];
  private readonly made = new Map<number, ListRow>();

  constructor(
    private readonly sections: readonly Section[],
    readonly length: number,
    private readonly lookup: (jid: string) => ContactEntry | undefined,
  ) {
    const items: ItemsWithGeometry = new Array<unknown>(length).fill(0);
    // The layout reads the rows' geometry from the items it was given, so the two always belong together.
    items.geometry = this;
    this.items = items;
  }

  /** The section holding row `index` (0 <= index < length). */
  private sectionAt(index: number): number {
    const sections = this.sections;
    let lo = 0;
    let hi = sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (known(sections[mid], 'a section').start <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  isHeader(index: number): boolean {
    if (!(index >= 0 && index < this.length)) return false;
    return known(this.sections[this.sectionAt(index)], 'a section').start === index;
  }

  headersBefore(index: number): number {
    if (index <= 0 || this.sections.length === 0) return 0;
    if (index >= this.length) return this.sections.length;
    const k = this.sectionAt(index);
    return known(this.sections[k], 'a section').start < index ? k + 1 : k;
  }

  indexAt(offset: number, header: number, contact: number): number {
    const sections = this.sections;
    if (sections.length === 0 || offset <= 0) return 0;
    const top = (k: number): number => {
      const start = known(sections[k], 'a section').start;
      return k * header + (start - k) * contact;
    };
    let lo = 0;
    let hi = sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (top(mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const section = known(sections[lo], 'a section');
    const end = lo + 1 < sections.length ? known(sections[lo + 1], 'a section').start - 1 : this.length - 1;
    const into = offset - top(lo);
    if (into < header) return section.start;
    return Math.min(end, section.start + 1 + Math.floor((into - header) / contact));
  }

  /** The row at `index`, or undefined past the end. */
  at(index: number): ListRow | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    let row = this.made.get(index);
    if (row) return row;
    const sections = this.sections;
    let lo = 0;
    let hi = sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (known(sections[mid], 'a section').start <= index) lo = mid;
      else hi = mid - 1;
    }
    const section = known(sections[lo], 'a section');
    if (index === section.start) {
      row = section.header;
    } else {
      const group = section.header.group;
      // a folded section (members null) has only its header row
      const members = known(section.members, 'an open section');
      const position = index - section.start;
      const setSize = section.header.count;
      if (position > members.length) {
        row = { kind: 'placeholder', key: `p${JSON.stringify([group, position - 1])}`, group, position, setSize };
      } else {
        const entry = known(members.at(position - 1), 'a member');
        row = { kind: 'contact', key: entry.rowKey(group), group, entry, position, setSize };
      }
    }
    if (this.made.size >= MAX_CACHED_ROWS) this.made.clear();
    this.made.set(index, row);
    return row;
  }

  /** The position of the row with `key`, or -1 (without making every row). */
  indexOfKey(key: string | null): number {
    if (key === null || key.length < 2) return -1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(key.slice(1));
    } catch {
      return -1;
    }
    if (key.startsWith('g') && typeof parsed === 'string') {
      return this.sections.find((s) => s.header.group === parsed)?.start ?? -1;
    }
    if (
      key.startsWith('p') &&
      Array.isArray(parsed) &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'number'
    ) {
      const section = this.sections.find((s) => s.header.group === parsed[0]);
      const position = parsed[1];
      if (
        !section?.members ||
        position < section.members.length ||
        position >= section.members.length + section.placeholders
      )
        return -1;
      return section.start + 1 + position;
    }
    if (
      key.startsWith('c') &&
      Array.isArray(parsed) &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      const section = this.sections.find((s) => s.header.group === parsed[0]);
      const entry = this.lookup(parsed[1]);
      if (!section?.members || !entry) return -1;
      const index = section.members.indexOf(entry);
      return index < 0 ? -1 : section.start + 1 + index;
    }
    return -1;
  }
}

const groupKeys = new Map<string, string>();
const groupKey = (group: string): string => {
  let key = groupKeys.get(group);
  if (key === undefined) groupKeys.set(group, (key = `g${JSON.stringify(group)}`));
  return key;
};

/** The matches of the last search per member list: typing on narrows them instead of searching the group again. */
const lastMatches = new WeakMap<MemberList, { query: string; matches: ContactEntry[] }>();

/** Narrowing the previous matches beats a pass over the group's text when they are at most this share of the group. */
const NARROW_SHARE = 1 / 4;

/**
 * A group's matches in list order: one pass over the group's text
 * (group-search.ts), or the previous keystroke's few matches narrowed when
 * the text only grew (whatever contains the new text contains any text
 * within it).
 */
function matchesOf(members: MemberList, foldedQuery: string): ContactEntry[] {
  const last = lastMatches.get(members);
  if (last?.query === foldedQuery) return last.matches;
  const matches =
    last && foldedQuery.includes(last.query) && last.matches.length <= members.length * NARROW_SHARE
      ? narrowMatches(last.matches, foldedQuery)
      : searchGroup(members, foldedQuery);
  lastMatches.set(members, { query: foldedQuery, matches });
  return matches;
}

/**
 * Flattens the roster into the rows of the list: groups in name order and
 * "No group" last, each group's contacts in list order. While searching,
 * only matches are kept and the counts are theirs.
 *
 * @param foldedQuery the search text already folded (see fold.ts)
 */
export function buildRows(view: RosterView | null, foldedQuery: string, collapsed: ReadonlySet<string>): RowList {
  if (!view) return new RowList([], 0, () => undefined);
  let matches: ((entry: ContactEntry) => boolean) | null = null;
  const matcher = (): ((entry: ContactEntry) => boolean) => (matches ??= view.matcher(foldedQuery));
  const shownGroups: { group: string; shown: Members; waiting: number }[] = [];
  for (const { group, members, placeholders, known } of view.sections) {
    let shown: Members = members;
    let waiting = placeholders;
    if (foldedQuery !== '') {
      // While loading, a search looks through every member known so far; the others show up as they arrive.
      shown = known ? known().filter(matcher()) : matchesOf(members, foldedQuery);
      waiting = 0;
    }
    if (shown.length + waiting > 0) shownGroups.push({ group, shown, waiting });
  }
  const sections: Section[] = [];
  let length = 0;
  for (const { group, shown, waiting } of shownGroups) {
    const count = shown.length + waiting;
    const isCollapsed = collapsed.has(group);
    sections.push({
      start: length,
      header: {
        kind: 'group',
        key: groupKey(group),
        group,
        count,
        collapsed: isCollapsed,
        position: sections.length + 1,
        setSize: shownGroups.length,
      },
      members: isCollapsed ? null : shown,
      placeholders: isCollapsed ? 0 : waiting,
    });
    length += isCollapsed ? 1 : 1 + count;
  }
  return new RowList(sections, length, view.get);
}

/** A value RowList's own bookkeeping guarantees (the sections cover 0..length): a miss is a bug here. */
function known<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`RowList: ${what} is missing`);
  return value;
}
