// Issue 10 #2 (the conversation view's data, no DOM): the loaded entries in
// (time, seq) order with upserts by id, the bounded window drawn over them,
// and which addresses in a body become links.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, ConversationEntry } from '../../preload/contract.js';
import { ConversationModel } from '../../renderer/conversation/conversation-model.js';
import { HistoryWindow, MAX_DRAWN, STEP } from '../../renderer/conversation/history-window.js';
import { bodyParts } from '../../renderer/conversation/links.js';

const msg = (id: string, time: number, seq: number, extra: Partial<ChatMessage> = {}): ConversationEntry => ({
  kind: 'message',
  id,
  conversation: 'romeo@montague.example',
  direction: 'in',
  from: 'romeo@montague.example',
  to: 'juliet@example.com',
  body: id,
  time,
  seq,
  state: 'received',
  ...extra,
});
const ids = (model: ConversationModel) => model.entries.map((e) => e.id);

test('issue 10 #2: entries are upserted by id and placed by (time, seq); a changed time moves the entry', () => {
  const model = new ConversationModel('romeo@montague.example');
  model.prepend([msg('a', 10, 1), msg('b', 20, 2), msg('c', 20, 3)], true);
  assert.deepEqual(model.upsert(msg('d', 15, 4)), { removedAt: -1, insertedAt: 1 });
  assert.deepEqual(ids(model), ['a', 'd', 'b', 'c']);
  // Same place: replaced where it is (a state change).
  assert.deepEqual(model.upsert(msg('b', 20, 2, { state: 'read' })), { removedAt: 2, insertedAt: 2 });
  // Our message once archived: the server's time moves it.
  assert.deepEqual(model.upsert(msg('a', 25, 1)), { removedAt: 0, insertedAt: 3 });
  assert.deepEqual(ids(model), ['d', 'b', 'c', 'a']);
  assert.equal(model.newestMessage()?.id, 'a');
});

test('issue 10 #2: an older page goes before what is loaded, without the entries that arrived live meanwhile', () => {
  const model = new ConversationModel('romeo@montague.example');
  model.upsert(msg('live', 100, 9));
  assert.equal(model.prepend([msg('x', 50, 5), msg('live', 100, 9)], false), 1);
  assert.deepEqual(ids(model), ['x', 'live']);
  // Older than everything loaded while more exists before: left for its page.
  assert.equal(model.upsert(msg('old', 1, 1)).insertedAt, -1);
  assert.equal(model.get('old'), undefined);
});

test('issue 10 #2: the drawn window stays bounded while paging back and follows the newest end', () => {
  const window = new HistoryWindow();
  window.showNewest(50);
  assert.deepEqual([window.from, window.to], [0, 50]);
  for (let i = 0; i < 20; i++) {
    window.prepended(STEP);
    window.growUp();
    assert.ok(window.size <= MAX_DRAWN);
  }
  assert.equal(window.from, 0);
  assert.equal(window.following(50 + 20 * STEP), false);
  while (window.growDown(50 + 20 * STEP));
  assert.equal(window.following(50 + 20 * STEP), true);
  assert.equal(window.size, MAX_DRAWN);
  // A new message at the end joins the following window.
  window.placed({ removedAt: -1, insertedAt: 50 + 20 * STEP }, 50 + 20 * STEP);
  assert.equal(window.to, 50 + 20 * STEP + 1);
});

test('issue 10 #2: links are http, https and xmpp only, with sentence punctuation and unopened brackets left out', () => {
  assert.deepEqual(bodyParts('see https://a.example/x. ok'), [
    { kind: 'text', text: 'see ' },
    { kind: 'link', text: 'https://a.example/x', url: 'https://a.example/x' },
    { kind: 'text', text: '. ok' },
  ]);
  assert.deepEqual(
    bodyParts('(https://en.example/wiki/A_(b)) xmpp:romeo@montague.example').filter((p) => p.kind === 'link'),
    [
      { kind: 'link', text: 'https://en.example/wiki/A_(b)', url: 'https://en.example/wiki/A_(b)' },
      { kind: 'link', text: 'xmpp:romeo@montague.example', url: 'xmpp:romeo@montague.example' },
    ],
  );
  for (const body of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'ftp://a.example', 'http://'])
    assert.deepEqual(bodyParts(body), [{ kind: 'text', text: body }], body);
  // A look-alike host is given as the browser will get it: punycode.
  const [link] = bodyParts('https://аррӏе.com').filter((p) => p.kind === 'link');
  assert.equal(link?.kind === 'link' ? link.url : '', 'https://xn--80ak6aa92e.com/');
});
