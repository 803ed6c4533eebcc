/**
 * balcony-roster, the built command (dist/, as `npm run roster` runs it),
 * against a real Prosody: sync, list offline, add/update/remove, watch, and
 * the one-line coded errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

// The shapes the command prints with --json, as far as these tests read them (the assertions check the values).
interface SnapshotJson {
  account: unknown;
  version: unknown;
  items: { jid: string }[];
}
interface ItemJson {
  groups: unknown;
}
interface WatchLineJson {
  change: unknown;
  item?: { jid: unknown };
  jid?: unknown;
  version?: unknown;
}

describe('balcony-roster against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  let common: string[];
  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await seedRoster(server, 'juliet', 'secret', [
      { jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends', 'Lovers'] },
      { jid: 'benvolio@example.net', name: 'Benvolio' },
    ]);
    common = accountArgs(server);
  });
  // unset when before() failed before getting to it
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('sync --json prints the roster; list --json prints the same from the cache with no network', async () => {
    const dataDir = tempDir();
    const sync = await runCli(['sync', '--json', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(sync.code, 0, sync.stderr);
    const synced = JSON.parse(sync.stdout) as SnapshotJson;
    assert.equal(synced.account, 'juliet@localhost');
    assert.equal(typeof synced.version, 'string');
    assert.deepEqual(synced.items, [
      { jid: 'benvolio@example.net', name: 'Benvolio', subscription: 'none', ask: null, approved: false, groups: [] },
      {
        jid: 'romeo@example.net',
        name: 'Romeo',
        subscription: 'none',
        ask: null,
        approved: false,
        groups: ['Friends', 'Lovers'],
      },
    ]);
    // list never touches the network: point it at a closed port to be sure
    const list = await runCli([
      'list',
      '--json',
      '--data-dir',
      dataDir,
      '--account',
      'juliet@localhost',
      '--port',
      '1',
    ]);
    assert.equal(list.code, 0, list.stderr);
    // sync says beside the roster what the message archive brought (issue 10 #5): nothing yet
    const { archive, ...roster } = synced as SnapshotJson & { archive?: unknown };
    assert.deepEqual(archive, { fetched: 0, gaps: 0 });
    assert.deepEqual(JSON.parse(list.stdout), roster);
    const text = await runCli(['list', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.match(text.stdout, /romeo@example\.net {2}"Romeo" {2}\(no presence shared\) {2}\[Friends, Lovers\]/);
  });

  it('add, update and remove change the server and the cache', async () => {
    const dataDir = tempDir();
    const args = ['--data-dir', dataDir, ...common];
    const add = await runCli(
      ['add', 'Nurse@Example.com', '--name', 'Nurse', '--group', 'Servants', '--json', ...args],
      { password: 'secret' },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.deepEqual(JSON.parse(add.stdout), {
      jid: 'nurse@example.com',
      name: 'Nurse',
      subscription: 'none',
      ask: null,
      approved: false,
      groups: ['Servants'],
    });
    const update = await runCli(
      [
        'update',
        'nurse@example.com',
        '--name',
        'Angelica',
        '--group',
        'Household',
        '--group',
        'Verona',
        '--json',
        ...args,
      ],
      { password: 'secret' },
    );
    assert.equal(update.code, 0, update.stderr);
    assert.deepEqual((JSON.parse(update.stdout) as ItemJson).groups, ['Household', 'Verona']);
    const remove = await runCli(['remove', 'nurse@example.com', ...args], { password: 'secret' });
    assert.equal(remove.code, 0, remove.stderr);
    const list = await runCli(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.deepEqual(
      (JSON.parse(list.stdout) as SnapshotJson).items.map((i) => i.jid),
      ['benvolio@example.net', 'romeo@example.net'],
    );
  });

  it('watch prints each pushed change as one JSON line and exits after --for', async () => {
    const dataDir = tempDir();
    const watching = runCli(['watch', '--for', '4', '--data-dir', dataDir, ...common], { password: 'secret' });
    // give the watcher time to sign in, then change the roster from another resource
    const other = openCore(server, 'juliet', 'secret', { resource: 'other' });
    await other.session.start({ failFast: true });
    await other.roster.retrieve();
    await new Promise((r) => setTimeout(r, 1500));
    await other.roster.add({ jid: 'tybalt@example.com', name: 'Tybalt' });
    await other.roster.remove('tybalt@example.com');
    await other.close();
    const run = await watching;
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchLineJson);
    assert.equal(lines[0]!.change, 'reset');
    assert.deepEqual(
      lines.slice(1).map((l) => [l.change, l.item?.jid ?? l.jid]),
      [
        ['upsert', 'tybalt@example.com'],
        ['remove', 'tybalt@example.com'],
      ],
    );
    assert.ok(lines.slice(1).every((l) => typeof l.version === 'string'));
  });

  it('errors: one line on stderr starting with the code, non-zero exit', async () => {
    const dataDir = tempDir();
    const cases: [string[], string | undefined, string][] = [
      [['add', 'not a jid', '--data-dir', dataDir, ...common], 'secret', 'invalid-jid'],
      [['add', 'juliet@localhost', '--data-dir', dataDir, ...common], 'secret', 'own-jid'],
      [['add', 'x@y', '--group', '  ', '--data-dir', dataDir, ...common], 'secret', 'group-invalid'],
      [['add', 'x@y', '--name', 'n'.repeat(2000), '--data-dir', dataDir, ...common], 'secret', 'name-too-long'],
      [['remove', 'nobody@example.com', '--data-dir', dataDir, ...common], 'secret', 'item-not-found'],
      [['sync', '--data-dir', dataDir, ...common], 'wrong', 'auth-failed'],
      [
        ['sync', '--data-dir', dataDir, ...common.filter((a) => a !== server.caFile && a !== '--ca-file')],
        'secret',
        'tls-failed',
      ],
      [
        ['sync', '--data-dir', dataDir, '--account', 'juliet@localhost', '--host', '127.0.0.1', '--port', '1'],
        'secret',
        'host-unreachable',
      ],
      [['sync', '--data-dir', dataDir, '--account', 'juliet'], 'secret', 'invalid-jid'],
      [['frobnicate', '--account', 'juliet@localhost'], undefined, 'invalid-argument'],
      [['sync', '--data-dir', dataDir, ...common, '--password', 'secret'], undefined, 'invalid-argument'],
      [['sync', '--data-dir', dataDir, ...common], undefined, 'invalid-argument'], // no password, no terminal
    ];
    for (const [args, password, code] of cases) {
      const run = await runCli(args, { password });
      assert.notEqual(run.code, 0, `${args.join(' ')} should fail`);
      const lines = run.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line: ${run.stderr}`);
      assert.ok(lines[0]!.startsWith(`${code}: `), `${args[0]}: expected ${code}, got ${lines[0]}`);
    }
  });

  it('refuses a cleartext server unless told it is a loopback test server', async () => {
    const plain = await startProsody({ tls: false });
    try {
      await plain.register('juliet', 'secret');
      const args = [
        'sync',
        '--json',
        '--data-dir',
        tempDir(),
        '--account',
        'juliet@localhost',
        '--host',
        '127.0.0.1',
        '--port',
        String(plain.port),
      ];
      const refused = await runCli(args, { password: 'secret' });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^tls-required: /);
      const allowed = await runCli([...args, '--allow-plaintext-loopback'], { password: 'secret' });
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.equal((JSON.parse(allowed.stdout) as SnapshotJson).account, 'juliet@localhost');
    } finally {
      await plain.stop();
    }
  });
});
