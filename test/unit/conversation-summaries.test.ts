/**
 * Issue 10 #3, the list's data: the conversation summaries store (unread
 * total, the "Recent" order, per-JID watches that fire only for their own
 * conversation) and the "Recent" view of the roster built from it (newest
 * conversations first, strangers included, then everyone once by name;
 * rebuilt for a new last message, never for an unread count).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConversationSummary, RosterItem } from '../../preload/contract.js';
import { ConversationSummaries, firstLine, unreadWords } from '../../renderer/messages/conversation-summaries.js';
import { RecentView } from '../../renderer/messages/recent-view.js';
import { RosterModel } from '../../renderer/roster/roster-model.js';
import { OTHERS_SECTION, RECENT_SECTION } from '../../renderer/roster/rows.js';

const summary = (jid: string, unread: number, time: number | null, id = `m-${jid}-${time}`): ConversationSummary => ({
  jid,
  unread,
  last: time === null ? null : { id, body: 'hello', time, direction: 'in', state: 'received' },
});

const item = (jid: string, name: string, groups: string[] = []): RosterItem => ({
  jid,
  name,
  subscription: 'both',
  ask: null,
  approved: false,
  groups,
});

test('issue 10 #3: the store keeps the unread total and the Recent order; a watch fires for its own conversation only', () => {
  const store = new ConversationSummaries();
  store.replace([summary('a@x', 2, 10), summary('b@x', 0, 30), summary('gaps@x', 1, null)]);
  assert.equal(store.totalUnread, 3);
  assert.deepEqual(
    store.recent().map((s) => s.jid),
    ['b@x', 'a@x'],
    'newest first; only gaps: not listed',
  );
  const fired: string[] = [];
  store.watch('a@x', () => fired.push('a'));
  store.watch('b@x', () => fired.push('b'));
  const changes: boolean[] = [];
  store.subscribe((change) => changes.push(change.reordered));
  const order = store.orderVersion;
  const recent = store.recent();

  store.set(summary('a@x', 0, 10)); // read: no new message
  assert.deepEqual(fired, ['a']);
  assert.equal(store.totalUnread, 1);
  assert.equal(store.orderVersion, order, 'a read count does not reorder');
  assert.equal(store.recent(), recent, 'the same array');
  store.set(summary('a@x', 0, 10)); // the same again: nothing
  assert.deepEqual(fired, ['a']);

  store.set(summary('a@x', 1, 50));
  assert.deepEqual(fired, ['a', 'a']);
  assert.notEqual(store.orderVersion, order);
  assert.deepEqual(
    store.recent().map((s) => s.jid),
    ['a@x', 'b@x'],
  );
  assert.deepEqual(changes, [false, true]);
  assert.equal(store.totalUnread, 2);
});

test('issue 10 #3: the Recent view lists conversations first (a stranger too), then everyone else once, by name', () => {
  const model = new RosterModel({
    account: 'me@x',
    version: null,
    items: [
      item('romeo@x', 'Romeo', ['Family', 'Friends']),
      item('anna@x', 'Anna', ['Work']),
      item('zed@x', 'Zed'),
      item('bob@x', 'Bob', ['Friends']),
    ],
  });
  const store = new ConversationSummaries();
  store.replace([summary('zed@x', 1, 5), summary('gone@x', 0, 9), summary('romeo@x', 0, 1)]);
  const recent = new RecentView();
  const view = recent.view(model.view, store, null);
  assert.ok(view);
  assert.deepEqual(
    view.sections.map((s) => [s.group, s.members.all().map((e) => e.jid)]),
    [
      [RECENT_SECTION, ['gone@x', 'zed@x', 'romeo@x']],
      [OTHERS_SECTION, ['anna@x', 'bob@x']],
    ],
  );
  assert.equal(view.get('gone@x')?.stranger, true, 'a removed contact’s conversation is listed');
  assert.equal(view.get('romeo@x')?.stranger, false);
  assert.equal(view.size, 5);

  // An unread count alone: the same view (nothing rebuilt). A new last message: a new order.
  store.set(summary('romeo@x', 4, 1));
  assert.equal(recent.view(model.view, store, null), view);
  store.set(summary('anna@x', 1, 20));
  const next = recent.view(model.view, store, null);
  assert.notEqual(next, view);
  assert.deepEqual(
    next?.sections.map((s) => s.members.all().map((e) => e.jid)),
    [['anna@x', 'gone@x', 'zed@x', 'romeo@x'], ['bob@x']],
  );
});

test('issue 10 #3: a row shows the first line, cut by code point; the unread words', () => {
  assert.equal(firstLine('\n  Hello\nworld'), 'Hello');
  assert.equal(firstLine('a\u2028b'), 'a');
  const long = '😀'.repeat(300);
  const cut = firstLine(long);
  assert.equal(Array.from(cut).length, 201);
  assert.ok(cut.endsWith('😀…'), 'no half emoji');
  assert.equal(unreadWords(0), '');
  assert.equal(unreadWords(1), '1 unread message');
  assert.equal(unreadWords(3), '3 unread messages');
});
