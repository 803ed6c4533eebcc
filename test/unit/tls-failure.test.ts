import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlsFailure } from '../../main/core/xmpp/tls-identity.js';

test('issue 10 faults: a connection reset during the TLS handshake is a lost connection (retried), not tls-failed (final)', () => {
  const reset = Object.assign(
    new Error('Client network socket disconnected before secure TLS connection was established'),
    {
      code: 'ECONNRESET',
    },
  );
  assert.equal(tlsFailure(reset, 'localhost').code, 'connection-lost');
  assert.equal(
    tlsFailure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), 'localhost').code,
    'connection-lost',
  );
  const expired = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
  assert.equal(tlsFailure(expired, 'localhost').code, 'tls-failed');
});
