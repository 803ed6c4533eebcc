/**
 * Incoming subscription requests waiting for the user's answer, in arrival
 * order, one per JID. Held in memory only: servers keep unanswered requests
 * and re-send them at every login, so they come back after a restart.
 */
import type { SubscriptionRequest } from '../../../preload/contract.js';

/** More waiting requests than this is a flood; the oldest are dropped (the server still has them). */
const MAX_REQUESTS = 500;

export class PendingRequests {
  readonly #byJid = new Map<string, SubscriptionRequest>();

  /** Adds or refreshes a request; returns whether the list changed. */
  add(jid: string, message: string | null, receivedAt: number, nick: string | null = null): boolean {
    const existing = this.#byJid.get(jid);
    // a re-send (every login) keeps its first arrival time and place; what it adds is kept
    if (existing) {
      const next = { ...existing, message: message ?? existing.message, nick: nick ?? existing.nick ?? null };
      if (next.message === existing.message && next.nick === existing.nick) return false;
      this.#byJid.set(jid, next);
      return true;
    }
    this.#byJid.set(jid, { jid, message, nick, receivedAt });
    if (this.#byJid.size > MAX_REQUESTS) {
      const oldest = this.#byJid.keys().next();
      if (oldest.done !== true) this.#byJid.delete(oldest.value);
    }
    return true;
  }

  /** Returns whether there was a request from `jid`. */
  remove(jid: string): boolean {
    return this.#byJid.delete(jid);
  }

  has(jid: string): boolean {
    return this.#byJid.has(jid);
  }

  jids(): string[] {
    return [...this.#byJid.keys()];
  }

  /** Oldest first; copies, so listeners cannot change the list. */
  list(): SubscriptionRequest[] {
    return [...this.#byJid.values()].map((request) => ({ ...request }));
  }
}
