/**
 * Stream negotiation, authentication and the session's error handling
 * against the scripted server playing a hostile or broken server (issue 11,
 * items 1, 2, 3, 6, 7, 8, 9). Assertions are on the wire (what the client
 * did or did not send) and on the coded error, and on time where the fault
 * used to wait out a timeout.
 * C: is the client (the real core: XmppSession + RosterService + SQLite cache),
 * S: is the test, speaking for the server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'node:test';
import type { ConnectionState, ErrorCode } from '../../preload/contract.js';
import { BalconyError } from '../../main/core/errors.js';
import type { SessionConfig } from '../../main/core/xmpp/session.js';
import {
  ScriptedServer,
  type Element,
  type ScriptedServerOptions,
  type ScriptedSession,
} from '../support/scripted-server.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { isCode } from '../support/expect-error.js';

const NS_ROSTER = 'jabber:iq:roster';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const NS_PING = 'urn:xmpp:ping';
const TEST_TIMEOUT = { timeout: 20_000 };
/** Far below the sign-in timeout the tests configure (10 s): "at once". */
const AT_ONCE_MS = 3_000;

type Core = ReturnType<typeof openCore>;

/** Runs cleanups after the test, last registered first (a core closes before its server stops). */
function deferCleanup(t: TestContext): (cleanup: () => unknown) => void {
  const stack: (() => unknown)[] = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  return (cleanup) => stack.push(cleanup);
}

interface Fixture {
  server(options?: ScriptedServerOptions): Promise<ScriptedServer>;
  core(
    server: ScriptedServer,
    options?: { plaintext?: boolean; session?: Partial<SessionConfig>; logs?: string[] },
  ): Core;
}

function fixture(t: TestContext): Fixture {
  const defer = deferCleanup(t);
  return {
    async server(options = {}) {
      const server = await ScriptedServer.start(options);
      defer(() => server.stop());
      return server;
    },
    core(server, options = {}) {
      const core = openCore(
        { port: server.port, caFile: server.caFile, plaintext: options.plaintext },
        'juliet',
        'secret',
        { session: options.session, logs: options.logs ?? [] },
      );
      defer(() => core.close());
      return core;
    },
  };
}

/** Starts the session fail-fast and expects it to fail with `code`; returns how long that took. */
async function expectSignInFailure(core: Core, code: ErrorCode): Promise<number> {
  const started = Date.now();
  await assert.rejects(core.session.start({ failFast: true }), isCode(code));
  return Date.now() - started;
}

/** What the client sent on a connection, with the stream headers (negotiation) taken out. */
function stanzasSent(received: string): string[] {
  return [...received.matchAll(/<(iq|presence|message|enable|resume)\b[^>]*>/g)].map((m) => m[0]);
}

/** C: signs in (fail-fast)   S: binds   C: roster get. */
async function signIn(server: ScriptedServer, core: Core): Promise<{ session: ScriptedSession; get: Element }> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  return { session, get: await session.expectIq('get', NS_ROSTER) };
}

function bindResult(request: Element, jidXml: string, attrs = ''): string {
  return `<iq type='result' id='${String(request.attrs.id)}'${attrs}><bind xmlns='${NS_BIND}'>${jidXml}</bind></iq>`;
}

const ROMEO = "<item jid='romeo@example.net' name='Romeo' subscription='both'/>";
const MALLORY = "<item jid='mallory@evil.example' name='Mallory' subscription='both'/>";

// --- #1 ------------------------------------------------------------------------

