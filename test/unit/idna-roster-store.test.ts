/**
 * issue 11 #11 against a real SQLite file: what the server sends under the
 * A-label and under the U-label spelling of one domain lands in one row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { parseRosterPush, parseRosterResult } from '../../main/core/roster/roster-stanzas.js';
import { parseXml } from '../support/parse-xml.js';

const ACCOUNT = 'juliet@example.com';
const log = (): void => {
  // the store's log lines are not what these tests check
};

function openStore(): RosterStore {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-idna-'));
  const { db } = openDatabase(join(dir, 'profile.db'));
  test.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return new RosterStore(db);
}

function push(itemXml: string): void {
  const parsed = parseRosterPush(parseXml(`<query xmlns='jabber:iq:roster' ver='v'>${itemXml}</query>`), log);
  assert.ok(parsed.ok);
  store.applyPush(ACCOUNT, parsed.change, parsed.version);
}

let store: RosterStore;

test('issue 11 #11: romeo@xn--mnchen-3ya.de and romeo@münchen.de are one row in the cache', () => {
  store = openStore();
  const result = parseRosterResult(
    parseXml(`<query xmlns='jabber:iq:roster' ver='1'>
    <item jid='romeo@xn--mnchen-3ya.de' name='Romeo'/><item jid='romeo@münchen.de' name='Romeo M'/></query>`),
    log,
  );
  store.replaceAll(ACCOUNT, result.items, result.version);
  assert.deepEqual(
    store.getSnapshot(ACCOUNT).items.map((i) => [i.jid, i.name]),
    [['romeo@münchen.de', 'Romeo M']],
  );

  push("<item jid='romeo@XN--MNCHEN-3YA.DE' name='Romeo A'/>");
  assert.deepEqual(
    store.getSnapshot(ACCOUNT).items.map((i) => [i.jid, i.name]),
    [['romeo@münchen.de', 'Romeo A']],
  );
  assert.equal(store.getItem(ACCOUNT, 'romeo@münchen.de')?.name, 'Romeo A');

  push("<item jid='romeo@xn--mnchen-3ya.de' subscription='remove'/>");
  assert.equal(store.countItems(ACCOUNT), 0, 'a removal under the other spelling removes the one row');
});
