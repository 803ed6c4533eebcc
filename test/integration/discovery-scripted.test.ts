/**
 * Finding the server and checking its identity (issue 9 #1, #2) against the
 * scripted server behind a loopback DNS server: SRV for Direct TLS and
 * STARTTLS, the certificate checked against the JID's domain (never the SRV
 * target), SNI and ALPN on the wire, a "." target, a target that refuses,
 * an IDN domain, and the endpoint remembered for the next sign-in.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { ConnectionState } from '../../preload/contract.js';
import type { Endpoint, EndpointMemory } from '../../main/core/xmpp/discovery/endpoint.js';
import { XmppSession, type SessionConfig } from '../../main/core/xmpp/session.js';
import { TestDnsServer, type Zone } from '../support/dns-server.js';
import { ScriptedServer, type ScriptedServerOptions } from '../support/scripted-server.js';
import { certificateFor, testCertificates } from '../support/test-ca.js';
import { freePort } from '../support/xmpp-servers.js';

const TEST_TIMEOUT = { timeout: 20_000 };

function deferCleanup(t: TestContext): (cleanup: () => unknown) => void {
  const stack: (() => unknown)[] = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  return (cleanup) => stack.push(cleanup);
}

async function setUp(
  t: TestContext,
  options: { zone: (port: number) => Zone; server?: ScriptedServerOptions; session?: Partial<SessionConfig> },
) {
  const defer = deferCleanup(t);
  const server = await ScriptedServer.start({ domain: 'example.test', ...options.server });
  defer(() => server.stop());
  const dns = await TestDnsServer.start(options.zone(server.port));
  defer(() => dns.stop());
  const states: ConnectionState[] = [];
  const session = new XmppSession({
    account: 'juliet@example.test',
    password: 'secret',
    ca: testCertificates().caCertPem,
    dnsServers: [dns.address],
    connectTimeoutMs: 8_000,
    endpointTimeoutMs: 3_000,
    ...options.session,
  });
  session.on('state', (state) => states.push(state));
  defer(() => session.stop());
  return { server, dns, session, states };
}

const hosted = (records: Zone): Zone => ({ 'xmpp1.hosting.test': { A: ['127.0.0.1'] }, ...records });

class MemoryOfEndpoints implements EndpointMemory {
  readonly saved = new Map<string, Endpoint>();
  recall(account: string): Endpoint | undefined {
    return this.saved.get(account);
  }
  remember(account: string, endpoint: Endpoint): void {
    this.saved.set(account, endpoint);
  }
  forget(account: string): void {
    this.saved.delete(account);
  }
}

describe('issue 9 #1 #2: finding the server through SRV (scripted server, loopback DNS)', () => {
  it(
    "issue 9 #1 #2: Direct TLS through an SRV target with another name; SNI and the certificate are the JID's domain, ALPN xmpp-client",
    TEST_TIMEOUT,
    async (t) => {
      const { server, session, states } = await setUp(t, {
        server: { directTls: true, certificate: certificateFor(['example.test']) },
        zone: (port) =>
          hosted({
            '_xmpps-client._tcp.example.test': {
              SRV: [{ priority: 0, weight: 0, port, target: 'xmpp1.hosting.test' }],
            },
          }),
      });
      await session.start({ failFast: true });
      assert.equal(session.state.status, 'online');
      const [connection] = server.connections;
      assert.equal(connection!.sni, 'example.test');
      assert.equal(connection!.alpn, 'xmpp-client');
      assert.ok(!connection!.received.includes('<starttls'), 'no STARTTLS inside Direct TLS');
      const report = session.recorder.report();
      assert.deepEqual(report.attempts, [
        { host: 'xmpp1.hosting.test', port: server.port, tls: 'direct', address: '127.0.0.1', ok: true, error: null },
      ]);
      assert.deepEqual(
        report.dns.find((d) => d.name === '_xmpps-client._tcp.example.test'),
        {
          name: '_xmpps-client._tcp.example.test',
          type: 'SRV',
          answers: [`0 0 ${server.port} xmpp1.hosting.test`],
          error: null,
        },
      );
      assert.deepEqual(report.dns.find((d) => d.name === '_xmpp-client._tcp.example.test')?.answers, []);
      assert.match(report.tls!.version, /^TLSv1\.[23]$/);
      assert.match(report.tls!.certificate.subject, /^example\.test$/);
      assert.match(report.tls!.certificate.issuer, /Balcony Test CA/);
      assert.ok(
        states.some((s) => s.status === 'connecting' && s.host === 'xmpp1.hosting.test' && s.port === server.port),
        'the connection state names the host being tried',
      );
    },
  );

  it(
    "issue 9 #1 #2: only _xmpp-client: STARTTLS to the target, the certificate checked against the JID's domain",
    TEST_TIMEOUT,
    async (t) => {
      const { server, session } = await setUp(t, {
        server: { certificate: certificateFor(['example.test']) },
        zone: (port) =>
          hosted({
            '_xmpp-client._tcp.example.test': {
              SRV: [{ priority: 5, weight: 10, port, target: 'xmpp1.hosting.test' }],
            },
          }),
      });
      await session.start({ failFast: true });
      assert.equal(server.connections[0]!.sni, 'example.test');
      assert.ok(server.connections[0]!.received.includes('<starttls'));
      assert.equal(session.recorder.report().attempts[0]?.tls, 'starttls');
      assert.match(session.recorder.report().tls!.certificate.subject, /^example\.test$/);
    },
  );

  it(
    'issue 9 #2: a certificate valid only for the SRV target is refused (tls-failed, naming both names), over Direct TLS and STARTTLS',
    TEST_TIMEOUT,
    async (t) => {
      for (const directTls of [true, false]) {
        const { session, server } = await setUp(t, {
          server: { directTls, certificate: certificateFor(['xmpp1.hosting.test']) },
          zone: (port) =>
            hosted({
              [`_xmpp${directTls ? 's' : ''}-client._tcp.example.test`]: {
                SRV: [{ priority: 0, weight: 0, port, target: 'xmpp1.hosting.test' }],
              },
            }),
        });
        await assert.rejects(session.start({ failFast: true }), (error: Error & { code?: string }) => {
          assert.equal(error.code, 'tls-failed');
          assert.match(error.message, /xmpp1\.hosting\.test/);
          assert.match(error.message, /example\.test/);
          return true;
        });
        assert.ok(!server.connections.some((c) => c.received.includes('<auth')), 'nothing of the password was sent');
        assert.equal(session.recorder.report().failure?.code, 'tls-failed');
      }
    },
  );

  it(
    'issue 9 #1: a lone "." target means no XMPP service: no-xmpp-service, and nothing is connected',
    TEST_TIMEOUT,
    async (t) => {
      const { session, server } = await setUp(t, {
        zone: () => ({
          '_xmpp-client._tcp.example.test': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
          'example.test': { A: ['127.0.0.1'] },
        }),
      });
      await assert.rejects(session.start({ failFast: true }), {
        code: 'no-xmpp-service',
        message: /example\.test offers no XMPP service/,
      });
      assert.equal(server.connections.length, 0);
      assert.deepEqual(session.recorder.report().attempts, []);
    },
  );

  it(
    'issue 9 #1: a first target that refuses connections: the second is used, and both attempts are in the report',
    TEST_TIMEOUT,
    async (t) => {
      const closed = await freePort();
      const { session, server } = await setUp(t, {
        server: { certificate: certificateFor(['example.test']) },
        zone: (port) => ({
          '_xmpp-client._tcp.example.test': {
            SRV: [
              { priority: 20, weight: 0, port, target: 'xmpp2.hosting.test' },
              { priority: 10, weight: 0, port: closed, target: 'xmpp1.hosting.test' },
            ],
          },
          'xmpp1.hosting.test': { A: ['127.0.0.1'] },
          'xmpp2.hosting.test': { A: ['127.0.0.1'] },
        }),
      });
      await session.start({ failFast: true });
      const attempts = session.recorder.report().attempts;
      assert.deepEqual(
        attempts.map((a) => [a.host, a.port, a.ok]),
        [
          ['xmpp1.hosting.test', closed, false],
          ['xmpp2.hosting.test', server.port, true],
        ],
      );
      assert.match(attempts[0]!.error!, /refused/);
    },
  );

  it(
    'issue 9 #1: IPv6 and IPv4 addresses of a target are both tried (AAAA ::1 refuses, A 127.0.0.1 answers)',
    TEST_TIMEOUT,
    async (t) => {
      const { session, server } = await setUp(t, {
        server: { certificate: certificateFor(['example.test']) },
        zone: (port) => ({
          '_xmpp-client._tcp.example.test': { SRV: [{ priority: 0, weight: 0, port, target: 'xmpp1.hosting.test' }] },
          'xmpp1.hosting.test': { A: ['127.0.0.1'], AAAA: ['::1'] },
        }),
      });
      await session.start({ failFast: true });
      const report = session.recorder.report();
      assert.deepEqual(
        report.attempts.map((a) => [a.address, a.ok]),
        [
          ['::1', false],
          ['127.0.0.1', true],
        ],
      );
      assert.deepEqual(
        report.dns
          .filter((d) => d.name === 'xmpp1.hosting.test')
          .map((d) => d.type)
          .sort(),
        ['A', 'AAAA'],
      );
      assert.equal(server.connections.length, 1);
    },
  );

  it(
    'issue 9 #1: no SRV records: the domain itself on 5222 (here: refused, so host-unreachable naming it)',
    TEST_TIMEOUT,
    async (t) => {
      const { session } = await setUp(t, { zone: () => ({ 'example.test': { A: ['127.0.0.1'] } }) });
      // 127.0.0.1:5222 is not ours: whatever answers or refuses, the attempt must go there.
      await session.start({ failFast: true }).catch(() => undefined);
      assert.deepEqual(
        session.recorder.report().attempts.map((a) => [a.host, a.port, a.tls]),
        [['example.test', 5222, 'starttls']],
      );
    },
  );

  it(
    'issue 9 #1: a domain DNS knows nothing of: host-unreachable, "No server found for" it',
    TEST_TIMEOUT,
    async (t) => {
      const { session } = await setUp(t, { zone: () => ({}) });
      await assert.rejects(session.start({ failFast: true }), {
        code: 'host-unreachable',
        message: /No server found for example\.test/,
      });
    },
  );

  it(
    'issue 9 #2: an IDN domain: SRV, SNI and the certificate in A-labels (juliet@münchen.test)',
    TEST_TIMEOUT,
    async (t) => {
      const { session, server } = await setUp(t, {
        server: { domain: 'münchen.test', directTls: true, certificate: certificateFor(['xn--mnchen-3ya.test']) },
        session: { account: 'juliet@münchen.test' },
        zone: (port) =>
          hosted({
            '_xmpps-client._tcp.xn--mnchen-3ya.test': {
              SRV: [{ priority: 0, weight: 0, port, target: 'xmpp1.hosting.test' }],
            },
          }),
      });
      await session.start({ failFast: true });
      assert.equal(session.state.status, 'online');
      assert.equal(server.connections[0]!.sni, 'xn--mnchen-3ya.test');
    },
  );

  it(
    'issue 9 #1: the endpoint that worked is tried first next time (no SRV asked); when it fails, a fresh lookup',
    TEST_TIMEOUT,
    async (t) => {
      const memory = new MemoryOfEndpoints();
      const { session, server, dns } = await setUp(t, {
        server: { certificate: certificateFor(['example.test']) },
        session: { endpointMemory: memory },
        zone: (port) =>
          hosted({
            '_xmpp-client._tcp.example.test': { SRV: [{ priority: 0, weight: 0, port, target: 'xmpp1.hosting.test' }] },
          }),
      });
      await session.start({ failFast: true });
      await session.stop();
      assert.deepEqual(memory.saved.get('juliet@example.test'), {
        host: 'xmpp1.hosting.test',
        port: server.port,
        tls: 'starttls',
      });
      dns.queries.length = 0;
      await session.start({ failFast: true });
      await session.stop();
      assert.ok(!dns.queries.some((q) => q.type === 'SRV'), `no SRV lookup: ${JSON.stringify(dns.queries)}`);
      // The remembered endpoint goes away (a port nothing listens on): DNS is asked again.
      memory.saved.set('juliet@example.test', { host: 'xmpp1.hosting.test', port: await freePort(), tls: 'starttls' });
      dns.queries.length = 0;
      await session.start({ failFast: true });
      assert.ok(dns.queries.some((q) => q.type === 'SRV'));
      assert.deepEqual(
        session.recorder.report().attempts.map((a) => a.ok),
        [false, true],
      );
      assert.equal(memory.saved.get('juliet@example.test')?.port, server.port);
    },
  );

  it('issue 9 #1: a user-given host and port skip SRV; --direct-tls uses Direct TLS there', TEST_TIMEOUT, async (t) => {
    const { session, server, dns } = await setUp(t, {
      server: { directTls: true, certificate: certificateFor(['example.test']) },
      session: { host: '127.0.0.1', directTls: true },
      zone: () => ({}),
    });
    await assert.rejects(session.start({ failFast: true })); // port 5223 (the default): not our server
    dns.queries.length = 0;
    const given = new XmppSession({
      account: 'juliet@example.test',
      password: 'secret',
      ca: testCertificates().caCertPem,
      host: '127.0.0.1',
      port: server.port,
      directTls: true,
      dnsServers: [dns.address],
      connectTimeoutMs: 8_000,
    });
    t.after(() => given.stop());
    await given.start({ failFast: true });
    assert.equal(server.connections.at(-1)!.sni, 'example.test');
    assert.deepEqual(dns.queries, []);
    assert.deepEqual(given.recorder.report().attempts, [
      { host: '127.0.0.1', port: server.port, tls: 'direct', ok: true, error: null },
    ]);
  });
});
