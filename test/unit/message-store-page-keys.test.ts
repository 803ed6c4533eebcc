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
  const dir = mkdtempSync(join(tmpdir(), 'balcony-message-page-keys-'));
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

/**
 * Issue 10 speed, step 2: a page reads which of its dedupe keys are held in one query, and skips the per-message
 * lookups whose key nobody holds. Copies that only a later rule catches (a resend archived under a second id with
 * the same origin-id and text; the same (sender, id) within the window, no origin-id; live copies stored before the
 * page) must merge exactly as one by one, inside one page and across pages.
 */
test('issue 10 speed: a page dedupes copies by origin-id and by (sender, id) exactly as storing them one by one', () => {
  for (const seed of [3, 11, 29]) {
    const random = seededRandom(seed);
    const paged = openStore();
    const single = openStore();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const sent: StorableMessage[] = [];
    let t = T0;
    let next = 0;
    for (let page = 0; page < 10; page++) {
      const now = t + 1;
      const items: StorableMessage[] = [];
      for (let i = 0; i < 40; i++) {
        const r = random();
        if (r < 0.3 && sent.length > 0) {
          const of = pick(sent);
          const kind = random();
          // A second archive id for the same message: by origin-id (same text, or another text), or by (sender, id).
          const copy: StorableMessage =
            kind < 0.4
              ? { ...of, archiveId: `A-${next++}` }
              : kind < 0.6
                ? { ...of, archiveId: `A-${next++}`, body: `${of.body} (edited)` }
                : {
                    ...of,
                    originId: null,
                    archiveId: `A-${next++}`,
                    archiveTime: (of.archiveTime ?? t) + Math.floor((random() - 0.5) * 1_400_000),
                  };
          items.push(copy);
          continue;
        }
        t += r < 0.4 ? 0 : Math.floor(random() * 90_000);
        const peer = pick(PEERS);
        const ours = random() < 0.4;
        const n = next++;
        const m = archived({
          from: ours ? ME : peer,
          to: ours ? peer : ME,
          body: `${pick(WORDS)} #${n}`,
          id: random() < 0.8 ? `m-${n % 50}` : null, // ids come back (a client's counter): the window decides
          originId: random() < 0.5 ? `o-${n}` : null,
          archiveId: `A-${n}`,
          archiveTime: t,
          delay: null,
          markable: false,
        });
        items.push(m);
        sent.push(m);
        if (random() < 0.1) {
          // Its live copy came first (no archive id, the stanza-id of our account).
          const live: StorableMessage = { ...m, source: 'live', archiveId: null, stanzaId: null, delay: t };
          paged.store.storeIncoming(live, now);
          single.store.storeIncoming(live, now);
        }
      }
      paged.store.storeArchivePage(items, { cursor: { id: `A-${next - 1}`, time: t } }, now);
      for (const m of items) single.store.storeIncoming(m, now);
    }
    assert.deepEqual(observed(paged.db, paged.store), observed(single.db, single.store), `seed ${seed}`);
  }
});

test('issue 10 speed: ids with a lone surrogate or U+0000 (hostile character references) still dedupe in a page', () => {
  const { db, store } = openStore();
  const odd = ['m-\ud800', 'm-\u0000x', 'm-\udfff-\ud83d'];
  const copies = odd.map((id, i) =>
    archived({ from: PEERS[0]!, to: ME, body: `odd ${i}`, id, originId: id, archiveId: `X-${i}`, archiveTime: T0 + i }),
  );
  store.storeArchivePage(copies, {}, T0 + 10);
  // The same messages again under new archive ids: by origin-id with the same text.
  store.storeArchivePage(
    copies.map((m, i) => ({ ...m, archiveId: `Y-${i}` })),
    {},
    T0 + 20,
  );
  assert.equal((db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n, odd.length);
});
