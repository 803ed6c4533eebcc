/**
 * One XEP-0313 query as a page: the `<result/>` messages that carry its
 * queryid are collected (only from our own archive: no `from`, or our bare
 * JID), in bounded memory, until the iq result with `<fin/>` arrives, or the
 * timeout. The `<fin/>`'s RSM `<set/>` (XEP-0059) says where the page starts
 * and ends and whether the server says the query is complete.
 */
import { randomUUID } from 'node:crypto';
import type { Element } from '@xmpp/xml';
import { BalconyError } from '../errors.js';
import { NS_MAM, buildMamQuery, parseMamFin, unwrapMamResult } from './message-stanzas.js';

/** What MamQueries needs of the session (XmppSession has it). */
export interface QuerySession {
  readonly account: string;
  iq(type: 'get' | 'set', child: Element, to?: string): Promise<Element>;
  onStanza(name: string, handler: (stanza: Element) => void): void;
}

export interface MamPageRequest {
  /** Only the conversation with this bare JID. */
  with?: string;
  /** RSM `<after>`: the page after this archive id (forward). */
  after?: string;
  /** RSM `<before>`: the page before this id; '' asks for the last (newest) page. */
  before?: string;
  /** Only what the archive stored at or after this time (ms since epoch). */
  start?: number;
  max: number;
}

export interface MamItem {
  archiveId: string;
  /** The archive's time (the forwarded `<delay/>`), ms since epoch. */
  archiveTime: number;
  /** The archived message stanza itself. */
  message: Element;
}

export interface MamPage {
  /** In the order the server sent them: chronological in both directions (XEP-0313 4.3). */
  items: MamItem[];
  /** The server's `complete='true'`: nothing further in the direction asked. */
  complete: boolean;
  /** RSM `<first>` / `<last>` of the page (null when the server sent none). */
  first: string | null;
  last: string | null;
  /** Results beyond `max` that were not kept (a server that ignores max): the page ends at the last kept item. */
  dropped: number;
  /** Results with our queryid from someone else than our own archive: ignored. */
  forged: number;
}

interface Collector {
  items: MamItem[];
  max: number;
  dropped: number;
  forged: number;
  malformed: number;
}

export class MamQueries {
  readonly #session: QuerySession;
  readonly #own: string;
  readonly #timeoutMs: number;
  readonly #log: (message: string) => void;
  readonly #active = new Map<string, Collector>();

  constructor(session: QuerySession, options: { timeoutMs?: number; log?: (message: string) => void } = {}) {
    this.#session = session;
    this.#own = session.account;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#log = options.log ?? ((): void => undefined);
    session.onStanza('message', (stanza) => {
      this.#onMessage(stanza);
    });
  }

  /** Queries in flight (tests check that none is left behind). */
  get pending(): number {
    return this.#active.size;
  }

  /**
   * Runs one query of our own archive and resolves with its page. Rejects
   * with the server's refusal (e.g. 'item-not-found' for an unknown RSM id),
   * 'timeout', or the connection's error; the page's results are then dropped.
   */
  async query(request: MamPageRequest): Promise<MamPage> {
    const queryId = randomUUID();
    const collector: Collector = { items: [], max: request.max, dropped: 0, forged: 0, malformed: 0 };
    this.#active.set(queryId, collector);
    let timer: NodeJS.Timeout | undefined;
    try {
      const query = buildMamQuery({ queryId, ...request }).getChild('query', NS_MAM);
      if (!query) throw new BalconyError('internal', 'The archive query could not be built.');
      const answer = this.#session.iq('set', query);
      // A late answer after our timeout must not become an unhandled rejection.
      answer.catch(() => undefined);
      const result = await Promise.race([
        answer,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new BalconyError('timeout', 'The server did not answer the archive query in time.'));
          }, this.#timeoutMs);
          timer.unref();
        }),
      ]);
      const fin = parseMamFin(result);
      if (!fin) this.#log('archive: the server answered a query without <fin/>');
      return {
        items: collector.items,
        complete: fin?.complete ?? false,
        first: fin?.first ?? null,
        last: fin?.last ?? null,
        dropped: collector.dropped,
        forged: collector.forged,
      };
    } finally {
      clearTimeout(timer);
      this.#active.delete(queryId);
    }
  }

  #onMessage(stanza: Element): void {
    const result = stanza.getChild('result', NS_MAM);
    if (!result) return;
    const queryId = result.attrs.queryid as unknown;
    if (typeof queryId !== 'string') return;
    const collector = this.#active.get(queryId);
    if (!collector) return; // another query's, or too late: ignored
    const item = unwrapMamResult(stanza, this.#own, queryId, this.#own);
    // Logged once per query: a flood of bad results must not flood the log too.
    if (item === null) {
      collector.malformed += 1;
      if (collector.malformed === 1) this.#log('archive: ignored a malformed archive result');
      return;
    }
    if (item.spoofed) {
      collector.forged += 1;
      if (collector.forged === 1) this.#log(`archive: ignored ${item.reason}`);
      return;
    }
    if (collector.items.length >= collector.max) {
      collector.dropped += 1;
      return;
    }
    collector.items.push({ archiveId: item.archiveId, archiveTime: item.archiveTime, message: item.message });
  }
}