describe(
  'issue 11 #1: nothing but negotiation before TLS and a verified sign-in (scripted server)',
  TEST_TIMEOUT,
  () => {
    it('issue 11 #1: cleartext features with only <bind/>, no opt-in: tls-required, no iq (bind, roster) on the wire', async (t) => {
      const f = fixture(t);
      // S: <stream:features><bind/></stream:features>   (no STARTTLS, no mechanisms)
      const server = await f.server({ tls: 'none', skipAuthentication: true });
      const core = f.core(server);
      const elapsed = await expectSignInFailure(core, 'tls-required');
      assert.ok(elapsed < AT_ONCE_MS, `at once, not after the sign-in timeout: ${elapsed} ms`);
      const [connection] = server.connections;
      assert.equal(server.connections.length, 1);
      assert.deepEqual(stanzasSent(connection!.received), [], `nothing but the stream header: ${connection!.received}`);
      await assert.rejects(server.nextSession(200), /no session reached "bound"/);
      assert.equal(core.session.state.status, 'error');
      assert.deepEqual(core.roster.snapshot().items, [], 'nothing received was cached');
    });

    it('issue 11 #1: cleartext features with only <bind/>, with the loopback opt-in: server-unverified, no iq on the wire', async (t) => {
      const f = fixture(t);
      const server = await f.server({ tls: 'none', skipAuthentication: true });
      const core = f.core(server, { plaintext: true });
      await expectSignInFailure(core, 'server-unverified');
      assert.deepEqual(stanzasSent(server.connections[0]!.received), []);
      await assert.rejects(server.nextSession(200), /no session reached "bound"/);
    });

    it('issue 11 #1: after STARTTLS, features with only <bind/> (SASL skipped): server-unverified, no iq on the wire', async (t) => {
      const f = fixture(t);
      const server = await f.server({ tls: 'required', skipAuthentication: true });
      const core = f.core(server);
      await expectSignInFailure(core, 'server-unverified');
      const [connection] = server.connections;
      assert.equal(connection!.secure, true, 'TLS was negotiated');
      assert.deepEqual(stanzasSent(connection!.received), [], connection!.received);
    });

    it('issue 11 #1: empty features on the first stream fail at once: tls-required, and server-unverified with the opt-in', async (t) => {
      const f = fixture(t);
      const server = await f.server({ tls: 'none', skipAuthentication: true, postAuthFeatures: '' });
      const elapsed = await expectSignInFailure(f.core(server), 'tls-required');
      assert.ok(elapsed < AT_ONCE_MS, `${elapsed} ms`);
      const optedIn = await expectSignInFailure(f.core(server, { plaintext: true }), 'server-unverified');
      assert.ok(optedIn < AT_ONCE_MS, `${optedIn} ms`);
    });

    it('issue 11 #1: PLAIN on a cleartext loopback stream proves nothing: server-unverified, the password is not sent', async (t) => {
      const f = fixture(t);
      const server = await f.server({ tls: 'none', mechanisms: ['PLAIN'] });
      await expectSignInFailure(f.core(server, { plaintext: true }), 'server-unverified');
      assert.doesNotMatch(server.connections[0]!.received, /<auth/);
    });

    it('issue 11 #1: the same policy after see-other-host: a redirect to a server that skips SASL is refused, one that signs in properly is followed', async (t) => {
      const f = fixture(t);
      const hostile = await f.server({ tls: 'none', skipAuthentication: true });
      const redirecting = await f.server({ onFirstStreamHeader: { seeOtherHost: `127.0.0.1:${hostile.port}` } });

      // S (first server): <see-other-host>127.0.0.1:port</see-other-host>   C: follows; S (second): features <bind/> only
      await expectSignInFailure(f.core(redirecting), 'tls-required');
      await expectSignInFailure(f.core(redirecting, { plaintext: true }), 'server-unverified');
      assert.equal(hostile.connections.length, 2, 'the redirect was followed both times');
      for (const connection of hostile.connections) {
        assert.deepEqual(stanzasSent(connection.received), [], connection.received);
      }

      const proper = await f.server();
      const toProper = await f.server({ onFirstStreamHeader: { seeOtherHost: `127.0.0.1:${proper.port}` } });
      const core = f.core(toProper);
      const { session, get } = await signIn(proper, core);
      assert.equal(session.connection.secure, true);
      assert.equal(session.connection.authenticatedAs, 'juliet');
      session.reply(get, `<query xmlns='${NS_ROSTER}'>${ROMEO}</query>`);
      assert.equal((await core.roster.retrieve()).count, 1);
    });

    it('issue 11 #1: a refused server is not retried (tls-required and server-unverified are fatal)', async (t) => {
      const f = fixture(t);
      const server = await f.server({ tls: 'required', skipAuthentication: true });
      const core = f.core(server, { session: { backoff: { initialMs: 20, maxMs: 50 } } });
      const failed = waitForEvent<[ConnectionState]>(core.session, 'state', (s) => s.status === 'error', 5_000);
      await core.session.start().catch(() => undefined);
      const [state] = await failed;
      assert.equal(state.status === 'error' ? state.error.code : undefined, 'server-unverified');
      await delay(500); // many retries would fit in here with this backoff
      assert.equal(server.connections.length, 1, 'no retry');
    });
  },
);

