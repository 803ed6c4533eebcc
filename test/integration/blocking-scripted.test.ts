/**
 * issue 12 #8: blocking (XEP-0191) against the scripted server, for what
 * neither Prosody nor ejabberd shows on demand: spoofed pushes, a server
 * without the feature, a refused block, a request delivered from a blocked
 * address. C: is the client (the real core), S: is the test, speaking for
 * the server.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { BlocklistSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import { ScriptedServer, type Element, type ScriptedSession } from '../support/scripted-server.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { isCode } from '../support/expect-error.js';
import { connectionReport } from '../../main/core/connection-report.js';

const NS_ROSTER = 'jabber:iq:roster';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_BLOCKING = 'urn:xmpp:blocking';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const TEST_TIMEOUT = { timeout: 30_000 };

type Core = ReturnType<typeof openCore>;

/** A scripted server for this test and the cores opened on it: after the test the cores sign out first, then it stops. */
async function startServer(t: TestContext): Promise<{ server: ScriptedServer; coreFor: (dataDir?: string) => Core }> {
  const server = await ScriptedServer.start();
  const cores: Core[] = [];
  t.after(async () => {
    for (const core of cores) await core.close();
    await server.stop();
  });
  const coreFor = (dataDir = tempDir()): Core => {
    const core = openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret', { dataDir, logs: [] });
    let closed = false;
    const close = core.close.bind(core);
    core.close = async () => {
      if (closed) return;
      closed = true;
      await close();
    };
    cores.push(core);
    return core;
  };
  return { server, coreFor };
}

/**
 * C: signs in; S: answers the roster get (empty) and every disco#info get
 * (the blocking service's and the connection report's) with `features`;
 * and, where blocking is offered, the blocklist get with `blocked`.
 */
async function signIn(
  server: ScriptedServer,
  core: Core,
  options: { features: string[]; blocked?: string[] },
): Promise<ScriptedSession> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  const get = await session.expectIq('get', NS_ROSTER);
  session.reply(get, `<query xmlns='${NS_ROSTER}'/>`);
  const features = options.features.map((f) => `<feature var='${f}'/>`).join('');
  for (let i = 0; i < 2; i++) {
    const disco = await session.expectIq('get', NS_DISCO_INFO);
    session.reply(disco, `<query xmlns='${NS_DISCO_INFO}'>${features}</query>`);
  }
  if (options.features.includes(NS_BLOCKING)) {
    const list = await session.expectIq('get', NS_BLOCKING);
    const items = (options.blocked ?? []).map((jid) => `<item jid='${jid}'/>`).join('');
    session.reply(list, `<blocklist xmlns='${NS_BLOCKING}'>${items}</blocklist>`);
  }
  await core.blocking.settled();
  return session;
}

const blockingPayload = (el: Element): boolean =>
  el.is('iq') && el.getChildElements().some((c) => c.getNS() === NS_BLOCKING);

function errorCondition(reply: Element): string | undefined {
  return reply
    .getChild('error')
    ?.getChildElements()
    .find((c) => c.getNS() === NS_STANZAS)?.name;
}

function pushXml(session: ScriptedSession, id: string, from: string | undefined, payload: string): string {
  const fromAttr = from === undefined ? '' : ` from='${from}'`;
  return `<iq type='set' id='${id}' to='${session.fullJid}'${fromAttr}>${payload}</iq>`;
}

