/**
 * What presence sends on a connection, in order: the stored subscription
 * steps (answers, requests, withdrawals), then our own presence: the initial
 * one on a new session, afterwards whenever it changed. Nothing goes out
 * before the sign-in retrieval (start()); steps go out BEFORE initial
 * presence, so that the server, which re-sends pending requests when it gets
 * initial presence, already has our answers.
 *
 * One pump per connection does all the sending. It works from what is wanted
 * (the stored steps, the latest own presence) rather than from a list of
 * calls, and runs again when anything changed while it was sending, so the
 * last own presence the user chose is what the server ends up with whatever
 * the interleaving: a change made while initial presence is on the wire is
 * sent right after it, one made before sign-in rides on initial presence.
 *
 * A stream resumed with XEP-0198 keeps its server-side session: our presence
 * is still in effect, so there is no initial presence again; the waiting
 * steps go out, and our presence only if it changed meanwhile.
 */
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { BalconyError, toErrorInfo } from '../errors.js';
import { parseJid } from '../jid.js';
import type { PresenceOutboxStore, PresenceStep, StepType } from '../store/presence-outbox-store.js';
import type { XmppSession } from '../xmpp/session.js';
import { subscriptionStanza } from './presence-stanzas.js';
import type { StepDecision } from './step-plan.js';

export interface SendResult {
  /** True when it waits for a later moment (the next sign-in, an earlier roster edit). */
  queued: boolean;
}

interface SenderEvents {
  /** Initial presence went out on a new session: the server now re-sends pending requests. */
  initial: [];
  /** The pump of this connection has nothing left it can send now. */
  ready: [];
}

export interface SenderOptions {
  /** False: never available (no initial presence); subscription steps still go out. */
  announce: boolean;
  outbox: PresenceOutboxStore;
  /** Called once per pass: what each stored step needs now (step-plan.ts). */
  planner: () => (step: PresenceStep) => StepDecision;
  log: (message: string) => void;
  now: () => number;
}

/** Codes that say the request never got an answer; anything else is the server's answer. */
const NO_ANSWER = new Set([
  'not-connected',
  'timeout',
  'connection-lost',
  'host-unreachable',
  'stream-error',
  'bad-format',
  'stanza-too-large',
]);

/** Whether `error` (from an iq) is an answer of the server rather than a transport failure. */
export function serverAnswered(error: unknown): boolean {
  return !NO_ANSWER.has(toErrorInfo(error).code);
}

export class PresenceSender extends EventEmitter<SenderEvents> {
  readonly #session: XmppSession;
  readonly #account: string;
  readonly #ownStanza: () => Element;
  readonly #options: SenderOptions;
  /** Counts connections, so that one connection is started once and a late answer is not taken for the current one. */
  #connection = 0;
  #startedFor = -1;
  #ready = false;
  /** The pump running, and for which connection. */
  #pump: { connection: number; done: Promise<void> } | null = null;
  /** Something changed while the pump was sending: it makes one more pass. */
  #again = false;
  /** The server-side session has our initial presence (kept across a resumption). */
  #sessionHasPresence = false;
  /** Our broadcast as the server-side session has it, to tell whether it changed. */
  #ownInEffect: string | null = null;
  /** Bumped by each change of our presence; #ownSentGen is the one in effect. */
  #ownGen = 0;
  #ownSentGen = 0;
  readonly #stepWaiters = new Map<number, (result: SendResult) => void>();
  #ownWaiters: { gen: number; resolve: (result: SendResult) => void }[] = [];

