/**
 * A plain second XMPP client for message tests (issue 10): the other account,
 * or a second resource of ours. It signs in with the real session (TLS
 * against the test CA, XEP-0198), announces presence so live messages reach
 * it, and keeps to what any other client does:
 * - sends chat messages with an id and the same origin-id (XEP-0359), a
 *   receipt request and a body; `sendConfirmed` re-sends (same ids) what a
 *   dropped connection may have lost, until an iq round trip after them
 *   says the server has handled them all;
 * - collects every copy it receives, live or forwarded (carbons), with the
 *   server's stanza-id (trusted only when `by` is its own bare JID) and the
 *   origin-id, and answers receipt requests when asked to;
 * - reads its own archive (XEP-0313, every page): the server's order;
 * - dedupes as a real client does (origin-id, else id): `distinct()` tells
 *   the messages, the copies dropped, and any id seen with two bodies.
 * Every wait is bounded.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { XmppSession, type SessionConfig } from '../../main/core/xmpp/session.js';

const NS_SID = 'urn:xmpp:sid:0';
const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_CARBONS = 'urn:xmpp:carbons:2';
const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';
const NS_DELAY = 'urn:xmpp:delay';

export interface PeerMessage {
  /** The stanza's id attribute. */
  id: string | null;
  originId: string | null;
  /** The server's id, when `by` is the peer's own bare JID. */
  stanzaId: string | null;
  /** Bare JIDs. */
  from: string;
  to: string;
  fromResource: string | null;
  body: string;
  /** How it came: directly, or as a carbon of a message our other device sent / received. */
  via: 'live' | 'carbon-sent' | 'carbon-received';
  /** A <delay/> stamp (ms), when there was one. */
  delay: number | null;
  receivedAt: number;
}

export interface ArchivedMessage {
  /** The archive's id (the stanza-id). */
  archiveId: string;
  /** The archive's time, ms. */
  time: number;
  id: string | null;
  originId: string | null;
  from: string;
  to: string;
  body: string;
}

export interface PeerOptions {
  port: number;
  caFile: string;
  /** Local part on `localhost`. */
  user: string;
  password: string;
  resource?: string;
  /** Answer XEP-0184 receipt requests (a real client does). Default true. */
  answerReceipts?: boolean;
  /** Enable carbons (XEP-0280) on every new session. Default false. */
  carbons?: boolean;
  session?: Partial<SessionConfig>;
}

export interface Distinct {
  /** key (origin-id, else id) → body, in first-arrival order. */
  messages: Map<string, string>;
  /** Copies that repeated a key already seen, with the same body. */
  duplicates: number;
  /** Keys seen with more than one body: must never happen. */
  conflicts: string[];
}

const bare = (jid: string | undefined): string => (jid ?? '').split('/')[0]!.toLowerCase();
const resourceOf = (jid: string | undefined): string | null => {
  const i = (jid ?? '').indexOf('/');
  return i < 0 ? null : jid!.slice(i + 1);
};

/** The key a real client dedupes on: origin-id, else the stanza id. */
export const dedupeKey = (m: { originId: string | null; id: string | null }): string | null => m.originId ?? m.id;

function dedupe(list: readonly { originId: string | null; id: string | null; body: string }[]): Distinct {
  const messages = new Map<string, string>();
  const conflicts = new Set<string>();
  let duplicates = 0;
  for (const m of list) {
    const key = dedupeKey(m);
    if (key === null) continue;
    const seen = messages.get(key);
    if (seen === undefined) messages.set(key, m.body);
    else if (seen === m.body) duplicates += 1;
    else conflicts.add(key);
  }
  return { messages, duplicates, conflicts: [...conflicts] };
}

export class XmppPeer {
  readonly session: XmppSession;
  readonly jid: string;
  /** Every message copy received, in arrival order (chat messages with a body only). */
  readonly received: PeerMessage[] = [];
  /** Receipts (XEP-0184) received: the ids they acknowledge. */
  readonly receipts: string[] = [];
  /** Errors bounced to the peer: the ids of the messages they answer. */
  readonly errors: string[] = [];
  readonly #answerReceipts: boolean;
  readonly #carbons: boolean;
  readonly #waiters = new Set<() => void>();
  readonly #mamResults = new Map<string, ArchivedMessage[]>();
  /** Bumped on every new (not resumed) session: a batch in flight across one is sent again. */
  #sessions = 0;

