import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore, type StorableMessage } from '../../main/core/store/message-store.js';
import { seededRandom } from '../support/seeded-random.js';

const ME = 'juliet@capulet.lit';
const PEERS = ['romeo@montague.lit', 'nurse@capulet.lit', 'tybalt@capulet.lit'];
const T0 = Date.UTC(2026, 11, 1, 9);
const WORDS = ['café', 'tickets', 'train', 'Thursday', 'émoji 😂', 'مرحبا', 'balcony', 'orchard'];

function openStore(): { db: Database.Database; store: MessageStore } {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-message-page-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  const { db } = openDatabase(join(dir, 'profile.db'));
  test.after(() => db.close());
  return { db, store: new MessageStore(db, ME) };
}

function archived(over: Partial<StorableMessage> & Pick<StorableMessage, 'body' | 'from' | 'to'>): StorableMessage {
  return {
    type: 'chat',
    id: null,
    fromResource: 'r',
    toResource: 'r',
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

/** Everything a reader of the store sees, local ids replaced by bodies (they are random UUIDs). */
function observed(db: Database.Database, store: MessageStore): unknown {
  const name = new Map<string, string>();
  const rows = db
    .prepare('SELECT id, seq, kind, conversation, direction, body, time, state, stanza_id FROM messages ORDER BY seq')
    .all() as { id: string; body: string }[];
  for (const r of rows) name.set(r.id, r.body);
  assert.doesNotThrow(() => db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run());
  return {
    rows: rows.map((r) => ({ ...r, id: undefined })),
    conversations: store.conversations().map((c) => ({ ...c, last: c.last && { ...c.last, id: name.get(c.last.id) } })),
    history: PEERS.map((jid) => store.history(jid, { limit: 500 }).entries.map((e) => [e.kind, e.time, e.seq])),
    search: WORDS.map((w) => store.search({ query: w, limit: 500 }).map((h) => [h.message.seq, h.snippet])),
    outbox: store.outboxEntries().map((m) => m.seq),
  };
}

test('issue 10 speed: an archive page stored at once leaves the store exactly as its messages stored one by one', () => {
  for (const seed of [1, 7, 42]) {
    const random = seededRandom(seed);
    const paged = openStore();
    const single = openStore();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const sent: StorableMessage[] = [];
    let t = T0;
    for (let page = 0; page < 12; page++) {
      // Between pages: the user reads, or sends from this device (both stores alike).
      const now = t + 1;
      const reader = pick(PEERS);
      for (const target of [paged, single]) {
        if (page % 3 === 1) {
          const jid = reader;
          const newest = target.store.history(jid, { limit: 1 }).entries.at(-1);
          if (newest) target.store.markRead(jid, newest.id);
        }
      }
      if (page % 4 === 2) {
        const to = PEERS[page % PEERS.length]!;
        paged.store.queueOutgoing({ to, body: `queued ${page}`, ownBare: ME, now });
        single.store.queueOutgoing({ to, body: `queued ${page}`, ownBare: ME, now });
      }
      const items: StorableMessage[] = [];
      for (let i = 0; i < 40; i++) {
        const r = random();
        if (r < 0.1 && sent.length > 0) {
          items.push(pick(sent)); // a copy of what a page held before (or this one): deduped
          continue;
        }
        // Mostly forward in time, some older than what is held (paging back), some on the same stamp.
        t += r < 0.2 ? -Math.floor(random() * 600_000) : r < 0.3 ? 0 : Math.floor(random() * 90_000);
        const peer = pick(PEERS);
        const ours = random() < 0.4;
        const n = sent.length;
        const m = archived({
          from: ours ? ME : peer,
          to: ours ? peer : ME,
          body: `${pick(WORDS)} ${pick(WORDS)} #${n}`,
          id: `m-${n}`,
          originId: random() < 0.7 ? `o-${n}` : null,
          archiveId: `A-${n}`,
          archiveTime: random() < 0.9 ? t : null,
          delay: random() < 0.5 ? t : null,
          markable: random() < 0.5,
        });
        items.push(m);
        sent.push(m);
      }
      const gapIn = page % 5 === 3 ? [pick(PEERS)] : [];
      const batch = paged.store.storeArchivePage(
        items,
        { cursor: { id: `A-${sent.length - 1}`, time: t }, gapIn },
        now,
      );
      for (const jid of gapIn) single.store.insertGap(jid, { time: batch.gaps[0]!.gap.time }, now);
      for (const m of items) single.store.storeIncoming(m, now);
      assert.equal(batch.results.length, items.length);
      assert.deepEqual(
        batch.conversations.map((c) => c.unread),
        batch.conversations.map((c) => single.store.summary(c.jid)?.unread),
        `seed ${seed} page ${page}: the page's summaries are the store's after it`,
      );
    }
    assert.deepEqual(observed(paged.db, paged.store), observed(single.db, single.store), `seed ${seed}`);
  }
});
