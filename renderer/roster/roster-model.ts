import type { RosterChange, RosterItem, RosterSnapshot } from '../../preload/contract.js';
import { fold } from './fold.js';

/** A roster item plus what the list needs to show and search it, computed once when it arrives. */
export interface ContactEntry {
  readonly item: RosterItem;
  /** What the list shows: the name, or the JID when no name is set. */
  readonly label: string;
  /** Folded name and JID: a keystroke in the search box only compares strings. */
  readonly searchKey: string;
  /** One visible letter for the avatar (format and control characters skipped). */
  readonly initial: string;
  /** 0–7, stable per JID, picks the avatar colour. */
  readonly hue: number;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

export function toEntry(item: RosterItem): ContactEntry {
  const label = item.name !== null && item.name.trim() !== '' ? item.name : item.jid;
  const visible = label.replace(/[\p{Cc}\p{Cf}\s]/gu, '');
  const initial = (Array.from(visible)[0] ?? '?').toLocaleUpperCase();
  let hash = 0;
  for (const ch of item.jid) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return { item, label, searchKey: fold(`${label}\n${item.jid}`), initial, hue: hash % 8 };
}

/**
 * The renderer's copy of the cached roster: built from one snapshot, then
 * kept current by applying the change events in order. Upserts and removes
 * are idempotent, so replaying a change the snapshot already held is harmless.
 */
export class RosterModel {
  readonly account: string;
  version: string | null;
  private readonly byJid = new Map<string, ContactEntry>();
  private sorted: readonly ContactEntry[] | null = null;

  constructor(snapshot: RosterSnapshot) {
    this.account = snapshot.account;
    this.version = snapshot.version;
    for (const item of snapshot.items) this.byJid.set(item.jid, toEntry(item));
  }

  apply(change: RosterChange): void {
    if (change.kind === 'replace') {
      this.byJid.clear();
      for (const item of change.snapshot.items) this.byJid.set(item.jid, toEntry(item));
      this.version = change.snapshot.version;
    } else if (change.kind === 'upsert') {
      this.byJid.set(change.item.jid, toEntry(change.item));
      this.version = change.version;
    } else {
      this.byJid.delete(change.jid);
      this.version = change.version;
    }
    this.sorted = null;
  }

  get size(): number {
    return this.byJid.size;
  }

  get(jid: string): ContactEntry | undefined {
    return this.byJid.get(jid);
  }

  /** Sorted by label; a new array after every change, so Lit sees the change. */
  get entries(): readonly ContactEntry[] {
    this.sorted ??= [...this.byJid.values()].sort((a, b) => compareText(a.label, b.label) || compareText(a.item.jid, b.item.jid));
    return this.sorted;
  }

  /** Every group in use, sorted: the suggestions when adding or editing a contact. */
  get groups(): string[] {
    const all = new Set<string>();
    for (const entry of this.byJid.values()) for (const group of entry.item.groups) all.add(group);
    return [...all].sort(compareText);
  }
}
