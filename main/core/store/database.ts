import Database from 'better-sqlite3';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
import { openReadOnly } from './read-only-open.js';
import { salvageInto, type SalvageCounts } from './salvage.js';
import { knownTableNames, schemaDamage, userTables } from './schema-check.js';
import {
  StoreError,
  databaseCorrupt,
  databaseForeign,
  databaseIsFolder,
  databaseTooNew,
  profileFolderIsFile,
  profileReadOnly,
} from './store-error.js';
import { truncateWalAfterFailedWrites } from './wal-after-failure.js';

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
  /**
   * When the profile cannot be written (a read-only disk, no permission),
   * open it for reading instead of failing: `list` still works. Writes then
   * fail with profile-read-only.
   */
  allowReadOnly?: boolean;
}

/** A damaged file that was set aside, and what could be read back from it. */
export interface Recovery {
  movedTo: string;
  /** Why the file counted as damaged. */
  reason: string;
  /** Rows read back into the fresh file, per table (outbox, settings, ...). */
  salvaged: SalvageCounts;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Set when a damaged file was moved aside before a fresh one was created. */
  recovery?: Recovery;
  /** Where a damaged file was moved: recovery.movedTo, kept for callers that only need the path. */
  recoveredFrom?: string;
  /** Opened for reading only (allowReadOnly, and the profile cannot be written). */
  readOnly?: boolean;
}

/**
 * Opens (creating or migrating) the profile database. A file from a newer
 * Balcony, or another program's database, is refused untouched; a damaged
 * one is set aside and replaced by a fresh database (the roster cache can
 * always be fetched again), into which the edits still waiting, the
 * settings and the refused requests are read back where they can be.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): OpenedDatabase {
  const writable = prepareProfilePath(file);
  if (writable !== true) {
    if (!opts.allowReadOnly || !existsSync(file)) throw profileReadOnly(file, writable);
    return { db: openForReading(file, opts), readOnly: true };
  }
  try {
    return { db: openChecked(file, opts) };
  } catch (err) {
    const reason = corruptionReason(err);
    if (reason === undefined) throw storageError(err, file);
    let movedTo: string;
    try {
      movedTo = moveAside(file);
    } catch (moveErr) {
      throw databaseCorrupt(file, `${reason}; moving it aside failed: ${String(moveErr)}`);
    }
    let db: Database.Database;
    try {
      db = openChecked(file, opts);
    } catch (again) {
      throw databaseCorrupt(file, again instanceof Error ? again.message : String(again));
    }
    const salvaged = salvageInto(db, movedTo, opts.log, opts.nativeBinding);
    opts.log?.(
      `Profile database ${file} was damaged (${reason}); moved it to ${movedTo} and started a fresh one ` +
        `(read back: ${JSON.stringify(salvaged)}). The roster will be fetched again from the server.`,
    );
    return { db, recovery: { movedTo, reason, salvaged }, recoveredFrom: movedTo };
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

/**
 * Makes the profile folder exist and says whether the database can be
 * written there: true, or why not. Something in the way (a file for the
 * folder, a folder for the file) is a coded error, not EEXIST or EISDIR.
 */
function prepareProfilePath(file: string): true | string {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw profileFolderIsFile(dir);
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
      return `its folder ${dir} cannot be created (${code})`;
    throw error;
  }
  if (!statSync(dir).isDirectory()) throw profileFolderIsFile(dir);
  if (existsSync(file) && statSync(file).isDirectory()) throw databaseIsFolder(file);
  // access(2) reports a read-only file system even to root, unlike the mode bits.
  for (const [path, what] of [
    [dir, 'its folder'],
    [file, 'the file'],
  ] as const) {
    if (path === file && !existsSync(file)) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'EROFS' ? 'the disk is read-only' : `${what} is not writable (${code})`;
    }
  }
  return true;
}

