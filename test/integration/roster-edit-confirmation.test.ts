/**
 * How the answer to a roster set is recognised (scripted server):
 * - issue 11 #10: a set answered with `result` and never pushed (RFC 6121
 *   2.3.2 says the server MUST push; some do not) still ends in output and in
 *   a cache that holds the item as sent, marked unconfirmed, until the next
 *   retrieval (which then asks for the whole roster);
 * - issue 11 #12: a push under the server's own preparation of the address
 *   (stringprep: `ß@example.net` kept as `ss@example.net`) answers the set.
 * C: is the client (the real core, or the real built CLI), S: the test.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { existsSync } from 'node:fs';
import { escapeXML } from '@xmpp/xml';
import type { RosterItem } from '../../preload/contract.js';
import { ROSTER_VER_FEATURE, ScriptedServer, type Element, type ScriptedSession } from '../support/scripted-server.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

const NS_ROSTER = 'jabber:iq:roster';
const ACCOUNT = 'juliet@localhost';
const TEST_TIMEOUT = { timeout: 90_000 };
const ROMEO = "<item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>";

type Core = ReturnType<typeof openCore>;

function item(jid: string, extra: Partial<RosterItem> = {}): RosterItem {
  return { jid, name: null, subscription: 'none', ask: null, approved: false, groups: [], ...extra };
}

async function startServer(t: TestContext): Promise<ScriptedServer> {
  const server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
  t.after(() => server.stop());
  return server;
}

/** A core on the server; closed after the test (registered after the server, so it runs first). */
function coreFor(t: TestContext, server: ScriptedServer, dataDir?: string): Core {
  const core = openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret', { dataDir, logs: [] });
  t.after(() => core.close());
  return core;
}

/** C: signs in, roster get   S: answers it with `inner`. */
async function signIn(
  server: ScriptedServer,
  core: Core,
  inner: string,
): Promise<{ session: ScriptedSession; get: Element }> {
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  const get = await session.expectIq('get', NS_ROSTER);
  session.reply(get, inner);
  await core.roster.retrieve();
  return { session, get };
}

function pushXml(session: ScriptedSession, id: string, ver: string, itemXml: string): string {
  return `<iq type='set' id='${id}' to='${escapeXML(session.fullJid)}'><query xmlns='${NS_ROSTER}' ver='${ver}'>${itemXml}</query></iq>`;
}

function setItem(set: Element): Element {
  return set.getChild('query', NS_ROSTER)!.getChild('item')!;
}

function cliArgs(server: ScriptedServer, dataDir: string): string[] {
  return ['--data-dir', dataDir, ...accountArgs(server)];
}

describe('issue 11 #10: a set answered with result and never pushed', TEST_TIMEOUT, () => {
  it('issue 11 #10: add --json prints the item as sent, marked unconfirmed; text mode prints it too', async (t) => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    const server = await startServer(t);
    const dataDir = tempDir();
    for (const json of [true, false]) {
      const adding = runCli(
        [
          'add',
          'Mercutio@Example.com',
          '--name',
          'Mercutio',
          '--group',
          'Friends',
          ...(json ? ['--json'] : []),
          ...cliArgs(server, dataDir),
        ],
        { password: 'secret' },
      );
      const session = await server.nextSession(10_000);
      const get = await session.expectIq('get', NS_ROSTER);
      session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v5'>${ROMEO}</query>`);
      // C: set mercutio   S: result, and no push
      const set = await session.expectIq('set', NS_ROSTER);
      session.reply(set);
      const run = await adding;
      assert.equal(run.code, 0, run.stderr);
      if (json) {
        assert.deepEqual(JSON.parse(run.stdout), {
          jid: 'mercutio@example.com',
          name: 'Mercutio',
          subscription: 'none',
          ask: null,
          approved: false,
          groups: ['Friends'],
          unconfirmed: true,
        });
      } else {
        assert.match(
          run.stdout,
          /^mercutio@example\.com {2}"Mercutio" {2}\(no presence shared\) {2}\[Friends\]\n\(accepted by the server, which did not confirm it with a push/,
        );
      }
    }
    // the cache holds it as the server accepted it, with no version: the next sign-in fetches everything
    const list = await runCli(['list', '--json', '--account', ACCOUNT, '--data-dir', dataDir]);
    const listed = JSON.parse(list.stdout) as { version: unknown; items: { jid: string }[]; pending: unknown };
    assert.equal(listed.version, null);
    assert.deepEqual(
      listed.items.map((i) => i.jid),
      ['mercutio@example.com', 'romeo@example.net'],
    );
    assert.deepEqual(listed.pending, []);
  });

  it('issue 11 #10: the core keeps the item as sent until the next retrieval, which asks ver="" and is followed', async (t) => {
    const server = await startServer(t);
    const core = coreFor(t, server);
    const { session } = await signIn(server, core, `<query xmlns='${NS_ROSTER}' ver='v5'>${ROMEO}</query>`);

    const adding = core.roster.add({ jid: 'mercutio@example.com', name: 'Mercutio' });
    session.reply(await session.expectIq('set', NS_ROSTER));
    const added = await adding;
    assert.deepEqual(added, {
      item: item('mercutio@example.com', { name: 'Mercutio' }),
      queued: false,
      jid: 'mercutio@example.com',
      unconfirmed: true,
    });

    // an update of an existing contact keeps its subscription; a removal deletes the row
    const updating = core.roster.update({ jid: 'romeo@example.net', name: 'Romeo M' });
    session.reply(await session.expectIq('set', NS_ROSTER));
    assert.deepEqual(
      (await updating).item,
      item('romeo@example.net', { name: 'Romeo M', subscription: 'both', groups: ['Friends'] }),
    );
    const removing = core.roster.remove('mercutio@example.com');
    session.reply(await session.expectIq('set', NS_ROSTER));
    const removed = await removing;
    assert.deepEqual(removed, { item: undefined, queued: false, jid: 'mercutio@example.com', unconfirmed: true });
    assert.deepEqual(core.roster.snapshot(), {
      account: ACCOUNT,
      version: null,
      items: [item('romeo@example.net', { name: 'Romeo M', subscription: 'both', groups: ['Friends'] })],
    });
    await core.close();

    // C: next sign-in: ver='' (the cache holds guesses)   S: the whole roster, which the cache follows
    const again = coreFor(t, server, core.dataDir);
    const [, next] = await Promise.all([again.session.start({ failFast: true }), server.nextSession()]);
    const get = await next.expectIq('get', NS_ROSTER);
    assert.equal(get.getChild('query', NS_ROSTER)!.attrs.ver, '');
    next.reply(
      get,
      `<query xmlns='${NS_ROSTER}' ver='v9'><item jid='romeo@example.net' name='Romeo S' subscription='both'/></query>`,
    );
    await again.roster.retrieve();
    assert.deepEqual(again.roster.snapshot(), {
      account: ACCOUNT,
      version: 'v9',
      items: [item('romeo@example.net', { name: 'Romeo S', subscription: 'both' })],
    });
  });
});

