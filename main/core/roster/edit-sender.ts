/**
 * Sends the outbox to the server, oldest edit first, one at a time, and only
 * after the retrieval that follows sign-in (the conflict rule compares with
 * the server's current roster). An edit leaves the outbox when the server
 * confirms it; a connection problem leaves it waiting for the next sign-in;
 * a refusal marks it failed (or, when a caller is waiting for it, drops it
 * and hands the error to that caller).
 *
 * "Confirms" is the result and then the push (RFC 6121 2.3.2), matched by
 * push-match.ts whatever spelling the server gives the address. A server
 * that answers `result` and never pushes has still accepted the edit: the
 * cache then holds the item as sent, the caller is told it is unconfirmed,
 * and the cache's version is dropped: that notes the guess in the profile,
 * since the next sign-in then fetches the whole roster, which says otherwise
 * if the server stored something else.
 */
import type { Element } from '@xmpp/xml';
import type { RosterItem } from '../../../preload/contract.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../store/outbox-store.js';
import type { RosterStore } from '../store/roster-store.js';
import type { XmppSession } from '../xmpp/session.js';
import { planEdit } from './merge-edit.js';
import { matchPush, pushJid, type SentSet } from './push-match.js';
import { rosterRemoveQuery, rosterSetQuery, type PushChange } from './roster-stanzas.js';

/** How long a confirmed set waits for the server's push before moving on. */
const PUSH_WAIT_MS = 5_000;
/** Errors that mean "not now", not "no": the edit stays waiting. */
const TRANSIENT = new Set([
  'not-connected',
  'timeout',
  'connection-lost',
  'host-unreachable',
  'stream-error',
  'bad-format',
  'stanza-too-large',
]);

export type EditOutcome =
  | { queued: true }
  /**
   * `jid`: the address the server keeps the contact under (its push's
   * spelling; ours when it sent none). `confirmed`: false when the server
   * answered `result` but pushed nothing within PUSH_WAIT_MS.
   */
  | { queued: false; jid: string; confirmed: boolean };

/** What sending one entry ended in. */
interface Sent {
  jid: string;
  confirmed: boolean;
}

interface PushWaiter {
  sent: SentSet;
  arrived(jid: string): void;
}

export interface EditSenderHooks {
  /** An outbox entry changed state (sent, failed, dropped): redraw that contact. */
  changed(jid: string): void;
  /** The server's value was kept over an offline edit. */
  conflict(jid: string, fields: string[]): void;
  log(message: string): void;
}

interface Waiter {
  resolve(outcome: EditOutcome): void;
  reject(error: unknown): void;
}

export class EditSender {
  #running: Promise<void> | null = null;
  #rerun = false;
  #inFlight: number | null = null;
  #waiters = new Map<number, Waiter>();
  #pushWaiters: PushWaiter[] = [];
  /** Set once the sign-in retrieval has landed; cleared when the session leaves 'online'. */
  ready = false;

  constructor(
    private readonly account: string,
    private readonly session: XmppSession,
    private readonly store: RosterStore,
    private readonly outbox: OutboxStore,
    private readonly hooks: EditSenderHooks,
  ) {}

  get inFlight(): number | null {
    return this.#inFlight;
  }

