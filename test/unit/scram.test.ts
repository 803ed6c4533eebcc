/**
 * issue 9 #3 #4: our own SCRAM (RFC 5802, RFC 7677) against the RFCs' test
 * vectors, the GS2 headers, the mechanism order, the downgrade rules and
 * XEP-0474's hash.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type tls from 'node:tls';
import { test } from 'node:test';
import { BalconyError } from '../../main/core/errors.js';
import { serverEndPointHash } from '../../main/core/xmpp/channel-binding.js';
import { checkDowngradeProtection, downgrade, planSasl, remembered } from '../../main/core/xmpp/sasl-policy.js';
import {
  clientFinal,
  clientFirstBare,
  gs2Header,
  parseServerFirst,
  saslName,
  verifyServerFinal,
} from '../../main/core/xmpp/scram.js';
import { testCertificates } from '../support/test-ca.js';

test('issue 9 #3: SCRAM-SHA-1 reproduces the RFC 5802 section 5 example', async () => {
  const first = clientFirstBare('user', 'fyko+d2lbbFgONRv9qkxdawL');
  assert.equal(gs2Header({ flag: 'n' }) + first, 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
  const serverFirst = parseServerFirst(
    'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
    'fyko+d2lbbFgONRv9qkxdawL',
  );
  const final = await clientFinal({
    hash: 'sha1',
    password: 'pencil',
    clientFirstBare: first,
    serverFirst,
    gs2Header: 'n,,',
  });
  assert.equal(final.message, 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
  assert.equal(final.expectedServerSignature, 'rmF9pqV8S7suAoZWja4dJRkFsKQ=');
  verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=', final.expectedServerSignature);
});

test('issue 9 #3: SCRAM-SHA-256 reproduces the RFC 7677 section 3 example', async () => {
  const first = clientFirstBare('user', 'rOprNGfwEbeRWgbNEkqO');
  const serverFirst = parseServerFirst(
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    'rOprNGfwEbeRWgbNEkqO',
  );
  const final = await clientFinal({
    hash: 'sha256',
    password: 'pencil',
    clientFirstBare: first,
    serverFirst,
    gs2Header: 'n,,',
  });
  assert.equal(
    final.message,
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  );
  assert.equal(final.expectedServerSignature, '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
});

test('issue 9 #3: a wrong or missing server signature is server-unverified; e= is auth-failed', () => {
  const isCode = (code: string) => (e: unknown) => e instanceof BalconyError && e.code === code;
  assert.throws(
    () => verifyServerFinal('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'rmF9pqV8S7suAoZWja4dJRkFsKQ='),
    isCode('server-unverified'),
  );
  assert.throws(() => verifyServerFinal(undefined, 'rmF9pqV8S7suAoZWja4dJRkFsKQ='), isCode('server-unverified'));
  assert.throws(() => verifyServerFinal('e=invalid-proof', 'x'), isCode('auth-failed'));
});

test('issue 9 #3: gs2 headers: p=<type>,, with binding, y,, and n,, without; c= carries header and binding data', async () => {
  assert.equal(gs2Header({ flag: 'p', type: 'tls-exporter' }), 'p=tls-exporter,,');
  assert.equal(gs2Header({ flag: 'y' }), 'y,,');
  assert.equal(gs2Header({ flag: 'n' }), 'n,,');
  const serverFirst = parseServerFirst('r=abcdefXYZ,s=QSXCR+Q6sek8bf92,i=4096', 'abcdef');
  const data = Buffer.from('binding-data');
  const final = await clientFinal({
    hash: 'sha512',
    password: 'p',
    clientFirstBare: 'n=u,r=abcdef',
    serverFirst,
    gs2Header: 'p=tls-unique,,',
    bindingData: data,
  });
  const c = final.message.split(',')[0]!.slice(2);
  assert.deepEqual(Buffer.from(c, 'base64'), Buffer.concat([Buffer.from('p=tls-unique,,'), data]));
  assert.equal(saslName('a=b,c'), 'a=3Db=2Cc');
});

test('issue 9 #3: server-first: bounded iteration count, m= refused, extensions kept', () => {
  assert.throws(() => parseServerFirst('r=abcX,s=QSXC,i=1000001', 'abc'), /unusable/);
  assert.throws(() => parseServerFirst('r=abcX,s=QSXC,i=0', 'abc'), /unusable/);
  assert.throws(() => parseServerFirst('m=x,r=abcX,s=QSXC,i=1', 'abc'), /m=/);
  assert.throws(() => parseServerFirst('r=zzzX,s=QSXC,i=1', 'abc'), /nonce/);
  assert.equal(parseServerFirst('r=abcX,s=QSXC,i=4096,h=HASH', 'abc').extensions.get('h'), 'HASH');
});

/** A stand-in TLS socket for the mechanism choice: the protocol and what it can export. */
function fakeSocket(protocol: 'TLSv1.3' | 'TLSv1.2'): tls.TLSSocket {
  return {
    getProtocol: () => protocol,
    exportKeyingMaterial: () => Buffer.alloc(32, 1),
    isSessionReused: () => false,
    getFinished: () => Buffer.alloc(12, 2),
    getPeerFinished: () => Buffer.alloc(12, 3),
    getPeerCertificate: () => ({ raw: pemToDer(testCertificates().certPem) }),
  } as unknown as tls.TLSSocket;
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

test('issue 9 #3: strongest first, -PLUS where a binding is shared; PLAIN only without any SCRAM', () => {
  const all = new Set([
    'PLAIN',
    'SCRAM-SHA-1',
    'SCRAM-SHA-1-PLUS',
    'SCRAM-SHA-256',
    'SCRAM-SHA-256-PLUS',
    'SCRAM-SHA-512',
    'SCRAM-SHA-512-PLUS',
  ]);
  const tls12 = planSasl(all, fakeSocket('TLSv1.2'), null);
  assert.deepEqual([tls12.mechanism, tls12.kind === 'scram' && tls12.binding], ['SCRAM-SHA-512-PLUS', 'tls-unique']);
  const exporter = planSasl(all, fakeSocket('TLSv1.3'), ['tls-server-end-point', 'tls-exporter']);
  assert.deepEqual(
    [exporter.mechanism, exporter.kind === 'scram' && exporter.binding],
    ['SCRAM-SHA-512-PLUS', 'tls-exporter'],
  );
  const endPoint = planSasl(all, fakeSocket('TLSv1.3'), ['tls-server-end-point']);
  assert.equal(endPoint.kind === 'scram' && endPoint.binding, 'tls-server-end-point');
  // -PLUS offered, but no type we share: the non-PLUS one with n (the server offered binding; we cannot).
  const unshared = planSasl(all, fakeSocket('TLSv1.3'), ['tls-foo']);
  assert.deepEqual([unshared.mechanism, unshared.kind === 'scram' && unshared.gs2], ['SCRAM-SHA-512', { flag: 'n' }]);
  // No -PLUS offered while we could bind: y.
  const y = planSasl(new Set(['PLAIN', 'SCRAM-SHA-256']), fakeSocket('TLSv1.3'), null);
  assert.deepEqual([y.mechanism, y.kind === 'scram' && y.gs2], ['SCRAM-SHA-256', { flag: 'y' }]);
  // Cleartext loopback: nothing to bind, n.
  const clear = planSasl(new Set(['SCRAM-SHA-1']), null, null);
  assert.deepEqual(clear.kind === 'scram' && clear.gs2, { flag: 'n' });
  assert.equal(planSasl(new Set(['PLAIN']), fakeSocket('TLSv1.3'), null).mechanism, 'PLAIN');
  assert.equal(planSasl(new Set(['PLAIN', 'SCRAM-SHA-1']), fakeSocket('TLSv1.3'), null).mechanism, 'SCRAM-SHA-1');
});

test('issue 9 #4: downgrades: a weaker SCRAM, PLAIN after SCRAM, no channel binding after it; more is fine', () => {
  const seen256plus = { strongest: 'SCRAM-SHA-256', channelBinding: true } as const;
  assert.match(downgrade(seen256plus, { strongest: 'PLAIN', channelBinding: false })!, /no longer offers SCRAM/);
  assert.match(
    downgrade(seen256plus, { strongest: 'SCRAM-SHA-1', channelBinding: true })!,
    /no longer offers SCRAM-SHA-256/,
  );
  assert.match(downgrade(seen256plus, { strongest: 'SCRAM-SHA-256', channelBinding: false })!, /channel binding/);
  assert.equal(downgrade(seen256plus, { strongest: 'SCRAM-SHA-512', channelBinding: true }), null);
  assert.equal(downgrade(undefined, { strongest: 'PLAIN', channelBinding: false }), null);
  assert.deepEqual(remembered(seen256plus, { strongest: 'SCRAM-SHA-1', channelBinding: false }, false), seen256plus);
  assert.deepEqual(remembered(seen256plus, { strongest: 'SCRAM-SHA-1', channelBinding: false }, true), {
    strongest: 'SCRAM-SHA-1',
    channelBinding: false,
  });
});

test('issue 9 #4: XEP-0474: the hash of the sorted lists must match (h= with %x1E/%x1F, d= as in 0.3)', () => {
  // The XEP's own example: SHA-1 of 'SCRAM-SHA-1\x1eSCRAM-SHA-1-PLUS\x1ftls-exporter\x1etls-server-end-point'.
  const mechanisms = ['SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1'];
  const types = ['tls-server-end-point', 'tls-exporter'];
  const example = 'G6k/rBLDqgOhRRaCuuatSDFkJ08=';
  checkDowngradeProtection(new Map([['h', example]]), 'sha1', mechanisms, types);
  assert.throws(
    () => checkDowngradeProtection(new Map([['h', example]]), 'sha1', ['SCRAM-SHA-1'], types),
    (e: unknown) => e instanceof BalconyError && e.code === 'auth-downgrade',
  );
  assert.throws(() => checkDowngradeProtection(new Map([['h', example]]), 'sha1', mechanisms, null), /XEP-0474/);
  const legacy = createHash('sha256')
    .update('SCRAM-SHA-1,SCRAM-SHA-1-PLUS|tls-exporter,tls-server-end-point')
    .digest('base64');
  checkDowngradeProtection(new Map([['d', legacy]]), 'sha256', mechanisms, types);
  checkDowngradeProtection(new Map(), 'sha256', mechanisms, types); // not offered: nothing to check
});

test('issue 9 #3: tls-server-end-point hashes with the certificate signature hash (the test CA signs with SHA-256)', () => {
  assert.equal(serverEndPointHash(pemToDer(testCertificates().certPem)), 'sha256');
  assert.equal(serverEndPointHash(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), null);
});
