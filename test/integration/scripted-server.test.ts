/**
 * The scripted server checked against the real @xmpp/client and against a bare
 * socket, so that client tests built on it test the client and not the server.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { client, xml, type Client } from '@xmpp/client';
import type { IQCaller } from '@xmpp/iq/caller.js';
import { ScriptedServer, type Element } from '../support/scripted-server.js';

const ROSTER = 'jabber:iq:roster';

describe('scripted server with the real @xmpp/client', () => {
  it('negotiates STARTTLS, PLAIN and binding, then plays the roster dialogue', async (t) => {
    const server = await ScriptedServer.start();
    const xmpp = await online(t, server);

    const session = await server.nextSession();
    assert.equal(session.fullJid, 'juliet@localhost/balcony-test');
    assert.equal(session.connection.secure, true);
    assert.equal(session.connection.mechanism, 'PLAIN');
    assert.equal(session.connection.authenticatedAs, 'juliet');

    // C: roster get   S: result with one item
    const roster = iqCaller(xmpp).get(xml('query', { xmlns: ROSTER }));
    const get = await session.expectIq('get', ROSTER);
    session.reply(get, `<query xmlns='${ROSTER}' ver='1'><item jid='romeo@example.net' subscription='both'/></query>`);
    const query = await roster;
    assert.equal(query?.getChild('item')?.attrs.jid, 'romeo@example.net');

    // S: roster push   C: (no handler in the bare library) service-unavailable
    const arrived = nextStanza(xmpp, (el) => el.attrs.id === 'push1');
    session.sendRaw(
      `<iq type='set' id='push1'><query xmlns='${ROSTER}' ver='2'><item jid='nurse@example.com'/></query></iq>`,
    );
    assert.equal((await arrived).getChild('query', ROSTER)?.getChild('item')?.attrs.jid, 'nurse@example.com');
    const answer = await session.expectReplyTo('push1');
    assert.equal(answer.attrs.type, 'error');

    // C: ping   S: (automatic) result
    await iqCaller(xmpp).get(xml('ping', { xmlns: 'urn:xmpp:ping' }), undefined, 2000);

    // C: </stream:stream>   S: </stream:stream>
    await xmpp.stop();
    await session.closed();
    assert.equal(session.isClosed, true);
    assert.match(session.connection.received, /<\/stream:stream>$/);
  });

  it('replies with a stanza error that the client sees as a StanzaError', async (t) => {
    const server = await ScriptedServer.start();
    const xmpp = await online(t, server);
    const session = await server.nextSession();

    const set = iqCaller(xmpp).set(xml('query', { xmlns: ROSTER }, xml('item', { jid: 'juliet@localhost' })));
    session.replyError(await session.expectIq('set', ROSTER), 'not-allowed');
    await assert.rejects(
      set,
      (err: Error & { condition?: string; type?: string }) => err.condition === 'not-allowed' && err.type === 'cancel',
    );
  });

  it('authenticates with SCRAM-SHA-1 and proves it knows the password', async (t) => {
    const server = await ScriptedServer.start({ mechanisms: ['SCRAM-SHA-1', 'PLAIN'] });
    const xmpp = client(clientOptions(server));
    const scram = captureScram(xmpp);
    await start(t, xmpp, server);

    const session = await server.nextSession();
    assert.equal(session.connection.mechanism, 'SCRAM-SHA-1');
    assert.equal(serverSignatureSent(session.connection.sent), scram.expectedServerSignature());
  });

  it("with scramServerSignature 'bogus' sends a v= the client's own computation disagrees with", async (t) => {
    const server = await ScriptedServer.start({ mechanisms: ['SCRAM-SHA-1'], scramServerSignature: 'bogus' });
    const xmpp = client(clientOptions(server));
    const scram = captureScram(xmpp);
    // The bare library does not check v= (PROTOCOL.md), so it goes online anyway.
    await start(t, xmpp, server);

    const session = await server.nextSession();
    assert.notEqual(serverSignatureSent(session.connection.sent), scram.expectedServerSignature());
  });

  it('refuses a wrong SCRAM-SHA-1 proof with not-authorized', async (t) => {
    const server = await ScriptedServer.start({ mechanisms: ['SCRAM-SHA-1'] });
    const xmpp = client({ ...clientOptions(server), password: 'wrong' });
    t.after(() => stopQuietly(xmpp, server));
    xmpp.on('error', () => {
      /* the refusal is what this test expects; asserted below */
    });
    trustServerCa(t, server);

    await assert.rejects(xmpp.start(), (err: Error & { condition?: string }) => err.condition === 'not-authorized');
    assert.match(
      server.connections[0]?.sent ?? '',
      /<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized\/>/,
    );
    await assert.rejects(server.nextSession(100), /no session reached "bound"/);
  });

  it('destroy() drops the connection and the client comes back as a new session', async (t) => {
    const server = await ScriptedServer.start();
    await online(t, server);
    const first = await server.nextSession();

    first.destroy();
    assert.equal(first.isClosed, true);
    const second = await server.nextSession(5000);
    assert.notEqual(second.connection, first.connection);
    assert.equal(server.connections.length, 2);
  });

  it('halfOpen() leaves the client waiting on an open socket', async (t) => {
    const server = await ScriptedServer.start();
    const xmpp = await online(t, server);
    const session = await server.nextSession();

    session.halfOpen();
    await assert.rejects(iqCaller(xmpp).get(xml('ping', { xmlns: 'urn:xmpp:ping' }), undefined, 300), {
      name: 'TimeoutError',
    });
    assert.equal(session.isClosed, false);
    assert.throws(() => session.send('<message/>'), /half-open/);

    const disconnected = once(xmpp, 'disconnect');
    session.destroy();
    await disconnected;
  });

  it('expect() times out with a listing of what the client did send', async (t) => {
    const server = await ScriptedServer.start();
    const xmpp = await online(t, server);
    const session = await server.nextSession();

    await xmpp.send(xml('presence', {}, xml('show', {}, 'away')));
    await assert.rejects(
      session.expect((el) => el.is('message'), 300),
      (err: Error) =>
        /expected `.*message.*`, but nothing matched within 300 ms/.test(err.message) &&
        err.message.includes('[unclaimed] <presence><show>away</show></presence>'),
    );
    // The presence is still there for whoever expects it.
    assert.equal((await session.expect((el) => el.is('presence'))).getChildText('show'), 'away');
  });
});

