/**
 * Wires conversations (issue 10) for one account: the message store, the
 * archive (ArchiveSync) and the message service over them. Shared by
 * roster-core.ts (the headless command, tests) and the app's
 * MessengerService, so both run the same parts in the same way.
 *
 * The message service is the one source of message events: what an archive
 * page stored (catch-up, paging back) is announced through it too, so the
 * window and `watch` follow one stream whatever brought a message.
 */
import type Database from 'better-sqlite3';
import type { CatchUpResult } from './messages/archive-api.js';
import { ArchiveSync } from './messages/archive-sync.js';
import { MessageService } from './messages/message-service.js';
import { pageEvents } from './messages/page-events.js';
import type { AppSettingsStore } from './store/app-settings-store.js';
import { MessageStore } from './store/message-store.js';
import type { RosterStore } from './store/roster-store.js';
import type { XmppSession } from './xmpp/session.js';

export interface Messaging {
  store: MessageStore;
  archive: ArchiveSync;
  messages: MessageService;
  /**
   * The archive catch-up of the latest sign-in that was not a resumption
   * (the message service starts it once carbons are on); for the headless
   * command, which reports it and must not sign out before it ends.
   */
  signInCatchUp(): Promise<CatchUpResult>;
}

export interface MessagingOptions {
  db: Database.Database;
  session: XmppSession;
  settings: AppSettingsStore;
  rosterStore: RosterStore;
  isBlocked(jid: string): boolean;
  /** The conversation on screen, if any: the catch-up fetches its newest pages first (the app; none in the CLI). */
  openConversation?: () => string | null;
  log?: (message: string) => void;
}

export function createMessaging(options: MessagingOptions): Messaging {
  const { session, rosterStore, log } = options;
  const store = new MessageStore(options.db, session.account);
  const archive = new ArchiveSync({ session, store, log, isBlocked: (jid) => options.isBlocked(jid) });

  // Registered before the message service's own 'online' listener, which begins the catch-up after an await.
  let current: Promise<CatchUpResult> | null = null;
  let waiting: ((catchUp: Promise<CatchUpResult>) => void)[] = [];
  session.on('online', ({ resumed }) => {
    if (!resumed) current = null;
  });
  const tracked = {
    catchUp(request?: { openConversation?: string | null }): Promise<CatchUpResult> {
      const catchUp = archive.catchUp({
        openConversation: request?.openConversation ?? options.openConversation?.() ?? null,
      });
      current = catchUp;
      for (const resolve of waiting) resolve(catchUp);
      waiting = [];
      return catchUp;
    },
    pageBack: (jid: string, limit: number) => archive.pageBack(jid, limit),
  };

  const messages = new MessageService({
    session,
    store,
    settings: options.settings,
    // Receipts, markers and chat states tell a contact we are here: only to those who may see our presence.
    sharesPresence(jid) {
      const subscription = rosterStore.getItem(session.account, jid)?.subscription;
      return subscription === 'from' || subscription === 'both';
    },
    isBlocked: (jid) => options.isBlocked(jid),
    archive: tracked,
    log,
  });
  archive.on('stored', (batch) => {
    // One page, one burst: each message once, then each conversation's summary once (./messages/page-events.ts).
    const events = pageEvents(batch);
    for (const message of events.messages) messages.emit('message', message);
    for (const summary of events.conversations) messages.emit('conversation', summary);
  });
  archive.on('gap', (jid, gap) => messages.emit('gap', jid, gap));

  return {
    store,
    archive,
    messages,
    signInCatchUp() {
      return current ?? new Promise<Promise<CatchUpResult>>((resolve) => waiting.push(resolve)).then((p) => p);
    },
  };
}
