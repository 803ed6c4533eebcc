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
  roster_generation: number;
}

type ItemValues = [string, number, string, string | null, string, string | null, number, string];

/**
 * The offline roster cache, rows keyed by account. Every write is one
 * transaction that stores the items and the version together, so a crash
 * can lose a whole step but never leave a version whose items did not land.
 * Items arrive normalised and validated; the store only persists them.
 *
 * Rows belong to a generation (migration 0060) and only the account's
 * current one (`accounts.roster_generation`) is read or pushed to. A large
 * full roster goes into a new generation in slices, made current with its
 * version in one short transaction (./roster-replacement.ts, built on the
 * generation methods at the end of this class); `replaceAll` is the
 * one-transaction form for small rosters and tests.
 */
export class RosterStore {
  private readonly selectAccount: Statement<[string], AccountRow>;
  private readonly selectItems: Statement<[string, number], ItemRow>;
  private readonly selectPage: Statement<[string, number, string, number], ItemRow>;
  private readonly selectOrderKeysAfter: Statement<[string, number, string, number], [string, string | null, string]>;
  private readonly selectItem: Statement<[string, number, string], ItemRow>;
  private readonly selectGroupCounts: Statement<[string, number], [string, number]>;
  private readonly bumpGroupCount: Statement<[string, number, string, number]>;
  private readonly deleteGroupCounts: Statement<[string, number]>;
  private readonly insertNewItem: Statement<ItemValues>;
  /** The first page's member scans, per shape of the group condition (statements prepared once each). */
  readonly #memberScans = new Map<string, Statement<unknown[], [string, string | null, string]>>();
  readonly #db: Database;
  private readonly selectKeyAfter: Statement<[string, number, string, number], string>;
  private readonly storeFull: Statement<[string, string | null, number]>;
  private readonly storeVersion: Statement<[string, string | null]>;
  private readonly deleteItems: Statement<[string, number]>;
  private readonly deleteItem: Statement<[string, number, string]>;
  private readonly deleteSome: Statement<[string, number, string, number, number]>;
  private readonly storeSyncedAt: Statement<[string, number]>;
  private readonly countAccountItems: Statement<[string, number], { n: number }>;
  private readonly selectSyncedAt: Statement<[string], { synced_at: number | null }>;
  private readonly upsertItem: Statement<ItemValues>;
  private readonly nextGeneration: Statement<[string], { n: number }>;
  private readonly makeCurrent: Statement<[string | null, number | null, number, string]>;
  private readonly selectNextGeneration: Statement<[string, number], { g: number | null }>;
  private readonly selectDataVersion: Statement<[], { data_version: number }>;
  private readonly selectAccounts: Statement<[], { account: string }>;
  /** Writes made through this store (PRAGMA data_version counts only other connections'). */
  #writes = 0;

  private readonly replaceTx: (account: string, items: RosterItem[], version: string | null) => void;
  private readonly pushTx: (account: string, change: RosterPushChange, version: string | null) => boolean;
  private readonly forgetTx: (account: string) => void;
  private readonly snapshotTx: (account: string) => RosterSnapshot;
  private readonly sliceTx: (account: string, generation: number, items: readonly RosterItem[]) => void;
  private readonly commitTx: (account: string, generation: number, count: number, version: string | null) => number;