describe('scripted server with a bare socket', () => {
  it("tls 'none' offers the mechanisms on the cleartext stream, without STARTTLS", async (t) => {
    const server = await ScriptedServer.start({ tls: 'none', mechanisms: ['SCRAM-SHA-1', 'PLAIN'] });
    t.after(() => server.stop());
    const socket = await RawClient.connect(server.port);
    t.after(() => socket.destroy());

    socket.write(STREAM_HEADER);
    const features = await socket.readUntil('</stream:features>');
    assert.match(
      features,
      /<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1<\/mechanism><mechanism>PLAIN<\/mechanism><\/mechanisms>/,
    );
    assert.doesNotMatch(features, /starttls/);

    // A client that refuses here closes without authenticating; the log shows it.
    socket.write('</stream:stream>');
    const connection = await server.nextConnection();
    await connection.closed();
    assert.doesNotMatch(connection.received, /<auth/);
    assert.equal(connection.authenticatedAs, undefined);
  });

  it("tls 'required' answers an <auth> before STARTTLS with encryption-required", async (t) => {
    const server = await ScriptedServer.start();
    t.after(() => server.stop());
    const socket = await RawClient.connect(server.port);
    t.after(() => socket.destroy());

    socket.write(STREAM_HEADER);
    const features = await socket.readUntil('</stream:features>');
    assert.match(features, /<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required\/><\/starttls>/);
    assert.doesNotMatch(features, /mechanisms/);

    socket.write(
      `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0juliet\0secret').toString('base64')}</auth>`,
    );
    assert.match(await socket.readUntil('</failure>'), /<encryption-required\/>/);
    assert.equal(server.connections[0]?.authenticatedAs, undefined);
  });

  it("tls 'offered' lets a client verify the certificate against caPem and authenticate with PLAIN", async (t) => {
    const server = await ScriptedServer.start({ tls: 'offered' });
    t.after(() => server.stop());
    const socket = await RawClient.connect(server.port);
    t.after(() => socket.destroy());

    socket.write(STREAM_HEADER);
    const features = await socket.readUntil('</stream:features>');
    assert.match(features, /<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><\/starttls><mechanisms/);

    socket.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    await socket.readUntil('<proceed ');
    await socket.startTls(server.caPem);
    socket.write(STREAM_HEADER);
    await socket.readUntil('</stream:features>');
    socket.write(
      `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0juliet\0nope').toString('base64')}</auth>`,
    );
    assert.match(await socket.readUntil('</failure>'), /<not-authorized\/>/);
    socket.write(
      `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0juliet\0secret').toString('base64')}</auth>`,
    );
    await socket.readUntil('<success ');
    assert.equal(server.connections[0]?.secure, true);
    assert.equal(server.connections[0].authenticatedAs, 'juliet');
  });
});

// --- helpers ---------------------------------------------------------------

const STREAM_HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' " +
  "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

interface TestContext {
  after(fn: () => unknown): void;
}

