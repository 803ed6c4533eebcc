/**
 * The one place where one-to-one message XML becomes plain data and back
 * (RFC 6121 5; XEP-0280 carbons, XEP-0313 MAM with XEP-0059 RSM, XEP-0359
 * ids, XEP-0203 delay, XEP-0184 receipts, XEP-0333 markers, XEP-0085 chat
 * states). Pure functions over @xmpp/xml elements. Everything here reads
 * network input: it never throws on it, and what cannot be trusted (a
 * stanza-id by someone else, a carbon from another account, a result of
 * another query) is ignored or reported as spoofed, never believed.
 */
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { ChatStateName, ErrorCode, ErrorInfo } from '../../../preload/contract.js';
import { MESSAGE_LIMITS } from '../../../preload/contract.js';
import { formatBare, parseJid } from '../jid.js';

export const NS_CLIENT = 'jabber:client';
export const NS_CARBONS = 'urn:xmpp:carbons:2';
export const NS_FORWARD = 'urn:xmpp:forward:0';
export const NS_MAM = 'urn:xmpp:mam:2';
export const NS_RSM = 'http://jabber.org/protocol/rsm';
export const NS_DATA = 'jabber:x:data';
export const NS_SID = 'urn:xmpp:sid:0';
export const NS_DELAY = 'urn:xmpp:delay';
export const NS_RECEIPTS = 'urn:xmpp:receipts';
export const NS_MARKERS = 'urn:xmpp:chat-markers:0';
export const NS_CHAT_STATES = 'http://jabber.org/protocol/chatstates';
export const NS_HINTS = 'urn:xmpp:hints';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/**
 * Longest id (stanza id attribute, origin-id, stanza-id, archive id) taken
 * from the network. Real ids are UUIDs or shorter; a longer one is treated as
 * absent rather than stored and indexed.
 */
export const MAX_ID_CHARS = 256;

const CHAT_STATES: ReadonlySet<string> = new Set(['active', 'composing', 'paused', 'inactive', 'gone']);

/** XEP-0082 date-time, as XEP-0203 and XEP-0313 use it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Private-use marks the search snippet puts around matches (MessageSearchHit):
 * removed from bodies so a sender cannot fake a highlight.
 */
// eslint-disable-next-line no-control-regex -- NUL too: C code reading the text (FTS5, terminals) ends it there
const SNIPPET_MARKS = /[\uE000\uE001\u0000]/g;

/** A chat message from the network, as plain data. Only bare JIDs are keys; resources are kept for replies. */
export interface IncomingMessage {
  /** 'normal' also stands for an absent type attribute. */
  type: 'chat' | 'normal' | 'error';
  /** The stanza's id attribute; null when absent or unusable (empty, over MAX_ID_CHARS). */
  id: string | null;
  /** The sender's normalised bare JID. */
  from: string;
  fromResource: string | null;
  /** The addressee's normalised bare JID (our own when the attribute is absent). */
  to: string;
  toResource: string | null;
  /** Plain text (first <body>), cut at MESSAGE_LIMITS.bodyChars; null when there is none. */
  body: string | null;
  /** The body was longer than MESSAGE_LIMITS.bodyChars: it was cut and ends with "…". */
  bodyCut: boolean;
  /** XEP-0359 origin-id (the sender's own id). */
  originId: string | null;
  /** XEP-0359 stanza-id, ONLY when its `by` is our own bare JID (our server's archive id); else null. */
  stanzaId: string | null;
  /** XEP-0203 <delay stamp>, ms since epoch. */
  delay: number | null;
  /** XEP-0184 <request/>: the sender asks for a receipt. */
  receiptRequested: boolean;
  /** XEP-0333 <markable/>: the sender wants a displayed marker. */
  markable: boolean;
  /** XEP-0085 chat state child. */
  chatState: ChatStateName | null;
  /** XEP-0184 <received id>: the id of the message of ours this confirms. */
  receivedId: string | null;
  /** XEP-0333 <displayed id>: the id of the message of ours (and all before it) shown to the contact. */
  displayedId: string | null;
  /** type="error": the condition, as one of our codes, in plain words. */
  error: ErrorInfo | null;
}

