/**
 * Issue 9 #5 against the scripted server: the server probe after sign-in
 * (XEP-0092 software version, disco#info blocking) never delays the sign-in
 * and tolerates silence and errors; "Fetch the whole roster again" asks
 * without our version and keeps the cache until the full result replaces it.
 * C: is the client (the real core), S: is the test, speaking for the server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { connectionReport } from '../../main/core/connection-report.js';
import { ServerProbe } from '../../main/core/xmpp/server-probe.js';
import { XmppSession } from '../../main/core/xmpp/session.js';
import { ROSTER_VER_FEATURE, ScriptedServer } from '../support/scripted-server.js';
import { openCore } from '../support/roster-fixtures.js';

const NS_VERSION = 'jabber:iq:version';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_ROSTER = 'jabber:iq:roster';
const TEST_TIMEOUT = { timeout: 20_000 };

async function startServer(
  t: TestContext,
  options: Parameters<typeof ScriptedServer.start>[0] = {},
): Promise<ScriptedServer> {
  const server = await ScriptedServer.start(options);
  t.after(() => server.stop());
  return server;
}

function sessionFor(t: TestContext, server: ScriptedServer): XmppSession {
  const session = new XmppSession({
    account: 'juliet@localhost',
    password: 'secret',
    host: '127.0.0.1',
    port: server.port,
    ca: readFileSync(server.caFile, 'utf8'),
    connectTimeoutMs: 5_000,
    iqTimeoutMs: 5_000,
  });
  return session;
}

describe('issue 9 #5: server probe and roster resync (scripted server)', () => {
  it(
    'issue 9 #5: the probe records the server software and blocking; a silent server does not delay the sign-in',
    TEST_TIMEOUT,
    async (t) => {
      const server = await startServer(t);
      const session = sessionFor(t, server);
      const probe = new ServerProbe(session, { timeoutMs: 30_000 });
      t.after(() => session.stop());
      // C: signs in; S: binds and says nothing yet: start() resolves all the same.
      const [, scripted] = await Promise.all([session.start({ failFast: true }), server.nextSession()]);
      assert.equal(session.state.status, 'online');
      const version = await scripted.expectIq('get', NS_VERSION);
      const disco = await scripted.expectIq('get', NS_DISCO_INFO);
      assert.equal(version.attrs.to, 'localhost', 'asked of the server domain');
      assert.equal(disco.attrs.to, 'localhost');
      // S: answers both
      scripted.reply(
        version,
        `<query xmlns='${NS_VERSION}'><name>Scripted\u202eServer</name><version>1.2.3</version></query>`,
      );
      scripted.reply(
        disco,
        `<query xmlns='${NS_DISCO_INFO}'><identity category='server' type='im'/><feature var='urn:xmpp:blocking'/></query>`,
      );
      await probe.settled();
      const report = session.recorder.report();
      assert.deepEqual(
        report.server,
        { name: 'Scripted\u202eServer', version: '1.2.3' },
        'kept as sent: every printer escapes it',
      );
      assert.equal(report.features.blocking, true);
    },
  );

  it(
    'issue 9 #5: no answer within the probe timeout and an error answer leave the server unknown, online all along',
    TEST_TIMEOUT,
    async (t) => {
      const server = await startServer(t);
      const session = sessionFor(t, server);
      const probe = new ServerProbe(session, { timeoutMs: 300 });
      t.after(() => session.stop());
      const [, scripted] = await Promise.all([session.start({ failFast: true }), server.nextSession()]);
      const disco = await scripted.expectIq('get', NS_DISCO_INFO);
      scripted.replyError(disco, 'service-unavailable');
      await scripted.expectIq('get', NS_VERSION); // S: never answers
      const started = Date.now();
      await probe.settled();
      assert.ok(Date.now() - started < 5_000, 'given up after its own short timeout, not the iq timeout');
      const report = session.recorder.report();
      assert.equal(report.server, null);
      assert.equal(report.features.blocking, false);
      assert.equal(report.failure, null);
      assert.equal(session.state.status, 'online');
    },
  );

  it(
    'issue 9 #5: resync asks with ver="" although a version is cached, keeps the cache until the full result, and a refusal changes nothing',
    TEST_TIMEOUT,
    async (t) => {
      const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
      const core = openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret');
      t.after(() => core.close());
      const [, scripted] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
      const first = await scripted.expectIq('get', NS_ROSTER);
      scripted.reply(
        first,
        `<query xmlns='${NS_ROSTER}' ver='v7'><item jid='romeo@example.net' name='Romeo'/><item jid='tybalt@example.net'/></query>`,
      );
      await core.roster.settled();
      assert.equal(core.store.getVersion('juliet@localhost'), 'v7');
      const syncedBefore = core.store.getSyncedAt('juliet@localhost');

      // C: resync; S: refuses: the cache is as it was
      const refused = core.roster.resync();
      const get1 = await scripted.expectIq('get', NS_ROSTER);
      assert.equal(get1.getChild('query', NS_ROSTER)?.attrs.ver, '', 'no version of ours: the whole roster');
      scripted.replyError(get1, 'internal-server-error');
      await assert.rejects(refused, { code: 'internal-server-error' });
      assert.deepEqual(
        core.roster.serverSnapshot().items.map((i) => i.jid),
        ['romeo@example.net', 'tybalt@example.net'],
      );
      assert.equal(core.store.getVersion('juliet@localhost'), 'v7');

      // C: resync again; while S has not answered, the cache is still shown
      const full = core.roster.resync();
      const get2 = await scripted.expectIq('get', NS_ROSTER);
      assert.equal(get2.getChild('query', NS_ROSTER)?.attrs.ver, '');
      assert.equal(core.roster.snapshot().items.length, 2, 'the cache stays until the full result replaces it');
      scripted.reply(
        get2,
        `<query xmlns='${NS_ROSTER}' ver='v9'><item jid='romeo@example.net' name='Romeo'/><item jid='nurse@example.net'/><item jid='paris@example.net'/></query>`,
      );
      const result = await full;
      assert.deepEqual(
        { kind: result.kind, count: result.count, version: result.version },
        { kind: 'full', count: 3, version: 'v9' },
      );
      assert.deepEqual(
        core.roster.serverSnapshot().items.map((i) => i.jid),
        ['nurse@example.net', 'paris@example.net', 'romeo@example.net'],
      );
      const report = connectionReport(core);
      assert.ok(report.roster.lastFullSync! >= syncedBefore!, 'the last full sync moved');
      assert.equal(report.roster.spoofedPushes, 0);
    },
  );

  it('issue 9 #5: spoofed pushes dropped are counted in the report', TEST_TIMEOUT, async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret');
    t.after(() => core.close());
    const [, scripted] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    const get = await scripted.expectIq('get', NS_ROSTER);
    scripted.reply(get, `<query xmlns='${NS_ROSTER}' ver='v1'/>`);
    await core.roster.settled();
    scripted.send(
      `<iq type='set' id='spoof1' from='mallory@evil.example' to='${scripted.fullJid}'><query xmlns='${NS_ROSTER}' ver='v2'><item jid='mallory@evil.example'/></query></iq>`,
    );
    const answer = await scripted.expectReplyTo('spoof1');
    assert.equal(answer.attrs.type, 'error');
    assert.equal(connectionReport(core).roster.spoofedPushes, 1);
  });
});
