import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  asciiDomain,
  foldedJidKey,
  isLoopbackHost,
  normalizeBareJid,
  parseJid,
  tryNormalizeBareJid,
} from '../../main/core/jid.js';
import { BalconyError } from '../../main/core/errors.js';

function invalid(input: string): void {
  assert.throws(
    () => normalizeBareJid(input),
    (e: unknown) => e instanceof BalconyError && e.code === 'invalid-jid',
    input,
  );
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
    assert.deepEqual(parseJid('juliet@example.com/Bal/cony'), {
      local: 'juliet',
      domain: 'example.com',
      resource: 'Bal/cony',
    });
  });

  it('accepts server-only addresses for contacts but not for accounts', () => {
    assert.equal(normalizeBareJid('irc.example.org'), 'irc.example.org');
    assert.throws(() => normalizeBareJid('irc.example.org', { requireLocal: true }), /needs a name before @/);
  });

  it('refuses what is not an address', () => {
    for (const bad of [
      '',
      '   ',
      '@example.com',
      'romeo@',
      'rom eo@example.com',
      'ro<me>o@example.com',
      'romeo@exa mple.com',
      'romeo@example..com',
      'romeo@example.com/',
      'a@b@c',
      `${'x'.repeat(1024)}@example.com`,
      'romeo"@example.com',
      'romeo@[zz::1]',
      'romeo@-'.repeat(0) + 'x@' + 'a'.repeat(64) + '.com',
    ]) {
      invalid(bad);
    }
  });

  it('tryNormalizeBareJid returns null instead of throwing', () => {
    assert.equal(tryNormalizeBareJid(undefined), null);
    assert.equal(tryNormalizeBareJid('a b@c'), null);
    assert.equal(tryNormalizeBareJid('A@B'), 'a@b');
  });

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com']) assert.ok(!isLoopbackHost(h), h);
  });

  it('issue 11 #11: an A-label and its U-label are one address, stored as U-labels (RFC 7622 3.2)', () => {
    assert.equal(normalizeBareJid('romeo@xn--mnchen-3ya.de'), 'romeo@münchen.de');
    assert.equal(normalizeBareJid('romeo@XN--MNCHEN-3YA.DE'), 'romeo@münchen.de');
    assert.equal(normalizeBareJid('Romeo@MÜNCHEN.de'), 'romeo@münchen.de');
    assert.equal(
      normalizeBareJid('romeo@münchen\u3002de'),
      'romeo@münchen.de',
      'an ideographic full stop separates labels',
    );
    assert.equal(normalizeBareJid('xn--mnchen-3ya.de'), 'münchen.de', 'a server-only address too');
    assert.equal(normalizeBareJid('romeo@xn--fa-hia.de'), 'romeo@faß.de', 'IDNA2008: ß is kept, not mapped to ss');
    assert.deepEqual(parseJid('romeo@xn--mnchen-3ya.de/balcony'), {
      local: 'romeo',
      domain: 'münchen.de',
      resource: 'balcony',
    });
    assert.equal(tryNormalizeBareJid('romeo@xn--mnchen-3ya.de'), tryNormalizeBareJid('romeo@münchen.de'));
    // the form DNS and TLS need
    assert.equal(asciiDomain('münchen.de'), 'xn--mnchen-3ya.de');
    assert.equal(asciiDomain('example.com'), 'example.com');
  });

  it('issue 11 #11: invalid punycode is refused as invalid-jid', () => {
    // xn--zz: not punycode; xn--abc-: decodes to plain ASCII (not an A-label);
    // xn--mnchen-3ya-: does not encode back to itself; xn--: empty
    for (const bad of [
      'romeo@xn--zz.de',
      'romeo@xn--abc-.de',
      'romeo@xn--mnchen-3ya-.de',
      'romeo@xn--.de',
      'romeo@foo.xn--',
      `romeo@${'ü'.repeat(60)}.de`,
      'xn--zz.de',
    ]) {
      invalid(bad);
      assert.equal(tryNormalizeBareJid(bad), null, bad);
    }
  });

  it('issue 11 #12: the stringprep fold key joins what nodeprep joins, and nothing else', () => {
    assert.equal(foldedJidKey('ß@example.net'), foldedJidKey('ss@example.net'));
    assert.equal(foldedJidKey('stra\u00dfe@example.net'), 'strasse@example.net');
    assert.equal(
      foldedJidKey('ro\u00admeo@example.net'),
      'romeo@example.net',
      'B.1: a soft hyphen is mapped to nothing',
    );
    assert.equal(foldedJidKey('ﬁ@example.net'), 'fi@example.net');
    assert.equal(foldedJidKey('romeo@faß.de'), 'romeo@fass.de', 'nameprep folds the domain the same way');
    assert.notEqual(foldedJidKey('romeo@example.net'), foldedJidKey('juliet@example.net'));
    assert.notEqual(foldedJidKey('s@example.net'), foldedJidKey('ss@example.net'));
  });
});
