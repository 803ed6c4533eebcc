import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Issue 14 #2: a full roster is written in slices that yield to the event
 * loop (main/core/store/roster-replacement.ts), not in one transaction that
 * holds the main thread for half a second at 50,000 contacts. So the rows of
 * a new roster go into a new generation beside the shown one, and one short
 * transaction makes it current together with its version; readers and
 * pushes only ever see `accounts.roster_generation`. A crash mid-write leaves
 * rows of a generation that never became current: invisible, and deleted
 * (in slices) at the next open. `roster_next_generation` hands out numbers
 * that are never reused, even between two processes on one profile.
 *
 * The key gains `generation` between account and jid, so each generation is
 * one contiguous range of the clustered key (written, read in jid order and
 * deleted as a range). The rows are copied once, in this migration's
 * transaction.
 */
export const rosterGenerations0070: Migration = {
  version: 70,
  name: 'roster-generations',
  up(db: Database): void {
    db.exec(`
      -- the generation of roster_items shown for the account
      ALTER TABLE accounts ADD COLUMN roster_generation INTEGER NOT NULL DEFAULT 0;
      -- the last generation number handed out (a write in progress may hold it)
      ALTER TABLE accounts ADD COLUMN roster_next_generation INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE roster_items_by_generation (
        account TEXT NOT NULL REFERENCES accounts(account) ON DELETE CASCADE,
        generation INTEGER NOT NULL DEFAULT 0,
        jid TEXT NOT NULL,
        name TEXT NULL,
        subscription TEXT NOT NULL CHECK (subscription IN ('none','to','from','both')),
        ask TEXT NULL CHECK (ask IS NULL OR ask = 'subscribe'),
        approved INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
        -- JSON array of strings, sorted
        groups TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, generation, jid)
      ) WITHOUT ROWID;
      INSERT INTO roster_items_by_generation (account, generation, jid, name, subscription, ask, approved, groups)
        SELECT account, 0, jid, name, subscription, ask, approved, groups FROM roster_items;
      DROP TABLE roster_items;
      ALTER TABLE roster_items_by_generation RENAME TO roster_items;
    `);
  },
};
