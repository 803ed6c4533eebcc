import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * Subscription requests the user denied, per account. Servers forget a denied
 * request, so the requester may simply ask again (and some servers re-send
 * unanswered requests at every login): remembering the "no" here keeps it
 * from being shown again. A row is removed when the user later approves,
 * asks for, pre-approves or adds that contact. Pending requests themselves
 * are not stored: the server re-sends them at every login.
 * No foreign key to accounts: a denial can come before the first stored roster.
 */
export const subscriptionDenials0040: Migration = {
  version: 40,
  name: 'subscription-denials',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE subscription_denials (
        account TEXT NOT NULL,
        -- normalised bare JID of the requester
        jid TEXT NOT NULL,
        -- ms epoch of the (latest) denial
        denied_at INTEGER NOT NULL,
        PRIMARY KEY (account, jid)
      ) WITHOUT ROWID;
    `);
  },
};
