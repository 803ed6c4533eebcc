/**
 * The profile database under damage, with real SQLite files and the built
 * command (dist/), against a real Prosody where the server matters: a junk
 * -journal, a schema with a table gone, another program's file, edits
 * queued offline that must survive a rebuild, paths that are in the way,
 * a read-only disk and a full one (real tmpfs mounts where this machine
 * allows them, as root).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TestVault } from '../../main/core/app/password-vault.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { toErrorInfo } from '../../main/core/errors.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

/** The built balcony-roster, with BALCONY_PASSWORD only when given. */
const roster = (args: string[], password?: string) => runCli(args, { password });

/** sync --json without what it says of the message archive (issue 10 #5): what list --json prints. */
function rosterOf(syncJson: string): unknown {
  const { archive: _archive, ...roster } = JSON.parse(syncJson) as Record<string, unknown>;
  return roster;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A tmpfs mounted on a fresh folder, or the reason it could not be (not root, no mount in this sandbox). */
function mountTmpfs(sizeKiB: number): { dir: string; remountReadOnly(): void; unmount(): void } | string {
  const dir = tempDir('balcony-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here: ${(error as Error).message.split('\n')[0]}`;
  }
  return {
    dir,
    remountReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' }),
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the profile database under damage', { timeout: 180_000 }, () => {
  let server: TestServer;
  let common: string[];
  const offline = ['--account', 'juliet@localhost', '--host', '127.0.0.1', '--port', '1'];
  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    common = accountArgs(server);
  });
  // unset when before() failed before getting to it
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 11 #20: edits queued offline survive a damaged profile: list says so on stderr, sync sends them', async () => {
    const dataDir = tempDir();
    const queue = async (args: string[]) => {
      const run = await roster([...args, '--json', '--data-dir', dataDir, ...offline], 'secret');
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { queued: true });
    };
    await queue(['add', 'romeo@example.net', '--name', 'Romeo', '--group', 'Friends']);
    await queue(['add', 'nurse@example.com', '--name', 'Nurse']);

    // Damage that keeps the outbox readable: the roster table is gone, user_version still says 40.
    const db = new Database(databasePath(dataDir));
    db.exec('DROP TABLE roster_items');
    db.close();

    const list = await roster(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stderr,
      /^warning: The saved data was damaged, so Balcony set it aside \(kept as .*\.corrupt-.*\) and started afresh\. 2 changes waiting to be sent were read back from it/,
    );
    assert.equal(list.stderr.trimEnd().split('\n').length, 1, 'one line, without --verbose');
    assert.ok(
      readdirSync(dataDir).some((f) => f.includes('.corrupt-')),
      'the damaged file was kept',
    );
    const listed = JSON.parse(list.stdout) as { items: unknown[]; pending: { jid: string }[] };
    assert.deepEqual(listed.items, [], 'the cache is fetched again');
    assert.deepEqual(
      listed.pending.map((p) => p.jid),
      ['romeo@example.net', 'nurse@example.com'],
      'the queued adds, in order',
    );

    const again = await roster(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    // The app is told too: the same damage, opened by the app's service, shows in its state.
    const appDir = tempDir();
    const damaged = readdirSync(dataDir).find((f) => f.includes('.corrupt-') && f.endsWith('Z'))!; // the main file, not its -wal
    writeFileSync(databasePath(appDir), readFileSync(join(dataDir, damaged)));
    const app = new MessengerService({ profileDir: appDir, vault: new TestVault(true) });
    try {
      const state = app.getState();
      assert.ok(state.profileRecovery, 'profileRecovery in the app state');
      assert.equal(state.profileRecovery.keptEdits, 2);
      assert.match(state.profileRecovery.movedTo, /\.corrupt-/);
    } finally {
      await app.close();
    }
    assert.equal(again.stderr, '', 'said once: the rebuilt file opens cleanly');

    const sync = await roster(['sync', '--json', '--data-dir', dataDir, ...common], 'secret');
    assert.equal(sync.code, 0, sync.stderr);
    const fresh = await roster(['sync', '--json', '--data-dir', tempDir(), ...common], 'secret');
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.deepEqual(
      (JSON.parse(fresh.stdout) as { items: { jid: string; name: string; groups: string[] }[] }).items.map((i) => [
        i.jid,
        i.name,
        i.groups,
      ]),
      [
        ['nurse@example.com', 'Nurse', []],
        ['romeo@example.net', 'Romeo', ['Friends']],
      ],
      'the acknowledged edits reached the server',
    );
  });

  it('issue 11 #17: a junk -journal does not lock the profile: list and sync work', async () => {
    const dataDir = tempDir();
    const first = await roster(['sync', '--json', '--data-dir', dataDir, ...common], 'secret');
    assert.equal(first.code, 0, first.stderr);
    const file = databasePath(dataDir);
    writeFileSync(`${file}-journal`, randomBytes(8192));
    const list = await roster(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stderr, '', 'not damage: nothing set aside');
    assert.deepEqual(JSON.parse(list.stdout), rosterOf(first.stdout));
    const sync = await roster(['sync', '--json', '--data-dir', dataDir, ...common], 'secret');
    assert.equal(sync.code, 0, sync.stderr);
  });

  it("issue 11 #19: another program's SQLite file is refused with database-foreign, its bytes unchanged", async () => {
    const dataDir = tempDir();
    const file = databasePath(dataDir);
    const other = new Database(file);
    other.exec("CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://example.org/')");
    other.close();
    const hash = sha256(file);
    for (const args of [
      ['list', '--data-dir', dataDir, '--account', 'juliet@localhost'],
      ['add', 'x@example.com', '--data-dir', dataDir, ...offline],
    ]) {
      const run = await roster(args, 'secret');
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^database-foreign: .*another program's database \(tables bookmarks\)/);
    }
    assert.equal(sha256(file), hash, 'not switched to WAL, nothing added');
    assert.deepEqual(readdirSync(dataDir), ['balcony.sqlite3']);
  });

  it('issue 11 #21: a folder where the database should be, a file where the data folder should be: profile-path-invalid', async () => {
    const base = tempDir();
    const folderForFile = join(base, 'a');
    mkdirSync(join(folderForFile, 'balcony.sqlite3'), { recursive: true });
    const fileForFolder = join(base, 'b');
    writeFileSync(fileForFolder, 'a file');
    for (const dataDir of [folderForFile, fileForFolder]) {
      const run = await roster(['list', '--data-dir', dataDir, '--account', 'juliet@localhost']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^profile-path-invalid: Balcony keeps its data in the (file|folder) .* is in the way\./);
    }
  });

  it('issue 11 #21: on a read-only disk (a tmpfs remounted read-only) list still reads; edits fail with profile-read-only', async (t) => {
    const mount = mountTmpfs(4096);
    if (typeof mount === 'string') {
      t.skip(`${mount}; no read-only disk to test on`);
      return;
    }
    try {
      const dataDir = join(mount.dir, 'Balcony');
      const sync = await roster(['sync', '--json', '--data-dir', dataDir, ...common], 'secret');
      assert.equal(sync.code, 0, sync.stderr);
      mount.remountReadOnly();
      const list = await roster(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(JSON.parse(list.stdout), rosterOf(sync.stdout));
      const add = await roster(['add', 'x@example.com', '--data-dir', dataDir, ...common], 'secret');
      assert.equal(add.code, 1);
      assert.match(add.stderr, /^profile-read-only: Balcony cannot save to its data folder: the disk is read-only\./);
    } finally {
      mount.unmount();
    }
  });

  it('issue 11 #21: on a full disk (a real 1 MiB tmpfs) a large write fails with disk-full and the WAL is truncated', (t) => {
    const mount = mountTmpfs(1024);
    if (typeof mount === 'string') {
      t.skip(`${mount}; the simulated full disk (PRAGMA max_page_count) is in test/unit/store-migrations.test.ts`);
      return;
    }
    try {
      const file = join(mount.dir, 'balcony.sqlite3');
      openDatabase(file).db.close();
      const { db } = openDatabase(file);
      try {
        const store = new RosterStore(db);
        const items = Array.from({ length: 20_000 }, (_, i) => ({
          jid: `c${i}@example.org`,
          name: `Contact ${i} ${'x'.repeat(40)}`,
          subscription: 'both' as const,
          ask: null,
          approved: false,
          groups: ['G'],
        }));
        assert.throws(
          () => store.replaceAll('juliet@localhost', items, 'v1'),
          (error: unknown) => {
            assert.equal(toErrorInfo(error).code, 'disk-full');
            return true;
          },
        );
        assert.equal(statSync(`${file}-wal`).size, 0, 'the WAL no longer fills the disk');
        store.replaceAll('juliet@localhost', items.slice(0, 10), 'v2');
        assert.equal(store.countItems('juliet@localhost'), 10, 'a small write fits again');
      } finally {
        db.close();
      }
    } finally {
      mount.unmount();
    }
  });
});
