// The messages benchmark's archive (test/bench/mam-archive.ts) must be one the
// client accepts and pages the way a server does, or the catch-up figures
// would measure something else (refused results, a wrong page, a short run).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMamQuery, parseChatMessage, unwrapMamResult } from '../../main/core/messages/message-stanzas.js';
import { archiveItemsFor } from '../bench/archive-catchup-bench.js';
import { generateArchive, mamPage, mamResultXml, readMamQuery, type ArchiveItem } from '../bench/mam-archive.js';
import { mamParseFloor, messageInsertFloor } from '../bench/message-floors.js';
import { parseXml } from '../support/parse-xml.js';

const OWN = 'juliet@localhost';
const FULL = `${OWN}/bench`;
const START = Date.UTC(2026, 0, 1);

function archive(count: number): ArchiveItem[] {
  return generateArchive({
    own: OWN,
    contacts: ['a@x.net', 'b@x.net', 'c@x.net'],
    count,
    startTime: START,
    seed: 4,
    prefix: 't',
  });
}

const ids = (items: readonly ArchiveItem[]): string[] => items.map((it) => it.archiveId);

test('issue 10 speed (bench): the generated MAM results are accepted by the client parsers with their archive id and time', () => {
  const items = archive(50);
  for (const item of items) {
    const result = unwrapMamResult(parseXml(mamResultXml(item, OWN, FULL, 'q1')), OWN, 'q1');
    assert.ok(result && !result.spoofed, `result ${item.archiveId} refused`);
    assert.equal(result.archiveId, item.archiveId);
    assert.equal(result.archiveTime, item.time);
    const message = parseChatMessage(result.message, OWN);
    assert.equal(message?.body, item.body);
    assert.equal(message.originId, item.msgId);
    assert.equal(item.direction === 'in' ? message.from : message.to, item.contact);
  }
  assert.equal(archiveItemsFor(items, OWN, FULL, 'q2').length, 50);
  assert.ok(items.some((it) => it.direction === 'out') && items.some((it) => it.direction === 'in'), 'both directions');
});

test('issue 10 speed (bench): the scripted archive pages as a server does (after, before, last page, with, start, end, max)', () => {
  const items = archive(300);
  const ask = (o: Parameters<typeof buildMamQuery>[0]) => {
    // the client's query as it goes out (buildMamQuery gives the whole iq), read back by the bench's server
    const q = readMamQuery(parseXml(buildMamQuery(o).toString()));
    assert.ok(q);
    return mamPage(items, q);
  };
  const first = ask({ queryId: 'q', max: 100 });
  assert.deepEqual(ids(first.page), ids(items.slice(0, 100)));
  assert.equal(first.complete, false);
  const next = ask({ queryId: 'q', max: 100, after: items[99]!.archiveId });
  assert.deepEqual(ids(next.page), ids(items.slice(100, 200)));
  const last = ask({ queryId: 'q', max: 100, after: items[199]!.archiveId });
  assert.equal(last.page.length, 100);
  assert.equal(last.complete, true);
  const newest = ask({ queryId: 'q', max: 30, before: '' });
  assert.deepEqual(ids(newest.page), ids(items.slice(270)));
  const back = ask({ queryId: 'q', max: 30, before: items[270]!.archiveId });
  assert.deepEqual(ids(back.page), ids(items.slice(240, 270)));
  const withA = ask({ queryId: 'q', max: 1000, with: 'a@x.net' });
  assert.deepEqual(ids(withA.page), ids(items.filter((it) => it.contact === 'a@x.net')));
  const window = ask({ queryId: 'q', max: 1000, start: items[10]!.time, end: items[19]!.time });
  assert.deepEqual(ids(window.page), ids(items.slice(10, 20)));
});

test('issue 10 speed (bench): the floors see every result and insert every row', () => {
  const items = archive(200);
  const text = items.map((it) => mamResultXml(it, OWN, FULL, 'q')).join('');
  // cut anywhere, as TLS records cut a stream
  const chunks = [text.slice(0, 777), text.slice(777, 5000), text.slice(5000)];
  const floor = mamParseFloor(chunks);
  assert.equal(floor.results, 200);
  assert.ok(floor.ms >= 0);
  assert.ok(messageInsertFloor(items, OWN) >= 0);
});
