/**
 * The one contract between main and renderer: plain data types, channel
 * names and the API that `window.messenger` implements. No runtime imports:
 * both sides import it with `import type` (plus the channel constants).
 */

/** RFC 6121 subscription states a stored item can have. */
export type Subscription = 'none' | 'to' | 'from' | 'both';

/** One contact of the roster, as cached and as shown. */
export interface RosterItem {
  /** Normalised bare JID; the key of the item within an account. */
  jid: string;
  /** Display name chosen by the user; null when none was set. */
  name: string | null;
  subscription: Subscription;
  /** 'subscribe' while our subscription request is pending. */
  ask: 'subscribe' | null;
  /** Pre-approved by us (RFC 6121 3.4). */
  approved: boolean;
  /** Trimmed, non-empty, unique, sorted. */
  groups: string[];
  /** The newest edit of this contact not yet confirmed by the server, if any. */
  pending?: PendingEdit;
}

/** A roster edit kept in the outbox until the server confirms it. */
export interface PendingEdit {
  /** Outbox id: what cancelEdit takes. */
  id: number;
  op: 'add' | 'update' | 'remove';
  /** 'waiting': will be sent (again) when online; 'failed': the server refused it. */
  state: 'waiting' | 'failed';
  error: ErrorInfo | null;
}

/** A contact's availability, aggregated over its resources (the most available wins). */
export type PresenceShow = 'available' | 'chat' | 'away' | 'dnd' | 'xa' | 'offline';

export interface ContactPresence {
  /** Normalised bare JID. */
  jid: string;
  show: PresenceShow;
  /** Status text of the resource shown, or null. */
  status: string | null;
}

/** Our own presence as the user sets it. */
export interface OwnPresence {
  show: Exclude<PresenceShow, 'offline' | 'chat'>;
  status: string | null;
}

/** Someone asking to see our presence (RFC 6121 3.1.3), waiting for the user's answer. */
export interface SubscriptionRequest {
  jid: string;
  /** Optional text the requester sent with the request. */
  message: string | null;
  /**
   * The nickname the requester gave (XEP-0172 `<nick/>`), one line, at most
   * 256 characters: what the approve dialog offers as their name. Null or
   * absent when none was sent.
   */
  nick?: string | null;
  receivedAt: number;
}

/** Someone whose subscription request the user denied: their later requests are not shown. */
export interface DeniedRequest {
  /** Normalised bare JID. */
  jid: string;
  /** When it was denied (ms since epoch). */
  deniedAt: number;
}

/** A roster as cached for one account. */
export interface RosterSnapshot {
  account: string;
  /** The roster version of the cached items, or null when none is kept. */
  version: string | null;
  items: RosterItem[];
}

/**
 * A change applied to the cache, in the order it happened. 'reset': the
 * whole cache was replaced (a full retrieval); the renderer loads the list
 * again through getRosterPage/getRosterChunk (`count`: how many contacts the
 * new roster has).
 */
export type RosterChange =
  | { kind: 'upsert'; item: RosterItem; version: string | null }
  | { kind: 'remove'; jid: string; version: string | null }
  | { kind: 'reset'; version: string | null; count: number };

/** What the first screen of the list depends on (getRosterPage). */
export interface RosterPageRequest {
  /** How many rows the window shows, group headers included (1 to 500). */
  rows: number;
  /** The groups the user folded (NO_GROUP, '', for "No group"): their members take no rows. */
  folded: string[];
  /** The renderer's collator locale (preload/roster-order.ts rosterOrder().locale), so both sides sort alike. */
  locale: string;
}

/** One group of the list, in display order, with how many of its first members the first page holds. */
export interface RosterPageGroup {
  /** The group's name; '' (NO_GROUP) for contacts in no group. */
  group: string;
  /** Contacts in the group. */
  count: number;
  /** The first page holds the group's first `first` members in display order (0 when folded or past the page). */
  first: number;
}

