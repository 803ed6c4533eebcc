import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Search finds what is inside words and emoji (issue 10 #6): the full-text
 * index moves from unicode61 (whole words only; "ünch" never found
 * "Münchhausen", an emoji was no word at all) to FTS5's trigram tokenizer
 * (SQLite 3.34+; remove_diacritics 3.45+): any run of three or more
 * characters matches, case-folded for all of Unicode, without diacritics as
 * before ("cafe" still finds "café"). Shorter queries are MessageStore's
 * (a bounded scan). The index is made again from every stored message, in
 * this step's transaction; the delete and update triggers as in 0090, new
 * rows still indexed by the store (0100).
 */
export const messagesFtsTrigram0110: Migration = {
  version: 110,
  name: 'messages-fts-trigram',
  up(db: Database): void {
    db.exec(`
      DROP TRIGGER IF EXISTS messages_fts_insert;
      DROP TRIGGER IF EXISTS messages_fts_delete;
      DROP TRIGGER IF EXISTS messages_fts_update;
      DROP TABLE IF EXISTS messages_fts;

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        body, content = 'messages', content_rowid = 'seq', tokenize = 'trigram remove_diacritics 1'
      );
      INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages WHERE kind = 'message';
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
