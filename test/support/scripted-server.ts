/**
 * A small XMPP server on loopback whose every move is written in the test, in
 * the style of Prosody's scansion scripts: it negotiates a real stream (STARTTLS
 * with the test CA's certificate, SASL PLAIN or SCRAM-SHA-1/256/512 with or without -PLUS
 * channel binding, which it checks on its side, resource binding)
 * and then hands the bound session to the test, which reads the client's
 * stanzas and writes the server's side of the dialogue, malformed or hostile
 * when the test needs it.
 *
 * @example
 * const server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
 * // ... start the client against 127.0.0.1:server.port ...
 * const session = await server.nextSession();
 * const get = await session.expectIq('get', 'jabber:iq:roster');
 * session.reply(get, "<query xmlns='jabber:iq:roster' ver='1'/>");
 * session.send("<iq type='set' id='push1'><query xmlns='jabber:iq:roster' ver='2'>" +
 *   "<item jid='romeo@example.net'/></query></iq>");
 * await session.expect((el) => el.attrs.id === 'push1' && el.attrs.type === 'result');
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import tls from 'node:tls';
import { Parser, escapeXML, type Element } from '@xmpp/xml';
import { testCertificates, type TestCertificates } from './test-ca.js';

export type { Element };

const NS_CLIENT = 'jabber:client';
const NS_STREAM = 'http://etherx.jabber.org/streams';
const NS_STREAM_ERRORS = 'urn:ietf:params:xml:ns:xmpp-streams';
const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const NS_SESSION = 'urn:ietf:params:xml:ns:xmpp-session';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const NS_PING = 'urn:xmpp:ping';
const NS_SASL_CB = 'urn:xmpp:sasl-cb:0';
const SCRAM_HASHES: Record<string, 'sha1' | 'sha256' | 'sha512'> = {
  'SCRAM-SHA-1': 'sha1',
  'SCRAM-SHA-256': 'sha256',
  'SCRAM-SHA-512': 'sha512',
};

/** The roster versioning stream feature (RFC 6121 2.6.1), for `extraFeatures`. */
export const ROSTER_VER_FEATURE = "<ver xmlns='urn:xmpp:features:rosterver'/>";
/** The subscription pre-approval stream feature (RFC 6121 3.4), for `extraFeatures`. */
export const PRE_APPROVAL_FEATURE = "<sub xmlns='urn:xmpp:features:pre-approval'/>";

const DEFAULT_TIMEOUT_MS = 5000;
const SCRAM_ITERATIONS = 4096;

export interface ScriptedServerOptions {
  /** The server's domain; a stream header addressed elsewhere gets `host-unknown`. Default 'localhost'. */
  domain?: string;
  /**
   * 'required' (default): STARTTLS offered with `<required/>`, mechanisms only after TLS,
   * an `<auth>` on the cleartext stream fails with `encryption-required`.
   * 'offered': STARTTLS and the mechanisms offered together on the cleartext stream.
   * 'none': no STARTTLS; the mechanisms are offered on the cleartext stream.
   */
  tls?: 'required' | 'offered' | 'none';
  /**
   * SASL mechanisms offered, in this order. Known: 'PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'SCRAM-SHA-512'
   * and each SCRAM with '-PLUS' (the binding is checked: see channelBindingTypes); others are offered
   * but fail. Default ['PLAIN'].
   */
  mechanisms?: string[];
  /** username -> password. Default { juliet: 'secret' }. */
  users?: Record<string, string>;
  /** Raw XML appended to the post-authentication `<stream:features>`, e.g. ROSTER_VER_FEATURE. */
  extraFeatures?: string[];
  /** 'bogus' puts a wrong `v=` in the SCRAM `<success>`: a server that cannot prove it knows the password. Default 'valid'. */
  scramServerSignature?: 'valid' | 'bogus';
  /**
   * Channel-binding types advertised with XEP-0440's `<sasl-channel-binding/>` beside the mechanisms
   * (none advertised when absent). The server accepts, and checks, 'tls-exporter', 'tls-unique' and
   * 'tls-server-end-point' on a -PLUS mechanism: those listed here, or any of the three when absent.
   */
  channelBindingTypes?: string[];
  /** The highest TLS version the server agrees to (e.g. 'TLSv1.2', for tls-unique). Default: Node's (TLS 1.3). */
  tlsMaxVersion?: tls.SecureVersion;
  /** Answer the client's XEP-0199 pings automatically (they are then not given to `expect`). Default true. */
  answerPings?: boolean;
  /**
   * Writes each stream header of the server (`<?xml …?><stream:stream …>`) in pieces,
   * `pauseMs` apart, so that each lands in its own TCP segment: of `size` bytes (1: one byte
   * at a time), or cut at the byte offsets `at` (a declaration split in two: `at: [3]`).
   * Later writes wait their turn.
   */
  headerPieces?: ({ size: number } | { at: number[] }) & { pauseMs: number };
  /**
   * Not an XMPP server: answers the client's first bytes with `data` (e.g. an HTTP
   * "400 Bad Request") instead of a stream header, then closes if `close` (default true).
   */
  rawAnswer?: { data: string | Uint8Array; close?: boolean };
  /** Listen on this loopback port (a server "coming back" where a client expects it). Default: a free one. */
  port?: number;
  /**
   * Text of a `<text/>` child in every SASL `<failure>` (RFC 6120 6.5), written as given
   * (not escaped): hostile content such as control characters. Default: no `<text/>`.
   */
  saslFailureText?: string;
  /**
   * A hostile server that skips authentication: where the mechanisms would be, it offers the
   * post-authentication features (`<bind/>` …) and binds a client that never authenticated.
   */
  skipAuthentication?: boolean;
  /** Raw text written before the server's first stream header, e.g. a DOCTYPE. */
  beforeStreamHeader?: string;
  /** Replaces what the post-authentication `<stream:features>` hold ('' offers nothing at all). */
  postAuthFeatures?: string;
  /**
   * Answers the client's bind request with this raw XML instead of the usual result (a spoofed
   * sender, another account, no `<jid/>`); the session is still handed to the test.
   */
  bindReply?: (request: Element, fullJid: string) => string;
  /** Rewrites the SCRAM server-first message before it is sent (a foreign nonce, an `m=` extension). */
  scramServerFirst?: (serverFirst: string) => string;
  /**
   * On the client's first stream header: 'reset' answers with a TCP reset (RST) and nothing else;
   * `{ seeOtherHost }` answers with a see-other-host stream error naming that host:port.
   */
  onFirstStreamHeader?: 'reset' | { seeOtherHost: string };
  /**
   * A server that keeps streaming after the client closes its side (a cleartext stream only):
   * the socket is half-open, so the client's close waits until it gives up on a polite close.
   */
  keepStreaming?: boolean;
  /** The certificate presented (e.g. certificateFor(['example.test'])); default the test CA's localhost one. */
  certificate?: { certPem: string; keyPem: string };
  /** TLS from the first byte (XEP-0368 Direct TLS, ALPN `xmpp-client`) instead of STARTTLS. */
  directTls?: boolean;
}

