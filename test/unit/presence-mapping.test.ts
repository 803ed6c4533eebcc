import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_STATUS_CHARS,
  ownPresenceStanza,
  parsePresence,
  subscriptionStanza,
} from '../../main/core/presence/presence-stanzas.js';
import { PresenceTable } from '../../main/core/presence/presence-table.js';
import { parseXml } from '../support/parse-xml.js';

const parse = parseXml;

describe('presence stanza mapping', () => {
  it('available presence: show, status, priority; bare JID normalised, resource kept', () => {
    assert.deepEqual(
      parsePresence(
        parse(
          `<presence from='Romeo@Example.net/Orchard'><show>away</show><status> At the ball </status><priority>5</priority></presence>`,
        ),
      ),
      {
        kind: 'available',
        jid: 'romeo@example.net',
        resource: 'Orchard',
        show: 'away',
        status: 'At the ball',
        priority: 5,
      },
    );
    assert.deepEqual(parsePresence(parse(`<presence from='romeo@example.net/a'/>`)), {
      kind: 'available',
      jid: 'romeo@example.net',
      resource: 'a',
      show: 'available',
      status: null,
      priority: 0,
    });
  });

  it('picks the status without xml:lang, then the first; strips control characters; caps the length', () => {
    const p = parsePresence(
      parse(
        `<presence from='r@x/a'><status xml:lang='fr'>Au bal</status><status>At the\u0007 ball</status></presence>`,
      ),
    );
    assert.equal(p.kind === 'available' && p.status, 'At the ball');
    const q = parsePresence(parse(`<presence from='r@x/a'><status xml:lang='fr'>Au bal</status></presence>`));
    assert.equal(q.kind === 'available' && q.status, 'Au bal');
    const long = parsePresence(parse(`<presence from='r@x/a'><status>${'x'.repeat(5000)}</status></presence>`));
    assert.equal(long.kind === 'available' && long.status?.length, MAX_STATUS_CHARS);
    const blank = parsePresence(parse(`<presence from='r@x/a'><status>   </status></presence>`));
    assert.equal(blank.kind === 'available' && blank.status, null);
  });

  it('unknown show is available; garbage priority is 0, out-of-range priority is clamped', () => {
    const p = parsePresence(parse(`<presence from='r@x/a'><show>sleeping</show><priority>lots</priority></presence>`));
    assert.deepEqual(p.kind === 'available' && [p.show, p.priority], ['available', 0]);
    const q = parsePresence(parse(`<presence from='r@x/a'><priority>-999</priority></presence>`));
    assert.equal(q.kind === 'available' && q.priority, -128);
  });

  it('unavailable from a full or a bare JID', () => {
    assert.deepEqual(parsePresence(parse(`<presence type='unavailable' from='r@x/a'/>`)), {
      kind: 'unavailable',
      jid: 'r@x',
      resource: 'a',
    });
    assert.deepEqual(parsePresence(parse(`<presence type='unavailable' from='r@x'/>`)), {
      kind: 'unavailable',
      jid: 'r@x',
      resource: null,
    });
  });

  it('subscription stanzas: bare from required, status is the message', () => {
    assert.deepEqual(
      parsePresence(
        parse(`<presence type='subscribe' from='Tybalt@Example.com'><status>Let me in</status></presence>`),
      ),
      { kind: 'subscription', type: 'subscribe', jid: 'tybalt@example.com', message: 'Let me in', nick: null },
    );
    for (const type of ['subscribed', 'unsubscribe', 'unsubscribed']) {
      assert.equal(parsePresence(parse(`<presence type='${type}' from='t@x'/>`)).kind, 'subscription');
    }
    assert.deepEqual(parsePresence(parse(`<presence type='subscribe' from='t@x/res'/>`)), {
      kind: 'ignored',
      reason: 'subscribe from a full JID',
    });
    // a gateway (domain-only address) may ask too
    assert.equal(parsePresence(parse(`<presence type='subscribe' from='icq.example.com'/>`)).kind, 'subscription');
  });

  it('issue 12 #6: a request carries its XEP-0172 nickname, cleaned to one line of at most 256 characters', () => {
    const request = (nick: string) =>
      parsePresence(
        parse(
          `<presence type='subscribe' from='p@x'><nick xmlns='http://jabber.org/protocol/nick'>${nick}</nick></presence>`,
        ),
      );
    const nickOf = (nick: string) => {
      const parsed = request(nick);
      return parsed.kind === 'subscription' ? parsed.nick : 'not a subscription';
    };
    assert.equal(nickOf('Count Paris'), 'Count Paris');
    assert.equal(nickOf('  Count\n\tParis&#x85;&#x2028;x  '), 'Count Paris x');
    assert.equal(nickOf('   '), null);
    const long = nickOf('😀'.repeat(300));
    assert.equal(Array.from(long ?? '').length, 256);
    assert.ok(long?.endsWith('😀'), 'no character cut in two');
    // another namespace is not a nickname
    const other = parsePresence(
      parse(`<presence type='subscribe' from='p@x'><nick xmlns='urn:other'>X</nick></presence>`),
    );
    assert.equal(other.kind === 'subscription' && other.nick, null);
  });

  it('garbage is ignored, never thrown', () => {
    const garbage = [
      `<presence/>`,
      `<presence from=''/>`,
      `<presence from='not a jid@@x'/>`,
      `<presence from='a@/r'/>`,
      `<presence from='r@x/a' type='probe'/>`,
      `<presence from='r@x/a' type='error'><error type='cancel'/></presence>`,
      `<presence from='r@x/a' type='sideways'/>`,
      `<presence from='${'a'.repeat(5000)}@x'/>`,
    ];
    for (const text of garbage) assert.equal(parsePresence(parse(text)).kind, 'ignored', text);
  });

  it('builds our own presence: no <show/> for available, no <status/> when none', () => {
    assert.equal(ownPresenceStanza({ show: 'available', status: null }).toString(), '<presence/>');
    assert.equal(
      ownPresenceStanza({ show: 'away', status: 'At the ball' }).toString(),
      '<presence><show>away</show><status>At the ball</status></presence>',
    );
    assert.equal(
      ownPresenceStanza({ show: 'dnd', status: 'a <b> & c' }).toString(),
      '<presence><show>dnd</show><status>a &lt;b&gt; &amp; c</status></presence>',
    );
    assert.equal(subscriptionStanza('subscribed', 'romeo@x').toString(), '<presence to="romeo@x" type="subscribed"/>');
  });
});

