/**
 * Offline-first against a real Prosody: edits made while the server is down
 * land in order when it is back; the conflict rule against another client's
 * changes; the server going down in the middle of a replay.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterItem } from '../../preload/contract.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore } from '../support/roster-fixtures.js';

const FAST = {
  backoff: { initialMs: 100, maxMs: 400 },
  connectTimeoutMs: 3_000,
  keepalive: { idleMs: 2_000, timeoutMs: 1_000 },
};

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const summary = (items: RosterItem[]) => items.map((i) => [i.jid, i.name, i.groups]);

describe('offline edits against Prosody', { timeout: 180_000 }, () => {
  let server: TestServer;
  let n = 0;
  async function account(): Promise<string> {
    n += 1;
    await server.register(`juliet${n}`, 'secret');
    return `juliet${n}`;
  }
  /** The server's roster, read by a fresh client with an empty cache. */
  async function serverRoster(user: string): Promise<RosterItem[]> {
    const fresh = openCore(server, user, 'secret', { resource: 'checker' });
    try {
      await fresh.session.start({ failFast: true });
      await fresh.roster.retrieve();
      return fresh.roster.serverSnapshot().items;
    } finally {
      await fresh.close();
    }
  }

  before(async () => {
    server = await startProsody({ tls: true });
  });
  // unset when before() failed before getting to it
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('edits made while the server is down are all on the server, in order, once it is back', async () => {
    const user = await account();
    const core = openCore(server, user, 'secret', { session: FAST });
    try {
      await core.session.start({ failFast: true });
      await core.roster.settled();
      await core.roster.add({ jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'] });

      await server.down!();
      await until(() => core.session.state.status !== 'online', 'the session to notice the server is gone');
      const edits = [
        () => core.roster.add({ jid: 'nurse@example.com', name: 'Nurse', groups: ['Servants'] }),
        () => core.roster.update({ jid: 'romeo@example.net', name: 'Romeo Montague' }),
        () => core.roster.add({ jid: 'tybalt@example.com', name: 'Tybalt' }),
        () => core.roster.remove('tybalt@example.com'),
        () => core.roster.update({ jid: 'nurse@example.com', groups: ['Household'] }),
        () => core.roster.add({ jid: 'paris@example.com' }),
      ];
      for (const edit of edits) assert.equal((await edit()).queued, true);
      const shown = core.roster.snapshot().items;
      assert.deepEqual(
        shown.map((i) => [i.jid, i.pending?.state ?? null]),
        [
          ['nurse@example.com', 'waiting'],
          ['paris@example.com', 'waiting'],
          ['romeo@example.net', 'waiting'],
          ['tybalt@example.com', 'waiting'],
        ],
        'shown at once, marked waiting to sync',
      );
      assert.equal(core.roster.pendingEdits().length, 6);

      await server.up!();
      await until(
        () => core.roster.pendingEdits().length === 0 && core.session.state.status === 'online',
        'the outbox to drain',
      );
      const expected = [
        ['nurse@example.com', 'Nurse', ['Household']],
        ['paris@example.com', null, []],
        ['romeo@example.net', 'Romeo Montague', ['Friends']],
      ];
      assert.deepEqual(summary(await serverRoster(user)), expected);
      assert.deepEqual(summary(core.roster.serverSnapshot().items), expected, 'the cache follows the server');
      assert.ok(
        core.roster.snapshot().items.every((i) => i.pending === undefined),
        'no marks left',
      );
    } finally {
      await core.close();
    }
  });

  it('conflicts: a contact removed elsewhere stays removed; a name changed elsewhere is kept; our other field lands', async () => {
    const user = await account();
    const core = openCore(server, user, 'secret', { session: FAST });
    const other = openCore(server, user, 'secret', { resource: 'phone' });
    try {
      await core.session.start({ failFast: true });
      await core.roster.settled();
      await core.roster.add({ jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'] });
      await core.roster.add({ jid: 'benvolio@example.net', name: 'Benvolio', groups: ['Friends'] });
      await core.session.stop(); // offline

      await other.session.start({ failFast: true });
      await other.roster.retrieve();
      await other.roster.remove('romeo@example.net');
      await other.roster.update({ jid: 'benvolio@example.net', name: 'Ben (theirs)' });
      await other.close();

      assert.equal((await core.roster.update({ jid: 'romeo@example.net', name: 'R' })).queued, true);
      assert.equal(
        (await core.roster.update({ jid: 'benvolio@example.net', name: 'Ben (mine)', groups: ['Cousins'] })).queued,
        true,
      );
      const conflicts: { jid: string; fields: string[] }[] = [];
      core.roster.on('conflict', (c) => conflicts.push(c));
      await core.session.start({ failFast: true });
      await until(() => core.roster.pendingEdits().length === 0, 'the outbox to drain');

      assert.deepEqual(conflicts, [
        { jid: 'romeo@example.net', fields: ['removed-elsewhere'] },
        { jid: 'benvolio@example.net', fields: ['name'] },
      ]);
      const expected = [['benvolio@example.net', 'Ben (theirs)', ['Cousins']]];
      assert.deepEqual(summary(await serverRoster(user)), expected);
      assert.deepEqual(summary(core.roster.snapshot().items), expected);
    } finally {
      await core.close();
      await other.close();
    }
  });

  it('the server going down in the middle of a replay: every edit lands exactly once', async () => {
    const user = await account();
    const core = openCore(server, user, 'secret', { session: FAST });
    try {
      await core.session.start({ failFast: true });
      await core.roster.settled();
      await core.session.stop();
      const COUNT = 40;
      for (let i = 0; i < COUNT; i++) await core.roster.add({ jid: `guest${i}@example.com`, name: `Guest ${i}` });
      for (let i = 0; i < COUNT; i += 4)
        await core.roster.update({ jid: `guest${i}@example.com`, name: `Guest ${i} (renamed)`, groups: ['Party'] });
      const queued = core.roster.pendingEdits().length;
      assert.equal(queued, COUNT + COUNT / 4);

      let landed = 0;
      core.roster.on('change', (c) => {
        if (c.kind === 'upsert' && c.item.pending === undefined) landed += 1;
      });
      void core.session.start();
      await until(() => landed >= 5, 'a few edits to land');
      await server.down!(); // mid-replay
      const left = core.roster.pendingEdits().length;
      assert.ok(left > 0 && left < queued, `interrupted mid-replay (${left} of ${queued} left)`);
      await server.up!();
      await until(
        () => core.roster.pendingEdits().length === 0 && core.session.state.status === 'online',
        'the outbox to drain',
        60_000,
      );

      const expected = Array.from({ length: COUNT }, (_, i) => [
        `guest${i}@example.com`,
        i % 4 === 0 ? `Guest ${i} (renamed)` : `Guest ${i}`,
        i % 4 === 0 ? ['Party'] : [],
      ]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
      const onServer = await serverRoster(user);
      assert.equal(onServer.length, COUNT);
      assert.deepEqual(summary(onServer), expected);
      assert.deepEqual(summary(core.roster.serverSnapshot().items), expected);
    } finally {
      await core.close();
    }
  });
});
