import { compareText, type ContactEntry } from './roster-model.js';

/** Group key of the section for contacts in no group; group names are never empty. */
export const NO_GROUP = '';

export type ListRow =
  | { kind: 'group'; key: string; group: string; count: number; collapsed: boolean }
  | { kind: 'contact'; key: string; group: string; entry: ContactEntry };

/**
 * Flattens the roster into the one list the virtualiser renders: a header
 * row per group, then its contacts (a contact in several groups appears in
 * each), groups in name order and "No group" last. While searching, only
 * matches are kept and the counts are theirs.
 *
 * @param foldedQuery the search text already folded (see fold.ts)
 */
export function buildRows(entries: readonly ContactEntry[], foldedQuery: string, collapsed: ReadonlySet<string>): ListRow[] {
  const searching = foldedQuery !== '';
  const byGroup = new Map<string, ContactEntry[]>();
  for (const entry of entries) {
    if (searching && !entry.searchKey.includes(foldedQuery)) continue;
    const groups = entry.item.groups.length > 0 ? entry.item.groups : [NO_GROUP];
    for (const group of groups) {
      let members = byGroup.get(group);
      if (!members) byGroup.set(group, (members = []));
      members.push(entry);
    }
  }
  const order = [...byGroup.keys()].sort((a, b) => (a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : compareText(a, b)));
  const rows: ListRow[] = [];
  for (const group of order) {
    const members = byGroup.get(group)!;
    const isCollapsed = collapsed.has(group);
    rows.push({ kind: 'group', key: `g${JSON.stringify(group)}`, group, count: members.length, collapsed: isCollapsed });
    if (isCollapsed) continue;
    for (const entry of members) rows.push({ kind: 'contact', key: `c${JSON.stringify([group, entry.item.jid])}`, group, entry });
  }
  return rows;
}
