/**
 * Issue 10, the wiring (main/core/messaging.ts) against the scripted
 * server: after a sign-in the message service enables carbons, then the
 * archive catch-up runs with the open conversation's newest page first; what
 * an archive page stores is announced through the message service (the one
 * stream of message events the window and `watch` follow), each message
 * once; signInCatchUp() gives the catch-up's figures.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXML } from '@xmpp/xml';
import type { ChatMessage, ConversationSummary } from '../../preload/contract.js';
import { createMessaging } from '../../main/core/messaging.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { ScriptedServer, type Element, type ScriptedSession } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';

const OWN = 'juliet@localhost';
const ROMEO = 'romeo@localhost';
const NS_MAM = 'urn:xmpp:mam:2';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_DATA = 'jabber:x:data';
const NS_RSM = 'http://jabber.org/protocol/rsm';

function withField(iq: Element): string | null {
  return (
    iq
      .getChild('query', NS_MAM)
      ?.getChild('x', NS_DATA)
      ?.getChildren('field')
      .find((f) => f.attrs.var === 'with')
      ?.getChildText('value') ?? null
  );
}

/** S: one archived message from romeo as the answer to `iq`, and the end of the archive. */
function answerWithOne(s: ScriptedSession, iq: Element, archiveId: string, body: string): void {
  const queryId = String(iq.getChild('query', NS_MAM)?.attrs.queryid);
  const stamp = new Date(Date.now() - 60_000).toISOString();
  s.send(
    `<message to='${OWN}/x'><result xmlns='${NS_MAM}' queryid='${escapeXML(queryId)}' id='${archiveId}'>` +
      `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${stamp}'/>` +
      `<message xmlns='jabber:client' type='chat' from='${ROMEO}/orchard' to='${OWN}' id='m-${archiveId}'>` +
      `<body>${escapeXML(body)}</body></message></forwarded></result></message>`,
  );
  s.reply(
    iq,
    `<fin xmlns='${NS_MAM}' complete='true'><set xmlns='${NS_RSM}'><first>${archiveId}</first><last>${archiveId}</last></set></fin>`,
  );
}

test('issue 10: after sign-in, carbons, then the catch-up with the open conversation first; archive pages announced once through the message service', async (t) => {
  const server = await ScriptedServer.start();
  const { db } = openDatabase(databasePath(tempDir()));
  const session = new XmppSession({
    account: OWN,
    password: 'secret',
    host: '127.0.0.1',
    port: server.port,
    ca: server.caPem,
    iqTimeoutMs: 5_000,
  });
  t.after(async () => {
    await session.stop();
    db.close();
    await server.stop();
  });
  const messaging = createMessaging({
    db,
    session,
    settings: new AppSettingsStore(db),
    rosterStore: new RosterStore(db),
    isBlocked: () => false,
    openConversation: () => ROMEO,
  });
  const messages: ChatMessage[] = [];
  const summaries: ConversationSummary[] = [];
  messaging.messages.on('message', (m) => messages.push(m));
  messaging.messages.on('conversation', (c) => summaries.push(c));
  const caughtUp = messaging.signInCatchUp(); // asked before the sign-in: it waits for the sign-in's
  const [, s] = await Promise.all([session.start({ failFast: true }), server.nextSession()]);

  s.reply(await s.expectIq('set', 'urn:xmpp:carbons:2'));
  const disco = await s.expectIq('get', NS_DISCO_INFO);
  assert.equal(disco.attrs.to, OWN);
  s.reply(disco, `<query xmlns='${NS_DISCO_INFO}'><feature var='${NS_MAM}'/></query>`);
  // the open conversation's newest page first, then the archive's newest page (a fresh profile)
  const first = await s.expectIq('set', NS_MAM);
  assert.equal(withField(first), ROMEO, 'the open conversation first');
  answerWithOne(s, first, 'a1', 'But soft, what light');
  const global = await s.expectIq('set', NS_MAM);
  assert.equal(withField(global), null, 'then everything');
  answerWithOne(s, global, 'a1', 'But soft, what light');

  const result = await caughtUp;
  assert.ok(result.fetched >= 2 && result.pages >= 2, JSON.stringify(result));
  const shown = messages.filter((m) => m.body === 'But soft, what light');
  assert.equal(shown.length, 1, 'announced once: the second copy is the same row');
  assert.deepEqual(
    { conversation: shown[0]?.conversation, direction: shown[0]?.direction, state: shown[0]?.state },
    { conversation: ROMEO, direction: 'in', state: 'received' },
  );
  assert.equal(summaries.at(-1)?.jid, ROMEO);
  assert.equal(summaries.at(-1)?.unread, 1);
  assert.deepEqual(
    messaging.messages.conversations().map((c) => [c.jid, c.last?.body]),
    [[ROMEO, 'But soft, what light']],
  );
});
