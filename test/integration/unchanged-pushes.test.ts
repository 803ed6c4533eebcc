/**
 * Issue 16 #3 against a real server: at every sign-in Prosody re-sends a
 * roster push for items whose subscription request is still pending, though
 * nothing about them changed. Each is stored (its version) and acknowledged,
 * and none becomes a change event: a renderer holding 50,000 rows must not
 * redraw for them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProsody } from '../support/xmpp-servers.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';

test(
  "issue 16 #3: Prosody's re-pushes of unchanged items at sign-in are stored and acknowledged, with no change event",
  { timeout: 90_000 },
  async () => {
    const server = await startProsody({ tls: true });
    try {
      for (const user of ['juliet', 'romeo']) await server.register(user, 'secret');
      const dataDir = tempDir();
      const first = openCore(server, 'juliet', 'secret', { dataDir, resource: 'first' });
      await first.session.start({ failFast: true });
      await first.roster.settled();
      await first.roster.add({ jid: 'benvolio@example.net', name: 'Benvolio', groups: ['Friends'] });
      // a request romeo never answers: the item keeps ask='subscribe'
      await first.presence.add({ jid: 'romeo@localhost', name: 'Romeo' }, { subscribe: true });
      await waitForEvent(
        first.roster,
        'change',
        (c: { kind: string; item?: { jid: string; ask: string | null } }) =>
          c.kind === 'upsert' && c.item?.jid === 'romeo@localhost' && c.item.ask === 'subscribe',
        10_000,
      ).catch(() => undefined);
      await first.close();

      const again = openCore(server, 'juliet', 'secret', { dataDir, resource: 'again' });
      const changes: string[] = [];
      again.roster.on('change', (c) => changes.push(c.kind));
      const unchanged = waitForEvent<[{ jid: string; version: string | null }]>(
        again.roster,
        'unchangedPush',
        ({ jid }) => jid === 'romeo@localhost',
        15_000,
      );
      await again.session.start({ failFast: true });
      const [{ version }] = await unchanged;
      await again.roster.settled();
      try {
        assert.deepEqual(
          changes,
          [],
          'no change event for the re-pushed item (the versioned sign-in itself is "unchanged")',
        );
        assert.equal(again.store.getVersion(again.session.account), version, "the re-push's version is stored");
        assert.equal(again.roster.snapshot().items.find((i) => i.jid === 'romeo@localhost')?.ask, 'subscribe');
        // the session stays healthy: the push was answered (an unanswered iq set would not end it, a refusal would be logged)
        assert.equal(again.session.state.status, 'online');
      } finally {
        await again.close();
      }
    } finally {
      await server.stop();
    }
  },
);
