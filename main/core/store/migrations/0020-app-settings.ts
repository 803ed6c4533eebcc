import type { Database } from 'better-sqlite3';
import type { Migration } from './index.js';

/**
 * What the desktop app keeps beside the roster: small settings (the account
 * it signs in with), when each account's roster was last confirmed by the
 * server (the offline banner shows it), and the password encrypted by the
 * OS keychain (Electron's safeStorage) when the user asked to keep it.
 */
export const appSettings0020: Migration = {
  version: 20,
  name: 'app-settings',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE app_settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL -- JSON
      ) WITHOUT ROWID;
      -- ms epoch of the last retrieval the server answered (full or "unchanged")
      ALTER TABLE accounts ADD COLUMN synced_at INTEGER NULL;
      CREATE TABLE saved_passwords (
        account TEXT PRIMARY KEY NOT NULL,
        -- 'os-keychain': encrypted by safeStorage; 'plain-text': the user accepted
        -- storing it without OS encryption (Linux with only the basic store)
        protection TEXT NOT NULL CHECK (protection IN ('os-keychain', 'plain-text')),
        secret BLOB NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