// --- #2 ------------------------------------------------------------------------

describe(
  'issue 11 #2: SCRAM server-first checks (RFC 5802 5.1) before the proof (scripted server)',
  TEST_TIMEOUT,
  () => {
    const cases: [string, (serverFirst: string) => string][] = [
      [
        'a server nonce that does not start with ours',
        (serverFirst) => serverFirst.replace(/^r=[^,]*/, 'r=Zm9yZWlnbm5vbmNlZm9yZWlnbg'),
      ],
      ['a mandatory extension (m=)', (serverFirst) => `m=must-understand,${serverFirst}`],
    ];
    for (const [what, rewrite] of cases) {
      it(`issue 11 #2: ${what} fails with auth-failed, and the client proof is never sent`, async (t) => {
        const f = fixture(t);
        const server = await f.server({ mechanisms: ['SCRAM-SHA-1'], scramServerFirst: rewrite });
        await expectSignInFailure(f.core(server), 'auth-failed');
        const [connection] = server.connections;
        assert.equal(connection!.mechanism, 'SCRAM-SHA-1');
        assert.doesNotMatch(connection!.received, /<response/, `no client-final message: ${connection!.received}`);
        assert.equal(connection!.authenticatedAs, undefined);
      });
    }

    it('issue 11 #2: an honest server-first (our nonce extended) still signs in', async (t) => {
      const f = fixture(t);
      const server = await f.server({ mechanisms: ['SCRAM-SHA-1'], scramServerFirst: (serverFirst) => serverFirst });
      const core = f.core(server);
      const { session, get } = await signIn(server, core);
      assert.match(session.connection.received, /<response/);
      session.reply(get, `<query xmlns='${NS_ROSTER}'/>`);
      await core.roster.retrieve();
    });
  },
);

// --- #3 ------------------------------------------------------------------------

