import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * XEP-0191 blocking, per account: the blocklist as the server last gave it
 * (`blocklist`, replaced whole at each sign-in, kept in step by pushes), and
 * the blocks and unblocks the user made that the server does not have yet
 * (`blocking_outbox`, in the order they were made; each row is one action,
 * one iq, with its addresses as a JSON list). A refused action stays as
 * 'failed' with the server's error until the user dismisses it; the list
 * shown never includes it.
 */
export const blocking0060: Migration = {
  version: 60,
  name: 'blocking',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE blocklist (
        account TEXT NOT NULL,
        -- normalised JID: user@domain, domain, or a full JID
        jid TEXT NOT NULL,
        PRIMARY KEY (account, jid)
      ) WITHOUT ROWID;
      CREATE TABLE blocking_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('block', 'unblock')),
        -- JSON list of normalised JIDs, never empty
        jids_json TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'failed')),
        error_code TEXT NULL,
        error_message TEXT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX blocking_outbox_by_account ON blocking_outbox (account, id);
    `);
  },
};
