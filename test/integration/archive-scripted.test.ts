/**
 * The archive catch-up and paging back (XEP-0313 MAM, XEP-0059 RSM) against
 * the scripted server: dialogues that neither Prosody nor ejabberd produce on
 * demand (an endless archive, a page sent again, an RSM <last> that does not
 * advance, a forged result, a live message in the middle of a page, no MAM
 * at all). C: is the client (XmppSession + ArchiveSync + the real SQLite
 * MessageStore; live messages stored as MessageService stores them), S: the
 * test, speaking for the server.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { escapeXML } from '@xmpp/xml';
import type { ConversationEntry } from '../../preload/contract.js';
import { ArchiveSync, type ArchiveSyncOptions } from '../../main/core/messages/archive-sync.js';
import { NS_MAM, parseChatMessage } from '../../main/core/messages/message-stanzas.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore } from '../../main/core/store/message-store.js';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { ScriptedServer, type ScriptedSession } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import { parseXml } from '../support/parse-xml.js';
import {
  ARCHIVE_OWNER,
  ARCHIVE_PEER,
  ARCHIVE_T0,
  NS_RSM,
  answer,
  answerDisco,
  archived,
  nextMamQuery,
  type Archived,
  resultXml,
  type MamQuery,
} from '../support/scripted-mam.js';

const OWN = ARCHIVE_OWNER;
const ROMEO = ARCHIVE_PEER;
const T0 = ARCHIVE_T0;
const NURSE = 'nurse@localhost';
const TEST_TIMEOUT = { timeout: 20_000 };

// --- the client ---------------------------------------------------------------

interface Client {
  session: XmppSession;
  store: MessageStore;
  archive: ArchiveSync;
  /** The server's side of the bound stream. */
  s: ScriptedSession;
  logs: string[];
  warnings: string[];
}

async function startServer(t: TestContext): Promise<ScriptedServer> {
  const server = await ScriptedServer.start();
  t.after(() => server.stop());
  return server;
}

/**
 * juliet signed in on the scripted server, with a profile database of her own
 * (or the given one). Live messages are stored as MessageService stores them
 * (source 'live'), so the race of a live copy and an archived one is real.
 */
async function signIn(
  t: TestContext,
  server: ScriptedServer,
  options: { dataDir?: string; archive?: Partial<ArchiveSyncOptions> } = {},
): Promise<Client> {
  const logs: string[] = [];
  const { db } = openDatabase(databasePath(options.dataDir ?? tempDir()));
  const store = new MessageStore(db, OWN);
  const session = new XmppSession({
    account: OWN,
    password: 'secret',
    host: '127.0.0.1',
    port: server.port,
    ca: server.caPem,
    iqTimeoutMs: 5_000,
    backoff: { initialMs: 50, maxMs: 200 },
    log: (m) => logs.push(m),
  });
  const archive = new ArchiveSync({ session, store, log: (m) => logs.push(m), pageSize: 3, ...options.archive });
  const warnings: string[] = [];
  archive.on('warning', (w) => warnings.push(w));
  session.onStanza('message', (stanza) => {
    if (stanza.getChild('result', NS_MAM)) return;
    const message = parseChatMessage(stanza, OWN);
    if (message?.body) store.storeIncoming({ ...message, body: message.body, source: 'live' }, Date.now());
  });
  t.after(async () => {
    await session.stop();
    db.close();
  });
  await session.start({ failFast: true });
  const s = await server.nextSession();
  return { session, store, archive, s, logs, warnings };
}

// --- the server's side --------------------------------------------------------

/** First catch-up of a fresh profile: S answers the newest page with `items`. */
async function firstCatchUp(c: Client, items: Archived[]): Promise<void> {
  const done = c.archive.catchUp();
  await answerDisco(c.s, true);
  const q = await nextMamQuery(c.s);
  assert.equal(q.before, '', 'the first sign-in asks for the newest page');
  answer(c.s, q, items);
  await done;
}

/** Resolves when the session is online (again). */
async function waitForOnline(session: XmppSession): Promise<void> {
  if (session.state.status === 'online') return;
  await new Promise<void>((resolve) => session.once('online', () => resolve()));
}

