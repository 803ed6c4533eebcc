/**
 * The end-of-test checks of the message fault tests (issue 10): what each
 * side sent, against what each side shows and what the server archived.
 *
 * The model: `ours` are the messages our core confirmed writing to its
 * outbox (id → body); `uncertain` are bodies we asked it to send whose
 * write was never confirmed (it was SIGKILLed first): each may show at most
 * once, under any id; `theirs` are the messages the peer sent and had
 * confirmed by the server (id → body). Bodies are unique across a test, so
 * a body names a message.
 *
 * The server's order is its archive's order (the peer's archive with us,
 * deduped on origin-id as a client does).
 */
import assert from 'node:assert/strict';
import type { ChatMessage, ConversationEntry } from '../../preload/contract.js';
import type { SnapshotReply } from './messages-child.js';
import { dedupeKey, type ArchivedMessage, type XmppPeer } from './xmpp-peer.js';

export interface ExchangeModel {
  ourJid: string;
  peerJid: string;
  ours: Map<string, string>;
  /** Messages our other device (a second resource of our account) sent to the peer: id → body. */
  otherDevice: Map<string, string>;
  uncertain: Set<string>;
  theirs: Map<string, string>;
}

export const newModel = (ourJid: string, peerJid: string): ExchangeModel => ({
  ourJid,
  peerJid,
  ours: new Map(),
  otherDevice: new Map(),
  uncertain: new Set(),
  theirs: new Map(),
});

const messagesOf = (history: readonly ConversationEntry[]): (ChatMessage & { kind: 'message' })[] =>
  history.filter((e): e is ChatMessage & { kind: 'message' } => e.kind === 'message');

const SENT_STATES = new Set(['sent', 'delivered', 'read']);

/** The archive deduped the way a client does, in the server's order, with the copies it held twice. */
export function archiveOrder(archive: readonly ArchivedMessage[]): { list: ArchivedMessage[]; extraCopies: number } {
  const seen = new Map<string, string>();
  const list: ArchivedMessage[] = [];
  let extraCopies = 0;
  for (const item of archive) {
    const key = dedupeKey(item) ?? `archive:${item.archiveId}`;
    const body = seen.get(key);
    if (body === undefined) {
      seen.set(key, item.body);
      list.push(item);
    } else {
      assert.equal(item.body, body, `the archive holds ${key} with two bodies`);
      extraCopies += 1;
    }
  }
  return { list, extraCopies };
}

/**
 * Our side: the outbox is empty, every message ours shows once (sent or
 * better, never failed), every message of theirs once, nothing else, no
 * gap (the test servers' archives never expire), each direction in the
 * server's order.
 */
export function checkOurSide(
  snapshot: SnapshotReply,
  model: ExchangeModel,
  archive: readonly ArchivedMessage[],
  options: { orderPrecisionMs?: number } = {},
): void {
  assert.deepEqual(
    snapshot.outbox.map((m) => `${m.id} ${m.state} ${m.body}`),
    [],
    'the outbox ends empty',
  );
  const gaps = snapshot.history.filter((e) => e.kind === 'gap');
  assert.equal(gaps.length, 0, `no "earlier messages may be missing" marker where the archive has everything`);
  const shown = messagesOf(snapshot.history);
  const ids = new Set<string>();
  const bodies = new Map<string, ChatMessage>();
  const otherDeviceBodies = new Set(model.otherDevice.values());
  const describe = (m: ChatMessage): string =>
    `${m.id} ${m.direction} ${m.state} seq ${m.seq} at ${new Date(m.time).toISOString()}` +
    (m.fromOtherDevice ? ' from another device' : '');
  for (const m of shown) {
    assert.ok(!ids.has(m.id), `our side shows ${m.id} twice`);
    ids.add(m.id);
    const same = bodies.get(m.body);
    assert.ok(!same, `our side shows "${m.body}" twice: ${same ? describe(same) : ''} and ${describe(m)}`);
    bodies.set(m.body, m);
    if (m.direction === 'out' && otherDeviceBodies.has(m.body)) {
      assert.ok(m.fromOtherDevice, `"${m.body}" is shown as sent from our other device`);
    } else if (m.direction === 'out') {
      const body = model.ours.get(m.id);
      if (body !== undefined) assert.equal(m.body, body, `our ${m.id} shows the body it was sent with`);
      else assert.ok(model.uncertain.has(m.body), `our side shows an outgoing "${m.body}" (${m.id}) nobody sent`);
      assert.ok(SENT_STATES.has(m.state), `our "${m.body}" ends ${m.state}, not sent`);
    } else {
      assert.equal(m.from, model.peerJid, `an incoming message from ${m.from}`);
      assert.ok(
        [...model.theirs.values()].includes(m.body),
        `our side shows an incoming "${m.body}" the peer never sent`,
      );
    }
  }
  const missingOurs = [...model.ours].filter(([id]) => !ids.has(id)).map(([, body]) => body);
  assert.deepEqual(missingOurs, [], 'every message we sent is shown on our side');
  const missingOther = [...otherDeviceBodies].filter((body) => !bodies.has(body));
  assert.deepEqual(missingOther, [], 'every message our other device sent is shown on our side');
  const missingTheirs = [...model.theirs.values()].filter((body) => !bodies.has(body));
  assert.deepEqual(missingTheirs, [], 'every message the peer sent is stored on our side');

  const serverIndex = new Map(archiveOrder(archive).list.map((item, i) => [item.body, i]));
  for (const direction of ['in', 'out'] as const) {
    const order = shown.filter((m) => m.direction === direction).map((m) => m.body);
    const expected = [...order].sort((a, b) => (serverIndex.get(a) ?? -1) - (serverIndex.get(b) ?? -1));
    const notArchived = order.filter((b) => !serverIndex.has(b));
    assert.deepEqual(notArchived, [], `every ${direction === 'in' ? 'incoming' : 'outgoing'} message is archived`);
    // The first pair shown the wrong way round, with what placed them (time, seq) and the archive's stamps.
    const archived = new Map(archiveOrder(archive).list.map((item) => [item.body, item]));
    const firstWrong = order.findIndex((body, i) => body !== expected[i]);
    const pair =
      firstWrong < 0
        ? ''
        : [order[firstWrong]!, expected[firstWrong]!]
            .map((body) => {
              const m = bodies.get(body)!;
              const at = archived.get(body)?.time;
              return `"${body}" (${describe(m)}, archived ${at === undefined ? '?' : new Date(at).toISOString()})`;
            })
            .join(' is shown before ');
    const words = `${direction === 'in' ? 'their' : 'our'} messages in the server's order`;
    const precision = options.orderPrecisionMs ?? 0;
    if (precision === 0) {
      assert.deepEqual(order, expected, `${words}${pair ? `: ${pair}` : ''}`);
      continue;
    }
    // At the archive stamps' precision: no message shown after one the archive stamped a
    // precision or more later (within one stamp's second the archive's order is not checked).
    let newest = -Infinity;
    for (const body of order) {
      const at = archived.get(body)?.time ?? -Infinity;
      assert.ok(newest - at < precision, `${words}, to ${precision} ms: "${body}" is shown after a later one`);
      newest = Math.max(newest, at);
    }
  }
}

