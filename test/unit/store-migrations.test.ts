import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, LATEST_VERSION } from '../../main/core/store/migrations/index.js';
import { migrateTo, openDatabase } from '../../main/core/store/database.js';
import { StoreError } from '../../main/core/store/store-error.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { OutboxStore } from '../../main/core/store/outbox-store.js';
import { PresenceDenialStore } from '../../main/core/store/presence-denial-store.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { MessageStore } from '../../main/core/store/message-store.js';
import { schemaDamage } from '../../main/core/store/schema-check.js';
import { plainMessage, toErrorInfo } from '../../main/core/errors.js';

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-migrations-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'profile.db');
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const userVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;
const columns = (db: Database.Database, table: string) =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);

/**
 * Per migration: rows written at version N-1 (where there is anything to
 * write) and the checks after migrating to N. A migration without an entry
 * fails the test below, so every new step comes with its own test.
 */
const CASES: Record<number, { seed?: (db: Database.Database) => void; check: (db: Database.Database) => void }> = {
  10: {
    check(db) {
      assert.deepEqual(columns(db, 'accounts').slice(0, 3), ['account', 'roster_version', 'roster_cached_at']);
      // as 0060 left it: the generation joined the key
      assert.deepEqual(columns(db, 'roster_items'), [
        'account',
        'generation',
        'jid',
        'name',
        'subscription',
        'ask',
        'approved',
        'groups',
      ]);
      const tables = db.pragma('table_list') as { name: string; wr: number }[];
      assert.equal(tables.find((t) => t.name === 'roster_items')?.wr, 1, 'roster_items is WITHOUT ROWID');
      db.prepare("INSERT INTO accounts (account) VALUES ('a@example.org')").run();
      const insert = db.prepare(
        "INSERT INTO roster_items (account, jid, subscription, ask) VALUES ('a@example.org', ?, ?, ?)",
      );
      insert.run('b@example.org', 'both', 'subscribe');
      assert.throws(() => insert.run('b@example.org', 'none', null), /UNIQUE|PRIMARY KEY/);
      assert.throws(() => insert.run('c@example.org', 'remove', null), /CHECK/);
      assert.throws(() => insert.run('c@example.org', 'none', 'unsubscribe'), /CHECK/);
      assert.throws(
        () =>
          db.prepare("INSERT INTO roster_items (account, jid, subscription) VALUES ('nobody', 'x@y', 'none')").run(),
        /FOREIGN KEY/,
      );
      const row = db.prepare("SELECT approved, groups FROM roster_items WHERE jid = 'b@example.org'").get();
      assert.deepEqual(row, { approved: 0, groups: '[]' });
    },
  },
  20: {
    seed(db) {
      db.prepare(
        "INSERT INTO accounts (account, roster_version, roster_cached_at) VALUES ('a@example.org', 'v3', 5)",
      ).run();
      db.prepare(
        "INSERT INTO roster_items (account, jid, subscription) VALUES ('a@example.org', 'b@example.org', 'both')",
      ).run();
    },
    check(db) {
      assert.deepEqual(columns(db, 'accounts').slice(0, 4), [
        'account',
        'roster_version',
        'roster_cached_at',
        'synced_at',
      ]);
      assert.deepEqual(db.prepare('SELECT account, roster_version, roster_cached_at, synced_at FROM accounts').all(), [
        { account: 'a@example.org', roster_version: 'v3', roster_cached_at: 5, synced_at: null },
      ]);
      assert.equal((db.prepare('SELECT count(*) AS n FROM roster_items').get() as { n: number }).n, 1);
      assert.deepEqual(columns(db, 'app_settings'), ['key', 'value']);
      assert.deepEqual(columns(db, 'saved_passwords'), ['account', 'protection', 'secret']);
      assert.throws(() => db.prepare("INSERT INTO saved_passwords VALUES ('a', 'rot13', x'00')").run(), /CHECK/);
    },
  },
  30: {
    seed(db) {
      db.prepare("INSERT INTO accounts (account, roster_version) VALUES ('a@example.org', 'v9')").run();
    },
    check(db) {
      assert.deepEqual(columns(db, 'outbox'), [
        'id',
        'account',
        'op',
        'jid',
        'name_json',
        'groups_json',
        'base_exists',
        'base_name',
        'base_groups_json',
        'state',
        'error_code',
        'error_message',
        'created_at',
      ]);
      assert.equal(
        (db.prepare('SELECT roster_version FROM accounts').get() as { roster_version: string }).roster_version,
        'v9',
      );
      const insert = db.prepare(
        "INSERT INTO outbox (account, op, jid, base_exists, created_at) VALUES ('a@example.org', ?, 'b@c', 0, 1)",
      );
      insert.run('add');
      assert.throws(() => insert.run('rename'), /CHECK/);
    },
  },
  40: {
    seed(db) {
      db.prepare("INSERT INTO accounts (account, roster_version) VALUES ('a@example.org', 'v4')").run();
      db.prepare(
        "INSERT INTO outbox (account, op, jid, base_exists, created_at) VALUES ('a@example.org', 'add', 'b@c', 0, 1)",
      ).run();
    },
    check(db) {
      assert.deepEqual(columns(db, 'subscription_denials'), ['account', 'jid', 'denied_at']);
      const tables = db.pragma('table_list') as { name: string; wr: number }[];
      assert.equal(
        tables.find((t) => t.name === 'subscription_denials')?.wr,
        1,
        'subscription_denials is WITHOUT ROWID',
      );
      assert.equal(
        (db.prepare('SELECT roster_version FROM accounts').get() as { roster_version: string }).roster_version,
        'v4',
      );
      assert.equal((db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n, 1);
      // no foreign key: a denial may be stored for an account with no roster yet
      const insert = db.prepare('INSERT INTO subscription_denials (account, jid, denied_at) VALUES (?, ?, 1)');
      insert.run('new@example.org', 'tybalt@example.org');
      assert.throws(() => insert.run('new@example.org', 'tybalt@example.org'), /UNIQUE|PRIMARY KEY/);
    },
  },
  50: {
    seed(db) {
      db.prepare("INSERT INTO accounts (account, roster_version) VALUES ('a@example.org', 'v5')").run();
      db.prepare(
        "INSERT INTO outbox (account, op, jid, base_exists, created_at) VALUES ('a@example.org', 'add', 'b@c', 0, 1)",
      ).run();
      db.prepare("INSERT INTO subscription_denials (account, jid, denied_at) VALUES ('a@example.org', 't@c', 2)").run();
    },
    check(db) {
      assert.deepEqual(columns(db, 'presence_outbox'), [
        'id',
        'account',
        'type',
        'jid',
        'after_edit',
        'sent_at',
        'created_at',
      ]);
      assert.equal(
        (db.prepare('SELECT roster_version FROM accounts').get() as { roster_version: string }).roster_version,
        'v5',
      );
      assert.equal(
        (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n,
        1,
        'waiting roster edits kept',
      );
      assert.equal(
        (db.prepare('SELECT count(*) AS n FROM subscription_denials').get() as { n: number }).n,
        1,
        'denials kept',
      );
      const insert = db.prepare(
        "INSERT INTO presence_outbox (account, type, jid, created_at) VALUES ('a@example.org', ?, 'b@c', 3)",
      );
      for (const type of ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']) insert.run(type);
      assert.throws(() => insert.run('probe'), /CHECK/);
      const rows = db.prepare('SELECT id, type, after_edit, sent_at FROM presence_outbox ORDER BY id').all() as {
        id: number;
        after_edit: number;
        sent_at: null;
      }[];
      assert.deepEqual(
        rows.map((r) => [r.after_edit, r.sent_at]),
        [
          [0, null],
          [0, null],
          [0, null],
          [0, null],
        ],
      );
      assert.ok(
        rows.every((r, i) => i === 0 || r.id > rows[i - 1]!.id),
        'ids keep the order steps were made in',
      );
    },
  },
  // issue 12 #8: the blocklist cache and the blocking outbox
  60: {
    seed(db) {
      db.prepare(
        "INSERT INTO presence_outbox (account, type, jid, created_at) VALUES ('a@example.org', 'subscribe', 'b@c', 1)",
      ).run();
    },
    check(db) {
      assert.equal(
        (db.prepare('SELECT count(*) AS n FROM presence_outbox').get() as { n: number }).n,
        1,
        'waiting subscription steps kept',
      );
      assert.deepEqual(columns(db, 'blocklist'), ['account', 'jid']);
      assert.deepEqual(columns(db, 'blocking_outbox'), [
        'id',
        'account',
        'op',
        'jids_json',
        'state',
        'error_code',
        'error_message',
        'created_at',
      ]);
      const addJid = db.prepare("INSERT INTO blocklist (account, jid) VALUES ('a@example.org', ?)");
      addJid.run('tybalt@example.org');
      assert.throws(() => addJid.run('tybalt@example.org'), /UNIQUE|PRIMARY KEY/, 'one row per address');
      const act = db.prepare(
        "INSERT INTO blocking_outbox (account, op, jids_json, created_at) VALUES ('a@example.org', ?, '[\"t@c\"]', 2)",
      );
      act.run('block');
      act.run('unblock');
      assert.throws(() => act.run('unblock-all'), /CHECK/, 'only block and unblock');
      assert.deepEqual(db.prepare('SELECT op, state FROM blocking_outbox ORDER BY id').all(), [
        { op: 'block', state: 'waiting' },
        { op: 'unblock', state: 'waiting' },
      ]);
    },
  },
  // issue 14 #2: roster rows in generations (a full roster written in slices, made current at once)
  70: {
    seed(db) {
      db.prepare(
        "INSERT INTO accounts (account, roster_version, roster_cached_at, synced_at) VALUES ('a@example.org', 'v7', 5, 6)",
      ).run();
      const insert = db.prepare(
        "INSERT INTO roster_items (account, jid, name, subscription, ask, approved, groups) VALUES ('a@example.org', ?, ?, 'both', ?, ?, ?)",
      );
      insert.run('b@example.org', 'Bee', 'subscribe', 1, '["Friends","Work"]');
      insert.run('c@example.org', null, null, 0, '[]');
    },
    check(db) {
      assert.deepEqual(columns(db, 'accounts'), [
        'account',
        'roster_version',
        'roster_cached_at',
        'synced_at',
        'roster_generation',
        'roster_next_generation',
      ]);
      assert.deepEqual(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?").pluck().all('roster_items%'),
        ['roster_items'],
      );
      const tables = db.pragma('table_list') as { name: string; wr: number }[];
      assert.equal(tables.find((t) => t.name === 'roster_items')?.wr, 1, 'still WITHOUT ROWID');
      const key = (db.pragma('table_info(roster_items)') as { name: string; pk: number }[])
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      assert.deepEqual(key, ['account', 'generation', 'jid'], 'each generation one range of the key');
      // The rows and the version as they were, in generation 0, which is shown.
      const store = new RosterStore(db);
      assert.deepEqual(store.getSnapshot('a@example.org'), {
        account: 'a@example.org',
        version: 'v7',
        items: [
          {
            jid: 'b@example.org',
            name: 'Bee',
            subscription: 'both',
            ask: 'subscribe',
            approved: true,
            groups: ['Friends', 'Work'],
          },
          { jid: 'c@example.org', name: null, subscription: 'both', ask: null, approved: false, groups: [] },
        ],
      });
      assert.equal(store.getSyncedAt('a@example.org'), 6);
      assert.equal(store.hasCache('a@example.org'), true);
      // The same jid in two generations is two rows; twice in one is refused.
      const insert = db.prepare(
        "INSERT INTO roster_items (account, generation, jid, subscription) VALUES ('a@example.org', ?, 'b@example.org', 'none')",
      );
      insert.run(1);
      assert.throws(() => insert.run(1), /UNIQUE|PRIMARY KEY/);
      assert.equal(store.allocate('a@example.org'), 1, 'the first number handed out after the migration');
    },
  },
  // issue 14 #1: every group's size per generation, kept beside the rows
  80: {
    seed(db) {
      db.prepare("INSERT INTO accounts (account, roster_cached_at) VALUES ('a@example.org', 5)").run();
      const insert = db.prepare(
        "INSERT INTO roster_items (account, generation, jid, name, subscription, groups) VALUES ('a@example.org', ?, ?, ?, 'both', ?)",
      );
      insert.run(0, 'b@example.org', 'B', '["Friends"]');
      insert.run(0, 'c@example.org', null, '["Friends","Work"]');
      insert.run(0, 'd@example.org', 'D', '[]');
      insert.run(0, 'e@example.org', 'Ë', '["Équipe"]');
      insert.run(3, 'f@example.org', 'F', '["Friends"]'); // a hidden generation is counted too
    },
    check(db) {
      const store = new RosterStore(db);
      const counts = (g: number) => Object.fromEntries(store.groupCounts('a@example.org', g));
      assert.deepEqual(counts(0), { Friends: 2, Work: 1, '': 1, Équipe: 1 });
      assert.deepEqual(counts(3), { Friends: 1 });
      // Kept from then on by the store's writes: a regroup, a removal.
      const c = store.getItem('a@example.org', 'c@example.org')!;
      store.applyPush('a@example.org', { kind: 'upsert', item: { ...c, groups: [] } }, 'v2');
      store.applyPush('a@example.org', { kind: 'remove', jid: 'e@example.org' }, 'v3');
      assert.deepEqual(counts(0), { Friends: 1, '': 2 });
    },
  },
  // issue 10 #6: messages, conversations, the message outbox, the archive cursor, full-text search
  90: {
    seed(db) {
      db.prepare("INSERT INTO accounts (account) VALUES ('a@example.org')").run();
    },
    check(db) {
      for (const t of ['messages', 'conversations', 'message_outbox', 'archive_cursor', 'archive_page_back']) {
        assert.ok(columns(db, t).length > 0, `${t} exists`);
      }
      const store = new MessageStore(db, 'a@example.org');
      const sent = store.queueOutgoing({ to: 'b@example.org', body: 'café au lait', ownBare: 'a@example.org', now: 5 });
      assert.deepEqual(
        store.outboxEntries().map((m) => m.id),
        [sent.id],
      );
      assert.equal(store.search({ query: 'cafe', limit: 5 })[0]?.message.id, sent.id, 'the FTS triggers index it');
      assert.equal(store.archiveCursor(), null);
      const insert = db.prepare(
        "INSERT INTO messages (account, id, conversation, time, stored_at, stanza_id) VALUES ('a@example.org', ?, 'b@example.org', 1, 1, 'S')",
      );
      insert.run('x1');
      assert.throws(() => insert.run('x2'), /UNIQUE/, 'one row per archive id');
      assert.throws(
        () => db.prepare("UPDATE messages SET state = 'lost' WHERE id = 'x1'").run(),
        /CHECK/,
        "states are the contract's",
      );
    },
  },
  // issue 10 (speed): new rows are indexed by MessageStore (a page at once), not by a per-row trigger
  100: {
    seed(db) {
      db.prepare(
        "INSERT INTO messages (account, id, conversation, body, time, stored_at) VALUES ('a@example.org', 'old', 'b@example.org', 'indexed by the trigger', 1, 1)",
      ).run();
    },
    check(db) {
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();
      assert.deepEqual(triggers, ['messages_fts_delete', 'messages_fts_update'], 'the insert trigger is gone');
      const store = new MessageStore(db, 'a@example.org');
      assert.equal(store.search({ query: 'trigger', limit: 5 })[0]?.message.id, 'old', 'what was indexed stays');
      const sent = store.queueOutgoing({ to: 'b@example.org', body: 'café au lait', ownBare: 'a@example.org', now: 5 });
      assert.equal(store.search({ query: 'cafe', limit: 5 })[0]?.message.id, sent.id, 'the store indexes new rows');
      assert.doesNotThrow(() => db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run());
    },
  },
  // issue 10 #6: the full-text index is trigram (inside words, emoji), made again from the stored messages
  110: {
    seed(db) {
      const insert = db.prepare(
        "INSERT INTO messages (account, id, kind, conversation, body, time, stored_at) VALUES ('a@example.org', ?, ?, 'b@example.org', ?, 1, 1)",
      );
      insert.run('old', 'message', 'Baron Münchhausen 🎉');
      insert.run('gap', 'gap', '');
    },
    check(db) {
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").pluck().get();
      assert.match(String(sql), /trigram/);
      const store = new MessageStore(db, 'a@example.org');
      const find = (query: string) => store.search({ query, limit: 5 }).map((h) => h.message.id);
      assert.deepEqual(find('ünch'), ['old'], 'what was stored before is indexed again');
      assert.deepEqual(find('🎉'), ['old']);
      const sent = store.queueOutgoing({ to: 'b@example.org', body: 'café au lait', ownBare: 'a@example.org', now: 5 });
      assert.deepEqual(find('afe au'), [sent.id], 'the store indexes new rows');
      db.prepare('DELETE FROM messages WHERE id = ?').run('old');
      assert.deepEqual(find('ünch'), [], 'the delete trigger');
      assert.doesNotThrow(() => db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run());
    },
  },
};

test('migration versions are steps of ten, strictly increasing', () => {
  let previous = 0;
  for (const m of MIGRATIONS) {
    assert.ok(m.version > previous && m.version % 10 === 0, `${m.version} after ${previous}`);
    previous = m.version;
  }
  assert.equal(LATEST_VERSION, previous);
});

for (const [index, migration] of MIGRATIONS.entries()) {
  const before = MIGRATIONS[index - 1]?.version ?? 0;
  test(`migration ${migration.version}-${migration.name}: opened at ${before} and migrated`, () => {
    const c = CASES[migration.version];
    assert.ok(c, `migration ${migration.version} needs a case in this test`);
    const file = tempFile();
    const old = new Database(file);
    migrateTo(old, before);
    assert.equal(userVersion(old), before);
    c.seed?.(old);
    old.close();

    const { db, recoveredFrom } = openDatabase(file);
    try {
      assert.equal(recoveredFrom, undefined);
      assert.equal(userVersion(db), LATEST_VERSION);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('synchronous', { simple: true }), 1, 'NORMAL');
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      c.check(db);
    } finally {
      db.close();
    }
  });
}

test('reopening a current database changes nothing and keeps rows', () => {
  const file = tempFile();
  const first = openDatabase(file).db;
  first.prepare("INSERT INTO accounts (account, roster_version) VALUES ('a@x', 'v1')").run();
  first.close();
  const { db } = openDatabase(file);
  assert.equal(userVersion(db), LATEST_VERSION);
  assert.deepEqual(db.prepare('SELECT account, roster_version FROM accounts').all(), [
    { account: 'a@x', roster_version: 'v1' },
  ]);
  db.close();
});

test('a database from a newer version is refused and left byte-for-byte untouched', () => {
  const file = tempFile();
  const newer = new Database(file);
  newer.pragma('journal_mode = WAL');
  newer.exec('CREATE TABLE future (x)');
  newer.pragma(`user_version = ${LATEST_VERSION + 20}`);
  newer.close();
  const hash = sha256(file);
  const siblings = readdirSync(join(file, '..')).sort();

  assert.throws(
    () => openDatabase(file),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'database-too-new');
      assert.match(err.message, new RegExp(`schema ${LATEST_VERSION + 20}; this version knows ${LATEST_VERSION}`));
      return true;
    },
  );
  assert.equal(sha256(file), hash);
  assert.deepEqual(readdirSync(join(file, '..')).sort(), siblings, 'no -wal/-shm or other files created');
});