/** The first page of the list, before and independent of the rest (which getRosterChunk gives). */
export interface RosterPage {
  account: string;
  version: string | null;
  /** Contacts in the roster (each once, whatever its groups). */
  total: number;
  /** Every group, in display order ("No group" last). */
  groups: RosterPageGroup[];
  /** The contacts of the first rows, each once, in display order of their first row. */
  items: RosterItem[];
  /** Names this load for getRosterChunk; refused once the roster was reset. */
  token: string;
  /** True when `items` is the whole roster: no chunk to ask for. */
  complete: boolean;
}

/** A keyset page of the whole roster, by address (getRosterChunk). */
export interface RosterChunkRequest {
  token: string;
  /** The `next` of the previous chunk; null for the first. */
  after: string | null;
  /** At most this many contacts (1 to 5,000). */
  limit: number;
}

export interface RosterChunk {
  /** Contacts after `after`, in the store's address order (first-page contacts come again: applying is idempotent). */
  items: RosterItem[];
  /** What to pass as `after` for the next chunk; null when this was the last. */
  next: string | null;
}

/**
 * How far the sign-in's roster result has arrived, while it arrives. XMPP
 * never announces a roster's size: `total` is an estimate (the count of the
 * list cached before), null when there is none.
 */
export interface RosterProgress {
  /** Contacts received so far. */
  items: number;
  /** Characters of the result received so far (bytes, for ASCII addresses). */
  bytes: number;
  total: number | null;
  /** The retrieval ended (the list was stored, or it failed): the display goes. */
  done: boolean;
}

/** Connection state of the one XMPP session. */
export type ConnectionState =
  | { status: 'offline' }
  /** `host`/`port`: the server being tried, once it is known (an SRV target, the domain, the user's host). */
  | { status: 'connecting'; attempt: number; host?: string; port?: number }
  | { status: 'online'; jid: string }
  | { status: 'error'; error: ErrorInfo };

/** Machine-readable code plus a sentence a person can read. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type ErrorCode =
  // input validation
  | 'invalid-jid'
  | 'invalid-argument'
  | 'own-jid'
  | 'name-too-long'
  | 'group-invalid'
  /** A message body over MESSAGE_LIMITS.bodyChars (or empty): refused, nothing queued. */
  | 'message-too-long'
  | 'message-empty'
  // connection
  | 'auth-failed'
  /** The server offers less than before (a weaker SCRAM, no channel binding): nothing was sent; the user may accept it. */
  | 'auth-downgrade'
  | 'server-unverified'
  | 'tls-required'
  | 'tls-failed'
  | 'host-unreachable'
  /** The domain's DNS says it offers no XMPP service (SRV target "."). */
  | 'no-xmpp-service'
  | 'connection-lost'
  | 'stream-error'
  | 'bad-format'
  | 'stanza-too-large'
  | 'timeout'
  | 'not-connected'
  // server answers to roster sets (RFC 6120 8.3.3 conditions)
  | 'bad-request'
  | 'not-acceptable'
  | 'forbidden'
  | 'item-not-found'
  | 'not-allowed'
  | 'service-unavailable'
  | 'internal-server-error'
  | 'resource-constraint'
  | 'server-error'
  // storage
  | 'database-too-new'
  | 'database-corrupt'
  /** Another program's SQLite file where the profile database should be: refused, untouched. */
  | 'database-foreign'
  /** A folder where the database file should be, or a file where the profile folder should be. */
  | 'profile-path-invalid'
  /** The profile cannot be written (read-only disk or permissions): reading still works. */
  | 'profile-read-only'
  | 'disk-full'
  | 'internal';

/** The account the app signs in with (never the password). */
export interface AccountSettings {
  /** Normalised bare JID. */
  jid: string;
  /** Server host when it differs from the JID's domain; null to use the domain. */
  host: string | null;
  port: number | null;
  /** With a host or port: TLS from the first byte (XEP-0368) instead of STARTTLS. Absent: false. */
  directTls?: boolean;
  /** Whether the password is kept (encrypted with the OS keychain) for the next start. */
  rememberPassword: boolean;
}

