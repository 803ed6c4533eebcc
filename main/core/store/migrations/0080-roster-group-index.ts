import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Issue 14 #1: the list's first page costs what it shows, not the roster.
 * An index on each contact's group list (the sorted JSON stored in
 * `groups`) gives every group's size from one covering-index pass in
 * SQLite's C code (GROUP BY groups: the few thousand distinct lists, not
 * 50,000 rows brought into JS), and the members of the groups the page
 * reaches by seeks on their lists (main/core/roster/roster-pages.ts). The
 * key's jid follows `groups` in the index, so a list's members come in jid
 * order and read in keyset slices.
 */
export const rosterGroupIndex0080: Migration = {
  version: 80,
  name: 'roster-group-index',
  up(db: Database): void {
    db.exec('CREATE INDEX roster_items_by_groups ON roster_items (account, generation, groups)');
  },
};
