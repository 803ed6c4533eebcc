/**
 * Issue 10, speed (archive catch-up): SQLite's WAL checkpoints run in a
 * worker thread, not inside the main thread's COMMITs (main/core/store/wal-checkpointer.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../main/core/store/database.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function withProfile(fn: (file: string, dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'balcony-walckpt-'));
    try {
      await fn(join(dir, 'balcony.sqlite3'), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** About 8 MB in one transaction: far past SQLite's automatic checkpoint threshold (1000 pages). */
function writeALot(db: ReturnType<typeof openDatabase>['db']): void {
  db.exec('CREATE TABLE IF NOT EXISTS bulk (v BLOB)');
  const insert = db.prepare('INSERT INTO bulk (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(Buffer.alloc(4000, i % 256));
  })();
}

test(
  'issue 10 speed: a large commit returns without checkpointing on the main thread, and the worker copies it into the file',
  withProfile(async (file) => {
    const { db } = openDatabase(file);
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
      const before = statSync(file).size;
      writeALot(db);
      // SQLite's own checkpoint would have run inside that COMMIT and grown the file already.
      assert.ok(statSync(file).size < before + 1_000_000, 'the main file grew during the commit');
      const deadline = Date.now() + 20_000;
      while (statSync(file).size < before + 7_000_000) {
        assert.ok(Date.now() < deadline, 'no checkpoint from the worker within 20 s');
        await sleep(20);
      }
      // The WAL restarts from its start on the next write, and its truncated size stays bounded.
      db.prepare('INSERT INTO bulk (v) VALUES (?)').run(Buffer.alloc(10));
      assert.ok(statSync(`${file}-wal`).size <= 16 * 1024 * 1024);
    } finally {
      db.close();
    }
  }),
);

test(
  'issue 10 speed: close stops the worker first, so the last connection checkpoints and removes the WAL as before',
  withProfile((file) => {
    const { db } = openDatabase(file);
    writeALot(db);
    const t = performance.now();
    db.close();
    assert.ok(performance.now() - t < 5000, 'close waited too long for the worker');
    assert.equal(existsSync(`${file}-wal`), false, 'a -wal was left beside a cleanly closed database');
    // Reopened at once (a worker of the first open still about would keep the WAL: it is gone).
    const again = openDatabase(file).db;
    try {
      assert.equal((again.prepare('SELECT count(*) AS n FROM bulk').get() as { n: number }).n, 2000);
    } finally {
      again.close();
    }
  }),
);

test(
  'issue 10 speed: a database opened and closed at once (the worker not started yet) closes without waiting',
  withProfile((file) => {
    for (let i = 0; i < 5; i++) {
      const { db } = openDatabase(file);
      const t = performance.now();
      db.close();
      assert.ok(performance.now() - t < 1000);
    }
    assert.equal(existsSync(`${file}-wal`), false);
  }),
);

test(
  'issue 10 speed: the checkpoint worker never keeps a process alive (a database left open, or closed)',
  withProfile(async (file, dir) => {
    const script = join(dir, 'child.ts');
    const module = fileURLToPath(new URL('../../main/core/store/database.ts', import.meta.url));
    writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(module)};
const { db } = openDatabase(process.argv[2]);
db.exec('CREATE TABLE t (v BLOB)');
db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(100000));
setTimeout(() => { if (process.argv[3] === 'close') db.close(); console.log('done'); }, 300);
`,
    );
    for (const mode of ['leave-open', 'close']) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, `${file}.${mode}`, mode], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      assert.equal(code, 0, `${mode}: the child did not exit by itself (${err})`);
      assert.equal(out.trim(), 'done');
    }
  }),
);
