/**
 * Issue 14 #1: main's first page of the list (main/core/roster/first-page.ts,
 * roster-pages.ts over a real SQLite file with the outbox laid over it) is
 * exactly the first rows the renderer draws from the whole roster with its
 * own sort (renderer/roster/roster-model.ts + rows.ts), on random rosters:
 * non-ASCII names, names the collator takes as equal, contacts in several
 * groups and in none, folded groups, any window height.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RosterItem, RosterPage } from '../../preload/contract.js';
import { FirstPageBuilder } from '../../main/core/roster/first-page.js';
import { RosterPages } from '../../main/core/roster/roster-pages.js';
import { openDatabase } from '../../main/core/store/database.js';
import { OutboxStore } from '../../main/core/store/outbox-store.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { viewItems } from '../../main/core/roster/roster-view.js';
import { ORDER, RosterModel } from '../../renderer/roster/roster-model.js';
import { buildRows, type ListRow } from '../../renderer/roster/rows.js';
import { tempDir } from '../support/roster-fixtures.js';
import { GROUPS, random, randomRoster } from '../support/random-roster.js';

const ME = 'juliet@example.com';
/** The rows the renderer draws from the whole roster, as comparable text. */
function rendererRows(items: RosterItem[], folded: ReadonlySet<string>): string[] {
  const model = new RosterModel({ account: ME, version: null, items });
  const rows = buildRows(model.view, '', folded);
  return Array.from({ length: rows.length }, (_, i) => describe(rows.at(i)!));
}

function describe(row: ListRow): string {
  if (row.kind === 'group') return `# ${row.group} (${row.count})`;
  if (row.kind === 'contact') return `${row.group}: ${row.entry.item.jid}`;
  return `${row.group}: …`;
}

/** The rows a first page says it holds: headers with main's counts, then each group's `first` members. */
function pageRows(page: Pick<RosterPage, 'groups' | 'items'>, rows: number): string[] {
  const out: string[] = [];
  const model = new RosterModel({ account: ME, version: null, items: page.items });
  for (const { group, count, first } of page.groups) {
    if (out.length >= rows) break;
    out.push(`# ${group} (${count})`);
    const members = model.view.sections.find((s) => s.group === group)?.members;
    for (let i = 0; i < first; i++) out.push(`${group}: ${members!.at(i)!.item.jid}`);
  }
  return out;
}

test('issue 14 #1: the first page equals the first rows of the renderer’s own sort, on random rosters (pure builder)', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const r = random(seed * 7);
    const items = randomRoster(seed, 1 + Math.floor(r() * 300));
    const rows = 1 + Math.floor(r() * 60);
    const folded = GROUPS.filter(() => r() < 0.2).concat(r() < 0.2 ? [''] : []);
    const builder = new FirstPageBuilder({ rows, folded, locale: ORDER.locale });
    for (const item of items) builder.add(item);
    const page = builder.result();
    const expected = rendererRows(items, new Set(folded));
    const got = pageRows(page, rows);
    assert.deepEqual(got, expected.slice(0, rows), `seed ${seed}, ${items.length} contacts, ${rows} rows`);
    assert.equal(page.total, items.length);
    // Every group once, with its size, in the renderer's order ("No group" last).
    const model = new RosterModel({ account: ME, version: null, items });
    assert.deepEqual(
      page.groups.map((g) => [g.group, g.count]),
      model.view.sections.map((s) => [s.group, s.members.length]),
    );
    assert.equal(new Set(page.items.map((i) => i.jid)).size, page.items.length, 'each contact once');
  }
});

