/** What balcony-roster prints: the JSON forms are a stable interface for scripts. */
import type { RosterChange, RosterItem, RosterSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import type { OutboxEntry } from '../core/store/outbox-store.js';

/**
 * What a terminal would act on instead of showing: C0 controls (ESC, BEL, BS,
 * NUL, CR, LF, ...), DEL, C1 controls (U+009B is a one-character CSI), the
 * bidi overrides, embeddings, isolates and marks that reorder what follows
 * (a name could make an address read backwards), and the Unicode line and
 * paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export interface PrintableOptions {
  /** `text` is JSON: escape as `\u009b`, which JSON.parse reads back as the same string. */
  json?: boolean;
  /** `text` is several lines that we joined: keep its line feeds (each field was escaped before). */
  keepNewlines?: boolean;
}

/**
 * Every text balcony-roster writes to stdout or stderr goes through here, so
 * nothing from the network or the cache can move the cursor, retitle the
 * window, ring, or reorder a line. Controls become visible notation: `\x1b`,
 * `\u{202e}`. JSON.stringify escapes C0 but leaves C1 and bidi controls raw;
 * with `json` they become `\u`-escapes, so the JSON stays valid and equal.
 */
export function printable(text: string, options: PrintableOptions = {}): string {
  return text.replace(TERMINAL_CONTROLS, (c) => {
    if (options.keepNewlines && c === '\n') return c;
    const hex = c.charCodeAt(0).toString(16);
    if (options.json) return `\\u${hex.padStart(4, '0')}`;
    return c.charCodeAt(0) < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u{${hex}}`;
  });
}

/** One field of a text line (a name, a group, an address, an error message). */
const f = (text: string): string => printable(text);

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

/**
 * The cache (the server's roster as last seen) and the edits still waiting
 * to reach it; `extra` adds what a command says beside it (sync: the message
 * archive's catch-up).
 */
export function snapshotJson(
  snapshot: RosterSnapshot,
  pending: readonly OutboxEntry[] = [],
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    account: snapshot.account,
    version: snapshot.version,
    items: [...snapshot.items].sort(byJid).map(itemJson),
    pending: pending.map(pendingJson),
    ...extra,
  });
}

const SUBSCRIPTION_WORDS: Record<RosterItem['subscription'], string> = {
  both: 'you see each other',
  from: 'they see you',
  to: 'you see them',
  none: 'no presence shared',
};

export function snapshotText(snapshot: RosterSnapshot, pending: readonly OutboxEntry[] = []): string {
  const lines = [
    `${f(snapshot.account)}: ${snapshot.items.length} contact(s), version ${snapshot.version === null ? '(none)' : f(snapshot.version)}`,
  ];
  for (const item of [...snapshot.items].sort(byJid)) lines.push(itemLine(item));
  if (pending.length) lines.push(`waiting to sync: ${pending.length} change(s)`);
  for (const entry of pending) {
    const failure =
      entry.state === 'failed' ? `  FAILED: ${f(entry.error?.code ?? 'error')}: ${f(entry.error?.message ?? '')}` : '';
    lines.push(`  ${entry.op} ${f(entry.jid)}${failure}`);
  }
  return lines.join('\n');
}

export function changeJson(change: RosterChange): string {
  switch (change.kind) {
    case 'upsert':
      return JSON.stringify({ change: 'upsert', version: change.version, item: itemJson(change.item) });
    case 'remove':
      return JSON.stringify({ change: 'remove', version: change.version, jid: change.jid });
    case 'reset':
      return JSON.stringify({ change: 'reset', version: change.version, count: change.count });
  }
}

/** One contact as a line of snapshotText. */
function itemLine(item: RosterItem): string {
  const state =
    SUBSCRIPTION_WORDS[item.subscription] +
    (item.ask ? ', request pending' : '') +
    (item.approved ? ', pre-approved' : '');
  const groups = item.groups.length ? `  [${item.groups.map(f).join(', ')}]` : '';
  return `${f(item.jid)}${item.name ? `  "${f(item.name)}"` : ''}  (${state})${groups}`;
}

export function itemText(item: RosterItem): string {
  return itemLine(item);
}
export { itemJson };

/** Pending incoming subscription requests, sorted by JID (arrival order is not stable across logins). */
export function requestsJson(requests: readonly SubscriptionRequest[]): string {
  return JSON.stringify({ requests: sortRequests(requests).map((r) => ({ jid: r.jid, message: r.message })) });
}

export function requestsText(requests: readonly SubscriptionRequest[]): string {
  if (requests.length === 0) return 'No pending requests.';
  const lines = [`${requests.length} pending request(s) to see your presence:`];
  for (const r of sortRequests(requests)) lines.push(`${f(r.jid)}${r.message ? `  "${f(r.message)}"` : ''}`);
  return lines.join('\n');
}

function sortRequests(requests: readonly SubscriptionRequest[]): SubscriptionRequest[] {
  return [...requests].sort((a, b) => (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
}