/** What happened on one TCP connection, for assertions such as "no `<auth` was received". */
export interface ConnectionLog {
  /** Everything the client sent, as text: the raw bytes before STARTTLS, the decrypted stream after. */
  readonly received: string;
  /** Everything the server wrote (before encryption). */
  readonly sent: string;
  /**
   * The server answered `<starttls/>` with `<proceed/>` and switched to TLS. A client that then
   * rejects the certificate does so after the handshake: it closes without a new stream header.
   */
  readonly secure: boolean;
  /** The username that authenticated on this connection, if any. */
  readonly authenticatedAs: string | undefined;
  /** The SASL mechanism the client chose (first `<auth>`), if any. */
  readonly mechanism: string | undefined;
  /** The GS2 header of the client's SCRAM client-first message (e.g. 'n,,', 'y,,', 'p=tls-exporter,,'), if any. */
  readonly gs2Header: string | undefined;
  /** The channel binding the server checked and accepted (the type), if the client bound the channel. */
  readonly channelBinding: string | undefined;
  /** Socket, TLS and XML errors seen on this connection (e.g. the client rejecting the certificate). */
  readonly errors: readonly string[];
  /** The client closed its stream or the socket is gone. */
  readonly isClosed: boolean;
  /** The TLS server name (SNI) the client asked for, once TLS is up; null when it sent none. */
  readonly sni: string | null | undefined;
  /** The ALPN protocol agreed on (Direct TLS offers `xmpp-client`); false when the client offered none. */
  readonly alpn: string | false | undefined;
  /** Resolves when `isClosed` becomes true; rejects after timeoutMs (default 5 s). */
  closed(timeoutMs?: number): Promise<void>;
}

interface ResolvedOptions {
  domain: string;
  headerPieces: ScriptedServerOptions['headerPieces'];
  rawAnswer: ScriptedServerOptions['rawAnswer'];
  tls: 'required' | 'offered' | 'none';
  mechanisms: string[];
  users: Record<string, string>;
  extraFeatures: string[];
  scramServerSignature: 'valid' | 'bogus';
  channelBindingTypes: string[] | undefined;
  tlsMaxVersion: tls.SecureVersion | undefined;
  answerPings: boolean;
  saslFailureText: string | undefined;
  skipAuthentication: boolean;
  beforeStreamHeader: string;
  postAuthFeatures: string | undefined;
  bindReply: ((request: Element, fullJid: string) => string) | undefined;
  scramServerFirst: (serverFirst: string) => string;
  onFirstStreamHeader: 'reset' | { seeOtherHost: string } | undefined;
  keepStreaming: boolean;
  directTls: boolean;
}

/** A listening scripted server on 127.0.0.1. */
export class ScriptedServer {
  readonly port: number;
  /** PEM file of the CA that signed the server's certificate (trust it in the client). */
  readonly caFile: string;
  /** The same CA as PEM text, for a `ca` option. */
  readonly caPem: string;
  readonly domain: string;
  /** Every connection accepted so far, in order. */
  readonly connections: ConnectionLog[] = [];

