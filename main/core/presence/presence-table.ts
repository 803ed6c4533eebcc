/**
 * Live presence of contacts: one entry per resource, one aggregate per bare
 * JID. Only what arrived on the current connection is held; `clear()` when the
 * session leaves online, since a presence from an earlier connection says
 * nothing about now.
 *
 * The shown state is the most available resource's, in this order:
 *   chat > available > away > xa > dnd
 * "Most available" means most reachable: dnd asks not to be disturbed, so it
 * ranks below xa (gone for long, but a message will be read later). Among
 * resources with the same show, the higher <priority/> wins, then the one
 * heard from most recently. Priority does not outrank show: a phone left
 * "away" at priority 50 must not hide a desktop that is available at 0.
 */
import type { ContactPresence } from '../../../preload/contract.js';
import type { ResourceShow } from './presence-stanzas.js';

const RANK: Record<ResourceShow, number> = { chat: 5, available: 4, away: 3, xa: 2, dnd: 1 };

/** More resources than this for one contact is abuse or a bug; the oldest goes. */
const MAX_RESOURCES = 32;

/** Key for a presence from the bare JID itself (gateways, some servers). */
const BARE = '';

interface ResourceState {
  show: ResourceShow;
  status: string | null;
  priority: number;
  seq: number;
}

export class PresenceTable {
  readonly #contacts = new Map<string, Map<string, ResourceState>>();
  #seq = 0;

  /** A resource became (or stays) available; returns the new aggregate if it changed. */
  available(jid: string, resource: string | null, state: Omit<ResourceState, 'seq'>): ContactPresence | null {
    const before = this.get(jid);
    let resources = this.#contacts.get(jid);
    if (!resources) {
      resources = new Map();
      this.#contacts.set(jid, resources);
    }
    const key = resource ?? BARE;
    resources.delete(key); // re-insert: Map order is then oldest first
    resources.set(key, { ...state, seq: ++this.#seq });
    if (resources.size > MAX_RESOURCES) {
      const oldest = resources.keys().next();
      if (oldest.done !== true) resources.delete(oldest.value);
    }
    return changed(before, this.get(jid));
  }

  /**
   * A resource went away. From the bare JID it means every resource (the
   * server's answer to a probe when none is online, or a subscription ended).
   */
  unavailable(jid: string, resource: string | null): ContactPresence | null {
    const resources = this.#contacts.get(jid);
    if (!resources) return null;
    const before = this.get(jid);
    if (resource === null) resources.clear();
    else resources.delete(resource);
    if (resources.size === 0) this.#contacts.delete(jid);
    return changed(before, this.get(jid));
  }

  /** The aggregate for a bare JID; offline when nothing is known. */
  get(jid: string): ContactPresence {
    const resources = this.#contacts.get(jid);
    let best: ResourceState | undefined;
    for (const state of resources?.values() ?? []) {
      if (!best || outranks(state, best)) best = state;
    }
    return best ? { jid, show: best.show, status: best.status } : { jid, show: 'offline', status: null };
  }

  /** Every contact not offline, sorted by JID. */
  all(): ContactPresence[] {
    return [...this.#contacts.keys()].sort().map((jid) => this.get(jid));
  }

  /** Forgets everything; returns the contacts that were not offline (each is offline now). */
  clear(): string[] {
    const jids = [...this.#contacts.keys()];
    this.#contacts.clear();
    return jids;
  }
}

function outranks(a: ResourceState, b: ResourceState): boolean {
  if (RANK[a.show] !== RANK[b.show]) return RANK[a.show] > RANK[b.show];
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.seq > b.seq;
}

function changed(before: ContactPresence, after: ContactPresence): ContactPresence | null {
  return before.show === after.show && before.status === after.status ? null : after;
}
