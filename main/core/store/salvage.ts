import type Database from 'better-sqlite3';
import { openReadOnly } from './read-only-open.js';
import { userTables } from './schema-check.js';

/**
 * Tables that hold only what the server gives again (the roster cache):
 * not carried over, since a fresh retrieval with ver="" rebuilds them and a
 * half-read copy could be stale.
 */
const REBUILT_FROM_SERVER = new Set(['accounts', 'roster_items', 'roster_group_counts', 'blocklist']);

/**
 * Issue 10: tables derived from others, never copied row by row. The
 * full-text index (messages_fts and its FTS5 shadow tables) is rebuilt from
 * the messages read back (FTS5 'rebuild'); the archive cursor is dropped
 * because messages lost with the damage would otherwise lie behind it,
 * never fetched again (catch-up starts over; dedupe drops what is held).
 */
function isDerived(table: string): boolean {
  return table === 'messages_fts' || table.startsWith('messages_fts_') || table === 'archive_cursor';
}

/** Rows carried over from a damaged file, per table. */
export type SalvageCounts = Record<string, number>;

/**
 * Rows a table's readers would choke on, checked before they are carried
 * over (constraints in the fresh schema check the rest).
 */
const ROW_IS_USABLE: Record<string, (row: Record<string, unknown>) => boolean> = {
  outbox: (row) =>
    ['name_json', 'groups_json', 'base_groups_json'].every(
      (c) => row[c] === undefined || row[c] === null || isJson(row[c]),
    ),
  blocking_outbox: (row) => isJson(row.jids_json),
};

/**
 * Copies what the user cannot get back from the server (edits waiting in
 * the outbox, refused requests, settings, a remembered password) from the
 * damaged file at `damaged` into the fresh database `db`. Reads the damaged
 * file read-only, table by table and row by row: a table or row that cannot
 * be read is skipped, the rest is kept. Never throws.
 */
export function salvageInto(
  db: Database.Database,
  damaged: string,
  log?: (msg: string) => void,
  nativeBinding?: string,
): SalvageCounts {
  const counts: SalvageCounts = {};
  let source: Database.Database;
  try {
    source = openReadOnly(damaged, { nativeBinding });
  } catch (error) {
    log?.(`Nothing could be read back from ${damaged}: ${(error as Error).message}`);
    return counts;
  }
  try {
    const tables = userTables(db).filter((t) => !REBUILT_FROM_SERVER.has(t) && !isDerived(t));
    db.transaction(() => {
      for (const table of tables) {
        const kept = copyTable(source, db, table, log);
        if (kept > 0) counts[table] = kept;
      }
      // New messages are indexed by MessageStore, not a trigger (migration 0100): the index from the rows kept.
      if (tables.includes('messages') && userTables(db).includes('messages_fts')) {
        db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");
      }
    })();
  } catch (error) {
    log?.(`Reading back from ${damaged} stopped: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  return counts;
}

function copyTable(
  source: Database.Database,
  db: Database.Database,
  table: string,
  log?: (msg: string) => void,
): number {
  let columns: string[];
  try {
    const have = new Set(columnNames(source, table));
    columns = columnNames(db, table).filter((c) => have.has(c));
  } catch {
    return 0; // the table is gone or its definition unreadable
  }
  if (columns.length === 0) return 0;
  // Identifiers come from our own schema (the fresh file's columns), quoted.
  const list = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  const name = `"${table.replace(/"/g, '""')}"`;
  const insert = db.prepare(`INSERT INTO ${name} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  const usable = ROW_IS_USABLE[table] ?? (() => true);
  let kept = 0;
  try {
    // A plain scan (no ORDER BY) reads the table's own b-tree: rowid order for the outbox, no index needed.
    for (const row of source.prepare(`SELECT ${list} FROM ${name}`).iterate() as IterableIterator<
      Record<string, unknown>
    >) {
      if (!usable(row)) continue;
      try {
        insert.run(columns.map((c) => row[c]));
        kept++;
      } catch {
        // a row the fresh schema's constraints refuse: damaged, skipped
      }
    }
  } catch (error) {
    log?.(`Read back ${kept} rows of ${table} before damage stopped the scan: ${(error as Error).message}`);
  }
  return kept;
}

function columnNames(db: Database.Database, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
}

function isJson(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
