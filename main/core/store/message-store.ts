import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type {
  ChatMessage,
  ConversationEntry,
  ConversationSummary,
  ErrorInfo,
  MessageGap,
  MessageSearchHit,
  MessageState,
} from '../../../preload/contract.js';
import { MESSAGE_LIMITS } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { IncomingMessage } from '../messages/message-stanzas.js';
import { hasAll, markPieces, searchPlan } from './message-search-query.js';

/** Where a copy of a message came from. */
export type MessageSource = 'live' | 'carbon' | 'archive';

/**
 * A message to store: parsed by parseChatMessage, with a body (bodiless
 * stanzas carry receipts, markers and chat states: not stored), not an error
 * bounce. An archive copy adds the archive's id and time (unwrapMamResult).
 */
export type StorableMessage = IncomingMessage & {
  body: string;
  source: MessageSource;
  archiveId?: string | null;
  archiveTime?: number | null;
};

/** What storing one copy did: `isNew` a row was added; `changed` an existing one took a new id, time or state. */
export interface StoreOutcome {
  message: ChatMessage;
  isNew: boolean;
  changed: boolean;
}

/** An archive position: the archive's id of an item and its time. */
export interface ArchivePosition {
  id: string;
  time: number;
}

/** What one archive page wrote (storeArchivePage): each item's outcome, the gaps placed, the cursor after it. */
export interface StoredBatch {
  results: StoreOutcome[];
  /** How many items were new rows. */
  added: number;
  gaps: { jid: string; gap: MessageGap }[];
  /** The summaries of the conversations the page touched (for 'conversation' events). */
  conversations: ConversationSummary[];
  cursor: ArchivePosition | null;
}

/** Where a displayed marker (XEP-0333) goes: the contact's full JID where known, and their message's id. */
export interface MarkerTarget {
  to: string;
  id: string;
}

/** Two copies of one message without a common server id are taken as one within this time (their ids matching). */
export const DEDUPE_WINDOW_MS = 10 * 60 * 1000;
/** The coarsest server stamp (archive, <delay/>): Prosody gives whole seconds. */
const STAMP_PRECISION_MS = 1000;
/** Most messages a search of only one- and two-character pieces reads (newest first). */
export const SHORT_SCAN_ROWS = 5000;

const TIME_LOCAL = 0;
const TIME_DELAY = 1;
const TIME_ARCHIVE = 2;

/** Our states in the order they are reached; a later one is never replaced by an earlier one. */
const OUT_RANK: Record<MessageState, number> = {
  queued: 0,
  sending: 1,
  failed: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  received: 0,
};

interface Row {
  seq: number;
  id: string;
  kind: 'message' | 'gap';
  conversation: string;
  direction: 'in' | 'out';
  from_jid: string;
  to_jid: string;
  peer_resource: string | null;
  body: string;
  time: number;
  time_source: number;
  state: MessageState;
  error_code: string | null;
  error_message: string | null;
  stanza_id: string | null;
  origin_id: string | null;
  msg_id: string | null;
  from_other_device: 0 | 1;
  markable: 0 | 1;
}

interface ConversationRow {
  jid: string;
  unread: number;
  last_seq: number | null;
  last_time: number | null;
  read_time: number | null;
  read_seq: number | null;
  last_out_time: number | null;
  last_out_seq: number | null;
}

type InsertValues = [
  account: string,
  id: string,
  kind: 'message' | 'gap',
  conversation: string,
  direction: 'in' | 'out',
  from: string,
  to: string,
  peerResource: string | null,
  body: string,
  time: number,
  timeSource: number,
  state: MessageState,
  stanzaId: string | null,
  originId: string | null,
  msgId: string | null,
  fromOtherDevice: number,
  markable: number,
  storedAt: number,
];

const COLUMNS = `seq, id, kind, conversation, direction, from_jid, to_jid, peer_resource, body, time, time_source,
  state, error_code, error_message, stanza_id, origin_id, msg_id, from_other_device, markable`;

/**
 * The reads that must stay one index range at 100,000 messages (issue 10
 * #6), on messages_by_time: exported so a test can EXPLAIN them.
 */
export const PAGE_QUERIES = {
  /** The newest page of a conversation (newest first; history() reverses it). */
  newest: `SELECT ${COLUMNS} FROM messages WHERE account = ? AND conversation = ? ORDER BY time DESC, seq DESC LIMIT ?`,
  /** The page before an entry (time, seq): paging back. */
  older: `SELECT ${COLUMNS} FROM messages WHERE account = ? AND conversation = ? AND (time, seq) < (?, ?)
    ORDER BY time DESC, seq DESC LIMIT ?`,
  /** Their messages after the read marker (time, seq): the unread count. */
  unreadAfter: `SELECT COUNT(*) AS n FROM messages
    WHERE account = ? AND conversation = ? AND (time, seq) > (?, ?) AND kind = 'message' AND direction = 'in'`,
} as const;

const CONVERSATION_COLUMNS = 'jid, unread, last_seq, last_time, read_time, read_seq, last_out_time, last_out_seq';

/** Smallest (time, seq): before every entry. */
const BEFORE_ALL = { time: Number.MIN_SAFE_INTEGER, seq: 0 };

/**
 * The conversations cache of one account (migration 0090): messages, gap
 * markers, unread counts, the outbox of our messages and the archive cursor.
 * Synchronous (better-sqlite3); every write is one transaction. Write
 * failures are SqliteErrors that toErrorInfo turns into disk-full or
 * profile-read-only.
 *
 * Dedupe (storeIncoming): a copy is the same message as a stored row when
 * 1. their server ids match (stanza-id by our bare JID, or the archive id);
 * 2. else same sender and origin-id (XEP-0359), neither holding another server id, or the
 *    same body (the sender's resend after a cut, archived twice by the server);
 * 3. else same sender and stanza id attribute, within DEDUPE_WINDOW_MS, likewise.
 * Our own messages come back (a sent carbon, the archive) with our id as
 * origin-id: they match their outbox row by rule 2, which takes the server's
 * id and time and counts at least as sent.
 *
 * Order is (time, seq). Time is the archive's, else a <delay/>'s (never in
 * the future), else the arrival, kept monotonic per conversation; a later
 * copy with a better time (delay over local, archive over both) moves it.
 */
