/**
 * Builds one xmpp.js client from its parts, the way @xmpp/client's own
 * index.js does, but with only what Balcony uses and with our guards in the
 * places the stock parts leave open: a guarded stream parser, STARTTLS with a
 * chosen CA and no cleartext fallback, SASL that verifies the server. No
 * websocket, anonymous or FAST auth, and no @xmpp/reconnect (its fixed
 * one-second retry is replaced by the session's backoff). Stream management
 * (XEP-0198) is kept: the session carries its state to the next connection.
 */
import { Client, jid } from '@xmpp/client-core';
import iqCallee from '@xmpp/iq/callee.js';
import iqCaller from '@xmpp/iq/caller.js';
import middlewareFactory from '@xmpp/middleware';
import resourceBinding from '@xmpp/resource-binding';
import streamFeaturesFactory from '@xmpp/stream-features';
import streamManagementFactory from '@xmpp/stream-management';
import tcp from '@xmpp/tcp';
import type { Element } from '@xmpp/xml';
import {
  guardedParserClass,
  StreamGuardError,
  type DispatchStats,
  type GuardedParser,
  type PendingStanza,
} from './guarded-parser.js';
import { guardIqCaller } from './iq-caller-guard.js';
import { useSasl, type SaslOptions } from './sasl.js';
import { useStarttls, type TransportPolicy } from './starttls.js';
import { adoptOfferedSockets, rawSocket, type SocketOffer } from './stream-socket.js';
import type { XmppEntity } from './xmpp-entity.js';

const NS_STREAM = 'http://etherx.jabber.org/streams';

export interface ClientOptions {
  /** xmpp://host:port */
  service: string;
  domain: string;
  username: string;
  password: string;
  resource: string;
  transport: TransportPolicy;
  maxStanzaSize: number;
  /** Timeout for stream open/close steps, in ms. */
  timeout: number;
  /** Downgrade memory, the user's consent to a downgrade, and where the SASL outcome is recorded. */
  sasl?: SaslOptions;
}

/** The parts of @xmpp/stream-management's state that a resumption carries to the next connection. */
export interface StreamManagementState {
  enabled: boolean;
  /** <enable/> was sent, no answer yet: stanzas are already counted. */
  enableSent?: boolean;
  id: string;
  inbound: number;
  outbound: number;
  outbound_q: unknown[];
  on(event: 'resumed', listener: () => void): void;
  /** 'ack': the server acknowledged this stanza (<a/>, or <resumed h/>); 'fail': the queue was dropped with it unacked. */
  on(event: 'ack' | 'fail', listener: (stanza: Element) => void): void;
}

export interface XmppClient {
  entity: XmppEntity;
  /** XEP-0198: resumes a dropped session instead of binding anew, where the server allows it. */
  sm: StreamManagementState;
  iqCaller: ReturnType<typeof iqCaller>;
  iqCallee: ReturnType<typeof iqCallee>;
  /** The last <stream:features/> received: after sign-in, the post-auth ones. */
  features(): Element | null;
  /** Hands the next stream connection a socket the session opened (SRV, Direct TLS): see stream-socket.ts. */
  transport: SocketOffer;
  /** Called after each chunk read with the stanza still arriving (null: no one listens). */
  watchIncoming(listener: ((pending: PendingStanza) => void) | null): void;
  /** Answers iq sets of `ns`/`name` with what `handler` returns (an element, true for an empty result; a throw is an error reply). */
  onIqSet(ns: string, name: string, handler: (stanza: Element, payload: Element) => unknown): void;
  /** The iqs sent and still waiting for their reply, by id (xmpp.js's own table, so the session can fail them at once). */
  pendingRequests(): Map<string, { reject(error: unknown): void }>;
  /** The current stream's dispatch queue (stanza-dispatch.ts): backlog, pauses; null before a stream. */
  dispatchStats(): DispatchStats | null;
}

/**
 * What GuardedClient overrides and reads of @xmpp/connection (0.14) that its
 * types leave out: the stream's parser class and instance, and the two
 * underscored methods it extends. The one cast to them is here.
 */
interface ConnectionInternals {
  Parser: unknown;
  parser: GuardedParser | null;
  _attachParser(parser: unknown): void;
  _status(status: string, ...args: unknown[]): void;
}
const connectionPrototype = Client.prototype as unknown as ConnectionInternals;
const internals = (client: Client): ConnectionInternals => client as unknown as ConnectionInternals;

