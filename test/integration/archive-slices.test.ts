/**
 * Issue 10 (speed): a catch-up page is written in slices (one transaction
 * each, the event loop free between them), the archive cursor moving only
 * with the page's last slice. Against the scripted server (real XMPP over
 * TLS), with the real SQLite MessageStore. C: the client, S: the test.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ArchiveSync, type ArchiveStore } from '../../main/core/messages/archive-sync.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore, type StoredBatch } from '../../main/core/store/message-store.js';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { ScriptedServer, type ScriptedSession } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import {
  ARCHIVE_OWNER,
  ARCHIVE_PEER,
  ARCHIVE_T0,
  answer as answerPage,
  answerDisco,
  nextMamQuery,
  type MamQuery,
} from '../support/scripted-mam.js';

const OWN = ARCHIVE_OWNER;
const ROMEO = ARCHIVE_PEER;
const T0 = ARCHIVE_T0;
const TEST_TIMEOUT = { timeout: 20_000 };

interface Client {
  session: XmppSession;
  store: MessageStore;
  archive: ArchiveSync;
  s: ScriptedSession;
}

/**
 * juliet signed in on `server` with the profile in `dir`; `wrap` may stand between ArchiveSync and the
 * store. Pages of 10, slices of at least 4 (of exactly 4 with the default budget 0).
 */
async function signIn(
  t: TestContext,
  server: ScriptedServer,
  dir: string,
  wrap: (store: MessageStore) => ArchiveStore = (store) => store,
  sliceBudgetMs = 0,
): Promise<Client> {
  const { db } = openDatabase(databasePath(dir));
  const store = new MessageStore(db, OWN);
  const session = new XmppSession({
    account: OWN,
    password: 'secret',
    host: '127.0.0.1',
    port: server.port,
    ca: server.caPem,
    iqTimeoutMs: 5_000,
  });
  const archive = new ArchiveSync({ session, store: wrap(store), pageSize: 10, sliceSize: 4, sliceBudgetMs });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await session.stop();
    db.close();
  };
  t.after(stop);
  await session.start({ failFast: true });
  const s = await server.nextSession();
  return { session, store, archive, s };
}

/** S: the page `ids` (archive ids a<n>, n seconds after T0), then <fin/>. */
function answer(s: ScriptedSession, q: MamQuery, ids: number[], complete = false): void {
  answerPage(
    s,
    q,
    ids.map((n) => ({ id: `a${n}`, at: n, msgId: `m${n}`, body: `body ${n}` })),
    { complete },
  );
}