describe('issue 12 #8: blocking against the scripted server', TEST_TIMEOUT, () => {
  it('issue 12 #8: a server without urn:xmpp:blocking gets no blocking iq at all, and block is refused as unavailable', async (t) => {
    const { server, coreFor } = await startServer(t);
    const core = coreFor();
    const session = await signIn(server, core, { features: ['urn:xmpp:ping'] });

    assert.deepEqual(core.blocking.snapshot(), { supported: false, items: [], failures: [] });
    await assert.rejects(core.blocking.block(['tybalt@example.com']), isCode('service-unavailable'));
    await assert.rejects(core.blocking.unblock(['tybalt@example.com']), isCode('service-unavailable'));
    // a barrier: the roster service's set goes out after anything blocking would have sent
    const edit = core.roster.add({ jid: 'romeo@example.net' });
    const set = await session.expectIq('set', NS_ROSTER);
    session.reply(set);
    session.send(
      `<iq type='set' id='p1' to='${session.fullJid}'><query xmlns='${NS_ROSTER}'><item jid='romeo@example.net'/></query></iq>`,
    );
    await edit;
    assert.deepEqual(session.stanzas.filter(blockingPayload), [], 'no blocklist get, no block set');
    assert.deepEqual(core.blocking.snapshot().items, [], 'nothing was queued either');
  });

  it('issue 12 #8: spoofed block and unblock pushes (a contact, the server domain, our other resource) are refused and change nothing; our own pushes are taken', async (t) => {
    const { server, coreFor } = await startServer(t);
    const core = coreFor();
    const session = await signIn(server, core, { features: [NS_BLOCKING], blocked: ['tybalt@example.com'] });
    const before = core.blocking.snapshot();
    assert.deepEqual(before.items, [{ jid: 'tybalt@example.com' }]);

    const spoofers = ['romeo@example.net', 'localhost', 'juliet@localhost/other', 'not a jid'];
    const payloads = [
      `<block xmlns='${NS_BLOCKING}'><item jid='nurse@example.com'/></block>`,
      `<unblock xmlns='${NS_BLOCKING}'/>`, // "unblock everyone", from a contact
    ];
    let i = 0;
    for (const from of spoofers) {
      for (const payload of payloads) {
        const id = `spoof-${i++}`;
        session.send(pushXml(session, id, from, payload));
        const reply = await session.expectReplyTo(id);
        assert.equal(reply.attrs.type, 'error', `${from}: refused`);
        assert.equal(errorCondition(reply), 'service-unavailable');
      }
    }
    assert.deepEqual(core.blocking.snapshot(), before, 'a spoofed push changes nothing');
    assert.equal(core.blocking.spoofedPushes, spoofers.length * payloads.length);
    const report = connectionReport({
      session: core.session,
      store: core.store,
      roster: core.roster,
      blocking: core.blocking,
    });
    assert.equal(report.roster.spoofedPushes, spoofers.length * payloads.length, 'counted in the connection report');
    assert.equal(core.blocking.isBlocked('tybalt@example.com'), true);

    // No 'from' (Prosody) and our bare JID (ejabberd): the server speaking for our account.
    session.send(pushXml(session, 'own-1', undefined, payloads[0]!));
    assert.equal((await session.expectReplyTo('own-1')).attrs.type, 'result');
    assert.deepEqual(core.blocking.snapshot().items, [{ jid: 'nurse@example.com' }, { jid: 'tybalt@example.com' }]);
    session.send(pushXml(session, 'own-2', 'juliet@localhost', payloads[1]!));
    assert.equal((await session.expectReplyTo('own-2')).attrs.type, 'result');
    assert.deepEqual(core.blocking.snapshot().items, [], 'an empty unblock from our account clears the list');
  });

  it('issue 12 #8: a subscription request from a blocked address is not shown even when the server delivers it', async (t) => {
    const { server, coreFor } = await startServer(t);
    const core = coreFor();
    const session = await signIn(server, core, {
      features: [NS_BLOCKING],
      blocked: ['tybalt@example.com', 'spam.example'],
    });
    const shown = waitForEvent<[SubscriptionRequest[]]>(core.presence, 'requests', (list) =>
      list.some((r) => r.jid === 'mercutio@example.org'),
    );
    session.send("<presence type='subscribe' from='tybalt@example.com'/>");
    session.send("<presence type='subscribe' from='bot@spam.example/x'/>");
    session.send("<presence type='subscribe' from='mercutio@example.org'/>");
    await shown;
    assert.deepEqual(
      core.presence.requests().map((r) => r.jid),
      ['mercutio@example.org'],
    );
    // Blocking someone whose request is listed takes it off the list.
    const dropped = waitForEvent<[SubscriptionRequest[]]>(core.presence, 'requests', (list) => list.length === 0);
    const blocked = core.blocking.block(['mercutio@example.org']);
    const set = await session.expectIq('set', NS_BLOCKING);
    session.reply(set);
    assert.deepEqual(await blocked, { queued: false });
    await dropped;
  });

  it('issue 12 #8: a block made offline waits, goes out after the blocklist get at the next sign-in, and a refusal is shown with its error and rolled back', async (t) => {
    const { server, coreFor } = await startServer(t);
    const dataDir = tempDir();
    const first = coreFor(dataDir);
    await signIn(server, first, { features: [NS_BLOCKING], blocked: [] });
    await first.close();

    const core = coreFor(dataDir);
    assert.equal(core.blocking.supported, true, 'the support found last time is remembered offline');
    assert.deepEqual(await core.blocking.block(['tybalt@example.com']), { queued: true });
    assert.deepEqual(await core.blocking.block(['nurse@example.com']), { queued: true });
    assert.deepEqual(core.blocking.snapshot().items, [
      { jid: 'nurse@example.com', pending: 'block' },
      { jid: 'tybalt@example.com', pending: 'block' },
    ]);

    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    const get = await session.expectIq('get', NS_ROSTER);
    session.reply(get, `<query xmlns='${NS_ROSTER}'/>`);
    for (let i = 0; i < 2; i++) {
      const disco = await session.expectIq('get', NS_DISCO_INFO);
      session.reply(disco, `<query xmlns='${NS_DISCO_INFO}'><feature var='${NS_BLOCKING}'/></query>`);
    }
    const list = await session.expectIq('get', NS_BLOCKING);
    assert.deepEqual(
      session.stanzas.filter((el) => el.attrs.type === 'set' && blockingPayload(el)),
      [],
      'nothing before the list',
    );
    session.reply(list, `<blocklist xmlns='${NS_BLOCKING}'/>`);
    const tybalt = await session.expectIq('set', NS_BLOCKING);
    assert.equal(tybalt.getChild('block', NS_BLOCKING)?.getChild('item')?.attrs.jid, 'tybalt@example.com');
    session.replyError(tybalt, 'not-allowed');
    const nurse = await session.expectIq('set', NS_BLOCKING);
    assert.equal(nurse.getChild('block', NS_BLOCKING)?.getChild('item')?.attrs.jid, 'nurse@example.com');
    const confirmed = waitForEvent<[BlocklistSnapshot]>(
      core.blocking,
      'change',
      (l) => l.items[0]?.pending === undefined,
    );
    session.reply(nurse);
    await confirmed;
    await core.blocking.settled();

    const shown = core.blocking.snapshot();
    assert.deepEqual(shown.items, [{ jid: 'nurse@example.com' }], 'the refused block is rolled back');
    assert.equal(shown.failures.length, 1);
    assert.deepEqual(
      { op: shown.failures[0]?.op, jids: shown.failures[0]?.jids, code: shown.failures[0]?.error.code },
      { op: 'block', jids: ['tybalt@example.com'], code: 'not-allowed' },
    );
    assert.equal(core.blocking.isBlocked('tybalt@example.com'), false);
    core.blocking.dismissFailure(shown.failures[0]!.id);
    assert.deepEqual(core.blocking.snapshot().failures, []);
    assert.equal(
      session.stanzas.filter((el) => el.attrs.type === 'set' && blockingPayload(el)).length,
      2,
      'each sent once',
    );
  });
});
