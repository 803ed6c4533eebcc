/**
 * Issue 14 #2: a full roster written in slices into a generation of its own
 * (main/core/store/roster-replacement.ts): invisible until one short
 * transaction makes it current, the event loop given back between slices,
 * hidden generations deleted in slices, and large snapshots read in pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RosterItem } from '../../preload/contract.js';
import { openDatabase } from '../../main/core/store/database.js';
import {
  RosterReplacement,
  deleteGeneration,
  deleteHiddenGenerations,
  readSnapshot,
} from '../../main/core/store/roster-replacement.js';
import { RosterStore } from '../../main/core/store/roster-store.js';

const A = 'juliet@example.com';

function openStore(): { store: RosterStore; rows: (generation?: number) => number } {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-replacement-'));
  const { db } = openDatabase(join(dir, 'profile.db'));
  test.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = db.prepare('SELECT COUNT(*) FROM roster_items WHERE account = ?').pluck();
  const countIn = db.prepare('SELECT COUNT(*) FROM roster_items WHERE account = ? AND generation = ?').pluck();
  return {
    store: new RosterStore(db),
    rows: (generation) => (generation === undefined ? count.get(A) : countIn.get(A, generation)) as number,
  };
}

function item(n: number, extra: Partial<RosterItem> = {}): RosterItem {
  return {
    jid: `c${String(n).padStart(6, '0')}@example.org`,
    name: `Contact ${n}`,
    subscription: 'both',
    ask: null,
    approved: false,
    groups: n % 3 === 0 ? ['Friends'] : [],
    ...extra,
  };
}

const roster = (n: number, extra: Partial<RosterItem> = {}): RosterItem[] =>
  Array.from({ length: n }, (_, i) => item(i, extra));

/** Counts the event loop's turns while `work` runs: a write in slices lets timers and I/O in between. */
async function turnsDuring(work: () => Promise<void>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = (): void => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

test('issue 14 #2: a sliced full roster stays invisible while it is written, then replaces the old one whole', async () => {
  const { store, rows } = openStore();
  store.replaceAll(A, roster(300, { name: 'old' }), 'v1');
  const replacement = RosterReplacement.begin(store, A);
  const seen: (string | null)[] = [];
  const turns = await turnsDuring(async () => {
    const writing = replacement.write(roster(20_000), (i) => i);
    // Between slices the old roster is what every reader sees.
    for (let k = 0; k < 5; k++) {
      await new Promise((resolve) => setImmediate(resolve));
      const snapshot = store.getSnapshot(A);
      assert.equal(snapshot.items.length, 300);
      seen.push(snapshot.version);
    }
    await writing;
  });
  assert.ok(turns > 5, `the loop turned ${turns} times during the write: it was cut into slices`);
  assert.deepEqual(seen, ['v1', 'v1', 'v1', 'v1', 'v1']);
  assert.equal(store.getItem(A, item(0).jid)?.name, 'old', 'a push or an edit reads the shown generation');
  replacement.commit(20_000, 'v2');
  const after = store.getSnapshot(A);
  assert.equal(after.version, 'v2');
  assert.deepEqual(after.items, roster(20_000));
  assert.equal(store.countItems(A), 20_000);
  // The replaced generation goes in the background, in slices.
  await deleteHiddenGenerations(store, A);
  assert.equal(rows(), 20_000, 'only the current generation is left');
});

test('issue 14 #2: pushes after the new generation is current apply to it; the old rows never come back', async () => {
  const { store } = openStore();
  store.replaceAll(A, roster(10), 'v1');
  const replacement = RosterReplacement.begin(store, A);
  await replacement.write(roster(5), (i) => i);
  replacement.commit(5, 'v2');
  assert.equal(store.applyPush(A, { kind: 'upsert', item: item(7, { name: 'back' }) }, 'v3'), true);
  assert.equal(store.applyPush(A, { kind: 'remove', jid: item(0).jid }, 'v4'), true);
  assert.deepEqual(
    store.getSnapshot(A).items.map((i) => i.name),
    ['Contact 1', 'Contact 2', 'Contact 3', 'Contact 4', 'back'],
  );
  assert.equal(store.getVersion(A), 'v4');
});

test('issue 14 #2: a generation missing rows (deleted by a sweep elsewhere) is refused; the old roster stays whole', async () => {
  const { store, rows } = openStore();
  store.replaceAll(A, roster(50), 'v1');
  const replacement = RosterReplacement.begin(store, A);
  await replacement.write(roster(2000), (i) => i);
  store.deleteSlice(A, replacement.generation, 10);
  assert.throws(() => replacement.commit(2000, 'v2'), /1990 of its 2000 rows/);
  assert.deepEqual(store.getSnapshot(A), { account: A, version: 'v1', items: roster(50) });
  await deleteHiddenGenerations(store, A);
  assert.equal(rows(), 50);
});

test('issue 14 #2: a write that fails leaves the old roster and its version, and its own rows are deleted', async () => {
  const { store, rows } = openStore();
  store.replaceAll(A, roster(20), 'v1');
  const replacement = RosterReplacement.begin(store, A);
  const bad = { ...item(1500), subscription: 'remove' } as unknown as RosterItem; // refused by the CHECK
  await assert.rejects(
    replacement.write([...roster(1500), bad], (i) => i),
    /CHECK/,
  );
  assert.deepEqual(store.getSnapshot(A), { account: A, version: 'v1', items: roster(20) });
  await deleteGeneration(store, A, replacement.generation);
  assert.equal(rows(), 20);
});

test('issue 14 #2: generation numbers are never reused, so a crashed write never mixes with a new one', () => {
  const { store } = openStore();
  const first = RosterReplacement.begin(store, A);
  store.writeSlice(A, first.generation, roster(3)); // "killed" here: never made current
  const second = RosterReplacement.begin(store, A);
  assert.ok(second.generation > first.generation);
  assert.deepEqual(store.hiddenGenerations(A), [first.generation]);
  assert.equal(store.generationOf(A), 0);
});

test('issue 14 #2: forgetCache hides every row at once; the profile-wide sweep deletes them, other accounts untouched', async () => {
  const { store, rows } = openStore();
  const B = 'romeo@example.net';
  store.replaceAll(A, roster(3000), 'v1');
  store.replaceAll(B, roster(10), 'vb');
  store.forgetCache(A);
  assert.deepEqual(store.getSnapshot(A), { account: A, version: null, items: [] });
  assert.equal(store.hasCache(A), false);
  assert.equal(rows(), 3000, 'not deleted in the call');
  assert.equal(await deleteHiddenGenerations(store), 3000, 'every account swept (as a RosterService starts)');
  assert.equal(rows(), 0);
  assert.deepEqual(store.getSnapshot(B), { account: B, version: 'vb', items: roster(10) });
});

test('issue 14 #2: readSnapshot reads in pages what getSnapshot reads at once, and reads again over a write', async () => {
  const { store } = openStore();
  store.replaceAll(A, roster(12_000), 'v1');
  const turns = await turnsDuring(async () => {
    assert.deepEqual(await readSnapshot(store, A), store.getSnapshot(A));
  });
  assert.ok(turns > 1, 'the loop turned between pages');
  // A push to a contact of the first page lands after that page was read:
  // the answer is what one version holds, not the page before and the version after.
  const reading = readSnapshot(store, A);
  store.applyPush(A, { kind: 'upsert', item: item(0, { name: 'pushed' }) }, 'v2');
  const read = await reading;
  assert.equal(read.version, 'v2');
  assert.equal(read.items[0]?.name, 'pushed');
  assert.deepEqual(read, store.getSnapshot(A));
});
