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
import type { ArchiveApi, CatchUpResult } from '../../main/core/messages/archive-api.js';

const NS_ROSTER = 'jabber:iq:roster';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_CARBONS = 'urn:xmpp:carbons:2';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_MARKERS = 'urn:xmpp:chat-markers:0';
const NS_SM = 'urn:xmpp:sm:3';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const NS_BLOCKING = 'urn:xmpp:blocking';
const NS_CHAT_STATES = 'http://jabber.org/protocol/chatstates';
const SM_FEATURE = `<sm xmlns='${NS_SM}'/>`;
const ROMEO = 'romeo@example.net';
const TYBALT = 'tybalt@example.com';
const TEST_TIMEOUT = { timeout: 30_000 };

type Core = ReturnType<typeof openCore> & WithMessages;

async function startServer(
  t: TestContext,
  options: { sm?: boolean; archive?: ArchiveApi } = {},
): Promise<{ server: ScriptedServer; core: Core; logs: string[] }> {
  const server = await ScriptedServer.start({ extraFeatures: options.sm ? [SM_FEATURE] : [] });
  const logs: string[] = [];
  const core = withMessages(
    openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret', {
      dataDir: tempDir(),
      logs,
      session: { backoff: { initialMs: 50, maxMs: 200 } },
    }),
    { logs, archive: options.archive },
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
async function serveSignIn(session: ScriptedSession, options: SignInOptions = {}): Promise<void> {
  if (options.sm) {
    await session.expect((el) => el.is('enable', NS_SM));
    session.send(`<enabled xmlns='${NS_SM}'/>`);
  }
  const get = await session.expectIq('get', NS_ROSTER);
  session.reply(get, `<query xmlns='${NS_ROSTER}'><item jid='${ROMEO}' subscription='both'/></query>`);
  const features = ['urn:xmpp:ping', ...(options.blocked ? [NS_BLOCKING] : [])]
    .map((f) => `<feature var='${f}'/>`)
    .join('');
  for (let i = 0; i < 2; i++) {
    const disco = await session.expectIq('get', NS_DISCO_INFO);
    session.reply(disco, `<query xmlns='${NS_DISCO_INFO}'>${features}</query>`);
  }
  if (options.blocked) {
    const list = await session.expectIq('get', NS_BLOCKING);
    const items = options.blocked.map((jid) => `<item jid='${jid}'/>`).join('');
    session.reply(list, `<blocklist xmlns='${NS_BLOCKING}'>${items}</blocklist>`);
  }
  const carbons = await session.expectIq('set', NS_CARBONS);
  session.reply(carbons);
}

interface SignInOptions {
  sm?: boolean;
  /** Offer XEP-0191 blocking with this blocklist. */
  blocked?: string[];
}

async function signIn(server: ScriptedServer, core: Core, options: SignInOptions = {}): Promise<ScriptedSession> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  await serveSignIn(session, options);
  await core.roster.settled();
  await core.blocking.settled();
  return session;
}

/** An ArchiveApi whose catch-up the test holds and settles, and whose paging back it records. */
class FakeArchive implements ArchiveApi {
  readonly catchUps: { settle: (result: CatchUpResult | Error) => void }[] = [];
  readonly pagesBack: { jid: string; limit: number }[] = [];
  #called: (() => void) | null = null;
  onPageBack: (jid: string) => void = () => undefined;

