/**
 * Issue 10's smaller archive gaps against the scripted server: a blocked
 * address's messages in the archive (catch-up and paging back) are not
 * stored, as live ones are not; our own displayed marker in the archive
 * (another device of ours read there) marks the conversation read; a cursor
 * the archive expired is read on by time, with an "earlier messages may be
 * missing" marker in each conversation it touches. C: XmppSession +
 * ArchiveSync + the real SQLite MessageStore; S: the test.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { MessageGap } from '../../preload/contract.js';
import { ArchiveSync, type ArchiveSyncOptions } from '../../main/core/messages/archive-sync.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore } from '../../main/core/store/message-store.js';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { ScriptedServer, type ScriptedSession } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import {
  ARCHIVE_OWNER,
  ARCHIVE_PEER,
  ARCHIVE_T0,
  answer,
  answerDisco,
  archived,
  nextMamQuery,
  type Archived,
} from '../support/scripted-mam.js';

const OWN = ARCHIVE_OWNER;
const ROMEO = ARCHIVE_PEER;
const T0 = ARCHIVE_T0;
const NURSE = 'nurse@localhost';
const TYBALT = 'tybalt@localhost';
const TEST_TIMEOUT = { timeout: 20_000 };

interface Client {
  store: MessageStore;
  archive: ArchiveSync;
  s: ScriptedSession;
  gaps: [string, MessageGap][];
  warnings: string[];
}

async function signIn(t: TestContext, archive: Partial<ArchiveSyncOptions> = {}): Promise<Client> {
  const server = await ScriptedServer.start();
  const { db } = openDatabase(databasePath(tempDir()));
  const store = new MessageStore(db, OWN);
  const session = new XmppSession({
    account: OWN,
    password: 'secret',
    host: '127.0.0.1',
    port: server.port,
    ca: server.caPem,
    iqTimeoutMs: 5_000,
  });
  const sync = new ArchiveSync({ session, store, pageSize: 3, ...archive });
  const gaps: [string, MessageGap][] = [];
  const warnings: string[] = [];
  sync.on('gap', (jid, gap) => gaps.push([jid, gap]));
  sync.on('warning', (w) => warnings.push(w));
  t.after(async () => {
    await session.stop();
    db.close();
    await server.stop();
  });
  await session.start({ failFast: true });
  return { store, archive: sync, s: await server.nextSession(), gaps, warnings };
}

/** A catch-up whose first query S answers with `items`, the next ones with `then` (one page each). */
async function catchUp(c: Client, items: Archived[], ...then: Archived[][]): Promise<void> {
  const done = c.archive.catchUp();
  await answerDisco(c.s);
  answer(c.s, await nextMamQuery(c.s), items, { complete: then.length === 0 });
  for (const [i, page] of then.entries())
    answer(c.s, await nextMamQuery(c.s), page, { complete: i === then.length - 1 });
  await done;
}

const bodies = (c: Client, jid: string): string[] =>
  c.store.history(jid, { before: null, limit: 500 }).entries.map((e) => (e.kind === 'gap' ? '[gap]' : e.body));

