import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';

export interface ReadOnlyOptions {
  nativeBinding?: string;
  timeout?: number;
}

/**
 * Opens `file` for reading only, never writing to it or beside it where it
 * can be avoided. A WAL-mode file whose -shm cannot be created (a read-only
 * disk, a file set aside after damage) cannot be opened read-only by SQLite
 * itself, and this build has no URI filenames for `immutable=1`: then the
 * file's bytes are read into memory and opened there, marked as a rollback
 * journal file in the copy only. What only the -wal held is then not seen.
 */
export function openReadOnly(file: string, opts: ReadOnlyOptions = {}): Database.Database {
  try {
    const db = new Database(file, {
      readonly: true,
      fileMustExist: true,
      nativeBinding: opts.nativeBinding,
      ...(opts.timeout !== undefined && { timeout: opts.timeout }),
    });
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // the open itself is lazy
    return db;
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CANTOPEN') throw error;
  }
  const image = readFileSync(file);
  // Header bytes 18 and 19: file format read/write versions, 2 for WAL, 1 for a rollback journal.
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
  return new Database(image, { readonly: true, nativeBinding: opts.nativeBinding });
}
