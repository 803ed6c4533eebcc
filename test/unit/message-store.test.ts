import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore, PAGE_QUERIES, type StorableMessage } from '../../main/core/store/message-store.js';
import { toErrorInfo } from '../../main/core/errors.js';
import { seededRandom } from '../support/seeded-random.js';

const ME = 'juliet@capulet.lit';
const ROMEO = 'romeo@montague.lit';
const NURSE = 'nurse@capulet.lit';
const T0 = Date.UTC(2026, 11, 1, 9);
const MINUTE = 60_000;

function openStore(): { db: Database.Database; store: MessageStore; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-messages-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'profile.db');
  const { db } = openDatabase(file);
  test.after(() => db.close());
  return { db, store: new MessageStore(db, ME), file };
}

/** A parsed message from `from` to `to` (bare JIDs), as parseChatMessage gives it, plus where it came from. */
function copy(
  over: Partial<StorableMessage> & Pick<StorableMessage, 'body'>,
  source: StorableMessage['source'] = 'live',
): StorableMessage {
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
    source,
    ...over,
  };
}

const bodies = (store: MessageStore, jid = ROMEO) =>
  store.history(jid, { limit: 500 }).entries.map((e) => (e.kind === 'gap' ? '<gap>' : e.body));

describe('issue 10 #2: dedupe', () => {
  test('issue 10 #2: a live copy and the archive copy of one message are stored once (stanza-id)', () => {
    const { store } = openStore();
    const live = store.storeIncoming(copy({ body: 'Hello', id: 'm1', stanzaId: 'A-1' }), T0);
    assert.equal(live.isNew, true);
    const archived = store.storeIncoming(
      copy({ body: 'Hello', id: 'other-id', archiveId: 'A-1', archiveTime: T0 - 500 }, 'archive'),
      T0 + MINUTE,
    );
    assert.deepEqual([archived.isNew, archived.changed], [false, true]);
    assert.equal(archived.message.id, live.message.id);
    assert.equal(archived.message.time, T0 - 500, "the archive's time replaces the arrival time");
    assert.deepEqual(bodies(store), ['Hello']);
    assert.equal(store.summary(ROMEO)?.unread, 1, 'counted once');
    const again = store.storeIncoming(copy({ body: 'Hello', stanzaId: 'A-1' }, 'carbon'), T0 + 2 * MINUTE);
    assert.deepEqual([again.isNew, again.changed], [false, false], 'a third copy changes nothing');
    assert.equal(store.messageByArchiveId('A-1')?.id, live.message.id);
  });

  test('issue 10 #2: the archive copy arriving first keeps its time when the live copy follows', () => {
    const { store } = openStore();
    store.storeIncoming(copy({ body: 'Early', archiveId: 'A-1', archiveTime: T0, originId: 'o1' }, 'archive'), T0);
    const live = store.storeIncoming(copy({ body: 'Early', originId: 'o1' }), T0 + 5000);
    assert.deepEqual([live.isNew, live.changed, live.message.time], [false, false, T0]);
  });

  test('issue 10 #2: without a server id, origin-id from the same sender is the same message; from another it is not', () => {
    const { store } = openStore();
    store.storeIncoming(copy({ body: 'One', originId: 'o1' }), T0);
    assert.equal(store.storeIncoming(copy({ body: 'One', originId: 'o1' }, 'carbon'), T0 + 1).isNew, false);
    assert.equal(
      store.storeIncoming(copy({ body: 'Spoof', originId: 'o1', from: NURSE }), T0 + 2).isNew,
      true,
      'another sender (another conversation) cannot claim it',
    );
    assert.equal(
      store.storeIncoming(copy({ body: 'Two', originId: 'o1', stanzaId: 'A-9' }), T0 + 3).isNew,
      false,
      'a row without a server id takes the first server id offered',
    );
    assert.equal(
      store.storeIncoming(copy({ body: 'Three', originId: 'o1', stanzaId: 'A-10' }), T0 + 4).isNew,
      true,
      'two different server ids are two messages, whatever their origin-id',
    );
  });

  test('issue 10 #2: a resend after a cut (same origin-id and text, archived twice under two server ids) is one message', () => {
    const { store } = openStore();
    store.storeIncoming(copy({ body: 'Are you there?', id: 'r1', originId: 'o-1', stanzaId: 'A-1' }), T0);
    const resent = store.storeIncoming(
      copy({ body: 'Are you there?', id: 'r1', originId: 'o-1', stanzaId: 'A-2' }),
      T0 + 20 * MINUTE,
    );
    assert.equal(resent.isNew, false, 'the second copy is the same message');
    const reused = store.storeIncoming(
      copy({ body: 'Something else', id: 'r9', originId: 'o-1', stanzaId: 'A-3' }),
      T0 + 30 * MINUTE,
    );
    assert.equal(reused.isNew, true, 'a reused origin-id with other text under another server id is another message');
    assert.deepEqual(bodies(store), ['Are you there?', 'Something else']);
  });

  test('issue 10 #2: the (sender, id) rule holds within ten minutes only', () => {
    const { store } = openStore();
    store.storeIncoming(copy({ body: 'Ping', id: '1' }), T0);
    assert.equal(store.storeIncoming(copy({ body: 'Ping', id: '1' }), T0 + 9 * MINUTE).isNew, false);
    assert.equal(
      store.storeIncoming(copy({ body: 'Ping again', id: '1' }), T0 + 11 * MINUTE).isNew,
      true,
      'a client that reuses ids: a later message is another',
    );
    assert.equal(
      store.storeIncoming(copy({ body: 'Ping', id: '1', archiveId: 'A-1', archiveTime: T0 + 30_000 }, 'archive'), T0)
        .isNew,
      false,
      "the archive's copy of the first, by its time",
    );
    assert.deepEqual(bodies(store), ['Ping', 'Ping again']);
  });

  test("issue 10 #2: our own message coming back from the archive takes the server's time and id, not a second row", () => {
    const { store } = openStore();
    const ours = store.queueOutgoing({ to: ROMEO, body: 'Wherefore art thou', ownBare: ME, now: T0 });
    assert.deepEqual(
      [ours.state, ours.direction, ours.from, ours.to, ours.conversation],
      ['queued', 'out', ME, ROMEO, ROMEO],
    );
    store.markSending(ours.id);
    const back = store.storeIncoming(
      copy(
        {
          body: 'Wherefore art thou',
          from: ME,
          fromResource: 'balcony',
          to: ROMEO,
          toResource: null,
          id: ours.id,
          originId: ours.id,
          archiveId: 'A-77',
          archiveTime: T0 - 2000,
        },
        'archive',
      ),
      T0 + MINUTE,
    );
    assert.deepEqual([back.isNew, back.changed], [false, true]);
    assert.equal(back.message.id, ours.id);
    assert.equal(back.message.time, T0 - 2000);
    assert.equal(back.message.state, 'sent', 'the archive holds it: it was sent, though no ack came');
    assert.equal(back.message.fromOtherDevice, false);
    assert.deepEqual(store.outboxEntries(), [], 'not sent again');
    assert.equal(store.messageByArchiveId('A-77')?.id, ours.id);
    assert.equal(store.history(ROMEO, { limit: 10 }).entries.length, 1);
  });

  test('issue 10 #2: a message our other device sent (sent carbon, then archive) is one outgoing row', () => {
    const { store } = openStore();
    const carbon = store.storeIncoming(
      copy({ body: 'From my phone', from: ME, fromResource: 'phone', to: ROMEO, id: 'p1', originId: 'p1' }, 'carbon'),
      T0,
    );
    assert.deepEqual(
      [carbon.isNew, carbon.message.direction, carbon.message.state, carbon.message.fromOtherDevice],
      [true, 'out', 'sent', true],
    );
    const archived = store.storeIncoming(
      copy(
        {
          body: 'From my phone',
          from: ME,
          to: ROMEO,
          id: 'p1',
          originId: 'p1',
          archiveId: 'A-5',
          archiveTime: T0 - 10,
        },
        'archive',
      ),
      T0 + 1,
    );
    assert.equal(archived.isNew, false);
    assert.equal(store.summary(ROMEO)?.last?.direction, 'out');
  });

  test('issue 10 #2: seeded random: shuffled live, carbon and archive copies give each message once, in server order', () => {
    for (const seed of [1, 2, 3, 10_2, 4242]) {
      const random = seededRandom(seed);
      const { store } = openStore();
      const n = 300;
      const peers = [ROMEO, NURSE];
      interface Original {
        body: string;
        peer: string;
        kind: 'theirs' | 'other-device' | 'this-device';
        time: number;
        archiveId: string;
        id: string;
        originId: string | null;
      }
      const originals: Original[] = [];
      let t = T0;
      for (let i = 0; i < n; i++) {
        t += 1 + Math.floor(random() * 90_000); // up to 90 s apart, so three arrive within one dedupe window
        const kind = random() < 0.6 ? 'theirs' : random() < 0.5 ? 'other-device' : 'this-device';
        originals.push({
          body: `message ${i} (seed ${seed})`,
          peer: peers[Math.floor(random() * peers.length)] ?? ROMEO,
          kind,
          time: t,
          archiveId: `A-${i}`,
          id: `id-${i}`,
          originId: random() < 0.7 ? `o-${i}` : null,
        });
      }
      // Our own messages from this device are queued before the server can hold any copy of them.
      const queued = new Map<number, string>();
      for (const [i, o] of originals.entries()) {
        if (o.kind !== 'this-device') continue;
        const m = store.queueOutgoing({ to: o.peer, body: o.body, ownBare: ME, now: o.time });
        queued.set(i, m.id);
      }
      const copies: { m: StorableMessage; now: number }[] = [];
      for (const [i, o] of originals.entries()) {
        const ours = o.kind !== 'theirs';
        const id = queued.get(i) ?? o.id;
        const base = {
          body: o.body,
          from: ours ? ME : o.peer,
          fromResource: ours ? 'phone' : 'r',
          to: ours ? o.peer : ME,
          toResource: null,
          id,
          originId: o.kind === 'this-device' ? id : o.originId,
        };
        copies.push({
          m: copy({ ...base, archiveId: o.archiveId, archiveTime: o.time }, 'archive'),
          now: o.time + 1000,
        });
        const arrival = o.time + Math.floor(random() * 3000);
        // The live copy: theirs to us, or the carbon of what our other device sent; sometimes with the server's stanza-id.
        const stanzaId = random() < 0.5 ? o.archiveId : null;
        // Some live copies carry only the origin-id (no id attribute): rule 2 alone must find them.
        const liveId = o.originId !== null && random() < 0.5 ? null : base.id;
        if (o.kind === 'theirs') {
          copies.push({
            m: copy({ ...base, id: liveId, stanzaId, delay: random() < 0.2 ? o.time : null }, 'live'),
            now: arrival,
          });
          if (random() < 0.3)
            copies.push({ m: copy({ ...base, id: liveId, stanzaId: null }, 'carbon'), now: arrival + 5 });
        } else if (o.kind === 'other-device') {
          copies.push({ m: copy({ ...base, id: liveId, stanzaId }, 'carbon'), now: arrival });
        }
      }
      // Shuffle (Fisher-Yates), then store one by one or as archive pages.
      for (let i = copies.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copies[i], copies[j]] = [copies[j]!, copies[i]!];
      }
      for (let i = 0; i < copies.length;) {
        const c = copies[i]!;
        if (c.m.source === 'archive' && random() < 0.5) {
          const page = copies.slice(i, i + 5).filter((x) => x.m.source === 'archive');
          store.storeArchivePage(
            page.map((x) => x.m),
            {},
            c.now,
          );
          i += page.length === 0 ? 1 : 0;
          for (const p of page) copies.splice(copies.indexOf(p), 1);
          continue;
        }
        store.storeIncoming(c.m, c.now);
        i++;
      }
      for (const peer of peers) {
        const expected = originals.filter((o) => o.peer === peer).map((o) => o.body);
        assert.deepEqual(bodies(store, peer), expected, `seed ${seed}, ${peer}: each once, in the server's order`);
        const stored = store.history(peer, { limit: 500 }).entries;
        for (const e of stored) {
          const o = originals.find((x) => x.body === (e.kind === 'message' ? e.body : ''));
          assert.ok(o && e.kind === 'message');
          assert.equal(e.time, o.time, `seed ${seed}: ${o.body} has the server's time`);
          assert.equal(store.messageByArchiveId(o.archiveId)?.id, e.id, `seed ${seed}: ${o.body} holds its archive id`);
          if (o.kind === 'this-device') assert.equal(e.id, queued.get(originals.indexOf(o)));
          assert.equal(e.direction, o.kind === 'theirs' ? 'in' : 'out');
        }
        const theirs = originals.filter((o) => o.peer === peer && o.kind === 'theirs');
        const lastOurs = originals.filter((o) => o.peer === peer && o.kind !== 'theirs').at(-1);
        const unread = theirs.filter((o) => lastOurs === undefined || o.time > lastOurs.time).length;
        assert.equal(store.summary(peer)?.unread, unread, `seed ${seed}, ${peer}: unread = theirs after our last`);
      }
      assert.deepEqual(store.outboxEntries(), [], `seed ${seed}: every message of ours came back, none left to send`);
    }
  });
});

