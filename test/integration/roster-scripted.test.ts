/**
 * The roster engine against the scripted server: dialogues that neither
 * Prosody nor ejabberd produce on demand (pushes in the same write as the
 * result, spoofed and malformed pushes, hostile XML, a server that does not
 * know the password, a stripped STARTTLS, dropped sockets, every error a
 * roster set can get). Each test reads as the dialogue it checks:
 * C: is the client (the real core: XmppSession + RosterService + SQLite cache),
 * S: is the test, speaking for the server.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import { describe, it, type TestContext } from 'node:test';
import { escapeXML } from '@xmpp/xml';
import type { ConnectionState, RosterItem } from '../../preload/contract.js';
import { BalconyError } from '../../main/core/errors.js';
import type { SessionConfig } from '../../main/core/xmpp/session.js';
import {
  ROSTER_VER_FEATURE,
  ScriptedServer,
  type Element,
  type ScriptedServerOptions,
  type ScriptedSession,
} from '../support/scripted-server.js';
import { openCore, waitForEvent, type Endpoint } from '../support/roster-fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const ACCOUNT = 'juliet@localhost';
const TEST_TIMEOUT = { timeout: 20_000 };

type Core = ReturnType<typeof openCore>;

// --- helpers -----------------------------------------------------------------

function endpointOf(server: ScriptedServer, extra: Partial<Endpoint> = {}): Endpoint {
  return { port: server.port, caFile: server.caFile, ...extra };
}

/**
 * Cleanups of a test, run last-registered-first after it (t.after runs hooks in registration order,
 * and a core must sign out before its server goes away, or its polite close waits for a dead peer).
 */
