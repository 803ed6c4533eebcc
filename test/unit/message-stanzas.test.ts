import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { MESSAGE_LIMITS } from '../../preload/contract.js';
import {
  MAX_ID_CHARS,
  buildCarbonsEnable,
  buildChatMessage,
  buildChatState,
  buildDisplayed,
  buildMamQuery,
  buildReceipt,
  parseChatMessage,
  parseMamFin,
  unwrapCarbon,
  unwrapMamResult,
} from '../../main/core/messages/message-stanzas.js';
import { parseXml } from '../support/parse-xml.js';
import { seededRandom } from '../support/seeded-random.js';

const ME = 'juliet@capulet.lit';

function parsed(text: string) {
  return parseChatMessage(parseXml(text), ME);
}

describe('issue 10 #2: parsing a chat message', () => {
  test('issue 10 #2: a chat message gives its body, ids, delay, receipt request, marker and chat state', () => {
    const m = parsed(`<message from='Romeo@Montague.lit/orchard' to='juliet@capulet.lit/balcony' type='chat' id='m1'>
      <body>Art thou not Romeo?</body>
      <origin-id xmlns='urn:xmpp:sid:0' id='o-1'/>
      <stanza-id xmlns='urn:xmpp:sid:0' by='juliet@capulet.lit' id='s-1'/>
      <delay xmlns='urn:xmpp:delay' from='capulet.lit' stamp='2026-12-01T10:00:00.250Z'/>
      <request xmlns='urn:xmpp:receipts'/>
      <markable xmlns='urn:xmpp:chat-markers:0'/>
      <active xmlns='http://jabber.org/protocol/chatstates'/>
    </message>`);
    assert.deepEqual(m, {
      type: 'chat',
      id: 'm1',
      from: 'romeo@montague.lit',
      fromResource: 'orchard',
      to: ME,
      toResource: 'balcony',
      body: 'Art thou not Romeo?',
      bodyCut: false,
      originId: 'o-1',
      stanzaId: 's-1',
      delay: Date.UTC(2026, 11, 1, 10, 0, 0, 250),
      receiptRequested: true,
      markable: true,
      chatState: 'active',
      receivedId: null,
      displayedId: null,
      error: null,
    });
  });

  test('issue 10 #2: a stanza-id by anyone but our own bare JID is ignored (XEP-0359 5)', () => {
    const m = parsed(`<message from='romeo@montague.lit/o' type='chat'><body>x</body>
      <stanza-id xmlns='urn:xmpp:sid:0' by='romeo@montague.lit' id='forged'/>
      <stanza-id xmlns='urn:xmpp:sid:0' by='juliet@capulet.lit/balcony' id='forged-2'/>
      <stanza-id xmlns='urn:xmpp:sid:0' id='no-by'/>
      <stanza-id xmlns='urn:xmpp:sid:1' by='juliet@capulet.lit' id='other-ns'/>
    </message>`);
    assert.equal(m?.stanzaId, null);
    const trusted = parsed(`<message from='romeo@montague.lit/o' type='chat'><body>x</body>
      <stanza-id xmlns='urn:xmpp:sid:0' by='romeo@montague.lit' id='forged'/>
      <stanza-id xmlns='urn:xmpp:sid:0' by='JULIET@capulet.lit' id='ours'/>
    </message>`);
    assert.equal(trusted?.stanzaId, 'ours', 'the one by us, wherever it is among them; the JID compared normalised');
  });

  test('issue 10 #2: receipts, displayed markers and chat states come without a body', () => {
    assert.deepEqual(
      pick(parsed(`<message from='romeo@montague.lit/o'><received xmlns='urn:xmpp:receipts' id='r1'/></message>`)),
      { type: 'normal', body: null, receivedId: 'r1', displayedId: null, chatState: null },
    );
    assert.deepEqual(
      pick(
        parsed(
          `<message from='romeo@montague.lit/o' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='d1'/></message>`,
        ),
      ),
      { type: 'chat', body: null, receivedId: null, displayedId: 'd1', chatState: null },
    );
    assert.equal(
      parsed(
        `<message from='romeo@montague.lit/o' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`,
      )?.chatState,
      'composing',
    );
    assert.equal(
      parsed(`<message from='romeo@montague.lit/o' type='chat'><composing/></message>`)?.chatState,
      null,
      'a state outside its namespace is no chat state',
    );
  });

  test('issue 10 #2: an error bounce gives its condition as a code in plain words', () => {
    const m = parsed(`<message from='romeo@montague.lit' type='error' id='mine-1'>
      <error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
      <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>User session not found</text></error></message>`);
    assert.equal(m?.id, 'mine-1');
    assert.equal(m.error?.code, 'service-unavailable');
    assert.match(m.error.message, /could not be delivered.*User session not found/);
    const odd = parsed(
      `<message from='romeo@montague.lit' type='error' id='x'><error><gone-fishing/></error></message>`,
    );
    assert.equal(odd?.error?.code, 'server-error');
    const bare = parsed(`<message from='romeo@montague.lit' type='error' id='x'/>`);
    assert.equal(bare?.error?.code, 'server-error', 'no <error/> at all still gives a code');
  });

  test('issue 10 #2: what is not a one-to-one message from a usable address is null', () => {
    for (const text of [
      `<message type='chat'><body>no from</body></message>`,
      `<message from='' type='chat'><body>empty from</body></message>`,
      `<message from='a@b@c' type='chat'><body>bad from</body></message>`,
      `<message from='romeo@montague.lit/' type='chat'><body>empty resource</body></message>`,
      `<message from='romeo@montague.lit' to='@@' type='chat'><body>bad to</body></message>`,
      `<message from='room@muc.lit/nick' type='groupchat'><body>groupchat</body></message>`,
      `<message from='news.lit' type='headline'><body>headline</body></message>`,
      `<message from='romeo@montague.lit' type='nonsense'><body>unknown type</body></message>`,
      `<presence from='romeo@montague.lit'/>`,
      `<iq from='romeo@montague.lit' type='set'><body>x</body></iq>`,
    ]) {
      assert.equal(parsed(text), null, text);
    }
  });

  test('issue 10 #2: an absent to is our own address; a domain-only sender is kept', () => {
    const m = parsed(`<message from='capulet.lit' type='normal'><body>Server notice</body></message>`);
    assert.equal(m?.from, 'capulet.lit');
    assert.equal(m.to, ME);
  });

  test('issue 10 #2: the body is plain text: the default language, our namespace, text children only', () => {
    const m = parsed(`<message from='romeo@montague.lit/o' type='chat'>
      <body xmlns='http://www.w3.org/1999/xhtml'>not this</body>
      <body xml:lang='de'>Nicht diese</body>
      <body>This &lt;b&gt;one&lt;/b&gt;<b>dropped</b> here</body>
      <html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><p>no</p></body></html>
    </message>`);
    assert.equal(m?.body, 'This <b>one</b> here');
    const lang = parsed(
      `<message from='romeo@montague.lit/o' type='chat'><body xml:lang='de'>Nur diese</body></message>`,
    );
    assert.equal(lang?.body, 'Nur diese', 'with only language-tagged bodies, the first');
  });

  test('issue 10 #2: an oversized body is cut at the limit and marked, never splitting a surrogate pair', () => {
    const long = 'a'.repeat(MESSAGE_LIMITS.bodyChars - 2) + '😀'.repeat(100);
    const m = parseChatMessage(
      xml('message', { from: 'romeo@montague.lit/o', type: 'chat' }, xml('body', {}, long)),
      ME,
    );
    assert.ok(m?.body);
    assert.equal(m.bodyCut, true);
    assert.ok(m.body.length <= MESSAGE_LIMITS.bodyChars, `${m.body.length}`);
    assert.ok(m.body.endsWith('…'));
    assert.ok(!/[\ud800-\udbff]…$/.test(m.body), 'no lone high surrogate before the mark');
    assert.equal(
      Buffer.from(m.body, 'utf8').toString('utf8'),
      m.body,
      'well-formed: a lone surrogate would not survive UTF-8',
    );
    const exact = parseChatMessage(
      xml(
        'message',
        { from: 'romeo@montague.lit/o', type: 'chat' },
        xml('body', {}, 'b'.repeat(MESSAGE_LIMITS.bodyChars)),
      ),
      ME,
    );
    assert.equal(exact?.bodyCut, false, 'exactly the limit is kept whole');
  });

  test('issue 10 #6: the search highlight marks and NUL cannot be smuggled in a body', () => {
    const m = parseChatMessage(
      xml('message', { from: 'romeo@montague.lit/o', type: 'chat' }, xml('body', {}, 'a\uE000fake\uE001 b\u0000c')),
      ME,
    );
    assert.equal(m?.body, 'afake bc');
  });

  test('issue 10 #2: ids that are empty or huge count as absent; stamps that are not XEP-0082 are ignored', () => {
    const huge = 'x'.repeat(MAX_ID_CHARS + 1);
    const m = parseChatMessage(
      xml(
        'message',
        { from: 'romeo@montague.lit/o', type: 'chat', id: huge },
        xml('body', {}, 'x'),
        xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: '' }),
        xml('stanza-id', { xmlns: 'urn:xmpp:sid:0', by: ME, id: huge }),
        xml('received', { xmlns: 'urn:xmpp:receipts', id: huge }),
        xml('delay', { xmlns: 'urn:xmpp:delay', stamp: 'yesterday' }),
        xml('delay', { xmlns: 'urn:xmpp:delay', stamp: '2026-13-45T99:99:99Z' }),
      ),
      ME,
    );
    assert.deepEqual([m?.id, m?.originId, m?.stanzaId, m?.receivedId, m?.delay], [null, null, null, null, null]);
    const ok = parseChatMessage(
      xml(
        'message',
        { from: 'romeo@montague.lit/o', type: 'chat', id: 'x'.repeat(MAX_ID_CHARS) },
        xml('delay', { xmlns: 'urn:xmpp:delay', stamp: 'nonsense' }),
        xml('delay', { xmlns: 'urn:xmpp:delay', stamp: '2026-12-01T11:00:00+01:00' }),
      ),
      ME,
    );
    assert.equal(ok?.id?.length, MAX_ID_CHARS);
    assert.equal(ok.delay, Date.UTC(2026, 11, 1, 10), 'the first valid stamp, with its offset');
  });

  test('issue 10 #2: hostile elements (attribute values that are not strings, deep nesting) never throw', () => {
    let deep: Element = xml('x', {});
    for (let i = 0; i < 50_000; i++) deep = xml('x', {}, deep);
    const hostile = xml(
      'message',
      { from: 'romeo@montague.lit/o', type: 'chat' },
      xml('body', {}, 'hi', deep),
      deep,
      xml('origin-id', { xmlns: 'urn:xmpp:sid:0' }),
      xml('delay', { xmlns: 'urn:xmpp:delay' }),
    );
    // What a buggy middleware or a locally built element could hold (the parser only gives strings).
    hostile.attrs.id = 42;
    hostile.getChild('origin-id')!.attrs.id = { toString: () => 'x' };
    hostile.getChild('delay')!.attrs.stamp = 17;
    const m = parseChatMessage(hostile, ME);
    assert.equal(m?.body, 'hi');
    assert.equal(m.id, null);
    assert.equal(m.originId, null);
    assert.equal(m.delay, null);
    assert.equal(unwrapCarbon(hostile, ME), null);
    assert.equal(unwrapMamResult(hostile, ME, 'q'), null);
  });

  test('issue 10 #2: seeded random stanzas never make a parser throw', () => {
    const seed = 10_2;
    const random = seededRandom(seed);
    const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const names = [
      'message',
      'body',
      'sent',
      'received',
      'forwarded',
      'result',
      'delay',
      'stanza-id',
      'origin-id',
      'x',
    ];
    const namespaces = [
      undefined,
      'jabber:client',
      'urn:xmpp:carbons:2',
      'urn:xmpp:forward:0',
      'urn:xmpp:mam:2',
      'urn:xmpp:delay',
      'urn:xmpp:sid:0',
    ];
    const values = [ME, 'romeo@montague.lit/o', '', 'a@b@c', 'q', '2026-12-01T10:00:00Z', 'x'.repeat(2000)];
    const tree = (depth: number): Element => {
      const attrs: Record<string, string> = {};
      const ns = pickOne(namespaces);
      if (ns) attrs.xmlns = ns;
      for (const a of ['from', 'to', 'id', 'by', 'stamp', 'queryid', 'type'])
        if (random() < 0.3) attrs[a] = pickOne(values);
      const el = xml(pickOne(names), attrs);
      const n = depth > 0 ? Math.floor(random() * 4) : 0;
      for (let i = 0; i < n; i++) el.append(random() < 0.2 ? pickOne(values) : tree(depth - 1));
      return el;
    };
    for (let i = 0; i < 3000; i++) {
      const stanza = tree(5);
      stanza.name = 'message';
      assert.doesNotThrow(
        () => {
          parseChatMessage(stanza, ME);
          unwrapCarbon(stanza, ME);
          unwrapMamResult(stanza, ME, 'q');
          parseMamFin(stanza);
        },
        `seed ${seed}, stanza ${i}: ${stanza.toString().slice(0, 300)}`,
      );
    }
  });
});

