/**
 * Builds one xmpp.js client from its parts, the way @xmpp/client's own
 * index.js does, but with only what Balcony uses and with our guards in the
 * places the stock parts leave open: a guarded stream parser, STARTTLS with a
 * chosen CA and no cleartext fallback, SASL that verifies the server. No
 * websocket, anonymous or FAST auth, and no @xmpp/reconnect (its fixed
 * one-second retry is replaced by the session's backoff). Stream management
 * (XEP-0198) is kept: the session carries its state to the next connection.
 */
import { StringDecoder } from 'node:string_decoder';
import { Client, jid } from '@xmpp/client-core';
import iqCallee from '@xmpp/iq/callee.js';
import iqCaller from '@xmpp/iq/caller.js';
import middlewareFactory from '@xmpp/middleware';
import resourceBinding from '@xmpp/resource-binding';
import streamFeaturesFactory from '@xmpp/stream-features';
import streamManagementFactory from '@xmpp/stream-management';
import tcp from '@xmpp/tcp';
import type { Element } from '@xmpp/xml';
import { guardedParserClass } from './guarded-parser.js';
import { guardIqCaller } from './iq-caller-guard.js';
import { useSasl, type SaslOptions } from './sasl.js';
import { useStarttls, type TransportPolicy } from './starttls.js';
import type { StreamFeatures, XmppEntity } from './xmpp-entity.js';

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
  id: string;
  inbound: number;
  outbound: number;
  outbound_q: unknown[];
  on(event: 'resumed', listener: () => void): void;
}

export interface XmppClient {
  entity: XmppEntity;
  /** XEP-0198: resumes a dropped session instead of binding anew, where the server allows it. */
  sm: StreamManagementState;
  iqCaller: ReturnType<typeof iqCaller>;
  iqCallee: ReturnType<typeof iqCallee>;
  /** The last <stream:features/> received: after sign-in, the post-auth ones. */
  features(): Element | null;
}

export function createXmppClient(options: ClientOptions): XmppClient {
  const Parser = guardedParserClass({ maxStanzaSize: options.maxStanzaSize });

  class GuardedClient extends Client {
    // The stock connection decodes each chunk on its own, splitting multibyte
    // characters at chunk edges; a StringDecoder keeps them whole.
    #decoder = new StringDecoder('utf8');

    override connect(service: string): Promise<void> {
      this.#decoder = new StringDecoder('utf8');
      const connected = super.connect(service);
      (this as unknown as { Parser: unknown }).Parser = Parser;
      return connected;
    }

    _onData(data: Buffer): void {
      (this as unknown as { parser: { write(s: string): void } | null }).parser?.write(this.#decoder.write(data));
    }
  }

  const entity = new GuardedClient({ service: options.service, domain: options.domain, timeout: options.timeout } as never) as unknown as XmppEntity;
  entity.jid = jid(options.username, options.domain);
  tcp({ entity });

  const middleware = middlewareFactory({ entity } as never);
  let lastFeatures: Element | null = null;
  middleware.use((ctx, next) => {
    if (ctx.stanza.is('features', NS_STREAM)) lastFeatures = ctx.stanza;
    return next();
  });
  const streamFeatures = streamFeaturesFactory({ middleware } as never);
  const caller = iqCaller({ middleware, entity } as never);
  const callee = iqCallee({ middleware, entity } as never);
  guardIqCaller(caller);

  // Order matters: features are negotiated in registration order.
  useStarttls(streamFeatures as unknown as StreamFeatures, options.transport);
  useSasl(streamFeatures as unknown as StreamFeatures, { username: options.username, password: options.password }, options.transport.allowPlaintext, options.sasl);
  const sm = streamManagementFactory({ streamFeatures, entity, middleware } as never) as unknown as StreamManagementState;
  resourceBinding({ iqCaller: caller, streamFeatures } as never, options.resource);

  callee.get('urn:xmpp:ping', 'ping', () => ({}) as never);

  return { entity, sm, iqCaller: caller, iqCallee: callee, features: () => lastFeatures };
}