export class MessageStore {
  readonly #account: string;
  /**
   * While an archive page is written (#page): the conversations it touched,
   * their row as it will be (read once, kept in memory) and what is still to
   * write there. Their last-entry refresh and unread count are written once
   * per conversation at the page's end, not once per message.
   */
  #pending: Map<string, PendingConversation> | null = null;
  /** The page's first new row (seq): the page's rows from it on enter the full-text index together. */
  #pageFirstSeq: number | null = null;
  readonly #ftsInsert: Statement<[number, string]>;
  readonly #ftsFrom: Statement<[number]>;
  readonly #insert: Statement<InsertValues>;
  readonly #byId: Statement<[string, string], Row>;
  readonly #bySeq: Statement<[number], Row>;
  readonly #byStanzaId: Statement<[string, string], Row>;
  readonly #byOriginId: Statement<[string, string, string, string, string | null, string], Row>;
  readonly #byMsgId: Statement<
    [string, string, string, string, string | null, string | null, string | null, number, number],
    Row
  >;
  readonly #ourByMsgId: Statement<[string, string, string, string], Row>;
  readonly #ourByOriginId: Statement<[string, string, string, string], Row>;
  readonly #theirByMsgId: Statement<[string, string, string, string], Row>;
  readonly #setServerFacts: Statement<[string | null, number, number, number]>;
  readonly #setState: Statement<[MessageState, string | null, string | null, number]>;
  readonly #outboxAdd: Statement<[string, string]>;
  readonly #outboxRemove: Statement<[string]>;
  readonly #outboxList: Statement<[string], Row>;
  readonly #conversation: Statement<[string, string], ConversationRow>;
  readonly #ensureConversation: Statement<[string, string]>;
  readonly #refreshLast: Statement<[string, string, string, string, string, string]>;
  readonly #bumpUnread: Statement<[string, string]>;
  readonly #addUnread: Statement<[number, string, string]>;
  readonly #setLastOut: Statement<[number | null, number | null, string, string]>;
  readonly #newestOut: Statement<[string, string], { time: number; seq: number }>;
  readonly #setRead: Statement<[number, number, string, string]>;
  readonly #countUnread: Statement<[string, string, number, number], { n: number }>;
  readonly #setUnread: Statement<[number, string, string]>;
  readonly #conversationList: Statement<[string], ConversationRow>;
  readonly #newest: Statement<[string, string, number], Row>;
  readonly #older: Statement<[string, string, number, number, number], Row>;
  readonly #oursBackFrom: Statement<[string, string, number, number], Row>;
  readonly #markerTarget: Statement<[string, string, number, number], Row>;
  readonly #cursorGet: Statement<[string], { archive_id: string; time: number }>;
  readonly #cursorSet: Statement<[string, string, number, number]>;
  readonly #cursorClear: Statement<[string]>;
  readonly #pageBackGet: Statement<[string, string], { at_start: 0 | 1 }>;
  readonly #pageBackSet: Statement<[string, string, number]>;
  readonly #oldestArchiveId: Statement<[string, string], string>;
  readonly #firstArchivedStoredAt: Statement<[string], number | null>;
  readonly #newestPlaced: Statement<[string, string, number], number | null>;
  readonly #search: Statement<[string, string, string | null, string | null, string, number], Row>;
  readonly #scanConversation: Statement<[string, string, number, string, number], Row>;
  readonly #scanAll: Statement<[string, number, string, number], Row>;

