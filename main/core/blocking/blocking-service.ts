/**
 * Blocking (XEP-0191) for one account: finds out after each sign-in whether
 * the server offers it (disco#info `urn:xmpp:blocking`), fetches the
 * blocklist, follows the server's pushes, and sends the user's blocks and
 * unblocks.
 *
 * Like roster edits, every block and unblock is stored first (the blocking
 * outbox, blocking-store.ts) and shown at once as waiting; it goes out after
 * the sign-in's fetch of the list (XEP-0191 3.2: retrieve before changing
 * it), oldest first, one iq per action. The server's `result` moves it into
 * the cached list in one transaction; a refusal is shown with the server's
 * error and the list shows the server's state again. Where the server has no
 * blocking, nothing is sent at all and the actions are not offered.
 *
 * Pushes are accepted only from our own account (no 'from', or our bare
 * JID), like roster pushes: anything else is refused and counted.
 */
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { BlocklistSnapshot, BlockingOutcome } from '../../../preload/contract.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import { parseJid } from '../jid.js';
import { serverAnswered } from '../presence/presence-sender.js';
import type { AppSettingsStore } from '../store/app-settings-store.js';
import type { BlockingAction, BlockingStore, BlockOp } from '../store/blocking-store.js';
import type { XmppSession } from '../xmpp/session.js';
import { matchesBlocklist, validateBlockTarget } from './block-target.js';
import { blocklistView, effectivelyBlocked } from './blocklist-view.js';
import {
  NS_BLOCKING,
  blockItems,
  blockQuery,
  blocklistQuery,
  parseBlockPush,
  unblockQuery,
} from './blocking-stanzas.js';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
/** Addresses in one block or unblock: far above what a person picks, far below a stanza problem. */
export const MAX_BLOCK_JIDS = 500;

/** Where the server's support for blocking is remembered (app settings), per account. */
function supportKey(account: string): string {
  return `blocking-supported:${account}`;
}

/** The list as saved for `account`, without a session (the CLI's `blocked`, which never signs in). */
export function savedBlocklist(
  store: BlockingStore,
  settings: AppSettingsStore | undefined,
  account: string,
): BlocklistSnapshot {
  const supported = settings?.get<unknown>(supportKey(account)) === true;
  return blocklistView(supported, store.blocked(account), store.actions(account));
}

export interface BlockingServiceOptions {
  session: XmppSession;
  store: BlockingStore;
  /** Where the server's support is remembered, so an offline start knows whether to offer blocking. */
  settings?: AppSettingsStore;
  log?: (message: string) => void;
  now?: () => number;
}

interface BlockingEvents {
  /** The list as shown changed (a push, an action, a fetch, the server's support). */
  change: [BlocklistSnapshot];
  /** A push refused as spoofed; `from` is the raw attribute. */
  spoofed: [{ from: string }];
}

interface Waiter {
  resolve(outcome: BlockingOutcome): void;
  reject(error: unknown): void;
}

export class BlockingService extends EventEmitter<BlockingEvents> {
  readonly #session: XmppSession;
  readonly #store: BlockingStore;
  readonly #settings: AppSettingsStore | undefined;
  readonly #account: string;
  readonly #domain: string;
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  #supported: boolean;
  /** A sign-in has found out (now or earlier) whether the server offers blocking. */
  #supportKnown: boolean;
  /** This connection has fetched the list: actions may go out. */
  #ready = false;
  /** The server-side session has had our fetch (kept across a XEP-0198 resumption). */
  #sessionFetched = false;
  #connection = 0;
  /** A sign-in's discovery and fetch are under way: an action made meanwhile waits for them. */
  #syncing = false;
  #sync: Promise<void> = Promise.resolve();
  /** The fetch in flight: pushes wait for it, so that they apply after the list they change. */
  #fetching: Promise<void> | null = null;
  #running: Promise<void> | null = null;
  #rerun = false;
  readonly #waiters = new Map<number, Waiter>();
  #blocked: Set<string>;
  spoofedPushes = 0;

