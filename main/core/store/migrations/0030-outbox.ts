import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Roster edits waiting to reach the server, in the order they were made.
 * An entry is deleted in the same transaction that applies the server's
 * confirming push, so after a crash an edit is either still here (and will
 * be sent again: roster sets are idempotent) or confirmed; never lost.
 * `base_*` hold the contact's fields as the user saw them when editing:
 * a field the server changed since then is not overwritten (server wins).
 */
export const outbox0030: Migration = {
  version: 30,
  name: 'outbox',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('add', 'update', 'remove')),
        jid TEXT NOT NULL,
        -- the edit: NULL in *_json means "not part of this edit"
        name_json TEXT NULL,
        groups_json TEXT NULL,
        -- the contact as it was when edited; base_exists = 0 for a new contact
        base_exists INTEGER NOT NULL CHECK (base_exists IN (0, 1)),
        base_name TEXT NULL,
        base_groups_json TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'failed')),
        error_code TEXT NULL,
        error_message TEXT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX outbox_by_account ON outbox (account, id);
    `);
  },
};