describe('issue 10 #2: time', () => {
  test("issue 10 #2: a delay stamp gives the time; one in the future is the sender's clock and is not believed", () => {
    const { store } = openStore();
    const offline = store.storeIncoming(copy({ body: 'While offline', delay: T0 - 3_600_000 }), T0);
    assert.equal(offline.message.time, T0 - 3_600_000);
    const future = store.storeIncoming(copy({ body: 'From the future', delay: T0 + 3_600_000 }), T0 + 1);
    assert.equal(future.message.time, T0 + 1);
  });

  test('issue 10 #2: a live delay stamp of the second of the newest entry (whole seconds) is shown after it, as it arrived', () => {
    const { store } = openStore();
    const T = Math.floor(T0 / 1000) * 1000;
    store.storeIncoming(copy({ body: 'Live at .569' }), T + 569);
    const delayed = store.storeIncoming(copy({ body: 'Delayed, stamped .000', delay: T }), T + 700);
    assert.equal(delayed.message.time, T + 569, 'the stamp cannot say it came first: the stream order wins');
    const older = store.storeIncoming(copy({ body: 'Delayed a second earlier', delay: T - 1000 }), T + 800);
    assert.equal(older.message.time, T - 1000, 'a stamp a second or more earlier is kept');
    assert.deepEqual(bodies(store), ['Delayed a second earlier', 'Live at .569', 'Delayed, stamped .000']);
  });

  test('issue 10 #2: live messages without a time never go backwards in their conversation', () => {
    const { store } = openStore();
    // The server's clock is ahead of ours: its archive time is later than our "now".
    store.storeIncoming(copy({ body: 'Archived', archiveId: 'A-1', archiveTime: T0 + MINUTE }, 'archive'), T0);
    const live = store.storeIncoming(copy({ body: 'Live' }), T0 + 1000);
    assert.equal(live.message.time, T0 + MINUTE, 'not before the newest entry');
    const ours = store.queueOutgoing({ to: ROMEO, body: 'Reply', ownBare: ME, now: T0 + 2000 });
    assert.equal(ours.time, T0 + MINUTE);
    assert.deepEqual(bodies(store), ['Archived', 'Live', 'Reply'], '(time, seq): arrival order among equal times');
    const other = store.storeIncoming(copy({ body: 'Elsewhere', from: NURSE }), T0 + 3000);
    assert.equal(other.message.time, T0 + 3000, 'each conversation keeps its own clock');
  });
});