const cleanups = new WeakMap<TestContext, (() => unknown)[]>();
function defer(t: TestContext, cleanup: () => unknown): void {
  let list = cleanups.get(t);
  if (!list) {
    const stack: (() => unknown)[] = [];
    list = stack;
    cleanups.set(t, stack);
    t.after(async () => {
      const failures: unknown[] = [];
      for (const fn of stack.reverse()) {
        try {
          await fn();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    });
  }
  list.push(cleanup);
}

/** A scripted server for this test, stopped after it (after the cores the test opened). */
async function startServer(t: TestContext, options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await ScriptedServer.start(options);
  defer(t, () => server.stop());
  return server;
}

/** A core for juliet@localhost on the server, closed after the test (before the server stops). */
function coreFor(
  t: TestContext,
  server: ScriptedServer,
  options: {
    dataDir?: string;
    password?: string;
    plaintext?: boolean;
    session?: Partial<SessionConfig>;
    logs?: string[];
  } = {},
): Core {
  const core = openCore(
    endpointOf(server, options.plaintext ? { plaintext: true } : {}),
    'juliet',
    options.password ?? 'secret',
    { dataDir: options.dataDir, session: options.session, logs: options.logs ?? [] },
  );
  let closed = false;
  const close = core.close.bind(core);
  core.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  defer(t, () => core.close());
  return core;
}

/** C: signs in (fail-fast)   S: binds   C: roster get (sent by the roster service on 'online'). */
async function signIn(
  server: ScriptedServer,
  core: Core,
): Promise<{ session: ScriptedSession; get: Element; query: Element }> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  const get = await session.expectIq('get', NS_ROSTER);
  const query = get.getChild('query', NS_ROSTER);
  assert.ok(query, 'the roster get carries a jabber:iq:roster query');
  return { session, get, query };
}

function item(jid: string, extra: Partial<RosterItem> = {}): RosterItem {
  return { jid, name: null, subscription: 'none', ask: null, approved: false, groups: [], ...extra };
}

function attrsXml(attrs: Record<string, string | undefined>): string {
  return Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}='${escapeXML(v)}'`)
    .join('');
}

/** S: the roster result to `get`, as text (so a test can write it together with pushes). */
function resultXml(session: ScriptedSession, get: Element, inner = ''): string {
  const attrs = attrsXml({ type: 'result', id: get.attrs.id as string, to: session.fullJid });
  return inner === '' ? `<iq${attrs}/>` : `<iq${attrs}>${inner}</iq>`;
}

/** S: a roster push, as text. `ver: undefined` leaves the attribute out; so does `from: undefined`. */
function pushXml(
  session: ScriptedSession,
  id: string,
  opts: { ver?: string; from?: string },
  itemsXml: string,
): string {
  return (
    `<iq${attrsXml({ type: 'set', id, to: session.fullJid, from: opts.from })}>` +
    `<query${attrsXml({ xmlns: NS_ROSTER, ver: opts.ver })}>${itemsXml}</query></iq>`
  );
}

function hasAttr(el: Element, name: string): boolean {
  return Object.hasOwn(el.attrs, name);
}

/** The condition element of a stanza error reply, e.g. 'bad-request'. */
function errorCondition(reply: Element): string | undefined {
  return reply
    .getChild('error')
    ?.getChildElements()
    .find((c) => c.getNS() === NS_STANZAS)?.name;
}

async function expectAck(session: ScriptedSession, id: string): Promise<void> {
  const reply = await session.expectReplyTo(id);
  assert.equal(reply.attrs.type, 'result', `push ${id} is acknowledged with an empty result: ${reply.toString()}`);
  assert.equal(reply.getChildElements().length, 0, `the result to push ${id} is empty`);
}

async function expectRefusal(session: ScriptedSession, id: string, condition: string): Promise<void> {
  const reply = await session.expectReplyTo(id);
  assert.equal(reply.attrs.type, 'error', `push ${id} is refused: ${reply.toString()}`);
  assert.equal(errorCondition(reply), condition, `push ${id} is refused with ${condition}: ${reply.toString()}`);
}

function recordStates(core: Core): ConnectionState[] {
  const states: ConnectionState[] = [];
  core.session.on('state', (s) => states.push(s));
  return states;
}

const ROMEO = "<item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>";
const NURSE = "<item jid='nurse@example.com' name='Nurse' subscription='to'><group>Servants</group></item>";
const TYBALT = "<item jid='tybalt@example.com' subscription='from'/>";
const CACHED: RosterItem[] = [
  item('nurse@example.com', { name: 'Nurse', subscription: 'to', groups: ['Servants'] }),
  item('romeo@example.net', { name: 'Romeo', subscription: 'both', groups: ['Friends'] }),
  item('tybalt@example.com', { subscription: 'from' }),
];

// --- retrieval ----------------------------------------------------------------

describe('roster retrieval with versioning (scripted server)', TEST_TIMEOUT, () => {
  it("first-ever login asks with ver='' (present and empty) and stores the full result with its version", async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);

    // C: <iq type='get'><query xmlns='jabber:iq:roster' ver=''/></iq>
    const { session, get, query } = await signIn(server, core);
    assert.ok(hasAttr(query, 'ver'), `the first get carries a ver attribute: ${get.toString()}`);
    assert.equal(query.attrs.ver, '');
    assert.equal(query.getChildElements().length, 0);

    // S: <iq type='result'><query ver='v5'>nurse, romeo, tybalt</query></iq>
    session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v5'>${NURSE}${ROMEO}${TYBALT}</query>`);
    const outcome = await core.roster.retrieve();
    assert.deepEqual(outcome, { kind: 'full', version: 'v5', count: 3 });
    assert.deepEqual(core.roster.snapshot(), { account: ACCOUNT, version: 'v5', items: CACHED });
  });

  it("cache at v5: C: ver='v5'; S: empty result + two pushes (v6 upsert, v7 remove) in one write -> cache v7 with both applied", async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);
    core.store.replaceAll(ACCOUNT, CACHED, 'v5');

    // C: <query xmlns='jabber:iq:roster' ver='v5'/>
    const { session, get, query } = await signIn(server, core);
    assert.equal(query.attrs.ver, 'v5');

    // S: <iq type='result'/>  (no query: "your cache is current")
    // S: push ver='v6' <item jid='mercutio@example.com' name='Mercutio'/>
    // S: push ver='v7' <item jid='tybalt@example.com' subscription='remove'/>
    session.sendRaw(
      resultXml(session, get) +
        pushXml(
          session,
          'push-v6',
          { ver: 'v6' },
          "<item jid='mercutio@example.com' name='Mercutio' subscription='both'><group>Friends</group></item>",
        ) +
        pushXml(session, 'push-v7', { ver: 'v7' }, "<item jid='tybalt@example.com' subscription='remove'/>"),
    );

    const outcome = await core.roster.retrieve();
    assert.equal(outcome.kind, 'unchanged');
    // C: <iq type='result' id='push-v6'/>   C: <iq type='result' id='push-v7'/>
    await expectAck(session, 'push-v6');
    await expectAck(session, 'push-v7');

    assert.deepEqual(core.roster.snapshot(), {
      account: ACCOUNT,
      version: 'v7',
      items: [
        item('mercutio@example.com', { name: 'Mercutio', subscription: 'both', groups: ['Friends'] }),
        CACHED[0],
        CACHED[1],
      ],
    });
  });

  it('a full result and a push in the same write: the push (v2) is not overwritten by the result (v1)', async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);

    // S: result <query ver='v1'>romeo</query>  +  push ver='v2' <item jid='nurse@example.com'/>  (one write)
    session.sendRaw(
      resultXml(session, get, `<query xmlns='${NS_ROSTER}' ver='v1'>${ROMEO}</query>`) +
        pushXml(session, 'push-v2', { ver: 'v2' }, NURSE),
    );

    const outcome = await core.roster.retrieve();
    assert.equal(outcome.kind, 'full');
    await expectAck(session, 'push-v2');
    assert.deepEqual(core.roster.snapshot(), { account: ACCOUNT, version: 'v2', items: [CACHED[0], CACHED[1]] });
  });

  it('no versioning feature: the get has no ver (even with a cached version), a result ver is not kept, a second login still sends none', async (t) => {
    const server = await startServer(t); // no ROSTER_VER_FEATURE
    const core = coreFor(t, server);
    core.store.replaceAll(ACCOUNT, CACHED, 'v9');

    // C: <query xmlns='jabber:iq:roster'/>  (no ver attribute at all)
    const first = await signIn(server, core);
    assert.equal(hasAttr(first.query, 'ver'), false, `no ver without the feature: ${first.get.toString()}`);

    // S: <query ver='x'>romeo</query>  -> stored with version null
    first.session.reply(first.get, `<query xmlns='${NS_ROSTER}' ver='x'>${ROMEO}</query>`);
    assert.deepEqual(await core.roster.retrieve(), { kind: 'full', version: null, count: 1 });
    assert.deepEqual(core.roster.snapshot(), { account: ACCOUNT, version: null, items: [CACHED[1]] });
    await core.close();

    // Second login, same profile: still no ver.
    const again = coreFor(t, server, { dataDir: core.dataDir });
    const second = await signIn(server, again);
    assert.equal(hasAttr(second.query, 'ver'), false, `no ver on the second login either: ${second.get.toString()}`);
    second.session.reply(second.get, `<query xmlns='${NS_ROSTER}' ver='y'>${ROMEO}</query>`);
    assert.deepEqual(await again.roster.retrieve(), { kind: 'full', version: null, count: 1 });
  });

  it("a result item with subscription='sideways' is stored as 'none', the rest of the item kept", async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);

    // S: <item jid='romeo@example.net' name='Romeo' subscription='sideways' ask='subscribe' approved='true'>
    //      <group>Friends</group><group>Lovers</group></item>
    session.reply(
      get,
      `<query xmlns='${NS_ROSTER}' ver='v1'>` +
        "<item jid='romeo@example.net' name='Romeo' subscription='sideways' ask='subscribe' approved='true'>" +
        '<group>Lovers</group><group>Friends</group></item></query>',
    );
    await core.roster.retrieve();
    assert.deepEqual(core.roster.snapshot().items, [
      item('romeo@example.net', {
        name: 'Romeo',
        subscription: 'none',
        ask: 'subscribe',
        approved: true,
        groups: ['Friends', 'Lovers'],
      }),
    ]);
  });

  it('the same JID twice in one result (different case) makes one row, the last one wins', async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);

    // S: <item jid='Romeo@Example.net' name='First'/> <item jid='romeo@example.net' name='Second'/>
    session.reply(
      get,
      `<query xmlns='${NS_ROSTER}' ver='v1'>` +
        "<item jid='Romeo@Example.net' name='First' subscription='to'><group>Old</group></item>" +
        "<item jid='romeo@example.net' name='Second' subscription='both'><group>New</group></item></query>",
    );
    const outcome = await core.roster.retrieve();
    assert.equal(outcome.count, 1);
    assert.deepEqual(core.roster.snapshot(), {
      account: ACCOUNT,
      version: 'v1',
      items: [item('romeo@example.net', { name: 'Second', subscription: 'both', groups: ['New'] })],
    });
  });
});