describe('issue 10: archive gaps against the scripted server', () => {
  it(
    'issue 10 #2 (blocking): messages from or to a blocked address in the catch-up and in paging back are not stored',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, { isBlocked: (jid) => jid === TYBALT });
      await catchUp(c, [archived('a1', 1), archived('b1', 2, TYBALT)]);
      assert.deepEqual(bodies(c, ROMEO), ['body a1']);
      assert.deepEqual(bodies(c, TYBALT), [], 'nothing of tybalt in the first page');
      assert.equal(c.store.archiveCursor()?.id, 'b1', 'the cursor still covers the page');
      await catchUp(c, [
        archived('b2', 3, TYBALT),
        { id: 'o1', at: 4, from: OWN, to: TYBALT, body: 'ours to tybalt' },
        archived('a2', 5),
      ]);
      assert.deepEqual(bodies(c, ROMEO), ['body a1', 'body a2']);
      assert.equal(c.store.summary(TYBALT), null, 'no conversation with tybalt');

      const back = c.archive.pageBack(TYBALT, 3);
      const q = await nextMamQuery(c.s);
      assert.equal(q.with, TYBALT);
      answer(c.s, q, [archived('b0', 0, TYBALT)], { complete: true });
      assert.deepEqual(await back, { added: 0, atStart: true });
      assert.deepEqual(bodies(c, TYBALT), []);
      assert.equal(
        c.store.conversations().some((s) => s.jid === TYBALT),
        false,
      );
    },
  );

  it(
    'issue 10 #2 (markers): our own displayed marker in the archive (read on another device) clears unread up to it; a contact’s marker does not',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t);
      await catchUp(c, [archived('a1', 1), archived('a2', 2), archived('a3', 3)]);
      assert.equal(c.store.summary(ROMEO)?.unread, 3);
      const stored: string[] = [];
      c.archive.on('stored', (batch) => {
        for (const s of batch.conversations) stored.push(`${s.jid}:${s.unread}`);
      });
      // romeo says he displayed "m-a3": a marker about our messages, not about his.
      await catchUp(c, [{ id: 'r1', at: 4, body: null, displayed: 'm-a3' }]);
      assert.equal(c.store.summary(ROMEO)?.unread, 3);
      // the phone showed romeo's a2 (its marker names a2's id attribute)
      await catchUp(c, [{ id: 'o1', at: 5, from: OWN, to: ROMEO, body: null, displayed: 'm-a2' }]);
      assert.equal(c.store.summary(ROMEO)?.unread, 1, 'a3 is still unread');
      assert.deepEqual(stored, [`${ROMEO}:1`], 'the summary announced with the page');
      // a marker for a message id that is not romeo's changes nothing
      await catchUp(c, [{ id: 'o2', at: 6, from: OWN, to: NURSE, body: null, displayed: 'm-a3' }]);
      assert.equal(c.store.summary(ROMEO)?.unread, 1);
    },
  );

  it(
    'issue 10 #2 (archive expiry): an expired cursor (item-not-found) is read on by time over several pages; each conversation gets one marker before its first message after the cursor',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t);
      await catchUp(c, [archived('old1', 1), archived('old2', 2, NURSE)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, 'old2');
      c.s.replyError(q1.iq, 'item-not-found');
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.start, new Date(T0 + 2000).toISOString(), "from the cursor's time");
      answer(c.s, q2, [archived('n1', 50), archived('n2', 51), archived('n3', 52)]);
      const q3 = await nextMamQuery(c.s);
      assert.equal(q3.after, 'n3', 'then on from the page, by id');
      answer(c.s, q3, [archived('n4', 53, NURSE), archived('n5', 54)], { complete: true });
      const result = await done;
      assert.equal(result.gaps, 2);
      assert.deepEqual(bodies(c, ROMEO), ['body old1', '[gap]', 'body n1', 'body n2', 'body n3', 'body n5']);
      assert.deepEqual(bodies(c, NURSE), ['body old2', '[gap]', 'body n4']);
      assert.deepEqual(
        c.gaps.map(([jid]) => jid),
        [ROMEO, NURSE],
        'one gap event per conversation',
      );
      assert.equal(c.store.archiveCursor()?.id, 'n5');
      assert.match(c.warnings.join('\n'), /no longer has old2/);

      // The next sign-in continues from the new cursor: no new marker.
      await catchUp(c, [archived('n6', 55)]);
      assert.deepEqual(bodies(c, NURSE), ['body old2', '[gap]', 'body n4']);
      assert.equal(c.gaps.length, 2);
    },
  );

  it(
    'issue 10 #2 (archive expiry): ejabberd’s empty page for an expired cursor, read again by time without the cursor’s item, leaves a marker; with it, none',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t);
      await catchUp(c, [archived('k1', 1)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s);
      answer(c.s, await nextMamQuery(c.s), [], { complete: true }); // ejabberd: nothing after an id it no longer has
      const probe = await nextMamQuery(c.s);
      assert.equal(probe.before, '');
      answer(c.s, probe, [archived('k9', 9)]);
      const again = await nextMamQuery(c.s);
      assert.equal(again.start, new Date(T0 + 1000).toISOString());
      answer(c.s, again, [archived('k8', 8), archived('k9', 9)], { complete: true });
      assert.equal((await done).gaps, 1);
      assert.deepEqual(bodies(c, ROMEO), ['body k1', '[gap]', 'body k8', 'body k9']);
    },
  );
});