  constructor(db: Database) {
    this.selectAccount = db.prepare(
      'SELECT roster_version, roster_cached_at, roster_generation FROM accounts WHERE account = ?',
    );
    // The primary key orders a generation's rows by jid already (UTF-8 byte
    // order, i.e. code point order), so these read the index in order without a sort.
    this.selectItems = db.prepare(
      `SELECT jid, name, subscription, ask, approved, groups FROM roster_items
       WHERE account = ? AND generation = ? ORDER BY jid`,
    );
    this.selectPage = db.prepare(
      `SELECT jid, name, subscription, ask, approved, groups FROM roster_items
       WHERE account = ? AND generation = ? AND jid > ? ORDER BY jid LIMIT ?`,
    );
    // What the list's order reads, as arrays: no row objects for 50,000 contacts of which a page shows 20.
    this.selectOrderKeysAfter = db
      .prepare<[string, number, string, number], [string, string | null, string]>(
        'SELECT jid, name, groups FROM roster_items WHERE account = ? AND generation = ? AND jid > ? ORDER BY jid LIMIT ?',
      )
      .raw(true);
    this.#db = db;
    // OFFSET walks the key in C without reading the rows: ~1 ms per 10,000.
    this.selectKeyAfter = db
      .prepare<[string, number, string, number], string>(
        'SELECT jid FROM roster_items WHERE account = ? AND generation = ? AND jid > ? ORDER BY jid LIMIT 1 OFFSET ?',
      )
      .pluck();
    // Migration 0080: every group's size per generation, kept in the transactions that write the rows.
    this.selectGroupCounts = db
      .prepare<[string, number], [string, number]>(
        'SELECT grp, n FROM roster_group_counts WHERE account = ? AND generation = ? AND n > 0',
      )
      .raw(true);
    this.bumpGroupCount = db.prepare(
      `INSERT INTO roster_group_counts (account, generation, grp, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (account, generation, grp) DO UPDATE SET n = n + excluded.n`,
    );
    this.deleteGroupCounts = db.prepare('DELETE FROM roster_group_counts WHERE account = ? AND generation = ?');
    // A new row, or nothing when the jid is there already (then its old groups leave the counts first).
    this.insertNewItem = db.prepare(
      `INSERT INTO roster_items (account, generation, jid, name, subscription, ask, approved, groups)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account, generation, jid) DO NOTHING`,
    );
    this.selectItem = db.prepare(
      `SELECT jid, name, subscription, ask, approved, groups FROM roster_items
       WHERE account = ? AND generation = ? AND jid = ?`,
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
    this.storeSyncedAt = db.prepare(
      `INSERT INTO accounts (account, synced_at) VALUES (?, ?)
       ON CONFLICT (account) DO UPDATE SET synced_at = excluded.synced_at`,
    );
    this.selectSyncedAt = db.prepare('SELECT synced_at FROM accounts WHERE account = ?');
    this.countAccountItems = db.prepare('SELECT COUNT(*) AS n FROM roster_items WHERE account = ? AND generation = ?');
    this.deleteItems = db.prepare('DELETE FROM roster_items WHERE account = ? AND generation = ?');
    this.deleteItem = db.prepare('DELETE FROM roster_items WHERE account = ? AND generation = ? AND jid = ?');
    // A bounded piece of one generation (a WITHOUT ROWID table has no rowid to LIMIT a DELETE by).
    this.deleteSome = db.prepare(
      `DELETE FROM roster_items WHERE account = ? AND generation = ? AND jid IN
         (SELECT jid FROM roster_items WHERE account = ? AND generation = ? ORDER BY jid LIMIT ?)`,
    );
    // An upsert rather than a plain INSERT: a jid repeated within one full
    // roster takes its last occurrence instead of aborting the replace.
    this.upsertItem = db.prepare(
      `INSERT INTO roster_items (account, generation, jid, name, subscription, ask, approved, groups)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, generation, jid) DO UPDATE SET
         name = excluded.name, subscription = excluded.subscription, ask = excluded.ask,
         approved = excluded.approved, groups = excluded.groups`,
    );
    // Never reused: a crashed write's rows, or another process's write in
    // progress, never share a number with a new one.
    this.nextGeneration = db.prepare(
      `INSERT INTO accounts (account, roster_next_generation) VALUES (?, 1)
       ON CONFLICT (account) DO UPDATE SET
         roster_next_generation = MAX(roster_next_generation, roster_generation) + 1
       RETURNING roster_next_generation AS n`,
    );
    this.makeCurrent = db.prepare(
      'UPDATE accounts SET roster_version = ?, roster_cached_at = ?, roster_generation = ? WHERE account = ?',
    );
    // One seek of the key per generation, where DISTINCT would read every row.
    this.selectNextGeneration = db.prepare(
      'SELECT MIN(generation) AS g FROM roster_items WHERE account = ? AND generation > ?',
    );
    this.selectDataVersion = db.prepare('PRAGMA data_version');
    this.selectAccounts = db.prepare('SELECT account FROM accounts');

    // The accounts row is written first in each transaction: items reference it.
    this.replaceTx = db.transaction((account: string, items: RosterItem[], version: string | null) => {
      this.storeFull.run(account, version, Date.now());
      const generation = this.generationOf(account);
      this.deleteItems.run(account, generation);
      this.deleteGroupCounts.run(account, generation);
      const counts = new Map<string, number>();
      for (const item of items) this.writeItem(account, generation, item, counts);
      this.flushCounts(account, generation, counts);
    });
    this.pushTx = db.transaction((account: string, change: RosterPushChange, version: string | null) => {
      this.storeVersion.run(account, version);
      const generation = this.generationOf(account);
      const counts = new Map<string, number>();
      if (change.kind === 'remove') {
        const gone = this.selectItem.get(account, generation, change.jid);
        if (!gone) return false;
        this.deleteItem.run(account, generation, change.jid);
        countGroups(counts, JSON.parse(gone.groups) as string[], -1);
        this.flushCounts(account, generation, counts);
        return true;
      }
      const cached = this.selectItem.get(account, generation, change.item.jid);
      // Servers re-push unchanged items (Prosody at every sign-in): the version
      // is kept all the same, the row is not rewritten.
      if (cached && sameItem(toItem(cached), change.item)) return false;
      this.writeItem(account, generation, change.item, counts);
      this.flushCounts(account, generation, counts);
      return true;
    });
    // A new, empty generation made current: the old rows vanish from every
    // reader at once and are deleted in slices (RosterReplacement.sweep).
    this.forgetTx = db.transaction((account: string) => {
      if (this.selectAccount.get(account) === undefined) return;
      this.makeCurrent.run(null, null, this.allocate(account), account);
    });
    // Version and items read in one transaction, so both come from the same write.
    this.snapshotTx = db.transaction((account: string): RosterSnapshot => {
      const row = this.selectAccount.get(account);
      return {
        account,
        version: row?.roster_version ?? null,
        items: this.selectItems.all(account, row?.roster_generation ?? 0).map(toItem),
      };
    });
    this.sliceTx = db.transaction((account: string, generation: number, items: readonly RosterItem[]) => {
      const counts = new Map<string, number>();
      for (const item of items) this.writeItem(account, generation, item, counts);
      this.flushCounts(account, generation, counts);
    });
    this.commitTx = db.transaction(
      (account: string, generation: number, count: number, version: string | null): number => {
        // Every row must be there: a sweep by another process on the same
        // profile (it saw this generation as a crashed write's) would have
        // deleted some. Refused, the old generation stays shown, whole.
        const landed = this.countAccountItems.get(account, generation)?.n ?? 0;
        if (landed !== count) {
          throw new Error(`the new roster has ${landed} of its ${count} rows; it was not made current`);
        }
        const previous = this.generationOf(account);
        this.makeCurrent.run(version, Date.now(), generation, account);
        return previous;
      },
    );
  }

  /** True once a full roster was stored for the account (even an empty one). */
  hasCache(account: string): boolean {
    return (this.selectAccount.get(account)?.roster_cached_at ?? null) !== null;
  }

  /** The version of the cached items; null when none is kept. */
  getVersion(account: string): string | null {
    return this.selectAccount.get(account)?.roster_version ?? null;
  }

  /**
   * The cached roster, items sorted by jid (code point order), in one
   * synchronous read: ~100 ms at 50,000 contacts. Code on the app's main
   * thread reads large rosters with readSnapshot (roster-replacement.ts).
   */
  getSnapshot(account: string): RosterSnapshot {
    return this.snapshotTx(account);
  }

  /** How many contacts are cached, without reading them. */
  countItems(account: string): number {
    return this.countAccountItems.get(account, this.generationOf(account))?.n ?? 0;
  }

  /**
   * Up to `limit` cached items after `after` (null: from the start), in the
   * store's address order (UTF-8 bytes): one slice of a long read that lets
   * the event loop breathe between slices.
   */
  itemsAfter(account: string, after: string | null, limit: number): RosterItem[] {
    // Keyset pages: the primary key's index, from just after the last address read ('' before any).
    return this.selectPage.all(account, this.generationOf(account), after ?? '', limit).map(toItem);
  }

  /** Like itemsAfter, only what the list's order reads: [jid, name, groups as stored JSON] per contact. */
  orderKeysAfter(account: string, after: string | null, limit: number): [string, string | null, string][] {
    return this.selectOrderKeysAfter.all(account, this.generationOf(account), after ?? '', limit);
  }

  /** Every group's size in a generation ('' for the contacts in none), from the counts kept beside the rows. */
  groupCounts(account: string, generation: number): [string, number][] {
    return this.selectGroupCounts.all(account, generation);
  }

  /** How many contacts a generation holds. */
  countGeneration(account: string, generation: number): number {
    return this.countAccountItems.get(account, generation)?.n ?? 0;
  }

  /**
   * Up to `limit` [jid, name, groups as stored JSON] after `after` in jid
   * order, of the contacts that may be in one of `groups` ('' for none): a
   * scan of the key in SQLite's C code (~8 ms at 50,000 contacts), no row
   * brought into JS but the candidates. A name that occurs inside another
   * group's stored JSON may match too: the caller checks the parsed groups.
   */
  membersOfGroups(
    account: string,
    generation: number,
    groups: readonly string[],
    after: string | null,
    upTo: string | null,
    limit: number,
  ): [string, string | null, string][] {
    const named = groups.filter((g) => g !== '');
    const none = named.length < groups.length;
    const shape = `${named.length}:${none}:${upTo !== null}`;
    let scan = this.#memberScans.get(shape);
    if (!scan) {
      const terms = named.map(() => 'instr(groups, ?) > 0').concat(none ? ["groups = '[]'"] : []);
      scan = this.#db
        .prepare<unknown[], [string, string | null, string]>(
          `SELECT jid, name, groups FROM roster_items WHERE account = ? AND generation = ? AND jid > ?
           ${upTo !== null ? 'AND jid <= ?' : ''} AND (${terms.join(' OR ') || '0'}) ORDER BY jid LIMIT ?`,
        )
        .raw(true);
      this.#memberScans.set(shape, scan);
    }
    // A group's name as it appears, quoted and escaped, inside the stored JSON array.
    const bound = upTo !== null ? [upTo] : [];
    return scan.all(account, generation, after ?? '', ...bound, ...named.map((g) => JSON.stringify(g)), limit);
  }

  /**
   * The jid `count` rows after `after` in a generation's key order (null:
   * fewer are left): the end of a range that a scan covers in a few ms.
   */
  keyAfter(account: string, generation: number, after: string | null, count: number): string | null {
    return this.selectKeyAfter.get(account, generation, after ?? '', count - 1) ?? null;
  }

  getItem(account: string, jid: string): RosterItem | undefined {
    const row = this.selectItem.get(account, this.generationOf(account), jid);
    return row ? toItem(row) : undefined;
  }

  /** Replaces every cached item of the account (deletions included) and stores `version`, in one transaction. */
  replaceAll(account: string, items: RosterItem[], version: string | null): void {
    this.#writes++;
    this.replaceTx(account, items, version);
  }

  /**
   * Applies one push and stores its version together with it. `version` is
   * null for a push without `ver`, so the next login asks with ver="".
   * Returns false when the push changed no item (the same item again, or the
   * removal of one that is not there): there is nothing to show.
   */
  applyPush(account: string, change: RosterPushChange, version: string | null): boolean {
    this.#writes++;
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

  /**
   * Drops the account's items and version; the next login fetches in full.
   * The rows go out of sight at once; deleting them is left to a sweep.
   */
  forgetCache(account: string): void {
    this.#writes++;
    this.forgetTx(account);
  }

  // -- Generations: the parts of a sliced full replace (./roster-replacement.ts).

  /** The generation shown for the account (0 before any). */
  generationOf(account: string): number {
    return this.selectAccount.get(account)?.roster_generation ?? 0;
  }

  /** A new generation number for the account's next full roster; creates the accounts row if needed. */
  allocate(account: string): number {
    const row = this.nextGeneration.get(account);
    if (!row) throw new Error('roster store: no generation number was handed out');
    return row.n;
  }

  /** Writes items into a generation that is not current yet (one short transaction). */
  writeSlice(account: string, generation: number, items: readonly RosterItem[]): void {
    this.sliceTx(account, generation, items);
  }

  /**
   * Makes `generation` the shown one with `version`, if it holds exactly
   * `count` rows (one short transaction). Returns the generation it replaced.
   */
  makeGenerationCurrent(account: string, generation: number, count: number, version: string | null): number {
    this.#writes++;
    return this.commitTx(account, generation, count, version);
  }

  /** Deletes up to `limit` rows of a generation that is not shown; returns how many went. */
  deleteSlice(account: string, generation: number, limit: number): number {
    if (generation === this.generationOf(account)) return 0;
    // A hidden generation's counts are never read again: they go with its first slice.
    this.deleteGroupCounts.run(account, generation);
    return this.deleteSome.run(account, generation, account, generation, limit).changes;
  }

  /** Generations of the account that are not shown: an old one, a crashed or abandoned write. */
  hiddenGenerations(account: string): number[] {
    const shown = this.generationOf(account);
    const hidden: number[] = [];
    for (let g = this.selectNextGeneration.get(account, -1)?.g ?? null; g !== null;) {
      if (g !== shown) hidden.push(g);
      g = this.selectNextGeneration.get(account, g)?.g ?? null;
    }
    return hidden;
  }

  /**
   * What a sliced read compares before and after (roster-replacement.ts):
   * equal marks mean no write in between, by this store or any other
   * connection to the file.
   */
  changeMark(account: string): string {
    const row = this.selectAccount.get(account);
    const dataVersion = this.selectDataVersion.get()?.data_version ?? 0;
    return JSON.stringify([row?.roster_version ?? null, row?.roster_generation ?? 0, dataVersion, this.#writes]);
  }

  /** Every account with a row in accounts (a cache, a version or a sync time). */
  accounts(): string[] {
    return this.selectAccounts.all().map((r) => r.account);
  }

  /** Up to `limit` items of a generation after `afterJid` in jid order (a page of a sliced read). */
  readPage(account: string, generation: number, afterJid: string, limit: number): RosterItem[] {
    return this.selectPage.all(account, generation, afterJid, limit).map(toItem);
  }

  /** Writes one row and notes its groups' change in `counts` (flushed by flushCounts in the same transaction). */
  private writeItem(account: string, generation: number, item: RosterItem, counts: Map<string, number>): void {
    const values: ItemValues = [
      account,
      generation,
      item.jid,
      item.name,
      item.subscription,
      item.ask,
      item.approved ? 1 : 0,
      JSON.stringify([...item.groups].sort()),
    ];
    // Mostly a new row; a jid already there (a push, a jid repeated in one roster) is read for its old groups.
    if (this.insertNewItem.run(...values).changes === 0) {
      const old = this.selectItem.get(account, generation, item.jid);
      if (old) countGroups(counts, JSON.parse(old.groups) as string[], -1);
      this.upsertItem.run(...values);
    }
    countGroups(counts, item.groups, 1);
  }

  private flushCounts(account: string, generation: number, counts: ReadonlyMap<string, number>): void {
    for (const [group, delta] of counts) if (delta !== 0) this.bumpGroupCount.run(account, generation, group, delta);
  }
}

/** Adds `delta` to each of a contact's groups ('' when in none; a group named twice counts once). */
function countGroups(counts: Map<string, number>, groups: readonly string[], delta: number): void {
  for (const group of groups.length > 0 ? new Set(groups) : ['']) counts.set(group, (counts.get(group) ?? 0) + delta);
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
