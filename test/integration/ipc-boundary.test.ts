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
import Database from 'better-sqlite3';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { MESSAGE_LIMITS, type InvokeChannel } from '../../preload/contract.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir } from '../support/roster-fixtures.js';
import { databasePath } from '../../main/core/profile-paths.js';

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
    // issue 12 #6: the name and groups given when approving
    ['romeo@example.net', { askBack: true, name: 7 }],
    ['romeo@example.net', { askBack: true, name: HUGE }],
    ['romeo@example.net', { askBack: true, groups: 'Friends' }],
    ['romeo@example.net', { askBack: true, groups: [HUGE] }],
    ['romeo@example.net', { askBack: true, groups: Array(101).fill('g') }],
  ],
  // issue 12 #7
  listDeniedRequests: [[1], [{}], ['romeo@example.net']],
  undoDenial: [[], [1], [HUGE], [{ jid: 'romeo@example.net' }], ['romeo@example.net', 'extra']],
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
  // issue 12 #8: an empty list is refused (on the wire an empty unblock means "unblock everyone")
  getBlocklist: [[1], [{}]],
  block: [
    [],
    ['romeo@example.net'],
    [[]],
    [[1]],
    [[HUGE]],
    [Array(501).fill('romeo@example.net')],
    [{ jids: ['romeo@example.net'] }],
    [['romeo@example.net'], 'extra'],
  ],
  unblock: [[], [[]], ['romeo@example.net'], [[null]], [[HUGE]], [Array(501).fill('romeo@example.net')], [['a@b'], 1]],
  denyAndBlock: [[], [1], [HUGE], [['romeo@example.net']], ['romeo@example.net', 'extra']],
  dismissBlockingFailure: [[], ['1'], [0], [1.5], [-3], [1, 2], [{ id: 1 }]],
  setOwnPresence: [
    [],
    ['away'],
    [{ show: 'offline', status: null }],
    [{ show: 'away' }],
    [{ show: 'away', status: HUGE }],
    [{ show: 'away', status: null, priority: 5 }],
  ],
  // issue 10: conversations; every request a plain object of known, bounded fields
  getConversations: [[1], [{}], ['romeo@example.net']],
  getHistory: [
    [],
    ['romeo@example.net'],
    [{ jid: 'romeo@example.net' }],
    [{ limit: 50 }],
    [{ jid: 7, limit: 50 }],
    [{ jid: HUGE, limit: 50 }],
    [{ jid: 'romeo@example.net', limit: 0 }],
    [{ jid: 'romeo@example.net', limit: 501 }],
    [{ jid: 'romeo@example.net', limit: 2.5 }],
    [{ jid: 'romeo@example.net', limit: '50' }],
    [{ jid: 'romeo@example.net', limit: 50, before: 3 }],
    [{ jid: 'romeo@example.net', limit: 50, before: '' }],
    [{ jid: 'romeo@example.net', limit: 50, before: HUGE }],
    [{ jid: 'romeo@example.net', limit: 50, after: 'x' }],
    [{ jid: 'romeo@example.net', limit: 50 }, 'extra'],
  ],
  sendMessage: [
    [],
    ['romeo@example.net', 'hi'],
    [{ to: 'romeo@example.net' }],
    [{ body: 'hi' }],
    [{ to: 1, body: 'hi' }],
    [{ to: HUGE, body: 'hi' }],
    [{ to: 'romeo@example.net', body: 42 }],
    [{ to: 'romeo@example.net', body: ['hi'] }],
    [{ to: 'romeo@example.net', body: 'hi', html: '<b>hi</b>' }],
    [{ to: 'romeo@example.net', body: 'hi' }, 'extra'],
    [Object.assign(Object.create({ inherited: true }), { to: 'romeo@example.net', body: 'hi' })],
  ],
  retryMessage: [[], [1], [''], [HUGE], [{ id: 'x' }], ['x', 'y']],
  markRead: [
    [],
    ['romeo@example.net'],
    [{ jid: 'romeo@example.net' }],
    [{ upTo: 'x' }],
    [{ jid: 'romeo@example.net', upTo: 5 }],
    [{ jid: 'romeo@example.net', upTo: '' }],
    [{ jid: 'romeo@example.net', upTo: HUGE }],
    [{ jid: HUGE, upTo: 'x' }],
    [{ jid: 'romeo@example.net', upTo: 'x', all: true }],
  ],
  setChatState: [
    [],
    ['romeo@example.net', 'composing'],
    [{ jid: 'romeo@example.net' }],
    [{ jid: 'romeo@example.net', state: 'typing' }],
    [{ jid: 'romeo@example.net', state: 'COMPOSING' }],
    [{ jid: 'romeo@example.net', state: 1 }],
    [{ jid: HUGE, state: 'composing' }],
    [{ jid: 'romeo@example.net', state: 'composing', to: 'x' }],
  ],
  searchMessages: [
    [],
    ['hello'],
    [{ query: 'hello' }],
    [{ limit: 10 }],
    [{ query: 1, limit: 10 }],
    [{ query: 'x'.repeat(501), limit: 10 }],
    [{ query: 'hello', limit: 0 }],
    [{ query: 'hello', limit: 501 }],
    [{ query: 'hello', limit: 10, jid: 5 }],
    [{ query: 'hello', limit: 10, jid: HUGE }],
    [{ query: 'hello', limit: 10, raw: true }],
  ],
  getMessageSettings: [[1], [{}]],
  setMessageSettings: [
    [],
    [null],
    [{ sendChatStates: true }],
    [{ notifications: 'off' }],
    [{ sendChatStates: 'yes', notifications: 'off' }],
    [{ sendChatStates: true, notifications: 'loud' }],
    [{ sendChatStates: true, notifications: 'off', sound: true }],
    [{ sendChatStates: true, notifications: 'off' }, 'extra'],
  ],
  // issue 13: the desktop side checks its arguments like the rest
  getDesktopSettings: [[1]],
  setDesktopSettings: [
    [],
    [null],
    [{ theme: 'system' }],
    [
      {
        theme: 'neon',
        keepInTray: true,
        startAtLogin: false,
        startMinimised: false,
        spellcheck: false,
        requestNotifications: true,
      },
    ],
    [
      {
        theme: 'dark',
        keepInTray: 'yes',
        startAtLogin: false,
        startMinimised: false,
        spellcheck: false,
        requestNotifications: true,
      },
    ],
    [
      {
        theme: 'dark',
        keepInTray: true,
        startAtLogin: false,
        startMinimised: false,
        spellcheck: false,
        requestNotifications: true,
        devtools: true,
      },
    ],
  ],
  getAbout: [[1]],
  takeXmppLinks: [[{}]],
  openExternal: [
    [],
    [null],
    ['https://example.com/'],
    [{ url: 'file:///etc/passwd' }],
    [{ url: 'javascript:alert(1)' }],
    [{ url: 'not a url' }],
    [{ url: HUGE }],
    [{ url: 'https://example.com/', extra: 1 }],
  ],
  openProfileFolder: [[1]],
  showWindow: [[1], [{}]],
};

