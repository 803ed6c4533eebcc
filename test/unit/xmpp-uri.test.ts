import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { XmppLinkAction } from '../../preload/contract.js';
import { XMPP_URI_MAX, xmppLinkAction } from '../../main/core/desktop/xmpp-uri.js';

type Invalid = Extract<XmppLinkAction, { kind: 'invalid' }>;

function invalid(uri: string, reason?: RegExp): Invalid {
  const action = xmppLinkAction(uri);
  if (action.kind !== 'invalid') assert.fail(`${uri.slice(0, 80)} → ${JSON.stringify(action).slice(0, 200)}`);
  const refused: Invalid = action;
  assert.match(refused.reason, /^This link cannot be opened: .+\.$/);
  if (reason) assert.match(refused.reason, reason);
  assert.ok(Array.from(refused.uri).length <= 201, 'the address shown is cut');
  assert.doesNotMatch(refused.uri, /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u, 'nothing in it hides or reorders text');
  return refused;
}

test('issue 13 #4: a bare address opens a conversation with no draft', () => {
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net'), {
    kind: 'message',
    jid: 'romeo@montague.net',
    body: null,
  });
});

test('issue 13 #4: the scheme is case-insensitive and the address is normalised', () => {
  assert.deepEqual(xmppLinkAction('XMPP:Romeo@Montague.NET?message'), {
    kind: 'message',
    jid: 'romeo@montague.net',
    body: null,
  });
  assert.equal((xmppLinkAction('XmPp:romeo@montague.net') as { jid: string }).jid, 'romeo@montague.net');
});

test('issue 13 #4: ?roster with name and group (percent-decoded as UTF-8) pre-fills an add-contact', () => {
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?roster;name=Romeo%20Montague;group=Friends'), {
    kind: 'add-contact',
    jid: 'romeo@montague.net',
    name: 'Romeo Montague',
    group: 'Friends',
    subscribe: false,
  });
  assert.deepEqual(xmppLinkAction('xmpp:rene@example.fr?roster;name=Ren%C3%A9;group=Philosophes%20%F0%9F%93%9A'), {
    kind: 'add-contact',
    jid: 'rene@example.fr',
    name: 'René',
    group: 'Philosophes 📚',
    subscribe: false,
  });
  // an empty value is no value
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?roster;name=;group='), {
    kind: 'add-contact',
    jid: 'romeo@montague.net',
    name: null,
    group: null,
    subscribe: false,
  });
});

test('issue 13 #4: ?subscribe is an add-contact that asks for presence', () => {
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?subscribe'), {
    kind: 'add-contact',
    jid: 'romeo@montague.net',
    name: null,
    group: null,
    subscribe: true,
  });
});

test('issue 13 #4: ?message takes body; subject, thread and type are ignored', () => {
  assert.deepEqual(
    xmppLinkAction(
      'xmpp:romeo@montague.net?message;subject=Hi;body=Wherefore%20art%20thou%3F%0ALine%202;thread=x;type=chat',
    ),
    { kind: 'message', jid: 'romeo@montague.net', body: 'Wherefore art thou?\nLine 2' },
  );
  // "+" is not a space in a URI
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?message;body=1+1'), {
    kind: 'message',
    jid: 'romeo@montague.net',
    body: '1+1',
  });
});

test('issue 13 #4: ?remove and ?unsubscribe name the contact and nothing else', () => {
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?remove'), { kind: 'remove', jid: 'romeo@montague.net' });
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?unsubscribe'), {
    kind: 'unsubscribe',
    jid: 'romeo@montague.net',
  });
});

test('issue 13 #4: an authority (the account to use) is ignored; the path is the target', () => {
  assert.deepEqual(xmppLinkAction('xmpp://guest@example.com/support@example.com?message'), {
    kind: 'message',
    jid: 'support@example.com',
    body: null,
  });
  invalid('xmpp://guest@example.com', /names an account to use but no address/);
  invalid('xmpp://guest@example.com/', /no address/);
});

test('issue 13 #4: a resource in the link is checked and dropped', () => {
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net/orchard?roster;name=Romeo'), {
    kind: 'add-contact',
    jid: 'romeo@montague.net',
    name: 'Romeo',
    group: null,
    subscribe: false,
  });
  assert.equal((xmppLinkAction('xmpp:romeo@montague.net/a%2Fb@c') as { jid: string }).jid, 'romeo@montague.net');
  invalid('xmpp:romeo@montague.net/', /not a valid XMPP address/);
  invalid('xmpp:romeo@montague.net/%00', /not a valid XMPP address/);
});