/**
 * The client's iq caller. @types/xmpp__client imports '@xmpp/iq/caller', which
 * NodeNext resolution cannot find (the package has no exports map), so its
 * type is lost there; this names it from the module that resolves.
 */
function iqCaller(xmpp: Client): IQCaller<Client> {
  return xmpp.iqCaller as IQCaller<Client>;
}

/**
 * @xmpp/client's STARTTLS calls tls.connect({ socket, host }) without a `ca`
 * option, so for the duration of one test tls.connect is wrapped to trust the
 * scripted server's CA; verification stays on. This is the self-test's
 * arrangement only: the client under test has its own TLS policy.
 */
function trustServerCa(t: TestContext, server: ScriptedServer): void {
  const original = tls.connect;
  const connect = original as (...args: unknown[]) => tls.TLSSocket;
  tls.connect = ((options: tls.ConnectionOptions, ...rest: unknown[]) =>
    connect({ ca: server.caPem, ...options }, ...rest)) as typeof tls.connect;
  t.after(() => {
    tls.connect = original;
  });
}

function clientOptions(server: ScriptedServer) {
  return {
    service: `xmpp://127.0.0.1:${server.port}`,
    domain: 'localhost',
    resource: 'balcony-test',
    username: 'juliet',
    password: 'secret',
  };
}

async function online(t: TestContext, server: ScriptedServer): Promise<Client> {
  const xmpp = client(clientOptions(server));
  await start(t, xmpp, server);
  return xmpp;
}

async function start(t: TestContext, xmpp: Client, server: ScriptedServer): Promise<void> {
  t.after(() => stopQuietly(xmpp, server));
  trustServerCa(t, server);
  const errors: Error[] = [];
  xmpp.on('error', (err: Error) => errors.push(err));
  t.after(() => assert.deepEqual(errors.map(String), [], 'the client reported errors'));
  await xmpp.start();
}

async function stopQuietly(xmpp: Client, server: ScriptedServer): Promise<void> {
  xmpp.reconnect.stop();
  if (xmpp.status === 'online')
    await xmpp.stop().catch(() => {
      /* the server may be gone already */
    });
  await server.stop();
  xmpp.removeAllListeners('error');
  xmpp.on('error', () => {
    /* after the test: the stopped server's hang-up is no finding */
  });
}

function nextStanza(xmpp: Client, pred: (el: Element) => boolean): Promise<Element> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the client received no matching stanza')), 5000);
    const onStanza = (el: Element): void => {
      if (!pred(el)) return;
      clearTimeout(timer);
      xmpp.off('stanza', onStanza);
      resolve(el);
    };
    xmpp.on('stanza', onStanza);
  });
}

/** Keeps the real client's SCRAM mechanism so the test can read the signature it computed. */
function captureScram(xmpp: Client): { expectedServerSignature(): string } {
  const factory = (xmpp as unknown as { saslFactory: { create(names: string[]): unknown } }).saslFactory;
  const create = factory.create.bind(factory);
  let mech: { _serverSignature?: Uint8Array } | undefined;
  factory.create = (names: string[]) => {
    mech = create(names) as typeof mech;
    return mech;
  };
  return {
    expectedServerSignature() {
      assert.ok(mech?._serverSignature, 'the client computed no SCRAM server signature');
      return Buffer.from(mech._serverSignature).toString('base64');
    },
  };
}

function serverSignatureSent(sent: string): string {
  const success = /<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>([^<]*)<\/success>/.exec(sent);
  assert.ok(success, 'no <success> with additional data was sent');
  const serverFinal = Buffer.from(success[1] ?? '', 'base64').toString('utf8');
  assert.match(serverFinal, /^v=/);
  return serverFinal.slice(2);
}

/** A bare TCP (then TLS) client that reads the server's text until a marker. */
class RawClient {
  #socket: net.Socket | tls.TLSSocket;
  #buffer = '';
  #wake: (() => void) | undefined;

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  #listen(socket: net.Socket | tls.TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      this.#wake?.();
    });
  }

  write(text: string): void {
    this.#socket.write(text);
  }

  /** Resolves with everything up to and including marker, consuming it. */
  async readUntil(marker: string, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.#buffer.indexOf(marker);
      if (at >= 0) {
        const text = this.#buffer.slice(0, at + marker.length);
        this.#buffer = this.#buffer.slice(at + marker.length);
        return text;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`RawClient: no ${marker} within ${timeoutMs} ms; got: ${this.#buffer}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async startTls(caPem: string): Promise<void> {
    const raw = this.#socket;
    raw.removeAllListeners('data');
    const secure = tls.connect({ socket: raw, servername: 'localhost', ca: caPem });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    this.#socket = secure;
    this.#buffer = '';
    this.#listen(secure);
  }

  destroy(): void {
    this.#socket.destroy();
  }
}