test('a newer database whose last writes are still in its WAL is refused too', () => {
  const file = tempFile();
  const source = `${file}.source`;
  const newer = new Database(source);
  newer.pragma('journal_mode = WAL');
  newer.pragma('wal_autocheckpoint = 0');
  newer.exec('CREATE TABLE future (x)');
  newer.pragma(`user_version = ${LATEST_VERSION + 10}`);
  // Copy while the WAL still holds the commits, as a crash would leave it:
  // the main file's header still says user_version 0.
  writeFileSync(file, readFileSync(source));
  writeFileSync(`${file}-wal`, readFileSync(`${source}-wal`));
  newer.close();
  const hashes = [sha256(file), sha256(`${file}-wal`)];

  assert.throws(() => openDatabase(file), { code: 'database-too-new' });
  assert.deepEqual([sha256(file), sha256(`${file}-wal`)], hashes);
});

function assertRecovered(file: string, original: Buffer): void {
  const logs: string[] = [];
  const { db, recoveredFrom } = openDatabase(file, { log: (m) => logs.push(m) });
  try {
    assert.ok(recoveredFrom, 'recoveredFrom is set');
    assert.match(recoveredFrom, /\.corrupt-/);
    assert.ok(existsSync(recoveredFrom), 'the damaged file still exists');
    assert.deepEqual(readFileSync(recoveredFrom), original, 'the damaged file was moved, not rewritten');
    assert.ok(
      logs.some((m) => m.includes('damaged') && m.includes(recoveredFrom)),
      logs.join('\n'),
    );
    assert.equal(userVersion(db), LATEST_VERSION);
    assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
    db.prepare("INSERT INTO accounts (account) VALUES ('usable@x')").run();
    assert.deepEqual(db.prepare('SELECT account FROM accounts').all(), [{ account: 'usable@x' }]);
  } finally {
    db.close();
  }
  const again = openDatabase(file);
  assert.equal(again.recoveredFrom, undefined, 'the fresh file opens cleanly');
  again.db.close();
}

