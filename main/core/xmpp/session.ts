/**
 * The one XMPP session of an account: owns the xmpp.js client, the
 * connection state machine, the transport policy and reconnects with capped
 * exponential backoff. Knows nothing of rosters; the roster service plugs in
 * through `onIqSet` and the 'online' event. Free of Electron.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { jid as parseXmppJid, xml } from '@xmpp/client';
import { promise } from '@xmpp/events';
import type { Element } from '@xmpp/xml';
import type { ConnectionState } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import { asciiDomain, isLoopbackHost, parseJid } from '../jid.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { guardBoundJid } from './bound-jid.js';
import { connectionError, endsTheStream, stanzaError } from './connection-errors.js';
import { ConnectionRecorder } from './connection-recorder.js';
import { createXmppClient, type XmppClient } from './create-client.js';
import { DnsLookups, type DnsResolver } from './discovery/dns-lookups.js';
import type { Endpoint, EndpointMemory } from './discovery/endpoint.js';
import { DEFAULT_DIRECT_TLS_PORT, DEFAULT_STARTTLS_PORT } from './discovery/find-endpoints.js';
import { reachServer } from './discovery/reach-server.js';
import type { DispatchStats, PendingStanza } from './guarded-parser.js';
import { SPOOFED_REPLY_EVENT, type SpoofedReply } from './iq-caller-guard.js';
import { DEFAULT_KEEPALIVE, Keepalive, type KeepaliveOptions } from './keepalive.js';
import { NegotiationGate } from './negotiation-gate.js';
import { observeSasl } from './sasl-observer.js';
import type { SaslMemory } from './sasl-policy.js';
import { refuseSecondStreamHeader } from './stream-restart-guard.js';
import { recordSocketTls } from './tls-details.js';
import type { XmppEntity } from './xmpp-entity.js';

const NS_ROSTERVER_FEATURE = 'urn:xmpp:features:rosterver';
const NS_PREAPPROVAL_FEATURE = 'urn:xmpp:features:pre-approval';
const NS_STREAM = 'http://etherx.jabber.org/streams';
const NS_SM = 'urn:xmpp:sm:3';
/** see-other-host redirects followed in one sign-in attempt; more is a loop. */
const MAX_REDIRECTS = 3;

/**
 * Errors that a retry cannot fix: retrying would only lock the account or nag,
 * or keep offering our sign-in to a server that stripped TLS (tls-required) or
 * skipped authentication (server-unverified), or to one that offers less
 * than before (auth-downgrade: only the user can accept that). Malformed
 * data (bad-format, stanza-too-large) and stream errors may be transient:
 * those are retried, with backoff.
 */
const FATAL_CODES = new Set([
  'auth-failed',
  'auth-downgrade',
  'server-unverified',
  'tls-required',
  'tls-failed',
  'invalid-argument',
]);

export interface SessionConfig {
  /** Normalised bare JID of the account. */
  account: string;
  password: string;
  /**
   * Host to connect to, used as given (no DNS SRV). Absent, as are port and
   * directTls: the server is found from the domain's SRV records.
   */
  host?: string;
  port?: number;
  /** With host/port (or alone: the domain on 5223): TLS from the first byte (XEP-0368). */
  directTls?: boolean;
  /** DNS servers to ask instead of the system's, `ip` or `ip:port` (`--dns`). */
  dnsServers?: string[];
  /** A DNS resolver to use as given (tests); wins over dnsServers. */
  resolver?: DnsResolver;
  /** Remembers the endpoint that worked, per account, to try it first next time. */
  endpointMemory?: EndpointMemory;
  /** Connect timeout of each address tried, in ms. */
  endpointTimeoutMs?: number;
  resource?: string;
  /** Extra trusted CA certificates, PEM. */
  ca?: string;
  /** Permit a cleartext stream, honoured only when host is a loopback address. */
  allowPlaintextLoopback?: boolean;
  /** Largest stanza accepted from the server, in characters. */
  maxStanzaSize?: number;
  connectTimeoutMs?: number;
  iqTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Ping after this much silence; no answer in time ends the connection. */
  keepalive?: KeepaliveOptions;
  random?: () => number;
  /** What the account's server offered before (SCRAM, channel binding): a later sign-in offering less is refused. */
  saslMemory?: SaslMemory;
  /**
   * The user accepted that the server now offers less than before: the next
   * sign-in goes ahead and the memory takes what it offers now. Good for one
   * sign-in only: a later downgrade (a reconnect) is refused again.
   */
  acceptDowngrade?: boolean;
  /** The clock for reconnect delays; tests pass fake timers to check the schedule. */
  retryTimers?: RetryTimers;
  log?: (message: string) => void;
}

