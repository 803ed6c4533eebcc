import type { Database, Statement } from 'better-sqlite3';

/**
 * Subscription requests the user denied (migration 0040), so that a request
 * from the same address is not shown again. Keys are normalised bare JIDs.
 */
export class PresenceDenialStore {
  private readonly insert: Statement<[string, string, number]>;
  private readonly select: Statement<[string, string], { n: number }>;
  private readonly remove: Statement<[string, string]>;
  private readonly selectAll: Statement<[string], { jid: string }>;
  private readonly selectEntries: Statement<[string], { jid: string; denied_at: number }>;
  private readonly selectOne: Statement<[string, string], { denied_at: number }>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO subscription_denials (account, jid, denied_at) VALUES (?, ?, ?)
       ON CONFLICT (account, jid) DO UPDATE SET denied_at = excluded.denied_at`,
    );
    this.select = db.prepare('SELECT 1 AS n FROM subscription_denials WHERE account = ? AND jid = ?');
    this.remove = db.prepare('DELETE FROM subscription_denials WHERE account = ? AND jid = ?');
    this.selectAll = db.prepare('SELECT jid FROM subscription_denials WHERE account = ? ORDER BY jid');
    this.selectEntries = db.prepare(
      'SELECT jid, denied_at FROM subscription_denials WHERE account = ? ORDER BY denied_at DESC, jid',
    );
    this.selectOne = db.prepare('SELECT denied_at FROM subscription_denials WHERE account = ? AND jid = ?');
  }

  deny(account: string, jid: string, at: number = Date.now()): void {
    this.insert.run(account, jid, at);
  }

  isDenied(account: string, jid: string): boolean {
    return this.select.get(account, jid) !== undefined;
  }

  /** Forgets a denial; returns whether there was one. */
  forget(account: string, jid: string): boolean {
    return this.remove.run(account, jid).changes > 0;
  }

  list(account: string): string[] {
    return this.selectAll.all(account).map((row) => row.jid);
  }

  /** Every denial with its time, newest first (the "Denied requests" list). */
  entries(account: string): { jid: string; deniedAt: number }[] {
    return this.selectEntries.all(account).map((row) => ({ jid: row.jid, deniedAt: row.denied_at }));
  }

  /** When `jid` was denied, or null when it is not. */
  deniedAt(account: string, jid: string): number | null {
    return this.selectOne.get(account, jid)?.denied_at ?? null;
  }
}
