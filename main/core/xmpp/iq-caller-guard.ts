/**
 * Two guards on @xmpp/iq's caller, which every iq we await goes through (the
 * bind, the roster get and sets, the pings):
 *
 * - Its deferred is rejected as soon as an error reply arrives, and that can
 *   happen before request() awaits it (the reply beats the socket's write
 *   callback, common over TLS). The rejection is then "unhandled" for a
 *   moment, which kills a Node process by default: a server could crash us
 *   just by answering fast. Each deferred is marked as handled when it is
 *   registered, keeping the rejection for request() to throw.
 * - It matches a reply on its id alone. RFC 6120 8.1.2.1 and 10.3: a reply
 *   comes from the entity the request went to; for a request to our own
 *   account (no 'to') that is our server speaking for it (no 'from'), our
 *   bare JID or our full JID. A reply from anyone else (a contact who guessed
 *   or saw the id) is ignored, the request keeps waiting for the real one
 *   (or times out), and the entity emits SPOOFED_REPLY_EVENT.
 */
import { randomBytes } from 'node:crypto';
import type { Element } from '@xmpp/xml';
import { parseJid, type ParsedJid } from '../jid.js';

/** Emitted on the caller's entity with a SpoofedReply when a reply from the wrong sender is ignored. */
export const SPOOFED_REPLY_EVENT = 'balcony:spoofed-iq-reply';

export interface SpoofedReply {
  id: string;
  /** The raw 'from' of the ignored reply. */
  from: string;
  /** Where the request went ('' for our own account). */
  to: string;
}

interface DeferredLike {
  promise: Promise<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

interface CallerInternals {
  handlers: Map<string, DeferredLike>;
  entity: { jid?: { toString(): string } | null; emit(event: string, ...args: unknown[]): boolean };
  request(stanza: Element, timeout?: number): Promise<Element>;
}

export function guardIqCaller(caller: unknown): void {
  const internals = caller as CallerInternals;
  const { handlers, entity } = internals;
  /** Where each pending request went, by id. */
  const addressees = new Map<string, string | undefined>();
  /** The id whose spoofed reply was just ignored: the caller's routing deletes it next, and must not. */
  let keep: string | null = null;

  const request = internals.request.bind(internals);
  internals.request = async (stanza: Element, timeout?: number) => {
    stanza.attrs.id ??= randomBytes(8).toString('hex');
    const id = stanza.attrs.id as string;
    addressees.set(id, stanza.attrs.to as string | undefined);
    try {
      return await request(stanza, timeout);
    } finally {
      addressees.delete(id);
    }
  };

  const set = handlers.set.bind(handlers);
  handlers.set = (id: string, deferred: DeferredLike) => {
    deferred.promise.catch(() => {
      // marked as handled only: request() still awaits this promise and throws its rejection
    });
    const accepts = (reply: Element | undefined): boolean => {
      if (reply === undefined || isFromAddressee(reply, addressees.get(id), entity.jid?.toString())) return true;
      keep = id;
      const spoofed: SpoofedReply = { id, from: String(reply.attrs.from), to: addressees.get(id) ?? '' };
      entity.emit(SPOOFED_REPLY_EVENT, spoofed);
      return false;
    };
    return set(id, {
      promise: deferred.promise,
      resolve: (stanza) => {
        if (accepts(stanza as Element)) deferred.resolve(stanza);
      },
      // An error reply arrives as a StanzaError whose element is the reply's <error/>.
      reject: (reason) => {
        if (accepts(errorReplyIq(reason))) deferred.reject(reason);
      },
    });
  };
  const remove = handlers.delete.bind(handlers);
  handlers.delete = (id: string) => {
    if (keep === id) {
      keep = null;
      return false;
    }
    return remove(id);
  };
}

function tryParse(raw: string): ParsedJid | null {
  try {
    return parseJid(raw);
  } catch {
    return null;
  }
}

function sameBare(a: ParsedJid, b: ParsedJid): boolean {
  return a.local === b.local && a.domain === b.domain;
}

/** Whether `reply` comes from where the request (to `to`) went, for an account whose JID is `own`. */
export function isFromAddressee(reply: Element, to: string | undefined, own: string | undefined): boolean {
  const rawFrom = reply.attrs.from as string | undefined;
  const self = own === undefined ? null : tryParse(own);
  const addressee = to === undefined ? null : tryParse(to);
  const toOwnAccount =
    to === undefined ||
    (addressee !== null && self !== null && addressee.resource === null && sameBare(addressee, self));
  const toOwnServer =
    addressee !== null &&
    self !== null &&
    addressee.local === null &&
    addressee.resource === null &&
    addressee.domain === self.domain;
  // No 'from': our server itself (it stamps one on whatever it routes from others).
  if (rawFrom === undefined) return toOwnAccount || toOwnServer;
  const from = tryParse(rawFrom);
  if (from === null) return false;
  if (toOwnAccount) {
    return self !== null && sameBare(from, self) && (from.resource === null || from.resource === self.resource);
  }
  return addressee !== null && sameBare(from, addressee) && from.resource === addressee.resource;
}

/** The <iq/> an error reply's StanzaError came from (`reason.element.parent`), when there is one. */
function errorReplyIq(reason: unknown): Element | undefined {
  // a rejection reason is whatever the caller was rejected with: read it as untyped
  const parent = (reason as { element?: { parent?: unknown } | null } | null | undefined)?.element?.parent;
  return isElementLike(parent) && parent.is('iq') ? parent : undefined;
}

/** An element as xmpp.js parses them (ltx), told by its is() method. */
function isElementLike(value: unknown): value is Element {
  return typeof value === 'object' && value !== null && typeof (value as { is?: unknown }).is === 'function';
}