  readonly #listener: net.Server;
  readonly #open = new Set<ServerConnection>();
  readonly #sessions = new Mailbox<ScriptedSession>();
  readonly #newConnections = new Mailbox<ConnectionLog>();

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const certificates = testCertificates();
    // allowHalfOpen: the server's side stays writable when the client ends its own (see keepStreaming).
    const listener = net.createServer({ allowHalfOpen: options.keepStreaming ?? false });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(options.port ?? 0, '127.0.0.1', () => {
        listener.off('error', reject);
        resolve();
      });
    });
    return new ScriptedServer(listener, { ...resolveOptions(options), certificate: options.certificate }, certificates);
  }

  private constructor(
    listener: net.Server,
    options: ResolvedOptions & Pick<ScriptedServerOptions, 'certificate'>,
    certificates: TestCertificates,
  ) {
    const { certPem, keyPem } = options.certificate ?? certificates;
    const secureContext = tls.createSecureContext({
      cert: certPem,
      key: keyPem,
      ...(options.tlsMaxVersion ? { maxVersion: options.tlsMaxVersion } : {}),
    });
    this.#listener = listener;
    this.port = (listener.address() as net.AddressInfo).port;
    this.caFile = certificates.caCertFile;
    this.caPem = certificates.caCertPem;
    this.domain = options.domain;
    listener.on('connection', (socket) => {
      const connection = new ServerConnection(socket, options, secureContext, {
        bound: (session) => this.#sessions.push(session),
        closed: (conn) => this.#open.delete(conn),
      });
      this.#open.add(connection);
      this.connections.push(connection);
      this.#newConnections.push(connection);
    });
  }

  /** Resolves with the next session that reaches "bound" (authenticated, resource bound), oldest first. */
  nextSession(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ScriptedSession> {
    return this.#sessions.take(
      () => true,
      timeoutMs,
      (why) => `ScriptedServer: no session reached "bound": ${why}.\n${this.#describeConnections()}`,
    );
  }

  /** Resolves with the next TCP connection accepted, oldest first (also for clients that never authenticate). */
  nextConnection(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ConnectionLog> {
    return this.#newConnections.take(
      () => true,
      timeoutMs,
      (why) => `ScriptedServer: no connection was accepted: ${why}.`,
    );
  }

  /** Closes every socket at once (no stream close) and the listener. */
  async stop(): Promise<void> {
    this.#sessions.close('the server was stopped');
    this.#newConnections.close('the server was stopped');
    for (const connection of this.#open) connection.destroy();
    await new Promise<void>((resolve) => this.#listener.close(() => resolve()));
  }

  #describeConnections(): string {
    if (this.connections.length === 0) return 'No client connected.';
    return this.connections
      .map(
        (c, i) =>
          `Connection ${i}: secure=${c.secure} authenticatedAs=${c.authenticatedAs ?? '-'} ` +
          `closed=${c.isClosed} errors=[${c.errors.join('; ')}]\n  received: ${truncate(c.received, 1500)}`,
      )
      .join('\n');
  }
}

/** One authenticated, resource-bound client stream; the test plays the server's side. */
export class ScriptedSession {
  /** e.g. juliet@localhost/balcony-1a2b */
  readonly fullJid: string;
  /** e.g. juliet@localhost */
  readonly bareJid: string;
  readonly connection: ConnectionLog;
  /** Every stanza the client sent after binding, in order, including those already claimed by `expect`. */
  readonly stanzas: Element[] = [];

  readonly #conn: ServerConnection;
  readonly #inbox = new Mailbox<Element>();

  /** @internal created by the server when binding succeeds. */
  constructor(conn: ServerConnection, fullJid: string) {
    this.#conn = conn;
    this.connection = conn;
    this.fullJid = fullJid;
    this.bareJid = fullJid.slice(0, fullJid.indexOf('/'));
  }

  /**
   * Waits (bounded, default 5 s) for the next stanza from the client matching pred, and claims it:
   * stanzas nobody has claimed stay buffered for later calls. Rejects at once if the connection
   * closed with no matching stanza buffered; the error lists every stanza received.
   */
  expect(pred: (el: Element) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Element> {
    return this.#expect(pred, `\`${pred.toString()}\``, timeoutMs);
  }

  /** expect() an iq of this type whose payload element has this namespace. */
  expectIq(type: 'get' | 'set' | 'result' | 'error', xmlns: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Element> {
    return this.#expect(
      (el) => el.is('iq') && el.attrs.type === type && el.getChildElements().some((c) => c.getNS() === xmlns),
      `<iq type='${type}'> with a <… xmlns='${xmlns}'> payload`,
      timeoutMs,
    );
  }

  /** expect() the client's answer (type result or error) to the iq the server sent with this id. */
  expectReplyTo(id: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Element> {
    return this.#expect(
      (el) => el.is('iq') && el.attrs.id === id && (el.attrs.type === 'result' || el.attrs.type === 'error'),
      `a reply to iq id='${id}'`,
      timeoutMs,
    );
  }

  /** Writes text to the stream as is: malformed XML, a DOCTYPE, undefined entities, huge stanzas. */
  sendRaw(text: string): void {
    this.#conn.writeFromTest(text);
  }

  /** Writes bytes to the stream as they are: invalid UTF-8, a character cut in half. */
  sendBytes(bytes: Uint8Array): void {
    this.#conn.writeFromTest(bytes);
  }

  /**
   * Writes text or bytes in pieces of `size` bytes (text is UTF-8 encoded first, so a piece
   * may end inside a character), `pauseMs` apart, waiting for the socket to drain: a 40 MiB
   * stanza without 40 MiB in the server's buffers. Resolves with the number of bytes written,
   * less than the whole when the connection closed first; never rejects.
   */
  sendInPieces(data: string | Uint8Array, size: number, pauseMs = 0): Promise<number> {
    return this.#conn.writeInPieces(data, size, pauseMs);
  }

  /**
   * Answers like reply(), but written with sendInPieces: a large result arriving
   * slowly (a roster of thousands, `size` bytes every `pauseMs`). Resolves when all is written.
   */
  replyInPieces(
    request: Element,
    innerXml: string,
    size: number,
    pauseMs: number,
    attrs: Record<string, string | undefined> = {},
  ): Promise<number> {
    return this.sendInPieces(
      iqXml({ ...replyAttrs(request, this.fullJid), type: 'result', ...attrs }, innerXml),
      size,
      pauseMs,
    );
  }

  /** Writes each piece on its own, `pauseMs` apart (split points of the test's choosing); like sendInPieces. */
  sendPieces(pieces: readonly (string | Uint8Array)[], pauseMs: number): Promise<number> {
    return this.#conn.writePieces(pieces, pauseMs);
  }

  /** Ends the socket (TCP FIN, after TLS close_notify) without `</stream:stream>`. */
  endSocket(): void {
    this.#conn.endSocket();
  }

  /** Writes a stanza (XML text or an element) to the stream. */
  send(stanza: string | Element): void {
    this.#conn.writeFromTest(typeof stanza === 'string' ? stanza : stanza.toString());
  }

  /**
   * Answers an iq from the client with `<iq type='result'>` and the same id, addressed to the
   * client's full JID, from the request's `to` if it had one. attrs override or add attributes;
   * an undefined value removes one (e.g. `{ from: 'juliet@localhost' }`, `{ to: undefined }`).
   */
  reply(request: Element, innerXml = '', attrs: Record<string, string | undefined> = {}): void {
    this.send(iqXml({ ...replyAttrs(request, this.fullJid), type: 'result', ...attrs }, innerXml));
  }

  /**
   * Answers an iq from the client with a stanza error (RFC 6120 8.3). The error type defaults to
   * the one RFC 6120 gives the condition (e.g. bad-request: modify, forbidden: auth).
   */
  replyError(
    request: Element,
    condition: string,
    type = DEFAULT_ERROR_TYPE[condition] ?? 'cancel',
    attrs: Record<string, string | undefined> = {},
  ): void {
    const error = `<error type='${escapeXML(type)}'><${condition} xmlns='${NS_STANZAS}'/></error>`;
    this.send(iqXml({ ...replyAttrs(request, this.fullJid), type: 'error', ...attrs }, error));
  }

  /** Closes the stream cleanly from the server's side: `</stream:stream>`, then the socket. */
  closeStream(): void {
    this.#conn.closeStream();
  }

  /** Sends a stream error (RFC 6120 4.9.3, e.g. 'conflict', 'system-shutdown') and closes. */
  streamError(condition: string): void {
    this.#conn.streamError(condition);
  }

  /** Resolves when the client closes its stream or the socket is gone; rejects after timeoutMs. */
  closed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.#conn.closed(timeoutMs);
  }

