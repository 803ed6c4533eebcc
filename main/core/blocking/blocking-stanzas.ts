/**
 * XEP-0191 (Blocking Command) stanzas, built and read in one place: the
 * blocklist get, block and unblock sets, and the pushes the server sends to
 * every resource that fetched the list. Addresses are normalised like the
 * roster's (block-target.ts), so one spelling is one entry.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { BalconyError } from '../errors.js';
import { normalizeBlockJid } from './block-target.js';

export const NS_BLOCKING = 'urn:xmpp:blocking';

/** `<blocklist/>`: the get that fetches the whole list. */
export function blocklistQuery(): Element {
  return xml('blocklist', { xmlns: NS_BLOCKING });
}

/** `<block>` with one item per address; never empty (the server would answer bad-request). */
export function blockQuery(jids: readonly string[]): Element {
  if (jids.length === 0) throw new BalconyError('invalid-argument', 'Nothing to block.');
  return xml('block', { xmlns: NS_BLOCKING }, ...jids.map((jid) => xml('item', { jid })));
}

/**
 * `<unblock>` with one item per address. An unblock with no item means
 * "unblock everyone" (XEP-0191 3.5): this client never sends that, so an
 * empty list is refused here rather than turned into it.
 */
export function unblockQuery(jids: readonly string[]): Element {
  if (jids.length === 0) throw new BalconyError('invalid-argument', 'Nothing to unblock.');
  return xml('unblock', { xmlns: NS_BLOCKING }, ...jids.map((jid) => xml('item', { jid })));
}

/** The addresses of a `<blocklist/>`, `<block/>` or `<unblock/>`; unreadable items are dropped and logged. */
export function blockItems(parent: Element, log: (message: string) => void): string[] {
  const jids = new Set<string>();
  for (const item of parent.getChildren('item')) {
    const raw = item.attrs.jid as unknown;
    const jid = typeof raw === 'string' ? tryNormalize(raw) : null;
    if (jid === null) {
      const shown = typeof raw === 'string' ? JSON.stringify(raw).slice(0, 100) : 'none';
      log(`blocking: ignored an item without a valid address (${shown})`);
      continue;
    }
    jids.add(jid);
  }
  return [...jids];
}

export type BlockPush =
  | { kind: 'block'; jids: string[] }
  | { kind: 'unblock'; jids: string[] }
  /** `<unblock/>` with no item: the whole list was cleared (by another client of ours). */
  | { kind: 'unblock-all' };

/** Reads a push's payload (`<block/>` or `<unblock/>`); null when it says nothing usable. */
export function parseBlockPush(payload: Element, log: (message: string) => void): BlockPush | null {
  const items = payload.getChildren('item');
  if (payload.name === 'unblock' && items.length === 0) return { kind: 'unblock-all' };
  const jids = blockItems(payload, log);
  if (jids.length === 0) return null;
  return payload.name === 'block' ? { kind: 'block', jids } : { kind: 'unblock', jids };
}

function tryNormalize(raw: string): string | null {
  try {
    return normalizeBlockJid(raw);
  } catch {
    return null;
  }
}