describe('issue 11 #3: an iq reply is taken only from where the request went (scripted server)', TEST_TIMEOUT, () => {
  it('issue 11 #3: a roster result from a contact is ignored; the real one (no from) is taken', async (t) => {
    const f = fixture(t);
    const logs: string[] = [];
    const server = await f.server();
    const core = f.core(server, { logs });
    const { session, get } = await signIn(server, core);
    const retrieved = core.roster.retrieve();
    // S: a result with the right id from mallory, then the server's own
    session.reply(get, `<query xmlns='${NS_ROSTER}'>${MALLORY}</query>`, { from: 'mallory@evil.example/x' });
    session.reply(get, `<query xmlns='${NS_ROSTER}'>${ROMEO}</query>`, { from: undefined });
    await retrieved;
    assert.deepEqual(
      core.roster.snapshot().items.map((i) => i.jid),
      ['romeo@example.net'],
    );
    assert.ok(
      logs.some((l) => /ignored a reply .*mallory@evil\.example/.test(l)),
      logs.join('\n'),
    );
  });

  it('issue 11 #3: a roster result from our server domain, or our other resource, is not taken: the get times out, the cache is unchanged', async (t) => {
    const f = fixture(t);
    const server = await f.server();
    const core = f.core(server, { session: { iqTimeoutMs: 800 } });
    const { session, get } = await signIn(server, core);
    session.reply(get, `<query xmlns='${NS_ROSTER}'>${MALLORY}</query>`, { from: 'localhost' });
    session.reply(get, `<query xmlns='${NS_ROSTER}'>${MALLORY}</query>`, { from: `${session.bareJid}/other` });
    await assert.rejects(core.roster.retrieve(), isCode('timeout'));
    assert.deepEqual(core.roster.snapshot().items, []);
  });

  it('issue 11 #3: a roster result from our bare JID (any case) or our full JID is taken', async (t) => {
    const f = fixture(t);
    const server = await f.server();
    const core = f.core(server);
    const { session, get } = await signIn(server, core);
    session.reply(get, `<query xmlns='${NS_ROSTER}'>${ROMEO}</query>`, { from: 'JULIET@localhost' });
    assert.equal((await core.roster.retrieve()).count, 1);
    const again = core.roster.retrieve();
    const get2 = await session.expectIq('get', NS_ROSTER);
    session.reply(
      get2,
      `<query xmlns='${NS_ROSTER}'>${ROMEO}${MALLORY.replace('mallory@evil.example', 'nurse@example.com')}</query>`,
      { from: session.fullJid },
    );
    assert.equal((await again).count, 2);
  });

  it("issue 11 #3: a spoofed bind result (from a contact) is ignored; the server's is taken", async (t) => {
    const f = fixture(t);
    const server = await f.server({
      bindReply: (request, fullJid) =>
        bindResult(request, '<jid>juliet@localhost/spoofed</jid>', " from='mallory@evil.example'") +
        bindResult(request, `<jid>${fullJid}</jid>`),
    });
    const core = f.core(server);
    const { session } = await signIn(server, core);
    assert.deepEqual(core.session.state, { status: 'online', jid: session.fullJid });
  });

  it('issue 11 #3: a ping reply from anyone but the server does not count; a silent server is then declared dead', async (t) => {
    const f = fixture(t);
    const server = await f.server({ answerPings: false });
    const core = f.core(server, {
      session: { keepalive: { idleMs: 1_000, timeoutMs: 300 }, backoff: { initialMs: 60_000, maxMs: 60_000 } },
    });
    const { session, get } = await signIn(server, core);
    session.reply(get, `<query xmlns='${NS_ROSTER}'/>`);
    await core.roster.retrieve();

    // C: ping to localhost   S: a result from mallory, then the server's: the link is alive
    const ping1 = await session.expectIq('get', NS_PING);
    assert.equal(ping1.attrs.to, 'localhost');
    session.reply(ping1, '', { from: 'mallory@evil.example' });
    session.reply(ping1, '', { from: 'localhost' });
    // C: (the answer counted) pings again after the next idle period
    const ping2 = await session.expectIq('get', NS_PING);
    const dead = waitForEvent<[BalconyError]>(core.session, 'warning', (e) => e.code === 'connection-lost', 5_000);
    session.reply(ping2, '', { from: 'mallory@evil.example' });
    await dead;
    assert.notEqual(core.session.state.status, 'online');
    // Any element restarts the idle clock (1 s); the unanswered ping times out (0.3 s) before the
    // next one. Had mallory's reply counted as the answer, a third ping would have gone out first.
    const pings = session.stanzas.filter((el) => el.is('iq') && el.getChild('ping', NS_PING));
    assert.equal(pings.length, 2, 'declared dead on the unanswered second ping');
  });
});

// --- #6 ------------------------------------------------------------------------

describe('issue 11 #6: a TCP reset right after our stream header (scripted server)', TEST_TIMEOUT, () => {
  it('issue 11 #6: a reset right after our stream header is one coded error (connection-lost), no unhandled rejection', async (t) => {
    const unhandled: unknown[] = [];
    const spy = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', spy);
    t.after(() => {
      process.off('unhandledRejection', spy);
    });

    const f = fixture(t);
    const server = await f.server({ onFirstStreamHeader: 'reset' });
    await expectSignInFailure(f.core(server), 'connection-lost');
    assert.match(server.connections[0]!.received, /<stream:stream/);
    await delay(100); // a stray rejection surfaces within a few ticks
    assert.deepEqual(unhandled, []);
  });
});

// --- #7, #8, #9 --------------------------------------------------------------------

