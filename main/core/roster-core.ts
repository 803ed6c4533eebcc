/**
 * Wires the Electron-free core for one account: the profile database, the
 * XMPP session, the roster service, presence, blocking and conversations. Used by the headless
 * command, the benchmark and the tests; the Electron main process wires the
 * same parts.
 */
import type Database from 'better-sqlite3';
import { BlockingService } from './blocking/blocking-service.js';
import type { CatchUpResult } from './messages/archive-api.js';
import type { ArchiveSync } from './messages/archive-sync.js';
import type { MessageService } from './messages/message-service.js';
import { createMessaging } from './messaging.js';
import { PresenceService, type PresenceServiceOptions } from './presence/presence-service.js';
import { databasePath } from './profile-paths.js';
import { RosterService } from './roster/roster-service.js';
import { openDatabase, type Recovery } from './store/database.js';
import { AppSettingsStore } from './store/app-settings-store.js';
import { BlockingStore } from './store/blocking-store.js';
import { EndpointMemoryStore } from './store/endpoint-memory-store.js';
import type { MessageStore } from './store/message-store.js';
import { OutboxStore } from './store/outbox-store.js';
import { PresenceDenialStore } from './store/presence-denial-store.js';
import { PresenceOutboxStore } from './store/presence-outbox-store.js';
import { RosterStore } from './store/roster-store.js';
import { ServerProbe } from './xmpp/server-probe.js';
import { saslMemoryFor } from './store/sasl-memory-store.js';
import { XmppSession, type SessionConfig } from './xmpp/session.js';

export interface RosterCore {
  db: Database.Database;
  store: RosterStore;
  session: XmppSession;
  roster: RosterService;
  presence: PresenceService;
  /** The blocklist (XEP-0191) and its outbox. */
  blocking: BlockingService;
  /** Asks the server's software and features after each sign-in (the connection report). */
  probe: ServerProbe;
  /** Conversations (issue 10): sending, receiving, receipts, chat states; every message event comes from here. */
  messages: MessageService;
  messageStore: MessageStore;
  /** The message archive (XEP-0313): catch-up after sign-in, paging back. */
  archive: ArchiveSync;
  /** The archive catch-up the message service runs after a sign-in (not a resumption). */
  signInCatchUp(): Promise<CatchUpResult>;
  /** Set when the profile database was damaged and rebuilt at this open: tell the user. */
  recovery?: Recovery;
  /** Signs out (if online) and closes the database. */
  close(): Promise<void>;
}

export interface OpenedStore {
  db: Database.Database;
  store: RosterStore;
  recovery?: Recovery;
  /** Opened for reading only: the profile cannot be written (only with allowReadOnly). */
  readOnly?: boolean;
}

/** Opens the profile's cache; `allowReadOnly` lets a reader (`list`) work on a profile it cannot write. */
export function openStore(
  profileDir: string,
  log?: (message: string) => void,
  options: { allowReadOnly?: boolean } = {},
): OpenedStore {
  const { db, recovery, readOnly } = openDatabase(databasePath(profileDir), {
    log,
    allowReadOnly: options.allowReadOnly,
  });
  return { db, store: new RosterStore(db), recovery, readOnly };
}

export interface CoreOptions {
  /** Presence settings: the headless command stays unavailable unless it needs presence. */
  presence?: Pick<PresenceServiceOptions, 'announce' | 'priority'>;
}

export function createRosterCore(profileDir: string, session: SessionConfig, options: CoreOptions = {}): RosterCore {
  const { db, store, recovery } = openStore(profileDir, session.log);
  const settings = new AppSettingsStore(db);
  const xmpp = new XmppSession({
    endpointMemory: new EndpointMemoryStore(settings),
    saslMemory: saslMemoryFor(settings, session.account),
    ...session,
  });
  const roster = new RosterService({ session: xmpp, store, outbox: new OutboxStore(db), log: session.log });
  const probe = new ServerProbe(xmpp, { log: session.log });
  const blocking = new BlockingService({ session: xmpp, store: new BlockingStore(db), settings, log: session.log });
  const presence = new PresenceService({
    session: xmpp,
    roster,
    rosterStore: store,
    denials: new PresenceDenialStore(db),
    outbox: new PresenceOutboxStore(db),
    settings,
    isBlocked: (jid) => blocking.isBlocked(jid),
    log: session.log,
    ...options.presence,
  });
  blocking.on('change', () => presence.dropBlockedRequests());
  const messaging = createMessaging({
    db,
    session: xmpp,
    settings,
    rosterStore: store,
    isBlocked: (jid) => blocking.isBlocked(jid),
    log: session.log,
  });
  return {
    db,
    store,
    session: xmpp,
    roster,
    presence,
    blocking,
    probe,
    messages: messaging.messages,
    messageStore: messaging.store,
    archive: messaging.archive,
    signInCatchUp: () => messaging.signInCatchUp(),
    recovery,
    async close() {
      await xmpp.stop();
      db.close();
    },
  };
}
