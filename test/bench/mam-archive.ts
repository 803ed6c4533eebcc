/**
 * A generated message archive for the messages benchmark, and the XMPP it
 * travels in: XEP-0313 (MAM, urn:xmpp:mam:2) result stanzas and the <fin/>
 * that ends each page (XEP-0059 RSM), as Prosody and ejabberd write them.
 * `serveMam` answers a client's archive queries on a ScriptedSession (real
 * XMPP over TLS) from such an archive: `after`, `before` (empty: the last
 * page), `with`, `start`, `end` and `max`, in archive order. It also answers the
 * disco#info a client asks before it queries (the account advertises
 * urn:xmpp:mam:2), and every other iq with an empty result (carbons enable).
 */
import { escapeXML, type Element } from '@xmpp/xml';
import type { ScriptedSession } from '../support/scripted-server.js';
import { seededRandom } from '../support/seeded-random.js';

export const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';

export interface ArchiveItem {
  /** The archive's id (the stanza-id by our bare JID). */
  archiveId: string;
  /** The archive's time, ms since epoch. */
  time: number;
  direction: 'in' | 'out';
  /** The contact's bare JID (the conversation). */
  contact: string;
  /** The message's id attribute; also its origin-id (XEP-0359), as Balcony and Conversations send. */
  msgId: string;
  body: string;
}

const WORDS = [
  'ok',
  'see you at eight',
  'did you get the tickets?',
  'the train is late again 🙄',
  'Ja, morgen passt mir gut.',
  'c’est noté, merci !',
  'haha 😂',
  'can you send me the address',
  'I’ll be there in ten minutes',
  'مرحبا، كيف حالك؟',
  'the meeting moved to Thursday, 14:00, same room as last time',
  'https://example.org/a/rather/long/link?with=query&and=more',
  'Noted. I will look at the draft tonight and send comments tomorrow morning before the call.',
  '👍',
  'Ünïcödé and combining: é (e + U+0301)',
];

/** A body of 1-4 phrases, seeded: lengths from a word to a paragraph, some emoji, some RTL. */
function body(rnd: () => number): string {
  const parts = 1 + Math.floor(rnd() * rnd() * 4);
  const out: string[] = [];
  for (let i = 0; i < parts; i++) out.push(WORDS[Math.floor(rnd() * WORDS.length)]!);
  return out.join(' ');
}

export interface ArchiveOptions {
  /** Our bare JID. */
  own: string;
  /** The contacts' bare JIDs; the messages are spread over them (the first ones busier). */
  contacts: readonly string[];
  count: number;
  /** The first item's time; items are 1-90 s apart. */
  startTime: number;
  seed: number;
  /** Prefix of archive ids and message ids (distinct per archive part). */
  prefix: string;
  /** Share of our own messages (sent from another device, archived). Default 0.4. */
  outShare?: number;
}