  constructor(options: BlockingServiceOptions) {
    super();
    this.#session = options.session;
    this.#store = options.store;
    this.#settings = options.settings;
    this.#account = options.session.account;
    this.#domain = parseJid(this.#account).domain;
    this.#log = options.log ?? ((): void => undefined);
    this.#now = options.now ?? Date.now;
    const saved = this.#settings?.get<unknown>(supportKey(this.#account));
    this.#supported = saved === true;
    this.#supportKnown = typeof saved === 'boolean';
    this.#blocked = effectivelyBlocked(this.snapshot());
    for (const name of ['block', 'unblock'])
      this.#session.onIqSet(NS_BLOCKING, name, (stanza, payload) => this.#onPush(stanza, payload));
    this.#session.on('state', (state) => {
      if (state.status !== 'online') this.#ready = false;
    });
    this.#session.on('online', ({ resumed }) => {
      const connection = ++this.#connection;
      if (!resumed) this.#sessionFetched = false;
      this.#sync = this.#signedIn(connection).catch((error: unknown) => {
        this.#log(`blocking: sign-in sync stopped: ${toErrorInfo(error).message}`);
      });
    });
  }

  /** Whether the server offers blocking, as last found at a sign-in (false before any). */
  get supported(): boolean {
    return this.#supported;
  }

  /** The list as shown, with waiting actions and refusals. Works offline. */
  snapshot(): BlocklistSnapshot {
    return blocklistView(this.#supported, this.#store.blocked(this.#account), this.#store.actions(this.#account));
  }

  /**
   * Whether stanzas from `jid` (bare, full or a server) are blocked now, by
   * XEP-0016's matching (a blocked server covers its users): what the
   * requests, and later the conversations, use to hide them.
   */
  isBlocked(jid: string): boolean {
    return matchesBlocklist(jid, this.#blocked);
  }

  /** Resolves once the latest sign-in's discovery, fetch and sending are done (never rejects). */
  async settled(): Promise<void> {
    await this.#sync;
    await this.#running;
  }

  block(jids: readonly string[]): Promise<BlockingOutcome> {
    return this.#act('block', jids);
  }

  /** Unblocks the given addresses; an empty list is refused (on the wire it would mean everyone). */
  unblock(jids: readonly string[]): Promise<BlockingOutcome> {
    return this.#act('unblock', jids);
  }

  /** Drops a refused action from view. */
  dismissFailure(id: number): void {
    const action = this.#store.action(id);
    if (action?.account !== this.#account || action.state !== 'failed')
      throw new BalconyError('invalid-argument', 'There is no such refused block or unblock.');
    this.#store.drop(id);
    this.#changed();
  }

  async #act(op: BlockOp, input: readonly string[]): Promise<BlockingOutcome> {
    const jids = [...new Set(input.map((jid) => validateBlockTarget(jid, this.#account)))];
    if (jids.length === 0) throw new BalconyError('invalid-argument', `Nothing to ${op}: give at least one address.`);
    if (jids.length > MAX_BLOCK_JIDS)
      throw new BalconyError('invalid-argument', `At most ${MAX_BLOCK_JIDS} addresses at a time.`);
    if (!this.#supported)
      throw new BalconyError(
        'service-unavailable',
        this.#supportKnown
          ? 'This server does not offer blocking.'
          : 'Balcony does not know yet whether this server offers blocking: sign in first.',
      );
    const action = this.#store.enqueue(this.#account, op, jids, this.#now());
    this.#changed();
    if (!this.#canSend() && !this.#syncing) return { queued: true };
    const outcome = new Promise<BlockingOutcome>((resolve, reject) =>
      this.#waiters.set(action.id, { resolve, reject }),
    );
    // Mid-sync, the run at its end sends it (or settles it as queued).
    if (!this.#syncing)
      this.#run().catch((error: unknown) => {
        this.#stopped(action.id, error);
      });
    return outcome;
  }

  async #signedIn(connection: number): Promise<void> {
    this.#syncing = true;
    try {
      await this.#syncConnection(connection);
    } finally {
      if (connection === this.#connection) {
        this.#syncing = false;
        // Actions made during a sync that could not send: they wait for the next sign-in.
        if (!this.#running) for (const id of [...this.#waiters.keys()]) this.#settle(id, { queued: true });
      }
    }
  }

  async #syncConnection(connection: number): Promise<void> {
    if (this.#sessionFetched) {
      // A resumed stream kept the server-side session: the list is current and pushes were replayed.
      this.#ready = this.#supported;
      await this.#run();
      return;
    }
    const supported = await this.#discover();
    if (supported === null || connection !== this.#connection) return;
    this.#setSupported(supported);
    if (!supported) {
      this.#refuseWaiting();
      return;
    }
    const fetching = this.#fetch();
    this.#fetching = fetching;
    try {
      await fetching;
    } finally {
      if (this.#fetching === fetching) this.#fetching = null;
    }
    if (connection !== this.#connection || this.#session.state.status !== 'online') return;
    this.#sessionFetched = true;
    this.#ready = true;
    await this.#run();
  }

  /** Whether the server offers blocking; null when it could not be asked (the last known answer stays). */
  async #discover(): Promise<boolean | null> {
    try {
      const result = await this.#session.iq('get', xml('query', { xmlns: NS_DISCO_INFO }), this.#domain);
      const query = result.getChild('query', NS_DISCO_INFO);
      return (query?.getChildren('feature') ?? []).some((f: Element) => f.attrs.var === NS_BLOCKING);
    } catch (error) {
      if (serverAnswered(error)) return false; // an error answer: no disco, so no blocking we could find
      this.#log(`blocking: could not ask the server what it offers (${toErrorInfo(error).code})`);
      return null;
    }
  }

  #setSupported(supported: boolean): void {
    this.#supportKnown = true;
    if (supported === this.#supported && this.#settings?.get<unknown>(supportKey(this.#account)) === supported) return;
    this.#supported = supported;
    this.#settings?.set(supportKey(this.#account), supported);
    this.#changed();
  }

  async #fetch(): Promise<void> {
    let result: Element;
    try {
      result = await this.#session.iq('get', blocklistQuery());
    } catch (error) {
      this.#log(`blocking: the blocklist could not be fetched (${toErrorInfo(error).code}); the saved one is kept`);
      throw error;
    }
    const list = result.getChild('blocklist', NS_BLOCKING);
    if (!list) {
      this.#log('blocking: the server answered the blocklist get without a list; the saved one is kept');
      return;
    }
    this.#store.replace(this.#account, blockItems(list, this.#log));
    this.#changed();
  }

  /** The server has no blocking: what waits would never go; each is shown refused, the list unchanged. */
  #refuseWaiting(): void {
    const waiting = this.#store.actions(this.#account).filter((a) => a.state === 'waiting');
    if (waiting.length === 0) return;
    const error = new BalconyError('service-unavailable', 'This server does not offer blocking, so it was not sent.');
    for (const action of waiting) this.#refused(action, error);
    this.#changed();
  }

  #canSend(): boolean {
    return this.#ready && this.#supported && this.#session.state.status === 'online';
  }

  #run(): Promise<void> {
    if (this.#running) {
      this.#rerun = true;
      return this.#running;
    }
    const running = this.#runOnce();
    this.#running = running;
    return running;
  }

  async #runOnce(): Promise<void> {
    try {
      await this.#loop();
    } finally {
      this.#running = null;
    }
    const rerun = this.#rerun;
    this.#rerun = false;
    if (rerun && this.#canSend()) return this.#run();
    // Whatever could not go now goes at the next sign-in.
    for (const id of [...this.#waiters.keys()]) this.#settle(id, { queued: true });
  }

  async #loop(): Promise<void> {
    while (this.#canSend()) {
      const action = this.#store.actions(this.#account).find((a) => a.state === 'waiting');
      if (!action) return;
      try {
        // An empty list (a damaged row) throws here, before anything is sent: never "unblock everyone".
        await this.#session.iq('set', action.op === 'block' ? blockQuery(action.jids) : unblockQuery(action.jids));
      } catch (error) {
        if (!serverAnswered(error)) {
          this.#log(`blocking: ${action.op} stays waiting (${toErrorInfo(error).code})`);
          return;
        }
        this.#refused(action, error);
        this.#changed();
        continue;
      }
      // The result says the server applied it; its push (to our other resources, maybe to us) changes nothing more.
      this.#store.confirm(action);
      this.#changed();
      this.#settle(action.id, { queued: false });
    }
  }

  /** A refusal: a caller waiting for this very action shows it; otherwise it is kept, marked, for the list. */
  #refused(action: BlockingAction, error: unknown): void {
    const info = toErrorInfo(error);
    this.#log(`blocking: ${action.op} of ${action.jids.length} address(es) refused (${info.code})`);
    const waiter = this.#waiters.get(action.id);
    if (waiter) {
      this.#waiters.delete(action.id);
      this.#store.drop(action.id);
      waiter.reject(error);
    } else {
      this.#store.markFailed(action.id, info);
    }
  }

  #settle(id: number, outcome: BlockingOutcome): void {
    const waiter = this.#waiters.get(id);
    if (!waiter) return;
    this.#waiters.delete(id);
    waiter.resolve(outcome);
  }

  /** A local failure (the profile's disk) reaches the caller, not the process. */
  #stopped(id: number, error: unknown): void {
    this.#log(`blocking: sending stopped: ${toErrorInfo(error).message}`);
    const waiter = this.#waiters.get(id);
    if (!waiter) return;
    this.#waiters.delete(id);
    waiter.reject(error);
  }

  async #onPush(stanza: Element, payload: Element): Promise<Element | true> {
    const from = stanza.attrs.from as string | undefined;
    if (from !== undefined && !this.#isOwnBareJid(from)) {
      this.spoofedPushes += 1;
      this.#log(
        `blocking: refused a push from ${JSON.stringify(from).slice(0, 200)} (not our account); nothing changed`,
      );
      this.emit('spoofed', { from });
      return stanzaError('cancel', 'service-unavailable');
    }
    const push = parseBlockPush(payload, this.#log);
    if (!push) return stanzaError('modify', 'bad-request');
    // A push that overtakes the list it changes must not be overwritten by it.
    if (this.#fetching) await this.#fetching.catch(() => undefined);
    if (push.kind === 'unblock-all') this.#store.apply(this.#account, 'unblock-all');
    else this.#store.apply(this.#account, push.kind, push.jids);
    this.#changed();
    return true;
  }

  #isOwnBareJid(raw: string): boolean {
    try {
      const parsed = parseJid(raw);
      return parsed.resource === null && `${parsed.local}@${parsed.domain}` === this.#account;
    } catch {
      return false;
    }
  }

  #changed(): void {
    const view = this.snapshot();
    this.#blocked = effectivelyBlocked(view);
    this.emit('change', view);
  }
}

function stanzaError(type: string, condition: string): Element {
  return xml('error', { type }, xml(condition, { xmlns: NS_STANZAS }));
}