// --- pushes ---------------------------------------------------------------------

describe('roster pushes (scripted server)', TEST_TIMEOUT, () => {
  /** Signs in and fills the cache with CACHED at v5 through a full result. */
  async function onlineWithCache(
    t: TestContext,
    options: ScriptedServerOptions = { extraFeatures: [ROSTER_VER_FEATURE] },
  ) {
    const server = await startServer(t, options);
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);
    session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v5'>${NURSE}${ROMEO}${TYBALT}</query>`);
    await core.roster.retrieve();
    return { server, core, session };
  }

  it('issue 16 #3: pushes that repeat cached items are stored and acknowledged, with no change event; a real change still is one', async (t) => {
    const { core, session } = await onlineWithCache(t);
    const changes: string[] = [];
    const unchanged: string[] = [];
    core.roster.on('change', (c) =>
      changes.push(c.kind === 'reset' ? 'reset' : c.kind === 'upsert' ? c.item.jid : c.jid),
    );
    core.roster.on('unchangedPush', ({ jid }) => unchanged.push(jid));

    // S: push ver='v6' romeo as cached   S: push ver='v7' nurse as cached (what Prosody re-sends at sign-in)
    session.send(pushXml(session, 'same-romeo', { ver: 'v6' }, ROMEO));
    session.send(pushXml(session, 'same-nurse', { ver: 'v7' }, NURSE));
    // C: <iq type='result' id='same-romeo'/>   C: <iq type='result' id='same-nurse'/>
    await expectAck(session, 'same-romeo');
    await expectAck(session, 'same-nurse');
    assert.equal(core.roster.snapshot().version, 'v7', 'the versions are stored');
    assert.deepEqual(changes, [], 'no change event for a push that changes nothing');
    assert.deepEqual(unchanged, ['romeo@example.net', 'nurse@example.com']);

    // S: push ver='v8' romeo renamed   C: result, and one change event
    session.send(
      pushXml(
        session,
        'renamed-romeo',
        { ver: 'v8' },
        "<item jid='romeo@example.net' name='Romeo M.' subscription='both'><group>Friends</group></item>",
      ),
    );
    await expectAck(session, 'renamed-romeo');
    assert.deepEqual(changes, ['romeo@example.net']);
    assert.equal(core.roster.snapshot().version, 'v8');
  });

  it('a push with two items is refused with bad-request and changes nothing', async (t) => {
    const { core, session } = await onlineWithCache(t);
    const before = core.roster.snapshot();

    // S: push ver='v6' with two items   C: error bad-request
    session.send(
      pushXml(
        session,
        'push-two',
        { ver: 'v6' },
        "<item jid='mercutio@example.com'/><item jid='tybalt@example.com' subscription='remove'/>",
      ),
    );
    await expectRefusal(session, 'push-two', 'bad-request');

    assert.deepEqual(core.roster.snapshot(), before);
    assert.equal(core.roster.snapshot().version, 'v5');
  });

  it("a push without ver is applied and leaves no version; the next login asks with ver=''", async (t) => {
    const { server, core, session } = await onlineWithCache(t);

    // S: push (no ver) <item jid='mercutio@example.com' name='Mercutio'/>   C: result
    session.send(pushXml(session, 'push-nover', {}, "<item jid='mercutio@example.com' name='Mercutio'/>"));
    await expectAck(session, 'push-nover');
    const snapshot = core.roster.snapshot();
    assert.equal(snapshot.version, null);
    assert.deepEqual(snapshot.items, [item('mercutio@example.com', { name: 'Mercutio' }), ...CACHED]);
    await core.close();

    // Next login (versioning offered): C: <query ver=''/>
    const again = coreFor(t, server, { dataDir: core.dataDir });
    const next = await signIn(server, again);
    assert.ok(hasAttr(next.query, 'ver'), `ver is sent: ${next.get.toString()}`);
    assert.equal(next.query.attrs.ver, '');
    next.session.reply(next.get, `<query xmlns='${NS_ROSTER}' ver='v8'>${ROMEO}</query>`);
    assert.deepEqual(await again.roster.retrieve(), { kind: 'full', version: 'v8', count: 1 });
  });

  it('spoofed pushes (server domain, a contact, our other resource) get service-unavailable; our bare JID in another case is accepted', async (t) => {
    const { core, session } = await onlineWithCache(t);
    const before = core.roster.snapshot();
    const spoofed: string[] = [];
    core.roster.on('spoofed', ({ from }) => spoofed.push(from));

    const forged = "<item jid='iago@example.org' name='Honest Iago' subscription='both'/>";
    const froms = ['localhost', 'romeo@example.net', `${session.bareJid}/other-resource`];
    for (const [i, from] of froms.entries()) {
      // S: <iq type='set' from='…'> push   C: error service-unavailable
      session.send(pushXml(session, `spoof-${i}`, { ver: `evil-${i}`, from }, forged));
      await expectRefusal(session, `spoof-${i}`, 'service-unavailable');
    }
    assert.deepEqual(core.roster.snapshot(), before, 'a spoofed push changes nothing');
    assert.equal(core.roster.spoofedPushes, 3);
    assert.deepEqual(spoofed, froms);

    // S: push from='JULIET@localhost' (our bare JID, other case)   C: result
    session.send(
      pushXml(
        session,
        'own-bare',
        { ver: 'v6', from: 'JULIET@localhost' },
        "<item jid='mercutio@example.com' name='Mercutio'/>",
      ),
    );
    await expectAck(session, 'own-bare');
    assert.equal(core.roster.spoofedPushes, 3);
    assert.deepEqual(core.roster.snapshot(), {
      account: ACCOUNT,
      version: 'v6',
      items: [item('mercutio@example.com', { name: 'Mercutio' }), ...CACHED],
    });
  });
});

