import type { Database, Statement } from 'better-sqlite3';

/** RFC 6121 3: the four subscription stanzas. */
export type StepType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

/** A subscription step waiting to reach the server (migration 0050). */
export interface PresenceStep {
  id: number;
  account: string;
  type: StepType;
  /** Normalised bare JID of the contact. */
  jid: string;
  /** The newest roster edit (outbox id) made before this step; 0 when there was none. */
  afterEdit: number;
  /** When it was first written to a connection (it may or may not have arrived); null: never. */
  sentAt: number | null;
  createdAt: number;
}

interface Row {
  id: number;
  account: string;
  type: StepType;
  jid: string;
  after_edit: number;
  sent_at: number | null;
  created_at: number;
}

/**
 * Subscription steps not yet confirmed by the server, oldest first. Each
 * write is one statement (or one transaction), so a kill at any moment
 * leaves a step either stored whole or not at all.
 */
export class PresenceOutboxStore {
  private readonly insert: Statement<[string, string, string, number]>;
  private readonly selectAll: Statement<[string], Row>;
  private readonly selectOne: Statement<[number], Row>;
  private readonly setSent: Statement<[number, number]>;
  private readonly remove: Statement<[number]>;
  private readonly removeAll: Statement<[string]>;
  private readonly markSentAll: (ids: readonly number[], at: number) => void;
  private readonly deleteAll: (ids: readonly number[]) => void;
  private readonly insertAll: (
    account: string,
    steps: readonly { type: StepType; jid: string }[],
    now: number,
  ) => number[];

  constructor(db: Database) {
    // after_edit is read in the same statement as the insert: no roster edit can slip in between.
    this.insert = db.prepare(
      `INSERT INTO presence_outbox (account, type, jid, after_edit, created_at)
       VALUES (?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM outbox), ?)`,
    );
    this.selectAll = db.prepare('SELECT * FROM presence_outbox WHERE account = ? ORDER BY id');
    this.selectOne = db.prepare('SELECT * FROM presence_outbox WHERE id = ?');
    this.setSent = db.prepare('UPDATE presence_outbox SET sent_at = COALESCE(sent_at, ?) WHERE id = ?');
    this.remove = db.prepare('DELETE FROM presence_outbox WHERE id = ?');
    this.removeAll = db.prepare('DELETE FROM presence_outbox WHERE account = ?');
    this.markSentAll = db.transaction((ids: readonly number[], at: number) => {
      for (const id of ids) this.setSent.run(at, id);
    });
    this.deleteAll = db.transaction((ids: readonly number[]) => {
      for (const id of ids) this.remove.run(id);
    });
    this.insertAll = db.transaction((account: string, steps: readonly { type: StepType; jid: string }[], now: number) =>
      steps.map(({ type, jid }) => Number(this.insert.run(account, type, jid, now).lastInsertRowid)),
    );
  }

  /** Stores steps in one transaction (approve and its ask-back land together or not at all). */
  enqueue(
    account: string,
    steps: readonly { type: StepType; jid: string }[],
    now: number = Date.now(),
  ): PresenceStep[] {
    return this.insertAll(account, steps, now).map((id) => toStep(this.#stored(id)));
  }

  #stored(id: number): Row {
    const row = this.selectOne.get(id);
    if (!row) throw new Error(`presence outbox: step ${id} was not stored`);
    return row;
  }

  list(account: string): PresenceStep[] {
    return this.selectAll.all(account).map(toStep);
  }

  /** Marks steps as written (keeps the first time). */
  markSent(ids: readonly number[], at: number = Date.now()): void {
    if (ids.length) this.markSentAll(ids, at);
  }

  delete(ids: readonly number[]): void {
    if (ids.length) this.deleteAll(ids);
  }

  clear(account: string): void {
    this.removeAll.run(account);
  }
}

function toStep(row: Row): PresenceStep {
  return {
    id: row.id,
    account: row.account,
    type: row.type,
    jid: row.jid,
    afterEdit: row.after_edit,
    sentAt: row.sent_at,
    createdAt: row.created_at,
  };
}