/**
 * Across both directions: two messages the server archived at least
 * `toleranceMs` apart are shown in that order. (The archives' times have
 * whole seconds, so within a second only each direction's own order is
 * known to both sides.)
 */
export function checkInterleaving(
  snapshot: SnapshotReply,
  archive: readonly ArchivedMessage[],
  toleranceMs = 1_000,
): number {
  const byBody = new Map(archiveOrder(archive).list.map((item) => [item.body, item]));
  const ours = new Map(messagesOf(snapshot.history).map((m) => [m.body, m]));
  const shown = messagesOf(snapshot.history)
    .map((m) => byBody.get(m.body))
    .filter((x): x is ArchivedMessage => x !== undefined);
  const placed = (body: string): string => {
    const m = ours.get(body);
    return m ? `, shown at ${new Date(m.time).toISOString()} seq ${m.seq} ${m.state}` : '';
  };
  let latest: ArchivedMessage | null = null;
  let checked = 0;
  for (const item of shown) {
    if (latest && item.time + toleranceMs <= latest.time) {
      assert.fail(
        `our side shows "${item.body}" (archived ${new Date(item.time).toISOString()}${placed(item.body)}) after ` +
          `"${latest.body}" (archived ${new Date(latest.time).toISOString()}${placed(latest.body)})`,
      );
    }
    if (!latest || item.time > latest.time) latest = item;
    checked += 1;
  }
  return checked;
}

export interface PeerFigures {
  /** Live copies the peer received twice (same id, same body) and dropped. */
  duplicatesDropped: number;
  /** Messages the server archived more than once (sent again after an unacknowledged try). */
  archiveExtraCopies: number;
  /** Of ours: how many reached the peer live (the rest it found in its archive). */
  live: number;
}

/**
 * The peer's side: every message ours arrived (live, or in its archive as a
 * client catching up finds it), once after the dedupe on origin-id / id, no
 * id with two bodies, nothing else; uncertain bodies at most once.
 */
export function checkPeerSide(peer: XmppPeer, archive: readonly ArchivedMessage[], model: ExchangeModel): PeerFigures {
  const live = peer.distinctFrom(model.ourJid);
  assert.deepEqual(live.conflicts, [], 'no id reaches the peer with two different bodies');
  const { list, extraCopies } = archiveOrder(archive);
  const fromUs = new Map<string, string>();
  for (const [key, body] of live.messages) fromUs.set(key, body);
  for (const item of list) {
    if (item.from !== model.ourJid) continue;
    const key = dedupeKey(item)!;
    const body = fromUs.get(key);
    if (body !== undefined) assert.equal(item.body, body, `${key}: the archive and the live copy differ`);
    fromUs.set(key, item.body);
  }
  const sent = new Map([...model.ours, ...model.otherDevice]);
  const missing = [...sent].filter(([id]) => !fromUs.has(id)).map(([, body]) => body);
  assert.deepEqual(missing, [], 'every message we sent reached the peer');
  const bodiesSeen = new Map<string, number>();
  for (const [key, body] of fromUs) {
    const expected = sent.get(key);
    if (expected !== undefined) assert.equal(body, expected, `${key} reached the peer with another body`);
    else assert.ok(model.uncertain.has(body), `the peer got "${body}" (${key}), which we never sent`);
    bodiesSeen.set(body, (bodiesSeen.get(body) ?? 0) + 1);
  }
  const twice = [...bodiesSeen].filter(([, n]) => n > 1).map(([b]) => b);
  assert.deepEqual(twice, [], 'no message reaches the peer under two ids');
  // The peer's own messages: each archived (the server has them, for our catch-up).
  const archivedTheirs = new Set(list.filter((i) => i.from === model.peerJid).map((i) => i.body));
  const unarchived = [...model.theirs.values()].filter((b) => !archivedTheirs.has(b));
  assert.deepEqual(unarchived, [], 'the server archived every message the peer sent');
  return {
    duplicatesDropped: live.duplicates,
    archiveExtraCopies: extraCopies,
    live: [...model.ours.keys()].filter((id) => live.messages.has(id)).length,
  };
}
