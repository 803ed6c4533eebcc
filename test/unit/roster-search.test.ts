/**
 * Issue 14 #3: a keystroke in the search box finds each group's matches in
 * one pass over the group's joined search text (renderer/roster/group-search.ts)
 * or narrows the previous keystroke's matches, instead of filtering every
 * group's members. Whatever the path, the rows are exactly those of a naive
 * filter of the roster as it is: checked on random rosters as text is typed,
 * deleted and replaced, with pushes between keystrokes, before, during and
 * after the idle-time warm-up, and while the roster is still loading.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterChange, RosterItem } from '../../preload/contract.js';
import { FirstPageBuilder } from '../../main/core/roster/first-page.js';
import { fold } from '../../renderer/roster/fold.js';
import { searchGroup } from '../../renderer/roster/group-search.js';
import { compareCodePoints } from '../../renderer/roster/roster-loading.js';
import { MemberList, NO_GROUP, ORDER, RosterModel, ContactEntry } from '../../renderer/roster/roster-model.js';
import { buildRows, type RowList } from '../../renderer/roster/rows.js';
import { random, randomRoster } from '../support/random-roster.js';

const ME = 'juliet@example.com';

function texts(rows: RowList): string[] {
  return Array.from({ length: rows.length }, (_, i) => {
    const row = rows.at(i)!;
    if (row.kind === 'group') return `# ${row.group} (${row.count})`;
    if (row.kind === 'contact')
      return `${row.group}: ${row.entry.item.jid} ${row.entry.label} ${row.position}/${row.setSize}`;
    return `${row.group}: …`;
  });
}

/** The rows a search must show, from the items alone: every group sorted, every member tested. */
function naive(items: Iterable<RosterItem>, query: string): string[] {
  const q = fold(query);
  const byGroup = new Map<string, ContactEntry[]>();
  for (const item of items) {
    const entry = new ContactEntry(item);
    if (!fold(`${entry.label}\n${item.jid}`).includes(q)) continue;
    for (const group of item.groups.length > 0 ? item.groups : [NO_GROUP]) {
      let members = byGroup.get(group);
      if (!members) byGroup.set(group, (members = []));
      members.push(entry);
    }
  }
  const out: string[] = [];
  for (const group of [...byGroup.keys()].sort(ORDER.compareGroups)) {
    const members = byGroup.get(group)!.sort(ORDER.compareContacts);
    out.push(`# ${group} (${members.length})`);
    members.forEach((e, i) => out.push(`${group}: ${e.item.jid} ${e.label} ${i + 1}/${members.length}`));
  }
  return out;
}

/** Typing: a letter more most of the time, sometimes one less, sometimes a new text (pasted). */
function nextQuery(r: () => number, query: string): string {
  const letters = ['a', 'n', 'e', 'é', 'b', 'o', '1', '9', ' ', 'z', 'x', '.', '@', 's', 'ß', '😀'];
  const roll = r();
  if (roll < 0.6) return query + letters[Math.floor(r() * letters.length)]!;
  if (roll < 0.8) return query.slice(0, -1);
  return letters[Math.floor(r() * letters.length)]!;
}

function randomChange(r: () => number, roster: Map<string, RosterItem>, version: number): RosterChange {
  const existing = [...roster.values()][Math.floor(r() * roster.size)]!;
  const choice = r();
  if (choice < 0.25) return { kind: 'remove', jid: existing.jid, version: `v${version}` };
  if (choice < 0.6)
    return {
      kind: 'upsert',
      item: { ...existing, jid: `new${Math.floor(r() * 1e6)}@example.com`, name: r() < 0.5 ? 'Anne' : 'Zed' },
      version: `v${version}`,
    };
  return {
    kind: 'upsert',
    item: { ...existing, name: r() < 0.5 ? 'Bob Annex' : existing.name, groups: r() < 0.3 ? [] : ['Friends'] },
    version: `v${version}`,
  };
}

