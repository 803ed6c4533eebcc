/** What balcony-roster prints: the JSON forms are a stable interface for scripts. */
import type { RosterChange, RosterItem, RosterSnapshot } from '../../preload/contract.js';

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

export function snapshotJson(snapshot: RosterSnapshot): string {
  return JSON.stringify({
    account: snapshot.account,
    version: snapshot.version,
    items: [...snapshot.items].sort(byJid).map(itemJson),
  });
}

const SUBSCRIPTION_WORDS: Record<RosterItem['subscription'], string> = {
  both: 'you see each other',
  from: 'they see you',
  to: 'you see them',
  none: 'no presence shared',
};

export function snapshotText(snapshot: RosterSnapshot): string {
  const lines = [`${snapshot.account}: ${snapshot.items.length} contact(s), version ${snapshot.version ?? '(none)'}`];
  for (const item of [...snapshot.items].sort(byJid)) {
    const state = SUBSCRIPTION_WORDS[item.subscription] + (item.ask ? ', request pending' : '') + (item.approved ? ', pre-approved' : '');
    const groups = item.groups.length ? `  [${item.groups.join(', ')}]` : '';
    lines.push(`${item.jid}${item.name ? `  "${item.name}"` : ''}  (${state})${groups}`);
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