describe('issue 10 #2: carbons (XEP-0280)', () => {
  const carbon = (outerFrom: string | null, kind: 'sent' | 'received', inner: string) =>
    parseXml(`<message ${outerFrom === null ? '' : `from='${outerFrom}'`} to='juliet@capulet.lit/balcony'>
      <${kind} xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>${inner}</forwarded></${kind}>
    </message>`);
  const sentInner = `<message xmlns='jabber:client' from='juliet@capulet.lit/phone' to='romeo@montague.lit' type='chat' id='p1'><body>From my phone</body></message>`;
  const receivedInner = `<message xmlns='jabber:client' from='romeo@montague.lit/o' to='juliet@capulet.lit/phone' type='chat' id='r1'><body>To your phone</body></message>`;

  test('issue 10 #2: a sent carbon from our own bare JID gives the message our other device sent', () => {
    const result = unwrapCarbon(carbon(ME, 'sent', sentInner), ME);
    assert.ok(result && !result.spoofed);
    assert.equal(result.direction, 'sent');
    const m = parseChatMessage(result.message, ME);
    assert.deepEqual([m?.from, m?.to, m?.body], [ME, 'romeo@montague.lit', 'From my phone']);
  });

  test('issue 10 #2: a received carbon from our own bare JID gives the message our other device received', () => {
    const result = unwrapCarbon(carbon(ME, 'received', receivedInner), ME);
    assert.ok(result && !result.spoofed);
    assert.equal(result.direction, 'received');
    assert.equal(parseChatMessage(result.message, ME)?.from, 'romeo@montague.lit');
  });

  test('issue 10 #2: a carbon forged by another account, or from our full JID, or from no one, is spoofed', () => {
    for (const from of [
      'romeo@montague.lit',
      'romeo@montague.lit/o',
      'juliet@capulet.lit/phone',
      'capulet.lit',
      null,
    ]) {
      const result = unwrapCarbon(carbon(from, 'received', receivedInner), ME);
      assert.equal(result?.spoofed, true, String(from));
    }
  });

  test('issue 10 #2: a carbon whose message is not ours to carry is spoofed', () => {
    const notFromUs = `<message from='romeo@montague.lit/o' to='tybalt@capulet.lit' type='chat'><body>framed</body></message>`;
    assert.equal(unwrapCarbon(carbon(ME, 'sent', notFromUs), ME)?.spoofed, true);
    const notToUs = `<message from='romeo@montague.lit/o' to='tybalt@capulet.lit' type='chat'><body>framed</body></message>`;
    assert.equal(unwrapCarbon(carbon(ME, 'received', notToUs), ME)?.spoofed, true);
  });

  test('issue 10 #2: not a carbon, or a malformed one, is null', () => {
    assert.equal(unwrapCarbon(parseXml(`<message from='${ME}'><body>plain</body></message>`), ME), null);
    assert.equal(
      unwrapCarbon(
        parseXml(`<message from='${ME}'><sent xmlns='urn:xmpp:carbons:1'><forwarded/></sent></message>`),
        ME,
      ),
      null,
      'another namespace',
    );
    assert.equal(unwrapCarbon(carbon(ME, 'sent', ''), ME), null, 'nothing forwarded');
    assert.equal(unwrapCarbon(carbon(ME, 'sent', sentInner + sentInner), ME), null, 'two messages forwarded');
    assert.equal(
      unwrapCarbon(
        parseXml(
          `<message from='${ME}'><sent xmlns='urn:xmpp:carbons:2'/><received xmlns='urn:xmpp:carbons:2'/></message>`,
        ),
        ME,
      ),
      null,
      'two wrappers',
    );
  });
});