export interface SignInRequest {
  jid: string;
  password: string;
  host?: string | null;
  port?: number | null;
  /** Connect to host/port with Direct TLS (XEP-0368) instead of STARTTLS. */
  directTls?: boolean;
  rememberPassword: boolean;
  /**
   * The user's explicit yes to keeping the password where the OS offers no
   * keychain (Linux with only a basic text store). Without it nothing is saved.
   */
  acceptUnencryptedStorage?: boolean;
  /**
   * The user's explicit yes, after an auth-downgrade refusal, to signing in
   * although the server now offers less than before (once; what it offers
   * now is remembered from then on).
   */
  acceptDowngrade?: boolean;
}

/** Everything the renderer needs to draw its first screen. */
export interface AppState {
  account: AccountSettings | null;
  connection: ConnectionState;
  /** When the cached roster was last confirmed by the server (ms since epoch), or null. */
  syncedAt: number | null;
  /** Whether a password may be stored safely on this machine (OS keychain available). */
  canStorePasswordSafely: boolean;
  /** Set when the saved data was found damaged at start and set aside: the app says so once. */
  profileRecovery?: ProfileRecovery;
}

/** What happened when a damaged profile database was set aside and a fresh one started. */
export interface ProfileRecovery {
  /** Where the damaged file was kept. */
  movedTo: string;
  /** Edits waiting to be sent that were read back from it: they go out at the next sign-in. */
  keptEdits: number;
  /** Other saved things read back (settings, remembered password, refused requests). */
  keptOther: number;
}

/**
 * How the last sign-in found and secured the server (the "Account and
 * connection" view, `balcony-roster diagnose`). Plain data; every field is
 * what was seen, never a guess.
 */
export interface ConnectionReport {
  /** The DNS questions asked and their answers, in order. */
  dns: DnsLookup[];
  /** Every endpoint tried, in order, and what happened. */
  attempts: ConnectAttempt[];
  /** The TLS session of the connection that signed in (or got furthest), or null. */
  tls: TlsDetails | null;
  /** The SASL mechanism that signed in, or null. */
  sasl: { mechanism: string; channelBinding: string | null } | null;
  /** The server's software (XEP-0092), when it says. */
  server: { name: string; version: string } | null;
  features: { rosterVersioning: boolean; streamManagement: boolean; preApproval: boolean; blocking: boolean };
  roster: { lastFullSync: number | null; spoofedPushes: number };
  /** The step that failed, in plain words, when the sign-in failed. */
  failure: ConnectionFailure | null;
}

/** The steps of a sign-in, in order: finding the server, reaching it, TLS, SASL, starting the session. */
export type ConnectionStep = 'dns' | 'connect' | 'tls' | 'sasl' | 'session';

/** Why a sign-in failed, and at which step. */
export interface ConnectionFailure extends ErrorInfo {
  step: ConnectionStep;
}

/** The outcome of "Fetch the whole roster again". */
export interface RosterResync {
  /** How many contacts the server's full roster had. */
  count: number;
  /** When it was stored (ms since epoch). */
  syncedAt: number;
}

export interface DnsLookup {
  /** e.g. `_xmpps-client._tcp.example.org` */
  name: string;
  type: 'SRV' | 'A' | 'AAAA';
  /** Answers as text (`priority weight port target` for SRV, addresses for A/AAAA); empty when none. */
  answers: string[];
  /** Set when the lookup failed (NXDOMAIN counts as no answers, not as an error). */
  error: string | null;
}

export interface ConnectAttempt {
  host: string;
  port: number;
  /** The IP address connected to, when `host` is a name. */
  address?: string;
  tls: 'direct' | 'starttls';
  ok: boolean;
  /** Why it failed, in plain words; null when ok. */
  error: string | null;
}

export interface TlsDetails {
  version: string;
  cipher: string;
  certificate: { subject: string; issuer: string; validTo: string };
}

