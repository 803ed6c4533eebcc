/**
 * The conflict rule for an edit made offline, decided against the server's
 * roster as it is now (after the retrieval that follows sign-in):
 * - subscription state is never ours to send: the server's always stays;
 * - a name or group edit is kept unless the server changed that same field
 *   since the edit was made (its value differs both from what the user saw
 *   and from what the user chose); then the server's value stays and the
 *   user is told;
 * - an update of a contact the server no longer has is dropped (its removal
 *   elsewhere wins) and the user is told;
 * - removing a contact the server already removed is a success.
 */
import type { RosterItem } from '../../../preload/contract.js';
import type { OutboxEntry } from '../store/outbox-store.js';

export type EditPlan =
  | { action: 'send-set'; jid: string; name: string | null; groups: string[]; conflicts: ('name' | 'groups')[] }
  | { action: 'send-remove'; jid: string }
  | { action: 'done'; conflicts: ('name' | 'groups' | 'removed-elsewhere')[] };

const sameGroups = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().every((g, i) => g === [...b].sort()[i]);

export function planEdit(entry: OutboxEntry, current: RosterItem | undefined): EditPlan {
  if (entry.op === 'remove') {
    return current ? { action: 'send-remove', jid: entry.jid } : { action: 'done', conflicts: [] };
  }
  if (entry.op === 'update' && !current) return { action: 'done', conflicts: ['removed-elsewhere'] };
  // An add of a contact the server does not have (new, or removed just before
  // by an earlier edit of ours): nothing to compare with, send it as made.
  if (entry.op === 'add' && !current) {
    return { action: 'send-set', jid: entry.jid, name: entry.name ?? null, groups: entry.groups ?? [], conflicts: [] };
  }

  const conflicts: ('name' | 'groups')[] = [];
  const serverName = current?.name ?? null;
  const serverGroups = current?.groups ?? [];

  let name = serverName;
  if (entry.name !== undefined) {
    const serverChanged = serverName !== entry.base.name && serverName !== entry.name;
    if (serverChanged) conflicts.push('name');
    else name = entry.name;
  }
  let groups = serverGroups;
  if (entry.groups !== undefined) {
    const serverChanged = !sameGroups(serverGroups, entry.base.groups) && !sameGroups(serverGroups, entry.groups);
    if (serverChanged) conflicts.push('groups');
    else groups = entry.groups;
  }
  if (current && name === serverName && sameGroups(groups, serverGroups)) return { action: 'done', conflicts };
  return { action: 'send-set', jid: entry.jid, name, groups, conflicts };
}
