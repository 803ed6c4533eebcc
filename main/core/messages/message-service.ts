/**
 * One-to-one chat (RFC 6121 5, type chat) of one account, free of Electron:
 * sending through the SQLite outbox (message-sender.ts), live messages,
 * carbons of our other devices (XEP-0280), receipts (XEP-0184), displayed
 * markers (XEP-0333), chat states (XEP-0085), and the archive (XEP-0313)
 * through ArchiveApi. The store (MessageStore) is the truth the UI reads:
 * every event here says what changed in it.
 *
 * On a new session (not a resumption): carbons on, then the archive
 * catch-up, then the outbox (message-sender.ts says why in that order). On a
 * resumed one the server replays what either side missed: only what still
 * waits is sent.
 *
 * Trust: a carbon only from our own bare JID (anything else is forged:
 * dropped and logged); a receipt or marker only from the contact the message
 * went to; an error reply only from that contact or its server; nothing at
 * all from a blocked address. Receipts and markers go only to contacts we
 * share presence with (XEP-0184 section 8: a receipt tells the sender we
 * are online), chat states only there too and never when turned off.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import {
  MESSAGE_LIMITS,
  type ChatMessage,
  type ConnectionState,
  type ChatStateName,
  type ConversationSummary,
  type HistoryPage,
  type HistoryRequest,
  type MessageGap,
  type MessageSearchHit,
  type MessageSearchRequest,
  type MessageSettings,
  type MessageState,
} from '../../../preload/contract.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import { normalizeBareJid, parseJid } from '../jid.js';
import type { AppSettingsStore } from '../store/app-settings-store.js';
import type { MessageStore } from '../store/message-store.js';
import type { XmppSession } from '../xmpp/session.js';
import type { ArchiveApi, CatchUpResult } from './archive-api.js';
import { ChatStateMemory, isChatState, maySendChatState } from './chat-states.js';
import { MessageSender } from './message-sender.js';
import { readMessageSettings, writeMessageSettings } from './message-settings.js';
import {
  NS_CARBONS,
  NS_MAM,
  buildChatMessage,
  buildChatState,
  buildDisplayed,
  buildReceipt,
  parseChatMessage,
  unwrapCarbon,
  type IncomingMessage,
} from './message-stanzas.js';

interface MessageServiceEvents {
  /** A message is new or changed (its state, its time once archived). */
  message: [ChatMessage];
  /** An "earlier messages may be missing" marker appeared in a conversation. */
  gap: [string, MessageGap];
  /** A conversation's summary changed (unread, last message). */
  conversation: [ConversationSummary];
  /** The contact's chat state. */
  'chat-state': [string, ChatStateName];
}

export interface MessageServiceOptions {
  session: XmppSession;
  store: MessageStore;
  settings: AppSettingsStore;
  /** Whether `jid` (bare) may see our presence (subscription from or both): receipts, markers and chat states go only there. */
  sharesPresence: (jid: string) => boolean;
  isBlocked: (jid: string) => boolean;
  archive?: ArchiveApi;
  log?: (message: string) => void;
  now?: () => number;
}

type Source = 'live' | 'carbon';

const NO_CATCH_UP: CatchUpResult = { fetched: 0, pages: 0, gaps: 0 };

/** Failures that say the stream went away, not that the server refused. */
const LOST_WITH_THE_CONNECTION: ReadonlySet<string> = new Set(['not-connected', 'connection-lost', 'timeout']);

export class MessageService extends EventEmitter<MessageServiceEvents> {
  readonly #session: XmppSession;
  readonly #store: MessageStore;
  readonly #settings: AppSettingsStore;
  readonly #sharesPresence: (jid: string) => boolean;
  readonly #isBlocked: (jid: string) => boolean;
  readonly #archive: ArchiveApi | undefined;
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  readonly #account: string;
  readonly #sender: MessageSender;
  /** Our chat state per contact, as last sent on this stream. */
  readonly #ourStates = new ChatStateMemory();
  /** Each contact's chat state, as last shown. */
  readonly #theirStates = new ChatStateMemory();
  /** The conversation on screen: the catch-up fetches its newest pages first. */
  #openConversation: string | null = null;
  /** Counts new sessions: a sign-in's steps stop when a newer one began. */
  #connection = 0;
  /** The sign-in steps (carbons, the archive catch-up) of this session ran to their end. */
  #signInDone = false;
  #signingIn = false;
  /** A resumption came while the sign-in steps were failing: run them once more. */
  #signInAgain = false;
  #detached = false;
  #detach: () => void = () => undefined;
  /** Carbons (XEP-0280) that did not come from our own account: dropped. */
  forgedCarbons = 0;
  /** Receipts, markers and error replies about a message of ours from someone it did not go to: ignored. */
  misdirected = 0;

