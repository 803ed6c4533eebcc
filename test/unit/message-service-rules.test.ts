/**
 * The small rules beside MessageService: when a chat state may be sent and
 * when it is worth sending or showing, and the stored message settings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatStateMemory, maySendChatState } from '../../main/core/messages/chat-states.js';
import { readMessageSettings, writeMessageSettings } from '../../main/core/messages/message-settings.js';
import { EventEmitter } from 'node:events';
import { MESSAGE_LIMITS, type ChatMessage } from '../../preload/contract.js';
import { MessageService } from '../../main/core/messages/message-service.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore } from '../../main/core/store/message-store.js';
import type { XmppSession } from '../../main/core/xmpp/session.js';

test('issue 10 #2: a chat state goes only online, only when turned on, only to a contact sharing presence, never to a blocked one', () => {
  const allowed = { online: true, sendChatStates: true, sharesPresence: true, blocked: false };
  assert.equal(maySendChatState(allowed), true);
  assert.equal(maySendChatState({ ...allowed, online: false }), false);
  assert.equal(maySendChatState({ ...allowed, sendChatStates: false }), false, 'the user turned it off');
  assert.equal(maySendChatState({ ...allowed, sharesPresence: false }), false, 'a stranger learns nothing');
  assert.equal(maySendChatState({ ...allowed, blocked: true }), false);
});

test('issue 10 #2: a chat state counts once per change (typing a sentence sends one composing)', () => {
  const memory = new ChatStateMemory();
  assert.equal(memory.change('romeo@example.net', 'active'), false, 'active is where everyone starts');
  assert.equal(memory.change('romeo@example.net', 'composing'), true);
  assert.equal(memory.change('romeo@example.net', 'composing'), false);
  assert.equal(memory.change('romeo@example.net', 'paused'), true);
  assert.equal(memory.change('romeo@example.net', 'active'), true);
  assert.equal(memory.get('romeo@example.net'), 'active');
  memory.change('romeo@example.net', 'composing');
  memory.clear();
  assert.equal(memory.change('romeo@example.net', 'composing'), true, 'a new stream starts afresh');
  for (let i = 0; i < 5_000; i += 1) memory.change(`c${i}@example.net`, 'composing');
  assert.equal(memory.get('c0@example.net'), 'active', 'bounded: the oldest contacts are forgotten');
  assert.equal(memory.get('c4999@example.net'), 'composing');
});

test('issue 10 #2: message settings default to on/full, are stored, and refuse anything malformed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-msg-settings-'));
  const { db } = openDatabase(join(dir, 'balcony.sqlite3'));
  try {
    const settings = new AppSettingsStore(db);
    assert.deepEqual(readMessageSettings(settings), { sendChatStates: true, notifications: 'full' });
    assert.deepEqual(writeMessageSettings(settings, { sendChatStates: false, notifications: 'private' }), {
      sendChatStates: false,
      notifications: 'private',
    });
    assert.deepEqual(readMessageSettings(settings), { sendChatStates: false, notifications: 'private' });
    for (const bad of [
      null,
      {},
      { sendChatStates: 'yes', notifications: 'full' },
      { sendChatStates: true, notifications: 'loud' },
    ]) {
      assert.throws(() => writeMessageSettings(settings, bad), { code: 'invalid-argument' });
    }
    assert.deepEqual(
      readMessageSettings(settings),
      { sendChatStates: false, notifications: 'private' },
      'a refusal changed nothing',
    );
    settings.set('messages.settings', { sendChatStates: 3, notifications: 'off' });
    assert.deepEqual(
      readMessageSettings(settings),
      { sendChatStates: true, notifications: 'off' },
      'a damaged field reads as its default',
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** An offline session: what MessageService reads of it, and nothing goes out. */
class OfflineSession extends EventEmitter {
  account = 'juliet@example.com';
  state = { status: 'offline' as const };
  streamManagement = false;
  onStanza(): void {
    // nothing arrives offline
  }
  send(): Promise<void> {
    return Promise.reject(new Error('offline: nothing may be sent'));
  }
}

test('issue 10 #2: send refuses an empty or too long body and a bad address; offline it is queued at once and whenSent says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-msg-send-'));
  const { db } = openDatabase(join(dir, 'balcony.sqlite3'));
  try {
    const store = new MessageStore(db, 'juliet@example.com');
    const service = new MessageService({
      session: new OfflineSession() as unknown as XmppSession,
      store,
      settings: new AppSettingsStore(db),
      sharesPresence: () => true,
      isBlocked: () => false,
    });
    const events: ChatMessage[] = [];
    service.on('message', (m) => events.push(m));
    assert.throws(() => service.send('romeo@example.net', '   \n'), { code: 'message-empty' });
    assert.throws(() => service.send('romeo@example.net', 'x'.repeat(MESSAGE_LIMITS.bodyChars + 1)), {
      code: 'message-too-long',
    });
    assert.throws(() => service.send('not an address@@', 'hi'), { code: 'invalid-jid' });
    assert.deepEqual(store.outboxEntries(), [], 'nothing refused was stored');

    const longest = service.send('Romeo@Example.NET/orchard', 'y'.repeat(MESSAGE_LIMITS.bodyChars));
    assert.equal(longest.state, 'queued');
    assert.equal(longest.conversation, 'romeo@example.net', 'the bare, normalised address');
    assert.deepEqual(
      events.map((m) => [m.id, m.state]),
      [[longest.id, 'queued']],
    );
    assert.equal(await service.whenSent(longest.id, 20), 'queued');
    assert.throws(() => service.retry(longest.id), { code: 'invalid-argument' }, 'only a failed message is retried');
    assert.throws(() => service.whenSent('no-such-id', 10), { code: 'invalid-argument' });
    await service.setChatState('romeo@example.net', 'composing'); // offline: nothing, no error
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