describe('issue 10 #2: the outbox and our states', () => {
  test('issue 10 #2: queued, sending, sent; failed and retried with the same id, at the end of the outbox', () => {
    const { store } = openStore();
    const a = store.queueOutgoing({ to: ROMEO, body: 'a', ownBare: ME, now: T0 });
    const b = store.queueOutgoing({ to: NURSE, body: 'b', ownBare: ME, now: T0 + 1 });
    const c = store.queueOutgoing({ to: ROMEO, body: 'c', ownBare: ME, now: T0 + 2 });
    assert.deepEqual(
      store.outboxEntries().map((m) => m.body),
      ['a', 'b', 'c'],
    );
    assert.equal(store.markSending(a.id)?.state, 'sending');
    assert.equal(store.markSent(a.id)?.state, 'sent');
    assert.equal(store.markSending(a.id), null, 'sent is never downgraded to sending');
    const failed = store.markFailed(b.id, { code: 'service-unavailable', message: 'No such user.' });
    assert.deepEqual(
      [failed?.state, failed?.error],
      ['failed', { code: 'service-unavailable', message: 'No such user.' }],
    );
    assert.deepEqual(
      store.outboxEntries().map((m) => m.body),
      ['c'],
    );
    const retried = store.retry(b.id);
    assert.deepEqual([retried.id, retried.state, retried.error], [b.id, 'queued', null]);
    assert.deepEqual(
      store.outboxEntries().map((m) => m.body),
      ['c', 'b'],
    );
    assert.equal(store.retry(c.id).state, 'queued', 'retrying what is still queued leaves it');
    assert.throws(() => store.retry(a.id), { code: 'invalid-argument' });
    assert.throws(() => store.retry('no-such-id'), { code: 'invalid-argument' });
    assert.equal(store.markSent('no-such-id'), null);
  });

  test('issue 10 #2: a bounced message stays failed when its ack or its archive copy comes after the bounce', () => {
    const { store } = openStore();
    const m = store.queueOutgoing({ to: ROMEO, body: 'to nobody', ownBare: ME, now: T0 });
    store.markSending(m.id);
    store.markFailed(m.id, { code: 'service-unavailable', message: 'No such user.' });
    assert.equal(store.markSent(m.id), null, 'the XEP-0198 ack that follows the bounce');
    const archived = store.storeIncoming(
      copy(
        { body: 'to nobody', from: ME, to: ROMEO, id: m.id, originId: m.id, archiveId: 'A-1', archiveTime: T0 },
        'archive',
      ),
      T0 + 1,
    );
    assert.equal(archived.isNew, false);
    assert.equal(archived.message.state, 'failed', 'the server archives what it then fails to deliver');
    assert.deepEqual(store.outboxEntries(), []);
    assert.throws(() => store.queueOutgoing({ to: ROMEO, body: 'x', ownBare: NURSE, now: T0 }), {
      code: 'invalid-argument',
    });
  });

  test('issue 10 #2: receipts and markers move our messages forward and never back', () => {
    const { store } = openStore();
    const first = store.queueOutgoing({ to: ROMEO, body: 'first', ownBare: ME, now: T0 });
    const second = store.queueOutgoing({ to: ROMEO, body: 'second', ownBare: ME, now: T0 + 1 });
    const third = store.queueOutgoing({ to: ROMEO, body: 'third', ownBare: ME, now: T0 + 2 });
    for (const m of [first, second, third]) store.markSent(m.id);
    assert.deepEqual(
      store.applyReceipt(ROMEO, second.id, 'delivered').map((m) => [m.body, m.state]),
      [['second', 'delivered']],
    );
    assert.deepEqual(store.applyReceipt(NURSE, first.id, 'delivered'), [], 'a receipt from someone else');
    assert.deepEqual(
      store
        .applyReceipt(ROMEO, second.id, 'read')
        .map((m) => [m.body, m.state])
        .sort(),
      [
        ['first', 'read'],
        ['second', 'read'],
      ],
      'a displayed marker covers the messages before it',
    );
    assert.deepEqual(store.applyReceipt(ROMEO, second.id, 'delivered'), [], 'read is never downgraded to delivered');
    assert.equal(store.message(second.id)?.state, 'read');
    assert.equal(store.message(third.id)?.state, 'sent');
    const theirs = store.storeIncoming(copy({ body: 'theirs', id: 'their-1' }), T0 + 3);
    assert.deepEqual(
      store.applyReceipt(ROMEO, 'their-1', 'read'),
      [],
      'a receipt for their own message changes nothing',
    );
    assert.equal(store.message(theirs.message.id)?.state, 'received');
    const queued = store.queueOutgoing({ to: ROMEO, body: 'sending', ownBare: ME, now: T0 + 4 });
    store.markSending(queued.id);
    assert.equal(store.applyReceipt(ROMEO, queued.id, 'delivered')[0]?.state, 'delivered', 'delivered before the ack');
    assert.deepEqual(store.outboxEntries(), [], 'and so never sent again');
  });
});

