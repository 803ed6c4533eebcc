/**
 * The server's side of the message archive (XEP-0313) for tests against the
 * scripted server: reading the client's query, answering it with archived
 * messages and `<fin/>`, and the disco#info that says the archive is there.
 * The archive is juliet's; its times are seconds after ARCHIVE_T0.
 */
import assert from 'node:assert/strict';
import { escapeXML } from '@xmpp/xml';
import { NS_MAM } from '../../main/core/messages/message-stanzas.js';
import type { Element, ScriptedSession } from './scripted-server.js';

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DATA = 'jabber:x:data';
export const NS_RSM = 'http://jabber.org/protocol/rsm';
export const NS_MARKERS = 'urn:xmpp:chat-markers:0';
/** Whose archive it is. */
export const ARCHIVE_OWNER = 'juliet@localhost';
/** Who sent an archived message unless said otherwise. */
export const ARCHIVE_PEER = 'romeo@localhost';
/** Archive times are seconds after this: a whole second, an hour ago. */
export const ARCHIVE_T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

/** What the client asked for. */
export interface MamQuery {
  iq: Element;
  queryId: string;
  with: string | null;
  start: string | null;
  after: string | null;
  /** '' for an empty `<before/>` (the newest page), null when absent. */
  before: string | null;
  max: number;
}

/** S: waits for the client's next archive query and reads it. */
export async function nextMamQuery(s: ScriptedSession): Promise<MamQuery> {
  const iq = await s.expectIq('set', NS_MAM);
  const query = iq.getChild('query', NS_MAM);
  assert.ok(query);
  const field = (name: string): string | null =>
    query
      .getChild('x', NS_DATA)
      ?.getChildren('field')
      .find((f) => f.attrs.var === name)
      ?.getChildText('value') ?? null;
  const set = query.getChild('set', NS_RSM);
  const before = set?.getChild('before');
  return {
    iq,
    queryId: String(query.attrs.queryid),
    with: field('with'),
    start: field('start'),
    after: set?.getChildText('after') ?? null,
    before: before ? before.text() : null,
    max: Number(set?.getChildText('max')),
  };
}

/** An archived chat message, `at` seconds after ARCHIVE_T0: from `from` to us, or ours (`from` the owner) to `to`. */
export interface Archived {
  /** Its archive id. */
  id: string;
  at: number;
  from?: string;
  to?: string;
  /** The inner message's id attribute (default m-<id>). */
  msgId?: string;
  /** Default `body <id>`; null: no body (a marker only). */
  body?: string | null;
  /** A XEP-0333 displayed marker for this message id. */
  displayed?: string;
}

export const archived = (id: string, at: number, from = ARCHIVE_PEER): Archived => ({ id, at, from });

/** One archive result for the query `q`; `attrs` go on the wrapping message (a forged `from`, say). */
export function resultXml(q: { queryId: string }, item: Archived, attrs = ''): string {
  const stamp = new Date(ARCHIVE_T0 + item.at * 1000).toISOString();
  const from = item.from ?? ARCHIVE_PEER;
  const ours = from === ARCHIVE_OWNER;
  const body = item.body === undefined ? `body ${item.id}` : item.body;
  return (
    `<message to='${ARCHIVE_OWNER}/x'${attrs}><result xmlns='${NS_MAM}' queryid='${escapeXML(q.queryId)}' id='${item.id}'>` +
    `<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='${stamp}'/>` +
    `<message xmlns='jabber:client' type='chat' from='${ours ? `${ARCHIVE_OWNER}/phone` : `${from}/orchard`}' ` +
    `to='${ours ? (item.to ?? ARCHIVE_PEER) : ARCHIVE_OWNER}' id='${item.msgId ?? `m-${item.id}`}'>` +
    (body === null ? '' : `<body>${escapeXML(body)}</body>`) +
    (item.displayed ? `<displayed xmlns='${NS_MARKERS}' id='${item.displayed}'/>` : '') +
    `</message></forwarded></result></message>`
  );
}

/** S: the results, then the iq result with `<fin/>` (first/last from the items unless given). */
export function answer(
  s: ScriptedSession,
  q: { iq: Element; queryId: string },
  items: Archived[],
  fin: { complete?: boolean; first?: string | null; last?: string | null } = {},
): void {
  for (const item of items) s.send(resultXml(q, item));
  const first = fin.first === undefined ? items[0]?.id : fin.first;
  const last = fin.last === undefined ? items.at(-1)?.id : fin.last;
  const set = (first ? `<first>${first}</first>` : '') + (last ? `<last>${last}</last>` : '');
  s.reply(
    q.iq,
    `<fin xmlns='${NS_MAM}'${fin.complete ? " complete='true'" : ''}><set xmlns='${NS_RSM}'>${set}</set></fin>`,
  );
}

/** S: answers the client's disco#info on its own bare JID, with the archive or without it. */
export async function answerDisco(s: ScriptedSession, mam = true): Promise<void> {
  const get = await s.expectIq('get', NS_DISCO_INFO);
  assert.equal(get.attrs.to, ARCHIVE_OWNER, 'disco#info goes to our own bare JID');
  s.reply(
    get,
    `<query xmlns='${NS_DISCO_INFO}'><identity category='account' type='registered'/>` +
      (mam ? `<feature var='${NS_MAM}'/>` : '') +
      `<feature var='${NS_DISCO_INFO}'/></query>`,
  );
}
