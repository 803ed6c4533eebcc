import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RosterItem } from '../../preload/contract.js';
import { matchPush } from '../../main/core/roster/push-match.js';
import type { PushChange } from '../../main/core/roster/roster-stanzas.js';

function upsert(jid: string): PushChange {
  const item: RosterItem = { jid, name: null, subscription: 'none', ask: null, approved: false, groups: [] };
  return { kind: 'upsert', item };
}
const removal = (jid: string): PushChange => ({ kind: 'remove', jid });

describe('issue 11 #12: which push answers our roster set', () => {
  it('issue 11 #12: the push for the address we sent answers it, whatever kind', () => {
    assert.equal(matchPush({ jid: 'romeo@example.net', remove: false }, upsert('romeo@example.net')), 'exact');
    assert.equal(matchPush({ jid: 'romeo@example.net', remove: true }, removal('romeo@example.net')), 'exact');
    assert.equal(matchPush({ jid: 'romeo@example.net', remove: true }, upsert('romeo@example.net')), 'exact');
  });

  it("issue 11 #12: a stringprep server's spelling (nodeprep folds ß to ss, nameprep the domain) answers the same kind of change", () => {
    assert.equal(matchPush({ jid: 'ß@example.net', remove: false }, upsert('ss@example.net')), 'folded');
    assert.equal(matchPush({ jid: 'ß@example.net', remove: true }, removal('ss@example.net')), 'folded');
    assert.equal(matchPush({ jid: 'x@faß.de', remove: false }, upsert('x@fass.de')), 'folded');
    assert.equal(matchPush({ jid: 'ro\u00admeo@example.net', remove: false }, upsert('romeo@example.net')), 'folded');
  });

  it('issue 11 #12: another contact, or the other kind of change under a folded spelling, answers nothing', () => {
    assert.equal(
      matchPush({ jid: 'ß@example.net', remove: false }, removal('ss@example.net')),
      null,
      'a removal does not answer an add',
    );
    assert.equal(
      matchPush({ jid: 'ß@example.net', remove: true }, upsert('ss@example.net')),
      null,
      'an item does not answer a removal',
    );
    assert.equal(matchPush({ jid: 'romeo@example.net', remove: false }, upsert('juliet@example.net')), null);
    assert.equal(matchPush({ jid: 's@example.net', remove: false }, upsert('ss@example.net')), null);
    assert.equal(matchPush({ jid: 'romeo@example.net', remove: false }, upsert('romeo@example.org')), null);
  });
});
