/**
 * The small rules beside MessageService: when a chat state may be sent and
 * when it is worth sending or showing, which displayed marker reading a
 * conversation sends, and the stored message settings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatStateMemory, maySendChatState } from '../../main/core/messages/chat-states.js';
import { MarkableMemory } from '../../main/core/messages/markable-memory.js';
import { readMessageSettings, writeMessageSettings } from '../../main/core/messages/message-settings.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { openDatabase } from '../../main/core/store/database.js';

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

test('issue 10 #2: reading up to a message sends one marker, for the newest markable message at or before it', () => {
  const memory = new MarkableMemory();
  const romeo = 'romeo@example.net';
  memory.add(romeo, 'a', { to: `${romeo}/phone`, stanzaId: 'sa', time: 10, seq: 1 });
  memory.add(romeo, 'b', { to: `${romeo}/phone`, stanzaId: 'sb', time: 20, seq: 2 });
  memory.add(romeo, 'c', { to: `${romeo}/phone`, stanzaId: 'sc', time: 30, seq: 5 });
  assert.equal(
    memory.take(romeo, { time: 25, seq: 4 })?.stanzaId,
    'sb',
    'our own later message read: the newest of theirs before it',
  );
  assert.equal(memory.take(romeo, { time: 25, seq: 4 }), undefined, 'covered ones are forgotten');
  assert.equal(memory.take('tybalt@example.net', { time: 99, seq: 99 }), undefined);
  assert.equal(memory.take(romeo, { time: 30, seq: 5 })?.stanzaId, 'sc');
  for (let i = 0; i < 6_000; i += 1) memory.add(romeo, `m${i}`, { to: romeo, stanzaId: `s${i}`, time: i, seq: i });
  assert.equal(memory.take(romeo, { time: 500, seq: 500 }), undefined, 'bounded: the oldest are forgotten');
  assert.equal(memory.take(romeo, { time: 1_000_000, seq: 0 })?.stanzaId, 's5999');
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
