/**
 * The app behind the contract (preload/contract.ts), free of Electron: the
 * remembered account and password, the one session and roster of that
 * account, and the events the renderer follows. main/ipc.ts exposes it over
 * IPC; the browser tests expose the same object through Playwright.
 */
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type {
  AccountSettings,
  AppState,
  BatchResult,
  BlocklistSnapshot,
  BlockingOutcome,
  ChatMessage,
  ChatStateName,
  ConnectionReport,
  ConversationSummary,
  ConnectionState,
  ContactInput,
  DeniedRequest,
  HistoryPage,
  HistoryRequest,
  MessageSearchHit,
  MessageSearchRequest,
  MessageSettings,
  MessengerEvent,
  OwnPresence,
  PresenceSnapshot,
  ProfileRecovery,
  RosterChunk,
  RosterChunkRequest,
  RosterItem,
  RosterPage,
  RosterPageRequest,
  RosterResync,
  RosterSnapshot,
  SignInRequest,
  SubscriptionAction,
} from '../../../preload/contract.js';
import { BlockingService } from '../blocking/blocking-service.js';
import { connectionReport } from '../connection-report.js';
import { BalconyError, toErrorInfo } from '../errors.js';
import { isLoopbackHost, normalizeBareJid } from '../jid.js';
import { databasePath } from '../profile-paths.js';
import { PresenceService } from '../presence/presence-service.js';
import { RosterPages } from '../roster/roster-pages.js';
import { RosterService } from '../roster/roster-service.js';
import { validateGroups } from '../roster/validate-change.js';
import { AppSettingsStore } from '../store/app-settings-store.js';
import { BlockingStore } from '../store/blocking-store.js';
import { EndpointMemoryStore } from '../store/endpoint-memory-store.js';
import { openDatabase } from '../store/database.js';
import { MessageStore } from '../store/message-store.js';
import { OutboxStore } from '../store/outbox-store.js';
import { PresenceDenialStore } from '../store/presence-denial-store.js';
import { PresenceOutboxStore } from '../store/presence-outbox-store.js';
import { profileRecovery } from '../store/recovery-words.js';
import { RosterStore } from '../store/roster-store.js';
import { emptyReport } from '../xmpp/connection-recorder.js';
import { ServerProbe } from '../xmpp/server-probe.js';
import { saslMemoryFor } from '../store/sasl-memory-store.js';
import { XmppSession, type SessionConfig } from '../xmpp/session.js';
import { createMessaging } from '../messaging.js';
import { forwardMessageEvents, type MessagesPort } from './messages-port.js';
import type { PasswordVault } from './password-vault.js';
import { DesktopService, type DesktopHooks } from '../desktop/desktop-service.js';

const ACCOUNT_KEY = 'account';

export interface MessengerServiceOptions {
  profileDir: string;
  vault: PasswordVault;
  /** Extra session settings: trusted CA, loopback cleartext, timeouts (tests, diagnostics). */
  sessionDefaults?: Partial<SessionConfig>;
  log?: (message: string) => void;
  /** better-sqlite3's addon built for Electron, when it is not the one in node_modules. */
  sqliteBinding?: string;
  /** What only the Electron shell can do (open a browser, the tray's capabilities); absent in the CLI and most tests. */
  desktop?: DesktopHooks;
}

interface ActiveAccount {
  settings: AccountSettings;
  session: XmppSession;
  roster: RosterService;
  /** The list's first page and chunks (getRosterPage, getRosterChunk). */
  pages: RosterPages;
  presence: PresenceService;
  blocking: BlockingService;
  probe: ServerProbe;
  /** Conversations (issue 10): the message service. */
  messages: MessagesPort;
}

