/**
 * The outbox loop's rules (message-sender.ts) against a fake session and a
 * fake store: order, 'sending' until the XEP-0198 ack, 'sent' once written
 * without stream management, what a new session writes again and what a
 * resumption leaves to the server, a broken write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { ChatMessage, ConnectionState, ErrorInfo, MessageState } from '../../preload/contract.js';
import { BalconyError } from '../../main/core/errors.js';
import { MessageSender, type SenderSession, type SenderStore } from '../../main/core/messages/message-sender.js';

class FakeStore implements SenderStore {
  readonly rows = new Map<string, ChatMessage>();
  #seq = 0;

  queue(body: string): ChatMessage {
    this.#seq += 1;
    const m: ChatMessage = {
      id: `m${this.#seq}`,
      conversation: 'romeo@example.net',
      direction: 'out',
      from: 'juliet@example.com',
      to: 'romeo@example.net',
      body,
      time: this.#seq,
      seq: this.#seq,
      state: 'queued',
    };
    this.rows.set(m.id, m);
    return m;
  }
  set(id: string, state: MessageState, error?: ErrorInfo): void {
    const m = this.rows.get(id);
    if (m) this.rows.set(id, { ...m, state, error: error ?? null });
  }
  outboxEntries(): ChatMessage[] {
    return [...this.rows.values()].filter((m) => m.state === 'queued' || m.state === 'sending');
  }
  markSending(id: string): void {
    this.set(id, 'sending');
  }
  markSent(id: string): void {
    this.set(id, 'sent');
  }
  markFailed(id: string, error: ErrorInfo): void {
    this.set(id, 'failed', error);
  }
  message(id: string): ChatMessage | undefined {
    return this.rows.get(id);
  }
  state(id: string): MessageState | undefined {
    return this.rows.get(id)?.state;
  }
}

class FakeSession implements SenderSession {
  state: ConnectionState = { status: 'online', jid: 'juliet@example.com/balcony' };
  streamManagement = true;
  readonly written: Element[] = [];
  /** Throws on the next write (a stream that broke under it). */
  breakNext = false;
  async send(element: Element): Promise<void> {
    await Promise.resolve();
    if (this.breakNext) {
      this.breakNext = false;
      this.state = { status: 'connecting', attempt: 1 };
      throw new BalconyError('connection-lost');
    }
    this.written.push(element);
  }
  ids(): string[] {
    return this.written.map((e) => String(e.attrs.id));
  }
}

function setup(): { store: FakeStore; session: FakeSession; sender: MessageSender; changed: string[] } {
  const store = new FakeStore();
  const session = new FakeSession();
  const changed: string[] = [];
  const sender = new MessageSender(
    session,
    store,
    (m) => xml('message', { to: m.to, id: m.id }, xml('body', {}, m.body)),
    {
      changed: (id) => changed.push(id),
      log: () => undefined,
    },
  );
  return { store, session, sender, changed };
}

test("issue 10 #2: the outbox goes out oldest first, each 'sending' until the server's XEP-0198 ack of its stanza, then 'sent'", async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  const b = store.queue('two');
  sender.newSession();
  await sender.start();
  assert.deepEqual(session.ids(), [a.id, b.id]);
  assert.equal(store.state(a.id), 'sending');
  assert.equal(store.state(b.id), 'sending');
  sender.acked(session.written[0]!);
  assert.equal(store.state(a.id), 'sent');
  assert.equal(store.state(b.id), 'sending', 'only the acked stanza counts');
  sender.acked(session.written[1]!);
  assert.equal(store.state(b.id), 'sent');
});

test("issue 10 #2: without stream management a message is 'sent' once written", async () => {
  const { store, session, sender } = setup();
  session.streamManagement = false;
  const a = store.queue('one');
  sender.newSession();
  await sender.start();
  assert.deepEqual(session.ids(), [a.id]);
  assert.equal(store.state(a.id), 'sent');
});