/** Live presence: who is online, who asks to see us, our own state. Never from the cache. */
export interface PresenceSnapshot {
  /** Contacts currently not offline (everyone else is offline). */
  contacts: ContactPresence[];
  requests: SubscriptionRequest[];
  own: OwnPresence;
  /** The server advertises pre-approval (RFC 6121 3.4): offer "approve in advance". */
  preApprovalSupported: boolean;
}

/** Subscription steps other than answering a request (RFC 6121 3). */
export type SubscriptionAction =
  /** ask to see their presence */
  | 'subscribe'
  /** withdraw our pending request */
  | 'cancel-request'
  /** they stop seeing our presence */
  | 'stop-sharing'
  /** we stop seeing theirs */
  | 'stop-receiving'
  /** approve before they ask (only where the server supports it) */
  | 'pre-approve';

export interface ContactInput {
  jid: string;
  /** undefined keeps (update) or leaves out (add) the name; null or '' clears it. */
  name?: string | null;
  /** undefined keeps the groups (update); a list replaces them. */
  groups?: string[];
  /** add only: also ask to see their presence (default true). */
  subscribe?: boolean;
}

/** Outcome of a batch such as renaming a group: one entry per contact. */
export interface BatchResult {
  succeeded: string[];
  failed: { jid: string; error: ErrorInfo }[];
}

/** One address on the blocklist (XEP-0191) as shown: the server's list with the user's waiting actions laid over it. */
export interface BlockedJid {
  /** Normalised JID: a contact (user@domain), a whole server (domain) or one device (a full JID). */
  jid: string;
  /** A block or unblock of this address not yet confirmed by the server; sent at the next sign-in. */
  pending?: 'block' | 'unblock';
}

/** A block or unblock the server refused: the list shows the server's state again, this says why. */
export interface BlockingFailure {
  /** What dismissBlockingFailure takes. */
  id: number;
  op: 'block' | 'unblock';
  jids: string[];
  error: ErrorInfo;
}

/** The blocklist of the account, for the "Blocked" list and the block/unblock actions. */
export interface BlocklistSnapshot {
  /**
   * The server offers XEP-0191 (as last found at a sign-in; false before
   * any): block and unblock are offered only then.
   */
  supported: boolean;
  /** Sorted by JID. */
  items: BlockedJid[];
  failures: BlockingFailure[];
}

/** The outcome of a block or unblock. */
export interface BlockingOutcome {
  /** True when it waits for the next sign-in (offline, or the list is still being fetched). */
  queued: boolean;
}

// ---- Conversations (issue 10): one-to-one chat, RFC 6121 5, type "chat" ----

/** Limits both sides enforce (main refuses, the composer says so before sending). */
export const MESSAGE_LIMITS = {
  /** Longest body accepted for sending, in UTF-16 code units. Received bodies over it are cut and marked. */
  bodyChars: 20_000,
  /** Most messages one history page may ask for. */
  pageSize: 500,
  /** Longest search query. */
  queryChars: 500,
} as const;

/**
 * Where a message is. Ours: 'queued' (waiting to send: offline), 'sending'
 * (written to the stream, no XEP-0198 ack yet), 'sent' (the server acked it,
 * or wrote it where it has no stream management), 'delivered' (a XEP-0184
 * receipt), 'read' (a XEP-0333 displayed marker), 'failed' (the server
 * returned an error: `error` says which). Theirs: 'received'.
 */
export type MessageState = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export interface ChatMessage {
  /** Local and stable. For our own messages it is also the stanza id and the origin-id (XEP-0359). */
  id: string;
  /** The contact's bare JID: the conversation this message belongs to. */
  conversation: string;
  direction: 'in' | 'out';
  /** Bare JIDs. */
  from: string;
  to: string;
  /** Plain text, never HTML. */
  body: string;
  /**
   * The server's time (ms since epoch): the archive's, a <delay/>'s, or for a
   * live message without one, the time it reached us, kept monotonic per
   * conversation. Ours: when the server archived it, else when we wrote it.
   */
  time: number;
  /** Tie-break of equal times: the store's insertion order. Order is (time, seq), the same on both sides. */
  seq: number;
  state: MessageState;
  /** Set when state is 'failed'. */
  error?: ErrorInfo | null;
  /** Sent by another of our own devices (a carbon, or the archive's copy). */
  fromOtherDevice?: boolean;
}

