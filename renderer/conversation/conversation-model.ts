import type { ChatMessage, ConversationEntry, MessageGap } from '../../preload/contract.js';

/** Where an upsert moved things: the index an entry left (or -1) and the index it now has (or -1: not placed). */
export interface Placement {
  removedAt: number;
  insertedAt: number;
}

const before = (a: { time: number; seq: number }, b: { time: number; seq: number }): boolean =>
  a.time < b.time || (a.time === b.time && a.seq < b.seq);

/**
 * The loaded part of one conversation, oldest first, in the order both sides
 * agree on: (time, seq). Pages from getHistory are prepended; live messages
 * and gaps are upserted by id and placed by (time, seq), so a message whose
 * time changed (ours, once the server archived it) moves to its place.
 * Holds data only: the view decides which part of it is drawn.
 */
export class ConversationModel {
  private list: ConversationEntry[] = [];
  private readonly ids = new Map<string, ConversationEntry>();
  /** Nothing older exists (the last page said so). */
  atStart = false;

  constructor(readonly jid: string) {}

  get entries(): readonly ConversationEntry[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  get(id: string): ConversationEntry | undefined {
    return this.ids.get(id);
  }

  indexOf(id: string): number {
    const entry = this.ids.get(id);
    return entry ? this.list.indexOf(entry) : -1;
  }

  /** The newest message (not a gap), or null. */
  newestMessage(direction?: 'in' | 'out'): (ChatMessage & { kind: 'message' }) | null {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const entry = this.list[i];
      if (entry?.kind === 'message' && (!direction || entry.direction === direction)) return entry;
    }
    return null;
  }

  /**
   * An older page (oldest first) goes before what is loaded; entries already
   * here (a live copy that arrived first) are skipped. Returns how many were added.
   */
  prepend(page: readonly ConversationEntry[], atStart: boolean): number {
    this.atStart = atStart;
    const fresh = page.filter((entry) => !this.ids.has(entry.id));
    for (const entry of fresh) this.ids.set(entry.id, entry);
    // A page is older than what we hold, but check rather than trust: anything out of place is placed singly.
    const oldest = this.list[0];
    if (!oldest || fresh.every((entry) => before(entry, oldest))) {
      this.list = [...fresh, ...this.list];
      return fresh.length;
    }
    for (const entry of fresh) this.place(entry);
    return fresh.length;
  }

  /** A message (live, or a state change) or gap: replaced by id, placed by (time, seq). */
  upsert(entry: ConversationEntry): Placement {
    const old = this.ids.get(entry.id);
    let removedAt = -1;
    if (old) {
      const at = this.list.indexOf(old);
      if (old.time === entry.time && old.seq === entry.seq) {
        this.list[at] = entry;
        this.ids.set(entry.id, entry);
        return { removedAt: at, insertedAt: at };
      }
      this.list.splice(at, 1);
      removedAt = at;
    }
    this.ids.set(entry.id, entry);
    // Older than everything loaded while more exists before it: it belongs to a page not loaded yet.
    const oldest = this.list[0];
    if (oldest && !this.atStart && before(entry, oldest)) {
      this.ids.delete(entry.id);
      return { removedAt, insertedAt: -1 };
    }
    return { removedAt, insertedAt: this.place(entry) };
  }

  static message(message: ChatMessage): ConversationEntry {
    return { kind: 'message', ...message };
  }

  static gap(gap: MessageGap): ConversationEntry {
    return gap;
  }

  /** Binary search from the end (new entries are nearly always the newest). */
  private place(entry: ConversationEntry): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const there = this.list[mid];
      if (there && before(entry, there)) high = mid;
      else low = mid + 1;
    }
    this.list.splice(low, 0, entry);
    return low;
  }
}
