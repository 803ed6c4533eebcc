/**
 * The roster of one account (RFC 6121 section 2, as ../shared/PROTOCOL.md
 * describes it): retrieval after every sign-in (versioned where the server
 * offers it), pushes, add/update/remove. The SQLite cache is the truth the UI
 * reads; it only ever follows the server (a full result or a push), never a
 * guess of ours.
 */
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { RosterChange, RosterItem, RosterSnapshot } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import { parseJid } from '../jid.js';
import type { RosterStore } from '../store/roster-store.js';
import type { XmppSession } from '../xmpp/session.js';
import {
  NS_ROSTER, parseRosterPush, parseRosterResult, rosterGetQuery, rosterRemoveQuery, rosterSetQuery,
} from './roster-stanzas.js';
import { validateContact, validateContactJid, validateGroups, validateName, type ContactInput } from './validate-change.js';

const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
/** How long a change waits for the server's push after its result. */
const PUSH_WAIT_MS = 5_000;

export interface RetrievalResult {
  /** 'full': the cache was replaced; 'unchanged': the server said our version is current. */
  kind: 'full' | 'unchanged';
  version: string | null;
  count: number;
}

interface RosterServiceEvents {
  change: [RosterChange];
  retrieved: [RetrievalResult];
  /** A push refused as spoofed; `from` is the raw attribute. */
  spoofed: [{ from: string }];
  /** A sign-in retrieval failed (the caller that awaits retrieve() gets the error too). */
  retrievalFailed: [BalconyError];
}

export interface UpdateInput {
  jid: string;
  /** undefined keeps the current name; null or '' clears it. */
  name?: string | null;
  /** undefined keeps the current groups; a list replaces them. */
  groups?: readonly string[];
}

export class RosterService extends EventEmitter<RosterServiceEvents> {
  readonly #session: XmppSession;
  readonly #store: RosterStore;
  readonly #account: string;
  readonly #log: (message: string) => void;
  /** The retrieval in flight: pushes wait for it so they apply after the full result. */
  #retrieval: Promise<RetrievalResult> | null = null;
  #pushWaiters = new Map<string, Array<() => void>>();
  spoofedPushes = 0;

