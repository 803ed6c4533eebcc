/**
 * The one place where jabber:iq:roster XML becomes plain RosterItems and back
 * (RFC 6121 section 2). Everything the network sends is checked here; what is
 * wrong is either cleaned (groups), defaulted and logged (subscription), or
 * refused (a push that is not exactly one valid item).
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { RosterItem, Subscription } from '../../../preload/contract.js';
import { tryNormalizeBareJid } from '../jid.js';

export const NS_ROSTER = 'jabber:iq:roster';

const SUBSCRIPTIONS: ReadonlySet<string> = new Set(['none', 'to', 'from', 'both']);

export type Log = (message: string) => void;

/** Trims, drops empty and duplicate groups; sorted for stable comparison. */
export function cleanGroups(groups: Iterable<string>): string[] {
  const unique = new Set<string>();
  for (const g of groups) {
    const trimmed = g.trim();
    if (trimmed.length > 0) unique.add(trimmed);
  }
  return [...unique].sort();
}

function jidOf(raw: unknown): string | null {
  return typeof raw === 'string' ? tryNormalizeBareJid(raw) : null;
}

/** A roster item from the network; null (and logged) when its jid is unusable. */
export function parseItem(el: Element, log: Log): RosterItem | null {
  // attribute values are whatever the element holds (strings when parsed from the wire): unknown until checked
  const rawJid: unknown = el.attrs.jid;
  const jid = jidOf(rawJid);
  if (jid === null) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a diagnostic; parsed attributes are strings, String() only covers a locally built element
    log(`roster: ignored an item with an invalid jid ${JSON.stringify(String(rawJid ?? '')).slice(0, 100)}`);
    return null;
  }
  const rawSubscription: unknown = el.attrs.subscription ?? 'none';
  let subscription: Subscription = 'none';
  if (typeof rawSubscription === 'string' && SUBSCRIPTIONS.has(rawSubscription))
    subscription = rawSubscription as Subscription;
  else
    log(
      `roster: item ${jid} has unknown subscription ${JSON.stringify(String(rawSubscription)).slice(0, 60)}; stored as none`,
    );
  const rawName: unknown = el.attrs.name;
  const name = typeof rawName === 'string' && rawName.length > 0 ? rawName : null;
  return {
    jid,
    name,
    subscription,
    ask: el.attrs.ask === 'subscribe' ? 'subscribe' : null,
    approved: el.attrs.approved === 'true' || el.attrs.approved === '1',
    groups: cleanGroups(el.getChildren('group').map((g) => g.text())),
  };
}

export interface ParsedRoster {
  items: RosterItem[];
  /** The result's ver attribute; null when the server sent none. */
  version: string | null;
}

/**
 * The items of a full roster result, mapped one `<item/>` at a time (a
 * large result is mapped in slices, issue 14 #2). The same jid twice: the
 * last one wins, at the place of the first.
 */
export class RosterResultMapper {
  readonly #byJid = new Map<string, RosterItem>();
  readonly #log: Log;

  constructor(log: Log) {
    this.#log = log;
  }

  /** Maps one `<item/>` of the result: the item to store, or null when it is skipped (and logged). */
  add(el: Element): RosterItem | null {
    if (el.attrs.subscription === 'remove') {
      this.#log('roster: ignored subscription="remove" inside a roster result');
      return null;
    }
    const item = parseItem(el, this.#log);
    if (!item) return null;
    if (this.#byJid.has(item.jid)) this.#log(`roster: ${item.jid} appears twice in the result; the last one is kept`);
    this.#byJid.set(item.jid, item);
    return item;
  }

  /** Distinct contacts so far. */
  get count(): number {
    return this.#byJid.size;
  }

  /** The contacts so far, in the server's order. */
  items(): RosterItem[] {
    return [...this.#byJid.values()];
  }
}

/** A full roster result's <query/>, mapped in one go. The same jid twice: the last one wins. */
export function parseRosterResult(query: Element, log: Log): ParsedRoster {
  const mapper = new RosterResultMapper(log);
  for (const el of query.getChildren('item')) mapper.add(el);
  return { items: mapper.items(), version: versionOf(query) };
}

/** The `ver` of a roster result's or push's <query/>; null when the server sent none. */
export function versionOf(query: Element): string | null {
  const ver: unknown = query.attrs.ver;
  return typeof ver === 'string' ? ver : null;
}

export type PushChange = { kind: 'upsert'; item: RosterItem } | { kind: 'remove'; jid: string };
export type ParsedPush = { ok: true; change: PushChange; version: string | null } | { ok: false; reason: string };

/** A roster push's <query/>: exactly one valid item, or a reason to refuse it. */
export function parseRosterPush(query: Element, log: Log): ParsedPush {
  const items = query.getChildren('item');
  if (items.length !== 1) return { ok: false, reason: `a push must hold exactly one item, it held ${items.length}` };
  const [el] = items as [Element];
  const version = versionOf(query);
  if (el.attrs.subscription === 'remove') {
    const jid = jidOf(el.attrs.jid);
    if (jid === null) return { ok: false, reason: 'the removed item has an invalid jid' };
    return { ok: true, change: { kind: 'remove', jid }, version };
  }
  const item = parseItem(el, log);
  if (!item) return { ok: false, reason: 'the item has an invalid jid' };
  return { ok: true, change: { kind: 'upsert', item }, version };
}

/** <query/> of a roster get; `ver` only when the server supports versioning. */
export function rosterGetQuery(ver: string | undefined): Element {
  return xml('query', ver === undefined ? { xmlns: NS_ROSTER } : { xmlns: NS_ROSTER, ver });
}

/** <query/> of an add or update: jid, name and groups, never subscription. */
export function rosterSetQuery(item: { jid: string; name: string | null; groups: readonly string[] }): Element {
  const attrs: Record<string, string> = { jid: item.jid };
  if (item.name !== null) attrs.name = item.name;
  return xml('query', { xmlns: NS_ROSTER }, xml('item', attrs, ...item.groups.map((g) => xml('group', {}, g))));
}

/** <query/> of a remove. */
export function rosterRemoveQuery(jid: string): Element {
  return xml('query', { xmlns: NS_ROSTER }, xml('item', { jid, subscription: 'remove' }));
}