  /** Waits for `entry` to be confirmed (queued: false), left waiting (queued: true), or refused (throws). */
  submit(entry: OutboxEntry): Promise<EditOutcome> {
    const outcome = new Promise<EditOutcome>((resolve, reject) => this.#waiters.set(entry.id, { resolve, reject }));
    if (!this.ready) this.#settle(entry.id, { queued: true });
    else this.run().catch((error: unknown) => this.#stopped(entry.id, error));
    return outcome;
  }

  /** Sends whatever is waiting; resolves when the outbox is empty or the connection is gone. */
  run(): Promise<void> {
    // Asked while a run is going (e.g. a new sign-in while the old run waits on a
    // dead connection): go once more when it ends.
    if (this.#running) this.#rerun = true;
    this.#running ??= this.#runOnce();
    return this.#running;
  }

  async #runOnce(): Promise<void> {
    try {
      await this.#loop();
    } finally {
      this.#running = null;
    }
    const rerun = this.#rerun;
    this.#rerun = false;
    if (rerun && this.#canSend()) return this.run();
    // Anything still waiting goes at the next sign-in.
    for (const id of [...this.#waiters.keys()]) this.#settle(id, { queued: true });
  }

  #canSend(): boolean {
    return this.ready && this.session.state.status === 'online';
  }

  /** The server pushed `change` (already applied to the cache). True when it answered an edit of ours. */
  pushed(change: PushChange): boolean {
    // the same address first: a fold-equal push answers only what nothing answers exactly
    const waiter =
      this.#pushWaiters.find((w) => matchPush(w.sent, change) === 'exact') ??
      this.#pushWaiters.find((w) => matchPush(w.sent, change) === 'folded');
    if (!waiter) return false;
    this.#pushWaiters = this.#pushWaiters.filter((w) => w !== waiter);
    waiter.arrived(pushJid(change));
    return true;
  }

  async #loop(): Promise<void> {
    while (this.#canSend()) {
      const entry = this.outbox.list(this.account).find((e) => e.state === 'waiting');
      if (!entry) return;
      this.#inFlight = entry.id;
      try {
        const sent = await this.#send(entry);
        this.outbox.delete(entry.id);
        this.hooks.changed(entry.jid);
        this.#settle(entry.id, { queued: false, ...sent });
      } catch (error) {
        const info = toErrorInfo(error);
        if (TRANSIENT.has(info.code)) {
          this.hooks.log(`outbox: ${entry.op} ${entry.jid} stays waiting (${info.code})`);
          return;
        }
        const waiter = this.#waiters.get(entry.id);
        if (waiter) {
          // someone is waiting for this very edit (a dialog, the CLI): they show the error
          this.outbox.delete(entry.id);
          this.#waiters.delete(entry.id);
          waiter.reject(error);
        } else {
          this.outbox.markFailed(entry.id, info);
        }
        this.hooks.changed(entry.jid);
      } finally {
        this.#inFlight = null;
      }
    }
  }

  async #send(entry: OutboxEntry): Promise<Sent> {
    const current = this.store.getItem(this.account, entry.jid);
    const plan = planEdit(entry, current);
    if (plan.action === 'done') {
      if (plan.conflicts.length) this.hooks.conflict(entry.jid, plan.conflicts);
      return { jid: entry.jid, confirmed: true };
    }
    if (plan.action === 'send-remove') {
      let pushedAs: string | null;
      try {
        pushedAs = await this.#setAndAwaitPush({ jid: entry.jid, remove: true }, rosterRemoveQuery(entry.jid));
      } catch (error) {
        if ((error as BalconyError).code !== 'item-not-found') throw error;
        // removed meanwhile by someone else: the goal is reached, and our cache was behind
        this.#holdAsSent({ kind: 'remove', jid: entry.jid }, 'the server does not have it');
        return { jid: entry.jid, confirmed: true };
      }
      if (pushedAs !== null) return { jid: pushedAs, confirmed: true };
      this.#holdAsSent({ kind: 'remove', jid: entry.jid }, `no push within ${PUSH_WAIT_MS} ms`);
      return { jid: entry.jid, confirmed: false };
    }
    const pushedAs = await this.#setAndAwaitPush({ jid: entry.jid, remove: false }, rosterSetQuery(plan));
    if (plan.conflicts.length) this.hooks.conflict(entry.jid, plan.conflicts);
    if (pushedAs !== null) return { jid: pushedAs, confirmed: true };
    const base: RosterItem = current ?? {
      jid: entry.jid,
      name: null,
      subscription: 'none',
      ask: null,
      approved: false,
      groups: [],
    };
    this.#holdAsSent(
      { kind: 'upsert', item: { ...base, name: plan.name, groups: [...plan.groups].sort() } },
      `no push within ${PUSH_WAIT_MS} ms`,
    );
    return { jid: entry.jid, confirmed: false };
  }

  /**
   * The server accepted a set (or said the item to remove is not there) and
   * pushed nothing: the cache follows the set as sent. Without a version,
   * the next sign-in asks for the whole roster rather than "what changed".
   */
  #holdAsSent(change: PushChange, why: string): void {
    this.store.applyPush(this.account, change, null);
    this.hooks.log(
      `outbox: ${change.kind} ${pushJid(change)} accepted (${why}); the cache holds it as sent until the next retrieval`,
    );
  }

  /**
   * A run rejects only on a local failure (e.g. the profile database): the
   * caller waiting for `id` hears of it, not the process (an unhandled rejection).
   */
  #stopped(id: number, error: unknown): void {
    this.hooks.log(`outbox: sending stopped: ${toErrorInfo(error).message}`);
    const waiter = this.#waiters.get(id);
    if (!waiter) return;
    this.#waiters.delete(id);
    waiter.reject(error);
  }

  #settle(id: number, outcome: EditOutcome): void {
    const waiter = this.#waiters.get(id);
    if (!waiter) return;
    this.#waiters.delete(id);
    waiter.resolve(outcome);
  }

  /** Sends the set; resolves with the address the server's push names, or null when none came. */
  async #setAndAwaitPush(sent: SentSet, query: Element): Promise<string | null> {
    const pushed = this.#waitForPush(sent);
    try {
      await this.session.iq('set', query);
    } catch (error) {
      pushed.cancel();
      throw error;
    }
    // the result says the server accepted; the push is what updates the cache
    return pushed.promise;
  }

  #waitForPush(sent: SentSet): { promise: Promise<string | null>; cancel(): void } {
    let settle!: (jid: string | null) => void;
    const promise = new Promise<string | null>((resolve) => {
      settle = resolve;
    });
    const waiter: PushWaiter = {
      sent,
      arrived: (jid) => {
        clearTimeout(timer);
        settle(jid);
      },
    };
    const cancel = (): void => {
      clearTimeout(timer);
      this.#pushWaiters = this.#pushWaiters.filter((w) => w !== waiter);
      settle(null);
    };
    const timer = setTimeout(cancel, PUSH_WAIT_MS);
    this.#pushWaiters.push(waiter);
    return { promise, cancel };
  }
}
