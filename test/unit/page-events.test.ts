import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage } from '../../preload/contract.js';
import { pageEvents } from '../../main/core/messages/page-events.js';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore, type StorableMessage } from '../../main/core/store/message-store.js';

const ME = 'juliet@capulet.lit';
const ROMEO = 'romeo@montague.lit';
const NURSE = 'nurse@capulet.lit';
const T0 = Date.UTC(2026, 11, 1, 9);

function archived(over: Partial<StorableMessage> & Pick<StorableMessage, 'body' | 'archiveId'>): StorableMessage {
  return {
    type: 'chat',
    id: null,
    from: ROMEO,
    fromResource: 'orchard',
    to: ME,
    toResource: 'balcony',
    bodyCut: false,
    originId: null,
    stanzaId: null,
    delay: null,
    receiptRequested: false,
    markable: false,
    chatState: null,
    receivedId: null,
    displayedId: null,
    error: null,
    source: 'archive',
    ...over,
  };
}

test('issue 10 speed: a stored page gives each message one event at its end state, each conversation one summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-page-events-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  const { db } = openDatabase(join(dir, 'profile.db'));
  test.after(() => db.close());
  const store = new MessageStore(db, ME);
  const ours = store.queueOutgoing({ to: ROMEO, body: 'on my way', ownBare: ME, now: T0 });
  const items = [
    archived({ body: 'one', archiveId: 'A-1', archiveTime: T0 + 1 }),
    archived({ body: 'two', archiveId: 'A-2', archiveTime: T0 + 2, from: NURSE }),
    // The archive's copy of our queued message: changes it (sent, the server's id and time).
    archived({
      body: 'on my way',
      archiveId: 'A-3',
      archiveTime: T0 + 3,
      from: ME,
      to: ROMEO,
      originId: ours.id,
      id: ours.id,
    }),
    archived({ body: 'one', archiveId: 'A-1', archiveTime: T0 + 1 }), // the same result twice in a page
    archived({ body: 'three', archiveId: 'A-4', archiveTime: T0 + 4 }),
  ];
  const batch = store.storeArchivePage(items, { cursor: { id: 'A-4', time: T0 + 4 } }, T0 + 10);
  assert.equal(batch.results.length, 5);
  const events = pageEvents(batch);
  assert.deepEqual(
    events.messages.map((m) => [m.body, m.state]),
    [
      ['one', 'received'],
      ['two', 'received'],
      ['on my way', 'sent'],
      ['three', 'received'],
    ],
    'each message once, in the page order',
  );
  assert.deepEqual(events.conversations.map((c) => c.jid).sort(), [NURSE, ROMEO]);
  assert.deepEqual(
    events.conversations.find((c) => c.jid === ROMEO),
    store.summary(ROMEO),
    'the summary as the store has it after the page',
  );
});

test('issue 10 speed: a message changed twice in one page is announced once, as it ended', () => {
  const sent: ChatMessage = {
    id: 'x',
    conversation: ROMEO,
    direction: 'out',
    from: ME,
    to: ROMEO,
    body: 'b',
    time: 1,
    seq: 1,
    state: 'sent',
    error: null,
    fromOtherDevice: false,
  };
  const delivered: ChatMessage = { ...sent, state: 'delivered' };
  const summary = { jid: ROMEO, unread: 0, last: null };
  const events = pageEvents({
    results: [
      { message: sent, isNew: false, changed: true },
      { message: delivered, isNew: false, changed: true },
    ],
    conversations: [summary, { ...summary, unread: 1 }],
  });
  assert.deepEqual(events.messages, [delivered]);
  assert.deepEqual(events.conversations, [{ ...summary, unread: 1 }]);
});
