/** What balcony-roster prints: the JSON forms are a stable interface for scripts. */
import type { RosterChange, RosterItem, RosterSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import type { OutboxEntry } from '../core/store/outbox-store.js';

const byJid = (a: RosterItem, b: RosterItem): number => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0);

function itemJson(item: RosterItem): object {
  return {
    jid: item.jid,
    name: item.name,
    subscription: item.subscription,
    ask: item.ask,
    approved: item.approved,
    groups: [...item.groups].sort(),
  };
}

function pendingJson(entry: OutboxEntry): object {
  return { op: entry.op, jid: entry.jid, state: entry.state, error: entry.error?.code ?? null };
}

/** The cache (the server's roster as last seen) and the edits still waiting to reach it. */
export function snapshotJson(snapshot: RosterSnapshot, pending: readonly OutboxEntry[] = []): string {
  return JSON.stringify({
    account: snapshot.account,
    version: snapshot.version,
    items: [...snapshot.items].sort(byJid).map(itemJson),
    pending: pending.map(pendingJson),
  });
}

const SUBSCRIPTION_WORDS: Record<RosterItem['subscription'], string> = {
  both: 'you see each other',
  from: 'they see you',
  to: 'you see them',
  none: 'no presence shared',
};

export function snapshotText(snapshot: RosterSnapshot, pending: readonly OutboxEntry[] = []): string {
  const lines = [`${snapshot.account}: ${snapshot.items.length} contact(s), version ${snapshot.version ?? '(none)'}`];
  for (const item of [...snapshot.items].sort(byJid)) {
    const state = SUBSCRIPTION_WORDS[item.subscription] + (item.ask ? ', request pending' : '') + (item.approved ? ', pre-approved' : '');
    const groups = item.groups.length ? `  [${item.groups.join(', ')}]` : '';
    lines.push(`${item.jid}${item.name ? `  "${item.name}"` : ''}  (${state})${groups}`);
  }
  if (pending.length) lines.push(`waiting to sync: ${pending.length} change(s)`);
  for (const entry of pending) {
    lines.push(`  ${entry.op} ${entry.jid}${entry.state === 'failed' ? `  FAILED: ${entry.error?.code ?? 'error'}: ${entry.error?.message ?? ''}` : ''}`);
  }
  return lines.join('\n');
}

export function changeJson(change: RosterChange): string {
  switch (change.kind) {
    case 'upsert':
      return JSON.stringify({ change: 'upsert', version: change.version, item: itemJson(change.item) });
    case 'remove':
      return JSON.stringify({ change: 'remove', version: change.version, jid: change.jid });
    case 'replace':
      return JSON.stringify({ change: 'replace', version: change.snapshot.version, count: change.snapshot.items.length });
  }
}

export function itemText(item: RosterItem): string {
  return snapshotText({ account: '', version: null, items: [item] }).split('\n')[1]!;
}
export { itemJson };

/** Pending incoming subscription requests, sorted by JID (arrival order is not stable across logins). */
export function requestsJson(requests: readonly SubscriptionRequest[]): string {
  return JSON.stringify({ requests: sortRequests(requests).map((r) => ({ jid: r.jid, message: r.message })) });
}

export function requestsText(requests: readonly SubscriptionRequest[]): string {
  if (requests.length === 0) return 'No pending requests.';
  const lines = [`${requests.length} pending request(s) to see your presence:`];
  for (const r of sortRequests(requests)) lines.push(`${r.jid}${r.message ? `  "${r.message}"` : ''}`);
  return lines.join('\n');
}

function sortRequests(requests: readonly SubscriptionRequest[]): SubscriptionRequest[] {
  return [...requests].sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
}
