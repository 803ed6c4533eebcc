/**
 * Addresses against a real Prosody (Debian's 0.12), through the real built
 * command: Prosody still prepares JIDs with stringprep (nodeprep folds ß to
 * ss, nameprep folds the domain), and keeps an A-label and its U-label as
 * two different items.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir } from '../support/roster-fixtures.js';
import { CLI, runCli } from '../support/run-cli.js';

// The shape `sync --json` prints, as far as these tests read it (the assertions check the values).
interface SnapshotJson {
  items: { jid: string; name: string | null }[];
}
interface ItemJson {
  jid: unknown;
  name: unknown;
}

describe('addresses against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  let user = 0;
  /** A fresh account and profile per test. */
  async function account(): Promise<string[]> {
    user += 1;
    await server.register(`juliet${user}`, 'secret');
    return [
      '--account',
      `juliet${user}@localhost`,
      '--data-dir',
      tempDir(),
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--ca-file',
      server.caFile,
    ];
  }

  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
  });
  // unset when before() failed before getting to it
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 11 #12: add ß@example.net prints the contact Prosody stored (ss@example.net) at once, and remove ß@example.net removes it', async () => {
    const args = await account();
    const add = await runCli(['add', 'ß@example.net', '--name', 'Eszett', '--json', ...args], { password: 'secret' });
    assert.equal(add.code, 0, add.stderr);
    assert.deepEqual(JSON.parse(add.stdout), {
      jid: 'ss@example.net',
      name: 'Eszett',
      subscription: 'none',
      ask: null,
      approved: false,
      groups: [],
    });
    assert.ok(add.ms < 4500, `answered by the push, not after the 5 s wait (${add.ms} ms)`);

    const synced = JSON.parse(
      (await runCli(['sync', '--json', ...args], { password: 'secret' })).stdout,
    ) as SnapshotJson;
    assert.deepEqual(
      synced.items.map((i) => i.jid),
      ['ss@example.net'],
      'one contact, shown as the server keeps it',
    );

    const remove = await runCli(['remove', 'ß@example.net', '--json', ...args], { password: 'secret' });
    assert.equal(remove.code, 0, remove.stderr);
    assert.deepEqual(JSON.parse(remove.stdout), { removed: 'ss@example.net' });
    const after = JSON.parse(
      (await runCli(['sync', '--json', ...args], { password: 'secret' })).stdout,
    ) as SnapshotJson;
    assert.deepEqual(after.items, [], 'gone from the server too');

    // and by the address shown
    await runCli(['add', 'ß@example.net', ...args], { password: 'secret' });
    const byShown = await runCli(['remove', 'ss@example.net', '--json', ...args], { password: 'secret' });
    assert.deepEqual(JSON.parse(byShown.stdout), { removed: 'ss@example.net' });
  });

  it('issue 11 #11: romeo@xn--mnchen-3ya.de and romeo@münchen.de are one contact on the server and in the cache (sent as U-labels)', async () => {
    const args = await account();
    const first = await runCli(['add', 'romeo@xn--mnchen-3ya.de', '--name', 'Romeo', '--json', ...args], {
      password: 'secret',
    });
    assert.equal(first.code, 0, first.stderr);
    assert.equal((JSON.parse(first.stdout) as ItemJson).jid, 'romeo@münchen.de');
    const second = await runCli(['update', 'romeo@münchen.de', '--name', 'Romeo M', '--json', ...args], {
      password: 'secret',
    });
    assert.equal(second.code, 0, second.stderr);
    assert.equal((JSON.parse(second.stdout) as ItemJson).name, 'Romeo M');
    assert.ok(first.ms < 4500 && second.ms < 4500, 'Prosody pushed the U-label spelling we sent');
    const synced = JSON.parse(
      (await runCli(['sync', '--json', ...args], { password: 'secret' })).stdout,
    ) as SnapshotJson;
    assert.deepEqual(
      synced.items.map((i) => [i.jid, i.name]),
      [['romeo@münchen.de', 'Romeo M']],
    );
    const invalid = await runCli(['add', 'romeo@xn--zz.de', ...args], { password: 'secret' });
    assert.match(invalid.stderr, /^invalid-jid: /);
  });
});