type DiscoveryOption = 'directTls' | 'dnsServers' | 'resolver' | 'endpointMemory' | 'endpointTimeoutMs';

export interface RetryTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: RetryTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SessionFeatures {
  rosterVersioning: boolean;
  preApproval: boolean;
}

export type IqSetHandler = (stanza: Element, child: Element) => Promise<Element | true> | Element | true;
/** Sees every incoming stanza of one kind (presence, message); must not throw. */
export type StanzaHandler = (stanza: Element) => void;

interface SessionEvents {
  state: [ConnectionState];
  /**
   * Online. `resumed`: the previous session was resumed (XEP-0198): nothing
   * was missed, so no retrieval is needed; otherwise it is a new session.
   */
  online: [{ jid: string; features: SessionFeatures; resumed: boolean }];
  /** A problem worth showing that did not change the state by itself. */
  warning: [BalconyError];
  /**
   * XEP-0198: the server acknowledged a stanza we sent (an <a/> on this
   * stream, or the count in <resumed/> for what reached it before a drop).
   */
  acked: [Element];
  /**
   * XEP-0198: a stanza we sent that the server never acknowledged, on a
   * stream that ended for good (resumption refused, signed out): whether it
   * arrived is unknown. Not told for stanzas carried to a resumption attempt.
   */
  unacked: [Element];
}

// Enough for a roster of well over 100,000 contacts in one result.
const DEFAULT_MAX_STANZA_SIZE = 32 * 1024 * 1024;