/** A wrapper (carbon, archive result) that must not be believed. */
export interface Spoofed {
  spoofed: true;
  /** For the log: why it was refused. */
  reason: string;
}

export interface UnwrappedCarbon {
  spoofed: false;
  /** 'sent': one of our other devices sent it; 'received': one of them received it. */
  direction: 'sent' | 'received';
  /** The forwarded message: read it with parseChatMessage (never unwrap it again). */
  message: Element;
}

export interface UnwrappedMamResult {
  spoofed: false;
  /** The archive's id of this message (its stanza-id by the archive's JID). */
  archiveId: string;
  /** When the archive stored it (the forwarded <delay/>), ms since epoch. */
  archiveTime: number;
  /** The archived message: read it with parseChatMessage. */
  message: Element;
}

/** Where a MAM query's last page leaves us (the <fin/> of the iq result). */
export interface MamFin {
  /** The archive has nothing more in the direction asked. */
  complete: boolean;
  /** RSM <first>/<last>: the ids of the page's first and last items (null for an empty page). */
  first: string | null;
  last: string | null;
  /** RSM <count>, when the server said. */
  count: number | null;
}

// ---- reading ----

function attr(el: Element, name: string): string | null {
  // Attribute values from the parser are strings; a locally built element may hold anything.
  const raw: unknown = el.attrs[name];
  return typeof raw === 'string' ? raw : null;
}

/** An id from the network, or null when it is absent, empty, or too long to be a real one. */
function idOf(raw: string | null): string | null {
  if (raw === null || raw.length === 0 || raw.length > MAX_ID_CHARS) return null;
  return raw;
}

interface SplitJid {
  bare: string;
  resource: string | null;
}

function splitJid(raw: string | null): SplitJid | null {
  if (raw === null) return null;
  try {
    const parsed = parseJid(raw);
    return { bare: formatBare(parsed), resource: parsed.resource };
  } catch {
    return null;
  }
}

/**
 * The first child `name` in `ns`. A child without an xmlns attribute is in
 * its parent's namespace (`inherited`: a stanza's own children are in
 * jabber:client, so an extension element must declare its namespace).
 */
function child(el: Element, name: string, ns: string, inherited: string = NS_CLIENT): Element | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name && (attr(c, 'xmlns') ?? inherited) === ns) return c;
  }
  return undefined;
}

function children(el: Element, name: string, ns: string): Element[] {
  const found: Element[] = [];
  for (const c of el.children) {
    if (typeof c !== 'string' && c.name === name && attr(c, 'xmlns') === ns) found.push(c);
  }
  return found;
}

/** A <body> of the client namespace: no xmlns of its own, or jabber:client. */
function bodyOf(stanza: Element): Element | undefined {
  let first: Element | undefined;
  for (const c of stanza.children) {
    if (typeof c === 'string' || c.name !== 'body') continue;
    const ns = attr(c, 'xmlns');
    if (ns !== null && ns !== NS_CLIENT) continue;
    // RFC 6121 5.2.3: several bodies differ by xml:lang; the one without a language is the default.
    if (attr(c, 'xml:lang') === null) return c;
    first ??= c;
  }
  return first;
}

/** Text of an element, never more than `max` code units (a hostile body of megabytes is not copied whole). */
function textOf(el: Element, max: number): { text: string; cut: boolean } {
  let text = '';
  for (const c of el.children) {
    if (typeof c !== 'string') continue;
    text += c;
    if (text.length > max) break;
  }
  text = text.replace(SNIPPET_MARKS, '');
  if (text.length <= max) return { text, cut: false };
  let end = max - 1;
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: `${text.slice(0, end)}…`, cut: true };
}

