/**
 * PresenceService against a fake session and roster (real SQLite stores):
 * initial presence ordering, live presence, requests, denial memory, the
 * offline queue, own presence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element } from '@xmpp/xml';
import type Database from 'better-sqlite3';
import type {
  ConnectionState,
  ContactPresence,
  RosterChange,
  RosterItem,
  SubscriptionRequest,
} from '../../preload/contract.js';
import { BalconyError } from '../../main/core/errors.js';
import { PresenceService } from '../../main/core/presence/presence-service.js';
import type { RosterService } from '../../main/core/roster/roster-service.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { openDatabase } from '../../main/core/store/database.js';
import { PresenceDenialStore } from '../../main/core/store/presence-denial-store.js';
import { PresenceOutboxStore } from '../../main/core/store/presence-outbox-store.js';
import { OutboxStore } from '../../main/core/store/outbox-store.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import type { XmppSession } from '../../main/core/xmpp/session.js';
import { parseXml } from '../support/parse-xml.js';

const ME = 'juliet@example.com';

const parse = parseXml;

class FakeSession extends EventEmitter {
  account = ME;
  state: ConnectionState = { status: 'offline' };
  features = { rosterVersioning: true, preApproval: false };
  sent: string[] = [];
  /** What the server sends between our initial presence and the answer to the ping that follows it. */
  beforePing: () => void = () => {
    // nothing, unless a test sets it
  };
  pings = 0;
  #handlers: ((s: Element) => void)[] = [];
  onStanza(_name: string, handler: (s: Element) => void): void {
    this.#handlers.push(handler);
  }
  /** While set, a send waits for it: the stanza is still on the wire ('sending' is emitted first). */
  wire: Promise<void> | null = null;
  /** While set, a ping waits for it (its answer has not come yet). */
  pingWire: Promise<void> | null = null;
  /** Read through a call: a test may drop the connection during the awaits, which narrowing does not see. */
  #stillOnline(): boolean {
    return this.state.status === 'online';
  }
  async send(element: Element): Promise<void> {
    if (this.state.status !== 'online') throw new BalconyError('not-connected');
    this.emit('sending', element.toString());
    if (this.wire) await this.wire;
    if (!this.#stillOnline()) throw new BalconyError('connection-lost');
    this.sent.push(element.toString());
  }
  async iq(type: string, child: Element): Promise<Element> {
    if (this.state.status !== 'online') throw new BalconyError('not-connected');
    assert.equal(`${type} ${child.toString()}`, 'get <ping xmlns="urn:xmpp:ping"/>');
    this.pings += 1;
    this.emit('pinging');
    if (this.pingWire) await this.pingWire;
    if (!this.#stillOnline()) throw new BalconyError('connection-lost');
    this.beforePing();
    return parse(`<iq type='result'/>`);
  }
  online(resumed = false): void {
    this.state = { status: 'online', jid: `${ME}/desk` };
    this.emit('state', this.state);
    this.emit('online', { jid: `${ME}/desk`, features: this.features, resumed });
  }
  offline(): void {
    this.state = { status: 'connecting', attempt: 1 };
    this.emit('state', this.state);
  }
  receive(text: string): void {
    for (const handler of this.#handlers) handler(parse(text));
  }
}

const item = (jid: string, extra: Partial<RosterItem> = {}): RosterItem => ({
  jid,
  name: null,
  subscription: 'none',
  ask: null,
  approved: false,
  groups: [],
  ...extra,
});

function setup(options: { items?: RosterItem[]; db?: Database.Database; announce?: boolean; priority?: number } = {}) {
  let db = options.db;
  if (!db) {
    const dir = mkdtempSync(join(tmpdir(), 'balcony-presence-'));
    db = openDatabase(join(dir, 'profile.db')).db;
    const opened = db;
    test.after(() => {
      opened.close();
      rmSync(dir, { recursive: true, force: true });
    });
  }
  const rosterStore = new RosterStore(db);
  if (options.items) rosterStore.replaceAll(ME, options.items, null);
  const session = new FakeSession();
  /** The real roster outbox table, which the fake roster reports (pendingEdits) and the tests fill. */
  const edits = new OutboxStore(db);
  const roster = Object.assign(new EventEmitter(), { pendingEdits: () => edits.list(ME) });
  const logs: string[] = [];
  const presence = new PresenceService({
    session: session as unknown as XmppSession,
    roster: roster as unknown as RosterService,
    rosterStore,
    denials: new PresenceDenialStore(db),
    outbox: new PresenceOutboxStore(db),
    settings: new AppSettingsStore(db),
    log: (m) => logs.push(m),
    now: () => 1000,
    announce: options.announce,
    priority: options.priority,
  });
  const events: ContactPresence[] = [];
  const requestLists: SubscriptionRequest[][] = [];
  presence.on('presence', (p) => events.push(p));
  presence.on('requests', (r) => requestLists.push(r));
  /** Online, roster retrieved, initial presence out. */
  async function signIn(): Promise<void> {
    session.online();
    roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
    await presence.flushed();
  }
  return { db, rosterStore, session, roster, edits, presence, events, requestLists, logs, signIn };
}

test('initial presence goes out after the roster retrieval, once per connection', async () => {
  const { session, roster, presence, signIn } = setup();
  session.online();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(session.sent, [], 'nothing before the roster is retrieved');
  roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
  await presence.flushed();
  assert.deepEqual(session.sent, ['<presence/>']);
  roster.emit('retrieved', { kind: 'unchanged', version: null, count: 0 }); // a later manual retrieve
  await presence.flushed();
  assert.equal(session.sent.length, 1);
  session.offline();
  await signIn();
  assert.deepEqual(session.sent, ['<presence/>', '<presence/>'], 'again after a reconnect');
});

test('a failed retrieval still sends initial presence', async () => {
  const { session, roster, presence } = setup();
  session.online();
  roster.emit('retrievalFailed', new BalconyError('internal-server-error'));
  await presence.flushed();
  assert.deepEqual(session.sent, ['<presence/>']);
});

test("contacts' presence is live only; strangers, our own resources and garbage are ignored", async () => {
  const { session, presence, events, signIn } = setup({ items: [item('romeo@example.net', { subscription: 'both' })] });
  await signIn();
  session.receive(
    `<presence from='romeo@example.net/orchard'><show>away</show><status>At the ball</status></presence>`,
  );
  session.receive(`<presence from='paris@example.net/x'/>`);
  session.receive(`<presence from='${ME}/phone'/>`);
  session.receive(`<presence from='@@@'/>`);
  session.receive(`<presence type='subscribe' from='romeo@example.net/orchard'/>`);
  assert.deepEqual(events, [{ jid: 'romeo@example.net', show: 'away', status: 'At the ball' }]);
  assert.deepEqual(presence.onlineContacts(), [{ jid: 'romeo@example.net', show: 'away', status: 'At the ball' }]);
  assert.equal(presence.ignoredStanzas, 2);
  session.offline();
  assert.deepEqual(
    events.at(-1),
    { jid: 'romeo@example.net', show: 'offline', status: null },
    'forgotten when the session leaves online',
  );
  assert.deepEqual(presence.presenceOf('romeo@example.net').show, 'offline');
});

test('a stanza handler never throws on garbage', async () => {
  const { session, signIn } = setup();
  await signIn();
  for (const text of [
    `<presence/>`,
    `<presence from='a@b/c' type='error'/>`,
    `<presence from='x@y' type='subscribe'><status><b>nested</b></status></presence>`,
  ]) {
    assert.doesNotThrow(() => session.receive(text));
  }
});

test('requests: shown once per JID, withdrawn by unsubscribe; already allowed ones are confirmed, not shown', async () => {
  const { session, presence, requestLists, signIn } = setup({
    items: [item('nurse@example.com', { subscription: 'from' }), item('friar@example.com', { approved: true })],
  });
  await signIn();
  session.receive(`<presence type='subscribe' from='tybalt@example.com'><status>Let me in</status></presence>`);
  session.receive(`<presence type='subscribe' from='tybalt@example.com'><status>Let me in</status></presence>`);
  session.receive(`<presence type='subscribe' from='romeo@example.net'/>`);
  assert.deepEqual(presence.requests(), [
    { jid: 'tybalt@example.com', message: 'Let me in', nick: null, receivedAt: 1000 },
    { jid: 'romeo@example.net', message: null, nick: null, receivedAt: 1000 },
  ]);
  assert.equal(requestLists.length, 2, 'the re-send did not emit');
  session.receive(`<presence type='unsubscribe' from='tybalt@example.com'/>`);
  assert.deepEqual(
    presence.requests().map((r) => r.jid),
    ['romeo@example.net'],
  );
  session.sent.length = 0;
  session.receive(`<presence type='subscribe' from='nurse@example.com'/>`);
  session.receive(`<presence type='subscribe' from='friar@example.com'/>`);
  await presence.flushed();
  assert.deepEqual(
    presence.requests().map((r) => r.jid),
    ['romeo@example.net'],
  );
  assert.deepEqual(session.sent, [
    '<presence to="nurse@example.com" type="subscribed"/>',
    '<presence to="friar@example.com" type="subscribed"/>',
  ]);
});

test('deny is remembered across restarts; approving, asking or adding later forgets it', async () => {
  const first = setup();
  await first.signIn();
  first.session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  await first.presence.deny('tybalt@example.com');
  assert.deepEqual(first.session.sent.at(-1), '<presence to="tybalt@example.com" type="unsubscribed"/>');
  assert.deepEqual(first.presence.requests(), []);

  const again = setup({ db: first.db }); // a restart on the same profile
  await again.signIn();
  again.session.receive(`<presence type='subscribe' from='Tybalt@Example.com'/>`);
  await again.presence.flushed();
  assert.deepEqual(again.presence.requests(), [], 'not shown again');
  assert.deepEqual(
    again.session.sent.at(-1),
    '<presence to="tybalt@example.com" type="unsubscribed"/>',
    'refused again so the server forgets it',
  );
  assert.deepEqual(again.presence.deniedJids(), ['tybalt@example.com']);

  await again.presence.subscribe('tybalt@example.com');
  assert.deepEqual(again.presence.deniedJids(), []);
  again.session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  assert.deepEqual(
    again.presence.requests().map((r) => r.jid),
    ['tybalt@example.com'],
    'shown after the user asked them',
  );

  await again.presence.deny('tybalt@example.com');
  const added: RosterChange = {
    kind: 'upsert',
    version: null,
    item: { ...item('tybalt@example.com'), pending: { id: 1, op: 'add', state: 'waiting', error: null } },
  };
  again.roster.emit('change', added);
  assert.deepEqual(again.presence.deniedJids(), [], 'adding the contact forgets the denial');
});

test('approve asks back only when we do not already see them or asked', async () => {
  const { session, presence, signIn } = setup({
    items: [item('romeo@example.net', { subscription: 'to' }), item('mercutio@example.com', { ask: 'subscribe' })],
  });
  await signIn();
  session.sent.length = 0;
  assert.deepEqual(await presence.approve('romeo@example.net'), { queued: false, askedBack: false });
  assert.deepEqual(await presence.approve('nurse@example.com'), { queued: false, askedBack: true });
  session.sent.length = 0;
  await presence.approve('romeo@example.net');
  await presence.approve('mercutio@example.com');
  await presence.approve('benvolio@example.com');
  await presence.approve('paris@example.com', { askBack: false });
  assert.deepEqual(session.sent, [
    '<presence to="romeo@example.net" type="subscribed"/>',
    '<presence to="mercutio@example.com" type="subscribed"/>',
    '<presence to="benvolio@example.com" type="subscribed"/>',
    '<presence to="benvolio@example.com" type="subscribe"/>',
    '<presence to="paris@example.com" type="subscribed"/>',
  ]);
  await assert.rejects(presence.approve(ME), { code: 'own-jid' });
  await assert.rejects(presence.deny('not a jid'), { code: 'invalid-jid' });
});

test('offline: answers wait in order and go out after the retrieval, before initial presence', async () => {
  const { session, presence, signIn } = setup();
  await signIn();
  session.receive(`<presence type='subscribe' from='romeo@example.net'/>`);
  session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  session.offline();
  session.sent.length = 0;
  assert.deepEqual(await presence.approve('romeo@example.net', { askBack: false }), { queued: true, askedBack: false });
  assert.deepEqual(await presence.deny('tybalt@example.com'), { queued: true });
  assert.deepEqual(presence.requests(), [], 'answered requests leave the list at once');
  await assert.rejects(presence.cancelRequest('romeo@example.net'), { code: 'not-connected' });
  await assert.rejects(presence.stopSharing('romeo@example.net'), { code: 'not-connected' });
  await assert.rejects(presence.stopReceiving('romeo@example.net'), { code: 'not-connected' });
  await assert.rejects(presence.preApprove('romeo@example.net'), { code: 'not-connected' });
  await signIn();
  assert.deepEqual(session.sent, [
    '<presence to="romeo@example.net" type="subscribed"/>',
    '<presence to="tybalt@example.com" type="unsubscribed"/>',
    '<presence/>',
  ]);
});

test('withdrawals send unsubscribe / unsubscribed; preApprove needs the server feature', async () => {
  const { session, presence, signIn } = setup();
  await signIn();
  session.sent.length = 0;
  await presence.cancelRequest('romeo@example.net');
  await presence.stopReceiving('romeo@example.net');
  await presence.stopSharing('romeo@example.net');
  await assert.rejects(presence.preApprove('romeo@example.net'), (error: BalconyError) => {
    assert.equal(error.code, 'service-unavailable');
    assert.match(error.message, /does not support pre-approval/);
    return true;
  });
  session.features.preApproval = true;
  await presence.preApprove('romeo@example.net');
  assert.deepEqual(session.sent, [
    '<presence to="romeo@example.net" type="unsubscribe"/>',
    '<presence to="romeo@example.net" type="unsubscribe"/>',
    '<presence to="romeo@example.net" type="unsubscribed"/>',
    '<presence to="romeo@example.net" type="subscribed"/>',
  ]);
});

test('own presence: remembered for the next sign-in, broadcast when online, validated', async () => {
  const first = setup();
  assert.deepEqual(first.presence.ownPresence(), { show: 'available', status: null });
  assert.deepEqual(await first.presence.setOwnPresence({ show: 'away', status: ' At the ball ' }), { queued: true });
  await first.signIn();
  assert.deepEqual(first.session.sent, ['<presence><show>away</show><status>At the ball</status></presence>']);
  await first.presence.setOwnPresence({ show: 'available', status: null });
  assert.equal(first.session.sent.at(-1), '<presence/>');
  await first.presence.setOwnPresence({ show: 'dnd', status: 'Do not disturb' });
  await assert.rejects(first.presence.setOwnPresence({ show: 'offline' as never, status: null }), {
    code: 'invalid-argument',
  });
  await assert.rejects(first.presence.setOwnPresence({ show: 'away', status: 'x'.repeat(5000) }), {
    code: 'invalid-argument',
  });

  const again = setup({ db: first.db });
  assert.deepEqual(again.presence.ownPresence(), { show: 'dnd', status: 'Do not disturb' });
  await again.signIn();
  assert.deepEqual(again.session.sent, ['<presence><show>dnd</show><status>Do not disturb</status></presence>']);
});

test('roster changes: a request approved elsewhere leaves the list; a removed or unsubscribed contact goes offline', async () => {
  const { session, roster, presence, events, signIn } = setup({
    items: [item('romeo@example.net', { subscription: 'both' }), item('nurse@example.com', { subscription: 'both' })],
  });
  await signIn();
  session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  roster.emit('change', {
    kind: 'upsert',
    version: null,
    item: item('tybalt@example.com', { subscription: 'from' }),
  } satisfies RosterChange);
  assert.deepEqual(presence.requests(), []);
  session.receive(`<presence from='romeo@example.net/a'/>`);
  session.receive(`<presence from='nurse@example.com/b'/>`);
  roster.emit('change', { kind: 'remove', version: null, jid: 'romeo@example.net' } satisfies RosterChange);
  roster.emit('change', {
    kind: 'upsert',
    version: null,
    item: item('nurse@example.com', { subscription: 'from' }),
  } satisfies RosterChange);
  assert.deepEqual(events.slice(-2), [
    { jid: 'romeo@example.net', show: 'offline', status: null },
    { jid: 'nurse@example.com', show: 'offline', status: null },
  ]);
});

test('after each sign-in, requests the server did not re-send are dropped (withdrawn or answered elsewhere)', async () => {
  const { session, presence, requestLists, signIn } = setup();
  await signIn();
  session.receive(`<presence type='subscribe' from='romeo@example.net'/>`);
  session.receive(`<presence type='subscribe' from='paris@example.com'/>`);
  session.offline();
  assert.deepEqual(
    presence.requests().map((r) => r.jid),
    ['romeo@example.net', 'paris@example.com'],
    'kept while offline',
  );
  session.beforePing = () => session.receive(`<presence type='subscribe' from='romeo@example.net'/>`);
  const emitted = requestLists.length;
  await signIn();
  assert.equal(session.pings, 2);
  assert.deepEqual(
    presence.requests().map((r) => r.jid),
    ['romeo@example.net'],
  );
  assert.equal(requestLists.length, emitted + 1, "one change: paris withdrawn; romeo's re-send is no change");
});

test('a resumed stream (XEP-0198): held presence shown again, no second initial presence, waiting stanzas and a changed presence go out', async () => {
  const { session, presence, events, signIn } = setup({ items: [item('romeo@example.net', { subscription: 'both' })] });
  await signIn();
  session.receive(`<presence from='romeo@example.net/a'><show>chat</show></presence>`);
  session.offline();
  assert.deepEqual(events.at(-1), { jid: 'romeo@example.net', show: 'offline', status: null });
  assert.equal(presence.presenceOf('romeo@example.net').show, 'offline', 'not shown while disconnected');
  session.sent.length = 0;
  await presence.approve('nurse@example.com', { askBack: false });
  session.online(true);
  await presence.flushed();
  assert.deepEqual(events.at(-1), { jid: 'romeo@example.net', show: 'chat', status: null });
  assert.deepEqual(
    session.sent,
    ['<presence to="nurse@example.com" type="subscribed"/>'],
    'our presence is still in effect: not sent again',
  );
  assert.equal(
    session.pings,
    2,
    'one ping confirms the step; no request barrier: nothing is re-sent on a resumed stream',
  );

  session.offline();
  await presence.setOwnPresence({ show: 'xa', status: null });
  session.sent.length = 0;
  session.online(true);
  await presence.flushed();
  assert.deepEqual(
    session.sent,
    ['<presence><show>xa</show></presence>'],
    'changed while disconnected: broadcast on resumption',
  );
});

test('a new session after a drop starts from nothing', async () => {
  const { session, roster, presence, events, signIn } = setup({
    items: [item('romeo@example.net', { subscription: 'both' })],
  });
  await signIn();
  session.receive(`<presence from='romeo@example.net/a'/>`);
  session.offline();
  const count = events.length;
  session.online(false);
  roster.emit('retrieved', { kind: 'unchanged', version: null, count: 1 });
  await presence.flushed();
  assert.equal(events.length, count, 'nothing re-shown from the previous session');
  assert.deepEqual(presence.onlineContacts(), []);
  assert.deepEqual(session.sent.slice(-1), ['<presence/>'], 'initial presence again');
});

test('announce false (the headless command): never available, answers still go out; a negative priority is sent', async () => {
  const quiet = setup({ announce: false });
  await quiet.presence.setOwnPresence({ show: 'away', status: null });
  await quiet.signIn();
  await quiet.presence.approve('romeo@example.net', { askBack: false });
  assert.deepEqual(quiet.session.sent, ['<presence to="romeo@example.net" type="subscribed"/>']);
  assert.equal(quiet.session.pings, 1, 'the one that confirms the answer; no request barrier without initial presence');

  const low = setup({ priority: -1 });
  await low.signIn();
  assert.deepEqual(low.session.sent, ['<presence><priority>-1</priority></presence>']);
});

/** Holds `session`'s sends on the wire until the returned function is called. */
function holdWire(session: FakeSession): () => void {
  let release!: () => void;
  session.wire = new Promise((resolve) => {
    release = resolve;
  });
  return () => {
    session.wire = null;
    release();
  };
}

test('issue 11 #16: a presence change made while initial presence is still being sent is sent right after it', async () => {
  const { session, roster, presence } = setup();
  const release = holdWire(session);
  const onWire = once(session, 'sending');
  session.online();
  roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
  assert.deepEqual(await onWire, ['<presence/>'], 'initial presence is on the wire');
  const change = presence.setOwnPresence({ show: 'away', status: 'Back soon' });
  release();
  assert.deepEqual(await change, { queued: false }, 'reported as sent, and it was');
  await presence.flushed();
  assert.deepEqual(session.sent, ['<presence/>', '<presence><show>away</show><status>Back soon</status></presence>']);
});

test('issue 11 #16: the last presence chosen is what the server ends up with, whatever the interleaving with sign-in, drops and resumption', async () => {
  const away = '<presence><show>away</show></presence>';
  const dnd = '<presence><show>dnd</show></presence>';

  // Changed twice while initial presence is on the wire: only the latest follows it.
  {
    const { session, roster, presence } = setup();
    const release = holdWire(session);
    const onWire = once(session, 'sending');
    session.online();
    roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
    await onWire;
    const first = presence.setOwnPresence({ show: 'away', status: null });
    const second = presence.setOwnPresence({ show: 'dnd', status: null });
    release();
    assert.deepEqual(await Promise.all([first, second]), [{ queued: false }, { queued: false }]);
    assert.deepEqual(session.sent, ['<presence/>', dnd]);
  }

  // Changed while an offline answer goes out before initial presence: initial presence carries it.
  {
    const { session, roster, presence } = setup();
    await presence.approve('romeo@example.net', { askBack: false });
    const release = holdWire(session);
    const onWire = once(session, 'sending');
    session.online();
    roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
    assert.deepEqual(await onWire, ['<presence to="romeo@example.net" type="subscribed"/>']);
    const change = presence.setOwnPresence({ show: 'away', status: null });
    release();
    assert.deepEqual(await change, { queued: false });
    await presence.flushed();
    assert.deepEqual(session.sent, ['<presence to="romeo@example.net" type="subscribed"/>', away]);
  }

  // Changed while signed in but before the retrieval: it rides on initial presence.
  {
    const { session, roster, presence } = setup();
    session.online();
    assert.deepEqual(await presence.setOwnPresence({ show: 'away', status: null }), { queued: true });
    roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
    await presence.flushed();
    assert.deepEqual(session.sent, [away]);
  }

  // The connection drops while the change is on the wire: the next session announces the latest.
  {
    const { session, roster, presence, signIn } = setup();
    await signIn();
    const release = holdWire(session);
    const onWire = once(session, 'sending');
    const change = presence.setOwnPresence({ show: 'away', status: null });
    await onWire;
    session.offline();
    release();
    assert.deepEqual(await change, { queued: true });
    assert.deepEqual(await presence.setOwnPresence({ show: 'dnd', status: null }), { queued: true });
    session.online();
    roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
    await presence.flushed();
    assert.deepEqual(session.sent, ['<presence/>', dnd]);
  }

  // A resumed stream (XEP-0198): a change made while the changed presence is on the wire follows it.
  {
    const { session, presence, signIn } = setup();
    await signIn();
    session.offline();
    await presence.setOwnPresence({ show: 'away', status: null });
    const release = holdWire(session);
    const onWire = once(session, 'sending');
    session.online(true);
    assert.deepEqual(await onWire, [away]);
    const change = presence.setOwnPresence({ show: 'dnd', status: null });
    release();
    assert.deepEqual(await change, { queued: false });
    await presence.flushed();
    assert.deepEqual(session.sent, ['<presence/>', away, dnd]);
  }
});

test('issue 11 #16: answers given offline are kept in SQLite; after a restart they go out after the retrieval, in order, before initial presence', async () => {
  const first = setup();
  await first.signIn();
  first.session.receive(`<presence type='subscribe' from='romeo@example.net'/>`);
  first.session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  first.session.receive(`<presence type='subscribe' from='paris@example.com'/>`);
  first.session.offline();
  assert.deepEqual(await first.presence.approve('romeo@example.net'), { queued: true, askedBack: true });
  assert.deepEqual(await first.presence.deny('tybalt@example.com'), { queued: true });
  assert.deepEqual(await first.presence.approve('paris@example.com', { askBack: false }), {
    queued: true,
    askedBack: false,
  });
  assert.deepEqual(first.presence.requests(), [], 'answered: no longer shown as requests');
  // quitting: nothing of the first process is used again but its database

  const again = setup({ db: first.db });
  again.session.beforePing = () => {
    // the server re-sends requests after initial presence; answered ones it no longer has
    again.session.receive(`<presence type='subscribe' from='nurse@example.com'/>`);
  };
  await again.signIn();
  assert.deepEqual(again.session.sent, [
    '<presence to="romeo@example.net" type="subscribed"/>',
    '<presence to="romeo@example.net" type="subscribe"/>',
    '<presence to="tybalt@example.com" type="unsubscribed"/>',
    '<presence to="paris@example.com" type="subscribed"/>',
    '<presence/>',
  ]);
  assert.deepEqual(new PresenceOutboxStore(first.db).list(ME), [], 'confirmed by the ping: gone from the outbox');

  const third = setup({ db: first.db });
  await third.signIn();
  assert.deepEqual(third.session.sent, ['<presence/>'], 'sent once, not at every sign-in');
});

test('issue 11 #16: a step written but unconfirmed when the process died is sent again, unless the retrieved roster shows it arrived', async () => {
  const first = setup();
  await first.signIn();
  first.session.offline();
  await first.presence.approve('romeo@example.net', { askBack: false });
  await first.presence.deny('tybalt@example.com');
  first.session.sent.length = 0;
  let answer!: () => void;
  first.session.pingWire = new Promise((resolve) => {
    answer = resolve;
  });
  const pinging = once(first.session, 'pinging');
  first.session.online();
  first.roster.emit('retrieved', { kind: 'full', version: null, count: 0 });
  await pinging; // both written, the confirming ping not answered: the process is killed here
  assert.equal(first.session.sent.length, 2);
  const stored = new PresenceOutboxStore(first.db).list(ME);
  assert.deepEqual(
    stored.map((s) => [s.type, s.jid, s.sentAt]),
    [
      ['subscribed', 'romeo@example.net', 1000],
      ['unsubscribed', 'tybalt@example.com', 1000],
    ],
  );

  // The next process: the server's roster shows romeo approved; tybalt (a stranger) leaves no trace.
  const again = setup({ db: first.db, items: [item('romeo@example.net', { subscription: 'from' })] });
  await again.signIn();
  assert.deepEqual(again.session.sent, ['<presence to="tybalt@example.com" type="unsubscribed"/>', '<presence/>']);
  assert.deepEqual(new PresenceOutboxStore(first.db).list(ME), []);
  answer();
});

test("issue 11 #16: per contact, steps keep the user's order against roster edits (add then approve waits for the add; a later removal supersedes an approve)", async () => {
  const { db, session, roster, presence, edits, logs, signIn } = setup();
  await signIn();
  session.offline();
  const add = edits.enqueue({
    account: ME,
    op: 'add',
    jid: 'romeo@example.net',
    name: 'Romeo',
    groups: [],
    base: { exists: false, name: null, groups: [] },
  });
  await presence.approve('romeo@example.net', { askBack: false });
  await presence.approve('paris@example.com', { askBack: false }); // no edit of paris: not held back
  await presence.approve('tybalt@example.com', { askBack: false });
  const remove = edits.enqueue({
    account: ME,
    op: 'remove',
    jid: 'tybalt@example.com',
    base: { exists: true, name: null, groups: [] },
  });
  roster.emit('change', {
    kind: 'upsert',
    version: null,
    item: { ...item('tybalt@example.com'), pending: { id: remove.id, op: 'remove', state: 'waiting', error: null } },
  } satisfies RosterChange);
  assert.match(logs.join('\n'), /dropped: the contact is being removed/);
  await presence.approve('nurse@example.com', { askBack: false });
  edits.enqueue({
    account: ME,
    op: 'remove',
    jid: 'nurse@example.com',
    base: { exists: true, name: null, groups: [] },
  }); // seen only at the next pass
  session.sent.length = 0;

  await signIn();
  assert.deepEqual(
    session.sent,
    ['<presence to="paris@example.com" type="subscribed"/>', '<presence/>'],
    'romeo waits for his add',
  );
  assert.deepEqual(
    new PresenceOutboxStore(db).list(ME).map((step) => step.jid),
    ['romeo@example.net'],
    'tybalt and nurse superseded by their removal',
  );
  session.sent.length = 0;
  edits.delete(add.id); // the roster sender got the server's push for the add
  roster.emit('change', {
    kind: 'upsert',
    version: null,
    item: item('romeo@example.net', { name: 'Romeo' }),
  } satisfies RosterChange);
  await presence.flushed();
  assert.deepEqual(session.sent, ['<presence to="romeo@example.net" type="subscribed"/>']);
});

test('issue 12 #6: the nickname in a request (XEP-0172) is carried, and a re-send without one keeps it', async () => {
  const { session, presence, signIn } = setup();
  await signIn();
  session.receive(
    `<presence type='subscribe' from='paris@verona.example'><nick xmlns='http://jabber.org/protocol/nick'>Count Paris</nick></presence>`,
  );
  session.receive(`<presence type='subscribe' from='paris@verona.example'/>`);
  assert.deepEqual(presence.requests(), [
    { jid: 'paris@verona.example', message: null, nick: 'Count Paris', receivedAt: 1000 },
  ]);
});

test('issue 12 #7: undoing a denial made offline drops its waiting answer; the denied list shows it until then', async () => {
  const { session, presence, signIn } = setup();
  await signIn();
  session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  session.receive(`<presence type='subscribe' from='rosaline@example.org'/>`);
  session.offline();
  await presence.deny('tybalt@example.com');
  await presence.deny('rosaline@example.org');
  assert.deepEqual(
    presence.deniedRequests().map((d) => d.jid),
    ['rosaline@example.org', 'tybalt@example.com'],
  );
  assert.deepEqual(presence.undoDenial('Tybalt@Example.com'), { undone: true, answerDropped: true });
  assert.deepEqual(presence.undoDenial('tybalt@example.com'), { undone: false, answerDropped: false });
  assert.deepEqual(presence.deniedJids(), ['rosaline@example.org']);
  session.sent.length = 0;
  await signIn();
  assert.deepEqual(
    session.sent,
    ['<presence to="rosaline@example.org" type="unsubscribed"/>', '<presence/>'],
    'only the denial still in force goes out',
  );
  // The server still held Tybalt's request and re-sends it: shown again.
  session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  assert.deepEqual(
    presence.requests().map((r) => r.jid),
    ['tybalt@example.com'],
  );
});

test('issue 12 #7: after undoing a denial that went out, the next request is shown, not refused', async () => {
  const { session, presence, signIn } = setup();
  await signIn();
  session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  await presence.deny('tybalt@example.com');
  assert.deepEqual(presence.undoDenial('tybalt@example.com'), { undone: true, answerDropped: false });
  session.sent.length = 0;
  session.receive(`<presence type='subscribe' from='tybalt@example.com'/>`);
  await presence.flushed();
  assert.deepEqual(session.sent, [], 'no automatic refusal');
  assert.deepEqual(
    presence.requests().map((r) => r.jid),
    ['tybalt@example.com'],
  );
});