describe('issue 10 #3: unread counts and summaries', () => {
  test('issue 10 #3: their new messages count, markRead clears up to a message, ours count as read', () => {
    const { store } = openStore();
    const a = store.storeIncoming(copy({ body: 'one', markable: true, id: 'r1' }), T0).message;
    store.storeIncoming(copy({ body: 'two', markable: true, id: 'r2' }), T0 + 1);
    store.storeIncoming(copy({ body: 'nurse', from: NURSE }), T0 + 2);
    assert.deepEqual(
      store.conversations().map((c) => [c.jid, c.unread, c.last?.body]),
      [
        [NURSE, 1, 'nurse'],
        [ROMEO, 2, 'two'],
      ],
      'newest first',
    );
    assert.equal(store.markRead(ROMEO, a.id), true);
    assert.equal(store.summary(ROMEO)?.unread, 1);
    assert.deepEqual(store.markerTarget(ROMEO, a.id), { to: `${ROMEO}/orchard`, id: 'r1' });
    assert.equal(store.markRead(ROMEO, a.id), false, 'already there');
    const b = store.history(ROMEO, { limit: 10 }).entries.at(-1)!;
    assert.equal(store.markRead(ROMEO, b.id), true);
    assert.equal(store.markRead(ROMEO, a.id), false, 'the marker never goes back');
    assert.equal(store.summary(ROMEO)?.unread, 0);
    assert.equal(store.markRead(NURSE, b.id), false, 'an entry of another conversation');
    // The archive fills in something older than what was read: not unread.
    store.storeIncoming(copy({ body: 'old', archiveId: 'A-1', archiveTime: T0 - MINUTE }, 'archive'), T0 + 3);
    assert.equal(store.summary(ROMEO)?.unread, 0);
    store.storeIncoming(copy({ body: 'three' }), T0 + 4);
    assert.equal(store.summary(ROMEO)?.unread, 1);
    store.queueOutgoing({ to: ROMEO, body: 'reply', ownBare: ME, now: T0 + 5 });
    assert.equal(store.summary(ROMEO)?.unread, 0, 'answering is reading');
    assert.equal(store.summary('nobody@example.org'), null);
  });
});