/** The read-only open: only a current, undamaged schema can be used without migrating or rebuilding it. */
function openForReading(file: string, opts: OpenOptions): Database.Database {
  const db = openReadOnly(file, { nativeBinding: opts.nativeBinding, timeout: BUSY_TIMEOUT_MS });
  try {
    const version = userVersion(db);
    if (version > LATEST_VERSION) throw databaseTooNew(file, version, LATEST_VERSION);
    if (version !== LATEST_VERSION) {
      throw profileReadOnly(
        file,
        `the saved data (schema ${version}) must be updated to schema ${LATEST_VERSION} before it can be read, and the disk is read-only`,
      );
    }
    const damage = schemaDamage(db, version);
    if (damage) throw databaseCorrupt(file, `${damage}; it cannot be set aside on a read-only disk`);
    return db;
  } catch (error) {
    db.close();
    throw storageError(error, file);
  }
}

function openChecked(file: string, opts: OpenOptions): Database.Database {
  // Nothing may be written (not even the WAL switch) before we know the
  // file is a Balcony database we understand.
  inspectBeforeWriting(file, opts);

  const db = new Database(file, { nativeBinding: opts.nativeBinding, timeout: BUSY_TIMEOUT_MS });
  try {
    const check = db.pragma('quick_check') as { quick_check: string }[];
    if (check.length !== 1 || check[0]?.quick_check !== 'ok') {
      throw new DamagedFile(
        check
          .map((r) => r.quick_check)
          .slice(0, 3)
          .join('; '),
      );
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
    truncateWalAfterFailedWrites(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Refuses a file we must not write to (newer schema, another program's
 * tables) and flags a damaged one, before anything is written. The version
 * is read from the header when it is authoritative: even a read-only SQLite
 * connection leaves -wal and -shm files beside a WAL database. After a crash
 * (a non-empty -wal or a -journal) the header may be stale, and only SQLite
 * can read the real value. A -journal (hot, or junk left by another tool)
 * needs a read-write connection: SQLite rolls it back, or discards it, on
 * the first read, which a read-only connection cannot do
 * (SQLITE_READONLY_ROLLBACK, the profile locked for good). That rollback only
 * restores the file's last committed state.
 */
function inspectBeforeWriting(file: string, opts: OpenOptions): void {
  if (!existsSync(file)) return;
  const journal = existsSync(`${file}-journal`);
  const walSize = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  let version: number;
  if (!journal && walSize === 0) {
    if (statSync(file).size === 0) return; // SQLite's own empty database
    version = headerVersion(file);
    if (version > LATEST_VERSION) throw databaseTooNew(file, version, LATEST_VERSION);
  }
  const db = journal
    ? new Database(file, { fileMustExist: true, nativeBinding: opts.nativeBinding, timeout: BUSY_TIMEOUT_MS })
    : openReadOnly(file, { nativeBinding: opts.nativeBinding, timeout: BUSY_TIMEOUT_MS });
  try {
    version = userVersion(db);
    if (version > LATEST_VERSION) throw databaseTooNew(file, version, LATEST_VERSION);
    if (version === 0) {
      const tables = userTables(db);
      const known = knownTableNames();
      const foreign = tables.filter((t) => !known.has(t));
      if (foreign.length > 0) throw databaseForeign(file, foreign);
      // Only our own tables yet no version: a Balcony file that lost its header.
      if (tables.length > 0)
        throw new DamagedFile(`schema version 0 but Balcony tables present (${tables.join(', ')})`);
      return;
    }
    const damage = schemaDamage(db, version);
    if (damage) throw new DamagedFile(damage);
  } finally {
    db.close();
  }
}

function headerVersion(file: string): number {
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

/** The file is not a database, fails quick_check, or lacks part of its schema. */
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

/** A failure to open in the words of its cause: a full disk or a read-only one rather than "internal". */
function storageError(err: unknown, file: string): unknown {
  if (!(err instanceof Database.SqliteError)) return err;
  if (err.code === 'SQLITE_FULL' || err.code === 'SQLITE_IOERR_SHMSIZE') {
    return new StoreError(
      'disk-full',
      `The disk is full: Balcony could not open its saved data. Free some space and try again. (${file})`,
    );
  }
  if (err.code.startsWith('SQLITE_READONLY') || err.code === 'SQLITE_CANTOPEN') {
    return profileReadOnly(file, `SQLite could not open it for writing (${err.code})`);
  }
  return err;
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
