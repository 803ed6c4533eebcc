import type { ContactPresence, PresenceShow } from '../../preload/contract.js';

/**
 * Live presence by bare JID: only contacts that are not offline are kept
 * (a missing JID is offline). Rows watch their own JID, so a presence
 * change redraws one row and nothing else; the list watches the whole store
 * only when its order or filter depends on presence.
 */
export class PresenceStore {
  private readonly online = new Map<string, ContactPresence>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly listeners = new Set<(jids: readonly string[] | null) => void>();

  get size(): number {
    return this.online.size;
  }

  get(jid: string): ContactPresence | undefined {
    return this.online.get(jid);
  }

  show(jid: string): PresenceShow {
    return this.online.get(jid)?.show ?? 'offline';
  }

  /** Contacts not offline. */
  entries(): IterableIterator<ContactPresence> {
    return this.online.values();
  }

  /** One contact changed ('offline': it went away). */
  set(presence: ContactPresence): void {
    const previous = this.online.get(presence.jid);
    if (presence.show === 'offline') {
      if (!previous) return;
      this.online.delete(presence.jid);
    } else {
      if (previous?.show === presence.show && previous.status === presence.status) return;
      this.online.set(presence.jid, { jid: presence.jid, show: presence.show, status: presence.status });
    }
    this.notify([presence.jid]);
  }

  /** Everyone at once (a new snapshot): whoever is not listed is offline. */
  replace(contacts: readonly ContactPresence[]): void {
    const changed = new Set(this.online.keys());
    this.online.clear();
    for (const presence of contacts) {
      if (presence.show === 'offline') continue;
      this.online.set(presence.jid, { jid: presence.jid, show: presence.show, status: presence.status });
      changed.add(presence.jid);
    }
    if (changed.size > 0) this.notify(null, changed);
  }

  /** Everyone offline (the connection is not online: presence is never shown from memory as if current). */
  clear(): void {
    if (this.online.size === 0) return;
    const changed = new Set(this.online.keys());
    this.online.clear();
    this.notify(null, changed);
  }

  /** Calls `callback` whenever `jid`'s presence changes; returns the function that stops it. */
  watch(jid: string, callback: () => void): () => void {
    let set = this.watchers.get(jid);
    if (!set) this.watchers.set(jid, (set = new Set()));
    set.add(callback);
    return () => {
      set.delete(callback);
      if (set.size === 0 && this.watchers.get(jid) === set) this.watchers.delete(jid);
    };
  }

  /** Calls `listener` after any change (with the JIDs changed, or null for many). */
  subscribe(listener: (jids: readonly string[] | null) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private notify(jids: readonly string[] | null, all?: ReadonlySet<string>): void {
    for (const jid of jids ?? all ?? []) for (const callback of [...(this.watchers.get(jid) ?? [])]) callback();
    for (const listener of [...this.listeners]) listener(jids);
  }
}
