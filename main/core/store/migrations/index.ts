import type { Database } from 'better-sqlite3';
import { roster0010 } from './0010-roster.js';
import { appSettings0020 } from './0020-app-settings.js';
import { outbox0030 } from './0030-outbox.js';
import { subscriptionDenials0040 } from './0040-subscription-denials.js';
import { presenceOutbox0050 } from './0050-presence-outbox.js';
import { blocking0060 } from './0060-blocking.js';
import { rosterGenerations0070 } from './0070-roster-generations.js';
import { rosterGroupCounts0080 } from './0080-roster-group-counts.js';
import { messages0090 } from './0090-messages.js';
import { messagesFtsByStore0100 } from './0100-messages-fts-by-store.js';
import { messagesFtsTrigram0110 } from './0110-messages-fts-trigram.js';

/**
 * One schema step. `up` runs inside the transaction that also sets
 * `PRAGMA user_version = version`, so a step is applied whole or not at all.
 */
export interface Migration {
  /** 10, 20, 30...: gaps leave room for a fix between two released steps. */
  version: number;
  name: string;
  up(db: Database): void;
}

/** Every schema step, oldest first. Append only; never edit a released step. */
export const MIGRATIONS: readonly Migration[] = [
  roster0010,
  appSettings0020,
  outbox0030,
  subscriptionDenials0040,
  presenceOutbox0050,
  blocking0060,
  rosterGenerations0070,
  rosterGroupCounts0080,
  messages0090,
  messagesFtsByStore0100,
  messagesFtsTrigram0110,
];

/** The schema version this build writes. */
export const LATEST_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;
