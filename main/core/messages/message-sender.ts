/**
 * Sends the message outbox, oldest first, exactly once across kills and
 * reconnects.
 *
 * Every message is in SQLite ('queued') before anything is sent. Sending
 * marks it 'sending' and writes its stanza; it becomes 'sent' on the
 * server's XEP-0198 ack of that very stanza, or, on a stream without stream
 * management, once written.
 *
 * After a drop:
 * - a resumed stream (XEP-0198) replays every stanza the server did not
 *   acknowledge by itself (xmpp.js's queue, carried by the session), so
 *   nothing written is written again here: only what is still 'queued', and
 *   what a broken write never put on the wire (xmpp.js queues a stanza only
 *   once its write succeeded), goes out;
 * - a new session (not resumed, or after a kill) cannot know what reached
 *   the server: every message still 'sending' is written again with the same
 *   id and origin-id (XEP-0359), and the receiver's dedupe drops a copy that
 *   did get through. The archive catch-up that runs first marks those the
 *   server did archive as 'sent', so they are not written again at all.
 *
 * Nothing goes out before start() for this stream (carbons enabled, catch-up
 * done): offline, messages wait in the outbox as 'queued'.
 */
import type { Element } from '@xmpp/xml';
import type { ChatMessage, ConnectionState, ErrorInfo } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors.js';

/** What the sender needs of the session (XmppSession has it). */
export interface SenderSession {
  readonly state: ConnectionState;
  readonly streamManagement: boolean;
  send(element: Element): Promise<void>;
}

/** What the sender needs of the message store (MessageStore has it). */
export interface SenderStore {
  outboxEntries(): ChatMessage[];
  markSending(id: string): unknown;
  markSent(id: string): unknown;
  markFailed(id: string, error: ErrorInfo): unknown;
  message(id: string): ChatMessage | null | undefined;
}

export interface SenderHooks {
  /** A message's state changed (tell the UI). */
  changed(id: string): void;
  log(message: string): void;
}

export class MessageSender {
  readonly #session: SenderSession;
  readonly #store: SenderStore;
  readonly #build: (message: ChatMessage) => Element;
  readonly #hooks: SenderHooks;
  /** start() was called for the current stream; cleared when it goes. */
  #ready = false;
  /** Messages still 'sending' from an earlier stream that must be written again on this new session. */
  #resend = new Set<string>();
  #running: Promise<void> | null = null;
  #rerun = false;

  constructor(
    session: SenderSession,
    store: SenderStore,
    build: (message: ChatMessage) => Element,
    hooks: SenderHooks,
  ) {
    this.#session = session;
    this.#store = store;
    this.#build = build;
    this.#hooks = hooks;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /**
   * A new session (not a resumption) began: what is still 'sending' from
   * before may not have reached the server, and is written again once
   * start() is called. Nothing goes out until then.
   */
  newSession(): void {
    this.#ready = false;
    this.#resend = new Set(this.#store.outboxEntries().flatMap((m) => (m.state === 'sending' ? [m.id] : [])));
  }

  /**
   * The stream may carry messages now (after newSession() and the sign-in
   * steps, or at once on a resumption, which replays by itself what the
   * server had not acknowledged).
   */
  start(): Promise<void> {
    this.#ready = true;
    return this.flush();
  }

  /** The stream is gone: nothing more is written until the next start(). */
  stop(): void {
    this.#ready = false;
  }

  /** Sends whatever can be sent now; resolves when the outbox has nothing more for this stream. */
  flush(): Promise<void> {
    if (this.#running) this.#rerun = true;
    this.#running ??= this.#runOnce();
    return this.#running;
  }

  /** The server acknowledged a stanza of ours (XEP-0198): a message of ours in it is 'sent'. */
  acked(stanza: Element): void {
    if (stanza.name !== 'message') return;
    const id = stanza.attrs.id as unknown;
    if (typeof id !== 'string') return;
    const message = this.#store.message(id);
    if (message?.direction !== 'out' || message.state !== 'sending') return;
    this.#resend.delete(id);
    this.#store.markSent(id);
    this.#hooks.changed(id);
  }

  /** The server (or the contact's) returned an error for our message `id`. */
  refused(id: string, error: ErrorInfo): void {
    this.#resend.delete(id);
    this.#store.markFailed(id, error);
    this.#hooks.changed(id);
  }

  async #runOnce(): Promise<void> {
    try {
      await this.#loop();
    } finally {
      this.#running = null;
    }
    const rerun = this.#rerun;
    this.#rerun = false;
    if (rerun && this.#canSend()) return this.flush();
  }

  #canSend(): boolean {
    return this.#ready && this.#session.state.status === 'online';
  }

  /** The oldest message this stream should write: 'queued', or 'sending' from before this new session. */
  #next(): ChatMessage | undefined {
    return this.#store
      .outboxEntries()
      .find((m) => m.state === 'queued' || (m.state === 'sending' && this.#resend.has(m.id)));
  }

  async #loop(): Promise<void> {
    for (let entry = this.#next(); entry && this.#canSend(); entry = this.#next()) {
      const { id } = entry;
      this.#resend.delete(id);
      if (entry.state !== 'sending') {
        this.#store.markSending(id);
        this.#hooks.changed(id);
      }
      let stanza: Element;
      try {
        stanza = this.#build(entry);
      } catch (error) {
        // cannot happen with a stored (validated) message; never let one block the rest
        this.refused(id, toErrorInfo(error));
        continue;
      }
      // Checked in the same tick as the write: xmpp.js counts the stanza (or not) as it passes.
      const counted = this.#session.streamManagement;
      try {
        await this.#session.send(stanza);
      } catch (error) {
        // The write failed, so xmpp.js never counted the stanza (its XEP-0198 queue
        // takes a stanza only once written): a resumption would not replay it. It
        // stays 'sending' and is written again on the next stream, resumed or new.
        this.#resend.add(id);
        this.#hooks.log(
          `messages: ${id} left 'sending' (${toErrorInfo(error).code}); it goes again after reconnecting`,
        );
        return;
      }
      if (!counted && this.#store.message(id)?.state === 'sending') {
        // no stream management: written is as sure as it gets
        this.#store.markSent(id);
        this.#hooks.changed(id);
      }
    }
  }
}
