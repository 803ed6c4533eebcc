/**
 * What presence sends, in order: initial presence once per session, our
 * presence changes, and subscription stanzas. Until initial presence is out
 * (offline, or signed in but the roster not yet retrieved) stanzas wait in
 * memory; they go out just BEFORE initial presence, so that the server, which
 * re-sends pending requests when it gets initial presence, already has our
 * answers.
 *
 * A stream resumed with XEP-0198 keeps its server-side session: our presence
 * is still in effect, so there is no initial presence again; the waiting
 * stanzas go out, and our presence only if it changed meanwhile.
 */
import { EventEmitter } from 'node:events';
import type { Element } from '@xmpp/xml';
import { BalconyError, toErrorInfo } from '../errors.js';
import type { XmppSession } from '../xmpp/session.js';

export interface SendResult {
  /** True when the stanza waits for the next sign-in. */
  queued: boolean;
}

interface SenderEvents {
  /** Initial presence went out on a new session: the server now re-sends pending requests. */
  initial: [];
  /** Everything that waited is out: stanzas now go straight out. */
  ready: [];
}

export class PresenceSender extends EventEmitter<SenderEvents> {
  readonly #session: XmppSession;
  readonly #ownStanza: () => Element;
  readonly #log: (message: string) => void;
  readonly #queue: Element[] = [];
  /** Sends in the order they were asked for. */
  #chain: Promise<unknown> = Promise.resolve();
  /** Counts connections, so that one connection is started once. */
  #connection = 0;
  #startedFor = -1;
  /** Our presence is in effect on this connection (what waited may still be draining). */
  #ownSent = false;
  #ready = false;
  /** The server-side session has our initial presence (kept across a resumption). */
  #sessionHasPresence = false;
  /** Our last broadcast, to tell after a resumption whether it changed. */
  #lastBroadcast: string | null = null;

  /** False: never available (no initial presence); subscription stanzas still go out. */
  readonly #announce: boolean;

  constructor(session: XmppSession, ownStanza: () => Element, options: { announce: boolean; log: (message: string) => void }) {
    super();
    this.#session = session;
    this.#ownStanza = ownStanza;
    this.#announce = options.announce;
    this.#log = options.log;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** A connection came up; `resumed` keeps the server-side session (and our presence in it). */
  connected(resumed: boolean): void {
    this.#connection += 1;
    if (!resumed) this.#sessionHasPresence = false;
  }

  disconnected(): void {
    this.#ready = false;
    this.#ownSent = false;
  }

  /** Sends what waited, then initial presence if the session needs it; once per connection. */
  start(): void {
    if (this.#startedFor === this.#connection || this.#session.state.status !== 'online') return;
    this.#startedFor = this.#connection;
    const connection = this.#connection;
    const initial = !this.#sessionHasPresence;
    this.#chain = this.#chain.then(async () => {
      try {
        await this.#drain();
        if (this.#announce) {
          const own = this.#ownStanza();
          if (initial || own.toString() !== this.#lastBroadcast) await this.#send(own);
          if (connection !== this.#connection) return;
          this.#sessionHasPresence = true;
          this.#ownSent = true;
          if (initial) this.emit('initial');
        }
        await this.#drain(); // what was asked for meanwhile
      } catch (error) {
        this.#log(`presence: initial presence not sent: ${toErrorInfo(error).message}`);
        return;
      }
      if (connection !== this.#connection || this.#session.state.status !== 'online') return;
      this.#ready = true; // no await since the last queue check: nothing can slip in between
      this.emit('ready');
    });
  }

  /** Our presence changed: broadcast it now, or let the next initial presence carry it. */
  ownChanged(): Promise<SendResult> {
    if (!this.#announce || (!this.#ready && !this.#ownSent)) return Promise.resolve({ queued: true });
    return this.deliver(this.#ownStanza(), 'queue');
  }

  /**
   * Sends now when ready and nothing waits; otherwise waits ('queue') or,
   * offline, refuses ('online': stanzas that must not go out later).
   */
  async deliver(stanza: Element, mode: 'queue' | 'online'): Promise<SendResult> {
    if (!this.#ready || this.#queue.length > 0) {
      if (mode === 'online' && this.#session.state.status !== 'online') throw new BalconyError('not-connected');
      this.#queue.push(stanza);
      return { queued: true };
    }
    const sent = this.#chain.then(() => this.#send(stanza));
    this.#chain = sent.catch(() => undefined);
    try {
      await sent;
      return { queued: false };
    } catch (error) {
      if (mode === 'online' || this.#session.state.status === 'online') throw error;
      this.#queue.push(stanza); // the connection just dropped: next sign-in
      return { queued: true };
    }
  }

  /** Resolves once this connection is started (or it is not online) and every send is done. */
  async flushed(): Promise<void> {
    if (this.#session.state.status === 'online' && !this.#ready) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.off('ready', done);
          this.#session.off('state', onState);
          resolve();
        };
        const onState = (state: { status: string }): void => {
          if (state.status !== 'online') done();
        };
        this.on('ready', done);
        this.#session.on('state', onState);
      });
    }
    await this.#chain;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      await this.#send(this.#queue[0]!); // on failure it stays first in line
      this.#queue.shift();
    }
  }

  async #send(stanza: Element): Promise<void> {
    await this.#session.send(stanza);
    // a broadcast (no type, no addressee) is our presence as contacts now see it
    if (stanza.attrs.type === undefined && stanza.attrs.to === undefined) this.#lastBroadcast = stanza.toString();
  }
}
