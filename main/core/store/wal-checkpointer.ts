import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The WAL is kept short by PASSIVE checkpoints from a worker thread instead of
 * SQLite's automatic ones, which run inside the COMMIT of whichever write
 * crosses 1000 pages: on the main thread, in the middle of an archive
 * catch-up (10,000 messages wrote in 600-890 ms with them, 420-440 ms without).
 *
 * A checkpoint only copies committed pages from the -wal into the main file,
 * so which connection runs it changes nothing about what a crash or SIGKILL
 * can lose: the -wal is the durable record either way, and the next open
 * replays it.
 */

/** The main connection truncates a restarted WAL to this size (it keeps its largest size otherwise). */
const JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024;
/** Past this size the worker is not keeping up (or is gone): the main thread checkpoints when idle. */
export const WAL_BOUND_BYTES = 64 * 1024 * 1024;
/** How often the main thread looks at the WAL's size (one stat). */
const BOUND_CHECK_MS = 1000;
/** SQLite's own automatic checkpoint threshold, restored on the main connection when the worker is gone. */
const AUTOCHECKPOINT_PAGES = 1000;
/** How long close waits for the worker to close its connection (then terminates it). */
const CLOSE_WAIT_MS = 2000;

// The shared state: PHASE 0 = not started, 1 = running, 2 = stop asked; CLOSED 1 = the worker's connection is closed.
const PHASE = 0;
const CLOSED = 1;

/**
 * The worker's code, plain JavaScript run with `eval` so that it loads the same
 * way from tsc's output, under tsx and in Electron: it has no module of its own.
 * It sleeps on the shared state (woken at once by close), checkpoints after
 * 50 ms while the WAL moves, backing off to 1 s while it does not.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const state = new Int32Array(workerData.shared);
const PHASE = ${PHASE}, CLOSED = ${CLOSED};
let db = null;
try {
  if (Atomics.compareExchange(state, PHASE, 0, 1) === 0) {
    const Database = require(workerData.module);
    db = new Database(workerData.file, { fileMustExist: true, timeout: 1000, nativeBinding: workerData.nativeBinding });
    let wait = 50, last = '', reported = '';
    while (Atomics.load(state, PHASE) === 1) {
      Atomics.wait(state, PHASE, 1, wait);
      if (Atomics.load(state, PHASE) !== 1) break;
      try {
        const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
        const now = r.log + '/' + r.checkpointed;
        wait = now === last ? Math.min(1000, wait * 2) : 50;
        last = now;
        reported = '';
      } catch (error) {
        // A full or read-only disk, a lock held elsewhere: tried again later, said once.
        wait = 1000;
        const what = String(error && error.code || error);
        if (what !== reported) parentPort.postMessage({ error: String(error && error.message || error) });
        reported = what;
      }
    }
  }
} finally {
  try { if (db) db.close(); } finally {
    Atomics.store(state, CLOSED, 1);
    Atomics.notify(state, CLOSED);
  }
}
`;

export interface CheckpointOptions {
  nativeBinding?: string;
  log?: (msg: string) => void;
}

/**
 * Moves `db`'s checkpoints off the main thread (see above) until `db.close()`,
 * which first stops the worker and closes its connection, so the main
 * connection is the last one and its close checkpoints and removes the WAL as
 * before. The worker never keeps the process alive. Should the worker fail
 * or exit, the main connection's automatic checkpoints come back; should the
 * WAL outgrow WAL_BOUND_BYTES, the main thread checkpoints in an idle timer.
 */
export function checkpointOffMainThread(db: Database.Database, file: string, opts: CheckpointOptions = {}): void {
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const state = new Int32Array(shared);
  let gone = false;
  let stopping = false;
  const fallBack = (why: string): void => {
    if (gone) return;
    gone = true;
    if (stopping || !db.open) return;
    opts.log?.(`WAL checkpoints are back on the main thread: ${why}`);
    try {
      db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    } catch {
      // the connection is closing; nothing to keep short
    }
  };

  let worker: Worker | null = null;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        shared,
        file,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        nativeBinding: opts.nativeBinding,
      },
    });
    worker.on('message', (m: { error?: string }) => {
      if (m.error !== undefined) opts.log?.(`WAL checkpoint failed (tried again later): ${m.error}`);
    });
    worker.on('error', (error) => fallBack(`the checkpoint worker failed (${String(error)})`));
    worker.on('exit', (code) => fallBack(`the checkpoint worker exited (${code})`));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
  } catch (error) {
    fallBack(`the checkpoint worker could not start (${String(error)})`);
  }

  const bound = setInterval(() => {
    if (!db.open || db.inTransaction) return;
    let size: number;
    try {
      size = statSync(`${file}-wal`).size;
    } catch {
      return; // no WAL file: nothing to checkpoint
    }
    if (size <= WAL_BOUND_BYTES) return;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // a full disk: the next tick tries again
    }
  }, BOUND_CHECK_MS);
  bound.unref();

  const close = db.close.bind(db);
  db.close = () => {
    stopping = true;
    clearInterval(bound);
    if (worker) {
      // Not started yet: it never opens. Running: asked to stop, and waited for (its connection closed first).
      if (Atomics.compareExchange(state, PHASE, 0, 2) === 1) {
        Atomics.store(state, PHASE, 2);
        Atomics.notify(state, PHASE);
        if (!gone) Atomics.wait(state, CLOSED, 0, CLOSE_WAIT_MS);
      }
      worker.terminate().catch(() => undefined);
      worker = null;
    }
    return close();
  };
}
