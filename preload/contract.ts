/**
 * The one contract between main and renderer: plain data types, channel
 * names and the API that `window.messenger` implements. No runtime imports:
 * both sides import it with `import type` (plus the channel constants).
 */

/** RFC 6121 subscription states a stored item can have. */
export type Subscription = 'none' | 'to' | 'from' | 'both';

/** One contact of the roster, as cached and as shown. */
export interface RosterItem {
  /** Normalised bare JID; the key of the item within an account. */
  jid: string;
  /** Display name chosen by the user; null when none was set. */
  name: string | null;
  subscription: Subscription;
  /** 'subscribe' while our subscription request is pending. */
  ask: 'subscribe' | null;
  /** Pre-approved by us (RFC 6121 3.4). */
  approved: boolean;
  /** Trimmed, non-empty, unique, sorted. */
  groups: string[];
}

/** A roster as cached for one account. */
export interface RosterSnapshot {
  account: string;
  /** The roster version of the cached items, or null when none is kept. */
  version: string | null;
  items: RosterItem[];
}

/** A change applied to the cache, in the order it happened. */
export type RosterChange =
  | { kind: 'upsert'; item: RosterItem; version: string | null }
  | { kind: 'remove'; jid: string; version: string | null }
  | { kind: 'replace'; snapshot: RosterSnapshot };

/** Connection state of the one XMPP session. */
export type ConnectionState =
  | { status: 'offline' }
  | { status: 'connecting'; attempt: number }
  | { status: 'online'; jid: string }
  | { status: 'error'; error: ErrorInfo };

/** Machine-readable code plus a sentence a person can read. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type ErrorCode =
  // input validation
  | 'invalid-jid'
  | 'invalid-argument'
  | 'own-jid'
  | 'name-too-long'
  | 'group-invalid'
  // connection
  | 'auth-failed'
  | 'server-unverified'
  | 'tls-required'
  | 'tls-failed'
  | 'host-unreachable'
  | 'connection-lost'
  | 'stream-error'
  | 'bad-format'
  | 'stanza-too-large'
  | 'timeout'
  | 'not-connected'
  // server answers to roster sets (RFC 6120 8.3.3 conditions)
  | 'bad-request'
  | 'not-acceptable'
  | 'forbidden'
  | 'item-not-found'
  | 'not-allowed'
  | 'service-unavailable'
  | 'internal-server-error'
  | 'resource-constraint'
  | 'server-error'
  // storage
  | 'database-too-new'
  | 'database-corrupt'
  | 'internal';