/** "Earlier messages may be missing" here: the archive could not fill a gap (expired, or no MAM on the server). */
export interface MessageGap {
  kind: 'gap';
  /** Local and stable. */
  id: string;
  /** Placed in the conversation at (time, seq), like a message. */
  time: number;
  seq: number;
}

export type ConversationEntry = ({ kind: 'message' } & ChatMessage) | MessageGap;

export interface HistoryRequest {
  /** The contact's bare JID. */
  jid: string;
  /** Entries strictly older than the entry with this id; null or absent: the newest page. */
  before?: string | null;
  /** At most MESSAGE_LIMITS.pageSize. */
  limit: number;
}

export interface HistoryPage {
  jid: string;
  /** Oldest first. */
  entries: ConversationEntry[];
  /** Nothing older exists, neither here nor in the server's archive (as far as it says). */
  atStart: boolean;
}

/** One row per conversation: what the contact list shows (unread badge, last line, Recent sort). */
export interface ConversationSummary {
  jid: string;
  unread: number;
  /** The last message, or null for a conversation with only gaps. */
  last: { id: string; body: string; time: number; direction: 'in' | 'out'; state: MessageState } | null;
}

export type ChatStateName = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

export interface MessageSettings {
  /** Send chat states (XEP-0085) to contacts who share presence with us. Default true. */
  sendChatStates: boolean;
  /** System notifications: sender and first line, only "New message", or none. Default 'full'. */
  notifications: 'full' | 'private' | 'off';
}

export interface MessageSearchRequest {
  query: string;
  /** Only this conversation; null or absent: all. */
  jid?: string | null;
  limit: number;
}

export interface MessageSearchHit {
  message: ChatMessage;
  /** The body with the matches between U+E000 and U+E001 (private-use marks the renderer turns into <mark>). */
  snippet: string;
}

/** The result envelope every call returns: Electron keeps only an error's message across invoke. */
// ---- The desktop app (issue 13): settings, xmpp: links, menu commands, About ----

/** The app's own settings (the Settings screen). Main applies them: tray, login item, spellcheck, theme. */
export interface DesktopSettings {
  theme: 'system' | 'light' | 'dark';
  /** Closing the window keeps Balcony running (and online) in the tray. On by default where there is a tray. */
  keepInTray: boolean;
  startAtLogin: boolean;
  /** At login, start in the tray without showing the window. */
  startMinimised: boolean;
  /** Off by default on Linux, where Electron would download dictionaries from a third party. */
  spellcheck: boolean;
  /** Notifications for contact requests (messages have MessageSettings.notifications, whose 'private' applies here too). */
  requestNotifications: boolean;
}

/** What this machine's desktop offers (the Settings screen hides what is not there). */
export interface DesktopCapabilities {
  hasTray: boolean;
  canStartAtLogin: boolean;
  /** The OS spellchecker is used (macOS, Windows) rather than downloaded dictionaries (Linux). */
  osSpellchecker: boolean;
}

/** One package Balcony ships, for the About screen. */
export interface ShippedLicence {
  name: string;
  version: string;
  /** SPDX expression as the package states it ("MIT", "(MIT OR Apache-2.0)"). */
  licence: string;
  /** The licence text shipped with the package, or '' when it has none. */
  text: string;
}

export interface AboutInfo {
  name: string;
  version: string;
  /** Electron, Chromium, Node and the like, where known: shown and copied into bug reports. */
  runtime: { name: string; version: string }[];
  licences: ShippedLicence[];
}

/**
 * What an `xmpp:` link (RFC 5122, XEP-0147) leads to, decided in main. Nothing
 * is done by the link itself: the window pre-fills a dialog or a draft, and
 * anything that changes the roster asks first.
 */
