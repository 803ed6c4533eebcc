import { NO_GROUP, type ContactEntry, type MemberList, type RosterView } from './roster-model.js';

export { NO_GROUP };

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

export type ListRow = GroupRow | ContactRow;

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
export class RowList {
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
    this.items = new Array<unknown>(length).fill(0);
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
      const entry = known(members.at(position - 1), 'a member');
      row = { kind: 'contact', key: entry.rowKey(group), group, entry, position, setSize: members.length };
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

function matchesOf(
  members: MemberList,
  foldedQuery: string,
  matcher: () => (entry: ContactEntry) => boolean,
): ContactEntry[] {
  const last = lastMatches.get(members);
  if (last?.query === foldedQuery) return last.matches;
  // Whatever contains the new text contains any text within it.
  const matches = last && foldedQuery.includes(last.query) ? last.matches.filter(matcher()) : members.filter(matcher());
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
  const shownGroups: { group: string; shown: Members }[] = [];
  let matches: ((entry: ContactEntry) => boolean) | null = null;
  const matcher = (): ((entry: ContactEntry) => boolean) => (matches ??= view.matcher(foldedQuery));
  for (const { group, members } of view.sections) {
    const shown: Members = foldedQuery === '' ? members : matchesOf(members, foldedQuery, matcher);
    if (shown.length > 0) shownGroups.push({ group, shown });
  }
  const sections: Section[] = [];
  let length = 0;
  for (const { group, shown } of shownGroups) {
    const isCollapsed = collapsed.has(group);
    sections.push({
      start: length,
      header: {
        kind: 'group',
        key: groupKey(group),
        group,
        count: shown.length,
        collapsed: isCollapsed,
        position: sections.length + 1,
        setSize: shownGroups.length,
      },
      members: isCollapsed ? null : shown,
    });
    length += isCollapsed ? 1 : 1 + shown.length;
  }
  return new RowList(sections, length, view.get);
}

/** A value RowList's own bookkeeping guarantees (the sections cover 0..length): a miss is a bug here. */
function known<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`RowList: ${what} is missing`);
  return value;
}
