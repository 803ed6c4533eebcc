/**
 * What MessageService needs of the message archive (XEP-0313 MAM): the
 * catch-up after a sign-in that was not a stream resumption, and paging back
 * in a conversation once the cache has nothing older. ArchiveSync
 * (archive-sync.ts) implements it.
 */

/** What one catch-up did. */
export interface CatchUpResult {
  /** Archive items fetched (new or already held). */
  fetched: number;
  /** Pages (RSM) asked for. */
  pages: number;
  /** "Earlier messages may be missing" markers inserted. */
  gaps: number;
}

export interface ArchiveApi {
  /** Fetches what the archive holds after our cursor; the open conversation's newest pages first. */
  catchUp(options?: { openConversation?: string | null }): Promise<CatchUpResult>;
  /** Fetches up to `limit` items older than the oldest held in that conversation. */
  pageBack(jid: string, limit: number): Promise<{ added: number; atStart: boolean }>;
}