export class MessengerService extends EventEmitter<{ event: [MessengerEvent] }> {
  readonly #db: Database.Database;
  readonly #rosterStore: RosterStore;
  readonly #outbox: OutboxStore;
  readonly #denials: PresenceDenialStore;
  readonly #presenceOutbox: PresenceOutboxStore;
  readonly #blockingStore: BlockingStore;
  readonly #settings: AppSettingsStore;
  readonly #vault: PasswordVault;
  readonly #sessionDefaults: Partial<SessionConfig>;
  readonly #log: (message: string) => void;
  #active: ActiveAccount | null = null;
  /**
   * The report of a sign-in that failed: the session it belongs to is gone
   * (the remembered account is active again), and the report is what
   * explains the failure. Cleared when another session tries.
   */
  #failedReport: ConnectionReport | null = null;
  #connection: ConnectionState = { status: 'offline' };
  /** The conversation last opened in the window (its newest page asked for), for the archive catch-up's order. */
  #openConversation: string | null = null;
  /** The damaged profile set aside at start, if it was: getState carries it so the window can say so. */
  readonly #recovery: ProfileRecovery | undefined;
  /** The desktop app's settings, xmpp: links and shell actions (issue 13). */
  readonly desktop: DesktopService;

  constructor(options: MessengerServiceOptions) {
    super();
    this.#log = options.log ?? ((): void => undefined);
    const opened = openDatabase(databasePath(options.profileDir), {
      log: this.#log,
      nativeBinding: options.sqliteBinding,
    });
    this.#db = opened.db;
    this.#recovery = opened.recovery && profileRecovery(opened.recovery);
    this.#rosterStore = new RosterStore(this.#db);
    this.#outbox = new OutboxStore(this.#db);
    this.#denials = new PresenceDenialStore(this.#db);
    this.#presenceOutbox = new PresenceOutboxStore(this.#db);
    this.#blockingStore = new BlockingStore(this.#db);
    this.#settings = new AppSettingsStore(this.#db);
    this.#vault = options.vault;
    this.#sessionDefaults = options.sessionDefaults ?? {};
    this.desktop = new DesktopService(this.#settings, options.desktop ?? {}, (event) => this.emit('event', event));
  }

  /** Opens into the remembered account: the cached list at once, then online if a password is kept. */
  async resume(): Promise<void> {
    const settings = this.#settings.get<AccountSettings>(ACCOUNT_KEY);
    if (!settings) return;
    const password = await this.#readPassword(settings.jid);
    if (this.#active) return; // the window signed in (or out and in) while the keychain answered
    // Without a password the list still opens from the cache and takes edits
    // into the outbox; the user signs in again to send them.
    const active = this.#activate(settings, password ?? '');
    // Not awaited: the window shows the cached list meanwhile; a failure is the connection state's to show.
    if (password !== null) {
      active.session.start().catch((error: unknown) => {
        this.#log(`resume: signing in failed: ${toErrorInfo(error).message}`);
      });
    }
  }

  getState(): AppState {
    const account = this.#active?.settings ?? this.#settings.get<AccountSettings>(ACCOUNT_KEY) ?? null;
    return {
      account,
      connection: this.#connection,
      syncedAt: account ? this.#rosterStore.getSyncedAt(account.jid) : null,
      canStorePasswordSafely: this.#vault.isKeychainAvailable(),
      ...(this.#recovery && { profileRecovery: this.#recovery }),
    };
  }

  async signIn(request: SignInRequest): Promise<AppState> {
    const jid = normalizeBareJid(request.jid, { requireLocal: true });
    if (request.host && this.#sessionDefaults.allowPlaintextLoopback && !isLoopbackHost(request.host)) {
      throw new BalconyError('invalid-argument', 'Cleartext connections are only allowed to a loopback address.');
    }
    if (request.rememberPassword && !this.#vault.isKeychainAvailable() && !request.acceptUnencryptedStorage) {
      throw new BalconyError(
        'invalid-argument',
        'This computer has no keychain to protect a saved password. Confirm that it may be stored without encryption, or sign in without remembering it.',
      );
    }
    const settings: AccountSettings = {
      jid,
      host: request.host === '' ? null : (request.host ?? null),
      port: request.port ?? null,
      rememberPassword: request.rememberPassword,
      ...(request.directTls && { directTls: true }),
    };
    await this.#deactivate();
    const active = this.#activate(settings, request.password, { acceptDowngrade: request.acceptDowngrade ?? false });
    const { roster } = active;
    try {
      await active.session.start({ failFast: true });
    } catch (error) {
      this.#failedReport = connectionReport({ session: active.session, store: this.#rosterStore, roster });
      await this.#deactivate();
      this.#activateRemembered();
      this.#setConnection({ status: 'error', error: toErrorInfo(error) });
      throw error;
    }
    this.#settings.set(ACCOUNT_KEY, settings);
    if (request.rememberPassword) {
      const protection = this.#vault.isKeychainAvailable() ? 'os-keychain' : 'plain-text';
      this.#settings.savePassword(jid, { protection, secret: await this.#vault.encrypt(request.password) });
    } else {
      this.#settings.forgetPassword(jid);
    }
    // Signed in: the window may show the roster screen now (a first sign-in
    // does, on this event), where the retrieval's progress is shown while the
    // server prepares and sends a large roster, seconds at 50,000 contacts.
    this.emit('event', { type: 'account', account: settings });
    // The answer itself waits for the list, so that a window that stays on the
    // form until then (signing in again) opens on the whole roster; a large
    // result that reports progress ends the wait (the list is loaded again on 'reset').
    await this.#retrievalShownOrDone(roster);
    return this.getState();
  }

  async signOut(options: { forgetAccount: boolean }): Promise<AppState> {
    const jid = this.#active?.settings.jid ?? this.#settings.get<AccountSettings>(ACCOUNT_KEY)?.jid;
    await this.#deactivate();
    if (jid) this.#settings.forgetPassword(jid); // signed out: no automatic sign-in next time
    if (jid && options.forgetAccount) {
      this.#settings.delete(ACCOUNT_KEY);
      this.#rosterStore.forgetCache(jid);
      this.#outbox.clear(jid);
      this.#presenceOutbox.clear(jid);
      this.#blockingStore.clear(jid);
      new MessageStore(this.#db, jid).forget(); // its conversations, outbox and archive cursor
      this.emit('event', { type: 'account', account: null });
    }
    this.#activateRemembered(); // the cached list stays browsable, offline
    this.#setConnection({ status: 'offline' });
    return this.getState();
  }

  /** Resolves when the sign-in retrieval ended, or once it reports progress (it is large). */
  async #retrievalShownOrDone(roster: RosterService): Promise<void> {
    let onProgress: (() => void) | undefined;
    const arriving = new Promise<void>((resolve) => {
      onProgress = () => resolve();
      roster.once('progress', onProgress);
    });
    try {
      await Promise.race([roster.settled().catch(() => undefined), arriving]);
    } finally {
      if (onProgress) roster.off('progress', onProgress);
    }
  }

  getRoster(): RosterSnapshot {
    return this.#roster().snapshot();
  }

  /** The first rows of the list, computed in slices that give the event loop back (roster-pages.ts). */
  getRosterPage(request: RosterPageRequest): Promise<RosterPage> {
    if (!this.#active) throw new BalconyError('not-connected', 'No account is set up yet: sign in first.');
    return this.#active.pages.firstPage(request);
  }

  getRosterChunk(request: RosterChunkRequest): RosterChunk {
    if (!this.#active) throw new BalconyError('not-connected', 'No account is set up yet: sign in first.');
    return this.#active.pages.chunk(request);
  }

  /** Online: resolves when the server confirmed. Offline: the contact comes back marked "waiting to sync". */
  async addContact(input: ContactInput): Promise<RosterItem | null> {
    const { subscribe = true, ...contact } = input;
    return (await this.#presence().add(contact, { subscribe })).item ?? null;
  }

  async updateContact(input: ContactInput): Promise<RosterItem | null> {
    return (await this.#roster().update(input)).item ?? null;
  }

  async removeContact(jid: string): Promise<null> {
    await this.#roster().remove(jid);
    return null;
  }

  cancelEdit(id: number): Promise<null> {
    this.#roster().cancelEdit(id);
    return Promise.resolve(null);
  }

  /** Moves every contact of group `from` to group `to`, one roster set per contact. */
  async renameGroup(from: string, to: string): Promise<BatchResult> {
    const [source] = validateGroups([from]);
    const [target] = validateGroups([to]);
    if (source === undefined || target === undefined) throw new BalconyError('group-invalid');
    const roster = this.#roster();
    const members = roster.snapshot().items.filter((item) => item.groups.includes(source));
    const result: BatchResult = { succeeded: [], failed: [] };
    for (const item of members) {
      const groups = [...new Set(item.groups.map((g) => (g === source ? target : g)))];
      try {
        await roster.update({ jid: item.jid, groups });
        result.succeeded.push(item.jid);
      } catch (error) {
        result.failed.push({ jid: item.jid, error: toErrorInfo(error) });
      }
    }
    return result;
  }

  getPresence(): PresenceSnapshot {
    const presence = this.#presence();
    return {
      contacts: presence.onlineContacts(),
      requests: presence.requests(),
      own: presence.ownPresence(),
      preApprovalSupported: this.#active?.session.features.preApproval ?? false,
    };
  }

  async approveRequest(
    jid: string,
    options: { askBack: boolean; name?: string | null; groups?: string[] },
  ): Promise<null> {
    const { askBack, name, groups } = options;
    if (name === undefined && groups === undefined) await this.#presence().approve(jid, { askBack });
    else await this.#presence().approveAs(jid, { name, groups }, { askBack });
    return null;
  }

  listDeniedRequests(): Promise<DeniedRequest[]> {
    return Promise.resolve(this.#presence().deniedRequests());
  }

  undoDenial(jid: string): Promise<null> {
    this.#presence().undoDenial(jid);
    return Promise.resolve(null);
  }

  async denyRequest(jid: string): Promise<null> {
    await this.#presence().deny(jid);
    return null;
  }

  async changeSubscription(jid: string, action: SubscriptionAction): Promise<null> {
    const presence = this.#presence();
    const steps: Record<SubscriptionAction, (jid: string) => Promise<unknown>> = {
      subscribe: (j) => presence.subscribe(j),
      'cancel-request': (j) => presence.cancelRequest(j),
      'stop-sharing': (j) => presence.stopSharing(j),
      'stop-receiving': (j) => presence.stopReceiving(j),
      'pre-approve': (j) => presence.preApprove(j),
    };
    await steps[action](jid);
    return null;
  }

  async setOwnPresence(own: OwnPresence): Promise<null> {
    await this.#presence().setOwnPresence(own);
    return null;
  }

  /**
   * How the last sign-in went (the "Account and connection" view): the
   * active session's record once it has tried, else that of a sign-in that
   * failed, else the cache's figures alone. Right after a sign-in it waits
   * for the server's answers about itself (a few seconds at most).
   */
  async getConnectionReport(): Promise<ConnectionReport> {
    const active = this.#active;
    if (active && (active.session.state.status !== 'offline' || !this.#failedReport)) {
      await active.probe.settled();
      return connectionReport({
        session: active.session,
        store: this.#rosterStore,
        roster: active.roster,
        blocking: active.blocking,
      });
    }
    if (this.#failedReport) return this.#failedReport;
    return emptyReport();
  }

  /** The blocklist as shown (cache plus waiting actions), and whether the server offers blocking. */
  getBlocklist(): BlocklistSnapshot {
    return this.#blocking().snapshot();
  }

  block(jids: string[]): Promise<BlockingOutcome> {
    return this.#blocking().block(jids);
  }

  unblock(jids: string[]): Promise<BlockingOutcome> {
    return this.#blocking().unblock(jids);
  }

  /**
   * Refuses a request (the denial is remembered) and blocks its sender, in
   * that order: the refusal leaves before the block, which would stop our
   * presence stanzas to them. Both are queued when offline.
   */
  async denyAndBlock(jid: string): Promise<BlockingOutcome> {
    const blocking = this.#blocking();
    if (!blocking.supported) throw new BalconyError('service-unavailable', 'This server does not offer blocking.');
    await this.#presence().deny(jid);
    return blocking.block([jid]);
  }

  /**
   * Whether stanzas from `jid` (bare, full or a server) are blocked now: for
   * code in main that must not show what a blocked sender sends (messages).
   * False with no account set up.
   */
  isBlocked(jid: string): boolean {
    return this.#active?.blocking.isBlocked(jid) ?? false;
  }

  dismissBlockingFailure(id: number): Promise<null> {
    this.#blocking().dismissFailure(id);
    return Promise.resolve(null);
  }

  // ---- Conversations (issue 10): the message service does the work ----

  getConversations(): ConversationSummary[] {
    return this.#messages().conversations();
  }

  getHistory(request: HistoryRequest): Promise<HistoryPage> {
    // The newest page is asked for when a conversation opens: the next catch-up fills it first.
    if (!request.before) {
      try {
        this.#openConversation = normalizeBareJid(request.jid);
      } catch {
        // not an address: history() below refuses it
      }
    }
    return this.#messages().history(request);
  }

  /** Written to the outbox at once (shown as sending or waiting); sent when online. */
  sendMessage(request: { to: string; body: string }): ChatMessage {
    return this.#messages().send(request.to, request.body);
  }

  retryMessage(id: string): ChatMessage {
    return this.#messages().retry(id);
  }

  markRead(request: { jid: string; upTo: string }): null {
    this.#messages().markRead(request.jid, request.upTo);
    return null;
  }

  async setChatState(request: { jid: string; state: ChatStateName }): Promise<null> {
    await this.#messages().setChatState(request.jid, request.state);
    return null;
  }

  searchMessages(request: MessageSearchRequest): MessageSearchHit[] {
    return this.#messages().search(request);
  }

  getMessageSettings(): MessageSettings {
    return this.#messages().settings();
  }

  setMessageSettings(settings: MessageSettings): MessageSettings {
    return this.#messages().setSettings(settings);
  }

  /** Fetches the whole roster again (online only); the cached list stays until the full one replaces it. */
  async resyncRoster(): Promise<RosterResync> {
    const active = this.#active;
    if (active?.session.state.status !== 'online')
      throw new BalconyError('not-connected', 'The whole roster can only be fetched while online.');
    const result = await active.roster.resync();
    return { count: result.count, syncedAt: this.#rosterStore.getSyncedAt(active.settings.jid) ?? Date.now() };
  }

  /** The OS says the network is back, or the machine woke up: retry now. */
  networkMayBeBack(): void {
    this.#active?.session.nudge();
  }

  reconnectNow(): Promise<null> {
    this.networkMayBeBack();
    return Promise.resolve(null);
  }

  async close(): Promise<void> {
    await this.#deactivate();
    this.#db.close();
  }

  #roster(): RosterService {
    if (!this.#active) throw new BalconyError('not-connected', 'No account is set up yet: sign in first.');
    return this.#active.roster;
  }

  #presence(): PresenceService {
    if (!this.#active) throw new BalconyError('not-connected', 'No account is set up yet: sign in first.');
    return this.#active.presence;
  }

  #blocking(): BlockingService {
    if (!this.#active) throw new BalconyError('not-connected', 'No account is set up yet: sign in first.');
    return this.#active.blocking;
  }

  #messages(): MessagesPort {
    if (!this.#active) throw new BalconyError('not-connected', 'No account is set up yet: sign in first.');
    return this.#active.messages;
  }

  async #readPassword(jid: string): Promise<string | null> {
    const saved = this.#settings.getPassword(jid);
    if (!saved) return null;
    try {
      return await this.#vault.decrypt(saved.secret);
    } catch (error) {
      this.#log(`messenger: the saved password could not be decrypted (${(error as Error).message}); asking again`);
      return null;
    }
  }

  /** The remembered account, offline: its cached list can be browsed and edited into the outbox. */
  #activateRemembered(): void {
    const settings = this.#settings.get<AccountSettings>(ACCOUNT_KEY);
    if (settings && !this.#active) this.#activate(settings, '');
  }

  #activate(settings: AccountSettings, password: string, options: { acceptDowngrade?: boolean } = {}): ActiveAccount {
    const session = new XmppSession({
      endpointMemory: new EndpointMemoryStore(this.#settings),
      ...this.#sessionDefaults,
      account: settings.jid,
      password,
      saslMemory: saslMemoryFor(this.#settings, settings.jid),
      acceptDowngrade: options.acceptDowngrade ?? false,
      host: settings.host ?? undefined,
      port: settings.port ?? undefined,
      directTls: settings.directTls === true,
      log: this.#log,
    });
    const roster = new RosterService({ session, store: this.#rosterStore, outbox: this.#outbox, log: this.#log });
    session.on('state', (state) => {
      if (this.#active?.session !== session) return;
      if (state.status === 'connecting') this.#failedReport = null; // a new record begins
      this.#setConnection(state);
    });
    // Asks the server's software and features after each sign-in, for the connection report.
    const probe = new ServerProbe(session, { log: this.#log });
    const pages = new RosterPages({ account: settings.jid, store: this.#rosterStore, outbox: this.#outbox });
    roster.on('change', (change) => {
      if (change.kind === 'reset') pages.reset();
      if (this.#active?.roster === roster) this.emit('event', { type: 'roster', change });
    });
    roster.on('progress', (progress) => {
      if (this.#active?.roster === roster) this.emit('event', { type: 'roster-progress', progress });
    });
    roster.on('conflict', ({ jid, fields }) => {
      if (this.#active?.roster === roster) this.emit('event', { type: 'conflict', jid, fields });
    });
    const blocking = new BlockingService({
      session,
      store: this.#blockingStore,
      settings: this.#settings,
      log: this.#log,
    });
    blocking.on('change', (blocklist) => {
      if (this.#active?.blocking === blocking) this.emit('event', { type: 'blocklist', blocklist });
    });
    // Created before the session starts: it sends initial presence after the sign-in retrieval.
    const presence = new PresenceService({
      session,
      roster,
      rosterStore: this.#rosterStore,
      denials: this.#denials,
      outbox: this.#presenceOutbox,
      settings: this.#settings,
      isBlocked: (jid) => blocking.isBlocked(jid),
      log: this.#log,
    });
    blocking.on('change', () => presence.dropBlockedRequests());
    presence.on('presence', (contact) => {
      if (this.#active?.presence === presence) this.emit('event', { type: 'presence', presence: contact });
    });
    presence.on('requests', (requests) => {
      if (this.#active?.presence === presence) this.emit('event', { type: 'requests', requests });
    });
    presence.on('own', (own) => {
      if (this.#active?.presence === presence) this.emit('event', { type: 'own-presence', own });
    });
    // A retrieval moves "saved at": tell the banner.
    roster.on('retrieved', () => {
      if (this.#active?.roster === roster) this.#setConnection(this.#connection);
    });
    const { messages } = createMessaging({
      db: this.#db,
      session,
      settings: this.#settings,
      rosterStore: this.#rosterStore,
      isBlocked: (jid) => blocking.isBlocked(jid),
      openConversation: () => this.#openConversation,
      log: this.#log,
    });
    forwardMessageEvents(
      messages,
      (event) => this.emit('event', event),
      () => this.#active?.messages === messages,
    );
    this.#active = { settings, session, roster, pages, presence, blocking, probe, messages };
    return this.#active;
  }

  async #deactivate(): Promise<void> {
    const active = this.#active;
    this.#active = null;
    this.#openConversation = null;
    if (active) await active.session.stop();
  }

  #setConnection(state: ConnectionState): void {
    this.#connection = state;
    const account = this.getState().account;
    this.emit('event', {
      type: 'connection',
      state,
      syncedAt: account ? this.#rosterStore.getSyncedAt(account.jid) : null,
    });
  }
}