// --- hostile XML ------------------------------------------------------------------

describe('hostile XML from the server ends the connection, not the process (scripted server)', TEST_TIMEOUT, () => {
  const cases: {
    what: string;
    code: 'bad-format' | 'stanza-too-large';
    send: (s: ScriptedSession) => Promise<void>;
  }[] = [
    {
      what: 'an undefined entity',
      code: 'bad-format',
      send: (s) => {
        s.sendRaw("<message from='x@y'><body>&nbsp;</body></message>");
        return Promise.resolve();
      },
    },
    {
      what: 'a DOCTYPE',
      code: 'bad-format',
      send: (s) => {
        s.sendRaw('<!DOCTYPE foo [<!ENTITY x "y">]>');
        return Promise.resolve();
      },
    },
    {
      what: 'a 20,000-character stanza sent in pieces (limit 10,000)',
      code: 'stanza-too-large',
      send: async (s) => {
        s.sendRaw(`<message from='x@y' to='${escapeXML(s.fullJid)}'><body>`);
        let sent = 0;
        for (let i = 0; i < 5; i++) {
          try {
            s.sendRaw('x'.repeat(4_000));
          } catch (error) {
            // The client may hang up as soon as it is past the limit; not before.
            assert.ok(
              sent > 10_000,
              `the connection closed after only ${sent} characters: ${(error as Error).message}`,
            );
            return;
          }
          sent += 4_000;
          await delay(15);
        }
        if (!s.isClosed) {
          try {
            s.sendRaw('</body></message>');
          } catch {
            /* closed in between: fine */
          }
        }
      },
    },
  ];

  for (const { what, code, send } of cases) {
    it(`${what}: the connection ends with '${code}', no uncaught exception, the cache is unchanged`, async (t) => {
      const uncaught: unknown[] = [];
      const spy = (error: unknown): void => {
        uncaught.push(error);
      };
      process.on('uncaughtException', spy);
      defer(t, () => {
        process.off('uncaughtException', spy);
      });

      const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
      // A long backoff: the client stays down for the rest of the test instead of reconnecting.
      const core = coreFor(t, server, {
        session: { maxStanzaSize: 10_000, backoff: { initialMs: 60_000, maxMs: 60_000 } },
      });
      const { session, get } = await signIn(server, core);
      session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v5'>${NURSE}${ROMEO}${TYBALT}</query>`);
      await core.roster.retrieve();
      const before = core.roster.snapshot();

      const warned = waitForEvent<[BalconyError]>(core.session, 'warning', (e) => e.code === code, 5_000);
      const left = waitForEvent<[ConnectionState]>(core.session, 'state', (s) => s.status !== 'online', 5_000);
      // S: the hostile bytes
      await send(session);

      const [warning] = await warned;
      assert.ok(warning instanceof BalconyError);
      assert.equal(warning.code, code);
      await left;
      assert.notEqual(core.session.state.status, 'online');
      await session.closed(5_000);
      await delay(100); // let any late socket callback throw, if one would

      assert.deepEqual(uncaught, [], 'no uncaught exception');
      assert.deepEqual(core.roster.snapshot(), before, 'the cache is unchanged');
      assert.equal(server.connections.length, 1, 'no reconnect within the test (long backoff)');
    });
  }
});

