/**
 * The benchmark measures parts that land on other branches (issue 10: the
 * message store, the archive sync, the message service). Each is loaded here
 * at run time, so that the benchmark builds and reports exactly what is
 * missing when a part is not there (a row with no value and the missing
 * module named) instead of failing to compile.
 *
 * The shapes are those of the shared design (MESSAGES-DESIGN.md); what the
 * benchmark calls is checked at run time before it is used.
 */
import type Database from 'better-sqlite3';
import type { Element } from '@xmpp/xml';
import type {
  ChatMessage,
  ConversationEntry,
  ConversationSummary,
  HistoryPage,
  HistoryRequest,
} from '../../preload/contract.js';
import type { XmppSession } from '../../main/core/xmpp/session.js';

/** What main/core/messages/message-stanzas.ts gives (IncomingMessage is opaque here: it goes back into the store). */
export interface StanzasModule {
  parseChatMessage(stanza: Element, ownBare: string): object | null;
  unwrapMamResult(
    stanza: Element,
    ownBare: string,
    queryId: string,
    archiveJid?: string,
  ): { archiveId: string; archiveTime?: number; time?: number; message: Element } | null;
}

export interface MessageStoreLike {
  storeIncoming(m: object, now: number): { message: ChatMessage; isNew: boolean; changed: boolean };
  storeArchivePage(
    items: object[],
    options: { cursor?: { id: string; time: number } | null; gapIn?: string[] },
  ): unknown;
  history(
    jid: string,
    options: { before?: string | null; limit: number },
  ): { entries: ConversationEntry[]; reachedOldestStored: boolean };
  conversations(): ConversationSummary[];
  summary(jid: string): ConversationSummary;
  archiveCursor(): { id: string; time: number } | null;
  setArchiveAtStart(jid: string, atStart: boolean): void;
  archiveAtStart(jid: string): boolean;
  markRead(jid: string, upToId: string): boolean;
}

export interface StoreModule {
  MessageStore: new (db: Database.Database) => MessageStoreLike;
}

export interface ArchiveSyncLike {
  catchUp(options?: { openConversation?: string | null }): Promise<{ fetched: number; pages: number; gaps: number }>;
}

export interface ArchiveModule {
  ArchiveSync: new (options: {
    session: XmppSession;
    store: MessageStoreLike;
    log?: (m: string) => void;
    [key: string]: unknown;
  }) => ArchiveSyncLike;
}

export interface MessageServiceLike {
  history(request: HistoryRequest): Promise<HistoryPage>;
}

export interface MessageServiceModule {
  MessageService: new (options: Record<string, unknown>) => MessageServiceLike;
}

export interface Loaded<T> {
  module: T | null;
  /** Why not: the module file missing, or an export the benchmark needs. */
  missing: string | null;
}

/** Imports `relative` (from the repository root, compiled layout) and checks that `exports` are functions. */
export async function loadOptional<T>(relative: string, exports: readonly string[]): Promise<Loaded<T>> {
  // Compiled this file sits in dist/test/bench; the module in dist/<relative>.
  const url = new URL(`../../${relative}`, import.meta.url);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return { module: null, missing: `${relative} (not on this branch)` };
    throw error;
  }
  const absent = exports.filter((name) => typeof mod[name] !== 'function');
  if (absent.length > 0) return { module: null, missing: `${relative} exports no ${absent.join(', ')}` };
  return { module: mod as T, missing: null };
}
