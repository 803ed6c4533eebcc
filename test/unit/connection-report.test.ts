import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportJson, reportText } from '../../main/cli/report-output.js';
import { emptyReport, ConnectionRecorder } from '../../main/core/xmpp/connection-recorder.js';
import { failedStep } from '../../main/core/xmpp/failed-step.js';
import { channelBindingOf } from '../../main/core/xmpp/sasl-observer.js';
import { tlsDetails } from '../../main/core/xmpp/tls-details.js';

test('issue 9 #5: a failure names its step, from its code or from how far the sign-in got', () => {
  const none = { tls: false, sasl: false };
  assert.equal(failedStep('no-xmpp-service', none), 'dns');
  assert.equal(failedStep('host-unreachable', none), 'connect');
  assert.equal(failedStep('tls-failed', none), 'tls');
  assert.equal(failedStep('auth-failed', { tls: true, sasl: false }), 'sasl');
  assert.equal(failedStep('auth-downgrade', { tls: true, sasl: false }), 'sasl');
  assert.equal(failedStep('timeout', none), 'connect');
  assert.equal(failedStep('timeout', { tls: true, sasl: false }), 'sasl');
  assert.equal(failedStep('connection-lost', { tls: true, sasl: true }), 'session');
  const recorder = new ConnectionRecorder();
  recorder.failed({ code: 'host-unreachable', message: 'x' });
  assert.deepEqual(recorder.report().failure, { code: 'host-unreachable', message: 'x', step: 'connect' });
  recorder.failed({ code: 'internal', message: 'y' }, 'dns');
  assert.equal(recorder.report().failure?.step, 'dns', 'a step given by the caller wins');
});

test('issue 9 #5: the channel binding is read from the GS2 header of the initial response', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.equal(channelBindingOf(b64('p=tls-exporter,,n=juliet,r=abc')), 'tls-exporter');
  assert.equal(channelBindingOf(b64('p=tls-server-end-point,,n=juliet,r=abc')), 'tls-server-end-point');
  assert.equal(channelBindingOf(b64('n,,n=juliet,r=abc')), null);
  assert.equal(channelBindingOf(b64('y,,n=juliet,r=abc')), null);
  assert.equal(channelBindingOf(b64('\0juliet\0secret')), null, 'PLAIN has no GS2 header');
  assert.equal(channelBindingOf(''), null);
});

test('issue 9 #5: a socket that is not TLS has no TLS details', () => {
  assert.equal(tlsDetails(null), null);
  assert.equal(tlsDetails({ socket: {} }), null);
});

test('issue 9 #5: the text report escapes what the server and DNS sent; the JSON keeps it, valid', () => {
  const report = emptyReport();
  report.dns.push({
    name: '_xmpp-client._tcp.example.org',
    type: 'SRV',
    answers: ['0 5 5222 evil\u001b[2J.example.org'],
    error: null,
  });
  report.attempts.push({ host: '2001:db8::1', port: 5222, tls: 'starttls', ok: false, error: 'refused\u202e' });
  report.server = { name: 'Bad\u0007Server', version: '1\u009b' };
  report.failure = { code: 'host-unreachable', message: 'The server could not be reached.', step: 'connect' };
  const text = reportText('juliet@example.org', report);
  // eslint-disable-next-line no-control-regex -- the test looks for exactly these control characters in the output
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  assert.match(text, /evil\\x1b\[2J/);
  assert.match(text, /^ {2}\[2001:db8::1\]:5222 \(STARTTLS\): failed: refused\\u\{202e\}$/m);
  assert.match(text, /^Sign-in FAILED while connecting to the server: host-unreachable: /m);
  assert.match(text, /^Server features: not known \(not signed in\)$/m);
  const json = JSON.parse(reportJson('juliet@example.org', report)) as {
    server: { name: unknown };
    failure: { step: unknown };
    roster: { lastFullSync: unknown };
  };
  assert.equal(json.server.name, 'Bad\u0007Server');
  assert.equal(json.failure.step, 'connect');
  assert.equal(json.roster.lastFullSync, null);
});
