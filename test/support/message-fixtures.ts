/**
 * MessageService on a test core (roster-fixtures.ts openCore), wired the way
 * the app wires it: the profile's MessageStore and settings, presence
 * sharing read from the roster cache, blocking from the blocklist.
 */
import type { RosterCore } from '../../main/core/roster-core.js';
import type { ArchiveApi } from '../../main/core/messages/archive-api.js';
import { MessageService } from '../../main/core/messages/message-service.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { MessageStore } from '../../main/core/store/message-store.js';

export interface WithMessages {
  messages: MessageService;
  messageStore: MessageStore;
}

/** Builds the messages service for `core` (before its session starts, so it sees the first 'online'). */
export function withMessages<C extends RosterCore>(
  core: C,
  options: { archive?: ArchiveApi; logs?: string[] } = {},
): C & WithMessages {
  const account = core.session.account;
  // The core wires its own service (as the app does); this one, with the test's archive and log, replaces it.
  core.messages.detach();
  const messageStore = new MessageStore(core.db, account);
  const messages = new MessageService({
    session: core.session,
    store: messageStore,
    settings: new AppSettingsStore(core.db),
    sharesPresence: (jid) => {
      const subscription = core.store.getItem(account, jid)?.subscription;
      return subscription === 'from' || subscription === 'both';
    },
    isBlocked: (jid) => core.blocking.isBlocked(jid),
    archive: options.archive,
    log: options.logs ? (m) => options.logs?.push(m) : undefined,
  });
  return Object.assign(core, { messages, messageStore });
}
