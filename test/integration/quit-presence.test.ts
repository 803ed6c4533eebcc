/**
 * Issue 13 #5: before-quit waits (at most 2 s, main/core/desktop/quit-gate.ts)
 * for MessengerService.close(). This checks against real Prosody that close()
 * is worth the wait: it ends the stream cleanly (no stream-management
 * hibernation), so a contact sees us go offline at once, well inside the 2 s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ContactPresence } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { QUIT_WAIT_MS } from '../../main/core/desktop/quit-gate.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, sharePresenceBothWays, tempDir, waitForEvent } from '../support/roster-fixtures.js';

type Core = RosterCore & { dataDir: string };

describe('issue 13 #5: quitting signs off against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  const cores: Core[] = [];
  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await server.register('romeo', 'secret');
  });
  after(async () => {
    for (const core of cores) await core.close();
    await (server as TestServer | undefined)?.stop();
  });

  async function signIn(user: string): Promise<Core> {
    const core = openCore(server, user, 'secret');
    cores.push(core);
    await core.session.start({ failFast: true });
    await core.roster.retrieve();
    await core.presence.flushed();
    return core;
  }

  it('issue 13 #5: MessengerService.close() (what before-quit waits for) shows us offline to a contact at once', async (t) => {
    // juliet and romeo share presence both ways (set up with the core, then juliet goes through the app's service).
    const j = await signIn('juliet');
    const r = await signIn('romeo');
    await sharePresenceBothWays(j, 'juliet@localhost', r, 'romeo@localhost');
    await j.close();
    cores.splice(cores.indexOf(j), 1);

    const service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 5_000 },
    });
    const online = waitForEvent<[ContactPresence]>(
      r.presence,
      'presence',
      (p) => p.jid === 'juliet@localhost' && p.show === 'available',
      10_000,
    );
    await service.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: server.host,
      port: server.port,
      rememberPassword: false,
    });
    await online;

    const offline = waitForEvent<[ContactPresence]>(
      r.presence,
      'presence',
      (p) => p.jid === 'juliet@localhost' && p.show === 'offline',
      QUIT_WAIT_MS,
    );
    const started = performance.now();
    await service.close();
    const closedIn = performance.now() - started;
    await offline; // within QUIT_WAIT_MS of close() starting, or the wait above fails
    const seenIn = performance.now() - started;
    t.diagnostic(`close() took ${Math.round(closedIn)} ms; romeo saw juliet offline after ${Math.round(seenIn)} ms`);
    assert.ok(closedIn < QUIT_WAIT_MS, `close() took ${Math.round(closedIn)} ms`);
    assert.ok(seenIn < QUIT_WAIT_MS, `romeo saw juliet offline after ${Math.round(seenIn)} ms`);
    assert.equal(r.presence.presenceOf('juliet@localhost').show, 'offline');
  });
});