test('a file of random bytes is moved aside and replaced by a fresh database', () => {
  const file = tempFile();
  const garbage = randomBytes(16384);
  writeFileSync(file, garbage);
  assertRecovered(file, garbage);
});

test('a truncated database is moved aside and replaced by a fresh database', () => {
  const file = tempFile();
  const { db } = openDatabase(file);
  db.prepare("INSERT INTO accounts (account) VALUES ('a@x')").run();
  const insert = db.prepare("INSERT INTO roster_items (account, jid, name, subscription) VALUES ('a@x', ?, ?, 'both')");
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run(`c${i}@example.org`, `Contact number ${i}`);
  })();
  db.close(); // checkpoints the WAL into the main file
  truncateSync(file, Math.floor(statSync(file).size / 2));
  assertRecovered(file, readFileSync(file));
});

/** A profile with a contact, two queued edits, a denial, a setting and a saved password, closed cleanly. */
function seededProfile(): string {
  const file = tempFile();
  const { db } = openDatabase(file);
  db.prepare("INSERT INTO accounts (account, roster_version) VALUES ('a@x', 'v1')").run();
  const insert = db.prepare("INSERT INTO roster_items (account, jid, name, subscription) VALUES ('a@x', ?, ?, 'both')");
  db.transaction(() => {
    for (let i = 0; i < 300; i++) insert.run(`c${i}@example.org`, `Contact number ${i}`);
  })();
  const outbox = new OutboxStore(db);
  outbox.enqueue({
    account: 'a@x',
    op: 'add',
    jid: 'romeo@example.net',
    name: 'Romeo',
    groups: ['Friends'],
    base: { exists: false, name: null, groups: [] },
  });
  outbox.enqueue({
    account: 'a@x',
    op: 'remove',
    jid: 'c1@example.org',
    base: { exists: true, name: 'Contact number 1', groups: [] },
  });
  new PresenceDenialStore(db).deny('a@x', 'tybalt@example.com', 7);
  const settings = new AppSettingsStore(db);
  settings.set('account', { jid: 'a@x', host: null, port: null, rememberPassword: true });
  settings.savePassword('a@x', { protection: 'plain-text', secret: Buffer.from('secret') });
  db.close();
  return file;
}

