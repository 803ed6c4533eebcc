/**
 * Issue 12 #6 and #7 against a real Prosody, with real second accounts: the
 * nickname (XEP-0172) carried from a real subscribe presence to the request
 * the app shows; approving with a name and groups; undoing a denial, from
 * the core and from the built command (`denied`, `undeny`), lets the next
 * request through.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { xml } from '@xmpp/client';
import type { SubscriptionRequest } from '../../preload/contract.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { NICK_NS } from '../../main/core/presence/presence-stanzas.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, waitForEvent } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

const hasRequest = (jid: string) => (list: SubscriptionRequest[]) => list.some((r) => r.jid === jid);

describe(
  'issue 12: requests with a nickname, approve as a contact, denials undone (Prosody)',
  { timeout: 120_000 },
  () => {
    let server: TestServer;
    const cores: RosterCore[] = [];

    async function online(user: string, resource = 'desk', dataDir?: string): Promise<RosterCore> {
      const core = openCore(server, user, 'secret', { resource, dataDir });
      cores.push(core);
      await core.session.start({ failFast: true });
      await core.roster.retrieve();
      await core.presence.flushed();
      return core;
    }

    before(async () => {
      server = await startProsody({ tls: true });
      for (const user of ['juliet', 'paris', 'tybalt', 'rosaline']) await server.register(user, 'secret');
    });
    after(async () => {
      for (const core of cores) await core.close().catch(() => undefined);
      await (server as TestServer | undefined)?.stop();
    });

    it('issue 12 #6: the nick in a real subscribe presence reaches the request; approving with a name and groups keeps them', async () => {
      const juliet = await online('juliet');
      const paris = await online('paris');
      const arrived = waitForEvent(juliet.presence, 'requests', hasRequest('paris@localhost'), 10_000);
      await paris.session.send(
        xml(
          'presence',
          { to: 'juliet@localhost', type: 'subscribe' },
          xml('nick', { xmlns: NICK_NS }, ' Count\nParis '),
          xml('status', {}, 'We met at the feast'),
        ),
      );
      const [requests] = await arrived;
      assert.deepEqual(
        requests.find((r) => r.jid === 'paris@localhost') && {
          ...requests.find((r) => r.jid === 'paris@localhost'),
          receivedAt: 0,
        },
        { jid: 'paris@localhost', message: 'We met at the feast', nick: 'Count Paris', receivedAt: 0 },
      );

      const askedBack = waitForEvent(paris.presence, 'requests', hasRequest('juliet@localhost'), 10_000);
      await juliet.presence.approveAs(
        'paris@localhost',
        { name: 'Count Paris', groups: ['Suitors'] },
        { askBack: true },
      );
      await askedBack;
      const item = juliet.roster.shownItem('paris@localhost');
      assert.deepEqual(
        item && { name: item.name, groups: item.groups, subscription: item.subscription, ask: item.ask },
        { name: 'Count Paris', groups: ['Suitors'], subscription: 'from', ask: 'subscribe' },
      );
    });

    it('issue 12 #7: after undoing a denial the next request is shown; the command lists and undoes denials offline', async () => {
      const juliet = await online('juliet', 'phone');
      const tybalt = await online('tybalt');
      const first = waitForEvent(juliet.presence, 'requests', hasRequest('tybalt@localhost'), 10_000);
      await tybalt.presence.subscribe('juliet@localhost');
      await first;
      await juliet.presence.deny('tybalt@localhost');
      assert.deepEqual(
        juliet.presence.deniedRequests().map((d) => d.jid),
        ['tybalt@localhost'],
      );
      assert.deepEqual(juliet.presence.undoDenial('tybalt@localhost'), { undone: true, answerDropped: false });
      await juliet.presence.flushed();

      const again = waitForEvent(juliet.presence, 'requests', hasRequest('tybalt@localhost'), 10_000);
      await tybalt.presence.subscribe('juliet@localhost');
      await again; // shown, not refused automatically
      assert.deepEqual(juliet.presence.deniedJids(), []);

      // The built command, on juliet's profile, with no network: list, undo, list.
      assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
      const dataDir = (juliet as RosterCore & { dataDir: string }).dataDir;
      await juliet.presence.deny('rosaline@localhost');
      await juliet.close();
      const args = ['--data-dir', dataDir, ...accountArgs(server)];
      const listed = await runCli(['denied', '--json', ...args]);
      assert.equal(listed.code, 0, listed.stderr);
      const parsed = JSON.parse(listed.stdout) as { denied: { jid: string; deniedAt: number }[] };
      assert.deepEqual(
        parsed.denied.map((d) => d.jid),
        ['rosaline@localhost'],
      );
      const undone = await runCli(['undeny', 'Rosaline@Localhost', ...args]);
      assert.equal(undone.code, 0, undone.stderr);
      assert.equal(undone.stdout, 'Undone: the next request from rosaline@localhost will be shown.\n');
      assert.equal((await runCli(['denied', ...args])).stdout, 'No denied requests.\n');
      const twice = await runCli(['undeny', 'rosaline@localhost', '--json', ...args]);
      assert.deepEqual(JSON.parse(twice.stdout), {
        undenied: 'rosaline@localhost',
        undone: false,
        answerDropped: false,
      });
      const bad = await runCli(['undeny', 'not a jid', ...args]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^invalid-jid: /);
    });
  },
);
