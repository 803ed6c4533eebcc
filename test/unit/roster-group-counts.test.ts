/**
 * Issue 14 #1: the group sizes the first page reads (roster_group_counts,
 * migration 0080) stay exactly the sizes of the rows, through every write
 * the store makes: a full replace, pushes (adds, regroups, renames,
 * removals, repeats), a sliced write into a new generation with a jid
 * repeated, and the sweep of the generation it replaced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RosterItem } from '../../preload/contract.js';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterReplacement } from '../../main/core/store/roster-replacement.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { tempDir } from '../support/roster-fixtures.js';
import { GROUPS, random, randomRoster } from '../support/random-roster.js';

const ME = 'juliet@example.com';

/** The sizes counted from the rows themselves. */
function countedFromRows(items: readonly RosterItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items)
    for (const g of item.groups.length > 0 ? item.groups : ['']) counts[g] = (counts[g] ?? 0) + 1;
  return counts;
}

function kept(store: RosterStore): Record<string, number> {
  return Object.fromEntries(store.groupCounts(ME, store.generationOf(ME)));
}

test('issue 14 #1: the kept group sizes equal the rows’ after a replace, random pushes, a sliced write and its sweep', async (t) => {
  const dir = tempDir();
  const { db } = openDatabase(join(dir, 'balcony.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new RosterStore(db);
  const items = randomRoster(7, 400);
  store.replaceAll(ME, items, 'v1');
  assert.deepEqual(kept(store), countedFromRows(store.getSnapshot(ME).items));

  const r = random(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  for (let i = 0; i < 600; i++) {
    const current = store.getSnapshot(ME).items;
    const roll = r();
    if (roll < 0.25 && current.length > 0) {
      store.applyPush(ME, { kind: 'remove', jid: pick(current).jid }, `p${i}`);
    } else if (roll < 0.3) {
      store.applyPush(ME, { kind: 'remove', jid: `absent${i}@example.com` }, `p${i}`); // nothing to remove
    } else if (roll < 0.7 && current.length > 0) {
      const item = pick(current);
      const groups = r() < 0.3 ? [] : [...new Set([pick(GROUPS), pick(GROUPS)])];
      store.applyPush(ME, { kind: 'upsert', item: { ...item, groups } }, `p${i}`);
    } else if (roll < 0.8 && current.length > 0) {
      store.applyPush(ME, { kind: 'upsert', item: pick(current) }, `p${i}`); // a repeat: no change
    } else {
      const groups = r() < 0.3 ? [] : [pick(GROUPS)];
      const item: RosterItem = {
        jid: `new${i}@example.com`,
        name: null,
        subscription: 'none',
        ask: null,
        approved: false,
        groups,
      };
      store.applyPush(ME, { kind: 'upsert', item }, `p${i}`);
    }
  }
  assert.deepEqual(kept(store), countedFromRows(store.getSnapshot(ME).items), 'after 600 pushes');

  // A sliced full roster with a jid repeated (its last occurrence wins) and in other groups the second time.
  const next = randomRoster(8, 300);
  const repeated = { ...next[0]!, groups: next[0]!.groups.length > 0 ? [] : ['Zebra'] };
  const old = store.generationOf(ME);
  const write = RosterReplacement.begin(store, ME);
  await write.write([...next, repeated], (i) => i);
  write.commit(next.length, 'v2');
  const shown = store.getSnapshot(ME).items;
  assert.equal(shown.length, next.length);
  assert.deepEqual(kept(store), countedFromRows(shown), 'after the sliced write');
  // The replaced generation's counts go with its rows.
  while (store.deleteSlice(ME, old, 50) > 0);
  assert.deepEqual(store.groupCounts(ME, old), []);
  assert.deepEqual(kept(store), countedFromRows(shown));
});