// --- transport and authentication ----------------------------------------------------

describe('transport and authentication (scripted server)', TEST_TIMEOUT, () => {
  it("a stream without STARTTLS: no <auth> is sent, 'tls-required'; with the loopback plaintext opt-in it signs in", async (t) => {
    const server = await startServer(t, { tls: 'none', mechanisms: ['SCRAM-SHA-1', 'PLAIN'] });

    // S: <stream:features><mechanisms>SCRAM-SHA-1 PLAIN</mechanisms></stream:features>  (no <starttls/>)
    // C: (closes, never authenticates)
    const core = coreFor(t, server);
    await assert.rejects(
      core.session.start({ failFast: true }),
      (e: unknown) => e instanceof BalconyError && e.code === 'tls-required',
    );
    assert.equal(core.session.state.status, 'error');
    assert.equal(server.connections.length, 1);
    assert.doesNotMatch(server.connections[0]!.received, /<auth/, 'the password never goes over cleartext');
    assert.equal(server.connections[0]!.authenticatedAs, undefined);
    await core.close();

    // Same server, plaintext explicitly allowed on loopback: signs in.
    const local = coreFor(t, server, { plaintext: true });
    const { session, get } = await signIn(server, local);
    assert.equal(local.session.state.status, 'online');
    assert.equal(session.connection.secure, false);
    assert.equal(session.connection.mechanism, 'SCRAM-SHA-1', 'SCRAM is preferred over PLAIN');
    session.reply(get, `<query xmlns='${NS_ROSTER}'/>`);
    assert.equal((await local.roster.retrieve()).kind, 'full');
  });

  it("SCRAM with a bogus server signature: 'server-unverified', never online", async (t) => {
    const server = await startServer(t, { mechanisms: ['SCRAM-SHA-1'], scramServerSignature: 'bogus' });
    const core = coreFor(t, server);
    const states = recordStates(core);

    // C: auth SCRAM-SHA-1 …   S: <success>v=(wrong)</success>   C: refuses, closes
    await assert.rejects(
      core.session.start({ failFast: true }),
      (e: unknown) => e instanceof BalconyError && e.code === 'server-unverified',
    );
    assert.equal(server.connections[0]?.mechanism, 'SCRAM-SHA-1');
    assert.equal(server.connections[0].authenticatedAs, 'juliet', 'the server did say <success/>');
    await assert.rejects(server.nextSession(300), /no session reached "bound"/);
    assert.ok(!states.some((s) => s.status === 'online'), `never online: ${JSON.stringify(states)}`);
    assert.deepEqual(core.session.state, {
      status: 'error',
      error: { code: 'server-unverified', message: new BalconyError('server-unverified').message },
    });
  });

  it('SCRAM with a valid server signature signs in', async (t) => {
    const server = await startServer(t, { mechanisms: ['SCRAM-SHA-1'], scramServerSignature: 'valid' });
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);
    assert.equal(session.connection.mechanism, 'SCRAM-SHA-1');
    assert.equal(core.session.state.status, 'online');
    session.reply(get, `<query xmlns='${NS_ROSTER}'/>`);
    await core.roster.retrieve();
  });

  it("a wrong password: 'auth-failed'; and without failFast the session does not retry", async (t) => {
    const server = await startServer(t, { mechanisms: ['SCRAM-SHA-1', 'PLAIN'] });

    // fail-fast (the CLI)
    const cli = coreFor(t, server, { password: 'wrong' });
    await assert.rejects(
      cli.session.start({ failFast: true }),
      (e: unknown) => e instanceof BalconyError && e.code === 'auth-failed',
    );
    await cli.close();
    const afterCli = server.connections.length;
    assert.equal(afterCli, 1);

    // the app: start() without failFast and a short backoff, which would retry quickly if it retried at all
    const app = coreFor(t, server, { password: 'wrong', session: { backoff: { initialMs: 50, maxMs: 200 } } });
    const outcome = await app.session.start().then(
      () => null,
      (e: unknown) => e,
    );
    if (outcome !== null) {
      assert.ok(
        outcome instanceof BalconyError && outcome.code === 'auth-failed',
        `start() failed with ${inspect(outcome)}`,
      );
    }
    await delay(3_000);
    assert.equal(server.connections.length, afterCli + 1, 'no second attempt after auth-failed');
    const state = app.session.state;
    assert.equal(state.status, 'error');
    assert.equal(state.error.code, 'auth-failed'); // state narrowed by the assertion above
  });

  it('after the server drops the socket, the client reconnects by itself and fetches the roster again', async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server, { session: { backoff: { initialMs: 50, maxMs: 200 } } });

    // C: start() (the app, not failFast)   S: binds   C: get ver=''   S: result ver='v1'
    const [, first] = await Promise.all([core.session.start(), server.nextSession()]);
    const get1 = await first.expectIq('get', NS_ROSTER);
    first.reply(get1, `<query xmlns='${NS_ROSTER}' ver='v1'>${ROMEO}</query>`);
    await core.roster.retrieve();

    // S: (drops the TCP connection)
    const online = waitForEvent<[ConnectionState]>(core.session, 'state', (s) => s.status === 'online', 5_000);
    first.destroy();

    // C: reconnects   S: binds   C: get ver='v1'   S: result without query
    const second = await server.nextSession(5_000);
    await online;
    const get2 = await second.expectIq('get', NS_ROSTER);
    assert.equal(get2.getChild('query', NS_ROSTER)?.attrs.ver, 'v1');
    const retrieved = waitForEvent(core.roster, 'retrieved', () => true, 5_000);
    second.reply(get2);
    await retrieved;
    assert.equal(server.connections.length, 2);
    assert.deepEqual(core.roster.snapshot(), { account: ACCOUNT, version: 'v1', items: [CACHED[1]] });
  });
});