/** XEP-0082 date-time in ms, or null when it is not one. */
export function parseStamp(raw: string | null): number | null {
  if (raw === null || raw.length > 40 || !DATE_TIME.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

function delayOf(stanza: Element): number | null {
  for (const d of children(stanza, 'delay', NS_DELAY)) {
    const ms = parseStamp(attr(d, 'stamp'));
    if (ms !== null) return ms;
  }
  return null;
}

/** XEP-0359: the stanza-id our own server added (`by` our bare JID); any other is someone's claim. */
function trustedStanzaId(stanza: Element, ownBare: string): string | null {
  for (const s of children(stanza, 'stanza-id', NS_SID)) {
    const by = splitJid(attr(s, 'by'));
    if (by?.resource === null && by.bare === ownBare) {
      const id = idOf(attr(s, 'id'));
      if (id !== null) return id;
    }
  }
  return null;
}

const ERROR_WORDS: Partial<Record<ErrorCode, string>> = {
  'service-unavailable': 'The message could not be delivered: the address does not accept messages.',
  'item-not-found': 'The message could not be delivered: that address does not exist.',
  forbidden: 'The server refused to deliver the message.',
  'not-allowed': 'The server refused to deliver the message.',
  'not-acceptable': 'The server refused the message (too long or not acceptable).',
  'resource-constraint': 'The server is too busy to deliver the message.',
  'internal-server-error': 'The server failed while delivering the message.',
  'bad-request': 'The server rejected the message as malformed.',
};

const CODED_CONDITIONS: ReadonlySet<string> = new Set([
  'bad-request',
  'not-acceptable',
  'forbidden',
  'item-not-found',
  'not-allowed',
  'service-unavailable',
  'internal-server-error',
  'resource-constraint',
]);

function errorOf(stanza: Element): ErrorInfo {
  const error = stanza.getChild('error');
  let condition: string | null = null;
  let text: string | null = null;
  if (error) {
    for (const c of error.children) {
      if (typeof c === 'string' || attr(c, 'xmlns') !== NS_STANZAS) continue;
      if (c.name === 'text') text = textOf(c, 200).text;
      else condition ??= c.name;
    }
  }
  const code: ErrorCode =
    condition !== null && CODED_CONDITIONS.has(condition) ? (condition as ErrorCode) : 'server-error';
  const base =
    ERROR_WORDS[code] ??
    (condition === 'remote-server-not-found' || condition === 'remote-server-timeout'
      ? 'The message could not be delivered: the contact’s server could not be reached.'
      : 'The server returned an error for this message.');
  return { code, message: text ? `${base} (${text})` : base };
}

/**
 * A one-to-one message: type chat, normal (or none) or error. Null for
 * anything else (groupchat, headline), a stanza with no usable sender, or an
 * outgoing copy with no usable addressee. Bodiless messages (chat states,
 * receipts, markers) are returned with body null.
 */
export function parseChatMessage(stanza: Element, ownBare: string): IncomingMessage | null {
  if (stanza.name !== 'message') return null;
  const rawType = attr(stanza, 'type');
  const type = rawType === null || rawType === 'normal' ? 'normal' : rawType;
  if (type !== 'chat' && type !== 'normal' && type !== 'error') return null;
  const from = splitJid(attr(stanza, 'from'));
  if (!from) return null;
  const rawTo = attr(stanza, 'to');
  const to = rawTo === null ? { bare: ownBare, resource: null } : splitJid(rawTo);
  if (!to) return null;

  const bodyEl = bodyOf(stanza);
  const body = bodyEl ? textOf(bodyEl, MESSAGE_LIMITS.bodyChars) : null;
  const origin = child(stanza, 'origin-id', NS_SID);
  const stateEl = stanza.children.find(
    (c): c is Element => typeof c !== 'string' && CHAT_STATES.has(c.name) && attr(c, 'xmlns') === NS_CHAT_STATES,
  );
  const received = child(stanza, 'received', NS_RECEIPTS);
  const displayed = child(stanza, 'displayed', NS_MARKERS);
  return {
    type,
    id: idOf(attr(stanza, 'id')),
    from: from.bare,
    fromResource: from.resource,
    to: to.bare,
    toResource: to.resource,
    body: body?.text ?? null,
    bodyCut: body?.cut ?? false,
    originId: origin ? idOf(attr(origin, 'id')) : null,
    stanzaId: trustedStanzaId(stanza, ownBare),
    delay: delayOf(stanza),
    receiptRequested: child(stanza, 'request', NS_RECEIPTS) !== undefined,
    markable: child(stanza, 'markable', NS_MARKERS) !== undefined,
    chatState: stateEl ? (stateEl.name as ChatStateName) : null,
    receivedId: received ? idOf(attr(received, 'id')) : null,
    displayedId: displayed ? idOf(attr(displayed, 'id')) : null,
    error: type === 'error' ? errorOf(stanza) : null,
  };
}

/** The single <message/> inside <forwarded xmlns=urn:xmpp:forward:0>, or undefined. */
function forwardedMessage(wrapper: Element): Element | undefined {
  const forwarded = child(wrapper, 'forwarded', NS_FORWARD);
  if (!forwarded) return undefined;
  const messages = forwarded.children.filter((c): c is Element => typeof c !== 'string' && c.name === 'message');
  return messages.length === 1 ? messages[0] : undefined;
}

/**
 * XEP-0280: the message inside a <received/> or <sent/> carbon. Null when
 * the stanza is not a carbon (or an unusable one from our own account).
 * Spoofed when it did not come from our own bare JID (XEP-0280 11: anyone
 * can send such a wrapper; only our server may), or when the inner message
 * is not ours to carry: a 'sent' one must be from us, a 'received' one to us.
 */
export function unwrapCarbon(stanza: Element, ownBare: string): UnwrappedCarbon | Spoofed | null {
  if (stanza.name !== 'message') return null;
  const wrappers = stanza.children.filter(
    (c): c is Element =>
      typeof c !== 'string' && (c.name === 'sent' || c.name === 'received') && attr(c, 'xmlns') === NS_CARBONS,
  );
  if (wrappers.length === 0) return null;
  const rawFrom = attr(stanza, 'from');
  const from = splitJid(rawFrom);
  if (from?.resource !== null || from.bare !== ownBare) {
    return { spoofed: true, reason: `a carbon from ${JSON.stringify((rawFrom ?? '(none)').slice(0, 100))}` };
  }
  const wrapper = wrappers[0];
  if (wrappers.length !== 1 || !wrapper) return null;
  const message = forwardedMessage(wrapper);
  if (!message) return null;
  const direction = wrapper.name === 'sent' ? 'sent' : 'received';
  const inner = splitJid(attr(message, direction === 'sent' ? 'from' : 'to'));
  if (inner?.bare !== ownBare) {
    return {
      spoofed: true,
      reason: `a ${direction} carbon whose message is not ${direction === 'sent' ? 'from' : 'to'} us`,
    };
  }
  return { spoofed: false, direction, message };
}

/**
 * XEP-0313: one result of our query `queryId` to the archive `archiveJid`
 * (our own bare JID for our archive). Null when the stanza is no MAM result,
 * or a malformed one (no id, no stamp, not exactly one message). Spoofed when
 * it comes from anyone but the archive (absent `from` counts as our own
 * account, so only for our own archive), or answers another query.
 */
export function unwrapMamResult(
  stanza: Element,
  ownBare: string,
  queryId: string,
  archiveJid: string = ownBare,
): UnwrappedMamResult | Spoofed | null {
  if (stanza.name !== 'message') return null;
  const result = child(stanza, 'result', NS_MAM);
  if (!result) return null;
  const rawFrom = attr(stanza, 'from');
  const from = rawFrom === null ? null : splitJid(rawFrom);
  const fromArchive =
    rawFrom === null ? archiveJid === ownBare : from !== null && from.resource === null && from.bare === archiveJid;
  if (!fromArchive) {
    return { spoofed: true, reason: `an archive result from ${JSON.stringify((rawFrom ?? '(none)').slice(0, 100))}` };
  }
  if (attr(result, 'queryid') !== queryId) return { spoofed: true, reason: 'an archive result of another query' };
  const archiveId = idOf(attr(result, 'id'));
  const forwarded = child(result, 'forwarded', NS_FORWARD);
  const message = forwardedMessage(result);
  if (archiveId === null || !forwarded || !message) return null;
  const archiveTime = delayOf(forwarded);
  if (archiveTime === null) return null;
  return { spoofed: false, archiveId, archiveTime, message };
}

/** The <fin/> of a MAM iq result (the iq itself or its <fin/>); null when there is none. */
export function parseMamFin(el: Element): MamFin | null {
  const fin = el.name === 'fin' && attr(el, 'xmlns') === NS_MAM ? el : child(el, 'fin', NS_MAM);
  if (!fin) return null;
  const set = child(fin, 'set', NS_RSM);
  const text = (name: string): string | null => {
    const c = set ? child(set, name, NS_RSM, NS_RSM) : undefined;
    return c ? idOf(textOf(c, MAX_ID_CHARS + 1).text) : null;
  };
  const countText = text('count');
  const count = countText !== null && /^\d{1,9}$/.test(countText) ? Number(countText) : null;
  const complete = attr(fin, 'complete');
  return { complete: complete === 'true' || complete === '1', first: text('first'), last: text('last'), count };
}

// ---- building ----

/** Our chat message: origin-id = id (XEP-0359), a receipt request, markable, and the 'active' chat state. */
export function buildChatMessage(m: { to: string; body: string; id: string }): Element {
  return xml(
    'message',
    { to: m.to, type: 'chat', id: m.id },
    xml('body', {}, m.body),
    xml('origin-id', { xmlns: NS_SID, id: m.id }),
    xml('request', { xmlns: NS_RECEIPTS }),
    xml('markable', { xmlns: NS_MARKERS }),
    xml('active', { xmlns: NS_CHAT_STATES }),
  );
}

/** XEP-0184: the receipt for the contact's message `id` (sent to their full JID where known). */
export function buildReceipt(r: { to: string; id: string; messageId: string }): Element {
  return xml(
    'message',
    { to: r.to, id: r.messageId, type: 'chat' },
    xml('received', { xmlns: NS_RECEIPTS, id: r.id }),
    xml('store', { xmlns: NS_HINTS }),
  );
}

/** XEP-0333: we showed the contact's message `id` (and all before it). Stored, so our other devices learn it. */
export function buildDisplayed(d: { to: string; id: string; messageId: string }): Element {
  return xml(
    'message',
    { to: d.to, id: d.messageId, type: 'chat' },
    xml('displayed', { xmlns: NS_MARKERS, id: d.id }),
    xml('store', { xmlns: NS_HINTS }),
  );
}

/** XEP-0085 standalone notification: no body, never archived. */
export function buildChatState(s: { to: string; state: ChatStateName }): Element {
  return xml(
    'message',
    { to: s.to, type: 'chat' },
    xml(s.state, { xmlns: NS_CHAT_STATES }),
    xml('no-store', { xmlns: NS_HINTS }),
  );
}

/** XEP-0280: the iq that turns carbons on for this session (no id: the iq caller gives one). */
export function buildCarbonsEnable(): Element {
  return xml('iq', { type: 'set' }, xml('enable', { xmlns: NS_CARBONS }));
}

export interface MamQueryOptions {
  /** Our id for this query: every <result queryid> must carry it. */
  queryId: string;
  /** Only the conversation with this bare JID. */
  with?: string | null;
  /** RSM: the page after this archive id (catching up forwards). */
  after?: string | null;
  /** RSM: the page before this archive id; '' asks for the last page (newest first paging back). */
  before?: string | null;
  /** RSM page size. */
  max: number;
  /** Only messages at or after this time (ms since epoch). */
  start?: number | null;
  /** Only messages at or before this time (ms since epoch). */
  end?: number | null;
}

/** XEP-0313 query of our own archive, filtered by a data form, paged by RSM (XEP-0059). */
export function buildMamQuery(q: MamQueryOptions): Element {
  const fields = [
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
    ...(q.with ? [xml('field', { var: 'with' }, xml('value', {}, q.with))] : []),
    ...(typeof q.start === 'number' ? [xml('field', { var: 'start' }, xml('value', {}, isoStamp(q.start)))] : []),
    ...(typeof q.end === 'number' ? [xml('field', { var: 'end' }, xml('value', {}, isoStamp(q.end)))] : []),
  ];
  const rsm = [xml('max', {}, String(Math.max(1, Math.trunc(q.max))))];
  if (typeof q.after === 'string' && q.after.length > 0) rsm.push(xml('after', {}, q.after));
  if (typeof q.before === 'string') rsm.push(xml('before', {}, q.before));
  return xml(
    'iq',
    { type: 'set' },
    xml(
      'query',
      { xmlns: NS_MAM, queryid: q.queryId },
      xml('x', { xmlns: NS_DATA, type: 'submit' }, ...fields),
      xml('set', { xmlns: NS_RSM }, ...rsm),
    ),
  );
}

function isoStamp(ms: number): string {
  return new Date(ms).toISOString();
}