/** What the user cannot get back from the server, as stored. */
function irreplaceable(db: Database.Database) {
  return {
    outbox: new OutboxStore(db).list('a@x').map((e) => [e.id, e.op, e.jid, e.name ?? null, e.groups ?? null]),
    denials: new PresenceDenialStore(db).list('a@x'),
    account: new AppSettingsStore(db).get('account'),
    password: new AppSettingsStore(db).getPassword('a@x')?.secret.toString(),
  };
}

const SEEDED = {
  outbox: [
    [1, 'add', 'romeo@example.net', 'Romeo', ['Friends']],
    [2, 'remove', 'c1@example.org', null, null],
  ],
  denials: ['tybalt@example.com'],
  account: { jid: 'a@x', host: null, port: null, rememberPassword: true },
  password: 'secret',
};

test('issue 11 #17: a junk -journal beside the profile is discarded and the profile opens with its rows', () => {
  const file = seededProfile();
  writeFileSync(`${file}-journal`, randomBytes(4096));
  const { db, recovery } = openDatabase(file);
  try {
    assert.equal(recovery, undefined, 'not treated as damage');
    assert.deepEqual(irreplaceable(db), SEEDED);
    assert.equal(new RosterStore(db).countItems('a@x'), 300);
  } finally {
    db.close();
  }
  assert.equal(existsSync(`${file}-journal`), false);
});

