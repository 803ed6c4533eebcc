/**
 * Issue 14 #1: the renderer's model loaded from a first page and then
 * chunks (RosterModel.fromPage, addChunk, finishLoad), with pushes arriving
 * between chunks as they do over IPC, ends exactly as a model built from the
 * whole roster; while loading it shows the final length, its first rows as
 * they will stay, and a search finds what has arrived.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterChange, RosterItem } from '../../preload/contract.js';
import { FirstPageBuilder } from '../../main/core/roster/first-page.js';
import { ORDER, RosterModel } from '../../renderer/roster/roster-model.js';
import { buildRows, type ListRow, type RowList } from '../../renderer/roster/rows.js';
import { compareCodePoints } from '../../renderer/roster/roster-loading.js';
import { randomRoster } from '../support/random-roster.js';

const ME = 'juliet@example.com';

function texts(rows: RowList): string[] {
  return Array.from({ length: rows.length }, (_, i) => describe(rows.at(i)!));
}

function describe(row: ListRow): string {
  if (row.kind === 'group') return `# ${row.group} (${row.count}${row.collapsed ? ', folded' : ''})`;
  if (row.kind === 'contact') return `${row.group}: ${row.entry.item.jid} ${row.entry.label}`;
  return `${row.group}: …`;
}

/** main's side: the first page and chunks over a live roster (a Map the pushes change). */
function fakeMain(roster: Map<string, RosterItem>, rows: number, folded: string[]) {
  const builder = new FirstPageBuilder({ rows, folded, locale: ORDER.locale });
  for (const item of roster.values()) builder.add(item);
  const page = builder.result();
  return {
    page: {
      account: ME,
      version: 'v1',
      ...page,
      token: 't',
      complete: page.items.length === page.total,
    },
    chunk(after: string | null, limit: number) {
      const sorted = [...roster.values()].sort((a, b) => compareCodePoints(a.jid, b.jid));
      const rest = after === null ? sorted : sorted.filter((i) => compareCodePoints(i.jid, after) > 0);
      const items = rest.slice(0, limit);
      return { items, next: rest.length > limit ? items.at(-1)!.jid : null };
    },
  };
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

test('issue 14 #1: a chunked load with pushes, folds and searches between chunks ends as the whole snapshot would show', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = random(seed);
    const roster = new Map(randomRoster(seed + 1000, 50 + Math.floor(r() * 400)).map((i) => [i.jid, i]));
    const rows = 5 + Math.floor(r() * 40);
    const main = fakeMain(roster, rows, r() < 0.3 ? ['Friends'] : []);
    const model = RosterModel.fromPage(main.page);
    let after: string | null = null;
    let version = 1;
    const push = (change: RosterChange): void => {
      // main applies it, then the event reaches the renderer (in order with chunk replies)
      if (change.kind === 'upsert') roster.set(change.item.jid, change.item);
      else if (change.kind === 'remove') roster.delete(change.jid);
      model.apply(change);
    };
    for (let guard = 0; guard < 1000; guard++) {
      // Between chunks: a few pushes (new contacts, renames, regroupings, removals), a search, a fold.
      for (let k = Math.floor(r() * 3); k > 0; k--) {
        const existing = [...roster.values()][Math.floor(r() * roster.size)]!;
        const choice = r();
        if (choice < 0.3) push({ kind: 'remove', jid: existing.jid, version: `v${++version}` });
        else if (choice < 0.6) {
          const jid = `new${Math.floor(r() * 1e6)}@example.${r() < 0.5 ? 'com' : 'zz'}`;
          push({
            kind: 'upsert',
            item: { ...existing, jid, name: r() < 0.5 ? 'Aaron' : 'Zed' },
            version: `v${++version}`,
          });
        } else {
          const groups = r() < 0.3 ? [] : ['Friends', 'Zebra'].slice(0, 1 + Math.floor(r() * 2));
          push({
            kind: 'upsert',
            item: { ...existing, name: r() < 0.5 ? 'Aaron' : existing.name, groups },
            version: `v${++version}`,
          });
        }
      }
      if (r() < 0.3) {
        const searched = buildRows(model.view, 'a', new Set());
        for (let i = 0; i < searched.length; i++) assert.notEqual(searched.at(i)!.kind, 'placeholder');
      }
      if (r() < 0.3) buildRows(model.view, '', new Set(['Friends', '']));
      const chunk = main.chunk(after, 1 + Math.floor(r() * 120));
      model.addChunk(chunk.items, chunk.next);
      if (chunk.next === null) {
        model.finishLoad();
        break;
      }
      after = chunk.next;
    }
    assert.equal(model.loading, false);
    const whole = new RosterModel({ account: ME, version: null, items: [...roster.values()] });
    for (const [query, folded] of [
      ['', new Set<string>()],
      ['', new Set(['Friends', ''])],
      ['a', new Set<string>()],
      ['é', new Set(['Zebra'])],
    ] as const) {
      assert.deepEqual(
        texts(buildRows(model.view, query, folded)),
        texts(buildRows(whole.view, query, folded)),
        `seed ${seed}, query ${JSON.stringify(query)}`,
      );
    }
    assert.equal(model.size, roster.size);
  }
});

test('issue 14 #1: while loading, the list has its final length and its first rows as they will stay', () => {
  const roster = new Map(randomRoster(7, 3000).map((i) => [i.jid, i]));
  const main = fakeMain(roster, 25, []);
  const model = RosterModel.fromPage(main.page);
  const whole = new RosterModel({ account: ME, version: null, items: [...roster.values()] });
  const final = texts(buildRows(whole.view, '', new Set()));
  const loading = texts(buildRows(model.view, '', new Set()));
  assert.equal(loading.length, final.length, 'the final length at once');
  assert.deepEqual(loading.slice(0, 25), final.slice(0, 25), 'the first page as it will stay');
  assert.ok(loading.includes(`${loading.find((t) => t.endsWith('…'))}`), 'placeholders for the rest');
  assert.equal(model.view.loading, 3000 - main.page.items.length);
  // A search while loading finds only what arrived, never a placeholder.
  const first = main.chunk(null, 1000);
  model.addChunk(first.items, first.next);
  const searched = buildRows(model.view, 'ann', new Set());
  const matches = texts(searched).filter((t) => !t.startsWith('#'));
  assert.ok(matches.length > 0);
  assert.ok(matches.every((t) => !t.endsWith('…')));
});
