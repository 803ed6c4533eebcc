/**
 * issue 12 #8: balcony-roster's block, unblock and blocked, the built
 * command against a real Prosody (mod_blocklist): what it prints, what the
 * server then holds, and a block queued while the server is unreachable
 * that the next sync sends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

describe('issue 12 #8: balcony-roster block, unblock and blocked against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  let common: string[];
  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    common = accountArgs(server);
  });
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  /** What the server holds, seen by a fresh profile of the account. */
  async function serverList(): Promise<string[]> {
    const core = openCore(server, 'juliet', 'secret');
    try {
      await core.session.start({ failFast: true });
      await core.blocking.settled();
      return core.blocking.snapshot().items.map((item) => item.jid);
    } finally {
      await core.close();
    }
  }

  it('issue 12 #8: block and unblock reach the server; blocked --json lists the saved list with no network', async () => {
    const dataDir = tempDir();
    const blocked = await runCli(['block', 'Tybalt@Capulet.example', '--json', '--data-dir', dataDir, ...common], {
      password: 'secret',
    });
    assert.equal(blocked.code, 0, blocked.stderr);
    assert.deepEqual(JSON.parse(blocked.stdout), { blocked: 'tybalt@capulet.example' });
    assert.deepEqual(await serverList(), ['tybalt@capulet.example']);

    // blocked never touches the network: a closed port
    const list = await runCli([
      'blocked',
      '--json',
      '--data-dir',
      dataDir,
      '--account',
      'juliet@localhost',
      '--port',
      '1',
    ]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), {
      supported: true,
      blocked: [{ jid: 'tybalt@capulet.example' }],
      failed: [],
    });

    const unblocked = await runCli(['unblock', 'tybalt@capulet.example', '--data-dir', dataDir, ...common], {
      password: 'secret',
    });
    assert.equal(unblocked.code, 0, unblocked.stderr);
    assert.equal(unblocked.stdout, 'Unblocked tybalt@capulet.example.\n');
    assert.deepEqual(await serverList(), []);
    const text = await runCli(['blocked', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.equal(text.stdout, 'Nobody is blocked.\n');
  });

  it('issue 12 #8: with the server unreachable, block is queued (exit 0), listed as waiting, and sent by the next sync', async () => {
    const dataDir = tempDir();
    const first = await runCli(['sync', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(first.code, 0, first.stderr);
    const unreachable = [
      '--account',
      'juliet@localhost',
      '--host',
      '127.0.0.1',
      '--port',
      '1',
      '--ca-file',
      server.caFile,
    ];
    const queued = await runCli(['block', 'nurse@capulet.example', '--json', '--data-dir', dataDir, ...unreachable], {
      password: 'secret',
    });
    assert.equal(queued.code, 0, queued.stderr);
    assert.deepEqual(JSON.parse(queued.stdout), { blocked: 'nurse@capulet.example', queued: true });
    const waiting = await runCli(['blocked', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.equal(waiting.stdout, 'nurse@capulet.example  (waiting to be blocked)\n');
    assert.deepEqual(await serverList(), [], 'not sent yet');

    const sync = await runCli(['sync', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(sync.code, 0, sync.stderr);
    assert.deepEqual(await serverList(), ['nurse@capulet.example']);
    const after = await runCli(['blocked', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost']);
    assert.deepEqual(JSON.parse(after.stdout), {
      supported: true,
      blocked: [{ jid: 'nurse@capulet.example' }],
      failed: [],
    });
  });

  it('issue 12 #8: a first block from an empty profile with the server unreachable says blocking is not known to be offered', async () => {
    const blocked = await runCli(
      [
        'block',
        'nurse@capulet.example',
        '--data-dir',
        tempDir(),
        '--account',
        'juliet@localhost',
        '--host',
        '127.0.0.1',
        '--port',
        '1',
      ],
      { password: 'secret' },
    );
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /^service-unavailable: /);
  });
});