describe('issue 11 #7 #8 #9: the real cause, at once (scripted server)', TEST_TIMEOUT, () => {
  it('issue 11 #8: a DOCTYPE before the stream header fails at once with bad-format, no unhandled rejection', async (t) => {
    const unhandled: unknown[] = [];
    const spy = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', spy);
    t.after(() => {
      process.off('unhandledRejection', spy);
    });

    const f = fixture(t);
    const server = await f.server({ beforeStreamHeader: '<!DOCTYPE stream [<!ENTITY x "y">]>' });
    const elapsed = await expectSignInFailure(f.core(server), 'bad-format');
    assert.ok(elapsed < AT_ONCE_MS, `${elapsed} ms`);
    await delay(100);
    assert.deepEqual(unhandled, []);
  });

  it('issue 11 #7: an oversized element during sign-in fails at once with stanza-too-large (already so; kept as a guard)', async (t) => {
    const f = fixture(t);
    const server = await f.server({
      postAuthFeatures: `<bind xmlns='${NS_BIND}'/><x xmlns='urn:example'>${'y'.repeat(50_000)}</x>`,
    });
    const elapsed = await expectSignInFailure(
      f.core(server, { session: { maxStanzaSize: 10_000 } }),
      'stanza-too-large',
    );
    assert.ok(elapsed < AT_ONCE_MS, `${elapsed} ms`);
  });

  const afterSignIn: { what: string; code: ErrorCode; send: (s: ScriptedSession) => void }[] = [
    {
      what: 'an undefined entity',
      code: 'bad-format',
      send: (s) => s.sendRaw("<message from='x@y'><body>&nbsp;</body></message>"),
    },
    {
      what: 'a stanza over the limit',
      code: 'stanza-too-large',
      send: (s) => s.sendRaw(`<message from='x@y'><body>${'x'.repeat(20_000)}</body></message>`),
    },
    {
      what: 'a second stream header',
      code: 'bad-format',
      send: (s) =>
        s.sendRaw(
          "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' version='1.0'>",
        ),
    },
  ];
  for (const { what, code, send } of afterSignIn) {
    it(`issue 11 ${code === 'stanza-too-large' ? '#7 #9' : '#9'}: ${what} after sign-in ends the waiting roster get at once with ${code}, not connection-lost or a timeout`, async (t) => {
      const f = fixture(t);
      const server = await f.server();
      const core = f.core(server, {
        session: { maxStanzaSize: 10_000, iqTimeoutMs: 10_000, backoff: { initialMs: 60_000, maxMs: 60_000 } },
      });
      const { session } = await signIn(server, core);
      const retrieval = core.roster.retrieve();
      const started = Date.now();
      // S: (instead of the roster result) the hostile bytes
      send(session);
      await assert.rejects(retrieval, isCode(code));
      assert.ok(Date.now() - started < AT_ONCE_MS, `${Date.now() - started} ms`);
      await session.closed(5_000);
    });
  }

  it('issue 11 #7: a stanza over the limit from a server that keeps streaming ends the waiting get at once with stanza-too-large, not at the close timeout', async (t) => {
    const f = fixture(t);
    const server = await f.server({ tls: 'none', mechanisms: ['SCRAM-SHA-1'], keepStreaming: true });
    const core = f.core(server, {
      plaintext: true,
      session: { maxStanzaSize: 10_000, backoff: { initialMs: 60_000, maxMs: 60_000 } },
    });
    const { session } = await signIn(server, core);
    // set by the retrieval's callback (a holder, so the loop's check is not narrowed to the initial false)
    const retrievalState = { settled: false };
    const retrieval = core.roster.retrieve().finally(() => {
      retrievalState.settled = true;
    });
    retrieval.catch(() => undefined);
    const started = Date.now();
    // S: one endless stanza, 4,000 characters every 10 ms, ignoring the client's stream close
    session.sendRaw("<message from='x@y'><body>");
    while (!retrievalState.settled && !session.isClosed && Date.now() - started < 8_000) {
      try {
        session.sendRaw('x'.repeat(4_000));
      } catch {
        break; // the client dropped the socket
      }
      await delay(10);
    }
    await assert.rejects(retrieval, isCode('stanza-too-large'));
    assert.ok(Date.now() - started < AT_ONCE_MS, `${Date.now() - started} ms`);
  });

  it('issue 11 #9: empty features after sign-in fail at once with bad-format, and are retried (not fatal)', async (t) => {
    const f = fixture(t);
    const server = await f.server({ postAuthFeatures: '' });
    const elapsed = await expectSignInFailure(f.core(server), 'bad-format');
    assert.ok(elapsed < AT_ONCE_MS, `${elapsed} ms`);

    const app = f.core(server, { session: { backoff: { initialMs: 20, maxMs: 50 } } });
    await app.session.start().catch(() => undefined);
    const deadline = Date.now() + 5_000;
    while (server.connections.length < 3 && Date.now() < deadline) await server.nextConnection(5_000);
    assert.ok(server.connections.length >= 3, 'the app tries again');
    await app.session.stop();
  });

  const badBinds: [string, string][] = [
    ['a bind result naming another account', '<jid>romeo@localhost/balcony</jid>'],
    ['a bind result that is not a JID', '<jid>@@not a jid</jid>'],
    ['a bind result without <jid/>', ''],
  ];
  for (const [what, jidXml] of badBinds) {
    it(`issue 11 #9: ${what} is refused with bad-format; no roster get is sent`, async (t) => {
      const f = fixture(t);
      const server = await f.server({ bindReply: (request) => bindResult(request, jidXml) });
      const core = f.core(server);
      await assert.rejects(core.session.start({ failFast: true }), (e: unknown) => {
        isCode('bad-format')(e);
        assert.doesNotMatch((e as Error).message, /Cannot read properties/);
        return true;
      });
      const session = await server.nextSession();
      await session.closed(5_000);
      assert.deepEqual(
        session.stanzas.filter((s) => s.is('iq') && s.getChild('query', NS_ROSTER)),
        [],
        'no roster get',
      );
      assert.notEqual(core.session.state.status, 'online');
    });
  }
});

