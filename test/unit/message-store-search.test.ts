/**
 * Issue 10 #6, search that finds what people look for: inside words, emoji,
 * one- and two-character queries, any case in any script (the trigram index
 * of migration 0110, short pieces checked on the text), with the user's
 * text never read as FTS syntax. Real SQLite files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore, SHORT_SCAN_ROWS, type StorableMessage } from '../../main/core/store/message-store.js';
import { markPieces } from '../../main/core/store/message-search-query.js';

const ME = 'juliet@capulet.lit';
const ROMEO = 'romeo@montague.lit';
const NURSE = 'nurse@capulet.lit';
const T0 = Date.UTC(2026, 11, 1, 9);

function openStore(): { db: Database.Database; store: MessageStore } {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-search-'));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  const { db } = openDatabase(join(dir, 'profile.db'));
  test.after(() => db.close());
  return { db, store: new MessageStore(db, ME) };
}

function copy(body: string, from = ROMEO): StorableMessage {
  return {
    type: 'chat',
    id: null,
    from,
    fromResource: 'orchard',
    to: ME,
    toResource: 'balcony',
    bodyCut: false,
    originId: null,
    stanzaId: null,
    delay: null,
    receiptRequested: false,
    markable: false,
    chatState: null,
    receivedId: null,
    displayedId: null,
    error: null,
    source: 'live',
    body,
  };
}

/** Stores `bodies` from romeo (nurse where the body starts with "nurse:"), a minute apart, oldest first. */
function seeded(bodies: string[]): MessageStore {
  const { store } = openStore();
  for (const [i, body] of bodies.entries()) {
    store.storeIncoming(copy(body, body.startsWith('nurse:') ? NURSE : ROMEO), T0 + i * 60_000);
  }
  return store;
}

const BODIES = [
  'Baron Münchhausen rode a cannonball',
  'Party tonight 🎉🎉 at the Capulets',
  'STRAßE und Straße',
  'ÉLAN vital',
  'ok see you',
  'nurse: a "quoted" NEAR(x y) - minus * star',
  'Café crème',
];

