/**
 * The blocklist as shown: the server's list (the cache) with the user's
 * waiting blocks and unblocks laid over it in the order they were made.
 * A refused action changes nothing shown: it is listed apart, with its error.
 */
import type { BlockedJid, BlocklistSnapshot } from '../../../preload/contract.js';
import type { BlockingAction } from '../store/blocking-store.js';

export function blocklistView(
  supported: boolean,
  cached: readonly string[],
  actions: readonly BlockingAction[],
): BlocklistSnapshot {
  const onServer = new Set(cached);
  const shown = new Map<string, BlockedJid>(cached.map((jid) => [jid, { jid }]));
  for (const action of actions) {
    if (action.state !== 'waiting') continue;
    for (const jid of action.jids) {
      if (action.op === 'block') shown.set(jid, onServer.has(jid) ? { jid } : { jid, pending: 'block' });
      else if (onServer.has(jid)) shown.set(jid, { jid, pending: 'unblock' });
      else shown.delete(jid);
    }
  }
  const items = [...shown.values()].sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
  const failures = actions.flatMap((action) =>
    action.state === 'failed' && action.error
      ? [{ id: action.id, op: action.op, jids: action.jids, error: action.error }]
      : [],
  );
  return { supported, items, failures };
}

/** The addresses that count as blocked now: shown, and not waiting to be unblocked (the user's latest word). */
export function effectivelyBlocked(view: BlocklistSnapshot): Set<string> {
  return new Set(view.items.filter((item) => item.pending !== 'unblock').map((item) => item.jid));
}