  constructor(options: MessageServiceOptions) {
    super();
    this.#session = options.session;
    this.#store = options.store;
    this.#settings = options.settings;
    this.#sharesPresence = options.sharesPresence;
    this.#isBlocked = options.isBlocked;
    this.#archive = options.archive;
    this.#log = options.log ?? ((): void => undefined);
    this.#now = options.now ?? Date.now;
    this.#account = options.session.account;
    this.#sender = new MessageSender(this.#session, this.#store, (m) => buildChatMessage(m), {
      changed: (id) => this.#emitMessage(id),
      log: this.#log,
    });

    this.#session.onStanza('message', (stanza) => {
      if (!this.#detached) this.#onStanza(stanza);
    });
    const onAcked = (stanza: Element): void => {
      this.#guard('an ack', () => this.#sender.acked(stanza));
    };
    const onUnacked = (stanza: Element): void => {
      if (stanza.name === 'message' && typeof stanza.attrs.id === 'string')
        this.#log(`messages: the server never acknowledged ${JSON.stringify(stanza.attrs.id)}; sent again at sign-in`);
    };
    // The session's own emits call these: a failure here (the profile's disk, a
    // listener's bug) must never break its connection handling.
    const onState = (state: ConnectionState): void => {
      if (state.status === 'online') return;
      this.#sender.stop();
      this.#guard('going offline', () => {
        // offline we cannot know who is still typing: "typing…" must not stay up
        for (const jid of this.#theirStates.reset()) this.emit('chat-state', jid, 'active');
      });
    };
    const onOnline = ({ resumed }: { resumed: boolean }): void => {
      this.#guard('coming online', () => this.#cameOnline(resumed));
    };
    this.#session.on('acked', onAcked);
    this.#session.on('unacked', onUnacked);
    this.#session.on('state', onState);
    this.#session.on('online', onOnline);
    this.#detach = () => {
      this.#session.off('acked', onAcked);
      this.#session.off('unacked', onUnacked);
      this.#session.off('state', onState);
      this.#session.off('online', onOnline);
    };
  }

  /** Stops following the session for good (tests put a service of their own on a core's session). */
  detach(): void {
    this.#detached = true;
    this.#sender.stop();
    this.#detach();
  }

  /** Queues a message (in the store at once, 'queued') and sends it when it can. */
  send(to: string, body: string): ChatMessage {
    const jid = this.#validJid(to);
    if (typeof body !== 'string' || body.trim().length === 0) throw new BalconyError('message-empty');
    if (body.length > MESSAGE_LIMITS.bodyChars) {
      throw new BalconyError(
        'message-too-long',
        `That message is ${body.length.toLocaleString('en')} characters; at most ${MESSAGE_LIMITS.bodyChars.toLocaleString('en')} can be sent. Split it into shorter messages.`,
      );
    }
    const message = this.#store.queueOutgoing({ to: jid, body, ownBare: this.#account, now: this.#now() });
    // our message carries <active/>: the contact no longer sees us typing
    this.#ourStates.change(jid, 'active');
    this.emit('message', message);
    this.#emitSummary(jid);
    this.#flush();
    // online, the flush has already made it 'sending' (and said so): the answer must not say less
    return this.#store.message(message.id) ?? message;
  }

  /** Sends a failed message again, with the same id. */
  retry(id: string): ChatMessage {
    const current = typeof id === 'string' ? this.#store.message(id) : undefined;
    if (current?.direction !== 'out' || current.state !== 'failed') {
      throw new BalconyError('invalid-argument', 'Only a message of ours that failed can be sent again.');
    }
    const message = this.#store.retry(id);
    this.emit('message', message);
    this.#emitSummary(message.conversation);
    this.#flush();
    return this.#store.message(id) ?? message;
  }

  /** A page of a conversation, oldest first: the cache, then the archive when the cache has nothing older. */
  async history(request: HistoryRequest): Promise<HistoryPage> {
    const jid = this.#validJid(request.jid);
    const limit = request.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MESSAGE_LIMITS.pageSize) {
      throw new BalconyError('invalid-argument', `A page holds 1 to ${MESSAGE_LIMITS.pageSize} messages.`);
    }
    const before = request.before ?? null;
    let page = this.#store.history(jid, { before, limit });
    const archive = this.#archive;
    if (
      archive &&
      page.reachedOldestStored &&
      page.entries.length < limit &&
      !this.#store.archiveAtStart(jid) &&
      this.#session.state.status === 'online'
    ) {
      try {
        await archive.pageBack(jid, limit - page.entries.length);
        page = this.#store.history(jid, { before, limit });
      } catch (error) {
        // the cache is still worth showing; scrolling up again asks again
        this.#log(`messages: paging back in ${jid} failed: ${toErrorInfo(error).message}`);
        return { jid, entries: page.entries, atStart: false };
      }
    }
    const atStart = page.reachedOldestStored && (archive === undefined || this.#store.archiveAtStart(jid));
    return { jid, entries: page.entries, atStart };
  }

  conversations(): ConversationSummary[] {
    return this.#store.conversations();
  }

  /** The user saw the conversation up to `upTo`: unread drops, and the contact gets a displayed marker where it asked. */
  markRead(jid: string, upTo: string): void {
    const contact = this.#validJid(jid);
    if (typeof upTo !== 'string' || upTo.length === 0)
      throw new BalconyError('invalid-argument', 'Which message was read?');
    const changed = this.#store.markRead(contact, upTo);
    if (changed) this.#emitSummary(contact);
    if (!changed || !this.#sharesPresence(contact) || this.#isBlocked(contact)) return;
    const marker = this.#store.markerTarget(contact, upTo);
    if (!marker) return;
    this.#sendQuietly(
      buildDisplayed({ to: marker.to, id: marker.id, messageId: randomUUID() }),
      `the displayed marker to ${contact}`,
    );
  }

  /** Our chat state in a conversation; sent only where allowed, and only when it changed. */
  async setChatState(jid: string, state: ChatStateName): Promise<void> {
    const contact = this.#validJid(jid);
    if (!isChatState(state)) throw new BalconyError('invalid-argument', 'That is not a chat state.');
    const allowed = maySendChatState({
      online: this.#session.state.status === 'online',
      sendChatStates: this.settings().sendChatStates,
      sharesPresence: this.#sharesPresence(contact),
      blocked: this.#isBlocked(contact),
    });
    if (!allowed || !this.#ourStates.change(contact, state)) return;
    try {
      await this.#session.send(buildChatState({ to: contact, state }));
    } catch (error) {
      // a chat state is of the moment: never queued, never an error shown
      this.#log(`messages: chat state to ${contact} not sent (${toErrorInfo(error).code})`);
    }
  }

  search(request: MessageSearchRequest): MessageSearchHit[] {
    const query = request.query;
    if (typeof query !== 'string' || query.trim().length === 0 || query.length > MESSAGE_LIMITS.queryChars) {
      throw new BalconyError('invalid-argument', `Search for 1 to ${MESSAGE_LIMITS.queryChars} characters.`);
    }
    const limit = request.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MESSAGE_LIMITS.pageSize) {
      throw new BalconyError('invalid-argument', `A search returns 1 to ${MESSAGE_LIMITS.pageSize} messages.`);
    }
    const jid = request.jid === undefined || request.jid === null ? null : this.#validJid(request.jid);
    return this.#store.search({ query, jid, limit });
  }

  settings(): MessageSettings {
    return readMessageSettings(this.#settings);
  }

  setSettings(settings: MessageSettings): MessageSettings {
    return writeMessageSettings(this.#settings, settings);
  }

  /** Fetches what the archive holds since our cursor (the CLI's sync); nothing where there is no archive. */
  async catchUp(): Promise<CatchUpResult> {
    return this.#archive ? this.#archive.catchUp({ openConversation: this.#openConversation }) : NO_CATCH_UP;
  }

  /** The conversation now on screen (null: none), so the next catch-up fetches it first. */
  setOpenConversation(jid: string | null): void {
    this.#openConversation = jid === null ? null : this.#validJid(jid);
  }

  /**
   * Resolves with the message's state once it left 'queued'/'sending'
   * ('sent', 'delivered', 'read', 'failed'), or with its state then after
   * `timeoutMs` (the CLI's `send`: still 'queued' offline).
   */
  whenSent(id: string, timeoutMs: number): Promise<MessageState> {
    const current = this.#store.message(id);
    if (current?.direction !== 'out') throw new BalconyError('invalid-argument', 'There is no such message of ours.');
    if (!pending(current.state)) return Promise.resolve(current.state);
    return new Promise((resolve) => {
      const done = (state: MessageState): void => {
        clearTimeout(timer);
        this.off('message', listener);
        resolve(state);
      };
      const listener = (message: ChatMessage): void => {
        if (message.id === id && !pending(message.state)) done(message.state);
      };
      const timer = setTimeout(() => done(this.#store.message(id)?.state ?? current.state), timeoutMs);
      this.on('message', listener);
    });
  }

  // ---- the connection ----

  #cameOnline(resumed: boolean): void {
    if (resumed) {
      // the server replays what it had not acknowledged (both ways): only what waits goes
      this.#run(this.#sender.start(), 'sending after resumption');
      // A drop in the middle of the sign-in steps (the catch-up's queries fail with it) is not
      // repaired by the resumption: the archive pages not fetched yet would be a gap. Again.
      if (!this.#signInDone) {
        if (this.#signingIn) this.#signInAgain = true;
        else this.#run(this.#signIn(this.#connection), 'the sign-in steps after resumption');
      }
      return;
    }
    this.#connection += 1;
    const connection = this.#connection;
    this.#ourStates.clear();
    this.#sender.newSession();
    this.#run(this.#signIn(connection), 'the sign-in steps');
  }

  async #signIn(connection: number): Promise<void> {
    this.#signingIn = true;
    this.#signInDone = false;
    let done = true;
    try {
      try {
        await this.#session.iq('set', xml('enable', { xmlns: NS_CARBONS }));
      } catch (error) {
        // no carbons (an old server): our other devices' messages then come from the archive only
        const info = toErrorInfo(error);
        this.#log(`messages: carbons not enabled: ${info.message}`);
        if (LOST_WITH_THE_CONNECTION.has(info.code)) done = false;
      }
      if (connection !== this.#connection) return;
      if (this.#archive) {
        try {
          const result = await this.#archive.catchUp({ openConversation: this.#openConversation });
          this.#log(
            `messages: archive catch-up: ${result.fetched} fetched in ${result.pages} pages, ${result.gaps} gaps`,
          );
        } catch (error) {
          this.#log(`messages: archive catch-up failed: ${toErrorInfo(error).message}`);
          done = false;
        }
      }
    } finally {
      this.#signingIn = false;
    }
    if (connection !== this.#connection) return;
    this.#signInDone = done;
    if (!done && this.#signInAgain && this.#session.state.status === 'online') {
      // resumed while these steps were failing: once more, on the resumed stream
      this.#signInAgain = false;
      this.#run(this.#signIn(connection), 'the sign-in steps after resumption');
      return;
    }
    this.#signInAgain = false;
    await this.#sender.start();
  }

  #guard(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#log(`messages: ${what} failed: ${toErrorInfo(error).message}`);
    }
  }

  #flush(): void {
    if (this.#sender.ready) this.#run(this.#sender.flush(), 'sending');
  }

  /** Every promise handled: a local failure (the profile's disk) is logged, never an unhandled rejection in main. */
  #run(work: Promise<void>, what: string): void {
    work.catch((error: unknown) => this.#log(`messages: ${what} failed: ${toErrorInfo(error).message}`));
  }

  #sendQuietly(stanza: Element, what: string): void {
    if (this.#session.state.status !== 'online') return;
    this.#session.send(stanza).catch((error: unknown) => {
      this.#log(`messages: ${what} was not sent (${toErrorInfo(error).code})`);
    });
  }

  // ---- receiving ----

  #onStanza(stanza: Element): void {
    // the archive's results are ArchiveSync's (they answer its queries)
    if (stanza.getChild('result', NS_MAM)) return;
    const carbon = unwrapCarbon(stanza, this.#account);
    if (carbon?.spoofed) {
      this.forgedCarbons += 1;
      this.#log(`messages: dropped ${carbon.reason} (a carbon comes only from our own account)`);
      return;
    }
    if (carbon) {
      this.#receive(carbon.message, 'carbon');
      return;
    }
    if (hasCarbonWrapper(stanza)) return; // our account's, but unusable
    this.#receive(stanza, 'live');
  }

  #receive(stanza: Element, source: Source): void {
    const parsed = parseChatMessage(stanza, this.#account);
    if (!parsed) return;
    const ours = parsed.from === this.#account;
    const contact = ours ? parsed.to : parsed.from;
    if (this.#isBlocked(contact)) return;
    if (parsed.type === 'error') {
      this.#onError(parsed, stanza);
      return;
    }
    if (!ours) {
      if (parsed.receivedId !== null) this.#onReceipt(contact, parsed.receivedId, 'delivered');
      if (parsed.displayedId !== null) this.#onReceipt(contact, parsed.displayedId, 'read');
      this.#onChatState(contact, parsed);
    } else if (parsed.displayedId !== null) {
      this.#onOwnDisplayed(contact, parsed.displayedId);
    }
    if (parsed.body === null) return;
    const { message, isNew, changed } = this.#store.storeIncoming(
      { ...parsed, body: parsed.body, source },
      this.#now(),
    );
    if (isNew || changed) {
      this.emit('message', message);
      this.#emitSummary(message.conversation);
    }
    if (ours || source !== 'live' || parsed.id === null) return;
    // live only: the device the server gave the message to answers, not each one that saw a carbon
    if (parsed.receiptRequested && this.#sharesPresence(contact)) {
      this.#sendQuietly(
        buildReceipt({ to: replyTo(parsed), id: parsed.id, messageId: randomUUID() }),
        `the receipt to ${contact}`,
      );
    }
  }

  /**
   * A receipt or marker: only the contact our message went to can say it
   * arrived or was read. The store finds our message by its stanza id (or
   * origin-id: one sent from another of our devices too) in that
   * conversation only; one of ours to someone else is reported here.
   */
  #onReceipt(contact: string, id: string, state: 'delivered' | 'read'): void {
    const ours = this.#store.message(id);
    if (ours?.direction === 'out' && ours.conversation !== contact) {
      this.misdirected += 1;
      this.#log(`messages: ignored a ${state} mark from ${contact} for a message to ${ours.conversation}`);
      return;
    }
    const updated = this.#store.applyReceipt(contact, id, state);
    for (const message of updated) this.emit('message', message);
    if (updated.length > 0) this.#emitSummary(contact);
  }

  /**
   * Our other device showed the contact's messages up to `id` (its displayed
   * marker to them, carbon-copied to us: from our own bare JID, so it is
   * ours): read here too, no marker of our own sent after it.
   */
  #onOwnDisplayed(contact: string, id: string): void {
    if (this.#store.markReadByMarker(contact, id)) this.#emitSummary(contact);
  }

  #onChatState(contact: string, parsed: IncomingMessage): void {
    // a message with a body ends "typing…" even without a state of its own
    const state = parsed.chatState ?? (parsed.body !== null ? 'active' : null);
    if (state !== null && this.#theirStates.change(contact, state)) this.emit('chat-state', contact, state);
  }

  /** An error reply to one of our messages: from the contact it went to or their server, never anyone else. */
  #onError(parsed: IncomingMessage, stanza: Element): void {
    const id = parsed.id;
    if (id === null) return;
    const ours = this.#store.message(id);
    if (ours?.direction !== 'out') return;
    if (!errorMayComeFrom(stanza, ours.conversation)) {
      this.misdirected += 1;
      this.#log(`messages: ignored an error about a message to ${ours.conversation} from ${parsed.from}`);
      return;
    }
    this.#sender.refused(id, parsed.error ?? { code: 'server-error', message: 'The server returned an error.' });
  }

  // ---- events ----

  #emitMessage(id: string): void {
    const message = this.#store.message(id);
    if (!message) return;
    this.emit('message', message);
    this.#emitSummary(message.conversation);
  }

  #emitSummary(jid: string): void {
    const summary = this.#store.summary(jid);
    if (summary) this.emit('conversation', summary);
  }

  #validJid(input: unknown): string {
    if (typeof input !== 'string') throw new BalconyError('invalid-jid');
    try {
      return normalizeBareJid(input, { requireLocal: false });
    } catch (error) {
      throw error instanceof BalconyError ? error : new BalconyError('invalid-jid');
    }
  }
}

function pending(state: MessageState): boolean {
  return state === 'queued' || state === 'sending';
}

function hasCarbonWrapper(stanza: Element): boolean {
  return stanza.getChild('sent', NS_CARBONS) !== undefined || stanza.getChild('received', NS_CARBONS) !== undefined;
}

/** Where an answer to the contact's message goes: the resource that sent it, where known. */
function replyTo(parsed: IncomingMessage): string {
  return parsed.fromResource === null ? parsed.from : `${parsed.from}/${parsed.fromResource}`;
}

/**
 * An error about our message to `conversation` may come from that address
 * (any resource) or from its domain (its server bouncing it).
 */
function errorMayComeFrom(stanza: Element, conversation: string): boolean {
  const raw = stanza.attrs.from as unknown;
  if (typeof raw !== 'string') return false;
  try {
    const from = parseJid(raw);
    const contact = parseJid(conversation);
    if (from.domain !== contact.domain) return false;
    return from.local === null ? from.resource === null : from.local === contact.local;
  } catch {
    return false;
  }
}
