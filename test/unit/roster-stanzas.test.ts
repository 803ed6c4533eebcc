import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cleanGroups,
  parseRosterPush,
  parseRosterResult,
  rosterGetQuery,
  rosterRemoveQuery,
  rosterSetQuery,
} from '../../main/core/roster/roster-stanzas.js';
import { parseXml } from '../support/parse-xml.js';

const parse = parseXml;

const logs: string[] = [];
const log = (m: string): void => {
  logs.push(m);
};

describe('roster result mapping', () => {
  it('maps the seed login result (RFC 6121 2.1.4)', () => {
    const query = parse(`<query xmlns='jabber:iq:roster' ver='ver11'>
      <item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>
      <item jid='mercutio@example.com' name='Mercutio' subscription='from'/>
      <item jid='benvolio@example.net' name='Benvolio' subscription='both'/></query>`);
    const { items, version } = parseRosterResult(query, log);
    assert.equal(version, 'ver11');
    assert.deepEqual(
      items.find((i) => i.jid === 'romeo@example.net'),
      {
        jid: 'romeo@example.net',
        name: 'Romeo',
        subscription: 'both',
        ask: null,
        approved: false,
        groups: ['Friends'],
      },
    );
    assert.equal(items.length, 3);
  });

  it('cleans groups, defaults and logs unknown subscriptions, keeps ask and approved', () => {
    logs.length = 0;
    const query = parse(`<query xmlns='jabber:iq:roster'>
      <item jid='Nurse@Example.com' name='' subscription='sideways' ask='subscribe' approved='true'>
        <group> Servants </group><group>Servants</group><group>   </group><group>A</group></item></query>`);
    const { items, version } = parseRosterResult(query, log);
    assert.equal(version, null);
    assert.deepEqual(items, [
      {
        jid: 'nurse@example.com',
        name: null,
        subscription: 'none',
        ask: 'subscribe',
        approved: true,
        groups: ['A', 'Servants'],
      },
    ]);
    assert.ok(logs.some((l) => l.includes('unknown subscription')));
  });

  it('keeps one item per normalised jid (the last) and skips invalid jids', () => {
    const query = parse(`<query xmlns='jabber:iq:roster' ver=''>
      <item jid='romeo@example.net' name='First'/><item jid='ROMEO@example.net' name='Second'/>
      <item jid='bad jid@x'/><item/></query>`);
    const { items, version } = parseRosterResult(query, log);
    assert.equal(version, '');
    assert.deepEqual(
      items.map((i) => [i.jid, i.name]),
      [['romeo@example.net', 'Second']],
    );
  });

  it('an empty query is an empty roster', () => {
    assert.deepEqual(parseRosterResult(parse(`<query xmlns='jabber:iq:roster' ver='v1'/>`), log), {
      items: [],
      version: 'v1',
    });
  });
});

describe('roster push mapping', () => {
  it('upsert with version', () => {
    const parsed = parseRosterPush(
      parse(`<query xmlns='jabber:iq:roster' ver='v2'><item jid='nurse@example.com' subscription='to'/></query>`),
      log,
    );
    assert.deepEqual(parsed, {
      ok: true,
      version: 'v2',
      change: {
        kind: 'upsert',
        item: { jid: 'nurse@example.com', name: null, subscription: 'to', ask: null, approved: false, groups: [] },
      },
    });
  });
  it('remove without version', () => {
    assert.deepEqual(
      parseRosterPush(
        parse(`<query xmlns='jabber:iq:roster'><item jid='Nurse@example.com' subscription='remove'/></query>`),
        log,
      ),
      { ok: true, version: null, change: { kind: 'remove', jid: 'nurse@example.com' } },
    );
  });
  it('refuses zero, two items, or an invalid jid', () => {
    assert.equal(parseRosterPush(parse(`<query xmlns='jabber:iq:roster'/>`), log).ok, false);
    assert.equal(
      parseRosterPush(parse(`<query xmlns='jabber:iq:roster'><item jid='a@b'/><item jid='c@d'/></query>`), log).ok,
      false,
    );
    assert.equal(parseRosterPush(parse(`<query xmlns='jabber:iq:roster'><item jid='a b@c'/></query>`), log).ok, false);
  });
});

describe('outgoing roster queries', () => {
  it('get carries ver only when given, including the empty bootstrap ver', () => {
    assert.equal(rosterGetQuery(undefined).toString(), `<query xmlns="jabber:iq:roster"/>`);
    assert.equal(rosterGetQuery('').toString(), `<query xmlns="jabber:iq:roster" ver=""/>`);
    assert.equal(rosterGetQuery('v7').toString(), `<query xmlns="jabber:iq:roster" ver="v7"/>`);
  });
  it('set carries jid, name and groups, never subscription; markup is escaped', () => {
    assert.equal(
      rosterSetQuery({ jid: 'nurse@example.com', name: 'Nurse <3', groups: ['Servants', 'A&B'] }).toString(),
      `<query xmlns="jabber:iq:roster"><item jid="nurse@example.com" name="Nurse &lt;3"><group>Servants</group><group>A&amp;B</group></item></query>`,
    );
    assert.equal(
      rosterSetQuery({ jid: 'x@y', name: null, groups: [] }).toString(),
      `<query xmlns="jabber:iq:roster"><item jid="x@y"/></query>`,
    );
  });
  it('remove is subscription="remove"', () => {
    assert.equal(
      rosterRemoveQuery('nurse@example.com').toString(),
      `<query xmlns="jabber:iq:roster"><item jid="nurse@example.com" subscription="remove"/></query>`,
    );
  });
  it('cleanGroups trims, dedupes, drops empty and sorts', () => {
    assert.deepEqual(cleanGroups([' b', 'a', 'b ', '', '  ']), ['a', 'b']);
  });
});