export type XmppLinkAction =
  /** `?roster` (name, group) or `?subscribe`: the add-contact dialog, pre-filled. */
  | { kind: 'add-contact'; jid: string; name: string | null; group: string | null; subscribe: boolean }
  /** `?message` (or no query): the conversation, with `body` as a draft, never sent by itself. */
  | { kind: 'message'; jid: string; body: string | null }
  /** `?remove` / `?unsubscribe`: only after the user confirms. */
  | { kind: 'remove'; jid: string }
  | { kind: 'unsubscribe'; jid: string }
  /** Malformed, unknown or too long: shown as an error, nothing done. `uri` is cut to a readable length. */
  | { kind: 'invalid'; uri: string; reason: string };

/** Commands from the application menu or the tray, carried out by the window. */
export type AppCommand =
  'settings' | 'about' | 'keyboard-help' | 'connection-report' | 'add-contact' | 'copy-address' | 'show-address';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Pushed from main to the renderer. Roster changes are deltas, never the whole roster again. */
export type MessengerEvent =
  | { type: 'connection'; state: ConnectionState; syncedAt: number | null }
  | { type: 'roster'; change: RosterChange }
  /** A large roster result is arriving (a few a second), or has (`done`). */
  | { type: 'roster-progress'; progress: RosterProgress }
  | { type: 'account'; account: AccountSettings | null }
  /** Presence of one contact changed (never sent from the cache: only live). */
  | { type: 'presence'; presence: ContactPresence }
  /** The list of pending incoming subscription requests changed. */
  | { type: 'requests'; requests: SubscriptionRequest[] }
  /**
   * An edit made offline met a change made elsewhere: the server's value was
   * kept for `fields` ('name', 'groups'), or the contact had been removed
   * elsewhere ('removed-elsewhere') and the edit was dropped.
   */
  | { type: 'conflict'; jid: string; fields: string[] }
  /** The blocklist changed (a push, our own action, a sign-in's fetch): the whole list, it is small. */
  | { type: 'blocklist'; blocklist: BlocklistSnapshot }
  /** A message is new or changed (its state, its time once archived): upsert by id, place by (time, seq). */
  | { type: 'message'; message: ChatMessage }
  /** An "earlier messages may be missing" marker appeared in a conversation. */
  | { type: 'gap'; jid: string; gap: MessageGap }
  /** A conversation's summary changed (unread count, last message). */
  | { type: 'conversation'; conversation: ConversationSummary }
  /** The contact's chat state (XEP-0085): 'composing' shows "typing…". */
  | { type: 'chat-state'; jid: string; state: ChatStateName }
  /** The desktop settings changed (here or by the tray menu). */
  | { type: 'desktop-settings'; settings: DesktopSettings }
  /** An `xmpp:` link was opened while the window runs (earlier ones: takeXmppLinks). */
  | { type: 'xmpp-link'; action: XmppLinkAction }
  /** The application menu or the tray asks the window to do something. */
  | { type: 'command'; command: AppCommand }
  /**
   * Our own presence changed, whoever set it: the window, the tray's Status
   * items, a tool (issue 13). Comes before the answer to the window's own
   * setOwnPresence call.
   */
  | { type: 'own-presence'; own: OwnPresence };