  readonly #forgetTx: () => void;
  readonly #storeTx: (m: StorableMessage, now: number) => StoreOutcome;
  readonly #queueTx: (to: string, body: string, from: string, now: number) => ChatMessage;
  readonly #stateTx: (id: string, to: MessageState, error: ErrorInfo | null) => ChatMessage | null;
  readonly #retryTx: (id: string) => ChatMessage;
  readonly #receiptTx: (conversation: string, msgId: string, kind: 'delivered' | 'read') => ChatMessage[];
  readonly #markReadTx: (jid: string, upToId: string) => boolean;
  readonly #markReadByMarkerTx: (jid: string, markerId: string) => boolean;
  readonly #gapTx: (jid: string, time: number, now: number) => MessageGap;
  readonly #pageTx: (
    items: readonly StorableMessage[],
    options: { cursor?: ArchivePosition | null; gapIn?: readonly string[] },
    now: number,
  ) => StoredBatch;

  /** `account`: our own normalised bare JID; every row read or written is this account's. */
  constructor(db: Database, account: string) {
    this.#account = account;
    this.#insert = db.prepare(
      `INSERT INTO messages (account, id, kind, conversation, direction, from_jid, to_jid, peer_resource, body, time,
         time_source, state, stanza_id, origin_id, msg_id, from_other_device, markable, stored_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The full-text index is the store's to keep for new rows (migration 0100): one row, or a page's rows at once.
    this.#ftsInsert = db.prepare('INSERT INTO messages_fts (rowid, body) VALUES (?, ?)');
    this.#ftsFrom = db.prepare(
      "INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages WHERE seq >= ? AND kind = 'message'",
    );
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE account = ? AND id = ?`);
    this.#bySeq = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE seq = ?`);
    this.#byStanzaId = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE account = ? AND stanza_id = ? AND stanza_id IS NOT NULL`,
    );
    // A row that holds another server id is another message, whatever its other ids say, unless it
    // is the same text: a sender that sends again after a cut (no ack, no receipt) keeps the
    // origin-id, and the server archives both copies under two ids. One message, shown once.
    this.#byOriginId = db.prepare(
      `SELECT ${COLUMNS} FROM messages
       WHERE account = ? AND conversation = ? AND from_jid = ? AND origin_id = ? AND origin_id IS NOT NULL
         AND (stanza_id IS NULL OR ? IS NULL OR body = ?)
       ORDER BY seq DESC LIMIT 1`,
    );
    // The window is about when the copies reached the server or us: a row timed by the local clock
    // (possibly pushed later to keep its conversation monotonic) is compared by when it arrived.
    this.#byMsgId = db.prepare(
      `SELECT ${COLUMNS} FROM messages
       WHERE account = ? AND conversation = ? AND from_jid = ? AND msg_id = ? AND msg_id IS NOT NULL
         AND (stanza_id IS NULL OR ? IS NULL)
         AND (origin_id IS NULL OR ? IS NULL OR origin_id = ?)
         AND (CASE WHEN time_source = 0 THEN stored_at ELSE time END) BETWEEN ? AND ?
       ORDER BY seq DESC LIMIT 1`,
    );
    // Two lookups, each one seek of its index (an OR of the two would scan the conversation).
    this.#ourByMsgId = db.prepare(
      `SELECT ${COLUMNS} FROM messages
       WHERE account = ? AND conversation = ? AND from_jid = ? AND msg_id = ? AND msg_id IS NOT NULL
         AND direction = 'out'
       ORDER BY seq DESC LIMIT 1`,
    );
    this.#ourByOriginId = db.prepare(
      `SELECT ${COLUMNS} FROM messages
       WHERE account = ? AND conversation = ? AND from_jid = ? AND origin_id = ? AND origin_id IS NOT NULL
         AND direction = 'out'
       ORDER BY seq DESC LIMIT 1`,
    );
    // The contact's message a displayed marker of our other device names (XEP-0333: its id attribute).
    this.#theirByMsgId = db.prepare(
      `SELECT ${COLUMNS} FROM messages
       WHERE account = ? AND conversation = ? AND from_jid = ? AND msg_id = ? AND msg_id IS NOT NULL
         AND direction = 'in'
       ORDER BY seq DESC LIMIT 1`,
    );
    this.#setServerFacts = db.prepare('UPDATE messages SET stanza_id = ?, time = ?, time_source = ? WHERE seq = ?');
    this.#setState = db.prepare('UPDATE messages SET state = ?, error_code = ?, error_message = ? WHERE seq = ?');
    this.#outboxAdd = db.prepare(
      'INSERT INTO message_outbox (account, message_id) VALUES (?, ?) ON CONFLICT (message_id) DO NOTHING',
    );
    this.#outboxRemove = db.prepare('DELETE FROM message_outbox WHERE message_id = ?');
    this.#outboxList = db.prepare(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 'm.$1')} FROM message_outbox o JOIN messages m ON m.id = o.message_id
       WHERE o.account = ? ORDER BY o.position`,
    );
    this.#conversation = db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations WHERE account = ? AND jid = ?`);
    this.#ensureConversation = db.prepare(
      'INSERT INTO conversations (account, jid) VALUES (?, ?) ON CONFLICT (account, jid) DO NOTHING',
    );
    this.#refreshLast = db.prepare(
      `UPDATE conversations SET
         last_time = (SELECT time FROM messages WHERE account = ? AND conversation = ? ORDER BY time DESC, seq DESC LIMIT 1),
         last_seq = (SELECT seq FROM messages WHERE account = ? AND conversation = ? AND kind = 'message'
                     ORDER BY time DESC, seq DESC LIMIT 1)
       WHERE account = ? AND jid = ?`,
    );
    this.#bumpUnread = db.prepare('UPDATE conversations SET unread = unread + 1 WHERE account = ? AND jid = ?');
    this.#addUnread = db.prepare('UPDATE conversations SET unread = unread + ? WHERE account = ? AND jid = ?');
    this.#setLastOut = db.prepare(
      'UPDATE conversations SET last_out_time = ?, last_out_seq = ? WHERE account = ? AND jid = ?',
    );
    // Only when one of our messages moved in time (its archive copy came): walks back from the newest entry.
    this.#newestOut = db.prepare(
      `SELECT time, seq FROM messages WHERE account = ? AND conversation = ? AND direction = 'out' AND kind = 'message'
       ORDER BY time DESC, seq DESC LIMIT 1`,
    );
    this.#setRead = db.prepare('UPDATE conversations SET read_time = ?, read_seq = ? WHERE account = ? AND jid = ?');
    this.#countUnread = db.prepare(PAGE_QUERIES.unreadAfter);
    this.#setUnread = db.prepare('UPDATE conversations SET unread = ? WHERE account = ? AND jid = ?');
    this.#conversationList = db.prepare(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversations
       WHERE account = ? AND last_time IS NOT NULL ORDER BY last_time DESC, jid`,
    );
    this.#newest = db.prepare(PAGE_QUERIES.newest);
    this.#older = db.prepare(PAGE_QUERIES.older);
    this.#oursBackFrom = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE account = ? AND conversation = ? AND (time, seq) <= (?, ?)
         AND direction = 'out' AND kind = 'message'
       ORDER BY time DESC, seq DESC`,
    );
    this.#markerTarget = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE account = ? AND conversation = ? AND (time, seq) <= (?, ?)
         AND direction = 'in' AND kind = 'message'
       ORDER BY time DESC, seq DESC LIMIT 1`,
    );
    this.#cursorGet = db.prepare('SELECT archive_id, time FROM archive_cursor WHERE account = ?');
    this.#cursorSet = db.prepare(
      `INSERT INTO archive_cursor (account, archive_id, time, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (account) DO UPDATE SET archive_id = excluded.archive_id, time = excluded.time,
         updated_at = excluded.updated_at`,
    );
    this.#cursorClear = db.prepare('DELETE FROM archive_cursor WHERE account = ?');
    this.#pageBackGet = db.prepare('SELECT at_start FROM archive_page_back WHERE account = ? AND jid = ?');
    this.#pageBackSet = db.prepare(
      `INSERT INTO archive_page_back (account, jid, at_start) VALUES (?, ?, ?)
       ON CONFLICT (account, jid) DO UPDATE SET at_start = excluded.at_start`,
    );
    this.#oldestArchiveId = db
      .prepare<[string, string], string>(
        `SELECT stanza_id FROM messages WHERE account = ? AND conversation = ? AND stanza_id IS NOT NULL
         ORDER BY time, seq LIMIT 1`,
      )
      .pluck();

    this.#newestPlaced = db
      .prepare<[string, string, number], number | null>(
        `SELECT MAX(time) FROM messages WHERE account = ? AND conversation = ? AND kind = 'message'
           AND NOT (direction = 'out' AND time_source = ?)`,
      )
      .pluck();
    this.#firstArchivedStoredAt = db
      .prepare<[string], number | null>(
        `SELECT MIN(stored_at) FROM messages WHERE account = ? AND kind = 'message' AND stanza_id IS NOT NULL`,
      )
      .pluck();

    const forgetStatements = ['messages', 'conversations', 'message_outbox', 'archive_cursor', 'archive_page_back'].map(
      (table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE account = ?`),
    );
    this.#forgetTx = db.transaction(() => {
      for (const statement of forgetStatements) statement.run(this.#account);
    });
    // Pieces under three characters are checked on the text (the trigram index cannot find them):
    // by a function of this connection, so that LIMIT counts only what matched.
    db.function('balcony_has_all', { deterministic: true }, (body: unknown, needles: unknown) =>
      typeof body === 'string' && typeof needles === 'string' && hasAll(body, needles) ? 1 : 0,
    );
    this.#search = db.prepare(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 'm.$1')}
       FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid
       WHERE messages_fts MATCH ? AND m.account = ? AND m.kind = 'message' AND (? IS NULL OR m.conversation = ?)
         AND balcony_has_all(m.body, ?)
       ORDER BY m.time DESC, m.seq DESC LIMIT ?`,
    );
    // Only short pieces: a scan, bounded to the newest SHORT_SCAN_ROWS of the conversation, or the
    // most recently stored of the account (by seq: one walk of the table's rowid, no sort of it all).
    this.#scanConversation = db.prepare(
      `SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE account = ? AND conversation = ? AND kind = 'message'
         ORDER BY time DESC, seq DESC LIMIT ?)
       WHERE balcony_has_all(body, ?) ORDER BY time DESC, seq DESC LIMIT ?`,
    );
    this.#scanAll = db.prepare(
      `SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE +account = ? AND kind = 'message' ORDER BY seq DESC LIMIT ?)
       WHERE balcony_has_all(body, ?) ORDER BY time DESC, seq DESC LIMIT ?`,
    );
    this.#storeTx = db.transaction((m: StorableMessage, now: number) => this.#store(m, now));
    this.#queueTx = db.transaction((to: string, body: string, from: string, now: number) =>
      this.#queue(to, body, from, now),
    );
    this.#stateTx = db.transaction((id: string, to: MessageState, error: ErrorInfo | null) =>
      this.#moveState(id, to, error),
    );
    this.#retryTx = db.transaction((id: string) => this.#retry(id));
    this.#receiptTx = db.transaction((conversation: string, msgId: string, kind: 'delivered' | 'read') =>
      this.#receipt(conversation, msgId, kind),
    );
    this.#markReadTx = db.transaction((jid: string, upToId: string) => this.#markRead(jid, upToId));
    this.#markReadByMarkerTx = db.transaction((jid: string, markerId: string) => this.#markReadByMarker(jid, markerId));
    this.#gapTx = db.transaction((jid: string, time: number, now: number) => this.#gap(jid, time, now));
    this.#pageTx = db.transaction(
      (
        items: readonly StorableMessage[],
        options: { cursor?: ArchivePosition | null; gapIn?: readonly string[] },
        now: number,
      ) => this.#page(items, options, now),
    );
  }

  /** Our own bare JID, whose rows this store reads and writes. */
  get account(): string {
    return this.#account;
  }

  // ---- our messages: the outbox ----

  /**
   * A new message of ours, state 'queued', in the outbox (the caller has
   * validated `to` and `body`). Its id (a new UUID) is also the stanza id and
   * origin-id to send. Sending counts as reading the conversation up to it.
   */
  queueOutgoing(m: { to: string; body: string; ownBare: string; now: number }): ChatMessage {
    if (m.ownBare !== this.#account) {
      throw new BalconyError('invalid-argument', 'A message can only be queued from the account of this store.');
    }
    return this.#queueTx(m.to, m.body, m.ownBare, m.now);
  }

  /** Our messages still to send (queued or sending), oldest first. */
  outboxEntries(): ChatMessage[] {
    return this.#outboxList.all(this.#account).map(toMessage);
  }

  /** Written to the stream, no ack yet. Null when unknown or already further (sent, delivered, read). */
  markSending(id: string): ChatMessage | null {
    return this.#stateTx(id, 'sending', null);
  }

  /** The server acked it (XEP-0198) or took it: out of the outbox. Null when unknown, failed or already further. */
  markSent(id: string): ChatMessage | null {
    return this.#stateTx(id, 'sent', null);
  }

  /** The server bounced it: out of the outbox, with the error. Null when unknown, delivered or read. */
  markFailed(id: string, error: ErrorInfo): ChatMessage | null {
    return this.#stateTx(id, 'failed', error);
  }

  /**
   * A failed message queued again, same id, at the end of the outbox. A
   * message still queued or sending is returned as it is; one that was sent
   * is refused (invalid-argument), as is an unknown id.
   */
  retry(id: string): ChatMessage {
    return this.#retryTx(id);
  }

  // ---- receiving ----

  /**
   * Stores one copy of a message (live, carbon, or archive), or merges it
   * into the stored row it duplicates (see the class comment). `now` is the
   * local clock, used only where the server gave no time. A new message of
   * theirs after the read marker counts as unread; a new one of ours (sent
   * from another device) marks the conversation read up to it.
   */
  storeIncoming(m: StorableMessage, now: number): StoreOutcome {
    return this.#storeTx(m, now);
  }

  /**
   * A receipt (XEP-0184, 'delivered') or displayed marker (XEP-0333, 'read')
   * from `conversation` for our message whose stanza id is `msgId`. A marker
   * also covers our earlier messages (XEP-0333 4). Never downgrades (read
   * stays read). Returns the messages whose state changed; an id we do not
   * know, or one of theirs, changes nothing.
   */
  applyReceipt(conversation: string, msgId: string, kind: 'delivered' | 'read'): ChatMessage[] {
    return this.#receiptTx(conversation, msgId, kind);
  }

  // ---- reading ----

  /**
   * A page of a conversation, oldest first: the `limit` newest entries, or
   * those strictly older than the entry `before`. `reachedOldestStored`:
   * nothing older is stored. An unknown `before` is invalid-argument.
   */
  history(
    jid: string,
    options: { before?: string | null; limit: number },
  ): { entries: ConversationEntry[]; reachedOldestStored: boolean } {
    const limit = clampLimit(options.limit, MESSAGE_LIMITS.pageSize);
    let rows: Row[];
    if (options.before === undefined || options.before === null) {
      rows = this.#newest.all(this.#account, jid, limit + 1);
    } else {
      const anchor = this.#byId.get(this.#account, options.before);
      if (anchor?.conversation !== jid) {
        throw new BalconyError('invalid-argument', 'That message is not in this conversation.');
      }
      rows = this.#older.all(this.#account, jid, anchor.time, anchor.seq, limit + 1);
    }
    const reachedOldestStored = rows.length <= limit;
    return { entries: rows.slice(0, limit).reverse().map(toEntry), reachedOldestStored };
  }

  /** Every conversation with an entry, newest first (the Recent order). */
  conversations(): ConversationSummary[] {
    return this.#conversationList.all(this.#account).map((c) => this.#summaryOf(c));
  }

  /** One conversation's summary; null when nothing was ever stored in it. */
  summary(jid: string): ConversationSummary | null {
    const c = this.#conversation.get(this.#account, jid);
    return c ? this.#summaryOf(c) : null;
  }

  /**
   * The user saw `jid`'s conversation up to the entry `upToId`: the read
   * marker moves there (never back), unread counts what is after it. True
   * when the marker moved; false when it was there already or `upToId` is
   * not an entry of that conversation.
   */
  markRead(jid: string, upToId: string): boolean {
    return this.#markReadTx(jid, upToId);
  }

  /**
   * Another of our devices showed `jid`'s message `markerId` (the id in its
   * XEP-0333 displayed marker: the message's id attribute, or the server's
   * stanza-id): read up to there, as markRead. False when the marker did not
   * move or no message of theirs here has that id.
   */
  markReadByMarker(jid: string, markerId: string): boolean {
    return this.#markReadByMarkerTx(jid, markerId);
  }

  /**
   * Where a XEP-0333 displayed marker for reading up to `upToId` goes: their
   * newest message at or before it, if it asked for markers and has an id.
   */
  markerTarget(jid: string, upToId: string): MarkerTarget | null {
    const upTo = this.#byId.get(this.#account, upToId);
    if (upTo?.conversation !== jid) return null;
    const theirs = this.#markerTarget.get(this.#account, jid, upTo.time, upTo.seq);
    if (!theirs?.markable || theirs.msg_id === null) return null;
    return {
      to: theirs.peer_resource === null ? jid : `${jid}/${theirs.peer_resource}`,
      id: theirs.msg_id,
    };
  }

  /**
   * Full-text search of the stored bodies, newest first, in one conversation
   * or all: every whitespace-separated piece must be in the body, anywhere
   * (inside words too), whatever the case and diacritics. The user's text is
   * only ever text to find, never FTS syntax (message-search-query.ts).
   * Pieces of three characters or more use the trigram index (FTS5); a
   * query of only shorter ones (an emoji, "ok") scans the newest
   * SHORT_SCAN_ROWS messages of the conversation, or of all.
   */
  search(request: { query: string; jid?: string | null; limit: number }): MessageSearchHit[] {
    const plan = searchPlan(request.query.slice(0, MESSAGE_LIMITS.queryChars));
    if (plan === null) return [];
    const limit = clampLimit(request.limit, MESSAGE_LIMITS.pageSize);
    const jid = request.jid ?? null;
    let rows: Row[];
    if (plan.match !== null) rows = this.#search.all(plan.match, this.#account, jid, jid, plan.short, limit);
    else if (jid !== null) rows = this.#scanConversation.all(this.#account, jid, SHORT_SCAN_ROWS, plan.short, limit);
    else rows = this.#scanAll.all(this.#account, SHORT_SCAN_ROWS, plan.short, limit);
    return rows.map((r) => ({ message: toMessage(r), snippet: markPieces(r.body, plan.pieces) }));
  }

  /** A message (or null) by its local id. */
  message(id: string): ChatMessage | null {
    const row = this.#byId.get(this.#account, id);
    return row?.kind === 'message' ? toMessage(row) : null;
  }

  /** A message (or null) by the archive's id (its stanza-id by our bare JID). */
  messageByArchiveId(archiveId: string): ChatMessage | null {
    const row = this.#byStanzaId.get(this.#account, archiveId);
    return row?.kind === 'message' ? toMessage(row) : null;
  }

  // ---- the archive (XEP-0313) ----

  /** The newest archive item we hold: everything in the archive before it is stored. Null before the first page. */
  archiveCursor(): ArchivePosition | null {
    const row = this.#cursorGet.get(this.#account);
    return row ? { id: row.archive_id, time: row.time } : null;
  }

  /**
   * One archive page in ONE transaction: its messages (deduped like
   * storeIncoming; each item's source should be 'archive' with its
   * archiveId and archiveTime), the gap markers of `gapIn` (each placed just
   * before the page's oldest item in that conversation), and the cursor.
   * `cursor`: undefined leaves it; null clears it (the archive no longer
   * knows it: catch-up starts over); a position moves it there unless it is
   * older than the current one (the cursor never goes back). Only archive
   * pages move the cursor: live messages never do.
   */
  storeArchivePage(
    items: readonly StorableMessage[],
    options: { cursor?: ArchivePosition | null; gapIn?: readonly string[] } = {},
    now: number = Date.now(),
  ): StoredBatch {
    return this.#pageTx(items, options, now);
  }

  /** Places an "earlier messages may be missing" marker in `jid`'s conversation at `time`. */
  insertGap(jid: string, options: { time: number }, now: number = Date.now()): MessageGap {
    return this.#gapTx(jid, options.time, now);
  }

  /** Whether the archive has nothing older for `jid` (paging back reached its start). */
  setArchiveAtStart(jid: string, atStart: boolean): void {
    this.#pageBackSet.run(this.#account, jid, atStart ? 1 : 0);
  }

  archiveAtStart(jid: string): boolean {
    return this.#pageBackGet.get(this.#account, jid)?.at_start === 1;
  }

  /** The oldest archive id stored in `jid`'s conversation (paging back asks the archive for what is before it). */
  oldestArchiveId(jid: string): string | null {
    return this.#oldestArchiveId.get(this.#account, jid) ?? null;
  }

  /**
   * The newest time in `jid`'s conversation, leaving out our own messages
   * that only have our clock's time (sent from here, or copies of our other
   * device's, not yet placed by the archive), or null. A forward archive page
   * starts above it: what we received is placed already (live copies keep
   * their arrival time within a stamp's second), while those of ours are
   * re-timed by the very page that holds them, so they are no floor for it.
   */
  newestPlacedTime(jid: string): number | null {
    return this.#newestPlaced.get(this.#account, jid, TIME_LOCAL) ?? null;
  }

  /**
   * When the first message with an archive id (a server's copy: live with its stanza-id, or from the archive) was
   * stored here (our clock, ms), or null: a profile with such messages but no archive cursor received them live
   * before any catch-up completed. Our own queued messages do not count: they say nothing about the archive.
   */
  firstArchivedStoredAt(): number | null {
    return this.#firstArchivedStoredAt.get(this.#account) ?? null;
  }

  /** Deletes every message, conversation, queued message and archive position of this account (forgetting it). */
  forget(): void {
    this.#forgetTx();
  }

  // ---- the transactions' bodies ----

  #queue(to: string, body: string, from: string, now: number): ChatMessage {
    const id = randomUUID();
    const time = this.#liveTime(to, now);
    const info = this.#insert.run(
      this.#account,
      id,
      'message',
      to,
      'out',
      from,
      to,
      null,
      body,
      time,
      TIME_LOCAL,
      'queued',
      null,
      id,
      id,
      0,
      0,
      now,
    );
    this.#outboxAdd.run(this.#account, id);
    this.#ftsInsert.run(Number(info.lastInsertRowid), body);
    const row = this.#row(Number(info.lastInsertRowid));
    this.#afterChange(to);
    this.#noteOurs(row);
    return toMessage(row);
  }

  #moveState(id: string, to: MessageState, error: ErrorInfo | null): ChatMessage | null {
    const row = this.#byId.get(this.#account, id);
    if (row?.kind !== 'message' || row.direction !== 'out') return null;
    const allowed =
      to === 'sending'
        ? row.state === 'queued'
        : to === 'sent'
          ? // Not from 'failed': the XEP-0198 ack of a stanza can follow the bounce that failed it.
            row.state === 'queued' || row.state === 'sending'
          : row.state === 'queued' || row.state === 'sending' || row.state === 'sent';
    if (!allowed) return null;
    this.#setState.run(to, error?.code ?? null, error?.message ?? null, row.seq);
    if (to !== 'sending') this.#outboxRemove.run(id);
    return toMessage(this.#row(row.seq));
  }

  #retry(id: string): ChatMessage {
    const row = this.#byId.get(this.#account, id);
    if (row?.kind !== 'message' || row.direction !== 'out') {
      throw new BalconyError('invalid-argument', 'There is no message of yours with that id.');
    }
    if (row.state === 'queued' || row.state === 'sending') return toMessage(row);
    if (row.state !== 'failed') throw new BalconyError('invalid-argument', 'That message was sent already.');
    this.#setState.run('queued', null, null, row.seq);
    // At the end of the outbox: a retried message goes after those already waiting.
    this.#outboxRemove.run(id);
    this.#outboxAdd.run(this.#account, id);
    return toMessage(this.#row(row.seq));
  }

  #store(m: StorableMessage, now: number): StoreOutcome {
    if (m.type === 'error') throw new BalconyError('invalid-argument', 'An error bounce is not a message to store.');
    const ours = m.from === this.#account;
    const conversation = ours ? m.to : m.from;
    const serverId = m.source === 'archive' ? (m.archiveId ?? m.stanzaId) : m.stanzaId;
    const { time, source } = this.#timeOf(m, conversation, now);
    const existing = this.#duplicateOf(m, conversation, serverId, m.source === 'archive' ? time : (m.delay ?? now));
    if (existing) return this.#merge(existing, serverId, time, source);

    const values: InsertValues = [
      this.#account,
      randomUUID(),
      'message',
      conversation,
      ours ? 'out' : 'in',
      m.from,
      m.to,
      ours ? m.toResource : m.fromResource,
      m.body,
      time,
      source,
      ours ? 'sent' : 'received',
      serverId,
      m.originId,
      m.id,
      ours ? 1 : 0,
      m.markable ? 1 : 0,
      now,
    ];
    const info = this.#insert.run(...values);
    // The row as written (no read back: every column is a value we just gave, or null).
    const row = rowOf(Number(info.lastInsertRowid), values);
    if (this.#pending) {
      // AUTOINCREMENT: every row from the first one this page wrote on is the page's.
      this.#pageFirstSeq ??= row.seq;
      this.#notePending(row, ours);
      return { message: toMessage(row), isNew: true, changed: false };
    }
    this.#ftsInsert.run(row.seq, row.body);
    this.#ensureConversation.run(this.#account, conversation);
    const c = this.#conversation.get(this.#account, conversation);
    if (ours) this.#noteOurs(row);
    else if (c && after(row, readMarker(c))) this.#bumpUnread.run(this.#account, conversation);
    this.#afterChange(conversation);
    return { message: toMessage(row), isNew: true, changed: false };
  }

  #timeOf(m: StorableMessage, conversation: string, now: number): { time: number; source: number } {
    if (m.source === 'archive') {
      const t = m.archiveTime ?? m.delay;
      if (t !== null) return { time: t, source: TIME_ARCHIVE };
    }
    // A stamp in the future cannot be a stored message's: the sender's clock, not the server's.
    if (m.delay !== null && m.delay <= now) return { time: this.#delayTime(conversation, m.delay), source: TIME_DELAY };
    return { time: this.#liveTime(conversation, now), source: TIME_LOCAL };
  }

  /**
   * A live copy's <delay/> stamp, unless it is less than a stamp's precision
   * (whole seconds on Prosody) before the conversation's newest entry: then
   * the stamp cannot say it came before that entry, the stream's order (it
   * arrived after) wins, and it takes that entry's time (seq after it).
   * Older stamps (offline storage, hours ago) are kept.
   */
  #delayTime(conversation: string, delay: number): number {
    this.#flushPending(conversation);
    const last = this.#conversation.get(this.#account, conversation)?.last_time;
    return last != null && last > delay && last - delay < STAMP_PRECISION_MS ? last : delay;
  }

  /** Arrival time kept monotonic per conversation: never before its newest entry. */
  #liveTime(conversation: string, now: number): number {
    this.#flushPending(conversation);
    const last = this.#conversation.get(this.#account, conversation)?.last_time;
    return last !== null && last !== undefined && last > now ? last : now;
  }

  #duplicateOf(m: StorableMessage, conversation: string, serverId: string | null, around: number): Row | undefined {
    const a = this.#account;
    const found =
      (serverId !== null ? this.#byStanzaId.get(a, serverId) : undefined) ??
      (m.originId !== null ? this.#byOriginId.get(a, conversation, m.from, m.originId, serverId, m.body) : undefined) ??
      (m.id !== null
        ? this.#byMsgId.get(
            a,
            conversation,
            m.from,
            m.id,
            serverId,
            m.originId,
            m.originId,
            around - DEDUPE_WINDOW_MS,
            around + DEDUPE_WINDOW_MS,
          )
        : undefined);
    return found?.kind === 'message' ? found : undefined;
  }

  #merge(row: Row, serverId: string | null, time: number, source: number): StoreOutcome {
    // The rare case of a page (a copy of what we hold): its conversation written out first, then as alone.
    this.#flushPending(row.conversation);
    let changed = false;
    // A better kind of time (archive over delay over arrival), or the archive's placement of a
    // message it already timed, moved within its stamp's second: a later pass through the archive's
    // order (after a kill, a cut) knows its neighbours better than the pass that timed it first.
    const betterTime =
      source > row.time_source ||
      (source === TIME_ARCHIVE &&
        row.time_source === TIME_ARCHIVE &&
        time !== row.time &&
        Math.abs(time - row.time) < STAMP_PRECISION_MS);
    const newId = row.stanza_id === null && serverId !== null;
    if (betterTime || newId) {
      this.#setServerFacts.run(
        row.stanza_id ?? serverId,
        betterTime ? time : row.time,
        betterTime ? source : row.time_source,
        row.seq,
      );
      changed = true;
    }
    // A copy from the server (a carbon, the archive) of a message of ours proves it was sent; not that it
    // was delivered: a bounced one ('failed') stays failed, since servers archive before delivering.
    if (row.direction === 'out' && (row.state === 'queued' || row.state === 'sending')) {
      this.#setState.run('sent', null, null, row.seq);
      this.#outboxRemove.run(row.id);
      changed = true;
    }
    if (betterTime && time !== row.time) {
      this.#afterChange(row.conversation);
      if (row.direction === 'out') {
        const newest = this.#newestOut.get(this.#account, row.conversation);
        this.#setLastOut.run(newest?.time ?? null, newest?.seq ?? null, this.#account, row.conversation);
      }
      this.#recountUnread(row.conversation);
    }
    return { message: toMessage(this.#row(row.seq)), isNew: false, changed };
  }

  #receipt(conversation: string, msgId: string, kind: 'delivered' | 'read'): ChatMessage[] {
    const a = this.#account;
    const row = this.#ourByMsgId.get(a, conversation, a, msgId) ?? this.#ourByOriginId.get(a, conversation, a, msgId);
    if (row?.kind !== 'message') return [];
    const changed: ChatMessage[] = [];
    if (OUT_RANK[row.state] < OUT_RANK[kind] || row.state === 'failed') {
      this.#setState.run(kind, null, null, row.seq);
      this.#outboxRemove.run(row.id);
      changed.push(toMessage(this.#row(row.seq)));
    }
    if (kind === 'read') {
      // Back from the marked message to the first one already read: an earlier marker covered the rest,
      // so a marker costs the messages it newly covers, not the conversation's length.
      const earlier: Row[] = [];
      for (const r of this.#oursBackFrom.iterate(a, conversation, row.time, row.seq)) {
        if (r.seq === row.seq) continue;
        if (r.state === 'read') break;
        if (r.state === 'sent' || r.state === 'delivered') earlier.push(r);
      }
      for (const r of earlier) {
        this.#setState.run('read', null, null, r.seq);
        changed.push(toMessage({ ...r, state: 'read' }));
      }
    }
    return changed;
  }

  /** The user's read marker moves forward to `row` (never back); false when it was there or beyond. */
  #markRead(jid: string, upToId: string): boolean {
    const row = this.#byId.get(this.#account, upToId);
    if (row?.conversation !== jid) return false;
    const c = this.#conversation.get(this.#account, jid);
    const marker = c && c.read_time !== null ? { time: c.read_time, seq: c.read_seq ?? 0 } : BEFORE_ALL;
    if (!c || !after(row, marker)) return false;
    this.#setRead.run(row.time, row.seq, this.#account, jid);
    this.#recountUnread(jid);
    return true;
  }

  #markReadByMarker(jid: string, markerId: string): boolean {
    const byArchive = this.#byStanzaId.get(this.#account, markerId);
    const row =
      this.#theirByMsgId.get(this.#account, jid, jid, markerId) ??
      (byArchive?.conversation === jid && byArchive.direction === 'in' ? byArchive : undefined);
    return row?.kind === 'message' && this.#markRead(jid, row.id);
  }

  /** A new message of ours: answering is reading, so their messages before it are no longer unread. */
  #noteOurs(row: Row): void {
    const c = this.#conversation.get(this.#account, row.conversation);
    if (!c) return;
    const lastOut = c.last_out_time === null ? BEFORE_ALL : { time: c.last_out_time, seq: c.last_out_seq ?? 0 };
    if (!after(row, lastOut)) return;
    this.#setLastOut.run(row.time, row.seq, this.#account, row.conversation);
    this.#recountUnread(row.conversation);
  }

  #recountUnread(conversation: string): void {
    const c = this.#conversation.get(this.#account, conversation);
    if (!c) return;
    const marker = readMarker(c);
    const n = this.#countUnread.get(this.#account, conversation, marker.time, marker.seq)?.n ?? 0;
    this.#setUnread.run(n, this.#account, conversation);
  }

  #gap(jid: string, time: number, now: number): MessageGap {
    const id = randomUUID();
    const info = this.#insert.run(
      this.#account,
      id,
      'gap',
      jid,
      'in',
      '',
      '',
      null,
      '',
      time,
      TIME_LOCAL,
      'received',
      null,
      null,
      null,
      0,
      0,
      now,
    );
    this.#afterChange(jid);
    return { kind: 'gap', id, time, seq: Number(info.lastInsertRowid) };
  }

  #page(
    items: readonly StorableMessage[],
    options: { cursor?: ArchivePosition | null; gapIn?: readonly string[] },
    now: number,
  ): StoredBatch {
    this.#pending = new Map();
    this.#pageFirstSeq = null;
    try {
      return this.#pageBody(items, options, now);
    } finally {
      this.#pending = null;
      this.#pageFirstSeq = null;
    }
  }

  #pageBody(
    items: readonly StorableMessage[],
    options: { cursor?: ArchivePosition | null; gapIn?: readonly string[] },
    now: number,
  ): StoredBatch {
    const touched = new Set<string>();
    const gaps: { jid: string; gap: MessageGap }[] = [];
    for (const jid of new Set(options.gapIn ?? [])) {
      gaps.push({ jid, gap: this.#gap(jid, this.#oldestTimeIn(items, jid, options.cursor, now), now) });
      touched.add(jid);
    }
    const results = items.map((m) => {
      const outcome = this.#store(m, now);
      touched.add(outcome.message.conversation);
      return outcome;
    });
    for (const jid of [...(this.#pending?.keys() ?? [])]) this.#flushPending(jid);
    if (this.#pageFirstSeq !== null) this.#ftsFrom.run(this.#pageFirstSeq);
    if (options.cursor === null) this.#cursorClear.run(this.#account);
    else if (options.cursor !== undefined) {
      const current = this.#cursorGet.get(this.#account);
      if (!current || options.cursor.time >= current.time) {
        this.#cursorSet.run(this.#account, options.cursor.id, options.cursor.time, now);
      }
    }
    const conversations = [...touched]
      .map((jid) => this.summary(jid))
      .filter((s): s is ConversationSummary => s !== null);
    return {
      results,
      added: results.filter((r) => r.isNew).length,
      gaps,
      conversations,
      cursor: this.archiveCursor(),
    };
  }

  /** Where a page's gap goes in `jid`: at its oldest item there, else the page's oldest, else the cursor. */
  #oldestTimeIn(
    items: readonly StorableMessage[],
    jid: string,
    cursor: ArchivePosition | null | undefined,
    now: number,
  ): number {
    let inConversation = Infinity;
    let anywhere = Infinity;
    for (const m of items) {
      const t = m.archiveTime ?? m.delay ?? Infinity;
      anywhere = Math.min(anywhere, t);
      const conversation = m.from === this.#account ? m.to : m.from;
      if (conversation === jid) inConversation = Math.min(inConversation, t);
    }
    if (Number.isFinite(inConversation)) return inConversation;
    if (Number.isFinite(anywhere)) return anywhere;
    return cursor?.time ?? now;
  }

  /**
   * A new row of a page: what #store does for its conversation (unread +1
   * for theirs after the read marker; ours moves our newest message, and
   * unread is counted again), done on the conversation's row in memory.
   */
  #notePending(row: Row, ours: boolean): void {
    const pending = this.#pending;
    if (!pending) return;
    let p = pending.get(row.conversation);
    if (!p) {
      this.#ensureConversation.run(this.#account, row.conversation);
      const c = this.#conversation.get(this.#account, row.conversation);
      if (!c) throw new Error(`conversations: row ${row.conversation} just written cannot be read back`);
      p = { c, bumps: 0, recount: false };
      pending.set(row.conversation, p);
    }
    const c = p.c;
    if (ours) {
      const lastOut = c.last_out_time === null ? BEFORE_ALL : { time: c.last_out_time, seq: c.last_out_seq ?? 0 };
      if (!after(row, lastOut)) return;
      c.last_out_time = row.time;
      c.last_out_seq = row.seq;
      p.recount = true;
    } else if (after(row, readMarker(c))) p.bumps += 1;
  }

  /** Writes what a page left pending for `conversation`: our newest message, unread, its newest entry. */
  #flushPending(conversation: string): void {
    const p = this.#pending?.get(conversation);
    if (!p) return;
    this.#pending?.delete(conversation);
    const a = this.#account;
    if (p.recount) {
      // A recount after our newest message covers the +1s of theirs before and after it.
      this.#setLastOut.run(p.c.last_out_time, p.c.last_out_seq, a, conversation);
      this.#recountUnread(conversation);
    } else if (p.bumps > 0) this.#addUnread.run(p.bumps, a, conversation);
    this.#afterChange(conversation);
  }

  #afterChange(conversation: string): void {
    if (this.#pending?.has(conversation)) return; // written when the page's conversation is flushed
    const a = this.#account;
    this.#ensureConversation.run(a, conversation);
    this.#refreshLast.run(a, conversation, a, conversation, a, conversation);
  }

  #row(seq: number): Row {
    const row = this.#bySeq.get(seq);
    if (!row) throw new Error(`messages: row ${seq} just written cannot be read back`);
    return row;
  }

  #summaryOf(c: ConversationRow): ConversationSummary {
    const last = c.last_seq === null ? undefined : this.#bySeq.get(c.last_seq);
    return {
      jid: c.jid,
      unread: c.unread,
      last: last
        ? { id: last.id, body: last.body, time: last.time, direction: last.direction, state: last.state }
        : null,
    };
  }
}

/** A conversation an archive page touched, while the page is written (MessageStore.#pending). */
interface PendingConversation {
  /** Its row, with our newest message as the page moved it. */
  c: ConversationRow;
  /** Their new messages after the read marker (unread +1 each), when not recounted. */
  bumps: number;
  /** Our newest message moved: unread is counted again. */
  recount: boolean;
}

/** The row an INSERT of `v` wrote, with its seq. */
function rowOf(seq: number, v: InsertValues): Row {
  return {
    seq,
    id: v[1],
    kind: v[2],
    conversation: v[3],
    direction: v[4],
    from_jid: v[5],
    to_jid: v[6],
    peer_resource: v[7],
    body: v[8],
    time: v[9],
    time_source: v[10],
    state: v[11],
    error_code: null,
    error_message: null,
    stanza_id: v[12],
    origin_id: v[13],
    msg_id: v[14],
    from_other_device: v[15] === 1 ? 1 : 0,
    markable: v[16] === 1 ? 1 : 0,
  };
}

/** Unread is what comes after this: the later of where the user read up to and our newest message. */
function readMarker(c: ConversationRow): { time: number; seq: number } {
  const read = c.read_time === null ? BEFORE_ALL : { time: c.read_time, seq: c.read_seq ?? 0 };
  const ours = c.last_out_time === null ? BEFORE_ALL : { time: c.last_out_time, seq: c.last_out_seq ?? 0 };
  return after(ours, read) ? ours : read;
}

function after(row: { time: number; seq: number }, marker: { time: number; seq: number }): boolean {
  return row.time > marker.time || (row.time === marker.time && row.seq > marker.seq);
}

function clampLimit(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.min(max, Math.max(1, Math.trunc(limit))) : max;
}

function toMessage(row: Row): ChatMessage {
  return {
    id: row.id,
    conversation: row.conversation,
    direction: row.direction,
    from: row.from_jid,
    to: row.to_jid,
    body: row.body,
    time: row.time,
    seq: row.seq,
    state: row.state,
    error:
      row.state === 'failed' && row.error_code !== null
        ? { code: row.error_code as ErrorInfo['code'], message: row.error_message ?? '' }
        : null,
    fromOtherDevice: row.from_other_device === 1,
  };
}

function toEntry(row: Row): ConversationEntry {
  return row.kind === 'gap'
    ? { kind: 'gap', id: row.id, time: row.time, seq: row.seq }
    : { kind: 'message', ...toMessage(row) };
}