  constructor(session: XmppSession, ownStanza: () => Element, options: SenderOptions) {
    super();
    this.#session = session;
    this.#account = session.account;
    this.#ownStanza = ownStanza;
    this.#options = options;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** A connection came up; `resumed` keeps the server-side session (and our presence in it). */
  connected(resumed: boolean): void {
    this.#connection += 1;
    this.#ready = false;
    if (!resumed) {
      this.#sessionHasPresence = false;
      this.#ownInEffect = null;
    }
  }

  disconnected(): void {
    this.#ready = false;
  }

  /** The sign-in retrieval is done (or failed, or resumed): this connection may send. Once per connection. */
  start(): void {
    if (this.#startedFor === this.#connection || !this.#online()) return;
    this.#startedFor = this.#connection;
    this.#kick();
  }

  /** Something the plan depends on changed (a roster edit went out): look at the waiting steps again. */
  recheck(): void {
    if (this.#startedHere()) this.#kick();
  }

  /** Our presence changed: broadcast it as soon as this connection may, or let the next initial presence carry it. */
  ownChanged(): Promise<SendResult> {
    this.#ownGen += 1;
    if (!this.#options.announce || !this.#startedHere()) return Promise.resolve({ queued: true });
    const gen = this.#ownGen;
    return new Promise((resolve) => {
      this.#ownWaiters.push({ gen, resolve });
      this.#kick();
    });
  }

  /**
   * Stores subscription steps (in one transaction) and sends them when they
   * may go: now, or after the next sign-in's retrieval. Resolves with the
   * first step's outcome once all are settled. 'online' refuses when not
   * connected (steps that need the server's current state).
   */
  async steps(steps: readonly { type: StepType; jid: string }[], mode: 'queue' | 'online'): Promise<SendResult> {
    if (mode === 'online' && !this.#online()) throw new BalconyError('not-connected');
    const stored = this.#options.outbox.enqueue(this.#account, steps, this.#options.now());
    if (!this.#startedHere()) return { queued: true };
    const outcomes = stored.map(
      (step) => new Promise<SendResult>((resolve) => this.#stepWaiters.set(step.id, resolve)),
    );
    this.#kick();
    const [first] = await Promise.all(outcomes);
    return first ?? { queued: false };
  }

  /** Whether a step of `types` to `jid` is stored and not yet confirmed. */
  waiting(jid: string, types: readonly StepType[]): boolean {
    return this.#options.outbox.list(this.#account).some((step) => step.jid === jid && types.includes(step.type));
  }

  /** Resolves once this connection is started (or it is not online) and the pump has nothing left to do. */
  async flushed(): Promise<void> {
    for (;;) {
      if (this.#online() && !this.#ready) {
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
      const pump = this.#pump;
      if (!pump) return;
      await pump.done;
    }
  }

  #online(): boolean {
    return this.#session.state.status === 'online';
  }

  #startedHere(): boolean {
    return this.#startedFor === this.#connection && this.#online();
  }

  #kick(): void {
    if (!this.#startedHere()) return;
    if (this.#pump?.connection === this.#connection) {
      this.#again = true;
      return;
    }
    // A pump of an earlier connection may still be waiting on it; it can no longer change anything.
    const connection = this.#connection;
    this.#again = false;
    const pump = { connection, done: Promise.resolve() };
    this.#pump = pump; // before #run starts: what it does synchronously may already kick
    pump.done = this.#run(connection);
  }

  /** Read through a call: #again is set by kicks during the awaits above, which narrowing does not see. */
  #askedAgain(): boolean {
    return this.#again;
  }

  async #run(connection: number): Promise<void> {
    try {
      for (;;) {
        this.#again = false;
        await this.#sendSteps(connection);
        if (this.#options.announce) await this.#sendOwn(connection);
        if (!this.#askedAgain() || connection !== this.#connection || !this.#online()) break;
      }
    } catch (error) {
      this.#log(`presence: sending stopped: ${toErrorInfo(error).message}`);
    }
    // No await since the last check of #again: a change cannot slip in unseen.
    if (this.#pump?.connection !== connection) return; // a newer connection's pump took over
    this.#pump = null;
    this.#settleWaiters();
    if (connection === this.#connection && this.#online()) {
      this.#ready = true;
      this.emit('ready');
    }
  }

  /** Sends every step that may go now, in order, and drops those confirmed by a ping. */
  async #sendSteps(connection: number): Promise<void> {
    const outbox = this.#options.outbox;
    const batch: PresenceStep[] = [];
    const stored = outbox.list(this.#account);
    if (stored.length === 0) return;
    const plan = this.#options.planner();
    const blocked = new Set<string>(); // contacts with a step that waits: their later steps wait too
    for (const step of stored) {
      const decision = blocked.has(step.jid) ? 'wait' : plan(step);
      if (decision === 'wait') {
        blocked.add(step.jid);
      } else if (decision === 'send') {
        batch.push(step);
      } else {
        if (decision === 'drop')
          this.#log(`presence: ${step.type} to ${step.jid} dropped: a later roster removal supersedes it`);
        outbox.delete([step.id]);
        this.#settleStep(step.id, { queued: false });
      }
    }
    if (batch.length === 0) return;
    const ids = batch.map((step) => step.id);
    outbox.markSent(ids, this.#options.now()); // before writing: a kill after this leaves "maybe sent"
    for (const step of batch) {
      this.#assertCurrent(connection);
      await this.#session.send(subscriptionStanza(step.type, step.jid));
    }
    try {
      this.#assertCurrent(connection);
      await this.#session.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }), parseJid(this.#account).domain);
    } catch (error) {
      // An error answer (no ping support) comes after the steps too; no answer proves nothing.
      if (!serverAnswered(error) || connection !== this.#connection) throw error;
    }
    outbox.delete(ids);
    for (const id of ids) this.#settleStep(id, { queued: false });
  }

  async #sendOwn(connection: number): Promise<void> {
    const gen = this.#ownGen;
    const stanza = this.#ownStanza();
    const text = stanza.toString();
    const initial = !this.#sessionHasPresence;
    if (!initial && text === this.#ownInEffect) {
      this.#ownSentGen = gen;
      return;
    }
    this.#assertCurrent(connection);
    await this.#session.send(stanza);
    // Written on a connection that has since gone: the next pump decides again.
    if (connection !== this.#connection) return;
    this.#ownInEffect = text;
    this.#ownSentGen = gen;
    this.#sessionHasPresence = true;
    if (initial) this.emit('initial');
  }

  /** A pump of an earlier connection must not write on a newer one (before its retrieval). */
  #assertCurrent(connection: number): void {
    if (connection !== this.#connection || !this.#online()) throw new BalconyError('not-connected');
  }

  #settleStep(id: number, result: SendResult): void {
    const resolve = this.#stepWaiters.get(id);
    if (!resolve) return;
    this.#stepWaiters.delete(id);
    resolve(result);
  }

  /** The pump stopped: whatever is not out yet waits for a later pass. */
  #settleWaiters(): void {
    for (const id of [...this.#stepWaiters.keys()]) this.#settleStep(id, { queued: true });
    const own = this.#ownWaiters;
    this.#ownWaiters = [];
    for (const { gen, resolve } of own) resolve({ queued: this.#ownSentGen < gen });
  }

  #log(message: string): void {
    this.#options.log(message);
  }
}