test('issue 14 #3: each keystroke shows exactly the naive filter of the roster, in list order, as text is typed, deleted and replaced, with pushes between keystrokes, warmed or not', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const r = random(seed);
    const roster = new Map(randomRoster(seed + 500, 20 + Math.floor(r() * 600)).map((i) => [i.jid, i]));
    const model = new RosterModel({ account: ME, version: null, items: [...roster.values()] });
    // Some models fully warmed (every group's text built), some partly, some not at all.
    const warmSteps = seed % 3 === 0 ? Infinity : seed % 3 === 1 ? Math.floor(r() * 20) : 0;
    let steps = 0;
    model.warm(() => steps++ < warmSteps);
    let query = '';
    let version = 1;
    for (let keystroke = 0; keystroke < 60; keystroke++) {
      query = nextQuery(r, query);
      if (r() < 0.2) {
        const change = randomChange(r, roster, ++version);
        if (change.kind === 'upsert') roster.set(change.item.jid, change.item);
        else if (change.kind === 'remove') roster.delete(change.jid);
        model.apply(change);
      }
      if (r() < 0.1) model.warm(() => r() < 0.8);
      const folded = fold(query.trim());
      assert.deepEqual(
        texts(buildRows(model.view, folded, new Set())),
        folded === '' ? naive(roster.values(), '') : naive(roster.values(), folded),
        `seed ${seed}, keystroke ${keystroke}, query ${JSON.stringify(query)}`,
      );
    }
  }
});

test('issue 14 #3: while the roster loads, a search shows exactly the naive filter of the contacts arrived so far', () => {
  for (let seed = 1; seed <= 15; seed++) {
    const r = random(seed + 77);
    const roster = new Map(randomRoster(seed + 900, 100 + Math.floor(r() * 400)).map((i) => [i.jid, i]));
    const builder = new FirstPageBuilder({ rows: 10 + Math.floor(r() * 30), folded: [], locale: ORDER.locale });
    for (const item of roster.values()) builder.add(item);
    const page = builder.result();
    const model = RosterModel.fromPage({ account: ME, version: 'v1', ...page, token: 't', complete: false });
    const sorted = [...roster.values()].sort((a, b) => compareCodePoints(a.jid, b.jid));
    let query = '';
    let at = 0;
    while (at < sorted.length) {
      const items = sorted.slice(at, (at += 1 + Math.floor(r() * 80)));
      model.addChunk(items, at < sorted.length ? items.at(-1)!.jid : null);
      for (let k = 0; k < 3; k++) {
        query = nextQuery(r, query);
        const folded = fold(query.trim());
        if (folded === '') continue;
        const arrived = [...roster.values()].filter((item) => model.get(item.jid) !== undefined);
        assert.deepEqual(texts(buildRows(model.view, folded, new Set())), naive(arrived, folded), `seed ${seed}`);
      }
    }
    model.finishLoad();
    model.warm(() => true);
    for (const q of ['a', 'an', 'ann', 'é', 'b.net']) {
      assert.deepEqual(
        texts(buildRows(model.view, fold(q), new Set())),
        naive(roster.values(), q),
        `seed ${seed} ${q}`,
      );
    }
  }
});

test('issue 14 #3: one pass over a group text finds the matches in list order, a match never spanning two contacts', () => {
  const r = random(3);
  for (let round = 0; round < 50; round++) {
    const entries = randomRoster(round, 1 + Math.floor(r() * 300)).map((item) => new ContactEntry(item));
    const all = [...entries].sort(ORDER.compareContacts);
    // In order (its text is joined and scanned) and not yet in order (filtered, only the matches sorted).
    const complete = new MemberList(entries.slice());
    complete.all();
    // Texts that occur within one key, across the end of one key and the start of the next, and nowhere.
    for (const q of [
      'a',
      'é',
      'b.net',
      'ann 9\nann',
      'com\u0001a',
      'org\n',
      '@',
      'zzzz',
      '9',
      '李',
      '😀 s',
      '\u{1d4b3}',
      'ß',
    ]) {
      const expected = all.filter((e) => e.searchKey.includes(q));
      assert.deepEqual(searchGroup(complete, q), expected, JSON.stringify(q));
      assert.deepEqual(searchGroup(new MemberList(entries.slice()), q), expected, JSON.stringify(q));
    }
  }
});
