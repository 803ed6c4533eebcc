import type { Database, Statement } from 'better-sqlite3';
import type { ErrorInfo } from '../../../preload/contract.js';

export type OutboxOp = 'add' | 'update' | 'remove';

/** The contact as the user saw it when making the edit. */
export interface OutboxBase {
  exists: boolean;
  name: string | null;
  groups: string[];
}

export interface OutboxEntry {
  id: number;
  account: string;
  op: OutboxOp;
  jid: string;
  /** undefined: the edit leaves the name alone; null: clears it. */
  name?: string | null;
  /** undefined: the edit leaves the groups alone. */
  groups?: string[];
  base: OutboxBase;
  state: 'waiting' | 'failed';
  error: ErrorInfo | null;
  createdAt: number;
}

export type NewOutboxEntry = Pick<OutboxEntry, 'account' | 'op' | 'jid' | 'name' | 'groups' | 'base'>;

interface Row {
  id: number;
  account: string;
  op: OutboxOp;
  jid: string;
  name_json: string | null;
  groups_json: string | null;
  base_exists: 0 | 1;
  base_name: string | null;
  base_groups_json: string;
  state: 'waiting' | 'failed';
  error_code: string | null;
  error_message: string | null;
  created_at: number;
}

/** Roster edits not yet confirmed by the server, oldest first. */
export class OutboxStore {
  private readonly insert: Statement<
    [string, string, string, string | null, string | null, number, string | null, string, number]
  >;
  private readonly selectAll: Statement<[string], Row>;
  private readonly selectOne: Statement<[number], Row>;
  private readonly setFailed: Statement<[string, string, number]>;
  private readonly remove: Statement<[number]>;
  private readonly removeAll: Statement<[string]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO outbox (account, op, jid, name_json, groups_json, base_exists, base_name, base_groups_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectAll = db.prepare('SELECT * FROM outbox WHERE account = ? ORDER BY id');
    this.selectOne = db.prepare('SELECT * FROM outbox WHERE id = ?');
    this.setFailed = db.prepare("UPDATE outbox SET state = 'failed', error_code = ?, error_message = ? WHERE id = ?");
    this.remove = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.removeAll = db.prepare('DELETE FROM outbox WHERE account = ?');
  }

  enqueue(entry: NewOutboxEntry): OutboxEntry {
    const info = this.insert.run(
      entry.account,
      entry.op,
      entry.jid,
      entry.name === undefined ? null : JSON.stringify(entry.name),
      entry.groups === undefined ? null : JSON.stringify(entry.groups),
      entry.base.exists ? 1 : 0,
      entry.base.name,
      JSON.stringify(entry.base.groups),
      Date.now(),
    );
    const created = this.get(Number(info.lastInsertRowid));
    if (!created) throw new Error('outbox: the entry just inserted cannot be read back');
    return created;
  }

  get(id: number): OutboxEntry | undefined {
    const row = this.selectOne.get(id);
    return row ? toEntry(row) : undefined;
  }

  list(account: string): OutboxEntry[] {
    return this.selectAll.all(account).map(toEntry);
  }

  markFailed(id: number, error: ErrorInfo): void {
    this.setFailed.run(error.code, error.message, id);
  }

  delete(id: number): void {
    this.remove.run(id);
  }

  clear(account: string): void {
    this.removeAll.run(account);
  }
}

function toEntry(row: Row): OutboxEntry {
  const entry: OutboxEntry = {
    id: row.id,
    account: row.account,
    op: row.op,
    jid: row.jid,
    base: { exists: row.base_exists === 1, name: row.base_name, groups: JSON.parse(row.base_groups_json) as string[] },
    state: row.state,
    error: row.error_code ? { code: row.error_code as ErrorInfo['code'], message: row.error_message ?? '' } : null,
    createdAt: row.created_at,
  };
  if (row.name_json !== null) entry.name = JSON.parse(row.name_json) as string | null;
  if (row.groups_json !== null) entry.groups = JSON.parse(row.groups_json) as string[];
  return entry;
}
