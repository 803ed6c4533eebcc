/**
 * Issue 9 #3 against real servers: Prosody 0.12 with password_hash SHA-256
 * (it then offers SCRAM-SHA-256 and PLAIN only) and ejabberd 23.01 (SCRAM
 * SHA-1/256/512, each also -PLUS).
 *
 * What the client sends is inside TLS, so a TCP proxy would see only
 * ciphertext: the test records, in this process, every string the client
 * hands to a TLS socket (tls.TLSSocket.prototype.write, wrapped for the
 * test), which is exactly the cleartext of what goes on the wire.
 */
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { openCore } from '../support/roster-fixtures.js';
import { startEjabberd, startProsody, type TestServer } from '../support/xmpp-servers.js';

const NS_ROSTER = 'jabber:iq:roster';

/** Everything written to TLS sockets in this process while `body` runs. */
async function recordTlsWrites(body: () => Promise<void>): Promise<string> {
  const proto = tls.TLSSocket.prototype as unknown as { write: (...args: unknown[]) => boolean };
  const original = Object.getOwnPropertyDescriptor(proto, 'write');
  let written = '';
  proto.write = function write(this: tls.TLSSocket, ...args: unknown[]) {
    const [chunk] = args;
    written += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    return (
      tls.TLSSocket.prototype as unknown as { __proto__: { write: (...a: unknown[]) => boolean } }
    ).__proto__.write.apply(this, args);
  };
  try {
    await body();
  } finally {
    if (original) Object.defineProperty(proto, 'write', original);
    else delete (proto as { write?: unknown }).write;
  }
  return written;
}

async function signIn(server: TestServer, user: string): Promise<{ written: string; sasl: unknown }> {
  await server.register(user, 'secret');
  const core = openCore(server, user, 'secret');
  let sasl: unknown;
  const written = await recordTlsWrites(async () => {
    try {
      await core.session.start({ failFast: true });
      await core.roster.retrieve();
      sasl = core.session.recorder.report().sasl;
    } finally {
      await core.close();
    }
  });
  return { written, sasl };
}

describe('issue 9 #3: Prosody with password_hash = "SHA-256"', { timeout: 120_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startProsody({ passwordHash: 'SHA-256' });
  });
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 9 #3: signs in with SCRAM-SHA-256 and never sends PLAIN (what the client wrote into TLS)', async () => {
    const { written, sasl } = await signIn(server, 'sha256user');
    assert.match(written, /<auth [^>]*mechanism=["']SCRAM-SHA-256["']/);
    assert.doesNotMatch(written, /mechanism=["']PLAIN["']/);
    assert.match(
      written,
      new RegExp(`<iq [^>]*type=["']get["'][^>]*>\\s*<query xmlns=["']${NS_ROSTER}["']`),
      'it got as far as the roster',
    );
    // Prosody 0.12 offers -PLUS only with tls-unique on TLS <= 1.2: on our TLS 1.3 none, so y (we could bind).
    assert.deepEqual(sasl, { mechanism: 'SCRAM-SHA-256', channelBinding: null });
  });
});

describe('issue 9 #3: ejabberd 23.01 offering the -PLUS variants', { timeout: 180_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startEjabberd();
  });
  after(async () => {
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 9 #3: signs in with SCRAM-SHA-512-PLUS bound to the channel (tls-unique: ejabberd 23.01 sends no XEP-0440 list)', async () => {
    const { written, sasl } = await signIn(server, 'plususer');
    assert.match(written, /<auth [^>]*mechanism=["']SCRAM-SHA-512-PLUS["']/);
    assert.doesNotMatch(written, /mechanism=["']PLAIN["']/);
    assert.deepEqual(sasl, { mechanism: 'SCRAM-SHA-512-PLUS', channelBinding: 'tls-unique' });
  });
});
