/**
 * Issue 9 #3 (SASL: SCRAM-SHA-512/256/1, -PLUS channel binding checked on
 * the server's side) and #4 (no downgrade: refused before the password or
 * the proof is sent; XEP-0474) against the scripted server, with the real
 * core (XmppSession + SQLite profile).
 * C: is the client, S: is the test, speaking for the server.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import type { ConnectionState, Result } from '../../preload/contract.js';
import { createHandlers } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { SessionConfig } from '../../main/core/xmpp/session.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { CLI, runCli } from '../support/run-cli.js';
import { refuseMessageSetup } from '../support/scripted-messages.js';
import { ScriptedServer, type ScriptedServerOptions } from '../support/scripted-server.js';
import { isCode } from '../support/expect-error.js';

const NS_ROSTER = 'jabber:iq:roster';
const TEST_TIMEOUT = { timeout: 30_000 };

type Core = ReturnType<typeof openCore>;

function fixture(t: TestContext) {
  const cleanups: (() => unknown)[] = [];
  t.after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  return {
    async server(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
      const server = await ScriptedServer.start(options);
      cleanups.push(() => server.stop());
      return server;
    },
    core(server: ScriptedServer, options: { dataDir?: string; session?: Partial<SessionConfig> } = {}): Core {
      const core = openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret', options);
      cleanups.push(() => core.close());
      return core;
    },
  };
}

/** C: signs in   S: binds, answers the roster get   C: online. Closes the core afterwards. */
async function signInAndClose(server: ScriptedServer, core: Core): Promise<void> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  session.reply(await session.expectIq('get', NS_ROSTER), `<query xmlns='${NS_ROSTER}'/>`);
  await core.roster.retrieve();
  await core.close();
}

describe('issue 9 #3: SCRAM-SHA-256/512 and channel binding (scripted server)', TEST_TIMEOUT, () => {
  it('issue 9 #3: SCRAM-SHA-256-PLUS bound with tls-exporter on TLS 1.3 (XEP-0440), checked by the server', async (t) => {
    const f = fixture(t);
    const server = await f.server({
      mechanisms: ['PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'],
      channelBindingTypes: ['tls-server-end-point', 'tls-exporter'],
    });
    const core = f.core(server);
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    assert.equal(session.connection.mechanism, 'SCRAM-SHA-256-PLUS');
    assert.equal(session.connection.gs2Header, 'p=tls-exporter,,');
    assert.equal(session.connection.channelBinding, 'tls-exporter', 'the server computed the same exporter value');
    assert.deepEqual(core.session.recorder.report().sasl, {
      mechanism: 'SCRAM-SHA-256-PLUS',
      channelBinding: 'tls-exporter',
    });
  });

  it('issue 9 #3: SCRAM-SHA-512-PLUS wins over everything; tls-unique on TLS 1.2 without XEP-0440', async (t) => {
    const f = fixture(t);
    const server = await f.server({
      tlsMaxVersion: 'TLSv1.2',
      mechanisms: ['PLAIN', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'SCRAM-SHA-512-PLUS'],
    });
    const core = f.core(server);
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    assert.equal(session.connection.mechanism, 'SCRAM-SHA-512-PLUS');
    assert.equal(session.connection.channelBinding, 'tls-unique', "the client's Finished, as the server received it");
  });

  it('issue 9 #3: tls-server-end-point where it is the only type advertised', async (t) => {
    const f = fixture(t);
    const server = await f.server({
      mechanisms: ['SCRAM-SHA-256-PLUS', 'SCRAM-SHA-256'],
      channelBindingTypes: ['tls-server-end-point'],
    });
    const core = f.core(server);
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    assert.equal(session.connection.channelBinding, 'tls-server-end-point');
  });

  it('issue 9 #3: no -PLUS offered: SCRAM with y,, (we could bind), so a binding-capable server sees the removal', async (t) => {
    const f = fixture(t);
    const server = await f.server({ mechanisms: ['PLAIN', 'SCRAM-SHA-256'] });
    const core = f.core(server);
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    assert.equal(session.connection.mechanism, 'SCRAM-SHA-256');
    assert.equal(session.connection.gs2Header, 'y,,');
    assert.doesNotMatch(session.connection.received, /mechanism='PLAIN'/);
  });

  for (const mechanisms of [['SCRAM-SHA-256'], ['SCRAM-SHA-512-PLUS', 'SCRAM-SHA-512']]) {
    it(`issue 9 #3: a wrong server signature with ${mechanisms[0]}: server-unverified, never online`, async (t) => {
      const f = fixture(t);
      const server = await f.server({
        mechanisms,
        scramServerSignature: 'bogus',
        channelBindingTypes: ['tls-exporter'],
      });
      const core = f.core(server);
      await assert.rejects(core.session.start({ failFast: true }), isCode('server-unverified'));
      assert.equal(server.connections[0]!.mechanism, mechanisms[0]);
      assert.equal(
        server.connections[0]!.authenticatedAs,
        'juliet',
        'the server accepted the proof; the client refused the server',
      );
      assert.notEqual(core.session.state.status, 'online');
      await assert.rejects(server.nextSession(300), /no session reached "bound"/);
    });
  }
});