describe('IPC boundary', { timeout: 60_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let handlers: HandlerTable;
  const profileDir = tempDir();
  const invoke = (channel: InvokeChannel, ...args: unknown[]) => handlers[channel](args);

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    service = new MessengerService({
      profileDir,
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), host: '127.0.0.1' },
    });
    handlers = createHandlers(service);
    // The blocking support is found beside the sign-in: known before the calls start.
    const blockingKnown = new Promise<void>((resolve) => {
      service.on('event', (event) => {
        if (event.type === 'blocklist' && event.blocklist.supported) resolve();
      });
    });
    const signedIn = await invoke('signIn', {
      jid: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port: server.port,
      rememberPassword: false,
    });
    assert.equal(signedIn.ok, true, JSON.stringify(signedIn));
    await blockingKnown;
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
    const blocklistBefore = await invoke('getBlocklist');
    const conversationsBefore = await invoke('getConversations');
    const settingsBefore = await invoke('getMessageSettings');
    assert.ok(conversationsBefore.ok && settingsBefore.ok, JSON.stringify([conversationsBefore, settingsBefore]));
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
    assert.deepEqual(await invoke('getBlocklist'), blocklistBefore);
    // issue 10: no message was queued, no setting changed
    assert.deepEqual(await invoke('getConversations'), conversationsBefore);
    assert.deepEqual(await invoke('getMessageSettings'), settingsBefore);
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

  it('issue 12 #6 #7: approve with a name and groups, the denied list and its undo pass through as plain data', async () => {
    const denied = await invoke('denyRequest', 'tybalt@example.net');
    assert.ok(denied.ok, JSON.stringify(denied));
    const list = await invoke('listDeniedRequests');
    assert.ok(list.ok, JSON.stringify(list));
    const entries = list.value as { jid: string; deniedAt: number }[];
    assert.deepEqual(
      entries.map((e) => e.jid),
      ['tybalt@example.net'],
    );
    assert.equal(typeof entries[0]?.deniedAt, 'number');
    assert.deepEqual(await invoke('undoDenial', 'Tybalt@Example.NET'), { ok: true, value: null });
    assert.deepEqual(await invoke('listDeniedRequests'), { ok: true, value: [] });
    assert.deepEqual(await invoke('undoDenial', 'tybalt@example.net'), { ok: true, value: null }, 'idempotent');
    const bad = await invoke('undoDenial', 'not a jid');
    assert.equal(bad.ok ? null : bad.error.code, 'invalid-jid');

    const approved = await invoke('approveRequest', 'paris@example.net', {
      askBack: false,
      name: 'Count Paris',
      groups: ['Suitors'],
    });
    assert.ok(approved.ok, JSON.stringify(approved));
    const roster = await invoke('getRoster');
    const paris = (
      roster as { value: { items: { jid: string; name: string | null; groups: string[] }[] } }
    ).value.items.find((i) => i.jid === 'paris@example.net');
    assert.deepEqual(paris && { name: paris.name, groups: paris.groups }, { name: 'Count Paris', groups: ['Suitors'] });
    assert.deepEqual(await invoke('removeContact', 'paris@example.net'), { ok: true, value: null });
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

  it('issue 10: the conversation calls pass through the boundary as plain data, with coded errors', async () => {
    const sent = await invoke('sendMessage', { to: 'Romeo@Example.NET', body: 'Wherefore art thou?' });
    assert.ok(sent.ok, JSON.stringify(sent));
    const message = sent.value as { id: string; conversation: string; direction: string; body: string; state: string };
    assert.deepEqual(
      { conversation: message.conversation, direction: message.direction, body: message.body },
      { conversation: 'romeo@example.net', direction: 'out', body: 'Wherefore art thou?' },
    );
    const conversations = await invoke('getConversations');
    assert.ok(conversations.ok);
    assert.deepEqual(
      (conversations.value as { jid: string; last: { id: string } | null }[]).map((c) => [c.jid, c.last?.id]),
      [['romeo@example.net', message.id]],
    );
    const page = await invoke('getHistory', { jid: 'romeo@example.net', limit: 10 });
    assert.ok(page.ok, JSON.stringify(page));
    const { entries } = page.value as { entries: { id: string; kind: string }[] };
    assert.deepEqual(
      entries.map((e) => [e.kind, e.id]),
      [['message', message.id]],
    );
    const older = await invoke('getHistory', { jid: 'romeo@example.net', limit: 10, before: 'no-such-message' });
    assert.equal(older.ok ? null : older.error.code, 'invalid-argument');
    const found = await invoke('searchMessages', { query: 'wherefore', limit: 5 });
    assert.ok(found.ok, JSON.stringify(found));
    assert.deepEqual(
      (found.value as { message: { id: string } }[]).map((h) => h.message.id),
      [message.id],
    );
    assert.deepEqual(await invoke('markRead', { jid: 'romeo@example.net', upTo: message.id }), {
      ok: true,
      value: null,
    });
    assert.deepEqual(await invoke('setChatState', { jid: 'romeo@example.net', state: 'composing' }), {
      ok: true,
      value: null,
    });
    // (the message itself may have bounced by now: example.net is not reachable from this server)
    const unknown = await invoke('retryMessage', 'no-such-message');
    assert.equal(unknown.ok ? null : unknown.error.code, 'invalid-argument');
    const badJid = await invoke('sendMessage', { to: 'not a jid', body: 'hi' });
    assert.equal(badJid.ok ? null : badJid.error.code, 'invalid-jid');
    const empty = await invoke('sendMessage', { to: 'romeo@example.net', body: '   ' });
    assert.equal(empty.ok ? null : empty.error.code, 'message-empty');
    const settings = { sendChatStates: false, notifications: 'private' };
    assert.deepEqual(await invoke('setMessageSettings', settings), { ok: true, value: settings });
    assert.deepEqual(await invoke('getMessageSettings'), { ok: true, value: settings });
  });

  it('issue 10 #2: a body over the size limit is refused as message-too-long, in plain words, without echoing it', async () => {
    for (const body of ['x'.repeat(MESSAGE_LIMITS.bodyChars + 1), HUGE]) {
      const result = await invoke('sendMessage', { to: 'romeo@example.net', body });
      assert.equal(result.ok ? null : result.error.code, 'message-too-long');
      assert.ok(!result.ok && result.error.message.length < 300);
    }
  });

  it('issue 12 #8: block, unblock and getBlocklist pass through the boundary; a bad address is invalid-jid, our own is refused', async () => {
    const blocked = await invoke('block', ['tybalt@capulet.example']);
    assert.deepEqual(blocked, { ok: true, value: { queued: false } });
    const list = await invoke('getBlocklist');
    assert.deepEqual(list, {
      ok: true,
      value: { supported: true, items: [{ jid: 'tybalt@capulet.example' }], failures: [] },
    });
    const bad = await invoke('block', ['not a jid']);
    assert.equal(bad.ok ? null : bad.error.code, 'invalid-jid');
    const own = await invoke('block', ['juliet@localhost']);
    assert.equal(own.ok ? null : own.error.code, 'own-jid');
    const ownServer = await invoke('block', ['localhost']);
    assert.equal(ownServer.ok ? null : ownServer.error.code, 'invalid-argument');
    const unblocked = await invoke('unblock', ['tybalt@capulet.example']);
    assert.deepEqual(unblocked, { ok: true, value: { queued: false } });
    const empty = await invoke('getBlocklist');
    assert.deepEqual(empty, { ok: true, value: { supported: true, items: [], failures: [] } });
    const noFailure = await invoke('dismissBlockingFailure', 1);
    assert.equal(noFailure.ok ? null : noFailure.error.code, 'invalid-argument');
  });

  // Last: it signs out for good.
  it('issue 10: signing out with "forget this account" deletes its messages and outbox too', async () => {
    const sent = await invoke('sendMessage', { to: 'romeo@example.net', body: 'Forget me' });
    assert.ok(sent.ok, JSON.stringify(sent));
    const before = await invoke('getConversations');
    assert.ok(before.ok && (before.value as unknown[]).length > 0);
    const out = await invoke('signOut', { forgetAccount: true });
    assert.ok(out.ok, JSON.stringify(out));
    const db = new Database(databasePath(profileDir), { readonly: true });
    try {
      const count = (table: string) =>
        (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE account = ?`).get('juliet@localhost') as { n: number }).n;
      assert.deepEqual([count('messages'), count('conversations'), count('message_outbox')], [0, 0, 0]);
    } finally {
      db.close();
    }
  });
});
