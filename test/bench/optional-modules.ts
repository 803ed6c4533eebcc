/**
 * The benchmark measures parts that land on other branches (issue 10). A part
 * that may not be on this branch yet (the archive sync) is loaded here at
 * run time, so that the benchmark builds and reports exactly what is missing
 * (rows without a value, the missing module named) instead of failing to
 * compile. The shape is the shared design's (MESSAGES-DESIGN.md); the
 * exports the benchmark calls are checked before use.
 */
import type { MessageStore } from '../../main/core/store/message-store.js';
import type { XmppSession } from '../../main/core/xmpp/session.js';

export interface ArchiveSyncLike {
  catchUp(options?: { openConversation?: string | null }): Promise<{ fetched: number; pages: number; gaps: number }>;
}

export interface ArchiveModule {
  ArchiveSync: new (options: {
    session: XmppSession;
    store: MessageStore;
    log?: (m: string) => void;
  }) => ArchiveSyncLike;
}

export interface Loaded<T> {
  module: T | null;
  /** Why not: the module file missing, or an export the benchmark needs. */
  missing: string | null;
}

/** Imports `relative` (from the repository root, compiled layout) and checks that `exports` are functions. */
export async function loadOptional<T>(relative: string, exports: readonly string[]): Promise<Loaded<T>> {
  // Compiled, this file sits in dist/test/bench; the module in dist/<relative>.
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
