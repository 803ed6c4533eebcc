/**
 * balcony-roster's presence commands, the built command (dist/), against a
 * real Prosody: requests, approve, deny, add --subscribe, and their errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

/** The built balcony-roster; `password: null` runs it with no BALCONY_PASSWORD. */
const roster = (args: string[], password: string | null = 'secret') =>
  runCli(args, password === null ? {} : { password });

// The shape `list --json` prints, as far as these tests read it (the assertions check the values).
interface ListJson {
  items: { jid: string; subscription: unknown; ask: unknown }[];
  pending: unknown;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('balcony-roster presence commands against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  let common: string[];
  const cores: RosterCore[] = [];

  async function online(user: string): Promise<RosterCore> {
    const core = openCore(server, user, 'secret', { resource: 'script' });
    cores.push(core);
    await core.session.start({ failFast: true });
    await core.roster.retrieve();
    await core.presence.flushed();
    return core;
  }
  const stateOf = (core: RosterCore, jid: string): string => {
    const item = core.store.getItem(core.session.account, jid);
    return item ? `${item.subscription}${item.ask ? '+ask' : ''}` : 'absent';
  };

  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo', 'tybalt', 'nurse']) await server.register(user, 'secret');
    common = accountArgs(server);
  });
  after(async () => {
    for (const core of cores) await core.close().catch(() => undefined);
    // unset when before() failed before getting to it
    await (server as TestServer | undefined)?.stop();
  });

  it('requests lists what the server re-sends; approve asks back; deny is remembered', async () => {
    const dataDir = tempDir();
    const args = ['--data-dir', dataDir, ...common];
    const romeo = await online('romeo');
    const tybalt = await online('tybalt');
    await romeo.presence.subscribe('juliet@localhost'); // juliet is offline: the server keeps them
    await tybalt.presence.subscribe('juliet@localhost');
    await until(
      'both asks stored',
      () => stateOf(romeo, 'juliet@localhost') === 'none+ask' && stateOf(tybalt, 'juliet@localhost') === 'none+ask',
    );

    const listed = await roster(['requests', '--json', '--wait', '0', ...args]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), {
      requests: [
        { jid: 'romeo@localhost', message: null },
        { jid: 'tybalt@localhost', message: null },
      ],
    });
    const text = await roster(['requests', '--wait', '0', ...args]);
    assert.equal(text.stdout, '2 pending request(s) to see your presence:\nromeo@localhost\ntybalt@localhost\n');

    const approved = await roster(['approve', 'Romeo@Localhost', '--json', ...args]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.deepEqual(JSON.parse(approved.stdout), { approved: 'romeo@localhost', askedBack: true });
    await until('romeo sees juliet', () => stateOf(romeo, 'juliet@localhost') === 'to');
    const list = await roster(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    const item = (JSON.parse(list.stdout) as ListJson).items.find((i) => i.jid === 'romeo@localhost');
    assert.deepEqual(
      [item?.subscription, item?.ask],
      ['from', 'subscribe'],
      'the cache holds the pushes the answer caused',
    );

    const denied = await roster(['deny', 'tybalt@localhost', ...args]);
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(denied.stdout, 'Refused tybalt@localhost; later requests from them will not be shown.\n');
    await until('tybalt refused', () => stateOf(tybalt, 'juliet@localhost') === 'none');

    await tybalt.presence.subscribe('juliet@localhost'); // asks again while juliet is offline
    await until('tybalt asks again', () => stateOf(tybalt, 'juliet@localhost') === 'none+ask');
    const after = await roster(['requests', '--json', '--wait', '0', ...args]);
    assert.deepEqual(JSON.parse(after.stdout), { requests: [] }, 'romeo answered, tybalt denied before');
    await until('tybalt refused again', () => stateOf(tybalt, 'juliet@localhost') === 'none');
    assert.equal((await roster(['requests', '--wait', '0', ...args])).stdout, 'No pending requests.\n');
  });

  it('add --subscribe adds and asks; approve --no-ask-back only answers', async () => {
    const dataDir = tempDir();
    const args = ['--data-dir', dataDir, ...common];
    const nurse = await online('nurse');
    const add = await roster(['add', 'nurse@localhost', '--name', 'Nurse', '--subscribe', '--json', ...args]);
    assert.equal(add.code, 0, add.stderr);
    assert.deepEqual(JSON.parse(add.stdout), {
      jid: 'nurse@localhost',
      name: 'Nurse',
      subscription: 'none',
      ask: 'subscribe',
      approved: false,
      groups: [],
    });
    await until('nurse got the request', () => nurse.presence.requests().some((r) => r.jid === 'juliet@localhost'));
    await nurse.presence.approve('juliet@localhost'); // and asks back
    await until('nurse asked back', () => stateOf(nurse, 'juliet@localhost') === 'from+ask');
    const approve = await roster(['approve', 'nurse@localhost', '--no-ask-back', ...args]);
    assert.equal(approve.code, 0, approve.stderr);
    assert.equal(approve.stdout, 'nurse@localhost can now see your presence.\n');
    await until('both ways', () => stateOf(nurse, 'juliet@localhost') === 'both');

    // Only `requests` makes the command available; the others stay invisible to contacts.
    const seen: string[] = [];
    nurse.presence.on('presence', (p) => {
      if (p.jid === 'juliet@localhost') seen.push(p.show);
    });
    assert.equal((await roster(['sync', ...args])).code, 0);
    assert.equal((await roster(['approve', 'nurse@localhost', ...args])).code, 0);
    await sleep(300);
    assert.deepEqual(seen, []);
  });

  it('errors: one line with the code; requests and add --subscribe are never queued', async () => {
    const dataDir = tempDir();
    const unreachable = ['--data-dir', dataDir, '--account', 'juliet@localhost', '--host', '127.0.0.1', '--port', '1'];
    const cases: [string[], string][] = [
      [['approve', ...common], 'invalid-argument'],
      [['deny', 'x@y', '--no-ask-back', ...common], 'invalid-argument'],
      [['add', 'x@y', '--wait', '3', ...common], 'invalid-argument'],
      [['update', 'x@y', '--subscribe', ...common], 'invalid-argument'],
      [['requests', '--wait', '-1', ...common], 'invalid-argument'],
      [['requests', 'x@y', ...common], 'invalid-argument'],
      [['approve', 'juliet@localhost', '--data-dir', dataDir, ...common], 'own-jid'],
      [['deny', 'not a jid', '--data-dir', dataDir, ...common], 'invalid-jid'],
      [['requests', ...unreachable], 'host-unreachable'],
      [['add', 'romeo@localhost', '--subscribe', ...unreachable], 'host-unreachable'],
    ];
    for (const [args, code] of cases) {
      const run = await roster(args);
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stdout}`);
      assert.match(run.stderr, new RegExp(`^${code}: [^\\n]+\\n$`), `${args.join(' ')}: ${run.stderr}`);
    }
    const list = await roster(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.deepEqual((JSON.parse(list.stdout) as ListJson).pending, [], 'add --subscribe did not queue the add');
  });

  it('issue 11 #16: approve and deny given with the server unreachable are queued in the profile; the next sync (a new process) delivers them', async () => {
    const dataDir = tempDir();
    const args = ['--data-dir', dataDir, ...common];
    const unreachable = ['--data-dir', dataDir, '--account', 'juliet@localhost', '--host', '127.0.0.1', '--port', '1'];
    await server.register('mercutio', 'secret');
    await server.register('paris', 'secret');
    const mercutio = await online('mercutio');
    const paris = await online('paris');
    await mercutio.presence.subscribe('juliet@localhost');
    await paris.presence.subscribe('juliet@localhost');
    await until(
      'both asks stored',
      () => stateOf(mercutio, 'juliet@localhost') === 'none+ask' && stateOf(paris, 'juliet@localhost') === 'none+ask',
    );

    const approved = await roster(['approve', 'mercutio@localhost', '--json', ...unreachable]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.deepEqual(JSON.parse(approved.stdout), { approved: 'mercutio@localhost', askedBack: true, queued: true });
    const denied = await roster(['deny', 'paris@localhost', ...unreachable]);
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(
      denied.stdout,
      'The server is not reachable: the answer is queued and will be sent by the next sync.\n',
    );
    assert.equal(stateOf(mercutio, 'juliet@localhost'), 'none+ask', 'nothing sent yet');

    const sync = await roster(['sync', '--json', ...args]);
    assert.equal(sync.code, 0, sync.stderr);
    await until(
      'mercutio sees juliet, paris refused',
      () => stateOf(mercutio, 'juliet@localhost') === 'to' && stateOf(paris, 'juliet@localhost') === 'none',
    );
    await until('juliet asked mercutio back', () =>
      mercutio.presence.requests().some((r) => r.jid === 'juliet@localhost'),
    );
    const requests = await roster(['requests', '--json', '--wait', '0', ...args]);
    assert.deepEqual(JSON.parse(requests.stdout), { requests: [] }, 'answered: the server does not ask again');
  });
});