test('issue 14 #1: roster-pages reads SQLite in slices, lays the outbox over it, and the chunks give every contact once', async (t) => {
  const dir = tempDir();
  const { db } = openDatabase(join(dir, 'balcony.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new RosterStore(db);
  const outbox = new OutboxStore(db);
  const items = randomRoster(99, 700);
  store.replaceAll(ME, items, 'v1');
  // Waiting edits: a rename that moves a contact to the top, a regroup, an add only the outbox knows, a removal.
  const [first, second, third] = items;
  const base = (item: RosterItem) => ({ exists: true, name: item.name, groups: item.groups });
  outbox.enqueue({ account: ME, op: 'update', jid: first!.jid, name: '!!! First', base: base(first!) });
  outbox.enqueue({ account: ME, op: 'update', jid: second!.jid, groups: ['Zebra'], base: base(second!) });
  outbox.enqueue({ account: ME, op: 'remove', jid: third!.jid, base: base(third!) });
  outbox.enqueue({
    account: ME,
    op: 'add',
    jid: 'aaa-new@example.com',
    name: '!! New',
    groups: [],
    base: { exists: false, name: null, groups: [] },
  });
  const shown = viewItems(store.getSnapshot(ME).items, outbox.list(ME));
  let yields = 0;
  const pages = new RosterPages({
    account: ME,
    store,
    outbox,
    slice: 64,
    yieldNow: () => {
      yields += 1;
      return new Promise((resolve) => setImmediate(resolve));
    },
  });
  // What the page brings into JS of the cache: counted at the store's member reads.
  let read = 0;
  const membersOf = store.membersOfGroups.bind(store);
  store.membersOfGroups = (...args: Parameters<RosterStore['membersOfGroups']>) => {
    const rows = membersOf(...args);
    read += rows.length;
    return rows;
  };
  const page = await pages.firstPage({ rows: 30, folded: ['Family'], locale: ORDER.locale });
  assert.ok(yields >= Math.floor(read / 64), `the reads gave the event loop back between slices (${yields} times)`);
  assert.ok(read > 64 && read < 700 / 2, `only the reached groups' members were read (${read} of 700)`);
  assert.deepEqual(pageRows(page, 30), rendererRows(shown, new Set(['Family'])).slice(0, 30));
  assert.equal(page.total, shown.length);
  assert.equal(page.version, 'v1');
  assert.equal(page.complete, false);

  const seen: string[] = [];
  let after: string | null = null;
  let chunks = 0;
  do {
    const chunk = pages.chunk({ token: page.token, after, limit: 100 });
    seen.push(...chunk.items.map((i) => i.jid));
    after = chunk.next;
    chunks += 1;
    assert.ok(chunks < 100, 'the chunks end');
  } while (after !== null);
  assert.deepEqual([...seen].sort(), shown.map((i) => i.jid).sort(), 'every contact once, the outbox-only one too');
  assert.equal(new Set(seen).size, seen.length);

  pages.reset();
  assert.throws(() => pages.chunk({ token: page.token, after: null, limit: 10 }), /out of date/);
});

/** A real SQLite cache of `items` with `edits` waiting in the outbox, and its RosterPages (small slices). */
function cacheOf(t: { after: (f: () => void) => void }, items: RosterItem[]) {
  const dir = tempDir();
  const { db } = openDatabase(join(dir, 'balcony.sqlite'));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new RosterStore(db);
  const outbox = new OutboxStore(db);
  store.replaceAll(ME, items, 'v1');
  const pages = new RosterPages({ account: ME, store, outbox, slice: 16, scanRange: 1 + (items.length % 97) });
  return { store, outbox, pages };
}

test('issue 14 #1: the page read by group from SQLite equals the renderer’s rows: outbox edits, folds, pages over several groups, NO_GROUP, several groups, non-ASCII', async (t) => {
  for (let seed = 1; seed <= 25; seed++) {
    const r = random(seed * 13);
    const items = randomRoster(seed + 500, 1 + Math.floor(r() * 250));
    const { store, outbox, pages } = cacheOf(t, items);
    // Waiting edits on a few contacts: renames, regroups (into none, into a new group), removals, offline adds.
    for (const item of items.filter(() => r() < 0.05)) {
      const base = { exists: true, name: item.name, groups: item.groups };
      const roll = r();
      if (roll < 0.3) outbox.enqueue({ account: ME, op: 'update', jid: item.jid, name: '!! Ändern', base });
      else if (roll < 0.6)
        outbox.enqueue({
          account: ME,
          op: 'update',
          jid: item.jid,
          groups: r() < 0.5 ? [] : ['Aardvark', 'Zebra'],
          base,
        });
      else outbox.enqueue({ account: ME, op: 'remove', jid: item.jid, base });
    }
    if (r() < 0.5)
      outbox.enqueue({
        account: ME,
        op: 'add',
        jid: `ünew${seed}@example.com`,
        name: null,
        groups: r() < 0.5 ? [] : ['Friends'],
        base: { exists: false, name: null, groups: [] },
      });
    const shown = viewItems(store.getSnapshot(ME).items, outbox.list(ME));
    // Small windows too, so the page often ends inside a group or spans several small ones.
    const rows = 1 + Math.floor(r() * (r() < 0.5 ? 8 : 80));
    const folded = GROUPS.filter(() => r() < 0.25).concat(r() < 0.2 ? [''] : []);
    const page = await pages.firstPage({ rows, folded, locale: ORDER.locale });
    const what = `seed ${seed}, ${items.length} contacts, ${rows} rows, folded ${folded.join('|')}`;
    assert.deepEqual(pageRows(page, rows), rendererRows(shown, new Set(folded)).slice(0, rows), what);
    assert.equal(page.total, shown.length, what);
    const model = new RosterModel({ account: ME, version: null, items: shown });
    assert.deepEqual(
      page.groups.map((g) => [g.group, g.count]),
      model.view.sections.map((s) => [s.group, s.members.length]),
      what,
    );
    // The page's contacts are their shown versions (a waiting rename shows at once).
    const byJid = new Map(shown.map((i) => [i.jid, i]));
    for (const item of page.items) assert.deepEqual(item, byJid.get(item.jid), what);
  }
});

test('issue 14 #1: a page that spans several small groups, then reaches into a large "No group"', async (t) => {
  const items: RosterItem[] = [];
  const contact = (jid: string, name: string | null, groups: string[]): RosterItem => ({
    jid,
    name,
    subscription: 'both',
    ask: null,
    approved: false,
    groups,
  });
  items.push(contact('a@x.org', 'Ödön', ['Ärzte']), contact('b@x.org', 'Bob', ['Ärzte', 'Band']));
  items.push(contact('c@x.org', null, ['Band']));
  for (let i = 0; i < 200; i++) items.push(contact(`n${i}@x.org`, `Nobody ${i}`, []));
  const { pages } = cacheOf(t, items);
  const page = await pages.firstPage({ rows: 12, folded: [], locale: ORDER.locale });
  assert.deepEqual(pageRows(page, 12), rendererRows(items, new Set()).slice(0, 12));
  assert.deepEqual(
    page.groups.map((g) => [g.group, g.count, g.first]),
    [
      ['Ärzte', 2, 2],
      ['Band', 2, 2],
      ['', 200, 5],
    ],
  );
  // Bob is a row in both groups and sent once; "Nobody 0, 1, 2" by the collator's numeric order, not "0, 1, 10".
  assert.deepEqual(
    page.items.map((i) => i.jid),
    ['b@x.org', 'a@x.org', 'c@x.org', 'n0@x.org', 'n1@x.org', 'n2@x.org', 'n3@x.org', 'n4@x.org'],
  );
  // Folding "No group" leaves it one row and reads none of its members.
  const folded = await pages.firstPage({ rows: 12, folded: [''], locale: ORDER.locale });
  assert.deepEqual(
    folded.groups.map((g) => [g.group, g.first]),
    [
      ['Ärzte', 2],
      ['Band', 2],
      ['', 0],
    ],
  );
  assert.equal(folded.items.length, 3);
});
