import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Issue 14 #1: the list's first page costs what it shows, not the roster.
 * Every group's size per generation (NO_GROUP, '', for contacts in none),
 * kept by RosterStore in the same transactions as the rows, so the first
 * page reads a few dozen counts instead of 50,000 rows
 * (main/core/roster/roster-pages.ts). A table of counts rather than an index
 * on the group lists: such an index doubled the time of a first login's
 * write at 50,000 contacts (random inserts into a second tree).
 */
export const rosterGroupCounts0080: Migration = {
  version: 80,
  name: 'roster-group-counts',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE roster_group_counts (
        account TEXT NOT NULL REFERENCES accounts(account) ON DELETE CASCADE,
        generation INTEGER NOT NULL,
        grp TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (account, generation, grp)
      ) WITHOUT ROWID;
      INSERT INTO roster_group_counts (account, generation, grp, n)
        SELECT r.account, r.generation, g.value, COUNT(*) FROM roster_items r, json_each(r.groups) g
          GROUP BY r.account, r.generation, g.value;
      INSERT INTO roster_group_counts (account, generation, grp, n)
        SELECT account, generation, '', COUNT(*) FROM roster_items WHERE groups = '[]' GROUP BY account, generation;
    `);
  },
};
