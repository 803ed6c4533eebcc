/**
 * The IPC boundary: the handler table main/ipc.ts registers, called the way
 * a hostile renderer could call it. Every channel with missing, wrong-typed,
 * oversized and extra arguments returns { ok: false, error: { code:
 * 'invalid-argument' } } and changes nothing, on the cache or on a real
 * Prosody server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { InvokeChannel } from '../../preload/contract.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir } from '../support/roster-fixtures.js';

const HUGE = 'x'.repeat(100_000);

/** For each channel: a valid argument list, then bad ones. */
const BAD_CALLS: Record<InvokeChannel, unknown[][]> = {
  getState: [[1], [undefined]],
  getRoster: [[{}], ['x']],
  // issue 14 #1: the first page and the chunks take bounded, typed requests only
  getRosterPage: [
    [],
    [null],
    [{ rows: 20, folded: [] }],
    [{ rows: 0, folded: [], locale: 'en' }],
    [{ rows: 501, folded: [], locale: 'en' }],
    [{ rows: 2.5, folded: [], locale: 'en' }],
    [{ rows: '20', folded: [], locale: 'en' }],
    [{ rows: 20, folded: 'Friends', locale: 'en' }],
    [{ rows: 20, folded: [HUGE], locale: 'en' }],
    [{ rows: 20, folded: Array(10_001).fill('g'), locale: 'en' }],
    [{ rows: 20, folded: [], locale: 'not a locale!' }],
    [{ rows: 20, folded: [], locale: HUGE }],
    [{ rows: 20, folded: [], locale: 'en', extra: 1 }],
    [{ rows: 20, folded: [], locale: 'en' }, 'extra'],
  ],
  getRosterChunk: [
    [],
    [{ token: 't', after: null }],
    [{ token: 1, after: null, limit: 10 }],
    [{ token: HUGE, after: null, limit: 10 }],
    [{ token: 't', after: 5, limit: 10 }],
    [{ token: 't', after: HUGE, limit: 10 }],
    [{ token: 't', after: null, limit: 0 }],
    [{ token: 't', after: null, limit: 5001 }],
    [{ token: 't', after: null, limit: 10, all: true }],
    // well-formed, but no load of this account has that token
    [{ token: 'forged', after: null, limit: 10 }],
  ],
  signIn: [
    [],
    [null],
    ['juliet@localhost'],
    [{ jid: 'juliet@localhost', password: 'secret' }],
    [{ jid: 1, password: 'secret', rememberPassword: false }],
    [{ jid: 'juliet@localhost', password: HUGE, rememberPassword: false }],
    [{ jid: 'juliet@localhost', password: 'secret', rememberPassword: 'yes' }],
    [{ jid: 'juliet@localhost', password: 'secret', rememberPassword: false, port: 70000 }],
    [{ jid: 'juliet@localhost', password: 'secret', rememberPassword: false, directTls: 'yes' }], // issue 9 #1: a boolean only
    [{ jid: 'juliet@localhost', password: 'secret', rememberPassword: false, evil: true }],
    [{ jid: 'juliet@localhost', password: 'secret', rememberPassword: false, acceptDowngrade: 'yes' }],
    [{ jid: 'juliet@localhost', password: 'secret', rememberPassword: false }, 'extra'],
  ],
  signOut: [[], [true], [{ forgetAccount: 'yes' }], [{ forgetAccount: true, also: 1 }], [{ forgetAccount: true }, 1]],
  addContact: [
    [],
    [null],
    ['nurse@example.com'],
    [{ name: 'Nurse' }],
    [{ jid: 42 }],
    [{ jid: HUGE }],
    [{ jid: 'nurse@example.com', name: HUGE }],
    [{ jid: 'nurse@example.com', groups: 'Servants' }],
    [{ jid: 'nurse@example.com', groups: [1] }],
    [{ jid: 'nurse@example.com', groups: Array(101).fill('g') }],
    [{ jid: 'nurse@example.com', subscription: 'both' }],
    [{ jid: 'nurse@example.com' }, { jid: 'x@y' }],
    [Object.assign(Object.create({ inherited: true }), { jid: 'nurse@example.com' })],
  ],
  updateContact: [
    [],
    [{ jid: 'romeo@example.net', name: 7 }],
    [{ jid: 'romeo@example.net', groups: [HUGE] }],
    [{ jid: 'romeo@example.net', ask: 'subscribe' }],
  ],
  removeContact: [[], [{ jid: 'romeo@example.net' }], [HUGE], ['romeo@example.net', 'extra']],
  renameGroup: [[], ['Friends'], ['Friends', 3], [HUGE, 'x'], ['Friends', 'Foes', 'extra']],
  cancelEdit: [[], ['1'], [1.5], [-1], [1, 2], [{ id: 1 }]],
  reconnectNow: [[1], [true]],
  getPresence: [[1]],
  approveRequest: [
    [],
    ['romeo@example.net'],
    ['romeo@example.net', {}],
    ['romeo@example.net', { askBack: 'yes' }],
    [HUGE, { askBack: true }],
    ['romeo@example.net', { askBack: true, x: 1 }],
  ],
  denyRequest: [[], [1], [HUGE], ['romeo@example.net', 'extra']],
  changeSubscription: [
    [],
    ['romeo@example.net'],
    ['romeo@example.net', 'destroy'],
    [1, 'subscribe'],
    ['romeo@example.net', 'subscribe', 1],
  ],
  getConnectionReport: [[1], [{}], [undefined]],
  resyncRoster: [[true], [{ full: true }], ['ver']],
  setOwnPresence: [
    [],
    ['away'],
    [{ show: 'offline', status: null }],
    [{ show: 'away' }],
    [{ show: 'away', status: HUGE }],
    [{ show: 'away', status: null, priority: 5 }],
  ],
};