describe('issue 10 #2: history pages', () => {
  test('issue 10 #2: the newest page first, then pages back by (time, seq), gaps in place', () => {
    const { store } = openStore();
    for (let i = 0; i < 1200; i++) {
      store.storeIncoming(
        copy({ body: `m${i}`, archiveId: `A-${i}`, archiveTime: T0 + Math.floor(i / 3) }, 'archive'),
        T0,
      );
    }
    const gap = store.insertGap(ROMEO, { time: T0 + 100 });
    const newest = store.history(ROMEO, { limit: 500 });
    assert.equal(newest.entries.length, 500);
    assert.equal(newest.reachedOldestStored, false);
    assert.equal(newest.entries.at(-1)?.kind === 'message' && newest.entries.at(-1)?.kind, 'message');
    const all = [...newest.entries];
    let before = newest.entries[0]?.id;
    for (;;) {
      const page = store.history(ROMEO, { before, limit: 500 });
      all.unshift(...page.entries);
      if (page.reachedOldestStored) break;
      before = page.entries[0]?.id;
    }
    assert.equal(all.length, 1201);
    const names = all.map((e) => (e.kind === 'gap' ? '<gap>' : e.body));
    assert.equal(names.indexOf('<gap>'), 303, 'after the three messages at its time that came before it');
    assert.deepEqual(
      names.filter((x) => x !== '<gap>'),
      Array.from({ length: 1200 }, (_, i) => `m${i}`),
    );
    const sorted = [...all].sort((x, y) => x.time - y.time || x.seq - y.seq);
    assert.deepEqual(all, sorted);
    assert.deepEqual(
      all.find((e) => e.kind === 'gap'),
      gap,
    );
    assert.equal(store.summary(ROMEO)?.last?.body, 'm1199', 'a gap is never the last line');
    assert.throws(() => store.history(ROMEO, { before: 'no-such-id', limit: 5 }), { code: 'invalid-argument' });
    assert.deepEqual(store.history(NURSE, { limit: 5 }), { entries: [], reachedOldestStored: true });
  });

  test('issue 10 #6: the newest page, paging back and unread counts read one range of the (conversation, time, seq) index', () => {
    const { db } = openStore();
    const parameters: Record<keyof typeof PAGE_QUERIES, unknown[]> = {
      newest: [ME, ROMEO, 50],
      older: [ME, ROMEO, T0, 7, 50],
      unreadAfter: [ME, ROMEO, T0, 7],
    };
    for (const [name, sql] of Object.entries(PAGE_QUERIES)) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...parameters[name as keyof typeof PAGE_QUERIES])
        .map((r) => (r as { detail: string }).detail)
        .join('; ');
      assert.match(
        plan,
        /USING (COVERING )?INDEX messages_by_time \(account=\? AND conversation=\?/,
        `${name}: ${plan}`,
      );
      assert.doesNotMatch(plan, /TEMP B-TREE|SCAN messages/, `${name}: no sort, no scan: ${plan}`);
    }
  });
});