  catchUp(): Promise<CatchUpResult> {
    return new Promise((resolve, reject) => {
      this.catchUps.push({ settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      this.#called?.();
    });
  }
  /** Resolves once catchUp() has been called `count` times. */
  async caughtUp(count: number): Promise<void> {
    while (this.catchUps.length < count) await new Promise<void>((resolve) => (this.#called = resolve));
  }
  pageBack(jid: string, limit: number): Promise<{ added: number; atStart: boolean }> {
    this.pagesBack.push({ jid, limit });
    this.onPageBack(jid);
    return Promise.resolve({ added: 0, atStart: true });
  }
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
    assert.equal(sent.state, 'sending', 'online it is written at once: the answer says so');
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
    assert.equal(retried.state, 'sending');
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

    const unacked: unknown[] = [];
    core.session.on('unacked', (el) => unacked.push(el.attrs.id));
    const next = server.nextSession(10_000);
    first.destroy();
    const second = await next;
    await serveSignIn(second, { sm: true });
    const again = await second.expect(messageWithId(sent.id));
    assert.ok(unacked.includes(sent.id), "the session told that the stream ended with it unacknowledged ('unacked')");
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
  it('issue 10 #2: on a new session carbons go on first, then the archive catch-up, then the outbox; a failed catch-up is logged and the outbox still goes', async (t) => {
    const archive = new FakeArchive();
    const { server, core, logs } = await startServer(t, { archive });
    const queued = core.messages.send(ROMEO, 'Written before signing in');
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    await serveSignIn(session);
    await archive.caughtUp(1);
    const carbonsAt = session.stanzas.findIndex((el) => el.is('iq') && el.getChild('enable', NS_CARBONS) !== undefined);
    assert.ok(carbonsAt >= 0, 'carbons were enabled before the catch-up began');
    assert.equal(session.stanzas.filter(messageWithId(queued.id)).length, 0, 'the outbox waits for the catch-up');
    assert.equal(core.messageStore.message(queued.id)?.state, 'queued');
    archive.catchUps[0]?.settle(new Error('the archive is unwell'));
    await session.expect(messageWithId(queued.id));
    await reaches(core, queued.id, 'sent');
    assert.ok(logs.some((l) => l.includes('archive catch-up failed: the archive is unwell')));
    assert.equal(archive.catchUps.length, 1, 'one catch-up per new session');
  });

  it('issue 10 #2: chat states: the contact’s are told once per change (their message or a drop ends “typing…”); ours go only to contacts sharing presence, once per change, never when turned off', async (t) => {
    const { server, core } = await startServer(t);
    const session = await signIn(server, core);
    const to = session.fullJid;
    const told: string[] = [];
    core.messages.on('chat-state', (jid, state) => told.push(`${jid}:${state}`));
    const state = (name: string, body = ''): string =>
      `<message from='${ROMEO}/orchard' to='${to}' type='chat'>${body}<${name} xmlns='${NS_CHAT_STATES}'/></message>`;
    session.send(state('composing'));
    session.send(state('composing'));
    session.send(state('paused'));
    session.send(`<message from='${ROMEO}/orchard' to='${to}' type='chat' id='r1'><body>Here I am</body></message>`);
    await waitForEvent<[ChatMessage]>(core.messages, 'message', (m) => m.body === 'Here I am');
    assert.deepEqual(told, [`${ROMEO}:composing`, `${ROMEO}:paused`, `${ROMEO}:active`]);

    const isState = (name: string, jid: string) => (el: Element) =>
      el.is('message') && String(el.attrs.to).startsWith(jid) && el.getChild(name, NS_CHAT_STATES) !== undefined;
    await core.messages.setChatState(ROMEO, 'composing');
    const composing = await session.expect(isState('composing', ROMEO));
    assert.equal(composing.getChild('body'), undefined, 'a standalone notification');
    await core.messages.setChatState(ROMEO, 'composing');
    await core.messages.setChatState(TYBALT, 'composing');
    await core.messages.setChatState(ROMEO, 'paused');
    await session.expect(isState('paused', ROMEO));
    assert.equal(session.stanzas.filter(isState('composing', ROMEO)).length, 1, 'once per change');
    assert.deepEqual(session.stanzas.filter(isState('composing', TYBALT)), [], 'not to a stranger');

    core.messages.setSettings({ sendChatStates: false, notifications: 'full' });
    await core.messages.setChatState(ROMEO, 'composing');
    const barrier = core.messages.send(ROMEO, 'barrier');
    await session.expect(messageWithId(barrier.id));
    assert.equal(session.stanzas.filter(isState('composing', ROMEO)).length, 1, 'turned off: nothing more');
    await assert.rejects(core.messages.setChatState(ROMEO, 'shouting' as never), { code: 'invalid-argument' });

    session.send(state('composing'));
    await waitForEvent(core.messages, 'chat-state', (jid: string, s: string) => jid === ROMEO && s === 'composing');
    const ended = waitForEvent(
      core.messages,
      'chat-state',
      (jid: string, s: string) => jid === ROMEO && s === 'active',
    );
    session.destroy();
    await ended;
  });

  it('issue 10 #2: a blocked address’s messages are neither kept nor answered', async (t) => {
    const { server, core } = await startServer(t);
    const session = await signIn(server, core, { blocked: [TYBALT] });
    assert.equal(core.blocking.isBlocked(TYBALT), true);
    const seen: ChatMessage[] = [];
    core.messages.on('message', (m) => seen.push(m));
    const to = session.fullJid;
    session.send(
      `<message from='${TYBALT}/street' to='${to}' type='chat' id='t1'><body>Draw!</body><request xmlns='${NS_RECEIPTS}'/><composing xmlns='${NS_CHAT_STATES}'/></message>`,
    );
    session.send(`<message from='${ROMEO}/orchard' to='${to}' type='chat' id='r1'><body>barrier</body></message>`);
    await waitForEvent<[ChatMessage]>(core.messages, 'message', (m) => m.body === 'barrier');
    assert.deepEqual(
      seen.map((m) => m.from),
      [ROMEO],
    );
    assert.equal(
      core.messages.conversations().some((c) => c.jid === TYBALT),
      false,
    );
    assert.deepEqual(
      session.stanzas.filter((el) => el.is('message') && String(el.attrs.to).startsWith(TYBALT)),
      [],
      'no receipt to tybalt',
    );
  });

  it('issue 10 #2: scrolling back past the cache asks the archive for the rest of the page when online (never offline), until it says there is nothing older', async (t) => {
    const archive = new FakeArchive();
    const { server, core } = await startServer(t, { archive });
    archive.onPageBack = (jid) => core.messageStore.setArchiveAtStart(jid, true);
    const offline = await core.messages.history({ jid: ROMEO, limit: 30 });
    assert.deepEqual(offline, { jid: ROMEO, entries: [], atStart: false }, 'offline: the archive may hold more');
    assert.deepEqual(archive.pagesBack, []);

    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    await serveSignIn(session);
    await archive.caughtUp(1);
    archive.catchUps[0]?.settle({ fetched: 0, pages: 1, gaps: 0 });
    session.send(
      `<message from='${ROMEO}/orchard' to='${session.fullJid}' type='chat' id='r1'><body>Only one</body></message>`,
    );
    await waitForEvent<[ChatMessage]>(core.messages, 'message', (m) => m.body === 'Only one');
    const online = await core.messages.history({ jid: ROMEO, limit: 30 });
    assert.deepEqual(archive.pagesBack, [{ jid: ROMEO, limit: 29 }], 'the rest of the page');
    assert.equal(online.atStart, true);
    assert.deepEqual(
      online.entries.map((e) => (e.kind === 'message' ? e.body : 'gap')),
      ['Only one'],
    );
    await core.messages.history({ jid: ROMEO, limit: 30 });
    assert.equal(archive.pagesBack.length, 1, 'the archive said it has nothing older: not asked again');
    await assert.rejects(core.messages.history({ jid: ROMEO, limit: 0 }), { code: 'invalid-argument' });
    await assert.rejects(core.messages.history({ jid: 'not a jid@@', limit: 5 }), { code: 'invalid-jid' });
  });
});