describe('IPC boundary', { timeout: 60_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let handlers: HandlerTable;
  const invoke = (channel: InvokeChannel, ...args: unknown[]) => handlers[channel](args);

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), host: '127.0.0.1' },
    });
    handlers = createHandlers(service);
    const signedIn = await invoke('signIn', {
      jid: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port: server.port,
      rememberPassword: false,
    });
    assert.equal(signedIn.ok, true, JSON.stringify(signedIn));
    const added = await invoke('addContact', {
      jid: 'romeo@example.net',
      name: 'Romeo',
      groups: ['Friends'],
      subscribe: false,
    });
    assert.equal(added.ok, true, JSON.stringify(added));
  });
  after(async () => {
    // each is unset when before() failed before getting to it
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('every channel refuses malformed arguments with a typed error and changes nothing', async () => {
    const before = await invoke('getRoster');
    const stateBefore = await invoke('getState');
    let calls = 0;
    for (const [channel, badCalls] of Object.entries(BAD_CALLS) as [InvokeChannel, unknown[][]][]) {
      for (const args of badCalls) {
        const result = await invoke(channel, ...args);
        calls += 1;
        assert.equal(result.ok, false, `${channel}(${JSON.stringify(args).slice(0, 80)}) must fail`);
        // assert.equal narrowed result to the failure
        assert.equal(result.error.code, 'invalid-argument', `${channel}: ${result.error.message}`);
        assert.equal(typeof result.error.message, 'string');
        assert.ok(result.error.message.length < 300, 'the message does not echo huge input');
      }
    }
    assert.ok(calls >= 40);
    assert.deepEqual(await invoke('getRoster'), before);
    assert.deepEqual(await invoke('getState'), stateBefore);
    // the server agrees nothing changed
    const fresh = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8') },
    });
    const freshHandlers = createHandlers(fresh);
    await freshHandlers.signIn([
      { jid: 'juliet@localhost', password: 'secret', host: '127.0.0.1', port: server.port, rememberPassword: false },
    ]);
    const serverView = await freshHandlers.getRoster([]);
    await fresh.close();
    assert.ok(serverView.ok && before.ok);
    assert.deepEqual(
      (serverView as { value: { items: unknown[] } }).value.items,
      (before as { value: { items: unknown[] } }).value.items,
    );
  });

  it('valid calls pass through with Result envelopes and coded errors', async () => {
    const state = await invoke('getState');
    assert.ok(state.ok);
    assert.equal((state.value as { connection: { status: string } }).connection.status, 'online');
    const invalidJid = await invoke('addContact', { jid: 'not a jid' });
    assert.deepEqual(invalidJid.ok ? null : invalidJid.error.code, 'invalid-jid');
    const missing = await invoke('removeContact', 'nobody@example.com');
    assert.deepEqual(missing.ok ? null : missing.error.code, 'item-not-found');
    const renamed = await invoke('renameGroup', 'Friends', 'Allies');
    assert.deepEqual(renamed, { ok: true, value: { succeeded: ['romeo@example.net'], failed: [] } });
  });

  it('issue 14 #1: getRosterPage and getRosterChunk pass through the boundary as plain data; a reset outdates the token', async () => {
    const page = await invoke('getRosterPage', { rows: 10, folded: [], locale: 'en-US' });
    assert.ok(page.ok, JSON.stringify(page));
    const value = page.value as { total: number; groups: { group: string; count: number }[]; token: string };
    assert.equal(value.total, 1);
    assert.deepEqual(
      value.groups.map((g) => [g.group, g.count]),
      [['Allies', 1]],
    );
    const chunk = await invoke('getRosterChunk', { token: value.token, after: null, limit: 10 });
    assert.ok(chunk.ok, JSON.stringify(chunk));
    assert.deepEqual(
      (chunk.value as { items: { jid: string }[]; next: string | null }).items.map((i) => i.jid),
      ['romeo@example.net'],
    );
    assert.equal((chunk.value as { next: string | null }).next, null);
    const resync = await invoke('resyncRoster');
    assert.ok(resync.ok, JSON.stringify(resync));
    const stale = await invoke('getRosterChunk', { token: value.token, after: null, limit: 10 });
    assert.equal(stale.ok ? null : stale.error.code, 'invalid-argument');
  });

  it('issue 9 #5: getConnectionReport and resyncRoster pass through the boundary as plain data', async () => {
    const report = await invoke('getConnectionReport');
    assert.ok(report.ok, JSON.stringify(report));
    const value = report.value as { tls: { version: string } | null; failure: unknown; attempts: { ok: boolean }[] };
    assert.match(value.tls?.version ?? '', /^TLSv1\.[23]$/);
    assert.equal(value.failure, null);
    assert.equal(value.attempts.at(-1)?.ok, true);
    const resync = await invoke('resyncRoster');
    assert.ok(resync.ok, JSON.stringify(resync));
    assert.equal((resync.value as { count: number }).count, 1);
    assert.equal(typeof (resync.value as { syncedAt: number }).syncedAt, 'number');
  });
});
