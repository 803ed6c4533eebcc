/**
 * The contact's messages that asked for a displayed marker (XEP-0333
 * <markable/>), remembered from their arrival until the user reads them:
 * the marker names the sender's own stanza id and goes to the resource that
 * sent it. Held in memory and bounded: after a restart, reading what arrived
 * before sends no marker (a marker is a courtesy; the next message read
 * covers everything before it).
 */

export interface MarkerTarget {
  /** Full JID where known. */
  to: string;
  /** The sender's stanza id, which the marker names. */
  stanzaId: string;
  /** Where the message sits in the conversation: (time, seq). */
  time: number;
  seq: number;
}

/** Most markable messages remembered in all; beyond it the oldest are forgotten. */
const MAX_REMEMBERED = 5_000;

const atOrBefore = (a: { time: number; seq: number }, b: { time: number; seq: number }): boolean =>
  a.time < b.time || (a.time === b.time && a.seq <= b.seq);

export class MarkableMemory {
  /** contact -> local message id -> target. */
  readonly #byContact = new Map<string, Map<string, MarkerTarget>>();
  #size = 0;

  add(contact: string, localId: string, target: MarkerTarget): void {
    let entries = this.#byContact.get(contact);
    if (!entries) {
      entries = new Map();
      this.#byContact.set(contact, entries);
    }
    if (!entries.has(localId)) this.#size += 1;
    entries.set(localId, target);
    while (this.#size > MAX_REMEMBERED) this.#forgetOldest();
  }

  /**
   * Reading `contact`'s conversation up to `upTo`: the newest markable
   * message at or before it (its marker covers all before it, XEP-0333 3),
   * or undefined; every one at or before it is forgotten.
   */
  take(contact: string, upTo: { time: number; seq: number }): MarkerTarget | undefined {
    const entries = this.#byContact.get(contact);
    if (!entries) return undefined;
    let newest: MarkerTarget | undefined;
    for (const [key, target] of entries) {
      if (!atOrBefore(target, upTo)) continue;
      if (!newest || atOrBefore(newest, target)) newest = target;
      entries.delete(key);
      this.#size -= 1;
    }
    if (entries.size === 0) this.#byContact.delete(contact);
    return newest;
  }

  #forgetOldest(): void {
    const first = this.#byContact.entries().next().value;
    if (!first) return;
    const [contact, entries] = first;
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) {
      entries.delete(oldest);
      this.#size -= 1;
    }
    if (entries.size === 0) this.#byContact.delete(contact);
  }
}
