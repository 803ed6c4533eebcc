/**
 * Issue 13 leftovers #1: our own presence set outside the window (the tray
 * calls MessengerService.setOwnPresence directly) is said to the window as an
 * 'own-presence' event, as a change through the IPC handler is; against real
 * Prosody, with a contact who sees each change arrive.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ContactPresence, MessengerEvent } from '../../preload/contract.js';
import { createHandlers } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, sharePresenceBothWays, tempDir, waitForEvent } from '../support/roster-fixtures.js';

type Core = RosterCore & { dataDir: string };

describe('issue 13 leftovers #1: own presence events against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  const cores: Core[] = [];
  let service: MessengerService | undefined;
  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await server.register('romeo', 'secret');
  });
  after(async () => {
    await service?.close();
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

  it('issue 13 leftovers #1: setOwnPresence called not through the window (the tray) emits own-presence before it returns; so does the IPC path; nothing for no change or a refusal', async () => {
    // juliet and romeo share presence both ways; then juliet runs through the app's service.
    const j = await signIn('juliet');
    const r = await signIn('romeo');
    await sharePresenceBothWays(j, 'juliet@localhost', r, 'romeo@localhost');
    await j.close();
    cores.splice(cores.indexOf(j), 1);

    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 5_000 },
    });
    const seesJuliet = (show: ContactPresence['show'], status: string | null) =>
      waitForEvent<[ContactPresence]>(
        r.presence,
        'presence',
        (p) => p.jid === 'juliet@localhost' && p.show === show && p.status === status,
        10_000,
      );
    const online = seesJuliet('available', null);
    await service.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: server.host,
      port: server.port,
      rememberPassword: false,
    });
    await online;
    const events: MessengerEvent[] = [];
    service.on('event', (event) => events.push(event));
    const own = () => events.filter((e) => e.type === 'own-presence');

    // The tray's way: the service directly. The event is out before the call settles (the window's answer comes after).
    const away = seesJuliet('away', 'From the tray');
    const call = service.setOwnPresence({ show: 'away', status: 'From the tray' });
    assert.deepEqual(own(), [{ type: 'own-presence', own: { show: 'away', status: 'From the tray' } }]);
    await call;
    await away;

    // The window's way (IPC, arguments validated) says it the same way.
    const handlers = createHandlers(service);
    const dnd = seesJuliet('dnd', null);
    assert.deepEqual(await handlers.setOwnPresence([{ show: 'dnd', status: null }]), { ok: true, value: null });
    await dnd;
    assert.deepEqual(own().at(-1), { type: 'own-presence', own: { show: 'dnd', status: null } });
    assert.equal(own().length, 2);

    // The same again changes nothing; a refusal changes nothing: no event for either.
    await service.setOwnPresence({ show: 'dnd', status: null });
    await assert.rejects(service.setOwnPresence({ show: 'away', status: 'x'.repeat(100_000) }), {
      code: 'invalid-argument',
    });
    assert.equal(own().length, 2);
    assert.deepEqual(service.getPresence().own, { show: 'dnd', status: null });
  });
});