  constructor(options: { session: XmppSession; store: RosterStore; log?: (message: string) => void }) {
    super();
    this.#session = options.session;
    this.#store = options.store;
    this.#account = options.session.account;
    this.#log = options.log ?? (() => {});
    this.#session.onIqSet(NS_ROSTER, 'query', (stanza, query) => this.#onPush(stanza, query));
    this.#session.on('online', () => {
      this.retrieve().catch((error: unknown) => {
        this.#log(`roster: retrieval failed: ${(error as Error).message}`);
        this.emit('retrievalFailed', error instanceof BalconyError ? error : new BalconyError('internal', String(error)));
      });
    });
  }

  get account(): string {
    return this.#account;
  }

  /** The cached roster; works with no network. */
  snapshot(): RosterSnapshot {
    return this.#store.getSnapshot(this.#account);
  }

  /** Fetches the roster; the session calls it on every sign-in, tests and the CLI may await it. */
  retrieve(): Promise<RetrievalResult> {
    this.#retrieval ??= this.#fetchRoster().finally(() => {
      this.#retrieval = null;
    });
    return this.#retrieval;
  }

  /** Resolves with the retrieval in flight, if any (the one started at sign-in). */
  async settled(): Promise<void> {
    await this.#retrieval;
  }

  async #fetchRoster(): Promise<RetrievalResult> {
    const versioning = this.#session.features.rosterVersioning;
    // ver="" bootstraps versioning; without it ejabberd never sends a ver.
    const ver = versioning ? (this.#store.hasCache(this.#account) ? (this.#store.getVersion(this.#account) ?? '') : '') : undefined;
    const result = await this.#session.iq('get', rosterGetQuery(ver));
    const query = result.getChild('query', NS_ROSTER);
    if (!query) {
      // "Your cache is current": pushes, if any, follow.
      if (ver === undefined) this.#log('roster: the server sent an empty result to an unversioned get; the cache is kept');
      this.#store.markSynced(this.#account, Date.now());
      const outcome: RetrievalResult = { kind: 'unchanged', version: this.#store.getVersion(this.#account), count: this.#store.getSnapshot(this.#account).items.length };
      this.emit('retrieved', outcome);
      return outcome;
    }
    const parsed = parseRosterResult(query, this.#log);
    const version = versioning ? parsed.version : null;
    this.#store.replaceAll(this.#account, parsed.items, version);
    this.#store.markSynced(this.#account, Date.now());
    const outcome: RetrievalResult = { kind: 'full', version, count: parsed.items.length };
    this.emit('change', { kind: 'replace', snapshot: this.#store.getSnapshot(this.#account) });
    this.emit('retrieved', outcome);
    return outcome;
  }

  async #onPush(stanza: Element, query: Element): Promise<Element | true> {
    const from = stanza.attrs.from as string | undefined;
    if (from !== undefined && !this.#isOwnBareJid(from)) {
      this.spoofedPushes += 1;
      this.#log(`roster: refused a push from ${JSON.stringify(from).slice(0, 200)} (not our account); nothing changed`);
      this.emit('spoofed', { from });
      return stanzaErrorElement('cancel', 'service-unavailable');
    }
    const parsed = parseRosterPush(query, this.#log);
    if (!parsed.ok) {
      this.#log(`roster: refused a push: ${parsed.reason}`);
      return stanzaErrorElement('modify', 'bad-request');
    }
    // A push that overtakes the full result it follows must not be overwritten by it.
    if (this.#retrieval) await this.#retrieval.catch(() => undefined);
    const { change, version } = parsed;
    this.#store.applyPush(this.#account, change, version);
    const jid = change.kind === 'upsert' ? change.item.jid : change.jid;
    this.emit('change', change.kind === 'upsert'
      ? { kind: 'upsert', item: change.item, version }
      : { kind: 'remove', jid, version });
    this.#notifyPushWaiters(jid);
    return true; // the store has the item and its version: acknowledge
  }

  #isOwnBareJid(raw: string): boolean {
    try {
      const parsed = parseJid(raw);
      return parsed.resource === null && `${parsed.local}@${parsed.domain}` === this.#account;
    } catch {
      return false;
    }
  }

  /** Adds a contact (or overwrites its name and groups) and waits for the server's push. */
  async add(input: ContactInput): Promise<RosterItem | undefined> {
    const contact = validateContact(input, this.#account);
    await this.#setAndAwaitPush(contact.jid, rosterSetQuery(contact));
    return this.#store.getItem(this.#account, contact.jid);
  }

  /** Renames and/or regroups an existing contact. */
  async update(input: UpdateInput): Promise<RosterItem | undefined> {
    const jid = validateContactJid(input.jid, this.#account);
    const current = this.#store.getItem(this.#account, jid);
    if (!current) throw new BalconyError('item-not-found', `${jid} is not in your roster.`);
    const name = input.name === undefined ? current.name : validateName(input.name);
    const groups = input.groups === undefined ? current.groups : validateGroups(input.groups);
    await this.#setAndAwaitPush(jid, rosterSetQuery({ jid, name, groups }));
    return this.#store.getItem(this.#account, jid);
  }

  /** Removes a contact (the server also cancels subscriptions both ways). */
  async remove(jidInput: string): Promise<void> {
    const jid = validateContactJid(jidInput, this.#account);
    await this.#setAndAwaitPush(jid, rosterRemoveQuery(jid));
  }

  async #setAndAwaitPush(jid: string, query: Element): Promise<void> {
    const pushed = this.#waitForPush(jid, PUSH_WAIT_MS);
    try {
      await this.#session.iq('set', query);
    } catch (error) {
      pushed.cancel();
      throw error;
    }
    // The result says the server accepted; the push is what updates the cache.
    if (!(await pushed.promise)) this.#log(`roster: no push for ${jid} within ${PUSH_WAIT_MS} ms`);
  }

  #waitForPush(jid: string, timeoutMs: number): { promise: Promise<boolean>; cancel(): void } {
    let resolveFn!: (arrived: boolean) => void;
    const promise = new Promise<boolean>((resolve) => {
      resolveFn = resolve;
    });
    const waiter = (): void => {
      clearTimeout(timer);
      resolveFn(true);
    };
    const cancel = (): void => {
      clearTimeout(timer);
      const list = this.#pushWaiters.get(jid)?.filter((w) => w !== waiter) ?? [];
      if (list.length) this.#pushWaiters.set(jid, list);
      else this.#pushWaiters.delete(jid);
      resolveFn(false);
    };
    const timer = setTimeout(cancel, timeoutMs);
    this.#pushWaiters.set(jid, [...(this.#pushWaiters.get(jid) ?? []), waiter]);
    return { promise, cancel };
  }

  #notifyPushWaiters(jid: string): void {
    const waiters = this.#pushWaiters.get(jid);
    if (!waiters) return;
    this.#pushWaiters.delete(jid);
    for (const w of waiters) w();
  }
}

function stanzaErrorElement(type: string, condition: string): Element {
  return xml('error', { type }, xml(condition, { xmlns: NS_STANZAS }));
}