/** Stores a live message from romeo as MessageService does, as if it reached us at `at` (ms after T0). */
function storeLive(c: Client, body: string, stanzaId: string, at: number): void {
  const stanza = parseXml(
    `<message type='chat' from='${ROMEO}/orchard' to='${OWN}/x' id='m-${stanzaId}'><body>${body}</body>` +
      `<stanza-id xmlns='urn:xmpp:sid:0' by='${OWN}' id='${stanzaId}'/></message>`,
  );
  const message = parseChatMessage(stanza, OWN);
  assert.ok(message?.body);
  c.store.storeIncoming({ ...message, body: message.body, source: 'live' }, T0 + at);
}

/** S: the archive's copy of our own message `id` to romeo (its origin-id is our id), stamped `at` seconds after T0. */
function ourResultXml(q: MamQuery, archiveId: string, id: string, body: string, at: number): string {
  const stamp = new Date(T0 + at * 1000).toISOString();
  return (
    `<message to='${OWN}/x'><result xmlns='${NS_MAM}' queryid='${escapeXML(q.queryId)}' id='${archiveId}'>` +
    `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${stamp}'/>` +
    `<message xmlns='jabber:client' type='chat' from='${OWN}/x' to='${ROMEO}' id='${id}'>` +
    `<origin-id xmlns='urn:xmpp:sid:0' id='${id}'/><body>${escapeXML(body)}</body></message></forwarded></result></message>`
  );
}

const messagesOf = (c: Client, jid: string): ConversationEntry[] =>
  c.store.history(jid, { before: null, limit: 500 }).entries;
const bodies = (c: Client, jid: string): string[] =>
  messagesOf(c, jid).map((e) => (e.kind === 'gap' ? '[gap]' : e.body));

// --- the dialogues ------------------------------------------------------------

