/**
 * The roster engine against real servers: Debian's Prosody and ejabberd
 * (versioning on), each started on a free loopback port with a throwaway
 * data directory, TLS required and verified against the test CA.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import type { RosterChange } from '../../preload/contract.js';
import { BalconyError } from '../../main/core/errors.js';
import { startEjabberd, startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, waitForEvent } from '../support/roster-fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';

const servers: [string, () => Promise<TestServer>][] = [
  ['Prosody', () => startProsody({ tls: true })],
  ['ejabberd', () => startEjabberd({ tls: true, rosterVersioning: true })],
];

for (const [serverName, start] of servers) {
  describe(`roster engine against ${serverName}`, { timeout: 180_000 }, () => {
    let server: TestServer;
    let user = 0;
    /** A fresh account per test, so tests do not see each other's contacts. */
    async function account(prefix: string): Promise<string> {
      user += 1;
      const name = `${prefix}${user}`;
      await server.register(name, 'secret');
      return name;
    }

    before(async () => {
      server = await start();
    });
    after(async () => {
      // unset when before() failed before getting to it
      await (server as TestServer | undefined)?.stop();
    });

    it('first login fills the cache; a second login with the current version keeps it without a full transfer', async () => {
      const juliet = await account('juliet');
      const other = openCore(server, juliet, 'secret', { resource: 'other' });
      await other.session.start({ failFast: true });
      await other.roster.retrieve();
      await other.roster.add({ jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends', 'Lovers'] });
      await other.roster.add({ jid: 'nurse@example.com', name: 'Nurse', groups: ['Servants'] });
      await other.close();

      const core = openCore(server, juliet, 'secret');
      await core.session.start({ failFast: true });
      const first = await core.roster.retrieve();
      assert.equal(first.kind, 'full');
      assert.equal(first.count, 2);
      assert.ok(first.version, 'a versioned server gives a version in answer to ver=""');
      const cached = core.roster.snapshot();
      assert.deepEqual(
        cached.items.map((i) => [i.jid, i.name, i.groups]),
        [
          ['nurse@example.com', 'Nurse', ['Servants']],
          ['romeo@example.net', 'Romeo', ['Friends', 'Lovers']],
        ],
      );
      await core.close();

      const again = openCore(server, juliet, 'secret', { dataDir: core.dataDir });
      await again.session.start({ failFast: true });
      const second = await again.roster.retrieve();
      assert.equal(second.kind, 'unchanged', 'a current version must not bring the whole roster again');
      assert.deepEqual(again.roster.snapshot(), cached);
      await again.close();
    });

    it('a change made by another client of the same account arrives as a push and lands with its version', async () => {
      const juliet = await account('juliet');
      const core = openCore(server, juliet, 'secret', { resource: 'desk' });
      const other = openCore(server, juliet, 'secret', { resource: 'phone' });
      try {
        await core.session.start({ failFast: true });
        await core.roster.retrieve();
        await other.session.start({ failFast: true });
        await other.roster.retrieve();
        const pushed = waitForEvent<[RosterChange]>(
          core.roster,
          'change',
          (c) => c.kind === 'upsert' && c.item.jid === 'mercutio@example.com',
        );
        await other.roster.add({ jid: 'mercutio@example.com', name: 'Mercutio', groups: ['Friends'] });
        const [change] = await pushed;
        assert.equal(change.kind, 'upsert');
        const snapshot = core.roster.snapshot();
        assert.deepEqual(
          snapshot.items.map((i) => [i.jid, i.name, i.groups]),
          [['mercutio@example.com', 'Mercutio', ['Friends']]],
        );
        assert.equal(snapshot.version, (change as { version: string | null }).version);
        assert.ok(snapshot.version, 'the push carried a version');
        assert.equal(snapshot.version, other.roster.snapshot().version, 'both resources hold the same version');
      } finally {
        await core.close();
        await other.close();
      }
    });

    it('add, update and remove round trips; the cache follows the pushes and matches a fresh sync', async () => {
      const juliet = await account('juliet');
      const core = openCore(server, juliet, 'secret');
      try {
        await core.session.start({ failFast: true });
        await core.roster.retrieve();
        const { item: added } = await core.roster.add({
          jid: 'Nurse@Example.com',
          name: 'Nurse',
          groups: ['Servants', ' Servants '],
        });
        assert.deepEqual(added, {
          jid: 'nurse@example.com',
          name: 'Nurse',
          subscription: 'none',
          ask: null,
          approved: false,
          groups: ['Servants'],
        });
        const { item: renamed } = await core.roster.update({
          jid: 'nurse@example.com',
          name: 'Angelica',
          groups: ['Household', 'Verona'],
        });
        assert.equal(renamed?.name, 'Angelica');
        assert.deepEqual(renamed.groups, ['Household', 'Verona']); // renamed: narrowed by the assertion above
        const { item: kept } = await core.roster.update({ jid: 'nurse@example.com', groups: ['Household'] });
        assert.equal(kept?.name, 'Angelica', 'an update without a name keeps the name');
        await core.roster.add({ jid: 'tybalt@example.com' });
        await core.roster.remove('tybalt@example.com');

        const fresh = openCore(server, juliet, 'secret');
        await fresh.session.start({ failFast: true });
        await fresh.roster.retrieve();
        const truth = fresh.roster.snapshot();
        await fresh.close();
        assert.deepEqual(core.roster.snapshot().items, truth.items);
        assert.deepEqual(
          truth.items.map((i) => [i.jid, i.name, i.groups]),
          [['nurse@example.com', 'Angelica', ['Household']]],
        );
      } finally {
        await core.close();
      }
    });

    it('a contact removed by another client while we were offline is gone after the next login', async () => {
      const juliet = await account('juliet');
      const core = openCore(server, juliet, 'secret');
      await core.session.start({ failFast: true });
      await core.roster.retrieve();
      await core.roster.add({ jid: 'paris@example.com', name: 'Paris' });
      await core.roster.add({ jid: 'friar@example.com', name: 'Laurence' });
      await core.close();

      const other = openCore(server, juliet, 'secret', { resource: 'phone' });
      await other.session.start({ failFast: true });
      await other.roster.retrieve();
      await other.roster.remove('paris@example.com');
      await other.close();

      const back = openCore(server, juliet, 'secret', { dataDir: core.dataDir });
      try {
        assert.deepEqual(
          back.roster.snapshot().items.map((i) => i.jid),
          ['friar@example.com', 'paris@example.com'],
          'offline: the cache as we left it',
        );
        await back.session.start({ failFast: true });
        await back.roster.retrieve();
        await back.roster.settled();
        assert.deepEqual(
          back.roster.snapshot().items.map((i) => i.jid),
          ['friar@example.com'],
        );
      } finally {
        await back.close();
      }
    });

    it('a roster push sent by another real account to our full JID changes nothing', async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const core = openCore(server, juliet, 'secret', { resource: 'balcony' });
      const attacker = openCore(server, romeo, 'secret');
      try {
        await core.session.start({ failFast: true });
        await core.roster.retrieve();
        await core.roster.add({ jid: 'nurse@example.com', name: 'Nurse' });
        const before = core.roster.snapshot();
        await attacker.session.start({ failFast: true });
        const spoof = xml(
          'query',
          { xmlns: NS_ROSTER },
          xml('item', { jid: 'nurse@example.com', subscription: 'remove' }),
        );
        await assert.rejects(
          attacker.session.iq('set', spoof, `${juliet}@localhost/balcony`),
          (e: unknown) => e instanceof BalconyError && e.code === 'service-unavailable',
        );
        const add = xml('query', { xmlns: NS_ROSTER }, xml('item', { jid: 'evil@example.com', name: 'Evil' }));
        await assert.rejects(
          attacker.session.iq('set', add, `${juliet}@localhost/balcony`),
          (e: unknown) => e instanceof BalconyError && e.code === 'service-unavailable',
        );
        assert.equal(core.roster.spoofedPushes, 2);
        assert.deepEqual(core.roster.snapshot(), before);
      } finally {
        await core.close();
        await attacker.close();
      }
    });
  });
}