describe('presence aggregation', () => {
  const state = (show: 'available' | 'chat' | 'away' | 'dnd' | 'xa', status: string | null = null, priority = 0) => ({
    show,
    status,
    priority,
  });

  it('the most available resource wins: chat > available > away > xa > dnd', () => {
    const table = new PresenceTable();
    table.available('r@x', 'a', state('dnd', 'busy'));
    assert.deepEqual(table.get('r@x'), { jid: 'r@x', show: 'dnd', status: 'busy' });
    assert.deepEqual(table.available('r@x', 'b', state('xa', 'gone')), { jid: 'r@x', show: 'xa', status: 'gone' });
    assert.deepEqual(table.available('r@x', 'c', state('away', 'lunch')), {
      jid: 'r@x',
      show: 'away',
      status: 'lunch',
    });
    assert.deepEqual(table.available('r@x', 'd', state('available', 'here')), {
      jid: 'r@x',
      show: 'available',
      status: 'here',
    });
    assert.deepEqual(table.available('r@x', 'e', state('chat', 'talk to me')), {
      jid: 'r@x',
      show: 'chat',
      status: 'talk to me',
    });
  });

  it('same show: the higher priority wins, then the most recent; priority never outranks show', () => {
    const table = new PresenceTable();
    table.available('r@x', 'phone', state('away', 'phone', 50));
    table.available('r@x', 'desk', state('available', 'desk', 0));
    assert.equal(table.get('r@x').status, 'desk');
    table.available('r@x', 'laptop', state('available', 'laptop', 10));
    assert.equal(table.get('r@x').status, 'laptop');
    table.available('r@x', 'tablet', state('available', 'tablet', 10));
    assert.equal(table.get('r@x').status, 'tablet', 'tie: most recent');
  });

  it('unavailable removes one resource; the next best shows; the last one leaves offline', () => {
    const table = new PresenceTable();
    table.available('r@x', 'a', state('available', 'A'));
    table.available('r@x', 'b', state('away', 'B'));
    assert.deepEqual(table.unavailable('r@x', 'a'), { jid: 'r@x', show: 'away', status: 'B' });
    assert.equal(table.unavailable('r@x', 'zzz'), null, 'an unknown resource changes nothing');
    assert.deepEqual(table.unavailable('r@x', 'b'), { jid: 'r@x', show: 'offline', status: null });
    assert.equal(table.unavailable('r@x', 'b'), null);
    assert.deepEqual(table.all(), []);
  });

  it('unavailable from the bare JID removes every resource', () => {
    const table = new PresenceTable();
    table.available('r@x', 'a', state('chat'));
    table.available('r@x', 'b', state('dnd'));
    assert.deepEqual(table.unavailable('r@x', null), { jid: 'r@x', show: 'offline', status: null });
  });

  it('reports only changes: the same presence again, or a change hidden by a better resource, is null', () => {
    const table = new PresenceTable();
    assert.ok(table.available('r@x', 'a', state('available', 'hi')));
    assert.equal(table.available('r@x', 'a', state('available', 'hi')), null);
    assert.equal(table.available('r@x', 'b', state('xa', 'zzz')), null);
    assert.deepEqual(table.available('r@x', 'a', state('available', 'hello')), {
      jid: 'r@x',
      show: 'available',
      status: 'hello',
    });
  });

  it('clear forgets everything and names who was online', () => {
    const table = new PresenceTable();
    table.available('r@x', 'a', state('chat'));
    table.available('m@x', null, state('away'));
    assert.deepEqual(table.clear().sort(), ['m@x', 'r@x']);
    assert.deepEqual(table.get('r@x'), { jid: 'r@x', show: 'offline', status: null });
  });

  it('caps the resources of one contact (the oldest goes)', () => {
    const table = new PresenceTable();
    table.available('r@x', 'first', state('chat', 'first'));
    for (let i = 0; i < 40; i++) table.available('r@x', `r${i}`, state('dnd'));
    assert.equal(table.get('r@x').show, 'dnd', 'the oldest (chat) resource was dropped');
  });
});
