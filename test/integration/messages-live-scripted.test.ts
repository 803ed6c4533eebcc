/**
 * issue 10 #2: live messages against the scripted server, for what Prosody
 * and ejabberd never do on demand: a carbon forged by another account, a
 * receipt or error reply from someone our message did not go to, a bounce,
 * and a connection that drops before the server's XEP-0198 ack. C: is the
 * client (the real core with MessageService), S: is the test, speaking for
 * the server, over a real TLS socket.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { ChatMessage } from '../../preload/contract.js';
import { ScriptedServer, type Element, type ScriptedSession } from '../support/scripted-server.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { withMessages, type WithMessages } from '../support/message-fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_CARBONS = 'urn:xmpp:carbons:2';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_MARKERS = 'urn:xmpp:chat-markers:0';
const NS_SM = 'urn:xmpp:sm:3';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const SM_FEATURE = `<sm xmlns='${NS_SM}'/>`;
const ROMEO = 'romeo@example.net';
const TYBALT = 'tybalt@example.com';
const TEST_TIMEOUT = { timeout: 30_000 };

type Core = ReturnType<typeof openCore> & WithMessages;

async function startServer(
  t: TestContext,
  options: { sm?: boolean } = {},
): Promise<{ server: ScriptedServer; core: Core; logs: string[] }> {
  const server = await ScriptedServer.start({ extraFeatures: options.sm ? [SM_FEATURE] : [] });
  const logs: string[] = [];
  const core = withMessages(
    openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret', {
      dataDir: tempDir(),
      logs,
      session: { backoff: { initialMs: 50, maxMs: 200 } },
    }),
    { logs },
  );
  t.after(async () => {
    await core.close();
    await server.stop();
  });
  return { server, core, logs };
}

/**
 * S: the sign-in that follows binding: XEP-0198 enabled (no resumption) when
 * offered, the roster (romeo shares presence both ways; tybalt is no
 * contact), the probes' disco#info, and C's carbons enable (XEP-0280).
 */
async function serveSignIn(session: ScriptedSession, options: { sm?: boolean } = {}): Promise<void> {
  if (options.sm) {
    await session.expect((el) => el.is('enable', NS_SM));
    session.send(`<enabled xmlns='${NS_SM}'/>`);
  }
  const get = await session.expectIq('get', NS_ROSTER);
  session.reply(get, `<query xmlns='${NS_ROSTER}'><item jid='${ROMEO}' subscription='both'/></query>`);
  for (let i = 0; i < 2; i++) {
    const disco = await session.expectIq('get', NS_DISCO_INFO);
    session.reply(disco, `<query xmlns='${NS_DISCO_INFO}'><feature var='urn:xmpp:ping'/></query>`);
  }
  const carbons = await session.expectIq('set', NS_CARBONS);
  session.reply(carbons);
}

async function signIn(server: ScriptedServer, core: Core, options: { sm?: boolean } = {}): Promise<ScriptedSession> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  await serveSignIn(session, options);
  await core.roster.settled();
  return session;
}

const messageWithId = (id: string) => (el: Element) => el.is('message') && el.attrs.id === id;

/** Resolves once `id` is in `state` (at once when it is already). */
async function reaches(core: Core, id: string, state: ChatMessage['state']): Promise<ChatMessage> {
  const now = core.messageStore.message(id);
  if (now?.state === state) return now;
  const [message] = await waitForEvent<[ChatMessage]>(
    core.messages,
    'message',
    (m) => m.id === id && m.state === state,
    10_000,
  );
  return message;
}

function carbon(from: string, to: string, kind: 'received' | 'sent', inner: string): string {
  return (
    `<message from='${from}' to='${to}'><${kind} xmlns='${NS_CARBONS}'>` +
    `<forwarded xmlns='${NS_FORWARD}'>${inner}</forwarded></${kind}></message>`
  );
}

