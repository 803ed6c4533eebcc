import type { ConversationSummary } from '../../preload/contract.js';

/** What a change did: which conversations changed, and whether the "Recent" order may have changed with it. */
export interface SummariesChange {
  /** null: many (a new snapshot). */
  jids: readonly string[] | null;
  reordered: boolean;
}

const newestFirst = (a: ConversationSummary, b: ConversationSummary): number =>
  (b.last?.time ?? 0) - (a.last?.time ?? 0) || (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0);

/**
 * Every conversation's summary (unread count, last message) by bare JID, as
 * main reports them: a getConversations snapshot, then 'conversation'
 * events. Rows watch their own JID (an unread count redraws its badge and
 * nothing else); the list watches the whole store only for the "Recent"
 * order, and the window title for the total.
 */
export class ConversationSummaries {
  private readonly byJid = new Map<string, ConversationSummary>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly listeners = new Set<(change: SummariesChange) => void>();
  private recentValue: readonly ConversationSummary[] | null = null;
  private unreadValue = 0;
  /** Bumped whenever the "Recent" order may have changed: what a view built from it is cached by. */
  orderVersion = 0;

  get(jid: string): ConversationSummary | undefined {
    return this.byJid.get(jid);
  }

  get size(): number {
    return this.byJid.size;
  }

  /** Unread messages in every conversation. */
  get totalUnread(): number {
    return this.unreadValue;
  }

  /** Conversations with a message, newest first (the "Recent" order). The same array until the order changes. */
  recent(): readonly ConversationSummary[] {
    return (this.recentValue ??= [...this.byJid.values()].filter((s) => s.last !== null).sort(newestFirst));
  }

  /** Everything at once (a getConversations answer): conversations not listed are gone. */
  replace(summaries: readonly ConversationSummary[]): void {
    const changed = new Set(this.byJid.keys());
    this.byJid.clear();
    for (const summary of summaries) {
      this.byJid.set(summary.jid, structuredClone(summary));
      changed.add(summary.jid);
    }
    this.recount();
    this.recentValue = null;
    this.orderVersion += 1;
    this.notify({ jids: null, reordered: true }, changed);
  }

  /** One conversation changed (a 'conversation' event). */
  set(summary: ConversationSummary): void {
    const previous = this.byJid.get(summary.jid);
    if (previous && sameSummary(previous, summary)) return;
    this.byJid.set(summary.jid, structuredClone(summary));
    this.unreadValue += summary.unread - (previous?.unread ?? 0);
    // Only a new last message moves a conversation in the "Recent" order; a read count or a state change does not.
    const reordered = previous?.last?.id !== summary.last?.id || previous?.last?.time !== summary.last?.time;
    if (reordered) {
      this.recentValue = null;
      this.orderVersion += 1;
    }
    this.notify({ jids: [summary.jid], reordered });
  }

  /** Calls `callback` whenever `jid`'s summary changes; returns the function that stops it. */
  watch(jid: string, callback: () => void): () => void {
    let set = this.watchers.get(jid);
    if (!set) this.watchers.set(jid, (set = new Set()));
    set.add(callback);
    return () => {
      set.delete(callback);
      if (set.size === 0 && this.watchers.get(jid) === set) this.watchers.delete(jid);
    };
  }

  /** Calls `listener` after any change. */
  subscribe(listener: (change: SummariesChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private recount(): void {
    let total = 0;
    for (const summary of this.byJid.values()) total += summary.unread;
    this.unreadValue = total;
  }

  private notify(change: SummariesChange, jids: Iterable<string> = change.jids ?? []): void {
    for (const jid of jids) for (const callback of [...(this.watchers.get(jid) ?? [])]) callback();
    for (const listener of [...this.listeners]) listener(change);
  }
}

function sameSummary(a: ConversationSummary, b: ConversationSummary): boolean {
  return (
    a.unread === b.unread &&
    a.last?.id === b.last?.id &&
    a.last?.time === b.last?.time &&
    a.last?.body === b.last?.body &&
    a.last?.direction === b.last?.direction &&
    a.last?.state === b.last?.state
  );
}

/** The first line of a message as a list row shows it: no line breaks, at most a row's worth of text. */
export function firstLine(body: string): string {
  const line = body.trimStart().split(/\r\n|[\n\r\u2028\u2029]/, 1)[0] ?? '';
  if (line.length <= 200) return line;
  // By code point, so an emoji is never cut in half.
  return `${Array.from(line).slice(0, 200).join('')}…`;
}

/** "3 unread messages" (empty for none): what a row's accessible name ends with. */
export function unreadWords(count: number): string {
  return count <= 0 ? '' : count === 1 ? '1 unread message' : `${count} unread messages`;
}