describe('issue 9 #4: no downgrade (scripted server)', TEST_TIMEOUT, () => {
  const STRONG: ScriptedServerOptions = {
    mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'],
    channelBindingTypes: ['tls-exporter'],
  };
  const cases: [string, ScriptedServerOptions, RegExp][] = [
    ['only PLAIN', { mechanisms: ['PLAIN'] }, /no longer offers SCRAM/],
    [
      'only SCRAM-SHA-1 (and PLAIN)',
      { mechanisms: ['PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-1-PLUS'], channelBindingTypes: ['tls-exporter'] },
      /no longer offers SCRAM-SHA-256/,
    ],
    ['SCRAM-SHA-256 without -PLUS', { mechanisms: ['PLAIN', 'SCRAM-SHA-256'] }, /no longer offers channel binding/],
  ];
  for (const [what, weaker, words] of cases) {
    it(`issue 9 #4: SCRAM-SHA-256-PLUS seen, now ${what}: auth-downgrade before any <auth>; accepted explicitly, it signs in`, async (t) => {
      const f = fixture(t);
      const dataDir = tempDir();
      const strong = await f.server(STRONG);
      await signInAndClose(strong, f.core(strong, { dataDir }));

      const downgraded = await f.server(weaker);
      const refused = f.core(downgraded, { dataDir });
      await assert.rejects(
        refused.session.start({ failFast: true }),
        (e: unknown) => isCode('auth-downgrade')(e) && words.test((e as Error).message),
      );
      const [connection] = downgraded.connections;
      assert.equal(connection!.secure, true);
      assert.doesNotMatch(connection!.received, /<auth/, 'no password, no client-first message');
      await refused.close();

      // The user says "sign in anyway": once, and what is offered now is remembered.
      await signInAndClose(downgraded, f.core(downgraded, { dataDir, session: { acceptDowngrade: true } }));
      await signInAndClose(downgraded, f.core(downgraded, { dataDir }));
    });
  }

  it('issue 9 #4: accepting a downgrade lasts one sign-in: a reconnect to a server offering still less is refused', async (t) => {
    const f = fixture(t);
    const dataDir = tempDir();
    const strong = await f.server(STRONG);
    await signInAndClose(strong, f.core(strong, { dataDir }));
    const sha1 = await f.server({ mechanisms: ['SCRAM-SHA-1'] });
    const core = f.core(sha1, { dataDir, session: { acceptDowngrade: true, backoff: { initialMs: 50, maxMs: 100 } } });
    const [, session] = await Promise.all([core.session.start({ failFast: true }), sha1.nextSession()]);
    session.reply(await session.expectIq('get', NS_ROSTER), `<query xmlns='${NS_ROSTER}'/>`);
    await core.roster.retrieve();
    // S: the server goes away; in its place (same port) one that offers only PLAIN.
    const refused = waitForEvent<[ConnectionState]>(core.session, 'state', (s) => s.status === 'error', 10_000);
    await sha1.stop();
    const plain = await f.server({ port: sha1.port, mechanisms: ['PLAIN'] });
    const [state] = await refused;
    assert.equal(state.status === 'error' && state.error.code, 'auth-downgrade');
    assert.match(
      state.status === 'error' ? state.error.message : '',
      /no longer offers SCRAM \(it offered SCRAM-SHA-1 before/,
    );
    assert.ok(plain.connections.length >= 1);
    for (const connection of plain.connections) assert.doesNotMatch(connection.received, /<auth/);
  });

  const ssdp = (hash: string, mechanisms: string[], types: string[] | null): string =>
    createHash(hash)
      .update([...mechanisms].sort().join('\x1e') + (types ? `\x1f${[...types].sort().join('\x1e')}` : ''))
      .digest('base64');

  it('issue 9 #4: XEP-0474: a hash that matches the advertised lists signs in', async (t) => {
    const f = fixture(t);
    const mechanisms = ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'];
    const server = await f.server({
      mechanisms,
      channelBindingTypes: ['tls-exporter'],
      scramServerFirst: (first) => `${first},h=${ssdp('sha256', mechanisms, ['tls-exporter'])}`,
    });
    const core = f.core(server);
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
    assert.equal(session.connection.channelBinding, 'tls-exporter');
  });

  it('issue 9 #4: XEP-0474 mismatch (the server signed SCRAM-SHA-512 and -PLUS we never saw): refused before the proof', async (t) => {
    const f = fixture(t);
    const server = await f.server({
      mechanisms: ['SCRAM-SHA-256'],
      // What the real server advertised, before someone in between stripped the list.
      scramServerFirst: (first) =>
        `${first},h=${ssdp('sha256', ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS', 'SCRAM-SHA-512'], ['tls-exporter'])}`,
    });
    const core = f.core(server, { session: { acceptDowngrade: true } });
    await assert.rejects(
      core.session.start({ failFast: true }),
      (e: unknown) => isCode('auth-downgrade')(e) && (e as Error).message.includes('XEP-0474'),
    );
    const [connection] = server.connections;
    assert.match(connection!.received, /<auth /, 'the client-first message went out (it carries no secret)');
    assert.doesNotMatch(connection!.received, /<response/, 'the proof never did, even with the downgrade accepted');
    assert.equal(connection!.authenticatedAs, undefined);
  });

  it('issue 9 #4: the app: signIn fails with auth-downgrade, then acceptDowngrade (validated at the IPC boundary) signs in', async (t) => {
    const f = fixture(t);
    const strong = await f.server(STRONG);
    const weak = await f.server({ mechanisms: ['PLAIN', 'SCRAM-SHA-1'] });
    const service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: strong.caPem, host: '127.0.0.1', connectTimeoutMs: 10_000 },
    });
    t.after(() => service.close());
    const handlers = createHandlers(service);
    const signIn = async (
      server: ScriptedServer,
      extra: Record<string, unknown> = {},
      binds = true,
    ): Promise<Result<unknown>> => {
      const request = {
        jid: 'juliet@localhost',
        password: 'secret',
        host: '127.0.0.1',
        port: server.port,
        rememberPassword: false,
        ...extra,
      };
      const [result] = await Promise.all([
        handlers.signIn([request]),
        binds &&
          server.nextSession().then(async (session) => {
            session.reply(await session.expectIq('get', NS_ROSTER), `<query xmlns='${NS_ROSTER}'/>`);
          }),
      ]);
      return result;
    };
    assert.equal((await signIn(strong)).ok, true);
    const refused = await signIn(weak, {}, false);
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'auth-downgrade');
    assert.match(refused.error.message, /no longer offers SCRAM-SHA-256/);
    assert.doesNotMatch(weak.connections[0]!.received, /<auth/);
    const accepted = await signIn(weak, { acceptDowngrade: true });
    assert.equal(accepted.ok, true, JSON.stringify(accepted));
    assert.equal(
      weak.connections.at(-1)!.mechanism,
      'SCRAM-SHA-1',
      'still the strongest offered: PLAIN only without SCRAM',
    );
  });

  it('issue 9 #4: balcony-roster: auth-downgrade in one line, then --accept-downgrade signs in', async (t) => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    const f = fixture(t);
    const dataDir = tempDir();
    const args = (server: ScriptedServer, ...extra: string[]): string[] => [
      'sync',
      '--data-dir',
      dataDir,
      '--account',
      'juliet@localhost',
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--ca-file',
      server.caFile,
      ...extra,
    ];
    const strong = await f.server(STRONG);
    const first = runCli(args(strong), { password: 'secret' });
    const session = await strong.nextSession(10_000);
    session.reply(await session.expectIq('get', NS_ROSTER), `<query xmlns='${NS_ROSTER}'/>`);
    await refuseMessageSetup(session);
    assert.equal((await first).code, 0, (await first).stderr);

    const weak = await f.server({ mechanisms: ['PLAIN'] });
    const refused = await runCli(args(weak), { password: 'secret' });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr.trimEnd(), /^auth-downgrade: .*no longer offers SCRAM[^\n]*$/);
    assert.doesNotMatch(weak.connections[0]!.received, /<auth/);

    const accepted = runCli(args(weak, '--accept-downgrade'), { password: 'secret' });
    const weakSession = await weak.nextSession(10_000);
    weakSession.reply(await weakSession.expectIq('get', NS_ROSTER), `<query xmlns='${NS_ROSTER}'/>`);
    await refuseMessageSetup(weakSession);
    assert.equal((await accepted).code, 0, (await accepted).stderr);
    assert.equal(weakSession.connection.mechanism, 'PLAIN');
  });
});