describe('issue 10 #2: live messages against the scripted server', TEST_TIMEOUT, () => {
  it('issue 10 #2: a carbon forged by another account (or our own full JID, or the server) is dropped; our own account’s is taken', async (t) => {
    const { server, core, logs } = await startServer(t);
    const session = await signIn(server, core);
    const seen: ChatMessage[] = [];
    core.messages.on('message', (m) => seen.push(m));
    const me = session.fullJid;
    const theirs = (id: string, body: string): string =>
      `<message from='${ROMEO}/orchard' to='juliet@localhost/phone' type='chat' id='${id}'><body>${body}</body></message>`;

    // S: romeo wraps his own message as if our server carbon-copied it
    session.send(carbon(ROMEO, me, 'received', theirs('forged-1', 'Forged by romeo')));
    // S: a "sent" carbon from our own FULL JID (a resource can send anything; only the bare JID is the server)
    session.send(
      carbon(
        'juliet@localhost/other',
        me,
        'sent',
        `<message from='juliet@localhost/other' to='${ROMEO}' type='chat' id='forged-2'><body>Forged sent</body></message>`,
      ),
    );
    // S: the server's domain is not our account either
    session.send(carbon('localhost', me, 'received', theirs('forged-3', 'Forged by the domain')));
    // S: the genuine carbon, from our bare JID
    session.send(carbon('juliet@localhost', me, 'received', theirs('real-1', 'Genuine carbon')));

    await waitForEvent<[ChatMessage]>(core.messages, 'message', (m) => m.body === 'Genuine carbon');
    assert.deepEqual(
      seen.map((m) => m.body),
      ['Genuine carbon'],
      'only the carbon from our own bare JID reached the store',
    );
    assert.equal(core.messages.forgedCarbons, 3);
    const page = await core.messages.history({ jid: ROMEO, limit: 50 });
    assert.deepEqual(
      page.entries.map((e) => (e.kind === 'message' ? e.body : 'gap')),
      ['Genuine carbon'],
    );
    assert.ok(
      logs.some((l) => l.includes('dropped a carbon from "romeo@example.net"')),
      'the forgery is logged',
    );
  });

  it('issue 10 #2: a receipt or displayed marker from someone our message did not go to is ignored; the contact’s own moves it to delivered, then read', async (t) => {
    const { server, core } = await startServer(t);
    const session = await signIn(server, core);
    const sent = core.messages.send(ROMEO, 'Wherefore art thou?');
    assert.equal(sent.state, 'queued');
    const stanza = await session.expect(messageWithId(sent.id));
    assert.equal(stanza.getChild('request', NS_RECEIPTS) !== undefined, true, 'a receipt is asked for');
    assert.equal(stanza.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id, sent.id, 'origin-id is the id');
    // no stream management here: written is sent
    await reaches(core, sent.id, 'sent');
    const states: string[] = [];
    core.messages.on('message', (m) => {
      if (m.id === sent.id) states.push(m.state);
    });

    const to = session.fullJid;
    session.send(
      `<message from='${TYBALT}/street' to='${to}'><received xmlns='${NS_RECEIPTS}' id='${sent.id}'/></message>`,
    );
    session.send(
      `<message from='${TYBALT}/street' to='${to}'><displayed xmlns='${NS_MARKERS}' id='${sent.id}'/></message>`,
    );
    session.send(
      `<message from='${ROMEO}/orchard' to='${to}'><received xmlns='${NS_RECEIPTS}' id='${sent.id}'/></message>`,
    );
    await reaches(core, sent.id, 'delivered');
    assert.equal(core.messages.misdirected, 2, "tybalt's receipt and marker were both ignored");
    assert.deepEqual(states, ['delivered']);

    session.send(
      `<message from='${ROMEO}/orchard' to='${to}'><displayed xmlns='${NS_MARKERS}' id='${sent.id}'/></message>`,
    );
    await reaches(core, sent.id, 'read');
    assert.deepEqual(states, ['delivered', 'read']);
  });

  it('issue 10 #2: receipts answer contacts who share presence, to the resource that asked, and never a stranger', async (t) => {
    const { server, core } = await startServer(t);
    const session = await signIn(server, core);
    const to = session.fullJid;
    const asking = (from: string, id: string, body: string): string =>
      `<message from='${from}' to='${to}' type='chat' id='${id}'><body>${body}</body><request xmlns='${NS_RECEIPTS}'/><markable xmlns='${NS_MARKERS}'/></message>`;
    session.send(asking(`${TYBALT}/street`, 't1', 'A stranger asks'));
    session.send(asking(`${ROMEO}/orchard`, 'r1', 'Romeo asks'));
    const receipt = await session.expect(
      (el) => el.is('message') && el.getChild('received', NS_RECEIPTS) !== undefined,
    );
    assert.equal(receipt.attrs.to, `${ROMEO}/orchard`);
    assert.equal(receipt.getChild('received', NS_RECEIPTS)?.attrs.id, 'r1');
    const fromRomeo = (await core.messages.history({ jid: ROMEO, limit: 10 })).entries.at(-1);
    assert.ok(fromRomeo?.kind === 'message');
    core.messages.markRead(ROMEO, fromRomeo.id);
    const marker = await session.expect((el) => el.is('message') && el.getChild('displayed', NS_MARKERS) !== undefined);
    assert.equal(marker.attrs.to, `${ROMEO}/orchard`);
    assert.equal(marker.getChild('displayed', NS_MARKERS)?.attrs.id, 'r1');
    const strangers = session.stanzas.filter(
      (el) => el.is('message') && typeof el.attrs.to === 'string' && el.attrs.to.startsWith(TYBALT),
    );
    assert.deepEqual(strangers, [], 'nothing went to the stranger');
    assert.equal(
      core.messages.conversations().find((c) => c.jid === TYBALT)?.unread,
      1,
      "the stranger's message is still kept",
    );
  });

  it("issue 10 #2: an error reply makes the message 'failed' with its condition (one from a third party is ignored); retry sends it again with the same id", async (t) => {
    const { server, core } = await startServer(t);
    const session = await signIn(server, core);
    const sent = core.messages.send('nobody@example.net', 'Hello?');
    await session.expect(messageWithId(sent.id));
    await reaches(core, sent.id, 'sent');
    const error = `<error type='cancel'><service-unavailable xmlns='${NS_STANZAS}'/><text xmlns='${NS_STANZAS}'>No such user</text></error>`;
    session.send(`<message type='error' from='${TYBALT}' to='${session.fullJid}' id='${sent.id}'>${error}</message>`);
    session.send(
      `<message type='error' from='nobody@example.net' to='${session.fullJid}' id='${sent.id}'>${error}</message>`,
    );
    const failed = await reaches(core, sent.id, 'failed');
    assert.equal(failed.error?.code, 'service-unavailable');
    assert.match(failed.error.message, /No such user/);
    assert.equal(core.messages.misdirected, 1, "tybalt's error was ignored");

    const retried = core.messages.retry(sent.id);
    assert.equal(retried.id, sent.id);
    assert.equal(retried.state, 'queued');
    await session.expect(messageWithId(sent.id));
    await reaches(core, sent.id, 'sent');
    assert.equal(session.stanzas.filter(messageWithId(sent.id)).length, 2, 'once, then once more on retry');
    assert.throws(() => core.messages.retry(sent.id), { code: 'invalid-argument' }, 'only a failed message is retried');
  });

  it("issue 10 #2: a message the server never acked (XEP-0198) before the connection dropped is 'sending', and is sent once more, same id, on the new session", async (t) => {
    const { server, core } = await startServer(t, { sm: true });
    const first = await signIn(server, core, { sm: true });
    const sent = core.messages.send(ROMEO, 'Are you there?');
    await first.expect(messageWithId(sent.id));
    // C asks for an ack; S never gives one
    await first.expect((el) => el.is('r', NS_SM));
    assert.equal(core.messageStore.message(sent.id)?.state, 'sending', 'counted by XEP-0198: sent only on the ack');

    const next = server.nextSession(10_000);
    first.destroy();
    const second = await next;
    await serveSignIn(second, { sm: true });
    const again = await second.expect(messageWithId(sent.id));
    assert.equal(
      again.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id,
      sent.id,
      'the same origin-id: the receiver drops a copy',
    );
    const request = await second.expect((el) => el.is('r', NS_SM));
    // S: acks everything C sent after <enable/> up to its <r/>
    const enableAt = second.stanzas.findIndex((el) => el.is('enable', NS_SM));
    const handled = second.stanzas
      .slice(enableAt + 1, second.stanzas.indexOf(request))
      .filter((el) => ['message', 'iq', 'presence'].includes(el.name)).length;
    second.send(`<a xmlns='${NS_SM}' h='${handled}'/>`);
    await reaches(core, sent.id, 'sent');

    // a barrier: the outbox goes in order, so a second copy would have come before this one
    const after = core.messages.send(ROMEO, 'barrier');
    await second.expect(messageWithId(after.id));
    assert.equal(first.stanzas.filter(messageWithId(sent.id)).length, 1);
    assert.equal(second.stanzas.filter(messageWithId(sent.id)).length, 1, 'sent once more, not twice');
    assert.deepEqual(
      core.messageStore.outboxEntries().map((m) => m.id),
      [after.id],
    );
  });
});