test('issue 13 #4: IRIs and IDN domains: raw non-ASCII, escaped UTF-8 and A-labels are one address', () => {
  const unicode = xmppLinkAction('xmpp:jürgen@münchen.de');
  const escaped = xmppLinkAction('xmpp:j%C3%BCrgen@m%C3%BCnchen.de');
  const aLabel = xmppLinkAction('xmpp:J%C3%BCrgen@xn--mnchen-3ya.de');
  assert.deepEqual(unicode, { kind: 'message', jid: 'jürgen@münchen.de', body: null });
  assert.deepEqual(escaped, unicode);
  assert.deepEqual(aLabel, unicode);
  invalid('xmpp:romeo@xn--zz.de', /not a valid XMPP address/);
});

test('issue 13 #4: a server-only address (a gateway) is a valid target', () => {
  assert.deepEqual(xmppLinkAction('xmpp:irc.example.org?roster'), {
    kind: 'add-contact',
    jid: 'irc.example.org',
    name: null,
    group: null,
    subscribe: false,
  });
});

test('issue 13 #4: the fragment is ignored', () => {
  assert.deepEqual(xmppLinkAction('xmpp:romeo@montague.net?message;body=hi#frag?remove'), {
    kind: 'message',
    jid: 'romeo@montague.net',
    body: 'hi',
  });
});

test('issue 13 #4: our own address parses like any other (the window refuses it)', () => {
  assert.deepEqual(xmppLinkAction('xmpp:juliet@capulet.example?roster'), {
    kind: 'add-contact',
    jid: 'juliet@capulet.example',
    name: null,
    group: null,
    subscribe: false,
  });
});

test('issue 13 #4: not an xmpp: link, or one with nothing in it, is refused', () => {
  invalid('javascript:alert(1)', /not an xmpp: link/);
  invalid('https://example.com/?xmpp:romeo@montague.net', /not an xmpp: link/);
  invalid('xmpp:', /no address/);
  invalid('xmpp:?message', /no address/);
  invalid('', /not an xmpp: link/);
  invalid('xmpp:@montague.net', /nothing before “@”/);
  invalid('xmpp:romeo@', /no server/);
  invalid('xmpp:romeo@montague.net@evil.example', /not allowed/);
  invalid('xmpp:rom eo@montague.net', /not allowed/);
  invalid('xmpp:%20romeo@montague.net', /not allowed/);
  const notText = xmppLinkAction(42 as unknown as string);
  assert.equal(notText.kind, 'invalid');
});

test('issue 13 #4: an escaped "/" or "@" cannot move the address’s boundaries', () => {
  invalid('xmpp:evil%2F@montague.net', /not allowed/);
  invalid('xmpp:romeo%40montague.net@evil.example', /not allowed/);
  invalid('xmpp:romeo@montague.net%2Fres', /not allowed/);
});

test('issue 13 #4: bad escapes, %00 and bytes that are not UTF-8 (overlong, lone surrogates) are refused', () => {
  invalid('xmpp:romeo@montague.net?message;body=%ZZ', /hex digits/);
  invalid('xmpp:romeo@montague.net?message;body=%4', /hex digits/);
  invalid('xmpp:romeo@montague.net?message;body=100%', /hex digits/);
  invalid('xmpp:romeo%00@montague.net', /not a valid XMPP address/);
  invalid('xmpp:romeo@montague.net?message;body=a%00b', /control character/);
  invalid('xmpp:romeo@montague.net?roster;name=a%00b', /name has a control character/);
  invalid('xmpp:romeo@montague.net?roster;group=a%0Ab', /group has a control character/);
  // overlong "/" (C0 AF), an encoded surrogate (ED A0 80), a lone continuation byte, a cut sequence
  invalid('xmpp:romeo@montague.net?message;body=%C0%AF', /not UTF-8/);
  invalid('xmpp:romeo@montague.net?message;body=%ED%A0%80', /not UTF-8/);
  invalid('xmpp:romeo@montague.net?message;body=%80', /not UTF-8/);
  invalid('xmpp:romeo@montague.net?message;body=%E2%82', /not UTF-8/);
  invalid('xmpp:romeo@montague.net?message;body=\ud800', /not text/);
  invalid('xmpp:romeo@montague.net?message;body=a\u0007b', /control character/);
  invalid('xmpp:romeo@montague.net\n?remove', /control character/);
});

