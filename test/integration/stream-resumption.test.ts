/**
 * XEP-0198 stream management against real servers: after the network drops,
 * the session resumes where it was (no new retrieval: nothing was missed) and
 * a change pushed during the gap arrives; when resumption is not possible,
 * a fresh session retrieves the roster again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEjabberd, startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, waitForEvent } from '../support/roster-fixtures.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const FAST = { backoff: { initialMs: 100, maxMs: 300 }, connectTimeoutMs: 5_000 };

for (const [name, start] of [
  ['Prosody', () => startProsody({ tls: true })],
  ['ejabberd', () => startEjabberd({ tls: true })],
] as const) {
  describe(`stream resumption against ${name}`, { timeout: 90_000 }, () => {
    let server: TestServer;
    let proxy: TcpProxy;
    before(async () => {
      server = await start();
      await server.register('juliet', 'secret');
      proxy = await TcpProxy.start(server.port);
    });
    after(async () => {
      // each is unset when before() failed before getting to it
      await (proxy as TcpProxy | undefined)?.stop();
      await (server as TestServer | undefined)?.stop();
    });

    it('a dropped connection is resumed: no new retrieval, and a push sent during the gap arrives', async () => {
      const core = openCore({ port: proxy.port, caFile: server.caFile }, 'juliet', 'secret', { session: FAST });
      const other = openCore(server, 'juliet', 'secret', { resource: 'phone' });
      let retrievals = 0;
      core.roster.on('retrieved', () => {
        retrievals += 1;
      });
      const onlines: boolean[] = [];
      core.session.on('online', ({ resumed }) => onlines.push(resumed));
      try {
        void core.session.start();
        await waitForEvent(core.roster, 'retrieved', () => true, 10_000);
        await new Promise((r) => setTimeout(r, 300)); // let <enabled/> settle

        proxy.cut(); // the network is gone
        await waitForEvent(core.session, 'state', (s: { status: string }) => s.status !== 'online', 5_000);
        await other.session.start({ failFast: true });
        await other.roster.retrieve();
        await other.roster.add({ jid: 'gap@example.com', name: 'Sent during the gap' });
        const resumedOnline = waitForEvent(core.session, 'online', () => true, 15_000);
        proxy.restore();

        await resumedOnline;
        // the push may be replayed just before 'online' is told, or just after
        if (!core.roster.serverSnapshot().items.some((i) => i.jid === 'gap@example.com')) {
          await waitForEvent(
            core.roster,
            'change',
            (c: { kind: string; item?: { jid: string } }) => c.kind === 'upsert' && c.item?.jid === 'gap@example.com',
            15_000,
          );
        }
        assert.deepEqual(onlines, [false, true], 'the second online is a resumption');
        assert.equal(retrievals, 1, 'no retrieval after a resumption');
        assert.equal(
          core.roster.serverSnapshot().items.find((i) => i.jid === 'gap@example.com')?.name,
          'Sent during the gap',
        );
      } finally {
        await core.close();
        await other.close();
      }
    });

    it('after signing out there is nothing to resume: the next session retrieves again', async () => {
      const core = openCore({ port: proxy.port, caFile: server.caFile }, 'juliet', 'secret', { session: FAST });
      const onlines: boolean[] = [];
      core.session.on('online', ({ resumed }) => onlines.push(resumed));
      try {
        await core.session.start({ failFast: true });
        await core.roster.settled();
        await core.session.stop();
        const retrieved = waitForEvent(core.roster, 'retrieved', () => true, 10_000);
        await core.session.start({ failFast: true });
        await retrieved;
        assert.deepEqual(onlines, [false, false]);
      } finally {
        await core.close();
      }
    });
  });
}