export function createXmppClient(options: ClientOptions): XmppClient {
  const Parser = guardedParserClass({ maxStanzaSize: options.maxStanzaSize });

  class GuardedClient extends Client {
    // The stock connection decodes each chunk on its own, splitting multibyte
    // characters at chunk edges and turning invalid UTF-8 into U+FFFD. A
    // streaming decoder keeps characters whole across chunks, and a fatal one
    // refuses what is not UTF-8 (RFC 6120 11.6) instead of repairing it.
    // One per stream: a new parser (a restart) starts a new decoder.
    #decoder = new TextDecoder('utf-8', { fatal: true });
    /** Set only while someone shows progress: otherwise a chunk costs one null check more. */
    incomingWatcher: ((pending: PendingStanza) => void) | null = null;
    /** The socket reading was paused on, while the parser's queue is long (stanza-dispatch.ts). */
    #paused: { resume(): void } | null = null;

    override connect(service: string): Promise<void> {
      const connected = super.connect(service);
      internals(this).Parser = Parser;
      return connected;
    }

    _attachParser(parser: unknown): void {
      this.#decoder = new TextDecoder('utf-8', { fatal: true });
      // A new stream starts with an empty queue: reading never stays paused for the old one.
      this.#resume();
      (parser as GuardedParser).setBackpressure((pause) => {
        if (pause) this.#pause();
        else this.#resume();
      });
      connectionPrototype._attachParser.call(this, parser);
    }

    #pause(): void {
      if (this.#paused) return;
      const socket = (this as unknown as XmppEntity).socket;
      if (!socket) return;
      const raw = rawSocket(socket);
      raw.pause();
      this.#paused = raw;
    }

    #resume(): void {
      const paused = this.#paused;
      this.#paused = null;
      paused?.resume();
    }

    dispatchStats(): DispatchStats | null {
      return this.#parser()?.dispatchStats() ?? null;
    }

    _onData(data: Buffer): void {
      const parser = this.#parser();
      // After a refusal the connection lets go of the parser: whatever else
      // the server sends (the rest of a flood) is dropped without decoding.
      if (!parser) return;
      let text: string;
      try {
        text = this.#decoder.decode(data, { stream: true });
      } catch {
        parser.abort(new StreamGuardError('bad-format', 'the server sent bytes that are not UTF-8'));
        return;
      }
      parser.write(text);
      const watcher = this.incomingWatcher;
      if (watcher !== null) watcher(parser.pendingStanza());
    }

    _status(status: string, ...args: unknown[]): void {
      // The socket is gone: a character cut off by the end of the stream is
      // refused (as an 'error') before the connection reports the disconnect.
      if (status === 'disconnect') this.#flushDecoder();
      connectionPrototype._status.call(this, status, ...args);
    }

    #flushDecoder(): void {
      const parser = this.#parser();
      if (!parser) return;
      try {
        this.#decoder.decode();
      } catch {
        parser.abort(new StreamGuardError('bad-format', 'the stream ended inside a UTF-8 character'));
      }
    }

    #parser(): GuardedParser | null {
      return internals(this).parser;
    }
  }

  const client = new GuardedClient({ service: options.service, domain: options.domain, timeout: options.timeout });
  // The stock types lack the underscored parts the guards use (xmpp-entity.ts).
  const entity = client as unknown as XmppEntity;
  entity.jid = jid(options.username, options.domain);
  tcp({ entity });
  const transport = adoptOfferedSockets(entity);

  const middleware = middlewareFactory({ entity });
  let lastFeatures: Element | null = null;
  middleware.use((ctx, next) => {
    if (ctx.stanza.is('features', NS_STREAM)) lastFeatures = ctx.stanza;
    return next();
  });
  const streamFeatures = streamFeaturesFactory({ middleware });
  const caller = iqCaller({ middleware, entity });
  const callee = iqCallee({ middleware, entity });
  guardIqCaller(caller);

  // Order matters: features are negotiated in registration order.
  useStarttls(streamFeatures, options.transport);
  useSasl(
    streamFeatures,
    { username: options.username, password: options.password },
    options.transport.allowPlaintext,
    options.sasl,
  );
  const sm = streamManagementFactory({ streamFeatures, entity, middleware }) as unknown as StreamManagementState;
  resourceBinding({ iqCaller: caller, streamFeatures }, options.resource);

  callee.get('urn:xmpp:ping', 'ping', () => ({}) as never);

  return {
    entity,
    sm,
    iqCaller: caller,
    iqCallee: callee,
    features: () => lastFeatures,
    transport,
    watchIncoming: (listener) => {
      client.incomingWatcher = listener;
    },
    // xmpp.js's callee sets ctx.element (the iq's payload), but its types omit it.
    onIqSet: (ns, name, handler) => {
      callee.set(ns, name, ((ctx: { stanza: Element; element: Element }) => handler(ctx.stanza, ctx.element)) as never);
    },
    pendingRequests: () => (caller as unknown as { handlers: Map<string, { reject(error: unknown): void }> }).handlers,
    dispatchStats: () => client.dispatchStats(),
  };
}