/** The API the preload exposes as `window.messenger`, and nothing else. */
export interface MessengerApi {
  getState(): Promise<Result<AppState>>;
  signIn(request: SignInRequest): Promise<Result<AppState>>;
  signOut(options: { forgetAccount: boolean }): Promise<Result<AppState>>;
  /** The cached roster whole (tools and tests; the list loads through getRosterPage and getRosterChunk). */
  getRoster(): Promise<Result<RosterSnapshot>>;
  /** The first rows of the list in display order, every group's count, and the token that names this load. */
  getRosterPage(request: RosterPageRequest): Promise<Result<RosterPage>>;
  /** The rest of the roster, a keyset page at a time; deltas that arrive meanwhile apply in arrival order. */
  getRosterChunk(request: RosterChunkRequest): Promise<Result<RosterChunk>>;
  addContact(input: ContactInput): Promise<Result<RosterItem | null>>;
  updateContact(input: ContactInput): Promise<Result<RosterItem | null>>;
  removeContact(jid: string): Promise<Result<null>>;
  renameGroup(from: string, to: string): Promise<Result<BatchResult>>;
  getPresence(): Promise<Result<PresenceSnapshot>>;
  /**
   * Lets `jid` see our presence; with askBack, also asks to see theirs. With
   * `name` or `groups`, they are kept as a contact under that name and in
   * those groups (added, or updated if already one), the roster edit before
   * the approval; offline both are queued.
   */
  approveRequest(
    jid: string,
    options: { askBack: boolean; name?: string | null; groups?: string[] },
  ): Promise<Result<null>>;
  /** Refuses; later requests from `jid` are not shown again. */
  denyRequest(jid: string): Promise<Result<null>>;
  changeSubscription(jid: string, action: SubscriptionAction): Promise<Result<null>>;
  /** The requests the user denied, newest first (works offline: they are kept on this computer). */
  listDeniedRequests(): Promise<Result<DeniedRequest[]>>;
  /**
   * Undoes a denial: the next request from `jid` is shown again (an answer
   * still waiting to go out is dropped, so the server asks again). Offline
   * too; undoing what is not denied does nothing.
   */
  undoDenial(jid: string): Promise<Result<null>>;
  setOwnPresence(presence: OwnPresence): Promise<Result<null>>;
  /** The network is back (the page saw 'online'): try to connect now instead of waiting out the backoff. */
  reconnectNow(): Promise<Result<null>>;
  /** Drops an edit still waiting to sync (or one that failed), by its PendingEdit id. */
  cancelEdit(id: number): Promise<Result<null>>;
  /** How the last sign-in went: DNS, endpoints, TLS, SASL, server software, features, roster figures. */
  getConnectionReport(): Promise<Result<ConnectionReport>>;
  /** Fetches the whole roster again (no version): the cache is kept until the full result replaces it. */
  resyncRoster(): Promise<Result<RosterResync>>;
  /** The blocklist (XEP-0191) and whether the server supports blocking; works offline from the cache. */
  getBlocklist(): Promise<Result<BlocklistSnapshot>>;
  /**
   * Blocks addresses (one or several, at most 500): no messages, presence or
   * requests from them. Offline it waits for the next sign-in (`queued`).
   * Refused with 'service-unavailable' where the server has no blocking.
   */
  block(jids: string[]): Promise<Result<BlockingOutcome>>;
  /** Unblocks addresses (never an empty list: that would mean everyone). Queued like block. */
  unblock(jids: string[]): Promise<Result<BlockingOutcome>>;
  /** "Deny and block": refuses `jid`'s request and blocks them, in one action. */
  denyAndBlock(jid: string): Promise<Result<BlockingOutcome>>;
  /** Removes a refused block or unblock from view, by its BlockingFailure id. */
  dismissBlockingFailure(id: number): Promise<Result<null>>;
  /** Every conversation's summary (one row per contact we exchanged messages with), newest first. */
  getConversations(): Promise<Result<ConversationSummary[]>>;
  /**
   * A page of a conversation, oldest first. From the cache; when the cache
   * has nothing older and we are online, the server's archive is asked for
   * the page first (scrolling back).
   */
  getHistory(request: HistoryRequest): Promise<Result<HistoryPage>>;
  /** Queues a message (shown at once) and sends it when online, exactly once. Refused: empty, too long, bad JID. */
  sendMessage(request: { to: string; body: string }): Promise<Result<ChatMessage>>;
  /** Sends a failed message again (same id). */
  retryMessage(id: string): Promise<Result<ChatMessage>>;
  /** The user saw the conversation up to this message: unread drops to 0 and a displayed marker goes out (XEP-0333). */
  markRead(request: { jid: string; upTo: string }): Promise<Result<null>>;
  /** Our chat state in a conversation; main sends it only where allowed (settings, shared presence). */
  setChatState(request: { jid: string; state: ChatStateName }): Promise<Result<null>>;
  /** Full-text search of the stored messages (SQLite FTS5), newest first. */
  searchMessages(request: MessageSearchRequest): Promise<Result<MessageSearchHit[]>>;
  getMessageSettings(): Promise<Result<MessageSettings>>;
  setMessageSettings(settings: MessageSettings): Promise<Result<MessageSettings>>;
  getDesktopSettings(): Promise<Result<{ settings: DesktopSettings; capabilities: DesktopCapabilities }>>;
  setDesktopSettings(settings: DesktopSettings): Promise<Result<DesktopSettings>>;
  getAbout(): Promise<Result<AboutInfo>>;
  /** The `xmpp:` links opened before the window listened (first launch, argv); each is handed out once. */
  takeXmppLinks(): Promise<Result<XmppLinkAction[]>>;
  /** Opens an http(s) address in the system browser; the window has shown the whole address and the user agreed. */
  openExternal(request: { url: string }): Promise<Result<null>>;
  /** Opens the profile folder in the file manager (Help menu). */
  openProfileFolder(): Promise<Result<null>>;
  /**
   * Shows the window and brings it forward, also from the tray or minimised
   * (a notification was clicked: the page's window.focus() cannot do that).
   * Added to the issue 13 section by the tray part.
   */
  showWindow(): Promise<Result<null>>;
  /** Subscribes to events; returns the function that unsubscribes. */
  onEvent(listener: (event: MessengerEvent) => void): () => void;
}

