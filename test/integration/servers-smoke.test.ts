/**
 * Smoke test of the real-server harness (test/support/xmpp-servers.ts):
 * each server starts, requires STARTTLS, presents a certificate that verifies
 * against the test CA, authenticates a registered account with SASL PLAIN over
 * TLS (also after restart()), and stops for good.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { portAccepts, startEjabberd, startProsody, type TestServer } from '../support/xmpp-servers.js';

const STREAM_HEADER =
  "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' " +
  "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
const IO_TIMEOUT_MS = 5000;

/** Reads from the socket until `pattern` matches what arrived (bounded time). */
function readUntil(sock: Socket | TLSSocket, pattern: RegExp, timeoutMs = IO_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const cleanup = (): void => {
      clearTimeout(timer);
      sock.off('data', onData);
      sock.off('error', onError);
      sock.off('close', onClose);
    };
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8');
      if (pattern.test(buf)) {
        cleanup();
        resolve(buf);
      }
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`closed before ${pattern}; got: ${buf}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timeout waiting for ${pattern}; got: ${buf}`));
    }, timeoutMs);
    sock.on('data', onData);
    sock.once('error', onError);
    sock.once('close', onClose);
  });
}

function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('connect timeout'));
    }, IO_TIMEOUT_MS);
    sock.once('connect', () => {
      clearTimeout(timer);
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

interface TlsStream {
  sock: TLSSocket;
  features: string;
  authorized: boolean;
}

/** Stream header, features (STARTTLS must be required), <proceed/>, TLS verified against the CA. */
async function startTls(server: TestServer): Promise<TlsStream> {
  const raw = await openTcp(server.port);
  try {
    raw.write(STREAM_HEADER);
    const features = await readUntil(raw, /<\/stream:features>/);
    assert.match(
      features,
      /<starttls[^>]*xmlns=['"]urn:ietf:params:xml:ns:xmpp-tls['"][^>]*>\s*<required\s*\/>/,
      `STARTTLS must be offered and required; features: ${features}`,
    );
    raw.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    await readUntil(raw, /<proceed[\s/>]/);
    const sock = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: raw, servername: 'localhost', ca: readFileSync(server.caFile) });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error('TLS handshake timeout'));
      }, IO_TIMEOUT_MS);
      s.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e: Error) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    return { sock, features, authorized: sock.authorized };
  } catch (e) {
    raw.destroy();
    throw e;
  }
}

/** SASL PLAIN on an open socket (stream not yet started); returns the post-auth features. */
async function authPlain(sock: Socket | TLSSocket, user: string, password: string): Promise<string> {
  sock.write(STREAM_HEADER);
  const features = await readUntil(sock, /<\/stream:features>/);
  assert.match(features, /<mechanism>PLAIN<\/mechanism>/, `PLAIN expected; features: ${features}`);
  const creds = Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64');
  sock.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${creds}</auth>`);
  const reply = await readUntil(sock, /<success[\s/>]|<failure[\s>]/);
  if (!/<success[\s/>]/.test(reply)) throw new Error(`SASL PLAIN failed: ${reply}`);
  sock.write(STREAM_HEADER); // stream restart after SASL
  return readUntil(sock, /<\/stream:features>/);
}

/** SASL PLAIN over TLS; returns the post-auth stream features, or throws on <failure/>. */
async function saslPlain(server: TestServer, user: string, password: string): Promise<string> {
  const { sock } = await startTls(server);
  try {
    return await authPlain(sock, user, password);
  } finally {
    sock.destroy();
  }
}

for (const kind of ['prosody', 'ejabberd'] as const) {
  describe(`${kind} test server`, { timeout: 90_000 }, () => {
    let server: TestServer | undefined;
    const srv = (): TestServer => {
      assert.ok(server, 'server did not start');
      return server;
    };

    before(
      async () => {
        server = kind === 'prosody' ? await startProsody({ tls: true }) : await startEjabberd({ tls: true });
        await server.register('juliet', 'secret');
      },
      { timeout: 40_000 },
    );

    after(
      async () => {
        await server?.stop();
      },
      { timeout: 30_000 },
    );

    it('requires STARTTLS and presents a certificate signed by the test CA', { timeout: 30_000 }, async () => {
      const s = srv();
      assert.equal(s.kind, kind);
      assert.equal(s.host, '127.0.0.1');
      assert.equal(s.domain, 'localhost');
      assert.equal(s.tls, true);
      const { sock, authorized } = await startTls(s);
      try {
        assert.equal(authorized, true, `certificate not verified: ${String(sock.authorizationError)}`);
      } finally {
        sock.destroy();
      }
    });

    it('authenticates a registered account with SASL PLAIN over TLS', { timeout: 30_000 }, async () => {
      const features = await saslPlain(srv(), 'juliet', 'secret');
      assert.match(features, /<bind[\s>]/);
      // Roster versioning is on by default on both servers.
      assert.match(features, /<ver[^>]*xmlns=['"]urn:xmpp:features:rosterver['"]/);
      await assert.rejects(saslPlain(srv(), 'juliet', 'wrong'), /SASL PLAIN failed/);
    });

    it('keeps the account across restart()', { timeout: 30_000 }, async () => {
      const s = srv();
      await s.restart();
      await saslPlain(s, 'juliet', 'secret');
    });

    it(
      'register() of an existing account sets its password; unregister() removes it',
      { timeout: 30_000 },
      async () => {
        const s = srv();
        await s.register('romeo', 'one');
        await s.register('romeo', 'two');
        await saslPlain(s, 'romeo', 'two');
        await s.unregister?.('romeo');
        await assert.rejects(saslPlain(s, 'romeo', 'two'), /SASL PLAIN failed/);
      },
    );

    it('stop() closes the port', { timeout: 30_000 }, async () => {
      const s = srv();
      const port = s.port;
      await s.stop();
      server = undefined;
      assert.equal(await portAccepts(port), false, `port ${port} still accepts connections`);
    });
  });
}

describe('cleartext test servers (tls: false)', { timeout: 60_000 }, () => {
  for (const kind of ['prosody', 'ejabberd'] as const) {
    it(`${kind} offers no STARTTLS`, { timeout: 30_000 }, async () => {
      const s = kind === 'prosody' ? await startProsody({ tls: false }) : await startEjabberd({ tls: false });
      try {
        assert.equal(s.tls, false);
        const raw = await openTcp(s.port);
        try {
          raw.write(STREAM_HEADER);
          const features = await readUntil(raw, /<\/stream:features>/);
          assert.doesNotMatch(features, /<starttls/);
          assert.match(features, /<mechanisms/);
        } finally {
          raw.destroy();
        }
      } finally {
        await s.stop();
      }
    });
  }

  it('ejabberd with rosterVersioning: false advertises no roster versioning', { timeout: 30_000 }, async () => {
    const s = await startEjabberd({ tls: false, rosterVersioning: false });
    try {
      await s.register('juliet', 'secret');
      const raw = await openTcp(s.port);
      try {
        const features = await authPlain(raw, 'juliet', 'secret');
        assert.match(features, /<bind[\s>]/);
        assert.doesNotMatch(features, /urn:xmpp:features:rosterver/);
      } finally {
        raw.destroy();
      }
    } finally {
      await s.stop();
    }
  });
});
