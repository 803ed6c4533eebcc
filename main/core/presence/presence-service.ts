/**
 * Presence and subscriptions of one account (RFC 6121 sections 3 and 4):
 * initial presence after the sign-in roster retrieval, contacts' live
 * presence, incoming subscription requests and the user's answers.
 *
 * Subscription STATE (none/to/from/both, ask, approved) is not kept here: the
 * server's roster push after each step updates the roster cache, which stays
 * the one truth. This service only sends the presence stanzas and reads the
 * cache to decide (is this a contact, do we already see them, pre-approved?).
 *
 * Every subscription step is stored in the SQLite presence outbox before it
 * is sent (presence-outbox-store.ts), so one given offline or during sign-in
 * survives quitting and kills; steps go out in order after the next sign-in's
 * retrieval, before initial presence (presence-sender.ts), in the user's order
 * against roster edits of the same contact (step-plan.ts). Offline, answers
 * and requests (approve, deny, subscribe) are accepted; withdrawals
 * (cancelRequest, stopSharing, stopReceiving) and preApprove need a
 * connection when asked, since a withdrawal sent much later could undo what
 * the user did meanwhile elsewhere.
 *
 * Contacts' presence is shown only while connected. When the connection drops
 * every contact is reported offline; if the stream is then resumed (XEP-0198)
 * the server replays what we missed, so the held presence is shown again; a
 * new session starts from nothing (the server re-sends presence after initial
 * presence).
 */
import { EventEmitter } from 'node:events';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type {
  ContactInput,
  ContactPresence,
  OwnPresence,
  RosterChange,
  RosterItem,
  SubscriptionRequest,
} from '../../../preload/contract.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import { parseJid, tryNormalizeBareJid } from '../jid.js';
import type { EditResult, RosterService } from '../roster/roster-service.js';
import { validateContactJid } from '../roster/validate-change.js';
import type { AppSettingsStore } from '../store/app-settings-store.js';
import type { PresenceDenialStore } from '../store/presence-denial-store.js';
import type { PresenceOutboxStore } from '../store/presence-outbox-store.js';
import type { RosterStore } from '../store/roster-store.js';
import type { XmppSession } from '../xmpp/session.js';
import { undoDenial, type UndoneDenial } from './denials.js';
import { PendingRequests } from './pending-requests.js';
import { PresenceSender, serverAnswered, type SendResult } from './presence-sender.js';
import {
  cleanStatus,
  MAX_STATUS_CHARS,
  ownPresenceStanza,
  parsePresence,
  type SubscriptionType,
} from './presence-stanzas.js';
import { PresenceTable } from './presence-table.js';
import { planStep } from './step-plan.js';

const DEFAULT_OWN: OwnPresence = { show: 'available', status: null };
const OWN_SHOWS = new Set(['available', 'away', 'dnd', 'xa']);

export interface PresenceServiceOptions {
  session: XmppSession;
  /** Initial presence waits for its sign-in retrieval; its pushes update requests and presence. */
  roster?: RosterService;
  /** The roster cache, read to tell contacts and subscription states. */
  rosterStore?: RosterStore;
  denials: PresenceDenialStore;
  /** Where subscription steps wait until the server has them. */
  outbox: PresenceOutboxStore;
  /** Where our own presence is remembered for the next sign-in. */
  settings?: AppSettingsStore;
  /**
   * Send initial presence (default true). False keeps this resource
   * unavailable: contacts see no sign-in, and the server neither sends
   * presence nor re-sends requests, but answers still go out.
   */
  announce?: boolean;
  /** <priority/> of our presence; negative keeps messages (and offline messages) away from this resource. */
  priority?: number;
  /** Blocked addresses (XEP-0191): their requests are never shown. */
  isBlocked?: (jid: string) => boolean;
  log?: (message: string) => void;
  now?: () => number;
}

interface PresenceServiceEvents {
  /** A contact's shown presence changed (live only; 'offline' when it ended or we went offline). */
  presence: [ContactPresence];
  /** The pending incoming requests changed; the whole list, oldest first. */
  requests: [SubscriptionRequest[]];
  /** Our own presence changed (issue 13: whoever set it, the window, the tray or a tool, the window shows it). */
  own: [OwnPresence];
}

export type { SendResult };

