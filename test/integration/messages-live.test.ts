/**
 * issue 10 #2: live messages against real servers (Debian's Prosody with
 * smacks, carbons and mam; ejabberd with mod_stream_mgmt, mod_carboncopy and
 * mod_mam), TLS required and verified. Juliet runs Balcony's core with
 * MessageService; romeo, and juliet's second resource "phone", are plain
 * clients that write and read raw stanzas on a session of their own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Element } from '@xmpp/xml';
import { xml } from '@xmpp/client';
import type { ChatMessage, RosterItem, SubscriptionRequest } from '../../preload/contract.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startEjabberd, startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { withMessages, type WithMessages } from '../support/message-fixtures.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import type { ArchiveApi, CatchUpResult } from '../../main/core/messages/archive-api.js';

const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_MARKERS = 'urn:xmpp:chat-markers:0';
const NS_SID = 'urn:xmpp:sid:0';

type Core = RosterCore & { dataDir: string };
type Juliet = Core & WithMessages;

const servers: [string, () => Promise<TestServer>][] = [
  ['Prosody', () => startProsody({ tls: true })],
  ['ejabberd', () => startEjabberd({ tls: true, rosterVersioning: true })],
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Every message stanza a plain client receives, and a bounded wait for the next that matches. */
class Inbox {
  readonly all: Element[] = [];
  readonly #waiters: { pred: (el: Element) => boolean; resolve: (el: Element) => void }[] = [];
  #claimed = new Set<Element>();

  constructor(core: Core) {
    core.session.onStanza('message', (stanza) => {
      this.all.push(stanza);
      const waiter = this.#waiters.find((w) => w.pred(stanza));
      if (!waiter) return;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      this.#claimed.add(stanza);
      waiter.resolve(stanza);
    });
  }

