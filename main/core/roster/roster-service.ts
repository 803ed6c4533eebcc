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
import type { RosterChange, RosterItem, RosterProgress, RosterSnapshot } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import { foldedJidKey, parseJid } from '../jid.js';
import type { OutboxEntry, OutboxStore } from '../store/outbox-store.js';
import { RosterReplacement, deleteHiddenGenerations, readSnapshot } from '../store/roster-replacement.js';
import type { RosterStore } from '../store/roster-store.js';
import type { XmppSession } from '../xmpp/session.js';
import { NS_ROSTER, RosterResultMapper, parseRosterPush, rosterGetQuery, versionOf } from './roster-stanzas.js';
import { EditSender, type EditOutcome } from './edit-sender.js';
import { ProgressThrottle, type ThrottleClock } from './progress-throttle.js';
import { viewItem, viewItems } from './roster-view.js';
import {
  validateContact,
  validateContactJid,
  validateGroups,
  validateName,
  type ContactInput,
} from './validate-change.js';

const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

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
  /** The server's value was kept over an offline edit of `fields` ('removed-elsewhere': the contact is gone). */
  conflict: [{ jid: string; fields: string[] }];
  /** A push that changed nothing shown: its version was stored and it was acknowledged, no change event (counted by tests and the bench). */
  unchangedPush: [{ jid: string; version: string | null }];
  /**
   * A large result is arriving (throttled: a few a second), then once with
   * `done` when the retrieval ended; none for a result read in one chunk.
   */
  progress: [RosterProgress];
}

export interface EditResult {
  /** The contact as now shown (with a pending mark while queued); undefined when removed. */
  item: RosterItem | undefined;
  /** True when the edit waits in the outbox for the next connection. */
  queued: boolean;
  /** The contact's address as the server keeps it (its push may spell it otherwise than we did). */
  jid: string;
  /**
   * True when the server accepted the edit (`result`) but pushed nothing: the
   * cache holds the item as sent until a push or the next retrieval.
   */
  unconfirmed: boolean;
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
  readonly #outbox: OutboxStore;
  readonly #sender: EditSender;
  readonly #account: string;
  readonly #log: (message: string) => void;
  /** The retrieval in flight: pushes wait for it so they apply after the full result. */
  #retrieval: Promise<RetrievalResult> | null = null;
  spoofedPushes = 0;

  readonly #progressClock: ThrottleClock | undefined;