describe("issue 11 #12: the server's answer to an edit, whatever its preparation of the address", TEST_TIMEOUT, () => {
  it('issue 11 #12: S pushes ss@example.net for our set of ß@example.net: add resolves with it at once; remove ß@example.net removes it', async (t) => {
    const server = await startServer(t);
    const core = coreFor(t, server);
    const { session } = await signIn(server, core, `<query xmlns='${NS_ROSTER}' ver='v5'>${ROMEO}</query>`);

    const started = Date.now();
    const adding = core.roster.add({ jid: 'ß@example.net', name: 'Eszett' });
    const set = await session.expectIq('set', NS_ROSTER);
    assert.equal(setItem(set).attrs.jid, 'ß@example.net', 'we send our own (PRECIS) form');
    // S: (nodeprep folds ß to ss) push ss@example.net, then result
    session.send(pushXml(session, 'p1', 'v6', "<item jid='ss@example.net' name='Eszett' subscription='none'/>"));
    session.reply(set);
    const added = await adding;
    assert.ok(Date.now() - started < 4000, `matched by the push, not by waiting it out (${Date.now() - started} ms)`);
    assert.deepEqual(added, {
      item: item('ss@example.net', { name: 'Eszett' }),
      queued: false,
      jid: 'ss@example.net',
      unconfirmed: false,
    });
    assert.deepEqual(
      core.roster.snapshot().items.map((i) => i.jid),
      ['romeo@example.net', 'ss@example.net'],
      "one contact, under the server's spelling",
    );

    // remove by the address typed: the contact shown as ss@example.net goes
    const removing = core.roster.remove('ß@example.net');
    const removal = await session.expectIq('set', NS_ROSTER);
    assert.deepEqual(setItem(removal).attrs, { jid: 'ss@example.net', subscription: 'remove' });
    session.reply(removal);
    session.send(pushXml(session, 'p2', 'v7', "<item jid='ss@example.net' subscription='remove'/>"));
    assert.deepEqual(await removing, { item: undefined, queued: false, jid: 'ss@example.net', unconfirmed: false });
    assert.deepEqual(core.roster.snapshot(), {
      account: ACCOUNT,
      version: 'v7',
      items: [item('romeo@example.net', { name: 'Romeo', subscription: 'both', groups: ['Friends'] })],
    });
  });

  it('issue 11 #12: a push for another contact while our set is out does not answer it', async (t) => {
    const server = await startServer(t);
    const core = coreFor(t, server);
    const { session } = await signIn(server, core, `<query xmlns='${NS_ROSTER}' ver='v5'>${ROMEO}</query>`);
    const adding = core.roster.add({ jid: 'ß@example.net' });
    const set = await session.expectIq('set', NS_ROSTER);
    // S: someone else's change to romeo, a removal of ss (not what we asked), then the real push
    session.send(pushXml(session, 'p1', 'v6', "<item jid='romeo@example.net' name='R' subscription='both'/>"));
    session.send(pushXml(session, 'p2', 'v7', "<item jid='ss@example.net' subscription='remove'/>"));
    session.send(pushXml(session, 'p3', 'v8', "<item jid='ss@example.net' subscription='none'/>"));
    session.reply(set);
    const added = await adding;
    assert.equal(added.jid, 'ss@example.net');
    assert.equal(added.unconfirmed, false);
    assert.deepEqual(
      core.roster.snapshot().items.map((i) => [i.jid, i.name]),
      [
        ['romeo@example.net', 'R'],
        ['ss@example.net', null],
      ],
    );
  });
});