test('issue 10 #2: nothing goes out before start() (carbons and catch-up first), nor while offline', async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  sender.newSession();
  await sender.flush();
  assert.deepEqual(session.written, [], 'not started: waits');
  assert.equal(store.state(a.id), 'queued');
  session.state = { status: 'offline' };
  await sender.start();
  assert.deepEqual(session.written, [], 'offline: waits');
  assert.equal(store.state(a.id), 'queued', "offline it stays 'queued' (waiting to send)");
});

test("issue 10 #2: a new session writes again, with the same id, what stayed 'sending'; a resumption leaves it to the server's replay", async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  sender.newSession();
  await sender.start();
  assert.deepEqual(session.ids(), [a.id]);
  // the stream drops before the ack, and is resumed: xmpp.js replays the stanza itself
  sender.stop();
  const b = store.queue('two');
  await sender.start();
  assert.deepEqual(session.ids(), [a.id, b.id], 'after a resumption only what was queued is written');
  // a drop that could not be resumed: both are written again, once each, in order
  sender.stop();
  sender.newSession();
  await sender.start();
  assert.deepEqual(session.ids(), [a.id, b.id, a.id, b.id]);
  await sender.flush();
  assert.equal(session.written.length, 4, 'once per session, not once per flush');
  sender.acked(session.written[2]!);
  sender.acked(session.written[3]!);
  assert.equal(store.state(a.id), 'sent');
  assert.equal(store.state(b.id), 'sent');
});

test("issue 10 #2: what the archive catch-up showed the server has ('sent') is not written again on the new session", async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  store.markSending(a.id); // written before a kill, never acked
  const b = store.queue('two');
  sender.newSession();
  store.markSent(a.id); // the catch-up found our copy in the archive
  await sender.start();
  assert.deepEqual(session.ids(), [b.id]);
});

test("issue 10 #2: a write into a broken stream leaves the message 'sending'; the next stream writes it once, even a resumed one (xmpp.js never queued it)", async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  session.breakNext = true;
  sender.newSession();
  await sender.start();
  assert.equal(store.state(a.id), 'sending');
  assert.deepEqual(session.ids(), []);
  sender.stop();
  session.state = { status: 'online', jid: 'juliet@example.com/balcony' };
  await sender.start(); // resumed: no newSession()
  assert.deepEqual(session.ids(), [a.id]);
  await sender.flush();
  assert.deepEqual(session.ids(), [a.id], 'once');
});

test('issue 10 #2: a broken write stops the loop; the next session writes it once, in order', async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  const b = store.queue('two');
  session.breakNext = true;
  sender.newSession();
  await sender.start();
  assert.equal(store.state(a.id), 'sending');
  assert.equal(store.state(b.id), 'queued', 'the loop stopped at the broken write');
  sender.stop();
  session.state = { status: 'online', jid: 'juliet@example.com/balcony' };
  sender.newSession();
  await sender.start();
  assert.deepEqual(session.ids(), [a.id, b.id]);
});

test('issue 10 #2: an ack never downgrades (a receipt came first) and acks of other stanzas change nothing', async () => {
  const { store, session, sender, changed } = setup();
  const a = store.queue('one');
  sender.newSession();
  await sender.start();
  store.set(a.id, 'delivered');
  changed.length = 0;
  sender.acked(session.written[0]!);
  sender.acked(xml('message', { id: 'not-ours' }));
  sender.acked(xml('iq', { id: a.id }));
  assert.equal(store.state(a.id), 'delivered');
  assert.deepEqual(changed, []);
});

test("issue 10 #2: an error reply makes the message 'failed' with the condition, and it is not written again", async () => {
  const { store, session, sender } = setup();
  const a = store.queue('one');
  sender.newSession();
  await sender.start();
  sender.refused(a.id, { code: 'service-unavailable', message: 'no' });
  assert.equal(store.state(a.id), 'failed');
  assert.equal(store.message(a.id)?.error?.code, 'service-unavailable');
  sender.newSession();
  await sender.start();
  assert.deepEqual(session.ids(), [a.id]);
});
