import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Subscription steps (RFC 6121 3: subscribe, subscribed, unsubscribe,
 * unsubscribed) waiting to reach the server, in the order they were made:
 * answers given offline, and anything asked while the sign-in was still
 * retrieving the roster. Kept beside the roster outbox (0030), not in it:
 * a roster edit is merged with the server's roster and confirmed by its push,
 * a step is a bare stanza; `after_edit` ties the two orders together (see
 * main/core/presence/step-plan.ts).
 */
export const presenceOutbox0050: Migration = {
  version: 50,
  name: 'presence-outbox',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE presence_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('subscribe', 'subscribed', 'unsubscribe', 'unsubscribed')),
        -- normalised bare JID of the contact
        jid TEXT NOT NULL,
        -- the newest roster edit (outbox.id) that existed when this step was made; 0: none
        after_edit INTEGER NOT NULL DEFAULT 0,
        -- ms epoch when it was first written to a connection; NULL: never.
        -- A written step may or may not have reached the server.
        sent_at INTEGER NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX presence_outbox_by_account ON presence_outbox (account, id);
    `);
  },
};