// --- the command's one-line errors ------------------------------------------------------

const CLI = fileURLToPath(new URL('../../dist/main/cli/roster.js', import.meta.url));

/** Runs the built balcony-roster; resolves with its exit code and stderr (bounded). */
function runCli(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, BALCONY_PASSWORD: 'secret' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`balcony-roster timed out: ${stderr}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe('issue 11 #1 #8 #9: balcony-roster prints the real cause in one line (scripted server)', TEST_TIMEOUT, () => {
  function args(server: ScriptedServer, ...extra: string[]): string[] {
    return [
      'sync',
      '--data-dir',
      tempDir(),
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
  }
  function assertOneLine(run: { code: number | null; stderr: string }, code: ErrorCode): void {
    assert.notEqual(run.code, 0);
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line: ${run.stderr}`);
    assert.ok(lines[0]!.startsWith(`${code}: `), `expected ${code}, got ${lines[0]}`);
  }

  it('issue 11 #9: hostile XML after sign-in: the command says bad-format, not connection-lost', async (t) => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    const f = fixture(t);
    const server = await f.server();
    const run = runCli(args(server));
    const session = await server.nextSession(10_000);
    await session.expectIq('get', NS_ROSTER);
    session.sendRaw("<message from='x@y'><body>&nbsp;</body></message>");
    assertOneLine(await run, 'bad-format');
  });

  it('issue 11 #8: a DOCTYPE before the stream header: bad-format at once', async (t) => {
    const f = fixture(t);
    const server = await f.server({ beforeStreamHeader: '<!DOCTYPE stream>' });
    const run = await runCli(args(server));
    assertOneLine(run, 'bad-format');
    assert.ok(run.ms < 10_000, `well before the 20 s sign-in timeout: ${run.ms} ms`);
  });

  it('issue 11 #1: features with only <bind/>: tls-required, and server-unverified with --allow-plaintext-loopback', async (t) => {
    const f = fixture(t);
    const server = await f.server({ tls: 'none', skipAuthentication: true });
    assertOneLine(await runCli(args(server)), 'tls-required');
    assertOneLine(await runCli(args(server, '--allow-plaintext-loopback')), 'server-unverified');
    for (const connection of server.connections) assert.deepEqual(stanzasSent(connection.received), []);
  });
});
