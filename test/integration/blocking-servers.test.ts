/**
 * issue 12 #8: blocking (XEP-0191) against real servers: Debian's Prosody
 * (mod_blocklist) and ejabberd (mod_blocking with mod_privacy), TLS required
 * and verified. Fresh accounts per test; what the server holds is checked by
 * a second client of the same account with an empty profile, which can only
 * know the list from the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import type { BlocklistSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startEjabberd, startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, waitForEvent } from '../support/roster-fixtures.js';
import { TcpProxy } from '../support/tcp-proxy.js';

type Core = RosterCore & { dataDir: string };

const servers: [string, () => Promise<TestServer>][] = [
  ['Prosody', () => startProsody({ tls: true })],
  ['ejabberd', () => startEjabberd({ tls: true, rosterVersioning: true })],
];

const jids = (list: BlocklistSnapshot): string[] => list.items.map((item) => item.jid);
const hasRequest = (jid: string) => (list: SubscriptionRequest[]) => list.some((r) => r.jid === jid);

/** Counts the block and unblock sets `core` writes (its session's iq calls), without changing them. */
function countBlockingSets(core: Core): { block: number; unblock: number } {
  const counts = { block: 0, unblock: 0 };
  const iq = core.session.iq.bind(core.session);
  core.session.iq = (type: 'get' | 'set', child: Element, to?: string) => {
    if (type === 'set' && (child.name === 'block' || child.name === 'unblock')) counts[child.name] += 1;
    return iq(type, child, to);
  };
  return counts;
}

