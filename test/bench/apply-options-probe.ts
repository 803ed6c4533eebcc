/**
 * Issue 14 #2: the two ways of keeping a full roster's store write off the
 * main thread's critical path, measured side by side on the same rows:
 *
 *   node dist/test/bench/apply-options-probe.js [N]
 *
 * - "one transaction" (before issue 14): the whole write in one call;
 * - "worker": the rows posted to a worker_threads worker that writes them
 *   with its own better-sqlite3 connection in one transaction; meanwhile the
 *   main thread makes one small write (an outbox-sized insert) the way a UI
 *   edit would, which waits on the worker's lock (busy_timeout);
 * - "slices": transactions of a few hundred rows, each followed by a
 *   setImmediate, on the main connection, with the same small write made
 *   between two slices.
 * For each: the event loop's longest block (monitorEventLoopDelay, 1 ms
 * resolution, plus the longest synchronous step timed directly), the wall
 * time, and how long the small write held the main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { RosterItem } from '../../preload/contract.js';
import { openDatabase } from '../../main/core/store/database.js';
import { generateRoster } from './prosody-roster.js';

const ACCOUNT = 'juliet@localhost';
const SLICE_ROWS = 500;

type Row = [string, string, string | null, string, string | null, number, string];

const toRows = (account: string, items: readonly RosterItem[]): Row[] =>
  items.map((i) => [account, i.jid, i.name, i.subscription, i.ask, i.approved ? 1 : 0, JSON.stringify(i.groups)]);

const INSERT = `INSERT INTO roster_items (account, jid, name, subscription, ask, approved, groups) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (account, jid) DO UPDATE SET name = excluded.name`;

interface Outcome {
  option: string;
  wallMs: number;
  loopMaxMs: number;
  longestStepMs: number;
  smallWriteMs: number;
}

function freshDb(): { file: string; db: Database.Database; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-apply-probe-'));
  const file = join(dir, 'p.sqlite3');
  const { db } = openDatabase(file);
  db.prepare('INSERT INTO accounts (account) VALUES (?)').run(ACCOUNT);
  db.prepare('INSERT INTO accounts (account) VALUES (?)').run(`${ACCOUNT}#next`);
  return { file, db, dir };
}

function smallWrite(db: Database.Database): number {
  const t = performance.now();
  db.prepare("INSERT INTO outbox (account, op, jid, base_exists, created_at) VALUES (?, 'add', 'x@y', 0, ?)").run(
    ACCOUNT,
    Date.now(),
  );
  return performance.now() - t;
}

async function measure(option: string, body: (step: (ms: number) => void) => Promise<number>): Promise<Outcome> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let longest = 0;
  h.enable();
  const t = performance.now();
  const smallWriteMs = await body((ms) => (longest = Math.max(longest, ms)));
  const wallMs = performance.now() - t;
  h.disable();
  return { option, wallMs, loopMaxMs: h.max / 1e6, longestStepMs: longest, smallWriteMs };
}

async function oneTransaction(items: readonly RosterItem[]): Promise<Outcome> {
  const { db, dir } = freshDb();
  try {
    const insert = db.prepare(INSERT);
    const tx = db.transaction((rows: Row[]) => {
      for (const r of rows) insert.run(...r);
    });
    return await measure('one transaction on main', async (step) => {
      await new Promise((r) => setImmediate(r));
      const t = performance.now();
      tx(toRows(ACCOUNT, items));
      step(performance.now() - t);
      await new Promise((r) => setImmediate(r));
      return smallWrite(db); // after the write: no contention
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('synchronous = NORMAL');
const insert = db.prepare(workerData.sql);
parentPort.on('message', (rows) => {
  db.transaction(() => { for (const r of rows) insert.run(...r); })();
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
`;

async function worker(items: readonly RosterItem[]): Promise<Outcome> {
  const { db, dir, file } = freshDb();
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, sql: INSERT, module: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  try {
    await new Promise<void>((resolve) => w.once('message', () => resolve()));
    return await measure('worker thread, own connection', async (step) => {
      let t = performance.now();
      const rows = toRows(ACCOUNT, items);
      step(performance.now() - t);
      const done = new Promise<void>((resolve) => w.once('message', () => resolve()));
      t = performance.now();
      w.postMessage(rows); // structured clone on this thread
      step(performance.now() - t);
      // UI edits while the worker holds the write lock: each busy-waits on this thread.
      let small = 0;
      const worker = { finished: false }; // set by the promise: a holder, not narrowed
      void done.then(() => (worker.finished = true));
      while (!worker.finished) {
        await new Promise((r) => setTimeout(r, 10));
        const ms = smallWrite(db);
        small = Math.max(small, ms);
        step(ms);
      }
      return small;
    });
  } finally {
    await w.terminate();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function slices(items: readonly RosterItem[], autoCheckpoint = true): Promise<Outcome> {
  const { db, dir } = freshDb();
  if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
  try {
    const insert = db.prepare(INSERT);
    const tx = db.transaction((rows: Row[]) => {
      for (const r of rows) insert.run(...r);
    });
    return await measure(`slices of ${SLICE_ROWS}${autoCheckpoint ? '' : ', no autockpt'}`, async (step) => {
      let small = Number.NaN;
      for (let i = 0; i < items.length; i += SLICE_ROWS) {
        const t = performance.now();
        tx(toRows(`${ACCOUNT}#next`, items.slice(i, i + SLICE_ROWS)));
        step(performance.now() - t);
        await new Promise((r) => setImmediate(r));
        if (i === SLICE_ROWS * 10) small = smallWrite(db);
      }
      return small;
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const n = Number(process.argv[2] ?? 50_000);
const items = generateRoster(n);
const results: Outcome[] = [];
const noCheckpoint = (list: readonly RosterItem[]): Promise<Outcome> => slices(list, false);
for (const run of [oneTransaction, worker, slices, noCheckpoint, oneTransaction, worker, slices, noCheckpoint])
  results.push(await run(items));
console.log(`N=${n}`);
for (const r of results)
  console.log(
    `${r.option.padEnd(34)} wall ${r.wallMs.toFixed(0).padStart(5)} ms  loop max ${r.loopMaxMs.toFixed(1).padStart(6)} ms  longest step ${r.longestStepMs.toFixed(1).padStart(6)} ms  UI write ${r.smallWriteMs.toFixed(1)} ms`,
  );