describe('issue 10 #2: archive results (XEP-0313)', () => {
  const result = (from: string | null, queryId: string, inner: string, delay = true) =>
    parseXml(`<message ${from === null ? '' : `from='${from}'`} to='juliet@capulet.lit/balcony'>
      <result xmlns='urn:xmpp:mam:2' queryid='${queryId}' id='A-17'>
        <forwarded xmlns='urn:xmpp:forward:0'>
          ${delay ? `<delay xmlns='urn:xmpp:delay' stamp='2026-11-30T08:00:00Z'/>` : ''}${inner}
        </forwarded>
      </result></message>`);
  const inner = `<message xmlns='jabber:client' from='romeo@montague.lit/o' to='juliet@capulet.lit' type='chat' id='m9'><body>While you were away</body></message>`;

  test('issue 10 #2: a result of our query from our archive gives its archive id, time and message', () => {
    for (const from of [ME, null]) {
      const r = unwrapMamResult(result(from, 'q1', inner), ME, 'q1');
      assert.ok(r && !r.spoofed, String(from));
      assert.equal(r.archiveId, 'A-17');
      assert.equal(r.archiveTime, Date.UTC(2026, 10, 30, 8));
      assert.equal(parseChatMessage(r.message, ME)?.body, 'While you were away');
    }
  });

  test('issue 10 #2: a result from anyone but the archive, or of another query, is spoofed', () => {
    for (const from of ['romeo@montague.lit', `${ME}/balcony`, 'capulet.lit']) {
      assert.equal(unwrapMamResult(result(from, 'q1', inner), ME, 'q1')?.spoofed, true, from);
    }
    assert.equal(unwrapMamResult(result(ME, 'other', inner), ME, 'q1')?.spoofed, true);
    assert.equal(
      unwrapMamResult(result(null, 'q1', inner), ME, 'q1', 'room@muc.lit')?.spoofed,
      true,
      'an absent from is only our own archive',
    );
  });

  test('issue 10 #2: a malformed result (no stamp, no message) is null', () => {
    assert.equal(unwrapMamResult(result(ME, 'q1', inner, false), ME, 'q1'), null);
    assert.equal(unwrapMamResult(result(ME, 'q1', ''), ME, 'q1'), null);
    assert.equal(unwrapMamResult(parseXml(`<message from='${ME}'><body>x</body></message>`), ME, 'q1'), null);
  });

  test('issue 10 #2: the fin of a query says whether it is complete and where the page ends', () => {
    const fin = parseXml(`<iq type='result' id='x'><fin xmlns='urn:xmpp:mam:2' complete='true'>
      <set xmlns='http://jabber.org/protocol/rsm'><first index='0'>A-1</first><last>A-9</last><count>42</count></set>
    </fin></iq>`);
    assert.deepEqual(parseMamFin(fin), { complete: true, first: 'A-1', last: 'A-9', count: 42 });
    assert.deepEqual(parseMamFin(parseXml(`<iq type='result'><fin xmlns='urn:xmpp:mam:2'/></iq>`)), {
      complete: false,
      first: null,
      last: null,
      count: null,
    });
    assert.equal(parseMamFin(parseXml(`<iq type='result'/>`)), null);
  });
});

