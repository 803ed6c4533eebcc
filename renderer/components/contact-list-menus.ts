// The context menus of the contact list's rows, as data for <xm-menu>.
import type { RosterItem } from '../../preload/contract.js';
import type { MenuItem } from './xm-menu.js';
import { NO_GROUP, isSortSection } from '../roster/rows.js';

/** What the contact list does for the menus' items. */
export interface ContactMenuActions {
  message(): void;
  edit(): void;
  moveToGroup(): void;
  copyAddress(): void;
  cancelEdit(): void;
  block(): void;
  remove(): void;
}

/**
 * A contact row's menu: "Message" first (what Enter does), then editing. A
 * stranger (a conversation with an address not in the roster) has nothing
 * to edit or remove.
 */
export function contactMenu(
  item: RosterItem,
  blockingSupported: boolean,
  stranger: boolean,
  run: ContactMenuActions,
): MenuItem[] {
  if (stranger) {
    const items: MenuItem[] = [
      { label: 'Message', shortcut: 'Enter', run: run.message },
      { label: 'Copy address', run: run.copyAddress },
    ];
    if (blockingSupported) items.push({ label: 'Block', separated: true, run: run.block });
    return items;
  }
  const items: MenuItem[] = [
    { label: 'Message', shortcut: 'Enter', run: run.message },
    { label: 'Edit contact…', shortcut: 'F2', run: run.edit },
    { label: 'Move to group…', run: run.moveToGroup },
    { label: 'Copy address', run: run.copyAddress },
  ];
  if (item.pending)
    items.push({ label: item.pending.state === 'failed' ? 'Dismiss' : 'Cancel change', run: run.cancelEdit });
  if (blockingSupported) items.push({ label: 'Block', separated: true, run: run.block });
  items.push({ label: 'Remove…', shortcut: 'Delete', danger: true, separated: !blockingSupported, run: run.remove });
  return items;
}

/** A group header's menu ("No group" cannot be renamed: it is not a group on the server). */
export function groupMenu(group: string, run: { rename(): void; foldAll(): void; unfoldAll(): void }): MenuItem[] {
  const items: MenuItem[] = [];
  if (group !== NO_GROUP && !isSortSection(group)) items.push({ label: 'Rename…', shortcut: 'F2', run: run.rename });
  items.push(
    { label: 'Fold all', separated: items.length > 0, run: run.foldAll },
    { label: 'Unfold all', run: run.unfoldAll },
  );
  return items;
}

/**
 * The groups `item` can move to from `from`: every other group it is not in
 * yet, "No group" when leaving `from` leaves it in none, and "New group…".
 * Moving keeps the contact's other groups.
 */
export function moveTargets(
  item: RosterItem,
  from: string,
  groups: readonly string[],
  move: (to: string, groups: string[]) => void,
  newGroup: () => void,
): MenuItem[] {
  const items: MenuItem[] = groups
    .filter((g) => g !== NO_GROUP && g !== from && !item.groups.includes(g))
    .map((to) => ({ label: to, run: () => move(to, movedGroups(item, from, to)) }));
  if (from !== NO_GROUP && item.groups.length === 1) items.push({ label: 'No group', run: () => move(NO_GROUP, []) });
  items.push({ label: 'New group…', separated: items.length > 0, run: newGroup });
  return items;
}

/** `item`'s groups once moved from `from` to `to` (NO_GROUP: out of `from` only); its other groups are kept. */
export function movedGroups(item: RosterItem, from: string, to: string): string[] {
  const kept = item.groups.filter((g) => g !== from);
  return to === NO_GROUP || kept.includes(to) ? kept : [...kept, to];
}

/** Whether dropping `item` dragged from `from` onto group `to` changes anything. */
export function canMove(item: RosterItem, from: string, to: string): boolean {
  if (to === from || isSortSection(to) || isSortSection(from)) return false;
  if (to === NO_GROUP) return from !== NO_GROUP && item.groups.length === 1;
  return !item.groups.includes(to);
}
