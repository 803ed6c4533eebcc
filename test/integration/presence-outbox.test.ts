/**
 * Issue 11 #16 against a real Prosody with real accounts: answers to
 * subscription requests given offline live in the profile's SQLite presence
 * outbox, so they survive the process being SIGKILLed, go out at the next
 * sign-in of a NEW process, reach the requester, and are sent exactly once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RosterCore } from '../../main/core/roster-core.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { openDatabase } from '../../main/core/store/database.js';
import { PresenceOutboxStore, type PresenceStep } from '../../main/core/store/presence-outbox-store.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const childPath = fileURLToPath(new URL('../support/presence-child.ts', import.meta.url));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Runs presence-child.ts until it prints {"done":true}, then SIGKILLs it; returns the lines before. */
function runThenKill(
  server: TestServer,
  profileDir: string,
  account: string,
  args: string[],
  logs: string[],
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', childPath, profileDir, account, 'secret', String(server.port), server.caFile, ...args],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    live.add(child);
    const lines: unknown[] = [];
    let done = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => logs.push(line));
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const value = JSON.parse(line) as { done?: boolean };
      if (value.done) {
        done = true;
        child.kill('SIGKILL');
      } else {
        lines.push(value);
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (done && signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`child ended (${code ?? signal}) before it was done:\n${logs.join('\n')}`));
    });
  });
}

/** The presence outbox as the profile file holds it (read by a fresh connection, as a new process would). */
function storedSteps(profileDir: string, account: string): Pick<PresenceStep, 'type' | 'jid'>[] {
  const { db } = openDatabase(databasePath(profileDir));
  try {
    return new PresenceOutboxStore(db).list(account).map(({ type, jid }) => ({ type, jid }));
  } finally {
    db.close();
  }
}

describe('issue 11 #16: presence answers given offline, against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  const cores: RosterCore[] = [];

  async function online(user: string, dataDir?: string): Promise<RosterCore> {
    const core = openCore(server, user, 'secret', { dataDir });
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
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo', 'tybalt']) await server.register(user, 'secret');
  });
  after(async () => {
    for (const core of cores) await core.close().catch(() => undefined);
    // unset when before() failed before getting to it
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 11 #16: approve and deny given offline survive SIGKILL; a new process signs in and they reach the requesters, once', async () => {
    const logs: string[] = [];
    const romeo = await online('romeo');
    const tybalt = await online('tybalt');
    await romeo.presence.subscribe('juliet@localhost'); // juliet is offline: the server keeps the requests
    await tybalt.presence.subscribe('juliet@localhost');
    await until(
      'both asks stored',
      () => stateOf(romeo, 'juliet@localhost') === 'none+ask' && stateOf(tybalt, 'juliet@localhost') === 'none+ask',
    );

    const profile = tempDir();
    const answered = await runThenKill(
      server,
      profile,
      'juliet@localhost',
      ['answer', 'approve:romeo@localhost', 'deny:tybalt@localhost'],
      logs,
    );
    assert.deepEqual(answered, [
      { approve: 'romeo@localhost', queued: true },
      { deny: 'tybalt@localhost', queued: true },
    ]);
    assert.deepEqual(
      storedSteps(profile, 'juliet@localhost'),
      [
        { type: 'subscribed', jid: 'romeo@localhost' },
        { type: 'unsubscribed', jid: 'tybalt@localhost' },
      ],
      'kept in the profile across the kill',
    );
    assert.equal(stateOf(romeo, 'juliet@localhost'), 'none+ask', 'nothing reached the server yet');

    // A new process signs in (and is killed too, once it has flushed).
    assert.deepEqual(await runThenKill(server, profile, 'juliet@localhost', ['sync'], logs), [{ online: true }]);
    await until(
      'romeo sees juliet, tybalt refused',
      () => stateOf(romeo, 'juliet@localhost') === 'to' && stateOf(tybalt, 'juliet@localhost') === 'none',
    );
    assert.deepEqual(storedSteps(profile, 'juliet@localhost'), [], 'confirmed: nothing left to send again');

    // And the app's next sign-in on that profile (available: the server re-sends what it still holds).
    const juliet = await online('juliet', profile);
    assert.equal(stateOf(juliet, 'romeo@localhost'), 'from');
    assert.deepEqual(juliet.presence.requests(), [], 'neither request comes back');
    assert.deepEqual(storedSteps(profile, 'juliet@localhost'), []);
  });
});
