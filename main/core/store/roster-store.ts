import type { Database, Statement } from 'better-sqlite3';
import type { RosterItem, RosterSnapshot } from '../../../preload/contract.js';

/** One change from a roster push, as the store applies it. */
export type RosterPushChange = { kind: 'upsert'; item: RosterItem } | { kind: 'remove'; jid: string };

interface ItemRow {
  jid: string;
  name: string | null;
  subscription: RosterItem['subscription'];
  ask: 'subscribe' | null;
  approved: 0 | 1;
  groups: string;
}

interface AccountRow {
  roster_version: string | null;
  roster_cached_at: number | null;
}

/**
 * The offline roster cache, rows keyed by account. Every write is one
 * transaction that stores the items and the version together, so a crash
 * can lose a whole step but never leave a version whose items did not land.
 * Items arrive normalised and validated; the store only persists them.
 */
export class RosterStore {
  private readonly selectAccount: Statement<[string], AccountRow>;
  private readonly selectItems: Statement<[string], ItemRow>;
  private readonly selectItem: Statement<[string, string], ItemRow>;
  private readonly selectItemsAfter: Statement<[string, string, number], ItemRow>;
  private readonly selectOrderKeysAfter: Statement<[string, string, number], [string, string | null, string]>;
  private readonly storeFull: Statement<[string, string | null, number]>;
  private readonly storeVersion: Statement<[string, string | null]>;
  private readonly clearCache: Statement<[string]>;
  private readonly deleteItems: Statement<[string]>;
  private readonly deleteItem: Statement<[string, string]>;
  private readonly storeSyncedAt: Statement<[string, number]>;
  private readonly countAccountItems: Statement<[string], { n: number }>;
  private readonly selectSyncedAt: Statement<[string], { synced_at: number | null }>;
  private readonly upsertItem: Statement<[string, string, string | null, string, string | null, number, string]>;

  private readonly replaceTx: (account: string, items: RosterItem[], version: string | null) => void;
  private readonly pushTx: (account: string, change: RosterPushChange, version: string | null) => boolean;
  private readonly forgetTx: (account: string) => void;
  private readonly snapshotTx: (account: string) => RosterSnapshot;

  constructor(db: Database) {
    this.selectAccount = db.prepare('SELECT roster_version, roster_cached_at FROM accounts WHERE account = ?');
    // The primary key orders rows by jid already (UTF-8 byte order, i.e.
    // code point order), so this reads the index in order without a sort.
    this.selectItems = db.prepare(
      'SELECT jid, name, subscription, ask, approved, groups FROM roster_items WHERE account = ? ORDER BY jid',
    );
    // Keyset pages: the primary key's index, from just after the last address read ('' before any).
    this.selectItemsAfter = db.prepare(
      'SELECT jid, name, subscription, ask, approved, groups FROM roster_items WHERE account = ? AND jid > ? ORDER BY jid LIMIT ?',
    );
    // What the list's order reads, as arrays: no row objects for 50,000 contacts of which a page shows 20.
    this.selectOrderKeysAfter = db
      .prepare<[string, string, number], [string, string | null, string]>(
        'SELECT jid, name, groups FROM roster_items WHERE account = ? AND jid > ? ORDER BY jid LIMIT ?',
      )
      .raw(true);
    this.selectItem = db.prepare(
      'SELECT jid, name, subscription, ask, approved, groups FROM roster_items WHERE account = ? AND jid = ?',
    );
    this.storeFull = db.prepare(
      `INSERT INTO accounts (account, roster_version, roster_cached_at) VALUES (?, ?, ?)
       ON CONFLICT (account) DO UPDATE SET
         roster_version = excluded.roster_version, roster_cached_at = excluded.roster_cached_at`,
    );
    // A push leaves roster_cached_at alone: pushes alone are not a full roster.
    this.storeVersion = db.prepare(
      `INSERT INTO accounts (account, roster_version) VALUES (?, ?)
       ON CONFLICT (account) DO UPDATE SET roster_version = excluded.roster_version`,
    );
    this.clearCache = db.prepare(
      'UPDATE accounts SET roster_version = NULL, roster_cached_at = NULL WHERE account = ?',
    );
    this.storeSyncedAt = db.prepare(
      `INSERT INTO accounts (account, synced_at) VALUES (?, ?)
       ON CONFLICT (account) DO UPDATE SET synced_at = excluded.synced_at`,
    );
    this.selectSyncedAt = db.prepare('SELECT synced_at FROM accounts WHERE account = ?');
    this.countAccountItems = db.prepare('SELECT COUNT(*) AS n FROM roster_items WHERE account = ?');
    this.deleteItems = db.prepare('DELETE FROM roster_items WHERE account = ?');
    this.deleteItem = db.prepare('DELETE FROM roster_items WHERE account = ? AND jid = ?');
    // An upsert rather than a plain INSERT: a jid repeated within one full
    // roster takes its last occurrence instead of aborting the replace.
    this.upsertItem = db.prepare(
      `INSERT INTO roster_items (account, jid, name, subscription, ask, approved, groups)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, jid) DO UPDATE SET
         name = excluded.name, subscription = excluded.subscription, ask = excluded.ask,
         approved = excluded.approved, groups = excluded.groups`,
    );

    // The accounts row is written first in each transaction: items reference it.
    this.replaceTx = db.transaction((account: string, items: RosterItem[], version: string | null) => {
      this.storeFull.run(account, version, Date.now());
      this.deleteItems.run(account);
      for (const item of items) this.writeItem(account, item);
    });
    this.pushTx = db.transaction((account: string, change: RosterPushChange, version: string | null) => {
      this.storeVersion.run(account, version);
      if (change.kind === 'remove') return this.deleteItem.run(account, change.jid).changes > 0;
      const cached = this.selectItem.get(account, change.item.jid);
      // Servers re-push unchanged items (Prosody at every sign-in): the version
      // is kept all the same, the row is not rewritten.
      if (cached && sameItem(toItem(cached), change.item)) return false;
      this.writeItem(account, change.item);
      return true;
    });
    this.forgetTx = db.transaction((account: string) => {
      this.deleteItems.run(account);
      this.clearCache.run(account);
    });
    // Version and items read in one transaction, so both come from the same write.
    this.snapshotTx = db.transaction((account: string): RosterSnapshot => ({
      account,
      version: this.getVersion(account),
      items: this.selectItems.all(account).map(toItem),
    }));
  }