describe('issue 10 #2: building stanzas', () => {
  test('issue 10 #2: our chat message carries origin-id = id, a receipt request, markable and active', () => {
    const el = buildChatMessage({ to: 'romeo@montague.lit', body: 'Wherefore <art> thou', id: 'u-1' });
    assert.equal(
      el.toString(),
      `<message to="romeo@montague.lit" type="chat" id="u-1"><body>Wherefore &lt;art&gt; thou</body>` +
        `<origin-id xmlns="urn:xmpp:sid:0" id="u-1"/><request xmlns="urn:xmpp:receipts"/>` +
        `<markable xmlns="urn:xmpp:chat-markers:0"/><active xmlns="http://jabber.org/protocol/chatstates"/></message>`,
    );
    // What we build, we read back the same way.
    const back = parseChatMessage(parseXml(el.toString().replace('<message ', `<message from='${ME}/b' `)), ME);
    assert.deepEqual([back?.id, back?.originId, back?.receiptRequested, back?.markable], ['u-1', 'u-1', true, true]);
  });

  test('issue 10 #2: receipts, displayed markers, chat states and carbons enable', () => {
    assert.equal(
      buildReceipt({ to: 'romeo@montague.lit/o', id: 'm9', messageId: 'k1' }).toString(),
      `<message to="romeo@montague.lit/o" id="k1" type="chat"><received xmlns="urn:xmpp:receipts" id="m9"/><store xmlns="urn:xmpp:hints"/></message>`,
    );
    assert.equal(
      buildDisplayed({ to: 'romeo@montague.lit/o', id: 'm9', messageId: 'k2' }).toString(),
      `<message to="romeo@montague.lit/o" id="k2" type="chat"><displayed xmlns="urn:xmpp:chat-markers:0" id="m9"/><store xmlns="urn:xmpp:hints"/></message>`,
    );
    assert.equal(
      buildChatState({ to: 'romeo@montague.lit', state: 'composing' }).toString(),
      `<message to="romeo@montague.lit" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/><no-store xmlns="urn:xmpp:hints"/></message>`,
    );
    assert.equal(buildCarbonsEnable().toString(), `<iq type="set"><enable xmlns="urn:xmpp:carbons:2"/></iq>`);
  });

  test('issue 10 #2: a MAM query is a data form (with, start) plus RSM paging (max, after or before)', () => {
    const q = buildMamQuery({
      queryId: 'q1',
      with: 'romeo@montague.lit',
      after: 'A-9',
      max: 50,
      start: Date.UTC(2026, 10, 1),
    });
    assert.equal(
      q.toString(),
      `<iq type="set"><query xmlns="urn:xmpp:mam:2" queryid="q1"><x xmlns="jabber:x:data" type="submit">` +
        `<field var="FORM_TYPE" type="hidden"><value>urn:xmpp:mam:2</value></field>` +
        `<field var="with"><value>romeo@montague.lit</value></field>` +
        `<field var="start"><value>2026-11-01T00:00:00.000Z</value></field></x>` +
        `<set xmlns="http://jabber.org/protocol/rsm"><max>50</max><after>A-9</after></set></query></iq>`,
    );
    const last = buildMamQuery({ queryId: 'q2', before: '', max: 20 });
    assert.match(last.toString(), /<set xmlns="http:\/\/jabber.org\/protocol\/rsm"><max>20<\/max><before\/><\/set>/);
    assert.doesNotMatch(last.toString(), /var="with"/);
  });
});

function pick(m: ReturnType<typeof parseChatMessage>) {
  return (
    m && { type: m.type, body: m.body, receivedId: m.receivedId, displayedId: m.displayedId, chatState: m.chatState }
  );
}