export class XmppSession extends EventEmitter<SessionEvents> {
  #state: ConnectionState = { status: 'offline' };
  #features: SessionFeatures = { rosterVersioning: false, preApproval: false };
  #client: XmppClient | null = null;
  #iqSetHandlers: { ns: string; name: string; handler: IqSetHandler }[] = [];
  #stanzaHandlers: { name: string; handler: StanzaHandler }[] = [];
  #wantOnline = false;
  #attempt = 0;
  /** What the last sign-in attempt saw, for the connection report (ConnectionRecorder). */
  readonly recorder = new ConnectionRecorder();
  #retryTimer: unknown = null;
  #connecting: Promise<void> | null = null;
  #keepalive: Keepalive | null = null;
  /** Stream-management state of the dropped connection, offered for resumption by the next one. */
  #resumable: { id: string; inbound: number; outbound: number; outbound_q: unknown[]; jid: string } | null = null;
  /** Dropped clients whose unacknowledged stanzas were carried to the next connection (their 'fail's are not failures). */
  readonly #carried = new WeakSet<XmppClient>();
  /** Each client's negotiation gate: nothing but negotiation goes out, nothing comes in, until it opens. */
  readonly #gates = new WeakMap<XmppClient, NegotiationGate>();
  /** Why a client's stream ended (bad XML, a stream error), for what was waiting on it. */
  readonly #dropCauses = new WeakMap<XmppClient, BalconyError>();
  readonly #config: Required<
    Omit<SessionConfig, 'ca' | 'host' | 'log' | 'saslMemory' | 'acceptDowngrade' | DiscoveryOption>
  > &
    Pick<SessionConfig, 'ca' | 'host' | 'saslMemory'>;
  /** How the server is found: the user's endpoint, or DNS (and the endpoint memory). */
  readonly #discovery: Pick<SessionConfig, DiscoveryOption> & {
    given: Endpoint | undefined;
    endpointTimeoutMs: number;
  };
  /** SessionConfig.acceptDowngrade, until one sign-in has used it. */
  #acceptDowngrade: boolean;
  readonly #log: (message: string) => void;
  readonly #local: string;
  readonly #domain: string;
  /** The domain as DNS and TLS name it: A-labels. */
  readonly #connectDomain: string;

  constructor(config: SessionConfig) {
    super();
    const parsed = parseJid(config.account);
    if (parsed.local === null || parsed.resource !== null) {
      throw new BalconyError('invalid-jid', 'The account must be a bare address like juliet@example.com.');
    }
    // DNS, SNI and the certificate check speak A-labels; the JID keeps its U-labels (RFC 7622 3.2).
    const connectDomain = asciiDomain(parsed.domain);
    const host = config.host ?? connectDomain;
    if (config.allowPlaintextLoopback && !isLoopbackHost(host)) {
      throw new BalconyError('invalid-argument', 'Cleartext connections are only allowed to a loopback address.');
    }
    this.#local = parsed.local;
    this.#domain = parsed.domain;
    this.#connectDomain = connectDomain;
    this.#log = config.log ?? ((): void => undefined);
    this.#config = {
      account: config.account,
      password: config.password,
      host,
      port: config.port ?? 5222,
      resource: config.resource ?? `balcony-${randomBytes(4).toString('hex')}`,
      ca: config.ca,
      allowPlaintextLoopback: config.allowPlaintextLoopback ?? false,
      maxStanzaSize: config.maxStanzaSize ?? DEFAULT_MAX_STANZA_SIZE,
      connectTimeoutMs: config.connectTimeoutMs ?? 20_000,
      iqTimeoutMs: config.iqTimeoutMs ?? 30_000,
      backoff: config.backoff ?? DEFAULT_BACKOFF,
      keepalive: config.keepalive ?? DEFAULT_KEEPALIVE,
      random: config.random ?? Math.random,
      retryTimers: config.retryTimers ?? REAL_TIMERS,
      saslMemory: config.saslMemory,
    };
    const userGiven = config.host !== undefined || config.port !== undefined || config.directTls === true;
    this.#discovery = {
      dnsServers: config.dnsServers,
      resolver: config.resolver,
      endpointMemory: config.endpointMemory,
      endpointTimeoutMs: config.endpointTimeoutMs ?? Math.min(this.#config.connectTimeoutMs, 10_000),
      given: userGiven
        ? {
            host,
            port: config.port ?? (config.directTls ? DEFAULT_DIRECT_TLS_PORT : DEFAULT_STARTTLS_PORT),
            tls: config.directTls ? 'direct' : 'starttls',
          }
        : undefined,
    };
    this.#acceptDowngrade = config.acceptDowngrade ?? false;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get features(): SessionFeatures {
    return this.#features;
  }

  get account(): string {
    return this.#config.account;
  }

  /**
   * Whether the current stream counts our stanzas (XEP-0198 enabled, or its
   * <enable/> sent): a message is then 'sent' on the server's ack ('acked'),
   * otherwise once written.
   */
  get streamManagement(): boolean {
    const sm = this.#client?.sm;
    return sm !== undefined && (sm.enabled || sm.enableSent === true);
  }

  /** Handles incoming iq sets for a payload; installed on every connection. */
  onIqSet(ns: string, name: string, handler: IqSetHandler): void {
    this.#iqSetHandlers.push({ ns, name, handler });
    if (this.#client) installIqSet(this.#client, this.#gates.get(this.#client), ns, name, handler);
  }

  /** Receives incoming stanzas named `name` ('presence', 'message'); kept across reconnects. */
  onStanza(name: string, handler: StanzaHandler): void {
    this.#stanzaHandlers.push({ name, handler });
  }

  /** Sends a stanza (presence, message) on the current connection. */
  async send(element: Element): Promise<void> {
    const client = this.#client;
    if (!client || this.#state.status !== 'online') throw new BalconyError('not-connected');
    try {
      await client.entity.send(element);
    } catch (error) {
      throw connectionError(error);
    }
  }

  /**
   * Goes online and stays online, reconnecting with backoff after drops.
   * With `failFast` (the CLI), a first attempt that fails rejects and stops;
   * otherwise (the app) failures are retried until a fatal one.
   */
  async start(options: { failFast?: boolean } = {}): Promise<void> {
    this.#wantOnline = true;
    if (this.#state.status === 'online') return;
    try {
      await this.#connect();
    } catch (error) {
      if (options.failFast || FATAL_CODES.has((error as BalconyError).code)) {
        this.#wantOnline = false;
        throw error;
      }
      this.#scheduleRetry();
    }
  }

  /** Retries now instead of waiting out the backoff (network back, machine awake). */
  nudge(): void {
    if (!this.#wantOnline || this.#state.status === 'online' || this.#connecting) return;
    if (this.#retryTimer) this.#config.retryTimers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect().catch(() => this.#scheduleRetry());
  }

  async stop(): Promise<void> {
    this.#wantOnline = false;
    this.#resumable = null; // signing out ends the session for good
    if (this.#retryTimer) this.#config.retryTimers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const client = this.#client;
    this.#client = null;
    this.#keepalive?.stop();
    this.#keepalive = null;
    if (client) {
      failPendingRequests(client, new BalconyError('not-connected'));
      await closeClient(client);
    }
    this.#setState({ status: 'offline' });
  }

  /**
   * Sends an iq and returns the result; without `to` it goes to our own
   * account, which the server answers for (roster, blocking, ...).
   */
  async iq(type: 'get' | 'set', child: Element, to?: string): Promise<Element> {
    const client = this.#client;
    if (!client || this.#state.status !== 'online') throw new BalconyError('not-connected');
    try {
      return await client.iqCaller.request(
        xml('iq', to === undefined ? { type } : { type, to }, child),
        this.#config.iqTimeoutMs,
      );
    } catch (error) {
      const failure = stanzaError(error);
      // Not an answer from the server ("write after end", a closing stream):
      // the request may never have left, so it is a connection problem, to be
      // retried, never a refusal.
      if (failure.code === 'internal')
        throw new BalconyError('connection-lost', `The request could not be sent: ${failure.message}`);
      throw failure;
    }
  }

  /**
   * Calls `listener` after each chunk the current connection reads, with the
   * stanza still arriving (a large roster result, for its progress), until
   * the returned function is called or the connection goes. One watcher at a time.
   */
  watchIncoming(listener: (pending: PendingStanza) => void): () => void {
    const client = this.#client;
    if (!client) return () => undefined;
    client.watchIncoming((pending) => {
      try {
        listener(pending);
      } catch (error) {
        // Called from the socket's data handler: a listener's bug must not escape it.
        this.#log(`session: a progress listener failed: ${(error as Error).message}`);
      }
    });
    return () => client.watchIncoming(null);
  }

  /** The current stream's incoming queue (stanza-dispatch.ts, issue 14 #2): backlog and pauses; null offline. */
  incomingStats(): DispatchStats | null {
    return this.#client?.dispatchStats() ?? null;
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.emit('state', state);
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#attemptConnection().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #attemptConnection(): Promise<void> {
    this.#attempt += 1;
    this.recorder.begin();
    const given = this.#discovery.given;
    this.#setState({
      status: 'connecting',
      attempt: this.#attempt,
      ...(given && { host: given.host, port: given.port }),
    });
    const client = this.#createClient();
    const { entity } = client;
    const resumable = this.#resumable;
    if (resumable) {
      Object.assign(client.sm, {
        id: resumable.id,
        inbound: resumable.inbound,
        outbound: resumable.outbound,
        // a copy: a failed attempt's close empties its queue, which must not empty the one carried
        outbound_q: [...resumable.outbound_q],
      });
      entity.jid = parseXmppJid(resumable.jid);
    }
    const gate = this.#gates.get(client);
    if (!gate) throw new Error('session: the client has no negotiation gate');
    let signingIn = true;
    // What ends sign-in before it completes (a socket closed early, features
    // that offer no way on, a redirect loop) fails the attempt now, not at the timeout.
    let failSignIn: (error: BalconyError) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      failSignIn = (error) => {
        if (signingIn) reject(error);
      };
    });
    failed.catch(() => undefined);
    // A resumed stream never emits 'online' (xmpp.js makes resumption
    // transparent), so the opening stays pending then: keep its rejection handled.
    // The sign-in timeout starts once a server is reached: finding it is
    // bounded by the DNS timeouts and each address's own connect timeout.
    let armSignInTimer: () => void = () => undefined;
    // set in a callback: the assertion keeps the type from narrowing to null
    let reachedEndpoint = null as Endpoint | null;
    const started = this.#reachServer(client)
      .then((endpoint) => {
        reachedEndpoint = endpoint;
        armSignInTimer();
        return openStream(entity);
      })
      .then(() => false);
    started.catch(() => undefined);
    const resumed = new Promise<boolean>((resolve) => client.sm.on('resumed', () => resolve(true)));
    let redirecting = false;
    entity.on('disconnect', () => {
      if (!redirecting) failSignIn(new BalconyError('connection-lost', 'The connection closed during sign-in.'));
    });
    entity.on('nonza', (element: Element) => {
      if (!signingIn || !element.is('features', NS_STREAM)) return;
      const refusal = gate.featuresRefusal(element, { canResume: resumable !== null });
      if (refusal) failSignIn(refusal);
    });
    this.#followRedirects(client, {
      signingIn: () => signingIn,
      fail: failSignIn,
      setRedirecting: (value) => {
        redirecting = value;
      },
    });
    let timer: NodeJS.Timeout | undefined;
    let wasResumed: boolean;
    try {
      wasResumed = await Promise.race([
        started,
        resumed,
        failed,
        new Promise<never>((_, reject) => {
          armSignInTimer = () => {
            if (signingIn)
              timer = setTimeout(
                () => reject(new BalconyError('timeout', 'The server did not complete sign-in in time.')),
                this.#config.connectTimeoutMs,
              );
          };
        }),
      ]);
      // Structurally unreachable with the gate in front of every send, and
      // checked anyway: never online on a stream the policy does not trust.
      const refusal = gate.refusal();
      if (refusal) throw refusal;
    } catch (error) {
      const failure = connectionError(error);
      this.#log(`session: connection attempt ${this.#attempt} failed: ${failure.code}: ${failure.message}`);
      this.#recordOutcome(client, failure);
      // what it was given to resume stays carried (this.#resumable) for the next attempt
      if (resumable && this.#resumable === resumable) this.#carried.add(client);
      await closeClient(client);
      this.#setState({ status: 'error', error: failure.toInfo() });
      throw failure;
    } finally {
      signingIn = false;
      clearTimeout(timer);
    }
    if (!this.#wantOnline) {
      await closeClient(client);
      return;
    }
    // Resumed or not, the new connection now owns the stream-management state.
    this.#resumable = null;
    this.#client = client;
    this.#attempt = 0;
    const features = client.features();
    this.#features = {
      rosterVersioning: features?.getChild('ver', NS_ROSTERVER_FEATURE) !== undefined,
      preApproval: features?.getChild('sub', NS_PREAPPROVAL_FEATURE) !== undefined,
    };
    // Offered is what "supports" means; xmpp.js enables it only after 'online'.
    this.recorder.features({
      ...this.#features,
      streamManagement: client.sm.enabled || features?.getChild('sm', NS_SM) !== undefined,
    });
    this.#recordOutcome(client, null);
    if (reachedEndpoint && !this.#discovery.given)
      this.#discovery.endpointMemory?.remember(this.#config.account, reachedEndpoint);
    entity.on('disconnect', () => this.#onDrop(client));
    this.#startKeepalive(client);
    const jid = String(entity.jid);
    this.#setState({ status: 'online', jid });
    if (wasResumed) this.#log('session: resumed the previous session (XEP-0198)');
    this.emit('online', { jid, features: this.#features, resumed: wasResumed });
  }

  /**
   * The end of a sign-in attempt in the connection report: the outcome, and
   * the TLS details where the code that secured the connection did not
   * record them. Every endpoint tried is recorded by reachServer.
   */
  #recordOutcome(client: XmppClient, failure: BalconyError | null): void {
    recordSocketTls(this.recorder, client.entity.socket);
    if (failure) this.recorder.failed(failure.toInfo());
    else this.recorder.succeeded();
  }

  /**
   * see-other-host (RFC 6120 4.9.3.19): during sign-in xmpp.js follows it on
   * the same entity, where the negotiation gate holds for the new socket as
   * for the first (TLS with the domain's certificate, the loopback opt-in
   * only for a loopback peer, a verified sign-in); a bounded number of times.
   * Once online, the session reconnects to its own host instead.
   */
  #followRedirects(
    client: XmppClient,
    attempt: {
      signingIn: () => boolean;
      fail: (error: BalconyError) => void;
      setRedirecting: (value: boolean) => void;
    },
  ): void {
    const { entity } = client;
    const follow = entity._onSeeOtherHost.bind(entity);
    let redirects = 0;
    entity._onSeeOtherHost = async (error: unknown) => {
      const target = ((error as { element?: Element }).element?.getChildText('see-other-host') ?? '').slice(0, 200);
      if (!attempt.signingIn()) {
        this.#dropCauses.set(
          client,
          new BalconyError(
            'stream-error',
            `The server sent us to ${JSON.stringify(target)}; reconnecting to the configured server.`,
          ),
        );
        return;
      }
      redirects += 1;
      if (redirects > MAX_REDIRECTS) {
        attempt.fail(
          new BalconyError('stream-error', `The server redirected the sign-in more than ${MAX_REDIRECTS} times.`),
        );
        return;
      }
      this.#log(`session: the server redirects to ${JSON.stringify(target)}`);
      attempt.setRedirecting(true);
      try {
        await follow(error);
      } finally {
        attempt.setRedirecting(false);
      }
    };
  }

  /**
   * Finds and connects to the server (the user's endpoint, or the remembered
   * one, then DNS SRV), each step recorded, and hands the open socket to the
   * client's stream; returns the endpoint reached.
   */
  async #reachServer(client: XmppClient): Promise<Endpoint> {
    const { given, endpointMemory } = this.#discovery;
    const reached = await reachServer({
      domain: this.#connectDomain,
      given,
      remembered: given ? undefined : endpointMemory?.recall(this.#config.account),
      dns: new DnsLookups({ servers: this.#discovery.dnsServers, resolver: this.#discovery.resolver }, (lookup) =>
        this.recorder.dns(lookup),
      ),
      random: this.#config.random,
      ca: this.#config.ca,
      timeoutMs: this.#discovery.endpointTimeoutMs,
      record: { attempt: (attempt) => this.recorder.attempt(attempt), tls: (details) => this.recorder.tls(details) },
      onTry: (endpoint) => {
        if (
          this.#state.status !== 'connecting' ||
          this.#state.host !== endpoint.host ||
          this.#state.port !== endpoint.port
        ) {
          this.#setState({ status: 'connecting', attempt: this.#attempt, host: endpoint.host, port: endpoint.port });
        }
      },
    });
    const { host, port } = reached.endpoint;
    client.entity.options.service = `xmpp://${host.includes(':') ? `[${host}]` : host}:${port}`;
    client.transport.offer(reached.socket);
    return reached.endpoint;
  }

  #createClient(): XmppClient {
    const { port } = this.#config;
    const host = this.#config.host ?? this.#connectDomain;
    const client = createXmppClient({
      service: `xmpp://${host.includes(':') ? `[${host}]` : host}:${port}`,
      domain: this.#domain,
      username: this.#local,
      password: this.#config.password,
      resource: this.#config.resource,
      transport: {
        servername: this.#connectDomain,
        ca: this.#config.ca,
        allowPlaintext: this.#config.allowPlaintextLoopback && isLoopbackHost(host),
        onSecure: (socket) => recordSocketTls(this.recorder, socket),
      },
      maxStanzaSize: this.#config.maxStanzaSize,
      timeout: this.#config.connectTimeoutMs,
      sasl: {
        memory: this.#config.saslMemory,
        acceptDowngrade: () => this.#acceptDowngrade,
        authenticated: (mechanism, channelBinding) => {
          this.#acceptDowngrade = false;
          this.recorder.sasl(mechanism, channelBinding);
          this.#log(`session: signed in with ${mechanism}${channelBinding ? ` bound to ${channelBinding}` : ''}`);
        },
      },
    });
    const { entity } = client;
    const gate = new NegotiationGate(entity, { allowPlaintextLoopback: this.#config.allowPlaintextLoopback });
    gate.install();
    this.#gates.set(client, gate);
    guardBoundJid(entity, this.#config.account);
    observeSasl(entity, this.recorder);
    const attachParser = entity._attachParser.bind(entity);
    entity._attachParser = (parser: unknown) => {
      refuseSecondStreamHeader(parser as Parameters<typeof refuseSecondStreamHeader>[0]);
      attachParser(parser);
    };
    entity.on(SPOOFED_REPLY_EVENT, ({ id, from, to }: SpoofedReply) => {
      this.#log(
        `session: ignored a reply to iq ${JSON.stringify(id)} from ${JSON.stringify(from).slice(0, 200)} ` +
          `(the request went to ${to ? JSON.stringify(to) : 'our account'})`,
      );
    });
    // Without a listener an 'error' event would throw: errors from the
    // network are reported, never thrown out of a socket callback.
    entity.on('error', (error: unknown) => {
      const failure = connectionError(error);
      this.#log(`session: ${failure.code}: ${failure.message}`);
      // Bad XML or a stream error ends the stream: that, not "connection
      // lost", is what whatever waits on it is told.
      const ends = endsTheStream(error);
      if (ends && !this.#dropCauses.has(client)) this.#dropCauses.set(client, failure);
      if (this.#client !== client) return;
      this.emit('warning', failure);
      // Dropped now, not when the socket's polite close completes: a server
      // that keeps streaming would hold that (and every waiting request) for
      // the whole close timeout.
      if (ends) this.#onDrop(client);
    });
    for (const { ns, name, handler } of this.#iqSetHandlers) {
      installIqSet(client, gate, ns, name, handler);
    }
    entity.on('stanza', (stanza: Element) => this.#dispatchStanza(client, stanza));
    // Called from inside xmpp.js's middleware: a listener's bug must not escape into it.
    client.sm.on('ack', (stanza: Element) => this.#emitSafely('acked', stanza));
    client.sm.on('fail', (stanza: Element) => {
      if (!this.#carried.has(client)) this.#emitSafely('unacked', stanza);
    });
    return client;
  }

  #emitSafely(event: 'acked' | 'unacked', stanza: Element): void {
    try {
      this.emit(event, stanza);
    } catch (error) {
      this.#log(`session: an '${event}' listener failed: ${(error as Error).message}`);
    }
  }

  #dispatchStanza(client: XmppClient, stanza: Element): void {
    if (this.#client !== null && this.#client !== client) return; // a replaced connection's leftovers
    if (!this.#gates.get(client)?.open) return; // before sign-in completed, nothing received is trusted
    for (const { name, handler } of this.#stanzaHandlers) {
      if (stanza.name !== name) continue;
      try {
        handler(stanza);
      } catch (error) {
        // A handler's bug must not take the connection (or the process) down.
        this.#log(`session: a ${name} handler failed: ${(error as Error).message}`);
      }
    }
  }

  #startKeepalive(client: XmppClient): void {
    this.#keepalive?.stop();
    const keepalive = new Keepalive(
      this.#config.keepalive,
      (timeoutMs) =>
        client.iqCaller
          .request(xml('iq', { type: 'get', to: this.#domain }, xml('ping', { xmlns: 'urn:xmpp:ping' })), timeoutMs)
          .catch((error: unknown) => {
            throw (error as { name?: string }).name === 'TimeoutError' ? new BalconyError('timeout') : error;
          }),
      () => {
        this.#log('session: no answer to a ping; the connection is dead');
        this.emit('warning', new BalconyError('connection-lost', 'The server stopped answering; reconnecting.'));
        destroySocket(client.entity);
        this.#onDrop(client);
      },
    );
    client.entity.on('element', () => keepalive.activity());
    keepalive.start();
    this.#keepalive = keepalive;
  }

  #onDrop(client: XmppClient): void {
    if (this.#client !== client) return;
    this.#client = null;
    // Taken before closeClient: going 'offline' makes xmpp.js forget the session
    // id. (sm.enabled is already false here: xmpp.js clears it on disconnect.)
    const { sm } = client;
    if (sm.id) this.#carried.add(client);
    this.#resumable = sm.id
      ? {
          id: sm.id,
          inbound: sm.inbound,
          outbound: sm.outbound,
          outbound_q: [...sm.outbound_q],
          jid: String(client.entity.jid),
        }
      : null;
    this.#keepalive?.stop();
    this.#keepalive = null;
    const cause = this.#dropCauses.get(client);
    failPendingRequests(client, cause ?? new BalconyError('connection-lost'));
    this.#log(`session: connection lost${cause ? ` (${cause.code})` : ''}`);
    void closeClient(client);
    if (!this.#wantOnline) {
      this.#setState({ status: 'offline' });
      return;
    }
    this.#setState({ status: 'connecting', attempt: 1 });
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (!this.#wantOnline || this.#retryTimer) return;
    const state = this.#state;
    if (state.status === 'error' && FATAL_CODES.has(state.error.code)) {
      this.#wantOnline = false;
      return;
    }
    const delay = backoffDelay(Math.max(this.#attempt, 1), this.#config.backoff, this.#config.random);
    this.#log(`session: retrying in ${delay} ms`);
    this.#retryTimer = this.#config.retryTimers.setTimeout(() => {
      this.#retryTimer = null;
      this.#connect().catch(() => this.#scheduleRetry());
    }, delay);
    (this.#retryTimer as { unref?: () => void }).unref?.();
  }
}

function installIqSet(
  client: XmppClient,
  gate: NegotiationGate | undefined,
  ns: string,
  name: string,
  handler: IqSetHandler,
): void {
  client.onIqSet(ns, name, (stanza, payload) => {
    // Before sign-in completed nothing received is trusted (a push would reach the cache).
    if (!gate?.open) throw new BalconyError('not-connected', 'An iq arrived before sign-in completed; it was ignored.');
    return handler(stanza, payload);
  });
}

/**
 * Connection.start(), without its flaw: it creates the 'online' promise
 * before opening the stream and never awaits it when the opening fails, so
 * one 'error' (a TCP reset right after our stream header, bad XML before the
 * server's) rejects both and the second is an unhandled rejection, fatal to
 * the process.
 */
async function openStream(entity: XmppEntity): Promise<void> {
  const { service, domain, lang } = entity.options;
  await entity.connect(service);
  const online = promise(entity, 'online');
  online.catch(() => undefined);
  await entity.open({ domain, lang });
  await online;
}

/**
 * Answers every iq still waiting on a connection that is gone: otherwise each
 * would wait out its own timeout, holding up whatever awaits it.
 */
function failPendingRequests(client: XmppClient, error: BalconyError): void {
  const handlers = client.pendingRequests();
  for (const deferred of handlers.values()) deferred.reject(error);
  handlers.clear();
}

/** Closes a client politely when possible, and always frees its socket. */
async function closeClient(client: XmppClient): Promise<void> {
  const entity = client.entity;
  try {
    await Promise.race([entity.stop(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  } catch {
    // Closing a broken stream can fail; the socket is destroyed below anyway.
  }
  destroySocket(entity);
}

function destroySocket(entity: XmppEntity): void {
  const socket = entity.socket;
  if (!socket) return;
  if (socket.destroy) socket.destroy();
  else socket.socket?.destroy?.();
}
