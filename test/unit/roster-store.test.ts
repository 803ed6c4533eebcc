import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { RosterItem } from '../../preload/contract.js';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterStore } from '../../main/core/store/roster-store.js';

const A = 'alice@example.org';
const B = 'bob@example.net';

function openStoreAndDb(): { store: RosterStore; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-roster-store-'));
  const { db } = openDatabase(join(dir, 'profile.db'));
  test.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store: new RosterStore(db), db };
}

const openStore = (): RosterStore => openStoreAndDb().store;

function item(jid: string, extra: Partial<RosterItem> = {}): RosterItem {
  return { jid, name: null, subscription: 'both', ask: null, approved: false, groups: [], ...extra };
}

const jids = (store: RosterStore, account: string) => store.getSnapshot(account).items.map((i) => i.jid);

test('replaceAll replaces every item, deletions included, and stores the version', () => {
  const store = openStore();
  store.replaceAll(A, [item('c@x'), item('a@x'), item('b@x')], 'v1');
  assert.deepEqual(jids(store, A), ['a@x', 'b@x', 'c@x'], 'sorted by jid');
  store.replaceAll(A, [item('d@x'), item('b@x', { name: 'Bee' })], 'v2');
  assert.deepEqual(store.getSnapshot(A), {
    account: A,
    version: 'v2',
    items: [item('b@x', { name: 'Bee' }), item('d@x')],
  });
  assert.equal(store.getItem(A, 'a@x'), undefined);
});

test('replaceAll with a null version keeps no version', () => {
  const store = openStore();
  store.replaceAll(A, [item('a@x')], 'v1');
  store.replaceAll(A, [item('a@x')], null);
  assert.equal(store.getVersion(A), null);
  assert.equal(store.hasCache(A), true, 'an unversioned full roster is still a cache');
});

test('a jid twice in one full roster: the last occurrence wins', () => {
  const store = openStore();
  store.replaceAll(
    A,
    [item('a@x', { name: 'first' }), item('b@x'), item('a@x', { name: 'last', subscription: 'to' })],
    'v1',
  );
  assert.deepEqual(store.getSnapshot(A).items, [item('a@x', { name: 'last', subscription: 'to' }), item('b@x')]);
});

test('a push upserts or removes one item and stores its version with it', () => {
  const store = openStore();
  store.replaceAll(A, [item('a@x'), item('b@x')], 'v1');

  store.applyPush(
    A,
    { kind: 'upsert', item: item('c@x', { ask: 'subscribe', approved: true, groups: ['Work'] }) },
    'v2',
  );
  assert.equal(store.getVersion(A), 'v2');
  assert.deepEqual(store.getItem(A, 'c@x'), item('c@x', { ask: 'subscribe', approved: true, groups: ['Work'] }));

  store.applyPush(A, { kind: 'upsert', item: item('a@x', { name: 'Ann', subscription: 'from' }) }, 'v3');
  assert.deepEqual(store.getItem(A, 'a@x'), item('a@x', { name: 'Ann', subscription: 'from' }));

  store.applyPush(A, { kind: 'remove', jid: 'b@x' }, 'v4');
  assert.deepEqual(store.getSnapshot(A), {
    account: A,
    version: 'v4',
    items: [
      item('a@x', { name: 'Ann', subscription: 'from' }),
      item('c@x', { ask: 'subscribe', approved: true, groups: ['Work'] }),
    ],
  });

  store.applyPush(A, { kind: 'remove', jid: 'not-there@x' }, 'v5');
  assert.equal(store.getVersion(A), 'v5', 'removing an unknown item still advances the version');
});

test('a push whose item violates the schema changes neither item nor version', () => {
  const store = openStore();
  store.replaceAll(A, [item('a@x')], 'v1');
  const bad = { ...item('b@x'), subscription: 'remove' } as unknown as RosterItem;
  assert.throws(() => store.applyPush(A, { kind: 'upsert', item: bad }, 'v2'), /CHECK/);
  assert.equal(store.getVersion(A), 'v1', 'version rolled back with the item');
  assert.deepEqual(jids(store, A), ['a@x']);
});

test('a push without ver stores no version', () => {
  const store = openStore();
  store.replaceAll(A, [item('a@x')], 'v1');
  store.applyPush(A, { kind: 'upsert', item: item('b@x') }, null);
  assert.equal(store.getVersion(A), null);
  assert.deepEqual(jids(store, A), ['a@x', 'b@x']);
});

test('hasCache: never fetched, fetched empty, pushes only, forgotten', () => {
  const store = openStore();
  assert.equal(store.hasCache(A), false);
  assert.deepEqual(store.getSnapshot(A), { account: A, version: null, items: [] });

  store.replaceAll(A, [], 'v1');
  assert.equal(store.hasCache(A), true, 'an empty roster fetched is a cache');
  assert.equal(store.getVersion(A), 'v1');

  store.applyPush(B, { kind: 'upsert', item: item('z@x') }, 'w7');
  assert.equal(store.hasCache(B), false, 'pushes alone are not a full roster');
  assert.equal(store.getVersion(B), 'w7');
  assert.deepEqual(jids(store, B), ['z@x']);

  store.forgetCache(A);
  assert.equal(store.hasCache(A), false);
  assert.equal(store.getVersion(A), null);
  store.forgetCache('never-seen@x');
});