test('issue 11 #17: a hot -journal (a rollback-mode writer killed mid-transaction) is rolled back, not a locked profile', () => {
  const file = seededProfile();
  const source = `${file}.writer`;
  writeFileSync(source, readFileSync(file));
  const writer = new Database(source);
  writer.pragma('journal_mode = DELETE');
  writer.pragma('cache_size = 2'); // spill the change into the file before COMMIT, as a big write does
  writer.exec('BEGIN');
  writer.exec("UPDATE roster_items SET name = 'half-written'");
  // The file and its journal as a crash would leave them.
  writeFileSync(file, readFileSync(source));
  writeFileSync(`${file}-journal`, readFileSync(`${source}-journal`));
  writer.exec('ROLLBACK');
  writer.close();

  const { db, recovery } = openDatabase(file);
  try {
    assert.equal(recovery, undefined);
    assert.equal(
      db.prepare("SELECT count(*) AS n FROM roster_items WHERE name = 'half-written'").pluck().get(),
      0,
      'rolled back',
    );
    assert.deepEqual(irreplaceable(db), SEEDED);
  } finally {
    db.close();
  }
});

for (const [what, damage] of [
  ['a dropped table', 'DROP TABLE roster_items'],
  ['a dropped column', 'ALTER TABLE accounts DROP COLUMN synced_at'],
  ['a dropped index', 'DROP INDEX outbox_by_account'],
] as const) {
  test(`issue 11 #18: ${what} with the right user_version is set aside and rebuilt, the outbox read back (#20)`, () => {
    const file = seededProfile();
    const raw = new Database(file);
    raw.exec(damage);
    raw.close();
    const { db, recovery } = openDatabase(file);
    try {
      assert.ok(recovery, 'recovered');
      assert.match(recovery.reason, /schema damaged/);
      assert.equal(schemaDamage(db, LATEST_VERSION), undefined, 'the fresh file has every table, column and index');
      assert.deepEqual(irreplaceable(db), SEEDED, 'edits, denial, settings and password read back');
      assert.deepEqual(recovery.salvaged, { app_settings: 1, outbox: 2, saved_passwords: 1, subscription_denials: 1 });
      assert.deepEqual(
        new RosterStore(db).getSnapshot('a@x'),
        { account: 'a@x', version: null, items: [] },
        'the cache is fetched again',
      );
    } finally {
      db.close();
    }
  });
}

