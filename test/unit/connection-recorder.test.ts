import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionRecorder } from '../../main/core/xmpp/connection-recorder.js';

test('the recorder keeps one sign-in: begin() starts afresh, report() is a copy', () => {
  const recorder = new ConnectionRecorder();
  recorder.dns({
    name: '_xmpp-client._tcp.example.org',
    type: 'SRV',
    answers: ['5 0 5222 xmpp.example.org'],
    error: null,
  });
  recorder.attempt({ host: 'xmpp.example.org', port: 5222, tls: 'starttls', ok: false, error: 'refused' });
  recorder.failed({ code: 'host-unreachable', message: 'The server could not be reached.' });
  const first = recorder.report({ lastFullSync: 5, spoofedPushes: 1 });
  assert.equal(first.attempts.length, 1);
  assert.equal(first.failure?.code, 'host-unreachable');
  assert.deepEqual(first.roster, { lastFullSync: 5, spoofedPushes: 1 });
  first.attempts.push({ host: 'x', port: 1, tls: 'direct', ok: true, error: null });
  assert.equal(recorder.report().attempts.length, 1, 'a report is a copy');

  recorder.begin();
  recorder.features({ rosterVersioning: true });
  recorder.sasl('SCRAM-SHA-256-PLUS', 'tls-exporter');
  recorder.succeeded();
  const second = recorder.report();
  assert.deepEqual(second.dns, []);
  assert.deepEqual(second.features, {
    rosterVersioning: true,
    streamManagement: false,
    preApproval: false,
    blocking: false,
  });
  assert.deepEqual(second.sasl, { mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-exporter' });
  assert.equal(second.failure, null);
});