test('a push keeps the time of the last full roster', () => {
  const { store, db } = openStoreAndDb();
  const cachedAt = () => db.prepare('SELECT roster_cached_at AS t FROM accounts WHERE account = ?').pluck().get(A);
  const before = Date.now();
  store.replaceAll(A, [], 'v1');
  const stamp = cachedAt();
  assert.ok(typeof stamp === 'number' && stamp >= before && stamp <= Date.now());
  store.applyPush(A, { kind: 'upsert', item: item('a@x') }, 'v2');
  store.applyPush(A, { kind: 'remove', jid: 'a@x' }, null);
  assert.equal(cachedAt(), stamp);
});

test('a full roster that fails half-way changes nothing', () => {
  const store = openStore();
  store.replaceAll(A, [item('a@x'), item('b@x')], 'v1');
  const bad = { ...item('c@x'), ask: 'unsubscribe' } as unknown as RosterItem;
  assert.throws(() => store.replaceAll(A, [item('new@x'), bad], 'v2'), /CHECK/);
  assert.deepEqual(store.getSnapshot(A), { account: A, version: 'v1', items: [item('a@x'), item('b@x')] });
});

test('accounts are isolated from each other', () => {
  const store = openStore();
  store.replaceAll(A, [item('same@x', { name: 'for A' }), item('a-only@x')], 'va');
  store.replaceAll(B, [item('same@x', { name: 'for B' })], 'vb');
  store.applyPush(B, { kind: 'remove', jid: 'same@x' }, 'vb2');
  store.replaceAll(B, [item('b-only@x')], 'vb3');
  assert.deepEqual(jids(store, A), ['a-only@x', 'same@x']);
  assert.equal(store.getItem(A, 'same@x')?.name, 'for A');
  assert.equal(store.getVersion(A), 'va');
  store.forgetCache(B);
  assert.deepEqual(jids(store, A), ['a-only@x', 'same@x']);
  assert.equal(store.hasCache(A), true);
});

test('a 10,000-character name round-trips unchanged', () => {
  const store = openStore();
  const name = 'ﬁ🙂é'.repeat(2500); // 10,000 UTF-16 code units, with surrogate pairs
  assert.equal(name.length, 10_000);
  store.replaceAll(A, [item('long@x', { name })], 'v1');
  assert.equal(store.getItem(A, 'long@x')?.name, name);
  store.applyPush(A, { kind: 'upsert', item: item('long@x', { name: name + '!' }) }, 'v2');
  assert.equal(store.getItem(A, 'long@x')?.name, name + '!');
});

test('unicode groups are stored sorted and read back as given', () => {
  const store = openStore();
  const groups = ['Ärzte', 'zeta', 'Друзья', 'Alpha', '家族', '🙂 emoji'];
  store.replaceAll(A, [item('g@x', { groups })], 'v1');
  const stored = store.getItem(A, 'g@x')?.groups;
  assert.deepEqual(stored, [...groups].sort());
  assert.deepEqual(stored, ['Alpha', 'zeta', 'Ärzte', 'Друзья', '家族', '🙂 emoji']);
  assert.deepEqual(
    groups,
    ['Ärzte', 'zeta', 'Друзья', 'Alpha', '家族', '🙂 emoji'],
    "the caller's array is not mutated",
  );
});

test('issue 16 #3: a push identical to the cached item stores its version and reports no change', () => {
  const store = openStore();
  store.replaceAll(A, [item('a@x', { name: 'Ann', groups: ['Friends', 'Work'] })], 'v1');
  assert.equal(
    store.applyPush(A, { kind: 'upsert', item: item('a@x', { name: 'Ann', groups: ['Friends', 'Work'] }) }, 'v2'),
    false,
    'same fields, groups in another order',
  );
  assert.equal(store.getVersion(A), 'v2', 'the version is stored all the same');
  assert.equal(
    store.applyPush(A, { kind: 'remove', jid: 'nobody@x' }, 'v3'),
    false,
    'removing what is not there changes nothing',
  );
  assert.equal(store.getVersion(A), 'v3');
  for (const [field, changed] of [
    ['name', item('a@x', { name: 'Anne', groups: ['Friends', 'Work'] })],
    ['subscription', item('a@x', { name: 'Anne', subscription: 'to', groups: ['Friends', 'Work'] })],
    ['ask', item('a@x', { name: 'Anne', subscription: 'to', ask: 'subscribe', groups: ['Friends', 'Work'] })],
    [
      'approved',
      item('a@x', { name: 'Anne', subscription: 'to', ask: 'subscribe', approved: true, groups: ['Friends', 'Work'] }),
    ],
    ['groups', item('a@x', { name: 'Anne', subscription: 'to', ask: 'subscribe', approved: true, groups: ['Work'] })],
  ] as const) {
    assert.equal(
      store.applyPush(A, { kind: 'upsert', item: changed }, `v-${field}`),
      true,
      `a different ${field} is a change`,
    );
    assert.deepEqual(store.getItem(A, 'a@x'), changed);
  }
  assert.equal(store.applyPush(A, { kind: 'remove', jid: 'a@x' }, 'v9'), true);
});