/** The store as ArchiveSync sees it, with its page writes going through `storeArchivePage`. */
function withPageWriter(store: MessageStore, storeArchivePage: MessageStore['storeArchivePage']): ArchiveStore {
  return {
    archiveCursor: store.archiveCursor.bind(store),
    firstArchivedStoredAt: store.firstArchivedStoredAt.bind(store),
    newestPlacedTime: store.newestPlacedTime.bind(store),
    storeArchivePage,
    insertGap: store.insertGap.bind(store),
    setArchiveAtStart: store.setArchiveAtStart.bind(store),
    archiveAtStart: store.archiveAtStart.bind(store),
    applyReceipt: store.applyReceipt.bind(store),
    oldestArchiveId: store.oldestArchiveId.bind(store),
    messageByArchiveId: store.messageByArchiveId.bind(store),
    conversations: store.conversations.bind(store),
    history: store.history.bind(store),
    message: store.message.bind(store),
    summary: store.summary.bind(store),
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const bodies = (store: MessageStore): string[] =>
  store.history(ROMEO, { limit: 500 }).entries.map((e) => (e.kind === 'gap' ? '[gap]' : e.body));

describe('issue 10 speed: catch-up pages written in slices', () => {
  it(
    'issue 10 speed: a page of 10 is written in slices of 4, the cursor only with the last; one batch for the page',
    TEST_TIMEOUT,
    async (t) => {
      const server = await ScriptedServer.start();
      t.after(() => server.stop());
      const slices: { size: number; cursor: string | null | undefined }[] = [];
      const c = await signIn(t, server, tempDir(), (store) => {
        const storeArchivePage: MessageStore['storeArchivePage'] = (items, options, now) => {
          const batch = store.storeArchivePage(items, options, now);
          slices.push({ size: items.length, cursor: options?.cursor === undefined ? undefined : options.cursor?.id });
          return batch;
        };
        return withPageWriter(store, storeArchivePage);
      });
      c.store.storeArchivePage([], { cursor: { id: 'a0', time: T0 } });
      const batches: StoredBatch[] = [];
      c.archive.on('stored', (batch) => batches.push(batch));
      const done = c.archive.catchUp();
      await answerDisco(c.s);
      const q = await nextMamQuery(c.s);
      assert.equal(q.after, 'a0');
      answer(c.s, q, range(1, 10), true);
      assert.deepEqual(await done, { fetched: 10, pages: 1, gaps: 0 });
      assert.deepEqual(slices, [
        { size: 4, cursor: undefined },
        { size: 4, cursor: undefined },
        { size: 2, cursor: 'a10' },
      ]);
      assert.equal(batches.length, 1, 'one stored batch per page');
      const [batch] = batches;
      assert.ok(batch);
      assert.equal(batch.added, 10);
      assert.deepEqual(
        batch.results.map((r) => r.message.body),
        range(1, 10).map((n) => `body ${n}`),
      );
      assert.deepEqual(
        batch.conversations.map((s) => [s.jid, s.unread]),
        [[ROMEO, 10]],
      );
      assert.equal(c.store.archiveCursor()?.id, 'a10');
    },
  );

  it(
    'issue 10 speed: where the first slice was quick, the rest of the page fits the time budget in one more slice',
    TEST_TIMEOUT,
    async (t) => {
      const server = await ScriptedServer.start();
      t.after(() => server.stop());
      const sizes: number[] = [];
      const c = await signIn(
        t,
        server,
        tempDir(),
        (store) =>
          withPageWriter(store, (items, options, now) => {
            sizes.push(items.length);
            return store.storeArchivePage(items, options, now);
          }),
        60_000,
      );
      c.store.storeArchivePage([], { cursor: { id: 'a0', time: T0 } });
      const done = c.archive.catchUp();
      await answerDisco(c.s);
      answer(c.s, await nextMamQuery(c.s), range(1, 10));
      answer(c.s, await nextMamQuery(c.s), range(11, 20), true);
      await done;
      assert.deepEqual(sizes, [4, 6, 10], 'the first slice measures; then whole pages');
      assert.equal(c.store.archiveCursor()?.id, 'a20');
      assert.deepEqual(
        bodies(c.store),
        range(1, 20).map((n) => `body ${n}`),
      );
    },
  );

  it(
    'issue 10 speed: stopped between slices, the messages after the cursor are fetched again at the next sign-in and stored once',
    TEST_TIMEOUT,
    async (t) => {
      const server = await ScriptedServer.start();
      t.after(() => server.stop());
      const dir = tempDir();
      let calls = 0;
      const first = await signIn(t, server, dir, (store) => {
        // The process dies after the page's first slice is committed: its second slice is never written.
        const storeArchivePage: MessageStore['storeArchivePage'] = (items, options, now) => {
          calls += 1;
          if (calls === 2) throw new Error('killed between slices');
          return store.storeArchivePage(items, options, now);
        };
        return withPageWriter(store, storeArchivePage);
      });
      first.store.storeArchivePage([], { cursor: { id: 'a0', time: T0 } });
      const done = first.archive.catchUp();
      await answerDisco(first.s);
      answer(first.s, await nextMamQuery(first.s), range(1, 10));
      await assert.rejects(done, /killed between slices/);
      assert.deepEqual(bodies(first.store), ['body 1', 'body 2', 'body 3', 'body 4'], 'the first slice is stored');
      assert.equal(first.store.archiveCursor()?.id, 'a0', 'the cursor does not cover the stored slice');
      await first.session.stop();

      const again = await signIn(t, server, dir);
      const done2 = again.archive.catchUp();
      await answerDisco(again.s);
      const q = await nextMamQuery(again.s);
      assert.equal(q.after, 'a0', 'fetched again from the cursor');
      answer(again.s, q, range(1, 10), true);
      const result = await done2;
      assert.equal(result.fetched, 10);
      assert.deepEqual(
        bodies(again.store),
        range(1, 10).map((n) => `body ${n}`),
        'each message once, in order',
      );
      assert.equal(again.store.archiveCursor()?.id, 'a10');
      assert.equal(again.store.summary(ROMEO)?.unread, 10, 'the copies fetched again are not counted again');
    },
  );
});