export function generateArchive(o: ArchiveOptions): ArchiveItem[] {
  const rnd = seededRandom(o.seed);
  const items: ArchiveItem[] = [];
  let time = o.startTime;
  for (let i = 0; i < o.count; i++) {
    time += 1000 + Math.floor(rnd() * 89_000);
    // Skewed: most messages in a few conversations, as in a real account.
    const contact = o.contacts[Math.floor(rnd() * rnd() * o.contacts.length)]!;
    const id = `${o.prefix}${i.toString(36).padStart(6, '0')}`;
    items.push({
      archiveId: `A-${id}`,
      time,
      direction: rnd() < (o.outShare ?? 0.4) ? 'out' : 'in',
      contact,
      msgId: `m-${id}`,
      body: body(rnd),
    });
  }
  return items;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** One MAM result, as Prosody writes it: our bare JID as sender, the archived message forwarded with its delay. */
export function mamResultXml(item: ArchiveItem, own: string, ownFull: string, queryId: string): string {
  const from = item.direction === 'in' ? `${item.contact}/phone` : `${own}/laptop`;
  const to = item.direction === 'in' ? ownFull : item.contact;
  const id = escapeXML(item.msgId);
  return (
    `<message to='${escapeXML(ownFull)}' from='${escapeXML(own)}' id='r-${id}'>` +
    `<result xmlns='${NS_MAM}' queryid='${escapeXML(queryId)}' id='${escapeXML(item.archiveId)}'>` +
    `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${iso(item.time)}'/>` +
    `<message xmlns='jabber:client' from='${escapeXML(from)}' to='${escapeXML(to)}' type='chat' id='${id}'>` +
    `<body>${escapeXML(item.body)}</body><origin-id xmlns='urn:xmpp:sid:0' id='${id}'/>` +
    `<request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/>` +
    `<active xmlns='http://jabber.org/protocol/chatstates'/></message></forwarded></result></message>`
  );
}

export interface MamQuery {
  queryId: string;
  with: string | null;
  start: number | null;
  end: number | null;
  after: string | null;
  /** null: no <before/>; '': the last page. */
  before: string | null;
  max: number;
}

export function readMamQuery(iq: Element): MamQuery | null {
  const query = iq.getChild('query', NS_MAM);
  if (!query) return null;
  const form = query.getChild('x', 'jabber:x:data');
  const field = (v: string): string | null =>
    form
      ?.getChildren('field')
      .find((f) => f.attrs.var === v)
      ?.getChildText('value') ?? null;
  const set = query.getChild('set', NS_RSM);
  const start = field('start');
  const end = field('end');
  return {
    queryId: String(query.attrs.queryid ?? ''),
    with: field('with'),
    start: start === null ? null : Date.parse(start),
    end: end === null ? null : Date.parse(end),
    after: set?.getChildText('after') ?? null,
    before: set?.getChild('before') ? (set.getChildText('before') ?? '') : null,
    max: Math.max(1, Math.min(Number(set?.getChildText('max') ?? 100) || 100, 1000)),
  };
}

/** The page a query asks for, as a server with this archive answers it. */
export function mamPage(
  items: readonly ArchiveItem[],
  q: MamQuery,
): { page: ArchiveItem[]; complete: boolean; count: number } {
  let matching = items.filter(
    (it) =>
      (q.with === null || it.contact === q.with) &&
      (q.start === null || it.time >= q.start) &&
      (q.end === null || it.time <= q.end),
  );
  if (q.after !== null) {
    const at = matching.findIndex((it) => it.archiveId === q.after);
    matching = at < 0 ? [] : matching.slice(at + 1);
  }
  if (q.before !== null && q.before !== '') {
    const at = matching.findIndex((it) => it.archiveId === q.before);
    matching = at < 0 ? [] : matching.slice(0, at);
  }
  const count = matching.length;
  const fromEnd = q.before !== null;
  const page = fromEnd ? matching.slice(Math.max(0, count - q.max)) : matching.slice(0, q.max);
  return { page, complete: page.length === count, count };
}

export interface ServeStats {
  queries: MamQuery[];
  /** Characters of every page written (results + fin). */
  chars: number;
}

/**
 * Answers the client's iqs on `session` until `signal` aborts or the stream
 * ends: disco#info (MAM advertised), MAM queries from `archive`, others empty.
 */
export async function serveMam(
  session: ScriptedSession,
  archive: readonly ArchiveItem[],
  own: string,
  signal: AbortSignal,
): Promise<ServeStats> {
  const stats: ServeStats = { queries: [], chars: 0 };
  while (!signal.aborted) {
    let el: Element;
    const waited = performance.now();
    try {
      el = await session.expect(() => true, 1000);
    } catch {
      // A timeout: look at the signal again. An early rejection: the connection closed.
      if (performance.now() - waited < 900) break;
      continue;
    }
    if (!el.is('iq') || (el.attrs.type !== 'get' && el.attrs.type !== 'set')) continue;
    if (el.getChild('query', NS_DISCO_INFO)) {
      session.reply(
        el,
        `<query xmlns='${NS_DISCO_INFO}'><identity category='account' type='registered'/>` +
          `<feature var='${NS_MAM}'/><feature var='urn:xmpp:carbons:2'/></query>`,
        { from: el.attrs.to as string | undefined },
      );
      continue;
    }
    const q = readMamQuery(el);
    if (!q) {
      session.reply(el);
      continue;
    }
    stats.queries.push(q);
    const { page, complete, count } = mamPage(archive, q);
    const results = page.map((it) => mamResultXml(it, own, session.fullJid, q.queryId));
    const rsm =
      page.length === 0
        ? `<set xmlns='${NS_RSM}'><count>${count}</count></set>`
        : `<set xmlns='${NS_RSM}'><first index='0'>${escapeXML(page[0]!.archiveId)}</first>` +
          `<last>${escapeXML(page.at(-1)!.archiveId)}</last><count>${count}</count></set>`;
    const fin =
      `<iq type='result' id='${escapeXML(String(el.attrs.id))}' to='${escapeXML(session.fullJid)}'>` +
      `<fin xmlns='${NS_MAM}'${complete ? " complete='true'" : ''}>${rsm}</fin></iq>`;
    const text = results.join('') + fin;
    stats.chars += text.length;
    session.sendRaw(text);
  }
  return stats;
}
