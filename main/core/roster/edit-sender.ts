/**
 * Sends the outbox to the server, oldest edit first, one at a time, and only
 * after the retrieval that follows sign-in (the conflict rule compares with
 * the server's current roster). An edit leaves the outbox when the server
 * confirms it; a connection problem leaves it waiting for the next sign-in;
 * a refusal marks it failed (or, when a caller is waiting for it, drops it
 * and hands the error to that caller).
 */
import type { Element } from '@xmpp/xml';
import { BalconyError, toErrorInfo } from '../errors.js';
import type { OutboxEntry, OutboxStore } from '../store/outbox-store.js';
import type { RosterStore } from '../store/roster-store.js';
import type { XmppSession } from '../xmpp/session.js';
import { planEdit } from './merge-edit.js';
import { rosterRemoveQuery, rosterSetQuery } from './roster-stanzas.js';

/** How long a confirmed set waits for the server's push before moving on. */
const PUSH_WAIT_MS = 5_000;
/** Errors that mean "not now", not "no": the edit stays waiting. */
const TRANSIENT = new Set(['not-connected', 'timeout', 'connection-lost', 'host-unreachable', 'stream-error', 'bad-format', 'stanza-too-large']);

export type EditOutcome = { queued: false } | { queued: true };

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
  #pushWaiters = new Map<string, Array<() => void>>();
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
    else this.run();
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

  /** The server pushed a change for `jid`. */
  pushed(jid: string): void {
    const waiters = this.#pushWaiters.get(jid);
    if (!waiters) return;
    this.#pushWaiters.delete(jid);
    for (const w of waiters) w();
  }

  async #loop(): Promise<void> {
    while (this.#canSend()) {
      const entry = this.outbox.list(this.account).find((e) => e.state === 'waiting');
      if (!entry) return;
      this.#inFlight = entry.id;
      try {
        await this.#send(entry);
        this.outbox.delete(entry.id);
        this.hooks.changed(entry.jid);
        this.#settle(entry.id, { queued: false });
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

  async #send(entry: OutboxEntry): Promise<void> {
    const plan = planEdit(entry, this.store.getItem(this.account, entry.jid));
    if (plan.action === 'done') {
      if (plan.conflicts.length) this.hooks.conflict(entry.jid, plan.conflicts);
      return;
    }
    if (plan.action === 'send-remove') {
      try {
        await this.#setAndAwaitPush(entry.jid, rosterRemoveQuery(entry.jid));
      } catch (error) {
        // removed meanwhile by someone else: the goal is reached
        if ((error as BalconyError).code !== 'item-not-found') throw error;
      }
      return;
    }
    await this.#setAndAwaitPush(entry.jid, rosterSetQuery(plan));
    if (plan.conflicts.length) this.hooks.conflict(entry.jid, plan.conflicts);
  }

  #settle(id: number, outcome: EditOutcome): void {
    const waiter = this.#waiters.get(id);
    if (!waiter) return;
    this.#waiters.delete(id);
    waiter.resolve(outcome);
  }

  async #setAndAwaitPush(jid: string, query: Element): Promise<void> {
    const pushed = this.#waitForPush(jid);
    try {
      await this.session.iq('set', query);
    } catch (error) {
      pushed.cancel();
      throw error;
    }
    // the result says the server accepted; the push is what updates the cache
    if (!(await pushed.promise)) this.hooks.log(`outbox: no push for ${jid} within ${PUSH_WAIT_MS} ms`);
  }

  #waitForPush(jid: string): { promise: Promise<boolean>; cancel(): void } {
    let settle!: (arrived: boolean) => void;
    const promise = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const arrived = (): void => {
      clearTimeout(timer);
      settle(true);
    };
    const cancel = (): void => {
      clearTimeout(timer);
      const list = (this.#pushWaiters.get(jid) ?? []).filter((w) => w !== arrived);
      if (list.length) this.#pushWaiters.set(jid, list);
      else this.#pushWaiters.delete(jid);
      settle(false);
    };
    const timer = setTimeout(cancel, PUSH_WAIT_MS);
    this.#pushWaiters.set(jid, [...(this.#pushWaiters.get(jid) ?? []), arrived]);
    return { promise, cancel };
  }
}
