import type { Database, Statement } from 'better-sqlite3';
import type { ErrorInfo } from '../../../preload/contract.js';

export type BlockOp = 'block' | 'unblock';

/** A block or unblock the server does not have yet (migration 0060). */
export interface BlockingAction {
  id: number;
  account: string;
  op: BlockOp;
  /** Normalised JIDs; never empty. */
  jids: string[];
  /** 'waiting': sent at the next chance; 'failed': refused, kept to show the error until dismissed. */
  state: 'waiting' | 'failed';
  error: ErrorInfo | null;
  createdAt: number;
}

interface ActionRow {
  id: number;
  account: string;
  op: BlockOp;
  jids_json: string;
  state: 'waiting' | 'failed';
  error_code: string | null;
  error_message: string | null;
  created_at: number;
}

/**
 * The blocklist cache and the blocking outbox of each account (migration
 * 0060). One store for both tables, because an action the server confirmed
 * leaves the outbox and lands in the cache in one transaction: a kill in
 * between can neither lose it nor apply it twice.
 */
export class BlockingStore {
  private readonly selectJids: Statement<[string], { jid: string }>;
  private readonly insertJid: Statement<[string, string]>;
  private readonly deleteJid: Statement<[string, string]>;
  private readonly deleteJids: Statement<[string]>;
  private readonly insertAction: Statement<[string, string, string, number]>;
  private readonly selectActions: Statement<[string], ActionRow>;
  private readonly selectAction: Statement<[number], ActionRow>;
  private readonly failAction: Statement<[string, string, number]>;
  private readonly deleteAction: Statement<[number]>;
  private readonly deleteActions: Statement<[string]>;
  private readonly replaceTx: (account: string, jids: readonly string[]) => void;
  private readonly applyTx: (account: string, op: BlockOp | 'unblock-all', jids: readonly string[]) => void;
  private readonly confirmTx: (action: BlockingAction) => void;

  constructor(db: Database) {
    this.selectJids = db.prepare('SELECT jid FROM blocklist WHERE account = ? ORDER BY jid');
    this.insertJid = db.prepare('INSERT OR IGNORE INTO blocklist (account, jid) VALUES (?, ?)');
    this.deleteJid = db.prepare('DELETE FROM blocklist WHERE account = ? AND jid = ?');
    this.deleteJids = db.prepare('DELETE FROM blocklist WHERE account = ?');
    this.insertAction = db.prepare(
      'INSERT INTO blocking_outbox (account, op, jids_json, created_at) VALUES (?, ?, ?, ?)',
    );
    this.selectActions = db.prepare('SELECT * FROM blocking_outbox WHERE account = ? ORDER BY id');
    this.selectAction = db.prepare('SELECT * FROM blocking_outbox WHERE id = ?');
    this.failAction = db.prepare(
      "UPDATE blocking_outbox SET state = 'failed', error_code = ?, error_message = ? WHERE id = ?",
    );
    this.deleteAction = db.prepare('DELETE FROM blocking_outbox WHERE id = ?');
    this.deleteActions = db.prepare('DELETE FROM blocking_outbox WHERE account = ?');
    this.replaceTx = db.transaction((account: string, jids: readonly string[]) => {
      this.deleteJids.run(account);
      for (const jid of jids) this.insertJid.run(account, jid);
    });
    this.applyTx = db.transaction((account: string, op: BlockOp | 'unblock-all', jids: readonly string[]) => {
      if (op === 'unblock-all') this.deleteJids.run(account);
      else for (const jid of jids) (op === 'block' ? this.insertJid : this.deleteJid).run(account, jid);
    });
    this.confirmTx = db.transaction((action: BlockingAction) => {
      this.applyTx(action.account, action.op, action.jids);
      this.deleteAction.run(action.id);
    });
  }

  /** The cached blocklist, sorted. */
  blocked(account: string): string[] {
    return this.selectJids.all(account).map((row) => row.jid);
  }

  /** The server's whole list replaces the cache (one transaction). */
  replace(account: string, jids: readonly string[]): void {
    this.replaceTx(account, jids);
  }

  /** A push: adds or removes addresses, or clears the list. */
  apply(account: string, op: BlockOp | 'unblock-all', jids: readonly string[] = []): void {
    this.applyTx(account, op, jids);
  }

  enqueue(account: string, op: BlockOp, jids: readonly string[], now: number = Date.now()): BlockingAction {
    const id = Number(this.insertAction.run(account, op, JSON.stringify(jids), now).lastInsertRowid);
    const action = this.action(id);
    if (!action) throw new Error(`blocking outbox: action ${id} was not stored`);
    return action;
  }

  action(id: number): BlockingAction | undefined {
    const row = this.selectAction.get(id);
    return row ? toAction(row) : undefined;
  }

  /** Waiting and failed actions, oldest first. */
  actions(account: string): BlockingAction[] {
    return this.selectActions.all(account).map(toAction);
  }

  /** The server accepted `action`: it leaves the outbox and lands in the cache together. */
  confirm(action: BlockingAction): void {
    this.confirmTx(action);
  }

  markFailed(id: number, error: ErrorInfo): void {
    this.failAction.run(error.code, error.message, id);
  }

  drop(id: number): void {
    this.deleteAction.run(id);
  }

  /** Forgets an account's list and waiting actions (the account was forgotten). */
  clear(account: string): void {
    this.deleteJids.run(account);
    this.deleteActions.run(account);
  }
}

function toAction(row: ActionRow): BlockingAction {
  const parsed = JSON.parse(row.jids_json) as unknown;
  const jids = Array.isArray(parsed) ? parsed.filter((j): j is string => typeof j === 'string') : [];
  return {
    id: row.id,
    account: row.account,
    op: row.op,
    jids,
    state: row.state,
    error: row.error_code ? { code: row.error_code as ErrorInfo['code'], message: row.error_message ?? '' } : null,
    createdAt: row.created_at,
  };
}