  private constructor(options: PeerOptions) {
    this.jid = `${options.user}@localhost`;
    this.#answerReceipts = options.answerReceipts ?? true;
    this.#carbons = options.carbons ?? false;
    this.session = new XmppSession({
      account: this.jid,
      password: options.password,
      host: '127.0.0.1',
      port: options.port,
      ca: readFileSync(options.caFile, 'utf8'),
      resource: options.resource ?? `peer-${randomUUID().slice(0, 8)}`,
      connectTimeoutMs: 10_000,
      iqTimeoutMs: 10_000,
      backoff: { initialMs: 100, maxMs: 500 },
      ...options.session,
    });
    this.session.onStanza('message', (stanza) => {
      this.#onMessage(stanza);
    });
    this.session.on('online', ({ resumed }) => {
      if (resumed) return;
      this.#sessions += 1;
      // Available, so that messages to the bare JID are delivered here live.
      this.session.send(xml('presence')).catch(() => undefined);
      if (this.#carbons) {
        this.session.iq('set', xml('enable', { xmlns: NS_CARBONS })).catch(() => undefined);
      }
    });
  }

  /** Signs in (fails fast on the first attempt) and stays online, reconnecting after drops. */
  static async start(options: PeerOptions): Promise<XmppPeer> {
    const peer = new XmppPeer(options);
    await peer.session.start({ failFast: true });
    // online: presence and carbons go out in the 'online' listener; a round trip makes sure they landed
    await peer.session.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }));
    if (peer.#carbons) await peer.session.iq('set', xml('enable', { xmlns: NS_CARBONS }));
    return peer;
  }

  get online(): boolean {
    return this.session.state.status === 'online';
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #onMessage(stanza: Element): void {
    const result = stanza.getChild('result', NS_MAM);
    if (result) {
      this.#onArchiveResult(result);
      return;
    }
    const carbon = stanza.getChild('sent', NS_CARBONS) ?? stanza.getChild('received', NS_CARBONS);
    if (carbon) {
      // Only our own server, for our own account, may forward copies to us.
      if (bare(stanza.attrs.from as string | undefined) !== this.jid) return;
      const inner = carbon.getChild('forwarded', NS_FORWARD)?.getChild('message');
      if (inner) this.#collect(inner, carbon.name === 'sent' ? 'carbon-sent' : 'carbon-received');
      return;
    }
    if (stanza.attrs.type === 'error') {
      const id = stanza.attrs.id as string | undefined;
      if (id) this.errors.push(id);
      this.#notify();
      return;
    }
    const receipt = stanza.getChild('received', NS_RECEIPTS);
    if (receipt) {
      const id = receipt.attrs.id as string | undefined;
      if (id) this.receipts.push(id);
      this.#notify();
    }
    this.#collect(stanza, 'live');
  }

  #collect(stanza: Element, via: PeerMessage['via']): void {
    const body = stanza.getChildText('body');
    if (body === null) return;
    const stanzaIdEl = stanza
      .getChildren('stanza-id', NS_SID)
      .find((el) => bare(el.attrs.by as string | undefined) === this.jid);
    const stamp = stanza.getChild('delay', NS_DELAY)?.attrs.stamp as string | undefined;
    const message: PeerMessage = {
      id: (stanza.attrs.id as string | undefined) ?? null,
      originId: (stanza.getChild('origin-id', NS_SID)?.attrs.id as string | undefined) ?? null,
      stanzaId: (stanzaIdEl?.attrs.id as string | undefined) ?? null,
      from: bare(stanza.attrs.from as string | undefined),
      to: bare(stanza.attrs.to as string | undefined),
      fromResource: resourceOf(stanza.attrs.from as string | undefined),
      body,
      via,
      delay: stamp ? Date.parse(stamp) : null,
      receivedAt: Date.now(),
    };
    this.received.push(message);
    if (
      via === 'live' &&
      this.#answerReceipts &&
      stanza.getChild('request', NS_RECEIPTS) &&
      message.id !== null &&
      stanza.attrs.from
    ) {
      this.session
        .send(
          xml(
            'message',
            { to: stanza.attrs.from as string, id: randomUUID() },
            xml('received', { xmlns: NS_RECEIPTS, id: message.id }),
          ),
        )
        .catch(() => undefined);
    }
    this.#notify();
  }

  #onArchiveResult(result: Element): void {
    const list = this.#mamResults.get(result.attrs.queryid as string);
    if (!list) return;
    const forwarded = result.getChild('forwarded', NS_FORWARD);
    const inner = forwarded?.getChild('message');
    const body = inner?.getChildText('body');
    const stamp = forwarded?.getChild('delay', NS_DELAY)?.attrs.stamp as string | undefined;
    if (!inner || body === null || body === undefined || !stamp) return;
    list.push({
      archiveId: result.attrs.id as string,
      time: Date.parse(stamp),
      id: (inner.attrs.id as string | undefined) ?? null,
      originId: (inner.getChild('origin-id', NS_SID)?.attrs.id as string | undefined) ?? null,
      from: bare(inner.attrs.from as string | undefined),
      to: bare(inner.attrs.to as string | undefined),
      body,
    });
  }

  /** Resolves when `check()` holds (re-checked on every arrival and every 50 ms); rejects after `timeoutMs`. */
  waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#waiters.delete(test);
        if (error) reject(error);
        else resolve();
      };
      const test = (): void => {
        if (check()) done();
      };
      const timer = setTimeout(() => {
        done(new Error(`peer ${this.jid}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(test, 50);
      this.#waiters.add(test);
    });
  }

  /** Waits until every key in `keys` (origin-id / id) has arrived at least once. */
  waitForKeys(keys: Iterable<string>, timeoutMs = 15_000): Promise<void> {
    const wanted = [...keys];
    return this.waitFor(
      () => {
        const seen = new Set(this.received.map(dedupeKey));
        return wanted.every((k) => seen.has(k));
      },
      `${wanted.length} message(s)`,
      timeoutMs,
    );
  }

  /** Live and carbon copies received from `from` (a bare JID), deduped as a client would. */
  distinctFrom(from: string, via: readonly PeerMessage['via'][] = ['live']): Distinct {
    return dedupe(this.received.filter((m) => m.from === from && via.includes(m.via)));
  }

  /** Sends one chat message (id = origin-id), with a receipt request; resolves once written. */
  async send(to: string, body: string, id: string = randomUUID()): Promise<string> {
    await this.session.send(
      xml(
        'message',
        { to, type: 'chat', id },
        xml('body', {}, body),
        xml('origin-id', { xmlns: NS_SID, id }),
        xml('request', { xmlns: NS_RECEIPTS }),
      ),
    );
    return id;
  }

  /**
   * Sends `items` in order and makes sure the server has handled them all:
   * an iq round trip after them (the server answers a stream's stanzas in
   * order). A drop before that answer sends them all again, same ids, once
   * online again: the receiver's dedupe drops the copies that did get through.
   * Returns how many times the batch was sent again.
   */
  async sendConfirmed(to: string, items: readonly { id: string; body: string }[], timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let resends = 0;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`peer ${this.jid}: could not send ${items.length} message(s) in time`);
      try {
        await this.waitFor(() => this.online, 'online', Math.max(1, deadline - Date.now()));
        for (const item of items) await this.send(to, item.body, item.id);
        await this.session.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }));
        return resends;
      } catch {
        resends += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /**
   * The peer's whole archive with `withJid` (every page, RSM), in the
   * server's order. Retries (a new query) after a drop, within `timeoutMs`.
   */
  async archive(withJid: string, timeoutMs = 20_000): Promise<ArchivedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.waitFor(() => this.online, 'online', Math.max(1, deadline - Date.now()));
        return await this.#archiveOnce(withJid);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async #archiveOnce(withJid: string): Promise<ArchivedMessage[]> {
    const all: ArchivedMessage[] = [];
    let after: string | null = null;
    for (let page = 0; page < 1000; page++) {
      const queryId = randomUUID();
      const results: ArchivedMessage[] = [];
      this.#mamResults.set(queryId, results);
      let fin: Element | undefined;
      try {
        const reply = await this.session.iq(
          'set',
          xml(
            'query',
            { xmlns: NS_MAM, queryid: queryId },
            xml(
              'x',
              { xmlns: 'jabber:x:data', type: 'submit' },
              xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
              xml('field', { var: 'with' }, xml('value', {}, withJid)),
            ),
            xml('set', { xmlns: NS_RSM }, xml('max', {}, '250'), ...(after ? [xml('after', {}, after)] : [])),
          ),
        );
        fin = reply.getChild('fin', NS_MAM);
      } finally {
        this.#mamResults.delete(queryId);
      }
      all.push(...results);
      const last = fin?.getChild('set', NS_RSM)?.getChildText('last');
      if (fin?.attrs.complete === 'true' || fin?.attrs.complete === true || !last || results.length === 0) return all;
      after = last;
    }
    throw new Error(`peer ${this.jid}: the archive did not end after 1000 pages`);
  }

  /** Signs out (the session ends for good: the next sign-in is a new one). */
  async disconnect(): Promise<void> {
    await this.session.stop();
  }

  async reconnect(): Promise<void> {
    await this.session.start({ failFast: true });
  }

  /** New (not resumed) sessions so far. */
  get sessions(): number {
    return this.#sessions;
  }

  async close(): Promise<void> {
    this.#waiters.clear();
    await this.session.stop();
  }
}

/** An archive deduped as a client would (origin-id, else id), in the server's order. */
export function distinctArchive(items: readonly ArchivedMessage[]): Distinct {
  return dedupe(items);
}
