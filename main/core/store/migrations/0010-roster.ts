import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * The roster cache. roster_items is WITHOUT ROWID with PRIMARY KEY
 * (account, jid) rather than a rowid table plus a unique index: rows are
 * always found by that key, and a rowid table would store every row twice
 * (table b-tree + index b-tree). Clustered on the key, a 50,000-row full
 * replace writes one b-tree instead of two, "delete all of an account" is a
 * contiguous range, a single push is one seek, and reading an account's
 * roster in jid order needs no sort. The rare very long name only costs an
 * overflow page; correctness does not depend on row size.
 */
export const roster0010: Migration = {
  version: 10,
  name: 'roster',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE accounts (
        account TEXT PRIMARY KEY NOT NULL,
        roster_version TEXT NULL,
        -- ms epoch when a full roster was last stored; NULL = no cache
        roster_cached_at INTEGER NULL
      );
      CREATE TABLE roster_items (
        account TEXT NOT NULL REFERENCES accounts(account) ON DELETE CASCADE,
        jid TEXT NOT NULL,
        name TEXT NULL,
        subscription TEXT NOT NULL CHECK (subscription IN ('none','to','from','both')),
        ask TEXT NULL CHECK (ask IS NULL OR ask = 'subscribe'),
        approved INTEGER NOT NULL DEFAULT 0 CHECK (approved IN (0, 1)),
        -- JSON array of strings, sorted
        groups TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, jid)
      ) WITHOUT ROWID;
    `);
  },
};
