import Database from 'better-sqlite3';
import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
import { StoreError, databaseCorrupt, databaseTooNew } from './store-error.js';

/**
 * sqlite3_busy_timeout, set at open (better-sqlite3's `timeout`) so that it
 * covers the very first statement: a second process on the same profile
 * (the headless command) waits for the lock instead of failing with
 * SQLITE_BUSY.
 */
const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  log?: (msg: string) => void;
  /** better-sqlite3's addon built for Electron, when it differs from Node's build. */
  nativeBinding?: string;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Where a damaged file was moved before a fresh one was created. */
  recoveredFrom?: string;
}

/**
 * Opens (creating or migrating) the profile database. A file from a newer
 * Balcony is refused untouched; a damaged one is set aside and replaced by a
 * fresh database, since the roster cache can always be fetched again.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true });
  try {
    return { db: openChecked(file, opts) };
  } catch (err) {
    const reason = corruptionReason(err);
    if (reason === undefined) throw err;
    let movedTo: string;
    try {
      movedTo = moveAside(file);
    } catch (moveErr) {
      throw databaseCorrupt(file, `${reason}; moving it aside failed: ${String(moveErr)}`);
    }
    opts.log?.(
      `Profile database ${file} was damaged (${reason}); moved it to ${movedTo} and ` +
        'started a fresh one. The roster will be fetched again from the server.',
    );
    try {
      return { db: openChecked(file, opts), recoveredFrom: movedTo };
    } catch (again) {
      throw databaseCorrupt(file, again instanceof Error ? again.message : String(again));
    }
  }
}

/** Applies every migration up to `targetVersion` in one transaction. Tests use it to build version N-1. */
export function migrateTo(db: Database.Database, targetVersion: number): void {
  // IMMEDIATE: take the write lock before reading the version, so two
  // processes opening the same profile cannot both run the same step.
  db.transaction(() => {
    const current = userVersion(db);
    if (current > LATEST_VERSION) throw databaseTooNew(db.name, current, LATEST_VERSION);
    const pending = MIGRATIONS.filter((m) => m.version > current && m.version <= targetVersion);
    for (const m of pending) m.up(db);
    const last = pending.at(-1);
    // PRAGMA takes no parameters; the value is one of our own integers.
    if (last) db.pragma(`user_version = ${Math.trunc(last.version)}`);
  }).immediate();
}

function openChecked(file: string, opts: OpenOptions): Database.Database {
  // Nothing may be written (not even the WAL switch) before we know the
  // schema is one we understand.
  const found = storedVersion(file, opts);
  if (found > LATEST_VERSION) throw databaseTooNew(file, found, LATEST_VERSION);

  const db = new Database(file, { nativeBinding: opts.nativeBinding, timeout: BUSY_TIMEOUT_MS });
  try {
    const check = db.pragma('quick_check') as { quick_check: string }[];
    if (check.length !== 1 || check[0]?.quick_check !== 'ok') {
      throw new DamagedFile(check.map((r) => r.quick_check).slice(0, 3).join('; '));
    }
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode fsyncs only at checkpoints. A commit has been
    // written to the WAL (the OS's cache) when COMMIT returns, so a process
    // crash or SIGKILL (what we must survive) loses nothing. An OS crash or power cut may lose the last few
    // transactions but never corrupts the file, and the cache is rebuildable
    // from the server; FULL would fsync on every push for no real gain.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const before = userVersion(db);
    migrateTo(db, LATEST_VERSION);
    const after = userVersion(db);
    if (after !== before) opts.log?.(`Profile database ${file} migrated from schema ${before} to ${after}.`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * The schema version, read without writing anything. The header is read
 * directly when it is authoritative: even a read-only SQLite connection
 * leaves -wal and -shm files beside a WAL database. After a crash (a
 * non-empty -wal or a -journal) the header may be stale, and only SQLite can
 * read the real value.
 */
function storedVersion(file: string, opts: OpenOptions): number {
  if (!existsSync(file)) return 0;
  const walSize = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  if (walSize > 0 || existsSync(`${file}-journal`)) {
    const ro = new Database(file, {
      readonly: true,
      fileMustExist: true,
      nativeBinding: opts.nativeBinding,
      timeout: BUSY_TIMEOUT_MS,
    });
    try {
      return userVersion(ro);
    } finally {
      ro.close();
    }
  }
  if (statSync(file).size === 0) return 0; // SQLite's own empty database
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new DamagedFile('not an SQLite database');
  }
  return header.readInt32BE(60); // user_version, per the file format
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The file is not a database or fails quick_check. */
class DamagedFile extends Error {}

/** Why `err` means the file is damaged, or undefined for any other failure. */
function corruptionReason(err: unknown): string | undefined {
  if (err instanceof StoreError) return undefined;
  if (err instanceof DamagedFile) return err.message;
  if (err instanceof Database.SqliteError && (err.code === 'SQLITE_NOTADB' || err.code.startsWith('SQLITE_CORRUPT'))) {
    return `${err.code}: ${err.message}`;
  }
  return undefined;
}

/**
 * Renames the file and its companions, keeping them together for inspection.
 * The -wal goes first: a WAL left behind would be replayed into the fresh
 * database created under the old name.
 */
function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  for (const suffix of ['-wal', '-shm', '-journal', '']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  return target;
}
