/**
 * What MessageService needs from the archive (XEP-0313): ArchiveSync
 * (archive-sync.ts) implements it; tests may give a fake.
 */
export interface ArchiveApi {
  catchUp(options?: { openConversation?: string | null }): Promise<CatchUpResult>;
  pageBack(jid: string, limit: number): Promise<{ added: number; atStart: boolean }>;
}

export interface CatchUpResult {
  fetched: number;
  pages: number;
  gaps: number;
}