export class PresenceService extends EventEmitter<PresenceServiceEvents> {
  readonly #session: XmppSession;
  readonly #roster: RosterService | undefined;
  readonly #rosterStore: RosterStore | undefined;
  readonly #denials: PresenceDenialStore;
  readonly #settings: AppSettingsStore | undefined;
  readonly #log: (message: string) => void;
  readonly #now: () => number;
  readonly #account: string;
  readonly #table = new PresenceTable();
  readonly #requests = new PendingRequests();
  readonly #sender: PresenceSender;
  readonly #outbox: PresenceOutboxStore;
  readonly #isBlocked: (jid: string) => boolean;
  #own: OwnPresence;
  /** Connected: contacts' presence is shown (while not, the table is held for a resumption). */
  #live = false;
  /** Counts connections, so that a late ping answer is not taken for the current one. */
  #connection = 0;
  /** Requests the server (re-)sent on this connection; see #confirmRequests. */
  #heardThisConnection = new Set<string>();
  /** Settles once this connection's re-sent requests have all arrived. */
  #requestsSynced: Promise<void> = Promise.resolve();
  ignoredStanzas = 0;

  constructor(options: PresenceServiceOptions) {
    super();
    this.#session = options.session;
    this.#roster = options.roster;
    this.#rosterStore = options.rosterStore;
    this.#denials = options.denials;
    this.#settings = options.settings;
    this.#log =
      options.log ??
      (() => {
        // no log given: presence diagnostics are dropped
      });
    this.#now = options.now ?? Date.now;
    this.#isBlocked = options.isBlocked ?? (() => false);
    this.#account = options.session.account;
    this.#own = validOwn(this.#settings?.get<unknown>(this.#ownKey())) ?? DEFAULT_OWN;
    this.#sender = new PresenceSender(this.#session, () => ownPresenceStanza(this.#own, options.priority), {
      announce: options.announce ?? true,
      outbox: options.outbox,
      planner: () => {
        const edits = this.#roster?.pendingEdits() ?? [];
        return (step) => planStep(step, this.#item(step.jid), edits);
      },
      log: this.#log,
      now: this.#now,
    });
    this.#outbox = options.outbox;
    this.#sender.on('initial', () => {
      this.#requestsSynced = this.#confirmRequests(this.#connection);
    });

    this.#session.onStanza('presence', (stanza) => this.#onStanza(stanza));
    this.#session.on('state', (state) => {
      if (state.status !== 'online') this.#wentOffline();
    });
    this.#session.on('online', ({ resumed }) => this.#cameOnline(resumed));
    // RFC 6121 2.2: initial presence after the roster retrieval of a new session.
    this.#roster?.on('retrieved', () => this.#sender.start());
    // A failed retrieval should not leave the user invisible to everyone.
    this.#roster?.on('retrievalFailed', () => this.#sender.start());
    this.#roster?.on('change', (change) => this.#onRosterChange(change));
  }

  /** A contact's shown presence; offline when nothing live is known. */
  presenceOf(jid: string): ContactPresence {
    const bare = tryNormalizeBareJid(jid) ?? jid;
    return this.#live ? this.#table.get(bare) : { jid: bare, show: 'offline', status: null };
  }

  /** Every contact currently not offline, sorted by JID. */
  onlineContacts(): ContactPresence[] {
    return this.#live ? this.#table.all() : [];
  }

  /** Requests waiting for an answer, oldest first. */
  requests(): SubscriptionRequest[] {
    return this.#requests.list();
  }

  /** The blocklist changed: requests from addresses now blocked leave the list. */
  dropBlockedRequests(): void {
    let changed = false;
    for (const jid of this.#requests.jids()) if (this.#isBlocked(jid)) changed = this.#requests.remove(jid) || changed;
    if (changed) this.emit('requests', this.#requests.list());
  }

  ownPresence(): OwnPresence {
    return { ...this.#own };
  }

  /** Addresses whose requests the user denied (not shown again). */
  deniedJids(): string[] {
    return this.#denials.list(this.#account);
  }

  /** The denials with their times, newest first. */
  deniedRequests(): { jid: string; deniedAt: number }[] {
    return this.#denials.entries(this.#account);
  }

  /**
   * Undoes a denial (denials.ts): their next request is shown again, and an
   * answer still waiting to go out is dropped. Works offline: nothing is sent.
   */
  undoDenial(jid: string): UndoneDenial {
    const result = undoDenial(this.#denials, this.#outbox, this.#account, this.#contactJid(jid));
    if (result.answerDropped) this.#log(`presence: the refusal of ${jid} had not gone out; dropped`);
    return result;
  }

  /**
   * Resolves once initial presence went out on this connection (or it is not
   * online), every send is done and the requests the server re-sent at sign-in
   * have arrived.
   */
  async flushed(): Promise<void> {
    await this.#sender.flushed();
    await this.#requestsSynced;
  }

  /** Sets and broadcasts our presence; remembered for the next sign-in. */
  async setOwnPresence(presence: OwnPresence): Promise<SendResult> {
    const own = validOwn(presence);
    if (!own) {
      throw new BalconyError(
        'invalid-argument',
        `Presence needs a show of available, away, dnd or xa and a status of at most ${MAX_STATUS_CHARS} characters.`,
      );
    }
    const changed = own.show !== this.#own.show || own.status !== this.#own.status;
    this.#own = own;
    this.#settings?.set(this.#ownKey(), own);
    // Said before the send is awaited: the event reaches the window before the answer to its own call.
    if (changed) this.emit('own', { ...own });
    return this.#sender.ownChanged();
  }

  /** Lets `jid` see our presence; with askBack, also asks to see theirs unless we already do (or asked). */
  async approve(jid: string, options: { askBack?: boolean } = {}): Promise<SendResult & { askedBack: boolean }> {
    const contact = this.#contactJid(jid);
    this.#denials.forget(this.#account, contact);
    this.#dropRequest(contact);
    const item = this.#item(contact);
    const seesThem =
      item !== undefined && (item.subscription === 'to' || item.subscription === 'both' || item.ask === 'subscribe');
    const askedBack = (options.askBack ?? true) && !seesThem;
    const steps: { type: SubscriptionType; jid: string }[] = [{ type: 'subscribed', jid: contact }];
    if (askedBack) steps.push({ type: 'subscribe', jid: contact });
    const result = await this.#sender.steps(steps, 'queue');
    return { ...result, askedBack };
  }

  /**
   * Approves a request and keeps the person as a contact with the name and
   * groups the user chose: the roster edit first (added, or updated if they
   * are a contact already), then the approval, stored after it so it goes out
   * once the edit did (step-plan.ts). Offline both wait in their outboxes.
   */
  async approveAs(
    jid: string,
    details: { name?: string | null; groups?: readonly string[] },
    options: { askBack?: boolean } = {},
  ): Promise<SendResult & { askedBack: boolean }> {
    if (!this.#roster) throw new BalconyError('internal', 'Presence was set up without a roster.');
    const contact = this.#contactJid(jid);
    const shown = this.#roster.shownItem(contact);
    const gone = shown?.pending?.op === 'remove' && shown.pending.state === 'waiting';
    const edit = { jid: contact, name: details.name, groups: details.groups ? [...details.groups] : undefined };
    if (shown && !gone) {
      if (differs(shown, edit)) await this.#roster.update(edit);
    } else {
      await this.#roster.add(edit);
    }
    return this.approve(contact, options);
  }

  /** Refuses the request and remembers it, so a new request from `jid` is not shown. */
  async deny(jid: string): Promise<SendResult> {
    const contact = this.#contactJid(jid);
    this.#denials.deny(this.#account, contact, this.#now());
    this.#dropRequest(contact);
    return this.#sender.steps([{ type: 'unsubscribed', jid: contact }], 'queue');
  }

  /** Asks to see `jid`'s presence (the server adds a roster item if needed). */
  async subscribe(jid: string): Promise<SendResult> {
    const contact = this.#contactJid(jid);
    this.#denials.forget(this.#account, contact);
    return this.#sender.steps([{ type: 'subscribe', jid: contact }], 'queue');
  }

  /** Adds a contact to the roster and, by default, asks for their presence. */
  async add(
    input: ContactInput,
    options: { subscribe?: boolean } = {},
  ): Promise<EditResult & { subscribe: SendResult | null }> {
    if (!this.#roster) throw new BalconyError('internal', 'Presence was set up without a roster.');
    const result = await this.#roster.add(input);
    const jid = result.item?.jid ?? this.#contactJid(input.jid);
    this.#denials.forget(this.#account, jid);
    const subscribe = (options.subscribe ?? true) ? await this.subscribe(jid) : null;
    return { ...result, subscribe };
  }

  /** Withdraws our pending request to see `jid`. */
  async cancelRequest(jid: string): Promise<SendResult> {
    return this.#sender.steps([{ type: 'unsubscribe', jid: this.#contactJid(jid) }], 'online');
  }

  /** `jid` no longer sees our presence. */
  async stopSharing(jid: string): Promise<SendResult> {
    return this.#sender.steps([{ type: 'unsubscribed', jid: this.#contactJid(jid) }], 'online');
  }

  /** We no longer see `jid`'s presence. */
  async stopReceiving(jid: string): Promise<SendResult> {
    return this.#sender.steps([{ type: 'unsubscribe', jid: this.#contactJid(jid) }], 'online');
  }

  /**
   * Approves `jid` before they ask (RFC 6121 3.4), where the server offers it;
   * their later request is then approved by the server without asking us.
   */
  async preApprove(jid: string): Promise<SendResult> {
    const contact = this.#contactJid(jid);
    if (this.#session.state.status !== 'online') throw new BalconyError('not-connected');
    if (!this.#session.features.preApproval)
      throw new BalconyError('service-unavailable', 'This server does not support pre-approval.');
    this.#denials.forget(this.#account, contact);
    return this.#sender.steps([{ type: 'subscribed', jid: contact }], 'online');
  }

  #ownKey(): string {
    return `own-presence:${this.#account}`;
  }

  #contactJid(jid: string): string {
    return validateContactJid(jid, this.#account);
  }

  #item(jid: string): RosterItem | undefined {
    return this.#rosterStore?.getItem(this.#account, jid);
  }

  /**
   * The server re-sends the requests it still holds when it gets initial
   * presence. A ping sent after it is answered after those re-sends (a server
   * handles one session's stanzas in order), so a request listed from before
   * that was not re-sent is gone: withdrawn (ejabberd does not forward the
   * requester's unsubscribe) or answered by another client of ours.
   */
  async #confirmRequests(connection: number): Promise<void> {
    try {
      await this.#session.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }), parseJid(this.#account).domain);
    } catch (error) {
      // An error reply (no ping support) also comes after the re-sends; a timeout or a drop proves nothing.
      if (!serverAnswered(error) || this.#session.state.status !== 'online') {
        this.#log(`presence: sign-in ping failed (${toErrorInfo(error).code}); the request list is kept as is`);
        return;
      }
    }
    if (connection !== this.#connection) return;
    let changed = false;
    for (const jid of this.#requests.jids()) {
      if (!this.#heardThisConnection.has(jid)) changed = this.#requests.remove(jid) || changed;
    }
    if (changed) this.emit('requests', this.#requests.list());
  }

  #cameOnline(resumed: boolean): void {
    this.#connection += 1;
    this.#heardThisConnection = new Set();
    this.#sender.connected(resumed);
    if (resumed) {
      // The server kept our session and replays what we missed: show the held presence again.
      this.#live = true;
      for (const presence of this.#table.all()) this.emit('presence', presence);
      this.#sender.start(); // no initial presence: the waiting stanzas, and ours if it changed
      return;
    }
    // A new session: contacts' presence comes again after our initial presence.
    this.#table.clear();
    this.#live = true;
    if (!this.#roster) this.#sender.start();
  }

  #wentOffline(): void {
    this.#sender.disconnected();
    if (!this.#live) return;
    this.#live = false;
    // Presence is only ever live: while disconnected, nobody is shown as online.
    for (const { jid } of this.#table.all()) this.emit('presence', { jid, show: 'offline', status: null });
  }

  #onStanza(stanza: Element): void {
    const input = parsePresence(stanza);
    if (input.kind === 'ignored') {
      this.ignoredStanzas += 1;
      this.#log(`presence: ignored a stanza (${input.reason})`);
      return;
    }
    if (input.jid === this.#account) return; // our own resources are not contacts
    switch (input.kind) {
      case 'available':
        if (this.#rosterStore && !this.#item(input.jid)) return; // not a contact: not shown
        this.#emitIfChanged(this.#table.available(input.jid, input.resource, input));
        return;
      case 'unavailable':
        this.#emitIfChanged(this.#table.unavailable(input.jid, input.resource));
        return;
      case 'subscription':
        this.#onSubscription(input.type, input.jid, input.message, input.nick);
    }
  }

  #onSubscription(type: SubscriptionType, jid: string, message: string | null, nick: string | null): void {
    if (type === 'unsubscribe') {
      this.#dropRequest(jid); // they withdrew their request
    } else if (type === 'unsubscribed') {
      this.#emitIfChanged(this.#table.unavailable(jid, null)); // they stopped sharing
    } else if (type === 'subscribe') {
      this.#onRequest(jid, message, nick);
    }
    // 'subscribed': the roster push that follows is what changes the state
  }

  #onRequest(jid: string, message: string | null, nick: string | null): void {
    this.#heardThisConnection.add(jid);
    // Answered already, the answer still on its way (it waits for an earlier roster edit): not asked again.
    if (this.#sender.waiting(jid, ['subscribed', 'unsubscribed'])) return;
    // Blocked: never shown (the server should not even deliver it; this covers a block it has not had yet).
    if (this.#isBlocked(jid)) {
      this.#log(`presence: a request from ${jid} not shown: blocked`);
      return;
    }
    if (this.#denials.isDenied(this.#account, jid)) {
      // Refused again, so the server drops it instead of re-sending it at every login.
      this.#log(`presence: refused a request from ${jid}, denied earlier`);
      this.#answer('unsubscribed', jid);
      return;
    }
    const item = this.#item(jid);
    if (item && (item.subscription === 'from' || item.subscription === 'both' || item.approved)) {
      // Already allowed: the server should have answered. Confirm instead of asking the user.
      this.#answer('subscribed', jid);
      return;
    }
    if (this.#requests.add(jid, message, this.#now(), nick)) this.emit('requests', this.#requests.list());
  }

  #answer(type: SubscriptionType, jid: string): void {
    this.#sender.steps([{ type, jid }], 'queue').catch((error: unknown) => {
      this.#log(`presence: automatic ${type} to ${jid} failed: ${toErrorInfo(error).message}`);
    });
  }

  #dropRequest(jid: string): void {
    if (this.#requests.remove(jid)) this.emit('requests', this.#requests.list());
  }

  #onRosterChange(change: RosterChange): void {
    try {
      this.#supersede(change);
    } catch (error) {
      this.#log(`presence: could not drop steps superseded by a removal: ${toErrorInfo(error).message}`);
    }
    this.#sender.recheck(); // a roster edit that went out may let a step that waited for it go
    if (change.kind === 'reset') {
      // Only the few contacts with a request or a presence are looked up, not the whole new roster.
      for (const jid of [...this.#requests.jids(), ...this.#table.all().map((p) => p.jid)])
        this.#afterItem(jid, this.#item(jid));
      return;
    }
    if (change.kind === 'remove') {
      this.#afterItem(change.jid, undefined);
      return;
    }
    // The user added this contact: a later request from them is shown again.
    if (change.item.pending?.op === 'add') this.#denials.forget(this.#account, change.item.jid);
    this.#afterItem(change.item.jid, change.item);
  }

  /**
   * A roster removal cancels the subscription both ways (RFC 6121 2.5): the
   * steps toward that contact made before it are dropped as it is made, so
   * they cannot be sent after it (step-plan.ts; this also covers a removal
   * that is confirmed before the steps' next pass).
   */
  #supersede(change: RosterChange): void {
    if (change.kind !== 'upsert') return;
    const pending = change.item.pending;
    if (pending?.op !== 'remove' || pending.state !== 'waiting') return;
    const older = this.#outbox
      .list(this.#account)
      .filter((step) => step.jid === change.item.jid && step.afterEdit < pending.id);
    if (older.length === 0) return;
    this.#outbox.delete(older.map((step) => step.id));
    this.#log(
      `presence: ${older.length} waiting subscription step(s) to ${change.item.jid} dropped: the contact is being removed`,
    );
  }

  /** Follows the roster: a removed contact, or one we no longer see, has no presence shown. */
  #afterItem(jid: string, item: RosterItem | undefined): void {
    // a request answered elsewhere (another client of ours) is no longer pending
    if (item && (item.subscription === 'from' || item.subscription === 'both')) this.#dropRequest(jid);
    if (!item || item.subscription === 'none' || item.subscription === 'from')
      this.#emitIfChanged(this.#table.unavailable(jid, null));
  }

  #emitIfChanged(presence: ContactPresence | null): void {
    if (presence && this.#live) this.emit('presence', presence);
  }
}

/** Whether an edit would change the item's name or groups (undefined: kept). */
function differs(item: RosterItem, edit: { name?: string | null; groups?: string[] }): boolean {
  const trimmed = edit.name?.trim();
  const name = edit.name === undefined ? item.name : trimmed === undefined || trimmed === '' ? null : trimmed;
  if (name !== item.name) return true;
  if (edit.groups === undefined) return false;
  const groups = [...new Set(edit.groups.map((g) => g.trim()))].sort();
  return groups.length !== item.groups.length || groups.some((g, i) => g !== item.groups[i]);
}

function validOwn(value: unknown): OwnPresence | null {
  if (typeof value !== 'object' || value === null) return null;
  const { show, status } = value as { show?: unknown; status?: unknown };
  if (typeof show !== 'string' || !OWN_SHOWS.has(show)) return null;
  if (status !== null && status !== undefined && (typeof status !== 'string' || status.length > MAX_STATUS_CHARS))
    return null;
  return { show: show as OwnPresence['show'], status: cleanStatus(status) };
}
