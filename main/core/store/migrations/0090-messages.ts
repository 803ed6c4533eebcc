import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Issue 10 (conversations): messages, per-conversation state, the message
 * outbox and the archive (XEP-0313) cursor. Rows keyed by account like the
 * roster. MessageStore (../message-store.ts) writes each step in one
 * transaction.
 *
 * messages: one row per message or gap marker of a conversation.
 *   seq          ChatMessage.seq: insertion order, the tie-break of equal times (AUTOINCREMENT: never reused)
 *   id           local and stable; for our own messages also the stanza id and the origin-id
 *   kind         'message', or 'gap' ("earlier messages may be missing"; only id, conversation, time matter)
 *   conversation the contact's bare JID
 *   direction    'in' (theirs) or 'out' (ours, from this or another device)
 *   from_jid, to_jid  bare JIDs
 *   peer_resource the contact's resource it came from or went to (receipts and markers go to the full JID)
 *   time         the server's time (archive, <delay/>) or, without one, arrival kept monotonic per conversation
 *   time_source  0 the local clock, 1 a <delay/> stamp, 2 the archive: a later copy only ever raises it
 *   state        MessageState; error_code/error_message when 'failed'
 *   stanza_id    the archive id (XEP-0359 stanza-id by our own bare JID): unique per account
 *   origin_id    XEP-0359 origin-id; msg_id the stanza's id attribute; both for dedupe and receipts
 *   from_other_device  ours, sent by another of our devices (carbon or archive copy)
 *   markable     XEP-0333: the sender asked for a displayed marker
 *   stored_at    the local clock when the row was written (diagnostics)
 * conversations: per contact: unread count, the newest message (last_seq, for the list's last line),
 *   the newest entry's time (last_time: the Recent sort, monotonic live times), where the user read
 *   up to (read_time, read_seq) and our newest message (last_out_time, last_out_seq): unread = their
 *   messages after both (answering is reading).
 * message_outbox: our messages still to be sent (queued or sending), in order; the row goes in the
 *   transaction that marks the message sent, delivered, read or failed.
 * archive_cursor: the newest archive item we hold, covering everything before it (catch-up starts after it);
 *   written only with the archive page that reached it.
 * archive_page_back: per conversation, whether the archive has nothing older (paging back is done).
 * messages_fts: FTS5 over the bodies, external content (the text is stored once, in messages), kept by
 *   triggers; unicode61 without diacritics, so "cafe" finds "café".
 *
 * Indexes: (account, conversation, time, seq) reads the newest page, pages back, and counts unread in
 * one range; the dedupe lookups by stanza-id, origin-id and (sender, msg id) within a conversation.
 */
export const messages0090: Migration = {
  version: 90,
  name: 'messages',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'gap')),
        conversation TEXT NOT NULL,
        direction TEXT NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out')),
        from_jid TEXT NOT NULL DEFAULT '',
        to_jid TEXT NOT NULL DEFAULT '',
        peer_resource TEXT NULL,
        body TEXT NOT NULL DEFAULT '',
        time INTEGER NOT NULL,
        time_source INTEGER NOT NULL DEFAULT 0 CHECK (time_source IN (0, 1, 2)),
        state TEXT NOT NULL DEFAULT 'received'
          CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'received')),
        error_code TEXT NULL,
        error_message TEXT NULL,
        stanza_id TEXT NULL,
        origin_id TEXT NULL,
        msg_id TEXT NULL,
        from_other_device INTEGER NOT NULL DEFAULT 0 CHECK (from_other_device IN (0, 1)),
        markable INTEGER NOT NULL DEFAULT 0 CHECK (markable IN (0, 1)),
        stored_at INTEGER NOT NULL
      );
      CREATE INDEX messages_by_time ON messages (account, conversation, time, seq);
      CREATE UNIQUE INDEX messages_by_stanza_id ON messages (account, stanza_id) WHERE stanza_id IS NOT NULL;
      CREATE INDEX messages_by_origin_id ON messages (account, conversation, from_jid, origin_id)
        WHERE origin_id IS NOT NULL;
      CREATE INDEX messages_by_msg_id ON messages (account, conversation, from_jid, msg_id) WHERE msg_id IS NOT NULL;

      CREATE TABLE conversations (
        account TEXT NOT NULL,
        jid TEXT NOT NULL,
        unread INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
        last_seq INTEGER NULL,
        last_time INTEGER NULL,
        read_time INTEGER NULL,
        read_seq INTEGER NULL,
        last_out_time INTEGER NULL,
        last_out_seq INTEGER NULL,
        PRIMARY KEY (account, jid)
      ) WITHOUT ROWID;
      CREATE INDEX conversations_recent ON conversations (account, last_time);

      CREATE TABLE message_outbox (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE
      );
      CREATE INDEX message_outbox_by_account ON message_outbox (account, position);

      CREATE TABLE archive_cursor (
        account TEXT NOT NULL PRIMARY KEY,
        archive_id TEXT NOT NULL,
        time INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE archive_page_back (
        account TEXT NOT NULL,
        jid TEXT NOT NULL,
        at_start INTEGER NOT NULL CHECK (at_start IN (0, 1)),
        PRIMARY KEY (account, jid)
      ) WITHOUT ROWID;

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        body, content = 'messages', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.kind = 'message' BEGIN
        INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.kind = 'message' BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages WHEN old.kind = 'message' BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
        INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
      END;
    `);
  },
};
