/**
 * The one place where presence stanzas (RFC 6121 sections 3 and 4) become
 * plain data and plain data becomes stanzas. Anything that is not a presence
 * we understand maps to `ignored` with a reason: the server relays what other
 * people send, so nothing here may throw on garbage.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { OwnPresence } from '../../../preload/contract.js';
import { formatBare, parseJid } from '../jid.js';

/** A resource's own availability: 'offline' is what the aggregate shows when none is left. */
export type ResourceShow = 'available' | 'chat' | 'away' | 'dnd' | 'xa';
export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

export type PresenceInput =
  | {
      kind: 'available';
      jid: string;
      resource: string | null;
      show: ResourceShow;
      status: string | null;
      priority: number;
    }
  | { kind: 'unavailable'; jid: string; resource: string | null }
  | {
      kind: 'subscription';
      type: SubscriptionType;
      jid: string;
      message: string | null;
      /** The nickname the sender gave (XEP-0172), cleaned; null when none. */
      nick: string | null;
    }
  | { kind: 'ignored'; reason: string };

/** Longest nickname kept (XEP-0172), in characters; longer ones are cut. A name, not a paragraph. */
export const MAX_NICK_CHARS = 256;

/** XEP-0172 User Nickname. */
export const NICK_NS = 'http://jabber.org/protocol/nick';

/** Longest status text kept; longer text is cut (a status line, not a letter). */
export const MAX_STATUS_CHARS = 1024;

const SHOWS = new Set<string>(['chat', 'away', 'dnd', 'xa']);
const SUBSCRIPTION_TYPES = new Set<string>(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);

/** Maps one incoming <presence/> to plain data. */
export function parsePresence(stanza: Element): PresenceInput {
  const rawFrom: unknown = stanza.attrs.from;
  if (typeof rawFrom !== 'string' || rawFrom === '') return { kind: 'ignored', reason: 'no from' };
  let from;
  try {
    from = parseJid(rawFrom);
  } catch {
    return { kind: 'ignored', reason: 'from is not a valid address' };
  }
  const jid = formatBare(from);
  const type = stanza.attrs.type as unknown;
  if (type === undefined) {
    return {
      kind: 'available',
      jid,
      resource: from.resource,
      show: showOf(stanza),
      status: statusOf(stanza),
      priority: priorityOf(stanza),
    };
  }
  if (type === 'unavailable') return { kind: 'unavailable', jid, resource: from.resource };
  if (typeof type === 'string' && SUBSCRIPTION_TYPES.has(type)) {
    // RFC 6121 3.1.3: the server stamps subscription stanzas with the bare JID.
    if (from.resource !== null) return { kind: 'ignored', reason: `${type} from a full JID` };
    return {
      kind: 'subscription',
      type: type as SubscriptionType,
      jid,
      message: statusOf(stanza),
      nick: type === 'subscribe' ? cleanNick(stanza.getChild('nick', NICK_NS)?.getText()) : null,
    };
  }
  // probe is the server's business; error answers one of our directed presences
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a diagnostic; parsed attributes are strings, String() only covers a locally built element
  return { kind: 'ignored', reason: `type ${JSON.stringify(String(type)).slice(0, 40)}` };
}

function showOf(stanza: Element): ResourceShow {
  const text = stanza.getChildText('show')?.trim();
  // RFC 6121 4.7.2.1: no <show/> means available; an unknown value is treated the same.
  return text !== undefined && SHOWS.has(text) ? (text as ResourceShow) : 'available';
}

/** The status text: the one without xml:lang if any (the stanza's default language), else the first. */
function statusOf(stanza: Element): string | null {
  const statuses = stanza.getChildren('status');
  const chosen = statuses.find((s) => s.attrs['xml:lang'] === undefined) ?? statuses[0];
  return cleanStatus(chosen?.getText());
}

export function cleanStatus(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  // control characters would garble a one-line status (tabs and newlines stay)
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const cleaned = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (cleaned.length === 0) return null;
  return cleaned.length > MAX_STATUS_CHARS ? cleaned.slice(0, MAX_STATUS_CHARS) : cleaned;
}

/**
 * A nickname from the network (XEP-0172 in a subscription request), made fit
 * to pre-fill a name field: one line (control characters, line breaks and
 * tabs become spaces, runs of spaces one), trimmed, at most MAX_NICK_CHARS
 * characters (never cutting a character in two); null when nothing is left.
 */
export function cleanNick(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null;
  const oneLine = text
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (oneLine === '') return null;
  const chars = Array.from(oneLine);
  return chars.length > MAX_NICK_CHARS ? chars.slice(0, MAX_NICK_CHARS).join('').trimEnd() : oneLine;
}

function priorityOf(stanza: Element): number {
  const text = stanza.getChildText('priority')?.trim();
  if (!text || !/^[+-]?\d{1,4}$/.test(text)) return 0;
  return Math.max(-128, Math.min(127, Number(text)));
}

/**
 * Our availability broadcast (initial presence and every change). A negative
 * `priority` (RFC 6121 4.7.2.3) asks the server to route no messages here,
 * and servers then also keep offline messages stored.
 */
export function ownPresenceStanza(presence: OwnPresence, priority?: number): Element {
  const children: Element[] = [];
  // RFC 6121 4.7.2.1: 'available' is the absence of <show/>.
  if (presence.show !== 'available') children.push(xml('show', {}, presence.show));
  if (presence.status) children.push(xml('status', {}, presence.status));
  if (priority !== undefined && priority !== 0)
    children.push(xml('priority', {}, String(Math.max(-128, Math.min(127, Math.trunc(priority))))));
  return xml('presence', {}, ...children);
}

/** subscribe, subscribed, unsubscribe or unsubscribed, addressed to a bare JID. */
export function subscriptionStanza(type: SubscriptionType, to: string): Element {
  return xml('presence', { to, type });
}