for (const [serverName, start] of servers) {
  describe(`issue 12 #8: blocking against ${serverName}`, { timeout: 240_000 }, () => {
    let server: TestServer;
    let n = 0;
    const open: Core[] = [];
    const proxies: TcpProxy[] = [];

    /** Signed in: roster retrieved, presence out, blocking found and its list fetched. */
    async function signIn(user: string, options: { dataDir?: string; resource?: string; via?: TcpProxy } = {}) {
      const endpoint = options.via ? { port: options.via.port, caFile: server.caFile } : server;
      const session = options.via ? { backoff: { initialMs: 100, maxMs: 300 }, connectTimeoutMs: 5_000 } : undefined;
      const core = openCore(endpoint, user, 'secret', { ...options, session });
      open.push(core);
      await core.session.start({ failFast: true });
      await core.roster.retrieve();
      await core.presence.flushed();
      await core.blocking.settled();
      return core;
    }
    async function account(prefix: string): Promise<{ name: string; jid: string }> {
      n += 1;
      const name = `${prefix}${n}`;
      await server.register(name, 'secret');
      return { name, jid: `${name}@localhost` };
    }
    /** What the server holds: a fresh profile of the same account can only know the list from it. */
    async function serverList(user: string): Promise<string[]> {
      const fresh = await signIn(user);
      const list = jids(fresh.blocking.snapshot());
      await fresh.close();
      return list;
    }

    before(async () => {
      server = await start();
    });
    after(async () => {
      for (const core of open) await core.close().catch(() => undefined);
      for (const proxy of proxies) await proxy.stop();
      // unset when before() failed before getting to it
      await (server as TestServer | undefined)?.stop();
    });

    it('issue 12 #8: the server offers blocking; block and unblock reach it, and the list is the same after signing in again', async () => {
      const juliet = await account('juliet');
      const j = await signIn(juliet.name);
      assert.equal(j.blocking.supported, true, `${serverName} advertises urn:xmpp:blocking`);
      assert.deepEqual(j.blocking.snapshot(), { supported: true, items: [], failures: [] });

      assert.deepEqual(await j.blocking.block(['tybalt@capulet.example', 'spam.example']), { queued: false });
      assert.deepEqual(jids(j.blocking.snapshot()), ['spam.example', 'tybalt@capulet.example']);
      assert.equal(j.blocking.isBlocked('tybalt@capulet.example/phone'), true, 'a full JID of a blocked contact');
      assert.equal(j.blocking.isBlocked('bot@spam.example'), true, 'a user of a blocked server');
      assert.equal(j.blocking.isBlocked('romeo@montague.example'), false);
      assert.deepEqual(await serverList(juliet.name), ['spam.example', 'tybalt@capulet.example']);

      // the same profile after a new sign-in: the server's list again, nothing waiting
      await j.session.stop();
      await j.session.start({ failFast: true });
      await j.blocking.settled();
      assert.deepEqual(j.blocking.snapshot(), {
        supported: true,
        items: [{ jid: 'spam.example' }, { jid: 'tybalt@capulet.example' }],
        failures: [],
      });

      assert.deepEqual(await j.blocking.unblock(['spam.example']), { queued: false });
      assert.deepEqual(jids(j.blocking.snapshot()), ['tybalt@capulet.example']);
      assert.deepEqual(await serverList(juliet.name), ['tybalt@capulet.example']);
    });

    it("issue 12 #8: a block made by another resource of the same account is pushed and shown; the push's unblock too", async () => {
      const juliet = await account('juliet');
      const phone = await signIn(juliet.name, { resource: 'phone' });
      const desk = await signIn(juliet.name, { resource: 'desk' });
      const pushed = waitForEvent<[BlocklistSnapshot]>(desk.blocking, 'change', (list) =>
        jids(list).includes('tybalt@capulet.example'),
      );
      await phone.blocking.block(['tybalt@capulet.example']);
      const [shown] = await pushed;
      assert.deepEqual(shown.items, [{ jid: 'tybalt@capulet.example' }]);
      assert.equal(desk.blocking.isBlocked('tybalt@capulet.example'), true);
      const unpushed = waitForEvent<[BlocklistSnapshot]>(desk.blocking, 'change', (list) => list.items.length === 0);
      await phone.blocking.unblock(['tybalt@capulet.example']);
      await unpushed;
      assert.equal(
        desk.roster.spoofedPushes + desk.blocking.spoofedPushes,
        0,
        'the real pushes were not taken for spoofed',
      );
    });

    it("issue 12 #8: a blocked contact's subscription request is never shown, not live and not when the server re-sends requests at sign-in", async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const mercutio = await account('mercutio');
      const j = await signIn(juliet.name);
      await j.blocking.block([romeo.jid]);
      const r = await signIn(romeo.name);
      const m = await signIn(mercutio.name);

      await r.presence.add({ jid: juliet.jid }, { subscribe: true });
      await r.presence.flushed();
      // A request sent after romeo's arrives: romeo's did not (the control that the wait was long enough).
      const mercutioShown = waitForEvent<[SubscriptionRequest[]]>(j.presence, 'requests', hasRequest(mercutio.jid));
      await m.presence.add({ jid: juliet.jid }, { subscribe: true });
      await mercutioShown;
      assert.deepEqual(
        j.presence.requests().map((q) => q.jid),
        [mercutio.jid],
      );

      // Signed in again, the server re-sends the requests it holds: still not romeo's.
      await j.session.stop();
      await j.session.start({ failFast: true });
      await j.roster.retrieve();
      await j.presence.flushed();
      assert.deepEqual(
        j.presence.requests().map((q) => q.jid),
        [mercutio.jid],
      );
    });

    it('issue 12 #8: a block made while the server is unreachable is queued, shown as waiting, and sent once at the next sign-in', async () => {
      const juliet = await account('juliet');
      const proxy = await TcpProxy.start(server.port);
      proxies.push(proxy);
      const j = await signIn(juliet.name, { via: proxy });
      const sets = countBlockingSets(j);

      const dropped = waitForEvent(j.session, 'state', (s: { status: string }) => s.status !== 'online');
      proxy.cut();
      await dropped;
      assert.deepEqual(await j.blocking.block(['tybalt@capulet.example']), { queued: true });
      assert.deepEqual(j.blocking.snapshot().items, [{ jid: 'tybalt@capulet.example', pending: 'block' }]);
      assert.equal(sets.block, 0);

      const confirmed = waitForEvent<[BlocklistSnapshot]>(
        j.blocking,
        'change',
        (list) => list.items.length === 1 && list.items[0]?.pending === undefined,
        15_000,
      );
      proxy.restore();
      await confirmed;
      await j.blocking.settled();
      assert.equal(sets.block, 1, 'sent once');

      // Another sign-in sends nothing again.
      await j.session.stop();
      await j.session.start({ failFast: true });
      await j.blocking.settled();
      assert.equal(sets.block, 1, 'still once after another sign-in');
      assert.deepEqual(await serverList(juliet.name), ['tybalt@capulet.example']);
    });
  });
}
