import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, normalizeBareJid, parseJid, tryNormalizeBareJid } from '../../main/core/jid.js';
import { BalconyError } from '../../main/core/errors.js';

function invalid(input: string): void {
  assert.throws(() => normalizeBareJid(input), (e: unknown) => e instanceof BalconyError && e.code === 'invalid-jid', input);
}

describe('JID normalisation', () => {
  it('folds case and width so equivalent spellings share one key', () => {
    assert.equal(normalizeBareJid('Romeo@Example.NET'), 'romeo@example.net');
    assert.equal(normalizeBareJid('ＲＯＭＥＯ@example.net'), 'romeo@example.net');
    assert.equal(normalizeBareJid('romeo@example.net.'), 'romeo@example.net');
    assert.equal(normalizeBareJid('  romeo@example.net  '), 'romeo@example.net');
    // NFC: a precomposed and a decomposed é are the same address
    assert.equal(normalizeBareJid('ren\u00e9@example.net'), normalizeBareJid('rene\u0301@example.net'));
  });

  it('drops the resource for the bare JID and keeps it when parsing', () => {
    assert.equal(normalizeBareJid('juliet@example.com/balcony'), 'juliet@example.com');
    assert.deepEqual(parseJid('juliet@example.com/Bal/cony'), { local: 'juliet', domain: 'example.com', resource: 'Bal/cony' });
  });

  it('accepts server-only addresses for contacts but not for accounts', () => {
    assert.equal(normalizeBareJid('irc.example.org'), 'irc.example.org');
    assert.throws(() => normalizeBareJid('irc.example.org', { requireLocal: true }), /needs a name before @/);
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', '   ', '@example.com', 'romeo@', 'rom eo@example.com', 'ro<me>o@example.com',
      'romeo@exa mple.com', 'romeo@example..com', 'romeo@example.com/', 'a@b@c', `${'x'.repeat(1024)}@example.com`,
      'romeo"@example.com', 'romeo@[zz::1]', 'romeo@-'.repeat(0) + 'x@' + 'a'.repeat(64) + '.com']) {
      invalid(bad);
    }
  });

  it('tryNormalizeBareJid returns null instead of throwing', () => {
    assert.equal(tryNormalizeBareJid(undefined), null);
    assert.equal(tryNormalizeBareJid('a b@c'), null);
    assert.equal(tryNormalizeBareJid('A@B'), 'a@b');
  });

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com']) assert.ok(!isLoopbackHost(h), h);
  });
});
