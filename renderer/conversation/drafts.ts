/**
 * What was typed in each conversation and not sent (issue 10), per account
 * and contact: kept while switching conversations and across restarts, in
 * this window's localStorage (the profile's origin), as Signal and Telegram
 * keep drafts. Bounded: a draft is stored up to MESSAGE_LIMITS.bodyChars
 * (the most a message can hold), and at most MAX_DRAFTS of them, the least
 * recently written dropped first. Storage that is full or refused (private
 * mode, quota) leaves the drafts of this window in memory: typing is never
 * an error. Whoever writes one (the composer; an xmpp:?message link through
 * OpenConversationDetail.draft) says so with a DRAFT_CHANGED event on
 * `window`, so an open conversation shows what another part put there.
 */
import { MESSAGE_LIMITS } from '../../preload/contract.js';

/** Most drafts kept; the oldest written goes first. */
export const MAX_DRAFTS = 200;
/** Fired on `window` when a draft was written or cleared (detail: DraftChange). */
export const DRAFT_CHANGED = 'xm-draft-changed';

export interface DraftChange {
  account: string;
  jid: string;
  text: string;
}

const PREFIX = 'balcony.draft:';
/** The stored drafts' keys, least recently written first (JSON array). */
const INDEX_KEY = 'balcony.drafts';

/** This window's drafts (the full text; storage holds it bounded). */
const memory = new Map<string, string>();
let order: string[] | null = null;

const keyOf = (account: string, jid: string): string => `${PREFIX}${JSON.stringify([account, jid])}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // refused (a sandbox, a policy): memory only
  }
}

/** The index of stored drafts, read once per window. */
function index(): string[] {
  if (order) return order;
  order = [];
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(INDEX_KEY) ?? '[]');
    if (Array.isArray(parsed)) order = parsed.filter((k): k is string => typeof k === 'string' && k.startsWith(PREFIX));
  } catch {
    // a damaged index: start a new one (the drafts it named are dropped as they are found missing)
  }
  return order;
}

function writeIndex(store: Storage): void {
  store.setItem(INDEX_KEY, JSON.stringify(index()));
}

/** The unsent text of `jid`'s conversation ('' for none). */
export function loadDraft(account: string, jid: string): string {
  const key = keyOf(account, jid);
  const held = memory.get(key);
  if (held !== undefined) return held;
  try {
    return storage()?.getItem(key) ?? '';
  } catch {
    return '';
  }
}

/** Keeps (or, for '' or only spaces, clears) the unsent text of `jid`'s conversation. */
export function saveDraft(account: string, jid: string, text: string): void {
  const key = keyOf(account, jid);
  const empty = text.trim() === '';
  if (empty) memory.delete(key);
  else memory.set(key, text);
  persist(key, empty ? null : text.slice(0, MESSAGE_LIMITS.bodyChars));
  window.dispatchEvent(
    new CustomEvent<DraftChange>(DRAFT_CHANGED, { detail: { account, jid, text: empty ? '' : text } }),
  );
}

/** The message was sent: its draft goes. */
export function clearDraft(account: string, jid: string): void {
  saveDraft(account, jid, '');
}

/** Every draft of `account` (signed out and forgotten: nothing it typed stays behind). */
export function forgetDrafts(account: string): void {
  const store = storage();
  const mine = (key: string): boolean => {
    try {
      const parsed: unknown = JSON.parse(key.slice(PREFIX.length));
      return Array.isArray(parsed) && parsed[0] === account;
    } catch {
      return false;
    }
  };
  for (const key of [...memory.keys()]) if (mine(key)) memory.delete(key);
  if (!store) return;
  try {
    // The index, and any key it lost track of (a write cut between the draft and the index).
    const keys = new Set(index());
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(PREFIX)) keys.add(key);
    }
    for (const key of keys) if (mine(key)) store.removeItem(key);
    order = index().filter((key) => !mine(key));
    writeIndex(store);
  } catch {
    // storage refused: what is left there is dropped with the oldest later
  }
}

/** Writes one draft (null: removes it), most recent last in the index, the oldest beyond MAX_DRAFTS dropped. */
function persist(key: string, text: string | null): void {
  const store = storage();
  if (!store) return;
  const keys = index();
  const at = keys.indexOf(key);
  try {
    if (text === null) {
      store.removeItem(key);
      if (at >= 0) {
        keys.splice(at, 1);
        writeIndex(store);
      }
      return;
    }
    writeWithRoom(store, key, text);
    // Typing in the newest draft again leaves the index as it is: one write per keystroke.
    if (at === keys.length - 1 && at >= 0) return;
    if (at >= 0) keys.splice(at, 1);
    keys.push(key);
    while (keys.length > MAX_DRAFTS) {
      const oldest = keys.shift();
      if (oldest !== undefined) store.removeItem(oldest);
    }
    writeIndex(store);
  } catch {
    // full even after dropping old drafts, or refused: this window keeps it in memory
  }
}

/** setItem, dropping the oldest other drafts while storage says it is full. */
function writeWithRoom(store: Storage, key: string, text: string): void {
  for (;;) {
    try {
      store.setItem(key, text);
      return;
    } catch (error) {
      const keys = index();
      const oldest = keys.find((k) => k !== key);
      if (oldest === undefined) throw error;
      keys.splice(keys.indexOf(oldest), 1);
      store.removeItem(oldest);
    }
  }
}

declare global {
  interface WindowEventMap {
    [DRAFT_CHANGED]: CustomEvent<DraftChange>;
  }
}