test("issue 11 #19: another program's SQLite file is refused with database-foreign before anything is written", () => {
  const file = tempFile();
  const other = new Database(file);
  other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
  other.close();
  const hash = sha256(file);
  const siblings = readdirSync(join(file, '..')).sort();
  assert.throws(
    () => openDatabase(file),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'database-foreign');
      assert.match(err.message, /another program's database \(tables notes\)/);
      return true;
    },
  );
  assert.equal(sha256(file), hash, 'header and pages unchanged (no switch to WAL)');
  assert.deepEqual(readdirSync(join(file, '..')).sort(), siblings, 'no -wal/-shm or moved-aside copy');
});

test('issue 11 #20: pages of the roster destroyed: the file is set aside and the outbox, denials and settings read back', () => {
  const file = seededProfile();
  const raw = new Database(file, { readonly: true });
  const root = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'roster_items'").pluck().get() as number;
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.close();
  const bytes = readFileSync(file);
  randomBytes(pageSize).copy(bytes, (root - 1) * pageSize); // the roster b-tree's root page
  writeFileSync(file, bytes);

  const logs: string[] = [];
  const { db, recovery } = openDatabase(file, { log: (m) => logs.push(m) });
  try {
    assert.ok(recovery, 'recovered');
    assert.deepEqual(readFileSync(recovery.movedTo), bytes, 'the damaged file was moved, not rewritten');
    assert.deepEqual(irreplaceable(db), SEEDED);
    assert.ok(
      logs.some((m) => m.includes(recovery.movedTo)),
      logs.join('\n'),
    );
  } finally {
    db.close();
  }
});