  get isClosed(): boolean {
    return this.#conn.isClosed;
  }

  /** Drops the connection abruptly (no stream close, no TLS close_notify). */
  destroy(): void {
    this.#conn.destroy();
  }

  /**
   * Simulates a half-open connection: the server stops reading and writing (no more automatic
   * answers, sends throw) but the TCP socket stays open until the client gives up or stop().
   */
  halfOpen(): void {
    this.#conn.halfOpen();
  }

  /** @internal every stanza is recorded; those the server answered itself are not offered to expect(). */
  deliver(stanza: Element, answeredByServer: boolean): void {
    this.stanzas.push(stanza);
    if (!answeredByServer) this.#inbox.push(stanza);
  }

  /** @internal */
  endOfStream(reason: string): void {
    this.#inbox.close(reason);
  }

  #expect(pred: (el: Element) => boolean, what: string, timeoutMs: number): Promise<Element> {
    return this.#inbox.take(pred, timeoutMs, (why) => {
      const unclaimed = new Set(this.#inbox.pending);
      const listing =
        this.stanzas.length === 0
          ? '  (none)'
          : this.stanzas
              .map((s, i) => `  ${i + 1}.${unclaimed.has(s) ? ' [unclaimed]' : ''} ${truncate(s.toString(), 600)}`)
              .join('\n');
      return (
        `ScriptedSession ${this.fullJid}: expected ${what}, but ${why}.\n` +
        `Stanzas received from the client (${this.stanzas.length}):\n${listing}`
      );
    });
  }
}

const DEFAULT_ERROR_TYPE: Record<string, string> = {
  'bad-request': 'modify',
  conflict: 'cancel',
  'feature-not-implemented': 'cancel',
  forbidden: 'auth',
  'internal-server-error': 'cancel',
  'item-not-found': 'cancel',
  'jid-malformed': 'modify',
  'not-acceptable': 'modify',
  'not-allowed': 'cancel',
  'not-authorized': 'auth',
  'policy-violation': 'modify',
  'recipient-unavailable': 'wait',
  'remote-server-not-found': 'cancel',
  'resource-constraint': 'wait',
  'service-unavailable': 'cancel',
  'undefined-condition': 'cancel',
  'unexpected-request': 'wait',
};

interface ConnectionEvents {
  bound(session: ScriptedSession): void;
  closed(connection: ServerConnection): void;
}

type ScramState =
  | { step: 'plain-awaiting-response' }
  | {
      step: 'scram-awaiting-final';
      username: string;
      password: string;
      nonce: string;
      hash: 'sha1' | 'sha256' | 'sha512';
      salt: Buffer;
      gs2Header: string;
      clientFirstBare: string;
      serverFirst: string;
      bindingData: Buffer;
      bindingType: string | undefined;
    };

/** The server's side of one TCP connection: stream negotiation, then a ScriptedSession. */
class ServerConnection implements ConnectionLog {
  received = '';
  sent = '';
  secure = false;
  authenticatedAs: string | undefined;
  mechanism: string | undefined;
  gs2Header: string | undefined;
  channelBinding: string | undefined;
  errors: string[] = [];
  isClosed = false;
  sni: string | null | undefined;
  alpn: string | false | undefined;

  readonly #options: ResolvedOptions;
  readonly #secureContext: tls.SecureContext;
  readonly #events: ConnectionEvents;
  readonly #raw: net.Socket;
  #socket: net.Socket | tls.TLSSocket;
  #decoder = new StringDecoder('utf8');
  /** Writes wait here while pieces are being written (sendInPieces, headerPieces). */
  #writeQueue: Promise<void> = Promise.resolve();
  #queued = 0;
  #answeredRaw = false;
  #parser!: Parser;
  #sasl: ScramState | undefined;
  #session: ScriptedSession | undefined;
  #halfOpen = false;
  #streamHeaders = 0;
  #closedWaiters: (() => void)[] = [];

  constructor(
    socket: net.Socket,
    options: ResolvedOptions,
    secureContext: tls.SecureContext,
    events: ConnectionEvents,
  ) {
    this.#options = options;
    this.#secureContext = secureContext;
    this.#events = events;
    this.#raw = socket;
    this.#socket = socket;
    if (options.directTls) {
      this.#secure(socket);
      return;
    }
    this.#listen(socket);
    this.#expectStreamHeader();
  }