test('issue 13 #4: unknown actions, duplicate keys, malformed pairs and too many parameters are refused', () => {
  invalid('xmpp:room@conference.example?join', /does not handle “join” links/);
  invalid('xmpp:romeo@montague.net?delete-everything', /does not handle/);
  invalid('xmpp:romeo@montague.net?ro%73ter', /not a plain word/);
  invalid('xmpp:romeo@montague.net?roster;name=A;name=B', /“name” more than once/);
  invalid('xmpp:romeo@montague.net?message;body=a;body=b', /“body” more than once/);
  invalid('xmpp:romeo@montague.net?roster;name', /key=value/);
  invalid('xmpp:romeo@montague.net?roster;=x', /key=value/);
  const many = Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(';');
  invalid(`xmpp:romeo@montague.net?roster;${many}`, /too many parameters/);
  // sixteen unknown keys are ignored
  const some = Array.from({ length: 16 }, (_, i) => `k${i}=v`).join(';');
  assert.equal(xmppLinkAction(`xmpp:romeo@montague.net?roster;${some}`).kind, 'add-contact');
});

test('issue 13 #4: size limits: the whole link, the address parts, the message text', () => {
  const huge = invalid(`xmpp:romeo@montague.net?message;body=${'a'.repeat(10_000_000)}`, /too long/);
  assert.ok(huge.uri.length <= 201);
  invalid(`xmpp:romeo@montague.net?message;body=${'a'.repeat(XMPP_URI_MAX)}`, /too long \(4,/);
  const longest = `xmpp:romeo@montague.net?message;body=`;
  const fits = xmppLinkAction(longest + 'a'.repeat(XMPP_URI_MAX - longest.length));
  assert.equal(fits.kind, 'message');
  assert.equal((fits as { body: string }).body.length, XMPP_URI_MAX - longest.length);
  invalid(`xmpp:${'a'.repeat(1024)}@montague.net`, /not a valid XMPP address/);
  invalid(`xmpp:${'ü'.repeat(600)}@montague.net`, /not a valid XMPP address/);
  // a label over 63 characters
  invalid(`xmpp:romeo@${'a'.repeat(64)}.net`, /not a valid XMPP address/);
});

test('issue 13 #4: a bidi override in a name is kept (the window isolates it); a refused link shows none', () => {
  const action = xmppLinkAction('xmpp:foo@bar?roster;name=%E2%80%AEevil');
  assert.deepEqual(action, { kind: 'add-contact', jid: 'foo@bar', name: '\u202eevil', group: null, subscribe: false });
  const refused = invalid('xmpp:foo@bar?join;x=\u202eevil\u2066', /does not handle/);
  assert.match(refused.uri, /^xmpp:foo@bar\?join;x=\ufffdevil\ufffd$/);
});

test('issue 13 #4: the address shown for a refused link is cut to about 200 characters, whole characters', () => {
  const refused = invalid(`javascript:${'😀'.repeat(500)}`);
  assert.ok(refused.uri.endsWith('…'));
  assert.equal(Array.from(refused.uri).length, 201);
  assert.doesNotMatch(refused.uri, /[\ud800-\udbff](?![\udc00-\udfff])/);
});

test('issue 13 #4: thousands of hostile links never throw', () => {
  const pieces = [
    'xmpp:',
    '//',
    '@',
    '/',
    '?',
    ';',
    '=',
    '#',
    '%',
    '%C3',
    '%A9',
    '%00',
    'roster',
    'message',
    'body',
    'name',
    'a',
    '\u202e',
    'é',
    '\ud83d',
    ' ',
  ];
  let seed = 13;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < 5000; i++) {
    let uri = i % 2 === 0 ? 'xmpp:' : '';
    for (let n = next() % 12; n >= 0; n--) uri += pieces[next() % pieces.length] ?? '';
    const action = xmppLinkAction(uri);
    assert.ok(['add-contact', 'message', 'remove', 'unsubscribe', 'invalid'].includes(action.kind), uri);
  }
});