  constructor(options: {
    session: XmppSession;
    store: RosterStore;
    outbox: OutboxStore;
    log?: (message: string) => void;
    /** The clock of the progress throttle (tests). */
    progressClock?: ThrottleClock;
  }) {
    super();
    this.#progressClock = options.progressClock;
    this.#session = options.session;
    this.#store = options.store;
    this.#outbox = options.outbox;
    this.#account = options.session.account;
    this.#log = options.log ?? ((): void => undefined);
    this.#sender = new EditSender(this.#account, this.#session, this.#store, this.#outbox, {
      changed: (jid) => this.#emitView(jid, this.#store.getVersion(this.#account)),
      conflict: (jid, fields) => this.emit('conflict', { jid, fields }),
      log: this.#log,
    });
    this.#session.onIqSet(NS_ROSTER, 'query', (stanza, query) => this.#onPush(stanza, query));
    // What a replaced roster, a forgotten account or a killed write left in
    // the profile: deleted in slices, out of sight already.
    deleteHiddenGenerations(this.#store).catch((error: unknown) => {
      this.#log(`roster cache: deleting rows no longer shown was put off: ${(error as Error).message}`);
    });
    this.#session.on('state', (state) => {
      if (state.status !== 'online') this.#sender.ready = false;
    });
    this.#session.on('online', ({ resumed }) => {
      if (resumed) {
        // A resumed stream missed nothing (the server replays what we did not
        // acknowledge): no retrieval (PROTOCOL.md), just send what waits.
        this.#sender.ready = true;
        // A local failure (the profile's disk) must not become an unhandled rejection in main.
        this.#sender.run().catch((error: unknown) => {
          this.#log(
            `outbox: sending after resumption failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        return;
      }
      this.#sender.ready = false;
      this.retrieve()
        .then(() => {
          // edits made offline go out only once we know the server's roster
          this.#sender.ready = true;
          return this.#sender.run();
        })
        .catch((error: unknown) => {
          this.#log(`roster: retrieval failed: ${(error as Error).message}`);
          this.emit(
            'retrievalFailed',
            error instanceof BalconyError ? error : new BalconyError('internal', String(error)),
          );
        });
    });
  }

  get account(): string {
    return this.#account;
  }

  /** The roster as shown: the cache with waiting edits laid over it. Works with no network. */
  snapshot(): RosterSnapshot {
    const cached = this.#store.getSnapshot(this.#account);
    return { ...cached, items: viewItems(cached.items, this.#outbox.list(this.#account)) };
  }

  /** One contact as shown (the cache with its waiting edits), by normalised address; undefined when none. */
  shownItem(jid: string): RosterItem | undefined {
    return this.#shownItem(jid);
  }

  /** The cache alone: the server's roster as last confirmed. */
  serverSnapshot(): RosterSnapshot {
    return this.#store.getSnapshot(this.#account);
  }

  /** snapshot(), read in slices that give the event loop back (issue 14 #2): for large rosters. */
  async readSnapshot(): Promise<RosterSnapshot> {
    const cached = await readSnapshot(this.#store, this.#account);
    return { ...cached, items: viewItems(cached.items, this.#outbox.list(this.#account)) };
  }

  /** serverSnapshot(), read in slices that give the event loop back. */
  readServerSnapshot(): Promise<RosterSnapshot> {
    return readSnapshot(this.#store, this.#account);
  }

  /** Edits not yet confirmed by the server, oldest first. */
  pendingEdits(): OutboxEntry[] {
    return this.#outbox.list(this.#account);
  }

  /** Resolves when every edit that can be sent now has been (the CLI's sync waits for it). */
  async flushed(): Promise<void> {
    await this.#retrieval?.catch(() => undefined);
    if (this.#sender.ready) await this.#sender.run();
  }

  /** Fetches the roster; the session calls it on every sign-in, tests and the CLI may await it. */
  retrieve(): Promise<RetrievalResult> {
    this.#retrieval ??= this.#fetchRoster().finally(() => {
      this.#retrieval = null;
    });
    return this.#retrieval;
  }

  /**
   * Fetches the whole roster again, asking as if nothing were cached (ver=""
   * where the server versions the roster, no ver otherwise), so a cache that
   * drifted is replaced by the server's full roster. The cache stays as it is
   * until that result replaces it in one transaction: a failure loses nothing.
   * A retrieval already under way is waited for first.
   */
  async resync(): Promise<RetrievalResult> {
    while (this.#retrieval) await this.#retrieval.catch(() => undefined);
    // Tracked like any retrieval: pushes wait for it, retrieve() joins it.
    const full = this.#fetchRoster({ full: true }).finally(() => {
      this.#retrieval = null;
    });
    this.#retrieval = full;
    return full;
  }

  /** Resolves with the retrieval in flight, if any (the one started at sign-in). */
  async settled(): Promise<void> {
    await this.#retrieval;
  }

  async #fetchRoster(options: { full?: boolean } = {}): Promise<RetrievalResult> {
    const versioning = this.#session.features.rosterVersioning;
    const cached = !options.full && this.#store.hasCache(this.#account);
    // ver="" bootstraps versioning; without it ejabberd never sends a ver.
    const ver = versioning ? (cached ? (this.#store.getVersion(this.#account) ?? '') : '') : undefined;
    const progress = this.#watchProgress();
    try {
      const result = await this.#session.iq('get', rosterGetQuery(ver));
      progress.stop();
      return await this.#applyResult(result, ver, versioning);
    } finally {
      // After the list was stored and sent (or the retrieval failed): a bar that was shown goes.
      progress.end();
    }
  }

  async #applyResult(result: Element, ver: string | undefined, versioning: boolean): Promise<RetrievalResult> {
    const query = result.getChild('query', NS_ROSTER);
    if (!query) {
      // "Your cache is current": pushes, if any, follow.
      if (ver === undefined)
        this.#log('roster: the server sent an empty result to an unversioned get; the cache is kept');
      this.#store.markSynced(this.#account, Date.now());
      const outcome: RetrievalResult = {
        kind: 'unchanged',
        version: this.#store.getVersion(this.#account),
        count: this.#store.countItems(this.#account),
      };
      this.emit('retrieved', outcome);
      return outcome;
    }
    // Mapped and written in slices into a generation of its own, made
    // current in one short transaction (issue 14 #2): the main thread is
    // never held for long, pushes wait for #retrieval, the old roster stays
    // shown (and whole after a crash) until then.
    const version = versioning ? versionOf(query) : null;
    const mapper = new RosterResultMapper(this.#log);
    const replacement = RosterReplacement.begin(this.#store, this.#account);
    await replacement.write(query.getChildren('item'), (el) => mapper.add(el));
    replacement.commit(mapper.count, version, this.#log);
    this.#store.markSynced(this.#account, Date.now());
    const count = mapper.count;
    const outcome: RetrievalResult = { kind: 'full', version, count };
    // A light mark, not the roster: the renderer loads the list again a page at a time (roster-pages.ts).
    this.emit('change', { kind: 'reset', version, count });
    this.emit('retrieved', outcome);
    return outcome;
  }

  /**
   * Reports the result's progress while the get is pending, from the stream
   * scanner's counters after each chunk. XMPP never announces a roster's
   * size: the cached count, where there is one, is the estimate.
   */
  #watchProgress(): { stop(): void; end(): void } {
    // Counted at the first chunk, not before the get: nothing delays the request.
    let total: number | null | undefined;
    const estimate = (): number | null => {
      const cached = this.#store.hasCache(this.#account) ? this.#store.countItems(this.#account) : 0;
      return cached > 0 ? cached : null;
    };
    let last: RosterProgress | null = null;
    const throttle = new ProgressThrottle<RosterProgress>(
      (sample) => {
        last = sample;
        this.emit('progress', sample);
      },
      { clock: this.#progressClock },
    );
    const unwatch = this.#session.watchIncoming(({ chars, items }) => {
      // chars is 0 between stanzas: the result was read whole in one chunk, or has not begun.
      if (chars > 0) throttle.push({ items, bytes: chars, total: (total ??= estimate()), done: false });
    });
    const stop = (): void => {
      unwatch();
      throttle.stop();
    };
    return {
      stop,
      end: () => {
        stop();
        const shown: RosterProgress | null = last;
        if (shown !== null) this.emit('progress', { ...shown, done: true });
        last = null;
      },
    };
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
    const changed = this.#store.applyPush(this.#account, change, version);
    const jid = change.kind === 'upsert' ? change.item.jid : change.jid;
    const answeredEdit = this.#sender.pushed(change);
    // A push that changes nothing shown changes nothing: no event, no redraw
    // (Prosody re-pushes thousands of unchanged items at sign-in). An edit it
    // answers, or one still waiting for this contact, may change the marks.
    if (changed || answeredEdit || this.#outbox.list(this.#account).some((e) => e.jid === jid))
      this.#emitView(jid, version);
    else this.emit('unchangedPush', { jid, version });
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

  /**
   * Adds a contact (or overwrites its name and groups). Online, resolves once
   * the server confirmed it (and throws its refusal); offline, the edit waits
   * in the outbox and the result says `queued`.
   */
  async add(input: ContactInput): Promise<EditResult> {
    const contact = validateContact(input, this.#account);
    return this.#enqueue({ op: 'add', jid: contact.jid, name: contact.name, groups: contact.groups });
  }

  /** Renames and/or regroups a contact: undefined fields stay as they are. */
  async update(input: UpdateInput): Promise<EditResult> {
    const jid = await this.#shownAddress(validateContactJid(input.jid, this.#account));
    const shown = this.#shownItem(jid);
    // A contact whose removal is waiting is as good as gone: renaming it would be dropped at replay.
    if (!shown || (shown.pending?.op === 'remove' && shown.pending.state === 'waiting')) {
      throw new BalconyError('item-not-found', `${jid} is not in your roster.`);
    }
    return this.#enqueue({
      op: 'update',
      jid,
      name: input.name === undefined ? undefined : validateName(input.name),
      groups: input.groups === undefined ? undefined : validateGroups(input.groups),
    });
  }

  /** Removes a contact (the server also cancels subscriptions both ways). */
  async remove(jidInput: string): Promise<EditResult> {
    const jid = await this.#shownAddress(validateContactJid(jidInput, this.#account));
    if (!this.#shownItem(jid)) throw new BalconyError('item-not-found', `${jid} is not in your roster.`);
    return this.#enqueue({ op: 'remove', jid });
  }

  /** Drops a waiting or failed edit; the contact shows the server's state again. */
  cancelEdit(id: number): void {
    const entry = this.#outbox.get(id);
    if (entry?.account !== this.#account) throw new BalconyError('invalid-argument', 'There is no such waiting edit.');
    if (this.#sender.inFlight === id)
      throw new BalconyError('invalid-argument', 'That edit is being sent right now and can no longer be cancelled.');
    this.#outbox.delete(id);
    this.#emitView(entry.jid, this.#store.getVersion(this.#account));
  }

  /**
   * The address a contact is shown under, for one typed in another spelling
   * that a stringprep server treats as the same (`ß@example.net` for the
   * `ss@example.net` Prosody stored): the typed one when it is shown itself
   * or when the fold matches no contact or several.
   */
  async #shownAddress(jid: string): Promise<string> {
    if (this.#shownItem(jid)) return jid;
    // Only on a miss (an error otherwise): a scan is fine there, read in slices.
    const key = foldedJidKey(jid);
    const matches = (await this.readSnapshot()).items.filter((item) => foldedJidKey(item.jid) === key);
    const [only] = matches;
    return matches.length === 1 && only ? only.jid : jid;
  }

  #shownItem(jid: string): RosterItem | undefined {
    return viewItem(
      this.#store.getItem(this.#account, jid),
      this.#outbox.list(this.#account).filter((e) => e.jid === jid),
    );
  }

  async #enqueue(edit: {
    op: OutboxEntry['op'];
    jid: string;
    name?: string | null;
    groups?: string[];
  }): Promise<EditResult> {
    // "base": the contact as the user saw it, for the conflict rule at replay
    const seen = this.#shownItem(edit.jid);
    const entry = this.#outbox.enqueue({
      account: this.#account,
      ...edit,
      base: { exists: seen !== undefined, name: seen?.name ?? null, groups: seen?.groups ?? [] },
    });
    this.#emitView(edit.jid, this.#store.getVersion(this.#account));
    const outcome: EditOutcome = await this.#sender.submit(entry);
    if (outcome.queued) return { item: this.#shownItem(edit.jid), queued: true, jid: edit.jid, unconfirmed: false };
    return { item: this.#shownItem(outcome.jid), queued: false, jid: outcome.jid, unconfirmed: !outcome.confirmed };
  }

  /** Tells listeners how `jid` is shown now (a delta, never the whole roster). */
  #emitView(jid: string, version: string | null): void {
    const item = this.#shownItem(jid);
    this.emit('change', item ? { kind: 'upsert', item, version } : { kind: 'remove', jid, version });
  }
}

function stanzaErrorElement(type: string, condition: string): Element {
  return xml('error', { type }, xml(condition, { xmlns: NS_STANZAS }));
}