  closed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#closedWaiters = this.#closedWaiters.filter((w) => w !== done);
        reject(
          new Error(
            `ScriptedServer: the client did not close the connection within ${timeoutMs} ms.\n` +
              `Received so far: ${truncate(this.received, 1500)}`,
          ),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#closedWaiters.push(done);
    });
  }

  writeFromTest(text: string | Uint8Array): void {
    if (this.#halfOpen) throw new Error('ScriptedSession: cannot send on a half-open connection.');
    if (this.isClosed || !this.#socket.writable) {
      throw new Error(`ScriptedSession: cannot send, the connection is closed: ${truncate(logText(text), 200)}`);
    }
    this.#write(text);
  }

  closeStream(): void {
    this.#write('</stream:stream>');
    this.#socket.end();
  }

  streamError(condition: string): void {
    this.#write(`<stream:error><${condition} xmlns='${NS_STREAM_ERRORS}'/></stream:error></stream:stream>`);
    this.#socket.end();
  }

  endSocket(): void {
    this.#socket.end();
  }

  /** See ScriptedSession.sendInPieces; runs after any write already waiting. */
  writeInPieces(data: string | Uint8Array, size: number, pauseMs: number): Promise<number> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
    return this.writePieces(pieces, pauseMs);
  }

  /** See ScriptedSession.sendPieces; runs after any write already waiting. */
  writePieces(pieces: readonly (string | Uint8Array)[], pauseMs: number): Promise<number> {
    return this.#enqueue(async () => {
      let written = 0;
      for (const [i, piece] of pieces.entries()) {
        if (!this.#canWrite()) break;
        const flushed = this.#writeNow(piece);
        written += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
        if (!flushed) await this.#drained();
        if (pauseMs > 0 && i < pieces.length - 1) await delay(pauseMs);
      }
      return written;
    });
  }

  destroy(): void {
    this.#socket.destroy();
    this.#raw.destroy();
    this.#markClosed('the server dropped the connection');
  }

  halfOpen(): void {
    this.#halfOpen = true;
    this.#socket.pause();
    this.#raw.pause();
  }

  // --- transport -----------------------------------------------------------

  #listen(socket: net.Socket | tls.TLSSocket): void {
    socket.on('data', this.#onData);
    socket.on('error', (err: Error) => this.errors.push(err.message));
    socket.on('close', () => this.#markClosed('the client closed the connection'));
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#halfOpen) return;
    const text = this.#decoder.write(chunk);
    this.received += text;
    const rawAnswer = this.#options.rawAnswer;
    if (rawAnswer) {
      if (this.#answeredRaw) return;
      this.#answeredRaw = true;
      this.#write(rawAnswer.data);
      if (rawAnswer.close ?? true) this.#socket.end();
      return;
    }
    // @xmpp/xml's Parser throws on some malformed input (an end tag with no
    // open element, an undefined entity); a throw here would escape a socket
    // callback, so it is handled like the parser's own 'error' event.
    try {
      this.#parser.write(text);
    } catch (error) {
      this.#parser.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
  };

  #write(text: string | Uint8Array): void {
    const { headerPieces } = this.#options;
    // The server's stream header is the one write that starts with the XML declaration.
    if (headerPieces && typeof text === 'string' && text.startsWith('<?xml')) {
      const bytes = Buffer.from(text);
      const at =
        'size' in headerPieces
          ? Array.from(
              { length: Math.ceil(bytes.length / headerPieces.size) - 1 },
              (_, i) => (i + 1) * headerPieces.size,
            )
          : headerPieces.at;
      void this.writePieces(cutAt(bytes, at), headerPieces.pauseMs);
    } else if (this.#queued > 0) {
      // While pieces are being written, everything else waits its turn, in order.
      void this.#enqueue(() => this.#writeNow(text));
    } else {
      this.#writeNow(text);
    }
  }

  #canWrite(): boolean {
    return !this.#halfOpen && !this.#socket.destroyed && this.#socket.writable;
  }

  /** Returns false when the socket's buffer is full (wait for 'drain'). */
  #writeNow(data: string | Uint8Array): boolean {
    if (!this.#canWrite()) return true;
    this.sent += logText(data);
    return this.#socket.write(data);
  }

  #enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    this.#queued += 1;
    const run = this.#writeQueue.then(task).finally(() => {
      this.#queued -= 1;
    });
    this.#writeQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #drained(): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve) => {
      const done = (): void => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  #markClosed(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.#session?.endOfStream(reason);
    for (const waiter of this.#closedWaiters.splice(0)) waiter();
    this.#events.closed(this);
  }

  #upgradeToTls(): void {
    this.#write(`<proceed xmlns='${NS_TLS}'/>`);
    this.#raw.off('data', this.#onData);
    this.#secure(this.#raw);
  }

  /** TLS on the raw socket (after `<proceed/>`, or from the first byte for Direct TLS). */
  #secure(raw: net.Socket): void {
    const secureSocket = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: this.#secureContext,
      ALPNProtocols: ['xmpp-client'],
    });
    secureSocket.once('secure', () => {
      const servername = (secureSocket as unknown as { servername?: string | false }).servername;
      this.sni = typeof servername === 'string' && servername !== '' ? servername : null; // false: the client sent no SNI
      this.alpn = secureSocket.alpnProtocol ?? false;
    });
    this.#socket = secureSocket;
    this.#decoder = new StringDecoder('utf8');
    this.secure = true;
    this.#listen(secureSocket);
    this.#expectStreamHeader();
  }

  // --- stream --------------------------------------------------------------

  /** A fresh parser for a new stream: at the start, after STARTTLS, after SASL success. */
  #expectStreamHeader(): void {
    const parser = new Parser();
    this.#parser = parser;
    const current = (): boolean => parser === this.#parser && !this.isClosed;
    parser.on('start', (header: Element) => {
      if (current()) this.#onStreamHeader(header);
    });
    parser.on('element', (el: Element) => {
      if (current()) this.#onElement(el);
    });
    parser.on('end', () => {
      if (current()) this.#onStreamEnd();
    });
    parser.on('error', (err: Error) => {
      if (!current()) return;
      this.errors.push(`XML from the client: ${err.message}`);
      this.streamError('not-well-formed');
    });
  }

  #onStreamHeader(header: Element): void {
    const { domain, onFirstStreamHeader } = this.#options;
    const first = this.#streamHeaders++ === 0;
    if (first && onFirstStreamHeader === 'reset') {
      this.#raw.resetAndDestroy();
      this.#markClosed('the server reset the connection');
      return;
    }
    if (first) this.#write(this.#options.beforeStreamHeader);
    this.#write(
      `<?xml version='1.0'?><stream:stream xmlns='${NS_CLIENT}' xmlns:stream='${NS_STREAM}' ` +
        `id='${randomBytes(8).toString('hex')}' from='${escapeXML(domain)}' version='1.0' xml:lang='en'>`,
    );
    if (header.name !== 'stream:stream' || header.attrs['xmlns:stream'] !== NS_STREAM) {
      this.streamError('invalid-namespace');
    } else if (header.attrs.to !== domain) {
      this.streamError('host-unknown');
    } else if (first && typeof onFirstStreamHeader === 'object') {
      this.#write(
        `<stream:error><see-other-host xmlns='${NS_STREAM_ERRORS}'>` +
          `${escapeXML(onFirstStreamHeader.seeOtherHost)}</see-other-host></stream:error></stream:stream>`,
      );
      this.#socket.end();
    } else {
      this.#write(`<stream:features>${this.#features()}</stream:features>`);
    }
  }

  #features(): string {
    const { tls: tlsMode, mechanisms, extraFeatures } = this.#options;
    const postAuth = (): string =>
      this.#options.postAuthFeatures ??
      `<bind xmlns='${NS_BIND}'/><session xmlns='${NS_SESSION}'><optional/></session>` + extraFeatures.join('');
    if (this.authenticatedAs !== undefined) return postAuth();
    let features = '';
    if (!this.secure && tlsMode !== 'none') {
      features += `<starttls xmlns='${NS_TLS}'>${tlsMode === 'required' ? '<required/>' : ''}</starttls>`;
    }
    if ((this.secure || tlsMode !== 'required') && this.#options.skipAuthentication) {
      features += postAuth();
    } else if (this.secure || tlsMode !== 'required') {
      features +=
        `<mechanisms xmlns='${NS_SASL}'>` +
        mechanisms.map((m) => `<mechanism>${escapeXML(m)}</mechanism>`).join('') +
        '</mechanisms>';
      const types = this.#options.channelBindingTypes;
      if (types) {
        features +=
          `<sasl-channel-binding xmlns='${NS_SASL_CB}'>` +
          types.map((t) => `<channel-binding type='${escapeXML(t)}'/>`).join('') +
          '</sasl-channel-binding>';
      }
    }
    return features;
  }

  #onStreamEnd(): void {
    if (this.#options.keepStreaming) return; // a hostile server ignores the client's close
    this.#write('</stream:stream>');
    this.#socket.end();
    this.#markClosed('the client closed its stream');
  }

  #onElement(el: Element): void {
    if (this.#session) {
      this.#onSessionStanza(this.#session, el);
    } else if (this.authenticatedAs !== undefined || (this.#options.skipAuthentication && el.is('iq'))) {
      this.#onBindingStanza(el);
    } else {
      this.#onNegotiationElement(el);
    }
  }

  #onNegotiationElement(el: Element): void {
    const ns = el.attrs.xmlns as string | undefined;
    if (el.name === 'starttls' && ns === NS_TLS) {
      if (this.secure || this.#options.tls === 'none') {
        this.#write(`<failure xmlns='${NS_TLS}'/></stream:stream>`);
        this.#socket.end();
      } else {
        this.#upgradeToTls();
      }
    } else if (ns === NS_SASL && el.name === 'auth') {
      this.#onAuth(el);
    } else if (ns === NS_SASL && el.name === 'response') {
      this.#onSaslResponse(el);
    } else if (ns === NS_SASL && el.name === 'abort') {
      this.#sasl = undefined;
      this.#saslFailure('aborted');
    } else {
      this.streamError('not-authorized');
    }
  }

  #onBindingStanza(el: Element): void {
    if (isIq(el, 'set', NS_SESSION)) {
      this.#write(iqXml(replyAttrs(el, undefined, 'result'), ''));
    } else if (isIq(el, 'set', NS_BIND)) {
      const requested = el.getChild('bind', NS_BIND)?.getChildText('resource');
      const resource = requested?.length ? requested : `scripted-${randomBytes(4).toString('hex')}`; // none or empty: the server picks one
      const fullJid = `${this.authenticatedAs ?? Object.keys(this.#options.users)[0] ?? 'juliet'}@${this.#options.domain}/${resource}`;
      const { bindReply } = this.#options;
      this.#write(
        bindReply
          ? bindReply(el, fullJid)
          : iqXml(
              replyAttrs(el, undefined, 'result'),
              `<bind xmlns='${NS_BIND}'><jid>${escapeXML(fullJid)}</jid></bind>`,
            ),
      );
      this.#session = new ScriptedSession(this, fullJid);
      this.#events.bound(this.#session);
    } else {
      this.streamError('not-authorized');
    }
  }

  #onSessionStanza(session: ScriptedSession, el: Element): void {
    const automatic = isIq(el, 'set', NS_SESSION) || (this.#options.answerPings && isIq(el, 'get', NS_PING));
    if (automatic) this.#write(iqXml(replyAttrs(el, session.fullJid, 'result'), ''));
    session.deliver(el, automatic);
  }

  // --- SASL ----------------------------------------------------------------

  #onAuth(el: Element): void {
    const mechanism = el.attrs.mechanism as string | undefined;
    this.mechanism ??= mechanism;
    if (!this.secure && this.#options.tls === 'required') {
      this.#saslFailure('encryption-required');
    } else if (mechanism === undefined || !this.#options.mechanisms.includes(mechanism)) {
      this.#saslFailure('invalid-mechanism');
    } else if (mechanism === 'PLAIN') {
      const initial = el.text().trim();
      if (initial === '' || initial === '=') {
        this.#sasl = { step: 'plain-awaiting-response' };
        this.#write(`<challenge xmlns='${NS_SASL}'/>`);
      } else {
        this.#plain(initial);
      }
    } else if (SCRAM_HASHES[mechanism.replace(/-PLUS$/, '')]) {
      this.#scramClientFirst(mechanism, fromBase64(el.text()));
    } else {
      this.#saslFailure('invalid-mechanism');
    }
  }

  #onSaslResponse(el: Element): void {
    const state = this.#sasl;
    this.#sasl = undefined;
    if (state?.step === 'plain-awaiting-response') {
      this.#plain(el.text().trim());
    } else if (state?.step === 'scram-awaiting-final') {
      this.#scramClientFinal(state, fromBase64(el.text()));
    } else {
      this.#saslFailure('malformed-request');
    }
  }

  #plain(base64: string): void {
    const [authzid = '', username = '', password] = fromBase64(base64).split('\0');
    const authzidOk = authzid === '' || authzid === `${username}@${this.#options.domain}`;
    if (!authzidOk) {
      this.#saslFailure('invalid-authzid');
    } else if (password === undefined || this.#options.users[username] !== password) {
      this.#saslFailure('not-authorized');
    } else {
      this.#saslSuccess(username, '');
    }
  }

  // RFC 5802 section 3, 5 and 6 (channel binding).
  #scramClientFirst(mechanism: string, message: string): void {
    const match = /^(n|y|p=([A-Za-z0-9.-]+)),(a=[^,]*)?,(n=([^,]*),r=([^,]+)(?:,.*)?)$/.exec(message);
    const username = match ? decodeSaslName(match[5] ?? '') : '';
    const password = this.#options.users[username];
    const plus = mechanism.endsWith('-PLUS');
    const offersPlus = this.#options.mechanisms.some((m) => m.endsWith('-PLUS'));
    const bindingType = match?.[2];
    const bindingData = bindingType === undefined ? Buffer.alloc(0) : this.#bindingData(bindingType);
    this.gs2Header = match ? `${match[1]},${match[3] ?? ''},` : undefined;
    if (!match) {
      this.#saslFailure('malformed-request');
    } else if (plus !== (bindingType !== undefined) || (bindingType !== undefined && bindingData === null)) {
      // -PLUS needs p= with a type we can check; p= needs -PLUS (RFC 5802 6).
      this.#saslFailure('malformed-request');
    } else if (match[1] === 'y' && offersPlus) {
      // The client could bind but saw no -PLUS: someone removed them (RFC 5802 6).
      this.#saslFailure('not-authorized');
    } else if (password === undefined) {
      this.#saslFailure('not-authorized');
    } else {
      const nonce = (match[6] ?? '') + randomBytes(18).toString('base64');
      const salt = randomBytes(16);
      const serverFirst = this.#options.scramServerFirst(
        `r=${nonce},s=${salt.toString('base64')},i=${SCRAM_ITERATIONS}`,
      );
      this.#sasl = {
        step: 'scram-awaiting-final',
        username,
        password,
        nonce,
        salt,
        hash: SCRAM_HASHES[mechanism.replace(/-PLUS$/, '')]!,
        gs2Header: this.gs2Header!,
        clientFirstBare: match[4] ?? '',
        serverFirst,
        bindingData: bindingData!,
        bindingType,
      };
      this.#write(`<challenge xmlns='${NS_SASL}'>${toBase64(serverFirst)}</challenge>`);
    }
  }

  #scramClientFinal(state: Extract<ScramState, { step: 'scram-awaiting-final' }>, message: string): void {
    const proofAt = message.lastIndexOf(',p=');
    const withoutProof = proofAt < 0 ? message : message.slice(0, proofAt);
    const attrs = new Map(withoutProof.split(',').map((kv) => [kv.slice(0, 1), kv.slice(2)]));
    const cbind = Buffer.concat([Buffer.from(state.gs2Header, 'utf8'), state.bindingData]).toString('base64');
    if (proofAt < 0 || attrs.get('c') !== cbind || attrs.get('r') !== state.nonce) {
      this.#saslFailure('not-authorized');
      return;
    }
    const { hash } = state;
    const hmac = (key: Buffer, data: string): Buffer => createHmac(hash, key).update(data).digest();
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
    const saltedPassword = pbkdf2Sync(
      state.password,
      state.salt,
      SCRAM_ITERATIONS,
      createHash(hash).digest().length,
      hash,
    );
    const clientKey = hmac(saltedPassword, 'Client Key');
    const storedKey = createHash(hash).update(clientKey).digest();
    const clientSignature = hmac(storedKey, authMessage);
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const claimedClientKey = Buffer.from(proof.map((b, i) => b ^ (clientSignature[i] ?? 0)));
    const claimedStoredKey = createHash(hash).update(claimedClientKey).digest();
    if (proof.length !== clientKey.length || !timingSafeEqual(claimedStoredKey, storedKey)) {
      this.#saslFailure('not-authorized');
      return;
    }
    const serverSignature =
      this.#options.scramServerSignature === 'valid'
        ? hmac(hmac(saltedPassword, 'Server Key'), authMessage)
        : randomBytes(clientKey.length);
    this.channelBinding = state.bindingType;
    this.#saslSuccess(state.username, toBase64(`v=${serverSignature.toString('base64')}`));
  }

  /**
   * The server's side of a channel binding (RFC 9266, RFC 5929), or null for a type it does not
   * accept: not listed in channelBindingTypes, unknown, or not computable on this connection.
   */
  #bindingData(type: string): Buffer | null {
    const socket = this.#socket;
    const listed = this.#options.channelBindingTypes;
    if (!(socket instanceof tls.TLSSocket) || (listed && !listed.includes(type))) return null;
    if (type === 'tls-exporter') {
      return socket.getProtocol() === 'TLSv1.3'
        ? (socket.exportKeyingMaterial as (length: number, label: string) => Buffer)(32, 'EXPORTER-Channel-Binding')
        : null;
    }
    // The first Finished of a full handshake is the client's: the one the server received.
    if (type === 'tls-unique') return socket.getPeerFinished() ?? null;
    if (type === 'tls-server-end-point') {
      const der = socket.getCertificate() as tls.PeerCertificate | null;
      return der?.raw ? createHash('sha256').update(der.raw).digest() : null; // the test CA signs with SHA-256
    }
    return null;
  }

  #saslSuccess(username: string, additionalData: string): void {
    this.authenticatedAs = username;
    this.#write(`<success xmlns='${NS_SASL}'>${additionalData}</success>`);
    this.#expectStreamHeader();
  }

  #saslFailure(condition: string): void {
    const text = this.#options.saslFailureText;
    this.#write(
      `<failure xmlns='${NS_SASL}'><${condition}/>${text === undefined ? '' : `<text xml:lang='en'>${text}</text>`}</failure>`,
    );
  }
}

