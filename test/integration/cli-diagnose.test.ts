/**
 * Issue 9 #5: `balcony-roster diagnose`, the built command, against a real
 * Prosody (TLS, SASL, XEP-0092 software version, features, roster figures)
 * and against a port where nothing listens (the report names the failing
 * step). diagnose changes nothing: a queued edit stays queued.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { freePort, startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir } from '../support/roster-fixtures.js';
import { CLI, accountArgs, runCli } from '../support/run-cli.js';

/** What `diagnose --json` prints, as far as these tests read it; fields checked only by value are unknown. */
interface ReportJson {
  attempts: { host: unknown; port: unknown; tls: unknown; ok: unknown; error: string | null }[];
  tls: { version: string; cipher: string; certificate: { subject: unknown; issuer: string; validTo: string } } | null;
  sasl: { mechanism: string } | null;
  server: { name: unknown; version: string } | null;
  features: unknown;
  roster: { lastFullSync: string | null; spoofedPushes: unknown };
  failure: { step: unknown; code: unknown } | null;
}

/** What `list --json` prints, as far as these tests read it. */
interface ListJson {
  items: unknown[];
  pending: { op: string; jid: string }[];
}

describe('balcony-roster diagnose', { timeout: 120_000 }, () => {
  let server: TestServer;
  let common: string[];
  before(async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await seedRoster(server, 'juliet', 'secret', [{ jid: 'romeo@example.net', name: 'Romeo' }]);
    common = accountArgs(server);
  });
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 9 #5: diagnose --json against Prosody reports TLS, SASL, the server software, features and the last full sync', async () => {
    const dataDir = tempDir();
    const sync = await runCli(['sync', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(sync.code, 0, sync.stderr);
    const run = await runCli(['diagnose', '--json', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ReportJson;
    assert.deepEqual(Object.keys(report), [
      'account',
      'dns',
      'attempts',
      'tls',
      'sasl',
      'server',
      'features',
      'roster',
      'failure',
    ]);
    assert.deepEqual(report.attempts, [
      { host: '127.0.0.1', port: server.port, tls: 'starttls', ok: true, error: null },
    ]);
    assert.match(report.tls!.version, /^TLSv1\.[23]$/);
    assert.ok(report.tls!.cipher.length > 0, 'a cipher name');
    assert.equal(report.tls!.certificate.subject, 'localhost');
    assert.match(report.tls!.certificate.issuer, /\S/);
    assert.ok(
      Date.parse(report.tls!.certificate.validTo) > Date.now(),
      `expiry in the future: ${report.tls!.certificate.validTo}`,
    );
    assert.match(report.sasl!.mechanism, /^SCRAM-SHA-/);
    assert.equal(report.server!.name, 'Prosody');
    assert.match(report.server!.version, /^\d+\.\d+/);
    assert.deepEqual(report.features, {
      rosterVersioning: true,
      streamManagement: true,
      preApproval: true,
      blocking: true,
    });
    assert.ok(Date.parse(report.roster.lastFullSync!) <= Date.now(), 'the sync before it is the last full sync');
    assert.equal(report.roster.spoofedPushes, 0);
    assert.equal(report.failure, null);

    const text = await runCli(['diagnose', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Signed in\.$/m);
    assert.match(text.stdout, /^ {2}127\.0\.0\.1:\d+ \(STARTTLS\): ok$/m);
    assert.match(text.stdout, /^Server software: Prosody \d/m);
    assert.match(text.stdout, /blocking yes/);
  });

  it('issue 9 #5: diagnose changes nothing: a queued edit is not sent, the cache is not retrieved', async () => {
    const dataDir = tempDir();
    const closed = await freePort();
    const queued = await runCli(
      [
        'add',
        'nurse@example.com',
        '--data-dir',
        dataDir,
        '--account',
        'juliet@localhost',
        '--host',
        '127.0.0.1',
        '--port',
        String(closed),
      ],
      { password: 'secret' },
    );
    assert.equal(queued.code, 0, queued.stderr);
    const run = await runCli(['diagnose', '--json', '--data-dir', dataDir, ...common], { password: 'secret' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as ReportJson).roster.lastFullSync, null, 'no retrieval ran');
    const list = JSON.parse(
      (await runCli(['list', '--json', '--data-dir', dataDir, '--account', 'juliet@localhost'])).stdout,
    ) as ListJson;
    assert.deepEqual(list.items, [], 'the cache was not filled');
    assert.deepEqual(
      list.pending.map((p) => `${p.op} ${p.jid}`),
      ['add nurse@example.com'],
    );
    const check = openCore(server, 'juliet', 'secret', { resource: 'check' });
    try {
      await check.session.start({ failFast: true });
      await check.roster.retrieve();
      assert.deepEqual(
        check.roster.serverSnapshot().items.map((i) => i.jid),
        ['romeo@example.net'],
        'the server did not get the edit',
      );
    } finally {
      await check.close();
    }
  });

  it('issue 9 #5: diagnose against a port where nothing listens names the failing step and exits non-zero', async () => {
    const closed = await freePort();
    const args = [
      '--data-dir',
      tempDir(),
      '--account',
      'juliet@localhost',
      '--host',
      '127.0.0.1',
      '--port',
      String(closed),
      '--ca-file',
      server.caFile,
    ];
    const run = await runCli(['diagnose', '--json', ...args], { password: 'secret' });
    assert.equal(run.code, 1);
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /^host-unreachable: /);
    const report = JSON.parse(run.stdout) as ReportJson;
    assert.equal(report.failure!.step, 'connect');
    assert.equal(report.failure!.code, 'host-unreachable');
    assert.equal(report.attempts.length, 1);
    assert.equal(report.attempts[0]!.ok, false);
    assert.equal(report.attempts[0]!.port, closed);
    assert.match(report.attempts[0]!.error!, /refused/i);
    assert.equal(report.tls, null);
    assert.equal(report.sasl, null);

    const text = await runCli(['diagnose', ...args], { password: 'secret' });
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^Sign-in FAILED while connecting to the server: host-unreachable: /m);
    assert.match(
      text.stdout,
      new RegExp(`^ {2}127\\.0\\.0\\.1:${closed} \\(STARTTLS\\): failed: the connection was refused$`, 'm'),
    );
  });

  it('issue 9 #5: diagnose with a wrong password names the sign-in step; the endpoint itself worked', async () => {
    const run = await runCli(['diagnose', '--json', '--data-dir', tempDir(), ...common], { password: 'wrong' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^auth-failed: /);
    const report = JSON.parse(run.stdout) as ReportJson;
    assert.equal(report.failure!.step, 'sasl');
    assert.equal(report.attempts[0]!.ok, true);
    assert.match(report.tls!.version, /^TLSv1\.[23]$/, 'TLS was up before SASL failed');
  });
});