// --- changes ------------------------------------------------------------------------

describe('roster changes (scripted server)', TEST_TIMEOUT, () => {
  const conditions: [condition: string, code: string][] = [
    ['bad-request', 'bad-request'],
    ['not-acceptable', 'not-acceptable'],
    ['forbidden', 'forbidden'],
    ['item-not-found', 'item-not-found'],
    ['not-allowed', 'not-allowed'],
    ['service-unavailable', 'service-unavailable'],
    ['internal-server-error', 'internal-server-error'],
    ['resource-constraint', 'resource-constraint'],
    ['gone', 'server-error'],
  ];

  it('each error the server answers a roster set with becomes a coded error in plain words; the cache is unchanged', async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);
    session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v5'>${NURSE}${ROMEO}${TYBALT}</query>`);
    await core.roster.retrieve();
    const before = core.roster.snapshot();

    for (const [condition, code] of conditions) {
      // C: <iq type='set'><query><item jid='mercutio@example.com' …/></query></iq>   S: error <condition/>
      const adding = core.roster.add({ jid: 'mercutio@example.com', name: 'Mercutio', groups: ['Friends'] });
      const set = await session.expectIq('set', NS_ROSTER);
      session.replyError(set, condition);
      await assert.rejects(adding, (e: unknown) => {
        assert.ok(e instanceof BalconyError, `${condition}: a BalconyError, got ${String(e)}`);
        assert.equal(e.code, code, `${condition} becomes the code ${code}`);
        assert.match(
          e.message,
          /^[A-Z][^<>]*[.)]$/,
          `${condition}: a plain sentence, got ${JSON.stringify(e.message)}`,
        );
        assert.doesNotMatch(e.message, /StanzaError|xmlns|urn:|undefined/, `${condition}: ${e.message}`);
        return true;
      });
      assert.deepEqual(core.roster.snapshot(), before, `${condition}: the cache is unchanged`);
    }
  });

  it('a successful add: one item with jid, name and groups and no subscription; S: result then push -> add() resolves with the cached item', async (t) => {
    const server = await startServer(t, { extraFeatures: [ROSTER_VER_FEATURE] });
    const core = coreFor(t, server);
    const { session, get } = await signIn(server, core);
    session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v5'>${ROMEO}</query>`);
    await core.roster.retrieve();

    // C: <iq type='set'><query xmlns='jabber:iq:roster'>
    //      <item jid='mercutio@example.com' name='Mercutio'><group>Friends</group><group>Verona</group></item>
    //    </query></iq>
    const adding = core.roster.add({ jid: 'Mercutio@Example.com', name: 'Mercutio', groups: ['Verona', 'Friends'] });
    const set = await session.expectIq('set', NS_ROSTER);
    const query = set.getChild('query', NS_ROSTER)!;
    assert.equal(hasAttr(query, 'ver'), false);
    const items = query.getChildElements();
    assert.equal(items.length, 1, `exactly one item: ${set.toString()}`);
    const sent = items[0]!;
    assert.equal(sent.name, 'item');
    assert.deepEqual(Object.keys(sent.attrs).sort(), ['jid', 'name'], `only jid and name: ${sent.toString()}`);
    assert.equal(sent.attrs.jid, 'mercutio@example.com');
    assert.equal(sent.attrs.name, 'Mercutio');
    assert.deepEqual(
      sent
        .getChildren('group')
        .map((g) => g.text())
        .sort(),
      ['Friends', 'Verona'],
    );
    assert.equal(sent.getChildElements().length, 2);

    // S: <iq type='result'/>   S: push (no from) ver='v6' with the item   C: result
    session.reply(set);
    session.send(
      pushXml(
        session,
        'push-add',
        { ver: 'v6' },
        "<item jid='mercutio@example.com' name='Mercutio' subscription='none'><group>Friends</group><group>Verona</group></item>",
      ),
    );
    const { item: added, queued } = await adding;
    assert.equal(queued, false);
    await expectAck(session, 'push-add');
    const expected = item('mercutio@example.com', { name: 'Mercutio', groups: ['Friends', 'Verona'] });
    assert.deepEqual(added, expected);
    assert.deepEqual(core.roster.snapshot(), { account: ACCOUNT, version: 'v6', items: [expected, CACHED[1]] });
  });
});