/** Items waiting to be claimed by predicate, with bounded waits; closing fails the waits. */
class Mailbox<T> {
  #items: T[] = [];
  #waiters: {
    pred: (item: T) => boolean;
    describe: (why: string) => string;
    resolve(item: T): void;
    reject(err: Error): void;
  }[] = [];
  #closedBecause: string | undefined;

  get pending(): readonly T[] {
    return this.#items;
  }

  push(item: T): void {
    for (const waiter of this.#waiters) {
      let matches: boolean;
      try {
        matches = waiter.pred(item);
      } catch (err) {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        waiter.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (matches) {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        waiter.resolve(item);
        return;
      }
    }
    this.#items.push(item);
  }

  take(pred: (item: T) => boolean, timeoutMs: number, describe: (why: string) => string): Promise<T> {
    const index = this.#items.findIndex(pred);
    if (index >= 0) return Promise.resolve(this.#items.splice(index, 1)[0] as T);
    if (this.#closedBecause !== undefined) return Promise.reject(new Error(describe(this.#closedBecause)));
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        pred,
        describe,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(describe(`nothing matched within ${timeoutMs} ms`)));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  close(reason: string): void {
    if (this.#closedBecause !== undefined) return;
    this.#closedBecause = reason;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error(waiter.describe(reason)));
  }
}

function resolveOptions(options: ScriptedServerOptions): ResolvedOptions {
  return {
    domain: options.domain ?? 'localhost',
    headerPieces: options.headerPieces,
    rawAnswer: options.rawAnswer,
    tls: options.tls ?? 'required',
    mechanisms: options.mechanisms ?? ['PLAIN'],
    users: options.users ?? { juliet: 'secret' },
    extraFeatures: options.extraFeatures ?? [],
    scramServerSignature: options.scramServerSignature ?? 'valid',
    channelBindingTypes: options.channelBindingTypes,
    tlsMaxVersion: options.tlsMaxVersion,
    answerPings: options.answerPings ?? true,
    saslFailureText: options.saslFailureText,
    skipAuthentication: options.skipAuthentication ?? false,
    beforeStreamHeader: options.beforeStreamHeader ?? '',
    postAuthFeatures: options.postAuthFeatures,
    bindReply: options.bindReply,
    scramServerFirst: options.scramServerFirst ?? ((serverFirst) => serverFirst),
    onFirstStreamHeader: options.onFirstStreamHeader,
    keepStreaming: options.keepStreaming ?? false,
    directTls: options.directTls ?? false,
  };
}

function isIq(el: Element, type: string, payloadNs: string): boolean {
  return el.is('iq') && el.attrs.type === type && el.getChildElements().some((c) => c.getNS() === payloadNs);
}

/** Reply addressing: same id, back to the sender, from whom the request was addressed to. */
function replyAttrs(
  request: Element,
  clientJid: string | undefined,
  type?: string,
): Record<string, string | undefined> {
  return {
    type,
    id: request.attrs.id as string | undefined,
    to: (request.attrs.from as string | undefined) ?? clientJid,
    from: request.attrs.to as string | undefined,
  };
}

function iqXml(attrs: Record<string, string | undefined>, inner: string): string {
  const rendered = Object.entries(attrs)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}='${escapeXML(value)}'`)
    .join('');
  return inner === '' ? `<iq${rendered}/>` : `<iq${rendered}>${inner}</iq>`;
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function fromBase64(text: string): string {
  return Buffer.from(text.trim(), 'base64').toString('utf8');
}

function decodeSaslName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** The bytes cut at these offsets, in order. */
function cutAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const ends = [...offsets, bytes.length];
  return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
}

/** Bytes written to the log as UTF-8 text (invalid sequences shown as U+FFFD). */
function logText(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