describe('issue 10 #6: search', () => {
  test('issue 10 #6: search finds words in bodies and treats FTS syntax as text', () => {
    const { store } = openStore();
    const hello = store.storeIncoming(copy({ body: 'Hello world, AND more' }), T0).message;
    store.storeIncoming(copy({ body: 'Café crème "quoted" NEAR(x y) col:val ^start *star*' }), T0 + 1);
    const nurse = store.storeIncoming(copy({ body: 'hello from the nurse', from: NURSE }), T0 + 2).message;
    store.insertGap(ROMEO, { time: T0 + 3 });
    const find = (query: string, jid?: string) => store.search({ query, jid, limit: 10 }).map((h) => h.message.body);
    assert.deepEqual(find('hello'), ['hello from the nurse', 'Hello world, AND more'], 'newest first, any case');
    assert.deepEqual(find('hello', ROMEO), ['Hello world, AND more'], 'one conversation');
    assert.deepEqual(find('hel'), find('hello'), 'the last word as a prefix');
    assert.deepEqual(find('cafe creme'), ['Café crème "quoted" NEAR(x y) col:val ^start *star*'], 'without diacritics');
    for (const syntax of [
      '"',
      '""',
      'AND',
      'OR',
      'NOT',
      '*',
      '^',
      'NEAR(',
      'col:val',
      '(',
      ')',
      'hello OR',
      '"hello',
      'a"b',
      '-',
      '+',
      '{body}: x',
      'AND AND',
    ]) {
      assert.doesNotThrow(() => find(syntax), syntax);
    }
    assert.deepEqual(find('AND'), ['Hello world, AND more'], 'AND is a word');
    assert.deepEqual(find('quoted'), ['Café crème "quoted" NEAR(x y) col:val ^start *star*']);
    assert.deepEqual(find('"quoted"'), find('quoted'));
    assert.deepEqual(find('col:val'), ['Café crème "quoted" NEAR(x y) col:val ^start *star*'], 'not a column filter');
    assert.deepEqual(find('*'), ['Café crème "quoted" NEAR(x y) col:val ^start *star*'], 'a character, found as text');
    assert.deepEqual(find('   '), []);
    assert.deepEqual(find('hello OR nothing'), [], 'OR is a word to find, not an operator');
    const hit = store.search({ query: 'world', limit: 5 })[0];
    assert.equal(hit?.message.id, hello.id);
    assert.equal(hit.snippet, 'Hello \uE000world\uE001, AND more');
    assert.equal(store.search({ query: 'nurse', jid: NURSE, limit: 5 })[0]?.message.id, nurse.id);
    assert.equal(
      store.search({ query: 'x'.repeat(10_000), limit: 5 }).length,
      0,
      'an over-long query is cut, not an error',
    );
  });
});