  /** True once a full roster was stored for the account (even an empty one). */
  hasCache(account: string): boolean {
    return (this.selectAccount.get(account)?.roster_cached_at ?? null) !== null;
  }

  /** The version of the cached items; null when none is kept. */
  getVersion(account: string): string | null {
    return this.selectAccount.get(account)?.roster_version ?? null;
  }

  /** The cached roster, items sorted by jid (code point order). */
  getSnapshot(account: string): RosterSnapshot {
    return this.snapshotTx(account);
  }

  /** How many contacts are cached, without reading them. */
  countItems(account: string): number {
    return this.countAccountItems.get(account)?.n ?? 0;
  }

  /**
   * Up to `limit` cached items after `after` (null: from the start), in the
   * store's address order (UTF-8 bytes): one slice of a long read that lets
   * the event loop breathe between slices.
   */
  itemsAfter(account: string, after: string | null, limit: number): RosterItem[] {
    return this.selectItemsAfter.all(account, after ?? '', limit).map(toItem);
  }

  /** Like itemsAfter, only what the list's order reads: [jid, name, groups as stored JSON] per contact. */
  orderKeysAfter(account: string, after: string | null, limit: number): [string, string | null, string][] {
    return this.selectOrderKeysAfter.all(account, after ?? '', limit);
  }

  getItem(account: string, jid: string): RosterItem | undefined {
    const row = this.selectItem.get(account, jid);
    return row ? toItem(row) : undefined;
  }

  /** Replaces every cached item of the account (deletions included) and stores `version`. */
  replaceAll(account: string, items: RosterItem[], version: string | null): void {
    this.replaceTx(account, items, version);
  }

  /**
   * Applies one push and stores its version together with it. `version` is
   * null for a push without `ver`, so the next login asks with ver="".
   * Returns false when the push changed no item (the same item again, or the
   * removal of one that is not there): there is nothing to show.
   */
  applyPush(account: string, change: RosterPushChange, version: string | null): boolean {
    return this.pushTx(account, change, version);
  }

  /** Records that the server confirmed the cache (a full result or "unchanged") at `at`. */
  markSynced(account: string, at: number): void {
    this.storeSyncedAt.run(account, at);
  }

  /** When the server last confirmed the cache (ms since epoch), or null. */
  getSyncedAt(account: string): number | null {
    return this.selectSyncedAt.get(account)?.synced_at ?? null;
  }

  /** Drops the account's items and version; the next login fetches in full. */
  forgetCache(account: string): void {
    this.forgetTx(account);
  }

  private writeItem(account: string, item: RosterItem): void {
    this.upsertItem.run(
      account,
      item.jid,
      item.name,
      item.subscription,
      item.ask,
      item.approved ? 1 : 0,
      JSON.stringify([...item.groups].sort()),
    );
  }
}

/** Equal in every field a push carries (groups compared as sets: they are stored sorted). */
export function sameItem(a: RosterItem, b: RosterItem): boolean {
  if (
    a.jid !== b.jid ||
    a.name !== b.name ||
    a.subscription !== b.subscription ||
    a.ask !== b.ask ||
    a.approved !== b.approved
  )
    return false;
  const ga = [...a.groups].sort();
  const gb = [...b.groups].sort();
  return ga.length === gb.length && ga.every((g, i) => g === gb[i]);
}

function toItem(row: ItemRow): RosterItem {
  return {
    jid: row.jid,
    name: row.name,
    subscription: row.subscription,
    ask: row.ask,
    approved: row.approved === 1,
    groups: JSON.parse(row.groups) as string[],
  };
}