/** IPC channel names, one per call, plus the one event channel. */
export const CHANNELS = {
  getState: 'messenger:get-state',
  signIn: 'messenger:sign-in',
  signOut: 'messenger:sign-out',
  getRoster: 'messenger:get-roster',
  getRosterPage: 'messenger:get-roster-page',
  getRosterChunk: 'messenger:get-roster-chunk',
  addContact: 'messenger:add-contact',
  updateContact: 'messenger:update-contact',
  removeContact: 'messenger:remove-contact',
  renameGroup: 'messenger:rename-group',
  cancelEdit: 'messenger:cancel-edit',
  reconnectNow: 'messenger:reconnect-now',
  getPresence: 'messenger:get-presence',
  approveRequest: 'messenger:approve-request',
  denyRequest: 'messenger:deny-request',
  changeSubscription: 'messenger:change-subscription',
  listDeniedRequests: 'messenger:list-denied-requests',
  undoDenial: 'messenger:undo-denial',
  setOwnPresence: 'messenger:set-own-presence',
  getConnectionReport: 'messenger:get-connection-report',
  resyncRoster: 'messenger:resync-roster',
  getBlocklist: 'messenger:get-blocklist',
  block: 'messenger:block',
  unblock: 'messenger:unblock',
  denyAndBlock: 'messenger:deny-and-block',
  dismissBlockingFailure: 'messenger:dismiss-blocking-failure',
  getConversations: 'messenger:get-conversations',
  getHistory: 'messenger:get-history',
  sendMessage: 'messenger:send-message',
  retryMessage: 'messenger:retry-message',
  markRead: 'messenger:mark-read',
  setChatState: 'messenger:set-chat-state',
  searchMessages: 'messenger:search-messages',
  getMessageSettings: 'messenger:get-message-settings',
  setMessageSettings: 'messenger:set-message-settings',
  getDesktopSettings: 'messenger:get-desktop-settings',
  setDesktopSettings: 'messenger:set-desktop-settings',
  getAbout: 'messenger:get-about',
  takeXmppLinks: 'messenger:take-xmpp-links',
  openExternal: 'messenger:open-external',
  openProfileFolder: 'messenger:open-profile-folder',
  showWindow: 'messenger:show-window',
  event: 'messenger:event',
} as const;

export type InvokeChannel = Exclude<keyof typeof CHANNELS, 'event'>;
