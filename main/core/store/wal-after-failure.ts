import type Database from 'better-sqlite3';

/** Failures after which the WAL may hold megabytes of frames from a transaction that rolled back. */
function isSpaceFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'));
}

type Run = (...args: unknown[]) => unknown;

/**
 * better-sqlite3's transaction and its variants. Its types declare the variants
 * as methods, but they are plain functions that hand their own `this` on to
 * `fn` (which the stores never use), so they are called unbound here as before.
 */
interface TransactionVariants {
  (...args: unknown[]): unknown;
  default: Run;
  deferred: Run;
  immediate: Run;
  exclusive: Run;
}

/**
 * A large write that fails on a full disk rolls back, but the frames it had
 * already spilled stay in the -wal file, which SQLite keeps at its largest
 * size: the disk stays full of a file that holds nothing. After such a
 * failure this checkpoints with TRUNCATE, which empties the WAL (its
 * committed part is small and fits the main file). Done for every
 * transaction of `db` here, rather than in each store, so no store can
 * forget it; savepoints inside an open transaction are left to the outer one.
 */
export function truncateWalAfterFailedWrites(db: Database.Database): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: Run) => {
    const tx: TransactionVariants = transaction(fn);
    const guarded =
      (run: Run) =>
      (...args: unknown[]) => {
        try {
          return run(...args);
        } catch (error) {
          if (isSpaceFailure(error) && !db.inTransaction) {
            try {
              db.pragma('wal_checkpoint(TRUNCATE)');
            } catch {
              // still no room even for the checkpoint: the next attempt tries again
            }
          }
          throw error;
        }
      };
    return Object.assign(guarded(tx), {
      default: guarded(tx.default),
      deferred: guarded(tx.deferred),
      immediate: guarded(tx.immediate),
      exclusive: guarded(tx.exclusive),
    });
  }) as Database.Database['transaction'];
}