  next(what: string, pred: (el: Element) => boolean, timeoutMs = 10_000): Promise<Element> {
    const seen = this.all.find((el) => !this.#claimed.has(el) && pred(el));
    if (seen) {
      this.#claimed.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (el: Element): void => {
          clearTimeout(timer);
          resolve(el);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no message stanza: ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  withBody(body: string): Element[] {
    return this.all.filter((el) => el.getChildText('body') === body);
  }
}

const bodyIs = (body: string) => (el: Element) => el.getChildText('body') === body;

async function reaches(core: Juliet, id: string, state: ChatMessage['state']): Promise<ChatMessage> {
  const now = core.messageStore.message(id);
  if (now?.state === state) return now;
  const [message] = await waitForEvent<[ChatMessage]>(
    core.messages,
    'message',
    (m) => m.id === id && m.state === state,
    10_000,
  );
  return message;
}

for (const [serverName, start] of servers) {
  describe(`issue 10 #2: live messages against ${serverName}`, { timeout: 240_000 }, () => {
    let server: TestServer;
    let n = 0;
    const open: Core[] = [];

    async function account(prefix: string): Promise<{ name: string; jid: string }> {
      n += 1;
      const name = `${prefix}${n}`;
      await server.register(name, 'secret');
      return { name, jid: `${name}@localhost` };
    }
    function core(user: string, options: { dataDir?: string; resource?: string; via?: TcpProxy } = {}): Core {
      const endpoint = options.via ? { port: options.via.port, caFile: server.caFile } : server;
      const session = options.via ? { backoff: { initialMs: 100, maxMs: 300 }, connectTimeoutMs: 5_000 } : undefined;
      const c = openCore(endpoint, user, 'secret', { ...options, session });
      // A plain client: no message service of its own answering receipts before the test does
      // (withMessages puts one back where the test wants Balcony's).
      c.messages.detach();
      open.push(c);
      return c;
    }
    async function signIn(c: Core): Promise<void> {
      await c.session.start({ failFast: true });
      await c.roster.retrieve();
      await c.presence.flushed();
    }
    const subscription = (c: Core, jid: string): RosterItem['subscription'] | undefined =>
      c.store.getItem(c.session.account, jid)?.subscription;
    const hasRequest = (jid: string) => (list: SubscriptionRequest[]) => list.some((r) => r.jid === jid);
    /** Both share presence with each other (receipts and markers go only there). */
    async function befriend(a: Core, b: Core): Promise<void> {
      const aJid = a.session.account;
      const bJid = b.session.account;
      const asked = waitForEvent<[SubscriptionRequest[]]>(b.presence, 'requests', hasRequest(aJid));
      await a.presence.add({ jid: bJid }, { subscribe: true });
      await asked;
      const askedBack = waitForEvent<[SubscriptionRequest[]]>(a.presence, 'requests', hasRequest(bJid));
      await b.presence.approve(aJid);
      await askedBack;
      await a.presence.approve(bJid);
      await until('both ways', () => subscription(a, bJid) === 'both' && subscription(b, aJid) === 'both');
    }

    before(async () => {
      server = await start();
    });
    after(async () => {
      for (const c of open) await c.close().catch(() => undefined);
      await (server as TestServer | undefined)?.stop();
    });

    it(`issue 10 #2: a round trip both ways with a plain client on ${serverName}: ours is 'sent' on the server's ack, then delivered and read by the contact's receipt and marker; theirs is stored once, answered with a receipt and, once read, a marker`, async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const j = withMessages(core(juliet.name));
      const r = core(romeo.name);
      const romeoInbox = new Inbox(r);
      await signIn(j);
      await signIn(r);
      await befriend(j, r);
      assert.equal(j.session.streamManagement, true, 'XEP-0198 is on: sent means acked');

      const sent = j.messages.send(romeo.jid, 'Hello from Balcony');
      const got = await romeoInbox.next('juliet’s message', bodyIs('Hello from Balcony'));
      assert.equal(got.attrs.id, sent.id);
      assert.equal(got.getChild('origin-id', NS_SID)?.attrs.id, sent.id);
      assert.ok(got.getChild('request', NS_RECEIPTS), 'a receipt is asked for');
      assert.ok(got.getChild('markable', NS_MARKERS), 'markable');
      await reaches(j, sent.id, 'sent');

      const from = String(got.attrs.from);
      await r.session.send(
        xml('message', { to: from, id: 'rcpt-1' }, xml('received', { xmlns: NS_RECEIPTS, id: sent.id })),
      );
      await reaches(j, sent.id, 'delivered');
      await r.session.send(
        xml('message', { to: from, id: 'mark-1', type: 'chat' }, xml('displayed', { xmlns: NS_MARKERS, id: sent.id })),
      );
      await reaches(j, sent.id, 'read');

      const arrived = waitForEvent<[ChatMessage]>(j.messages, 'message', (m) => m.body === 'Hello from Romeo');
      await r.session.send(
        xml(
          'message',
          { to: juliet.jid, type: 'chat', id: 'r-1' },
          xml('body', {}, 'Hello from Romeo'),
          xml('origin-id', { xmlns: NS_SID, id: 'r-1' }),
          xml('request', { xmlns: NS_RECEIPTS }),
          xml('markable', { xmlns: NS_MARKERS }),
        ),
      );
      const [theirs] = await arrived;
      assert.equal(theirs.direction, 'in');
      assert.equal(theirs.from, romeo.jid);
      assert.equal(theirs.state, 'received');
      const receipt = await romeoInbox.next(
        'juliet’s receipt',
        (el) => el.getChild('received', NS_RECEIPTS) !== undefined,
      );
      assert.equal(receipt.getChild('received', NS_RECEIPTS)?.attrs.id, 'r-1');
      assert.equal(j.messages.conversations().find((c) => c.jid === romeo.jid)?.unread, 1);

      j.messages.markRead(romeo.jid, theirs.id);
      const marker = await romeoInbox.next(
        'juliet’s displayed marker',
        (el) => el.getChild('displayed', NS_MARKERS) !== undefined,
      );
      assert.equal(marker.getChild('displayed', NS_MARKERS)?.attrs.id, 'r-1');
      assert.equal(j.messages.conversations().find((c) => c.jid === romeo.jid)?.unread, 0);

      const page = await j.messages.history({ jid: romeo.jid, limit: 50 });
      assert.deepEqual(
        page.entries.map((e) => (e.kind === 'message' ? `${e.direction}:${e.body}:${e.state}` : 'gap')),
        ['out:Hello from Balcony:read', 'in:Hello from Romeo:received'],
        'each once, in order',
      );
      assert.deepEqual(j.messageStore.outboxEntries(), []);
    });

    it(`issue 10 #2: carbons from our second resource on ${serverName}: what the phone sends and receives appears once on Balcony, ours from another device, and the contact’s receipt to the phone marks it delivered`, async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const j = withMessages(core(juliet.name, { resource: 'desk' }));
      const phone = core(juliet.name, { resource: 'phone' });
      const r = core(romeo.name);
      const romeoInbox = new Inbox(r);
      await signIn(j);
      await signIn(phone);
      await signIn(r);
      await befriend(j, r);

      const fromPhone = waitForEvent<[ChatMessage]>(j.messages, 'message', (m) => m.body === 'Sent from my phone');
      await phone.session.send(
        xml(
          'message',
          { to: romeo.jid, type: 'chat', id: 'phone-1' },
          xml('body', {}, 'Sent from my phone'),
          xml('origin-id', { xmlns: NS_SID, id: 'phone-1' }),
        ),
      );
      const [ours] = await fromPhone;
      assert.equal(ours.direction, 'out');
      assert.equal(ours.fromOtherDevice, true);
      assert.equal(ours.conversation, romeo.jid);
      const atRomeo = await romeoInbox.next('the phone’s message', bodyIs('Sent from my phone'));
      // romeo's receipt goes to the phone; Balcony sees its carbon and the phone's message is delivered
      await r.session.send(
        xml(
          'message',
          { to: String(atRomeo.attrs.from), type: 'chat', id: 'rcpt-phone' },
          xml('received', { xmlns: NS_RECEIPTS, id: 'phone-1' }),
        ),
      );
      await reaches(j, ours.id, 'delivered');

      // romeo answers the phone's resource: Balcony sees it through a 'received' carbon
      const toPhone = waitForEvent<[ChatMessage]>(j.messages, 'message', (m) => m.body === 'To your phone');
      await r.session.send(
        xml('message', { to: `${juliet.jid}/phone`, type: 'chat', id: 'r-2' }, xml('body', {}, 'To your phone')),
      );
      const [theirs] = await toPhone;
      assert.equal(theirs.direction, 'in');
      assert.equal(theirs.from, romeo.jid);

      // a barrier: a message to Balcony itself; a second copy of either would have come first
      const last = waitForEvent<[ChatMessage]>(j.messages, 'message', (m) => m.body === 'barrier');
      await r.session.send(
        xml('message', { to: `${juliet.jid}/desk`, type: 'chat', id: 'r-3' }, xml('body', {}, 'barrier')),
      );
      await last;
      const page = await j.messages.history({ jid: romeo.jid, limit: 50 });
      assert.deepEqual(
        page.entries.map((e) => (e.kind === 'message' ? `${e.direction}:${e.body}` : 'gap')),
        ['out:Sent from my phone', 'in:To your phone', 'in:barrier'],
      );
      assert.equal(j.messages.forgedCarbons, 0);
    });

    it(`issue 10 #2: a message written offline on ${serverName} waits as 'queued' across a restart and is sent once at the next sign-in`, async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const r = core(romeo.name);
      const romeoInbox = new Inbox(r);
      await signIn(r);
      const dataDir = tempDir();

      const offline = withMessages(core(juliet.name, { dataDir }));
      const queued = offline.messages.send(romeo.jid, 'Written offline');
      assert.equal(queued.state, 'queued');
      assert.equal(await offline.messages.whenSent(queued.id, 50), 'queued', 'offline it waits');
      await offline.close();

      const j = withMessages(core(juliet.name, { dataDir }));
      assert.deepEqual(
        j.messageStore.outboxEntries().map((m) => [m.id, m.state]),
        [[queued.id, 'queued']],
        'the outbox survived the restart',
      );
      const sentState = j.messages.whenSent(queued.id, 15_000);
      await signIn(j);
      assert.equal(await sentState, 'sent');
      const got = await romeoInbox.next('the queued message', bodyIs('Written offline'));
      assert.equal(got.attrs.id, queued.id);

      const barrier = j.messages.send(romeo.jid, 'barrier');
      await romeoInbox.next('the barrier', bodyIs('barrier'));
      await reaches(j, barrier.id, 'sent');
      assert.equal(romeoInbox.withBody('Written offline').length, 1, 'sent once');
      assert.deepEqual(j.messageStore.outboxEntries(), []);
    });

    it(`issue 10 #2: a message to an address that does not exist on ${serverName} is 'failed' with the server's condition`, async () => {
      const juliet = await account('juliet');
      const j = withMessages(core(juliet.name));
      await signIn(j);
      const sent = j.messages.send('nobody-here@localhost', 'Anyone?');
      const failed = await reaches(j, sent.id, 'failed');
      assert.equal(failed.error?.code, 'service-unavailable');
      assert.deepEqual(j.messageStore.outboxEntries(), []);
    });

    it(`issue 10 #2: a message caught by a network cut before the server's ack on ${serverName} is completed by the XEP-0198 resumption: no catch-up, no second copy, 'sent'`, async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const r = core(romeo.name);
      const romeoInbox = new Inbox(r);
      await signIn(r);
      const proxy = await TcpProxy.start(server.port);
      try {
        const catchUps: number[] = [];
        const archive: ArchiveApi = {
          catchUp: (): Promise<CatchUpResult> => {
            catchUps.push(Date.now());
            return Promise.resolve({ fetched: 0, pages: 0, gaps: 0 });
          },
          pageBack: () => Promise.resolve({ added: 0, atStart: true }),
        };
        const j = withMessages(core(juliet.name, { via: proxy }), { archive });
        const onlines: boolean[] = [];
        j.session.on('online', ({ resumed }) => onlines.push(resumed));
        await signIn(j);
        await until('XEP-0198 enabled', () => j.session.streamManagement);
        const warmUp = j.messages.send(romeo.jid, 'warm-up');
        await reaches(j, warmUp.id, 'sent');

        const sent = j.messages.send(romeo.jid, 'Caught by the cut');
        proxy.cut(); // in the same tick: no ack can come back
        await waitForEvent(j.session, 'state', (s: { status: string }) => s.status !== 'online', 10_000);
        assert.equal(j.messageStore.message(sent.id)?.state, 'sending');
        const resumed = waitForEvent(j.session, 'online', () => true, 20_000);
        proxy.restore();
        await resumed;
        assert.deepEqual(onlines, [false, true], 'the second sign-in is a resumption');
        await reaches(j, sent.id, 'sent');
        await romeoInbox.next('the message caught by the cut', bodyIs('Caught by the cut'));

        const barrier = j.messages.send(romeo.jid, 'barrier');
        await romeoInbox.next('the barrier', bodyIs('barrier'));
        await reaches(j, barrier.id, 'sent');
        assert.equal(romeoInbox.withBody('Caught by the cut').length, 1, 'once');
        assert.equal(catchUps.length, 1, 'a resumed stream missed nothing: no catch-up');
        assert.deepEqual(j.messageStore.outboxEntries(), []);
      } finally {
        await proxy.stop();
      }
    });
    it(`issue 10 #2: failed reconnection attempts on ${serverName} keep the XEP-0198 state: the resumption after them acks the message the server had (once, 'sent', not resent)`, async () => {
      const juliet = await account('juliet');
      const romeo = await account('romeo');
      const r = core(romeo.name);
      const romeoInbox = new Inbox(r);
      await signIn(r);
      const proxy = await TcpProxy.start(server.port);
      try {
        const j = withMessages(core(juliet.name, { via: proxy }));
        const onlines: boolean[] = [];
        j.session.on('online', ({ resumed }) => onlines.push(resumed));
        await signIn(j);
        await until('XEP-0198 enabled', () => j.session.streamManagement);

        const sent = j.messages.send(romeo.jid, 'Through two failed attempts');
        // the server has it (romeo got it), and the ack is not asked for yet (xmpp.js waits 250 ms)
        await romeoInbox.next('the message', bodyIs('Through two failed attempts'));
        proxy.cut();
        assert.equal(j.messageStore.message(sent.id)?.state, 'sending', 'cut before the ack');
        let failures = 0;
        const failedTwice = waitForEvent(
          j.session,
          'state',
          (s: { status: string }) => s.status === 'error' && ++failures >= 2,
          20_000,
        );
        await failedTwice;
        const resumed = waitForEvent(j.session, 'online', () => true, 20_000);
        proxy.restore();
        await resumed;
        assert.deepEqual(onlines, [false, true], 'resumed after the failed attempts');
        await reaches(j, sent.id, 'sent');
        j.messages.send(romeo.jid, 'barrier');
        await romeoInbox.next('the barrier', bodyIs('barrier'));
        assert.equal(romeoInbox.withBody('Through two failed attempts').length, 1, 'once');
      } finally {
        await proxy.stop();
      }
    });
  });
}