describe('issue 10 #2: the archive cursor', () => {
  test('issue 10 #2: the archive cursor moves only with the page it covers (one transaction)', () => {
    const { store } = openStore();
    assert.equal(store.archiveCursor(), null);
    const page1 = [1, 2, 3].map((i) => copy({ body: `a${i}`, archiveId: `A-${i}`, archiveTime: T0 + i }, 'archive'));
    const batch = store.storeArchivePage(page1, { cursor: { id: 'A-3', time: T0 + 3 } }, T0 + 10);
    assert.equal(batch.added, 3);
    assert.deepEqual(batch.cursor, { id: 'A-3', time: T0 + 3 });
    assert.deepEqual(
      batch.conversations.map((c) => [c.jid, c.unread]),
      [[ROMEO, 3]],
    );
    // A live message during catch-up is stored, and the cursor stays where the archive pages reached.
    store.storeIncoming(copy({ body: 'live', stanzaId: 'A-9' }), T0 + 20);
    assert.deepEqual(store.archiveCursor(), { id: 'A-3', time: T0 + 3 });
    // A page that fails part way leaves neither its messages nor the cursor.
    const broken = [
      copy({ body: 'a4', archiveId: 'A-4', archiveTime: T0 + 4 }, 'archive'),
      copy({ body: 'a5', archiveId: 'A-5', archiveTime: T0 + 5 }, 'archive'),
      { ...copy({ body: 'bounce' }, 'archive'), type: 'error' as const },
    ];
    assert.throws(() => store.storeArchivePage(broken, { cursor: { id: 'A-5', time: T0 + 5 } }, T0 + 30));
    assert.deepEqual(store.archiveCursor(), { id: 'A-3', time: T0 + 3 });
    assert.equal(store.messageByArchiveId('A-4'), null);
    assert.deepEqual(bodies(store), ['a1', 'a2', 'a3', 'live']);
    // The same page again, whole: the live message's archive copy is the same row.
    const retried = store.storeArchivePage(
      [...broken.slice(0, 2), copy({ body: 'live', archiveId: 'A-9', archiveTime: T0 + 9 }, 'archive')],
      { cursor: { id: 'A-9', time: T0 + 9 } },
      T0 + 40,
    );
    assert.equal(retried.added, 2);
    assert.deepEqual(bodies(store), ['a1', 'a2', 'a3', 'a4', 'a5', 'live']);
    assert.deepEqual(store.archiveCursor(), { id: 'A-9', time: T0 + 9 });
    // Paging back stores older pages without moving the cursor; an older position is refused.
    store.storeArchivePage([copy({ body: 'a0', archiveId: 'A-0', archiveTime: T0 }, 'archive')], {
      cursor: { id: 'A-0', time: T0 },
    });
    assert.deepEqual(store.archiveCursor(), { id: 'A-9', time: T0 + 9 });
    assert.equal(store.oldestArchiveId(ROMEO), 'A-0');
    store.storeArchivePage([], { cursor: null });
    assert.equal(store.archiveCursor(), null, 'null clears it: catch-up starts over');
  });

  test('issue 10 #2: a page can place gaps, just before its oldest item in each conversation', () => {
    const { store } = openStore();
    store.storeIncoming(copy({ body: 'before', archiveId: 'A-1', archiveTime: T0 }, 'archive'), T0);
    const batch = store.storeArchivePage(
      [
        copy({ body: 'after', archiveId: 'A-50', archiveTime: T0 + 50 }, 'archive'),
        copy({ body: 'nurse', from: NURSE, archiveId: 'A-60', archiveTime: T0 + 60 }, 'archive'),
      ],
      { cursor: { id: 'A-60', time: T0 + 60 }, gapIn: [ROMEO, NURSE] },
      T0 + 100,
    );
    assert.deepEqual(
      batch.gaps.map((g) => [g.jid, g.gap.time]),
      [
        [ROMEO, T0 + 50],
        [NURSE, T0 + 60],
      ],
    );
    assert.deepEqual(bodies(store), ['before', '<gap>', 'after']);
    assert.deepEqual(bodies(store, NURSE), ['<gap>', 'nurse']);
  });

  test('issue 10 #2: paging back: the oldest archive id and whether the archive has nothing older', () => {
    const { store } = openStore();
    assert.equal(store.oldestArchiveId(ROMEO), null);
    assert.equal(store.archiveAtStart(ROMEO), false);
    store.queueOutgoing({ to: ROMEO, body: 'no archive id yet', ownBare: ME, now: T0 - 10 });
    store.storeIncoming(copy({ body: 'b', archiveId: 'A-2', archiveTime: T0 + 2 }, 'archive'), T0);
    store.storeIncoming(copy({ body: 'a', archiveId: 'A-1', archiveTime: T0 + 1 }, 'archive'), T0);
    assert.equal(store.oldestArchiveId(ROMEO), 'A-1', 'by time, not by arrival');
    store.setArchiveAtStart(ROMEO, true);
    assert.equal(store.archiveAtStart(ROMEO), true);
    assert.equal(store.archiveAtStart(NURSE), false);
    store.setArchiveAtStart(ROMEO, false);
    assert.equal(store.archiveAtStart(ROMEO), false);
  });
});

