import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Issue 10 (speed): new messages enter the full-text index (messages_fts)
 * from MessageStore itself, not from a per-row trigger: an archive page of
 * a hundred messages is indexed by one INSERT ... SELECT of its rows at the
 * end of its transaction (the per-row trigger was most of a page's INSERT
 * cost). The index holds the same rows as before (every row of kind
 * 'message', same body); deletes and body updates keep their triggers.
 * Rows already indexed stay as they are.
 */
export const messagesFtsByStore0100: Migration = {
  version: 100,
  name: 'messages-fts-by-store',
  up(db: Database): void {
    db.exec('DROP TRIGGER IF EXISTS messages_fts_insert');
  },
};