describe('issue 10 #6: search inside words and emoji', () => {
  test('issue 10 #6: search finds an emoji, a substring inside a word, and three letters anywhere', () => {
    const store = seeded(BODIES);
    const find = (query: string, jid?: string) => store.search({ query, jid, limit: 10 }).map((h) => h.message.body);
    assert.deepEqual(find('🎉'), ['Party tonight 🎉🎉 at the Capulets'], 'an emoji alone');
    assert.deepEqual(find('ünch'), ['Baron Münchhausen rode a cannonball'], 'inside a word');
    assert.deepEqual(find('hhaus'), ['Baron Münchhausen rode a cannonball']);
    assert.deepEqual(find('nonb'), ['Baron Münchhausen rode a cannonball']);
    assert.deepEqual(find('🎉 capu'), ['Party tonight 🎉🎉 at the Capulets'], 'an emoji beside a word');
    assert.deepEqual(find('🎉 montague'), [], 'every piece must be there');
    assert.deepEqual(find('cafe creme'), ['Café crème'], 'still without diacritics');
    assert.deepEqual(find('caf'), ['Café crème'], 'still a prefix');
  });

  test('issue 10 #6: search ignores case outside ASCII too (ß, É), in the index and in short queries', () => {
    const store = seeded(BODIES);
    const find = (query: string) => store.search({ query, limit: 10 }).map((h) => h.message.body);
    assert.deepEqual(find('straße'), ['STRAßE und Straße']);
    assert.deepEqual(find('STRASSE'), [], 'ß is not ss (no full case folding)');
    assert.deepEqual(find('élan'), ['ÉLAN vital']);
    assert.deepEqual(find('MÜNCH'), ['Baron Münchhausen rode a cannonball']);
    assert.deepEqual(find('ß'), ['STRAßE und Straße'], 'one letter');
    assert.deepEqual(find('éL'), ['ÉLAN vital'], 'two letters, any case');
    assert.deepEqual(find('ÉM'), ['Café crème'], 'without accents, as the index: é and e alike');
  });

  test('issue 10 #6: a two-letter query scans the newest messages, newest first, in one conversation or all', () => {
    const store = seeded(BODIES);
    const find = (query: string, jid?: string) => store.search({ query, jid, limit: 10 }).map((h) => h.message.body);
    assert.deepEqual(find('ok'), ['ok see you']);
    assert.deepEqual(find('OK'), ['ok see you']);
    assert.deepEqual(find('ta'), ['nurse: a "quoted" NEAR(x y) - minus * star', 'ÉLAN vital']);
    assert.deepEqual(find('ar'), [
      'nurse: a "quoted" NEAR(x y) - minus * star',
      'Party tonight 🎉🎉 at the Capulets',
      'Baron Münchhausen rode a cannonball',
    ]);
    assert.deepEqual(find('ar', NURSE), ['nurse: a "quoted" NEAR(x y) - minus * star']);
    assert.deepEqual(
      store.search({ query: 'ar', limit: 2 }).map((h) => h.message.body),
      ['nurse: a "quoted" NEAR(x y) - minus * star', 'Party tonight 🎉🎉 at the Capulets'],
      'the limit counts matches only',
    );
  });

  test('issue 10 #6: quotes and FTS syntax in the query are text: never an error, found where the body has them', () => {
    const store = seeded(BODIES);
    const find = (query: string) => store.search({ query, limit: 10 }).map((h) => h.message.body);
    const nurse = 'nurse: a "quoted" NEAR(x y) - minus * star';
    for (const query of [
      '"',
      '""',
      '"""',
      '*',
      '-',
      'NEAR(',
      'NEAR(x',
      'AND',
      'OR',
      'NOT',
      '^',
      ':',
      'a:b',
      '(',
      ')',
      '{body}: x',
      '"hello',
      '- *',
      '\uFE0F',
      '\u0301',
    ]) {
      assert.doesNotThrow(() => find(query), query);
    }
    assert.deepEqual(find('"'), [nurse]);
    assert.deepEqual(find('"quoted"'), [nurse]);
    assert.deepEqual(find('NEAR('), [nurse]);
    assert.deepEqual(find('*'), [nurse]);
    assert.deepEqual(find('-'), [nurse]);
    assert.deepEqual(find('NEAR(x y)'), [nurse]);
    assert.deepEqual(find('\uFE0F'), [], 'nothing to look for');
  });

  test('issue 10 #6: snippets mark every piece found, whole characters, in the original text', () => {
    const store = seeded(BODIES);
    const snippet = (query: string) => store.search({ query, limit: 1 })[0]?.snippet;
    assert.equal(snippet('ünch'), 'Baron M\uE000ünch\uE001hausen rode a cannonball');
    assert.equal(snippet('🎉'), 'Party tonight \uE000🎉🎉\uE001 at the Capulets');
    assert.equal(snippet('straße'), '\uE000STRAßE\uE001 und \uE000Straße\uE001');
    assert.equal(snippet('cafe cr'), '\uE000Café\uE001 \uE000cr\uE001ème');
    // a combining accent stays with its letter
    assert.equal(markPieces('Cafe\u0301 noir', ['cafe']), '\uE000Cafe\u0301\uE001 noir');
    assert.equal(markPieces('no match', ['xyz']), 'no match');
  });

  test('issue 10 #6: a short query reads at most SHORT_SCAN_ROWS messages (the newest)', () => {
    const { store, db } = openStore();
    const insert = db.transaction(() => {
      store.storeIncoming(copy('an old zq'), T0);
      for (let i = 1; i <= SHORT_SCAN_ROWS; i += 1) store.storeIncoming(copy(`filler ${i}`), T0 + i);
      store.storeIncoming(copy('a new zq'), T0 + SHORT_SCAN_ROWS + 1);
    });
    insert();
    const found = (jid?: string) => store.search({ query: 'zq', jid, limit: 10 }).map((h) => h.message.body);
    assert.deepEqual(found(), ['a new zq'], 'the oldest is beyond the scan');
    assert.deepEqual(found(ROMEO), ['a new zq']);
    assert.deepEqual(
      store.search({ query: 'old zq', limit: 10 }).map((h) => h.message.body),
      ['an old zq'],
      'with a longer piece, the index finds it anywhere',
    );
  });
});
