import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xmppUri } from '../../renderer/desktop/xmpp-address.js';

test('issue 13 #3: our address as an xmpp: URI, percent-encoded per RFC 5122', () => {
  assert.equal(xmppUri('juliet@example.com'), 'xmpp:juliet@example.com');
  assert.equal(xmppUri('juliet@example.com/balcony'), 'xmpp:juliet@example.com', 'the resource is left out');
  assert.equal(xmppUri('example.com'), 'xmpp:example.com');
  // RFC 5122 §2.7.2's example: a node with characters a URI must escape.
  assert.equal(
    xmppUri('nasty!#$%()*+,-.;=?[\\]^_`{|}~node@example.com'),
    'xmpp:nasty!%23$%25()*+,-.;=%3F%5B%5C%5D%5E_%60%7B%7C%7D~node@example.com',
  );
  // Non-ASCII as UTF-8 bytes (RFC 5122 §2.8: the URI form of an IRI).
  assert.equal(xmppUri('ß@example.net'), 'xmpp:%C3%9F@example.net');
  assert.equal(xmppUri('juliet@café.example'), 'xmpp:juliet@caf%C3%A9.example');
  assert.equal(xmppUri('romeo@[::1]'), 'xmpp:romeo@[::1]');
  assert.equal(xmppUri('a b@example.com'), 'xmpp:a%20b@example.com');
  assert.equal(xmppUri('😀@example.com'), 'xmpp:%F0%9F%98%80@example.com');
});
