/**
 * Issue 9 #1 #2 against real Prosody 0.12 behind a loopback DNS server: the
 * JID's domain is example.test, the certificate names only example.test,
 * and DNS sends the client to xmpp1.hosting.test (127.0.0.1). Direct TLS
 * and STARTTLS through SRV, a certificate for the SRV target only, a "."
 * target, a first target that refuses, an IDN domain; the CLI with --dns.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createHandlers } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { createRosterCore } from '../../main/core/roster-core.js';
import type { SessionConfig } from '../../main/core/xmpp/session.js';
import { TestDnsServer, type Zone } from '../support/dns-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import { CLI, runCli } from '../support/run-cli.js';
import { freePort, startProsody, type TestServer } from '../support/xmpp-servers.js';

const target = { 'xmpp1.hosting.test': { A: ['127.0.0.1'] }, 'xmpp2.hosting.test': { A: ['127.0.0.1'] } };

async function signIn(account: string, dns: TestDnsServer, server: TestServer, session: Partial<SessionConfig> = {}) {
  const core = createRosterCore(tempDir(), {
    account,
    password: 'secret',
    ca: readFileSync(server.caFile, 'utf8'),
    dnsServers: [dns.address],
    connectTimeoutMs: 10_000,
    endpointTimeoutMs: 5_000,
    ...session,
  });
  try {
    await core.session.start({ failFast: true });
    await core.roster.retrieve();
    return core.session.recorder.report();
  } finally {
    await core.close();
  }
}

describe(
  'issue 9 #1 #2: SRV and Direct TLS against Prosody (certificate for example.test only)',
  { timeout: 120_000 },
  () => {
    let prosody: TestServer;
    let dns: TestDnsServer;
    const both = (): Zone => ({
      ...target,
      '_xmpps-client._tcp.example.test': {
        SRV: [{ priority: 0, weight: 0, port: prosody.directTlsPort!, target: 'xmpp1.hosting.test' }],
      },
      '_xmpp-client._tcp.example.test': {
        SRV: [{ priority: 0, weight: 0, port: prosody.port, target: 'xmpp1.hosting.test' }],
      },
    });
    before(async () => {
      prosody = await startProsody({ domain: 'example.test', certificateNames: ['example.test'], directTls: true });
      await prosody.register('juliet', 'secret');
      dns = await TestDnsServer.start({});
    });
    after(async () => {
      await (dns as TestDnsServer | undefined)?.stop();
      await (prosody as TestServer | undefined)?.stop();
    });

    it('issue 9 #1 #2: signs in over Direct TLS through an SRV target with another name', async () => {
      dns.setZone(both());
      const report = await signIn('juliet@example.test', dns, prosody);
      assert.deepEqual(report.attempts, [
        {
          host: 'xmpp1.hosting.test',
          port: prosody.directTlsPort,
          tls: 'direct',
          address: '127.0.0.1',
          ok: true,
          error: null,
        },
      ]);
      assert.match(report.tls!.version, /^TLSv1\.[23]$/);
      assert.match(report.tls!.certificate.subject, /^example\.test$/);
      assert.equal(report.failure, null);
    });

    it('issue 9 #1 #2: only _xmpp-client: signs in with STARTTLS', async () => {
      dns.setZone({
        ...target,
        '_xmpp-client._tcp.example.test': {
          SRV: [{ priority: 0, weight: 0, port: prosody.port, target: 'xmpp1.hosting.test' }],
        },
      });
      const report = await signIn('juliet@example.test', dns, prosody);
      assert.deepEqual(
        report.attempts.map((a) => [a.host, a.port, a.tls, a.ok]),
        [['xmpp1.hosting.test', prosody.port, 'starttls', true]],
      );
      assert.match(report.tls!.certificate.subject, /^example\.test$/);
    });

    it('issue 9 #1: a first target that refuses: the second is used', async () => {
      const closed = await freePort();
      dns.setZone({
        ...target,
        '_xmpp-client._tcp.example.test': {
          SRV: [
            { priority: 1, weight: 0, port: closed, target: 'xmpp1.hosting.test' },
            { priority: 2, weight: 0, port: prosody.port, target: 'xmpp2.hosting.test' },
          ],
        },
      });
      const report = await signIn('juliet@example.test', dns, prosody);
      assert.deepEqual(
        report.attempts.map((a) => [a.host, a.ok]),
        [
          ['xmpp1.hosting.test', false],
          ['xmpp2.hosting.test', true],
        ],
      );
    });

    it("issue 9 #1: the app signs in with the form's Direct TLS checkbox (directTls over IPC) and through SRV, remembering the endpoint", async () => {
      const service = new MessengerService({
        profileDir: tempDir(),
        vault: new TestVault(true),
        sessionDefaults: {
          ca: readFileSync(prosody.caFile, 'utf8'),
          dnsServers: [dns.address],
          connectTimeoutMs: 10_000,
        },
      });
      try {
        const handlers = createHandlers(service);
        const direct = await handlers.signIn([
          {
            jid: 'juliet@example.test',
            password: 'secret',
            host: '127.0.0.1',
            port: prosody.directTlsPort,
            directTls: true,
            rememberPassword: false,
          },
        ]);
        assert.equal(direct.ok, true, JSON.stringify(direct));
        assert.equal((direct as { value: { account: { directTls?: boolean } } }).value.account.directTls, true);
        dns.setZone(both());
        const found = await handlers.signIn([
          { jid: 'juliet@example.test', password: 'secret', rememberPassword: false },
        ]);
        assert.equal(found.ok, true, JSON.stringify(found));
        assert.equal((found as { value: { connection: { status: string } } }).value.connection.status, 'online');
      } finally {
        await service.close();
      }
    });

    it('issue 9 #1: balcony-roster sync --dns finds the server (Direct TLS); a "." target says no-xmpp-service', async () => {
      assert.ok(existsSync(CLI), 'run `npm run build` first (npm test does)');
      dns.setZone(both());
      const args = [
        '--account',
        'juliet@example.test',
        '--dns',
        dns.address,
        '--ca-file',
        prosody.caFile,
        '--data-dir',
        tempDir(),
      ];
      const sync = await runCli(['sync', '--json', ...args], { password: 'secret' });
      assert.equal(sync.code, 0, sync.stderr);
      assert.equal((JSON.parse(sync.stdout) as { account: unknown }).account, 'juliet@example.test');
      dns.setZone({ '_xmpp-client._tcp.example.test': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] } });
      // The endpoint that worked is remembered in the profile: a fresh profile asks DNS.
      const none = await runCli(['sync', ...args.slice(0, -1), tempDir()], { password: 'secret' });
      assert.equal(none.code, 1);
      assert.match(none.stderr, /^no-xmpp-service: example\.test offers no XMPP service/);
      // --direct-tls with --host/--port: no DNS at all.
      const direct = await runCli(
        [
          'sync',
          '--account',
          'juliet@example.test',
          '--host',
          '127.0.0.1',
          '--port',
          String(prosody.directTlsPort),
          '--direct-tls',
          '--ca-file',
          prosody.caFile,
          '--data-dir',
          tempDir(),
        ],
        { password: 'secret' },
      );
      assert.equal(direct.code, 0, direct.stderr);
    });
  },
);

describe('issue 9 #2: a certificate valid only for the SRV target (Prosody)', { timeout: 120_000 }, () => {
  let prosody: TestServer;
  let dns: TestDnsServer;
  before(async () => {
    prosody = await startProsody({ domain: 'example.test', certificateNames: ['xmpp1.hosting.test'], directTls: true });
    await prosody.register('juliet', 'secret');
    dns = await TestDnsServer.start({
      ...target,
      '_xmpps-client._tcp.example.test': {
        SRV: [{ priority: 0, weight: 0, port: prosody.directTlsPort!, target: 'xmpp1.hosting.test' }],
      },
      '_xmpp-client._tcp.example.test': {
        SRV: [{ priority: 0, weight: 0, port: prosody.port, target: 'xmpp1.hosting.test' }],
      },
    });
  });
  after(async () => {
    await (dns as TestDnsServer | undefined)?.stop();
    await (prosody as TestServer | undefined)?.stop();
  });

  it('issue 9 #2: refused with tls-failed, the words naming both names (Direct TLS and STARTTLS both tried)', async () => {
    await assert.rejects(signIn('juliet@example.test', dns, prosody), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'tls-failed');
      assert.match(error.message, /certificate is for xmpp1\.hosting\.test, not example\.test/);
      return true;
    });
  });
});

describe(
  'issue 9 #2: an IDN domain against Prosody (juliet@münchen.test, certificate for xn--mnchen-3ya.test)',
  { timeout: 120_000 },
  () => {
    let prosody: TestServer;
    let dns: TestDnsServer;
    before(async () => {
      prosody = await startProsody({ domain: 'münchen.test', certificateNames: ['xn--mnchen-3ya.test'] });
      await prosody.register('juliet', 'secret');
      dns = await TestDnsServer.start({
        ...target,
        '_xmpp-client._tcp.xn--mnchen-3ya.test': {
          SRV: [{ priority: 0, weight: 0, port: prosody.port, target: 'xmpp1.hosting.test' }],
        },
      });
    });
    after(async () => {
      await (dns as TestDnsServer | undefined)?.stop();
      await (prosody as TestServer | undefined)?.stop();
    });

    it('issue 9 #2: signs in through SRV; SNI and the certificate check in A-labels', async () => {
      const report = await signIn('juliet@münchen.test', dns, prosody);
      assert.equal(report.failure, null);
      assert.match(report.tls!.certificate.subject, /^xn--mnchen-3ya\.test$/);
    });
  },
);