test('issue 11 #21: a folder where the database file should be is profile-path-invalid, not EISDIR', () => {
  const file = tempFile();
  mkdirSync(file);
  assert.throws(
    () => openDatabase(file),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'profile-path-invalid');
      assert.match(err.message, /a folder of that name is in the way/);
      return true;
    },
  );
});

test('issue 11 #21: a file where the profile folder should be is profile-path-invalid, not EEXIST', () => {
  const dir = join(tempFile(), '..', 'Balcony');
  writeFileSync(dir, 'not a folder');
  assert.throws(() => openDatabase(join(dir, 'balcony.sqlite3')), { code: 'profile-path-invalid' });
  assert.throws(() => openDatabase(join(dir, 'deeper', 'balcony.sqlite3')), { code: 'profile-path-invalid' });
});

test('issue 11 #21 (simulated with PRAGMA max_page_count, which fails exactly as a full disk): a large write fails with disk-full and leaves no large WAL', () => {
  const file = tempFile();
  openDatabase(file).db.close();
  const { db } = openDatabase(file);
  try {
    const store = new RosterStore(db);
    store.replaceAll(
      'a@x',
      [{ jid: 'kept@x', name: null, subscription: 'both', ask: null, approved: false, groups: [] }],
      'v1',
    );
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 20}`);
    db.pragma('cache_size = 10'); // spill into the WAL before the failure, as a big write does
    const items = Array.from({ length: 20_000 }, (_, i) => ({
      jid: `c${i}@example.org`,
      name: `Contact ${i} ${'x'.repeat(60)}`,
      subscription: 'both' as const,
      ask: null,
      approved: false,
      groups: ['G'],
    }));
    let failure: unknown;
    try {
      store.replaceAll('a@x', items, 'v2');
    } catch (error) {
      failure = error;
    }
    assert.ok(failure, 'the write failed');
    assert.deepEqual(toErrorInfo(failure), { code: 'disk-full', message: plainMessage('disk-full') });
    assert.equal(statSync(`${file}-wal`).size, 0, 'the WAL was truncated');
    assert.deepEqual(
      store.getSnapshot('a@x').items.map((i) => i.jid),
      ['kept@x'],
      'the old roster is intact',
    );
  } finally {
    db.close();
  }
});
