/**
 * issue 12 #8: the pure parts of blocking (XEP-0191): stanzas, which
 * addresses may be blocked and how they match, the list as shown, and the
 * store's transactions on a real SQLite file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchesBlocklist, validateBlockTarget } from '../../main/core/blocking/block-target.js';
import { blocklistView, effectivelyBlocked } from '../../main/core/blocking/blocklist-view.js';
import { blockQuery, parseBlockPush, unblockQuery } from '../../main/core/blocking/blocking-stanzas.js';
import { openDatabase } from '../../main/core/store/database.js';
import { BlockingStore, type BlockingAction } from '../../main/core/store/blocking-store.js';
import { isCode } from '../support/expect-error.js';
import { parseXml } from '../support/parse-xml.js';

const ACCOUNT = 'juliet@example.com';
const noLog = (): void => undefined;

test('issue 12 #8: block and unblock carry one item per address; an empty unblock (unblock everyone) is never built', () => {
  assert.equal(
    blockQuery(['a@b', 'c.example']).toString(),
    `<block xmlns="urn:xmpp:blocking"><item jid="a@b"/><item jid="c.example"/></block>`,
  );
  assert.throws(() => unblockQuery([]), isCode('invalid-argument'));
  assert.throws(() => blockQuery([]), isCode('invalid-argument'));
});

test('issue 12 #8: pushes are read with their addresses normalised; an empty unblock is "everyone", junk items are dropped', () => {
  const push = (xml: string) => parseBlockPush(parseXml(xml), noLog);
  assert.deepEqual(
    push(`<block xmlns='urn:xmpp:blocking'><item jid='Tybalt@Example.COM'/><item/><item jid='a b@c'/></block>`),
    {
      kind: 'block',
      jids: ['tybalt@example.com'],
    },
  );
  assert.deepEqual(push(`<unblock xmlns='urn:xmpp:blocking'/>`), { kind: 'unblock-all' });
  assert.equal(push(`<block xmlns='urn:xmpp:blocking'/>`), null, 'a block of nobody says nothing');
  assert.equal(push(`<unblock xmlns='urn:xmpp:blocking'><item/></unblock>`), null, 'not "everyone": it had an item');
});

test('issue 12 #8: our own account and server cannot be blocked; a contact, a server and a device can', () => {
  assert.throws(() => validateBlockTarget('Juliet@example.com', ACCOUNT), isCode('own-jid'));
  assert.throws(() => validateBlockTarget('juliet@example.com/phone', ACCOUNT), isCode('own-jid'));
  assert.throws(() => validateBlockTarget('example.com', ACCOUNT), isCode('invalid-argument'));
  assert.throws(() => validateBlockTarget('not a jid', ACCOUNT), isCode('invalid-jid'));
  assert.equal(validateBlockTarget('Romeo@Montague.example', ACCOUNT), 'romeo@montague.example');
  assert.equal(validateBlockTarget('spam.example', ACCOUNT), 'spam.example');
  assert.equal(validateBlockTarget('romeo@montague.example/Phone', ACCOUNT), 'romeo@montague.example/Phone');
});

test('issue 12 #8: XEP-0016 matching: a blocked contact covers its devices, a blocked server its users, a blocked device only itself', () => {
  const blocked = new Set(['tybalt@capulet.example', 'spam.example', 'romeo@montague.example/work']);
  assert.equal(matchesBlocklist('tybalt@capulet.example/phone', blocked), true);
  assert.equal(matchesBlocklist('TYBALT@capulet.example', blocked), true);
  assert.equal(matchesBlocklist('bot@spam.example', blocked), true);
  assert.equal(matchesBlocklist('romeo@montague.example/work', blocked), true);
  assert.equal(matchesBlocklist('romeo@montague.example/home', blocked), false);
  assert.equal(matchesBlocklist('romeo@montague.example', blocked), false);
  assert.equal(matchesBlocklist('nurse@capulet.example', blocked), false);
  assert.equal(matchesBlocklist('not a jid', blocked), false);
});

function action(
  id: number,
  op: 'block' | 'unblock',
  jids: string[],
  state: 'waiting' | 'failed' = 'waiting',
): BlockingAction {
  return {
    id,
    account: ACCOUNT,
    op,
    jids,
    state,
    error: state === 'failed' ? { code: 'not-allowed', message: 'no' } : null,
    createdAt: id,
  };
}

test('issue 12 #8: the list as shown lays waiting actions over the server list in order; a refused one changes nothing shown', () => {
  const view = blocklistView(
    true,
    ['a@x', 'b@x'],
    [
      action(1, 'block', ['c@x']),
      action(2, 'unblock', ['a@x']),
      action(3, 'block', ['d@x']),
      action(4, 'unblock', ['d@x']),
      action(5, 'block', ['e@x'], 'failed'),
      action(6, 'block', ['b@x']),
    ],
  );
  assert.deepEqual(view.items, [{ jid: 'a@x', pending: 'unblock' }, { jid: 'b@x' }, { jid: 'c@x', pending: 'block' }]);
  assert.deepEqual(view.failures, [
    { id: 5, op: 'block', jids: ['e@x'], error: { code: 'not-allowed', message: 'no' } },
  ]);
  assert.deepEqual([...effectivelyBlocked(view)].sort(), ['b@x', 'c@x'], 'a waiting unblock is the user’s latest word');
});

test('issue 12 #8: the store confirms an action in one transaction (out of the outbox, into the list) and keeps accounts apart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-blocking-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  const { db } = openDatabase(join(dir, 'profile.db'));
  try {
    const store = new BlockingStore(db);
    store.replace(ACCOUNT, ['a@x', 'b@x']);
    store.replace('other@example.com', ['z@x']);
    const waiting = store.enqueue(ACCOUNT, 'unblock', ['a@x']);
    assert.deepEqual(store.actions(ACCOUNT), [waiting]);
    store.confirm(waiting);
    assert.deepEqual(store.blocked(ACCOUNT), ['b@x']);
    assert.deepEqual(store.actions(ACCOUNT), []);
    store.apply(ACCOUNT, 'block', ['c@x']);
    store.apply(ACCOUNT, 'unblock-all');
    assert.deepEqual(store.blocked(ACCOUNT), []);
    assert.deepEqual(store.blocked('other@example.com'), ['z@x'], "another account's list is untouched");
    const refused = store.enqueue(ACCOUNT, 'block', ['d@x']);
    store.markFailed(refused.id, { code: 'forbidden', message: 'no' });
    assert.equal(store.action(refused.id)?.state, 'failed');
    store.clear(ACCOUNT);
    assert.deepEqual(store.actions(ACCOUNT), []);
  } finally {
    db.close();
  }
});
