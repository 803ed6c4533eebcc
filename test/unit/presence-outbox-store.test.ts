/** PresenceOutboxStore on a real SQLite file: order, the roster edit each step follows, sent marks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { OutboxStore } from '../../main/core/store/outbox-store.js';
import { PresenceOutboxStore } from '../../main/core/store/presence-outbox-store.js';

const ME = 'juliet@example.com';

test('issue 11 #16: presence outbox keeps steps in order, with the newest roster edit made before each, across a reopen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-presence-outbox-'));
  try {
    const file = join(dir, 'profile.db');
    let db = openDatabase(file).db;
    const edits = new OutboxStore(db);
    const steps = new PresenceOutboxStore(db);
    const [first] = steps.enqueue(ME, [{ type: 'subscribed', jid: 'romeo@example.net' }], 10);
    assert.equal(first!.afterEdit, 0, 'no roster edit before it');
    const add = edits.enqueue({
      account: ME,
      op: 'add',
      jid: 'romeo@example.net',
      base: { exists: false, name: null, groups: [] },
    });
    const two = steps.enqueue(
      ME,
      [
        { type: 'subscribed', jid: 'nurse@example.com' },
        { type: 'subscribe', jid: 'nurse@example.com' },
      ],
      11,
    );
    assert.deepEqual(
      two.map((s) => s.afterEdit),
      [add.id, add.id],
    );
    edits.delete(add.id); // confirmed: later edits still get higher ids
    const later = edits.enqueue({
      account: ME,
      op: 'remove',
      jid: 'nurse@example.com',
      base: { exists: true, name: null, groups: [] },
    });
    assert.ok(later.id > two[0]!.afterEdit, 'an edit made after the step compares as later');
    steps.markSent([first!.id], 20);
    steps.markSent([first!.id], 30);
    steps.enqueue('other@example.com', [{ type: 'unsubscribed', jid: 'x@example.com' }]);
    db.close();

    db = openDatabase(file).db;
    const reopened = new PresenceOutboxStore(db);
    assert.deepEqual(
      reopened.list(ME).map((s) => [s.type, s.jid, s.sentAt]),
      [
        ['subscribed', 'romeo@example.net', 20],
        ['subscribed', 'nurse@example.com', null],
        ['subscribe', 'nurse@example.com', null],
      ],
    );
    reopened.delete(
      reopened
        .list(ME)
        .slice(0, 2)
        .map((s) => s.id),
    );
    assert.deepEqual(
      reopened.list(ME).map((s) => s.type),
      ['subscribe'],
    );
    reopened.clear(ME);
    assert.deepEqual(reopened.list(ME), []);
    assert.equal(reopened.list('other@example.com').length, 1, 'per account');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