describe('archive catch-up against the scripted server', () => {
  it(
    'issue 10 #2: the first sign-in fetches only the newest page; the cursor is its newest item',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q = await nextMamQuery(c.s);
      assert.equal(q.before, '');
      assert.equal(q.with, null);
      assert.equal(q.max, 3);
      answer(c.s, q, [archived('a8', 8), archived('a9', 9), archived('a10', 10)]);
      const result = await done;
      assert.deepEqual(result, { fetched: 3, pages: 1, gaps: 0 });
      assert.deepEqual(bodies(c, ROMEO), ['body a8', 'body a9', 'body a10']);
      assert.equal(c.store.archiveCursor()?.id, 'a10');
      assert.equal(c.archive.pendingQueries, 0);
    },
  );

  it(
    'issue 10 #2: catch-up pages forward from the cursor, each page stored with the cursor at its end',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('a1', 1)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, 'a1');
      answer(c.s, q1, [archived('a2', 2), archived('a3', 3), archived('a4', 4)]);
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.after, 'a4');
      // The first page and its cursor were written together, before the second page was asked for.
      assert.equal(c.store.archiveCursor()?.id, 'a4');
      assert.deepEqual(bodies(c, ROMEO), ['body a1', 'body a2', 'body a3', 'body a4']);
      answer(c.s, q2, [archived('a5', 5)], { complete: true });
      assert.deepEqual(await done, { fetched: 4, pages: 2, gaps: 0 });
      assert.equal(c.store.archiveCursor()?.id, 'a5');
      assert.deepEqual(bodies(c, ROMEO), ['body a1', 'body a2', 'body a3', 'body a4', 'body a5']);
    },
  );

  it(
    'issue 10 #2: an endless archive (never complete) ends the catch-up after maxPages, with a warning',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t), { archive: { maxPages: 4 } });
      await firstCatchUp(c, [archived('e0', 0)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      for (let page = 1; page <= 4; page += 1) {
        const q = await nextMamQuery(c.s);
        const base = page * 10;
        answer(c.s, q, [
          archived(`e${base}`, base),
          archived(`e${base + 1}`, base + 1),
          archived(`e${base + 2}`, base + 2),
        ]);
      }
      const result = await done;
      assert.deepEqual(result, { fetched: 12, pages: 4, gaps: 0 });
      assert.equal(c.store.archiveCursor()?.id, 'e42', 'the cursor stays at the last page stored');
      assert.match(c.warnings.join('\n'), /stopped the catch-up after 4 pages/);
      assert.equal(c.s.stanzas.filter((st) => st.getChild('query', NS_MAM)).length, 5, 'no fifth page was asked for');
    },
  );

  it(
    'issue 10 #2: a server that sends the same page again ends the catch-up with a warning; nothing is stored twice',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('r0', 0)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const page = [archived('r1', 1), archived('r2', 2), archived('r3', 3)];
      const q1 = await nextMamQuery(c.s);
      answer(c.s, q1, page);
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.after, 'r3');
      answer(c.s, q2, page); // the same page, the same <last>
      const result = await done;
      assert.equal(result.pages, 2);
      assert.match(c.warnings.join('\n'), /does not advance/);
      assert.deepEqual(bodies(c, ROMEO), ['body r0', 'body r1', 'body r2', 'body r3']);
      assert.equal(c.store.archiveCursor()?.id, 'r3');
    },
  );

  it(
    'issue 10 #2: an RSM <last> that does not advance past our <after> ends the catch-up with a warning',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('r0', 0)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, 'r0');
      answer(c.s, q1, [archived('r5', 5), archived('r6', 6)], { last: 'r0' }); // a <last> we already gave
      const result = await done;
      assert.equal(result.pages, 1);
      assert.match(c.warnings.join('\n'), /does not advance/);
      assert.equal(c.store.archiveCursor()?.id, 'r0', 'the cursor never moves to a place the server did not reach');
    },
  );

  it(
    "issue 10 #2: an unknown cursor (item-not-found: expired) reads on from the cursor's time and marks a gap in the conversations it touches",
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('old1', 1), archived('old2', 2, NURSE)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, 'old2');
      c.s.replyError(q1.iq, 'item-not-found');
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.after, null);
      assert.equal(q2.start, new Date(T0 + 2000).toISOString(), "then by time, from the cursor's");
      answer(c.s, q2, [archived('new1', 100), archived('new2', 101, NURSE), archived('new3', 102)], { complete: true });
      const result = await done;
      assert.equal(result.gaps, 2);
      assert.equal(c.store.archiveCursor()?.id, 'new3');
      assert.deepEqual(bodies(c, ROMEO), ['body old1', '[gap]', 'body new1', 'body new3']);
      assert.deepEqual(bodies(c, NURSE), ['body old2', '[gap]', 'body new2']);
    },
  );

  it(
    'issue 10 #2: a server without MAM: a gap marker in each conversation with messages, once per sign-in after a time offline',
    TEST_TIMEOUT,
    async (t) => {
      const server = await startServer(t);
      const dataDir = tempDir();
      const first = await signIn(t, server, { dataDir });
      await firstCatchUp(first, [archived('a1', 1), archived('a2', 2, NURSE)]);
      await first.session.stop();

      const second = await signIn(t, server, { dataDir });
      const done = second.archive.catchUp();
      await answerDisco(second.s, false);
      assert.deepEqual(await done, { fetched: 0, pages: 0, gaps: 2 });
      assert.deepEqual(bodies(second, ROMEO), ['body a1', '[gap]']);
      assert.deepEqual(bodies(second, NURSE), ['body a2', '[gap]']);
      assert.equal(second.s.stanzas.filter((st) => st.getChild('query', NS_MAM)).length, 0, 'no archive query');

      // Another sign-in with nothing new: the markers already say it; no second one.
      const again = second.archive.catchUp();
      await answerDisco(second.s, false);
      assert.deepEqual(await again, { fetched: 0, pages: 0, gaps: 0 });
      assert.deepEqual(bodies(second, ROMEO), ['body a1', '[gap]']);
    },
  );

  it('issue 10 #2: an archive result with a forged from (another account) is ignored', TEST_TIMEOUT, async (t) => {
    const c = await signIn(t, await startServer(t));
    const done = c.archive.catchUp();
    await answerDisco(c.s, true);
    const q = await nextMamQuery(c.s);
    c.s.send(resultXml(q, { id: 'forged', body: 'forged by romeo', at: 5 }, ` from='${ROMEO}'`));
    c.s.send(resultXml(q, { id: 'forged2', body: 'forged by our full JID', at: 6 }, ` from='${OWN}/other'`));
    c.s.send(resultXml(q, archived('good', 7), ` from='${OWN}'`));
    answer(c.s, q, [], { first: 'good', last: 'good' });
    const result = await done;
    assert.equal(result.fetched, 1);
    assert.deepEqual(bodies(c, ROMEO), ['body good']);
    assert.equal(c.store.archiveCursor()?.id, 'good');
    assert.match(c.logs.join('\n'), /ignored an archive result from/);
  });

  it(
    "issue 10 #2: a live message during catch-up leaves no gap and no duplicate; the cursor is the page's end, never the live one",
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('s0', 0)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, 's0');
      c.s.send(resultXml(q1, archived('s1', 1)));
      c.s.send(resultXml(q1, archived('s2', 2)));
      // Romeo's live message, archived by the server as s4, arrives between the results and the <fin/>.
      c.s.send(
        `<message type='chat' from='${ROMEO}/orchard' to='${OWN}/x' id='live-1'><body>live one</body>` +
          `<stanza-id xmlns='urn:xmpp:sid:0' by='${OWN}' id='s4'/></message>`,
      );
      c.s.reply(q1.iq, `<fin xmlns='${NS_MAM}'><set xmlns='${NS_RSM}'><first>s1</first><last>s2</last></set></fin>`);
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.after, 's2', 'the next page starts after the archive page, not after the live message');
      assert.equal(c.store.archiveCursor()?.id, 's2');
      assert.deepEqual(bodies(c, ROMEO), ['body s0', 'body s1', 'body s2', 'live one']);
      answer(c.s, q2, [archived('s3', 3), { id: 's4', body: 'live one', at: 4, msgId: 'live-1' }], { complete: true });
      await done;
      assert.equal(c.store.archiveCursor()?.id, 's4');
      const entries = messagesOf(c, ROMEO);
      assert.equal(entries.filter((e) => e.kind === 'gap').length, 0, 'no gap');
      assert.deepEqual(
        bodies(c, ROMEO),
        ['body s0', 'body s1', 'body s2', 'body s3', 'live one'],
        'once each, in order',
      );
    },
  );

  it(
    "issue 10 #2: the open conversation's newest page comes first (backwards, until it meets what we hold), then the global catch-up",
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t), { archive: { pageSize: 2 } });
      await firstCatchUp(c, [archived('o1', 1)]);
      const done = c.archive.catchUp({ openConversation: ROMEO });
      await answerDisco(c.s, true);
      const open1 = await nextMamQuery(c.s);
      assert.equal(open1.with, ROMEO);
      assert.equal(open1.before, '');
      answer(c.s, open1, [archived('o5', 5), archived('o6', 6)]);
      const open2 = await nextMamQuery(c.s);
      assert.equal(open2.with, ROMEO);
      assert.equal(open2.before, 'o5', 'backwards from the oldest of the first page');
      answer(c.s, open2, [archived('o1', 1), archived('o3', 3)]); // meets o1, which we hold: enough
      const global = await nextMamQuery(c.s);
      assert.equal(global.with, null);
      assert.equal(global.after, 'o1', 'the cursor did not move for the open conversation');
      answer(c.s, global, [archived('o2', 2, NURSE), archived('o3', 3)]);
      const global2 = await nextMamQuery(c.s);
      assert.equal(global2.after, 'o3');
      answer(c.s, global2, [archived('o5', 5), archived('o6', 6)], { complete: true });
      await done;
      assert.deepEqual(bodies(c, ROMEO), ['body o1', 'body o3', 'body o5', 'body o6']);
      assert.deepEqual(bodies(c, NURSE), ['body o2']);
      assert.equal(c.store.archiveCursor()?.id, 'o6');
    },
  );

  it(
    'issue 10 #2: paging back asks before the oldest archive id held; atStart when the server says complete',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('p7', 7), archived('p8', 8), archived('p9', 9)]);
      const back = c.archive.pageBack(ROMEO, 3);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.with, ROMEO);
      assert.equal(q1.before, 'p7');
      answer(c.s, q1, [archived('p4', 4), archived('p5', 5), archived('p6', 6)]);
      assert.deepEqual(await back, { added: 3, atStart: false });
      const back2 = c.archive.pageBack(ROMEO, 3);
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.before, 'p4');
      answer(c.s, q2, [archived('p3', 3)], { complete: true });
      assert.deepEqual(await back2, { added: 1, atStart: true });
      assert.equal(c.store.archiveAtStart(ROMEO), true);
      const queries = c.s.stanzas.filter((st) => st.getChild('query', NS_MAM)).length;
      assert.deepEqual(await c.archive.pageBack(ROMEO, 3), { added: 0, atStart: true });
      assert.equal(c.s.stanzas.filter((st) => st.getChild('query', NS_MAM)).length, queries, 'no query past the start');
      assert.deepEqual(bodies(c, ROMEO), ['body p3', 'body p4', 'body p5', 'body p6', 'body p7', 'body p8', 'body p9']);
      assert.equal(c.store.archiveCursor()?.id, 'p9', 'paging back never moves the cursor');
    },
  );

  it(
    'issue 10 #2: a page fetched backwards sorts before what is held, also within one second (Prosody stamps whole seconds)',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('p7', 9), archived('p8', 9), archived('p9', 9)]);
      const back = c.archive.pageBack(ROMEO, 3);
      answer(c.s, await nextMamQuery(c.s), [archived('p4', 9), archived('p5', 9), archived('p6', 9)]);
      await back;
      assert.deepEqual(bodies(c, ROMEO), ['body p4', 'body p5', 'body p6', 'body p7', 'body p8', 'body p9']);
      const oldest = messagesOf(c, ROMEO)[0];
      assert.ok(oldest && T0 + 9000 - oldest.time < 10, 'the times moved by a few ms at most');
      // Paging back again asks before the oldest, not before the one inserted first.
      const again = c.archive.pageBack(ROMEO, 3);
      const q = await nextMamQuery(c.s);
      assert.equal(q.before, 'p4');
      c.s.replyError(q.iq, 'item-not-found');
      assert.deepEqual(await again, { added: 0, atStart: true });
      assert.deepEqual(bodies(c, ROMEO), ['[gap]', 'body p4', 'body p5', 'body p6', 'body p7', 'body p8', 'body p9']);
    },
  );

  it(
    "issue 10 #2: the catch-up after the open conversation's pages keeps the older messages first within one second",
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t), { archive: { pageSize: 2 } });
      await firstCatchUp(c, [archived('q1', 1)]);
      const done = c.archive.catchUp({ openConversation: ROMEO });
      await answerDisco(c.s, true);
      answer(c.s, await nextMamQuery(c.s), [archived('q4', 5), archived('q5', 5)]);
      answer(c.s, await nextMamQuery(c.s), [archived('q1', 1), archived('q3', 5)]);
      answer(c.s, await nextMamQuery(c.s), [archived('q2', 5), archived('q3', 5)]);
      answer(c.s, await nextMamQuery(c.s), [archived('q4', 5), archived('q5', 5)], { complete: true });
      await done;
      assert.deepEqual(bodies(c, ROMEO), ['body q1', 'body q2', 'body q3', 'body q4', 'body q5']);
    },
  );

  it(
    "issue 10 #2: an empty page after a cursor the server silently does not know (ejabberd) is read again from the cursor's time",
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('k1', 1)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, 'k1');
      answer(c.s, q1, [], { complete: true }); // as ejabberd does for an id it cannot read
      const probe = await nextMamQuery(c.s);
      assert.equal(probe.before, '');
      answer(c.s, probe, [archived('k9', 9)]);
      const again = await nextMamQuery(c.s);
      assert.equal(again.after, null);
      assert.equal(again.start, new Date(T0 + 1000).toISOString(), 'from the time of the cursor');
      answer(c.s, again, [archived('k1', 1), archived('k2', 2), archived('k9', 9)], { complete: true });
      await done;
      assert.deepEqual(bodies(c, ROMEO), ['body k1', 'body k2', 'body k9']);
      assert.equal(c.store.archiveCursor()?.id, 'k9');
      assert.match(c.warnings.join('\n'), /reading from its time/);
    },
  );

  it(
    'issue 10 #2: the connection lost in the middle of a page: nothing of that page is stored, the cursor stays, the next catch-up asks after it again',
    TEST_TIMEOUT,
    async (t) => {
      const server = await startServer(t);
      const c = await signIn(t, server);
      await firstCatchUp(c, [archived('c1', 1)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      answer(c.s, q1, [archived('c2', 2), archived('c3', 3), archived('c4', 4)]);
      const q2 = await nextMamQuery(c.s);
      c.s.send(resultXml(q2, archived('c5', 5)));
      c.s.send(resultXml(q2, archived('c6', 6)));
      c.s.destroy(); // before the <fin/>
      await assert.rejects(done, (error: { code?: string }) => error.code === 'connection-lost');
      assert.equal(c.store.archiveCursor()?.id, 'c4');
      assert.deepEqual(bodies(c, ROMEO), ['body c1', 'body c2', 'body c3', 'body c4']);
      assert.equal(c.archive.pendingQueries, 0);

      const s2 = await server.nextSession(10_000); // the session reconnects by itself
      await waitForOnline(c.session);
      const again = c.archive.catchUp();
      await answerDisco(s2, true);
      const q3 = await nextMamQuery(s2);
      assert.equal(q3.after, 'c4');
      answer(s2, q3, [archived('c5', 5), archived('c6', 6)], { complete: true });
      await again;
      assert.deepEqual(bodies(c, ROMEO), ['body c1', 'body c2', 'body c3', 'body c4', 'body c5', 'body c6']);
    },
  );

  it(
    'issue 10 #2: receipts and displayed markers the archive holds update our messages (sent while we were away)',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      const archivedXml = (q: MamQuery, id: string, at: number, inner: string): string =>
        `<message to='${OWN}/x'><result xmlns='${NS_MAM}' queryid='${escapeXML(q.queryId)}' id='${id}'>` +
        `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${new Date(T0 + at * 1000).toISOString()}'/>` +
        `${inner}</forwarded></result></message>`;
      const fin = (first: string, last: string, complete = false): string =>
        `<fin xmlns='${NS_MAM}'${complete ? " complete='true'" : ''}><set xmlns='${NS_RSM}'><first>${first}</first><last>${last}</last></set></fin>`;
      const first = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q0 = await nextMamQuery(c.s);
      // What we sent from another device: two messages to romeo.
      for (const [id, at] of [
        ['our-1', 1],
        ['our-2', 2],
      ] as const)
        c.s.send(
          archivedXml(
            q0,
            `a-${id}`,
            at,
            `<message xmlns='jabber:client' type='chat' from='${OWN}/phone' to='${ROMEO}' id='${id}'><body>${id}</body></message>`,
          ),
        );
      c.s.reply(q0.iq, fin('a-our-1', 'a-our-2'));
      await first;
      const changed: string[] = [];
      c.archive.on('stored', (batch) => {
        for (const r of batch.results) if (r.changed) changed.push(`${r.message.id} ${r.message.state}`);
      });
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      c.s.send(
        archivedXml(
          q1,
          'm1',
          3,
          `<message xmlns='jabber:client' type='chat' from='${ROMEO}/orchard' to='${OWN}' id='rc1'><received xmlns='urn:xmpp:receipts' id='our-1'/></message>`,
        ),
      );
      c.s.send(
        archivedXml(
          q1,
          'm2',
          4,
          `<message xmlns='jabber:client' type='chat' from='${ROMEO}/orchard' to='${OWN}' id='rc2'><received xmlns='urn:xmpp:receipts' id='our-2'/></message>`,
        ),
      );
      c.s.send(
        archivedXml(
          q1,
          'm3',
          5,
          `<message xmlns='jabber:client' type='chat' from='${ROMEO}/orchard' to='${OWN}' id='dm1'><displayed xmlns='urn:xmpp:chat-markers:0' id='our-1'/></message>`,
        ),
      );
      c.s.reply(q1.iq, fin('m1', 'm3', true));
      await done;
      const states = messagesOf(c, ROMEO).map((e) => (e.kind === 'gap' ? 'gap' : `${e.body} ${e.state}`));
      assert.deepEqual(states, ['our-1 read', 'our-2 delivered']);
      assert.deepEqual(
        changed.map((x) => x.split(' ')[1]),
        ['delivered', 'delivered', 'read'],
        "the changed messages are announced with the page's batch",
      );
      assert.equal(c.store.archiveCursor()?.id, 'm3');
    },
  );

  it(
    "issue 10 #2: a forward page's messages of the second of one we hold live (stamped .000, it .569) are shown after it, in the archive's order",
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t), { archive: { pageSize: 4 } });
      await firstCatchUp(c, [archived('w0', 0)]);
      storeLive(c, 'live one', 'w5', 5_569);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q = await nextMamQuery(c.s);
      assert.equal(q.after, 'w0');
      answer(
        c.s,
        q,
        [{ id: 'w5', body: 'live one', at: 5, msgId: 'm-w5' }, archived('w6', 5), archived('w7', 5), archived('w9', 7)],
        { complete: true },
      );
      await done;
      assert.deepEqual(
        bodies(c, ROMEO),
        ['body w0', 'live one', 'body w6', 'body w7', 'body w9'],
        'in the archive order',
      );
      const times = messagesOf(c, ROMEO).map((e) => e.time - T0);
      assert.deepEqual(
        times,
        [0, 5_569, 5_570, 5_571, 7_000],
        'after the one held, never before; a later second keeps its stamp',
      );
    },
  );

  it(
    'issue 10 #2: our message queued before a live one but archived after it is re-timed after it, and the reply after both',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('v0', 0)]);
      // Written while offline (a lower seq), sent after romeo's live message reached us.
      const ours = c.store.queueOutgoing({ to: ROMEO, body: 'ours', ownBare: OWN, now: T0 + 5_100 });
      storeLive(c, 'live one', 'v5', 5_569);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q = await nextMamQuery(c.s);
      c.s.send(resultXml(q, { id: 'v5', body: 'live one', at: 5, msgId: 'm-v5' }));
      c.s.send(ourResultXml(q, 'v6', ours.id, 'ours', 5));
      c.s.send(resultXml(q, archived('v7', 5)));
      c.s.reply(
        q.iq,
        `<fin xmlns='${NS_MAM}' complete='true'><set xmlns='${NS_RSM}'><first>v5</first><last>v7</last></set></fin>`,
      );
      await done;
      assert.deepEqual(bodies(c, ROMEO), ['body v0', 'live one', 'ours', 'body v7'], 'in the archive order');
      assert.equal(c.store.message(ours.id)?.state, 'sent', 'the archive copy was taken as ours');
    },
  );

  it(
    'issue 10 #2: an archive empty at the first sign-in: the next catch-up starts at a time, then pages by id',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, []);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      assert.equal(q1.after, null);
      assert.ok(q1.start !== null && Date.parse(q1.start) < Date.now(), 'from a time before the first sign-in');
      answer(c.s, q1, [archived('n1', 1), archived('n2', 2), archived('n3', 3)]);
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.after, 'n3');
      assert.equal(q2.start, null);
      answer(c.s, q2, [], { complete: true });
      const probe = await nextMamQuery(c.s);
      assert.equal(probe.before, '', 'an empty page: is n3 the newest?');
      assert.equal(probe.max, 1);
      answer(c.s, probe, [archived('n3', 3)]);
      await done;
      assert.deepEqual(bodies(c, ROMEO), ['body n1', 'body n2', 'body n3']);
      assert.equal(c.store.archiveCursor()?.id, 'n3');
    },
  );

  it(
    'issue 10 #2: a server that sends more results than asked: only max are kept and the cursor stops at the last kept',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t));
      await firstCatchUp(c, [archived('x0', 0)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      const q1 = await nextMamQuery(c.s);
      answer(
        c.s,
        q1,
        [1, 2, 3, 4, 5].map((n) => archived(`x${n}`, n)),
      );
      const q2 = await nextMamQuery(c.s);
      assert.equal(q2.after, 'x3', 'the two not kept come again with the next page');
      answer(c.s, q2, [archived('x4', 4), archived('x5', 5)], { complete: true });
      await done;
      assert.deepEqual(bodies(c, ROMEO), ['body x0', 'body x1', 'body x2', 'body x3', 'body x4', 'body x5']);
    },
  );

  it(
    'issue 10 #2: a query the server never answers times out; the cursor stays where the last stored page put it',
    TEST_TIMEOUT,
    async (t) => {
      const c = await signIn(t, await startServer(t), { archive: { queryTimeoutMs: 300 } });
      await firstCatchUp(c, [archived('t0', 0)]);
      const done = c.archive.catchUp();
      await answerDisco(c.s, true);
      await nextMamQuery(c.s); // and never answered
      await assert.rejects(done, (error: { code?: string }) => error.code === 'timeout');
      assert.equal(c.store.archiveCursor()?.id, 't0');
      assert.equal(c.archive.pendingQueries, 0);
    },
  );
});