describe('issue 10 #6: storage', () => {
  test('issue 10 #6: rows are kept per account: another account on the profile sees none of them, forgetting one keeps the other', () => {
    const { db, store } = openStore();
    store.storeIncoming(copy({ body: 'for juliet', stanzaId: 'A-1' }), T0);
    store.queueOutgoing({ to: ROMEO, body: 'from juliet', ownBare: ME, now: T0 });
    store.storeArchivePage([], { cursor: { id: 'A-1', time: T0 } });
    const other = new MessageStore(db, 'tybalt@capulet.lit');
    assert.deepEqual(other.conversations(), []);
    assert.deepEqual(other.outboxEntries(), []);
    assert.equal(other.archiveCursor(), null);
    assert.deepEqual(other.search({ query: 'juliet', limit: 5 }), []);
    assert.equal(
      other.storeIncoming(copy({ body: 'for tybalt', to: 'tybalt@capulet.lit', stanzaId: 'A-1' }), T0).isNew,
      true,
      'archive ids are per account',
    );
    // Forgetting one account leaves the other's rows.
    store.forget();
    assert.deepEqual(store.conversations(), []);
    assert.deepEqual(store.outboxEntries(), []);
    assert.equal(store.archiveCursor(), null);
    assert.deepEqual(store.search({ query: 'juliet', limit: 5 }), [], 'and its words leave the index');
    assert.deepEqual(
      other.conversations().map((c) => c.last?.body),
      ['for tybalt'],
    );
  });

  test('issue 10 #6: a write that hits a full disk fails as disk-full, leaving nothing half written', () => {
    const { db, store } = openStore();
    store.storeIncoming(copy({ body: 'fits' }), T0);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let error: unknown;
    try {
      store.storeArchivePage(
        Array.from({ length: 200 }, (_, i) =>
          copy({ body: 'x'.repeat(2000) + String(i), archiveId: `A-${i}`, archiveTime: T0 + i }, 'archive'),
        ),
        { cursor: { id: 'A-199', time: T0 + 199 } },
      );
    } catch (e) {
      error = e;
    }
    assert.equal(toErrorInfo(error).code, 'disk-full');
    db.pragma('max_page_count = 1073741823');
    assert.equal(store.archiveCursor(), null);
    assert.deepEqual(bodies(store), ['fits']);
  });

  test('issue 10 #6: a damaged profile is rebuilt with its messages, outbox and search read back, the cursor dropped', () => {
    const { db, store, file } = openStore();
    store.storeIncoming(copy({ body: 'keep this thought', archiveId: 'A-1', archiveTime: T0 }, 'archive'), T0);
    const waiting = store.queueOutgoing({ to: ROMEO, body: 'still to send', ownBare: ME, now: T0 + 1 });
    store.storeArchivePage([], { cursor: { id: 'A-1', time: T0 } });
    db.close();
    const raw = new Database(file);
    raw.exec('DROP INDEX messages_by_origin_id');
    raw.close();
    const reopened = openDatabase(file);
    test.after(() => reopened.db.close());
    assert.ok(reopened.recovery, 'set aside and rebuilt');
    assert.equal(reopened.recovery.salvaged.messages, 2);
    const again = new MessageStore(reopened.db, ME);
    assert.deepEqual(bodies(again), ['keep this thought', 'still to send']);
    assert.deepEqual(
      again.outboxEntries().map((m) => m.id),
      [waiting.id],
    );
    assert.deepEqual(
      again.search({ query: 'thought', limit: 5 }).map((h) => h.message.body),
      ['keep this thought'],
      'the full-text index rebuilt from the rows read back, not copied',
    );
    // FTS5's own check: throws SQLITE_CORRUPT_VTAB when the index and the rows disagree.
    assert.doesNotThrow(() =>
      reopened.db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run(),
    );
    assert.equal(again.archiveCursor(), null, 'the cursor is not trusted over rows that may be lost');
    assert.equal(again.messageByArchiveId('A-1')?.body, 'keep this thought', 'so the archive copies dedupe');
  });
});
