/**
 * The sign-in policy, enforced in one place for every connection: nothing but
 * stream negotiation (STARTTLS, SASL, stream errors) is sent, and nothing
 * received is handed on, until the stream is
 * - confidential: TLS with a verified certificate, or a cleartext stream to a
 *   loopback peer the user explicitly allowed, and
 * - authenticated: the server proved it knows the password (a verified SCRAM
 *   server signature), or PLAIN succeeded inside TLS (the certificate proved
 *   who the server is).
 * xmpp.js negotiates whatever features the server offers: a server that
 * offers only <bind/> would otherwise get a bound, unauthenticated session
 * with our roster get and edits. Both conditions are checked on the socket
 * the stream runs over, so a new socket (see-other-host, a reconnect) starts
 * from nothing.
 */
import type { Element } from '@xmpp/xml';
import { BalconyError } from '../errors.js';
import { isLoopbackHost } from '../jid.js';
import type { XmppEntity } from './xmpp-entity.js';

const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const NS_SM = 'urn:xmpp:sm:3';
const NEGOTIATION_NAMESPACES = new Set([NS_TLS, NS_SASL]);

/** How the server proved itself on a socket. */
export type AuthenticationProof = 'scram-verified' | 'plain-in-tls';

const proofs = new WeakMap<object, AuthenticationProof>();

/** Records (from SASL) that the server proved itself on the entity's current socket. */
export function recordAuthentication(entity: XmppEntity, proof: AuthenticationProof): void {
  if (entity.socket) proofs.set(entity.socket, proof);
}

/** The address of the peer at the far end of the entity's socket, under TLS too. */
function peerAddress(entity: XmppEntity): string | undefined {
  return entity.socket?.remoteAddress ?? entity.socket?.socket?.remoteAddress;
}

/**
 * Whether the stream is confidential enough to authenticate on: TLS, or the
 * loopback opt-in with a peer that really is on this machine (checked on the
 * socket, not the configured host: a redirect may lead elsewhere).
 */
export function isConfidential(entity: XmppEntity, allowPlaintextLoopback: boolean): boolean {
  if (entity.isSecure()) return true;
  const peer = peerAddress(entity)?.replace(/^::ffff:/i, '');
  return allowPlaintextLoopback && peer !== undefined && isLoopbackHost(peer);
}

export class NegotiationGate {
  readonly #entity: XmppEntity;
  readonly #allowPlaintextLoopback: boolean;

  constructor(entity: XmppEntity, options: { allowPlaintextLoopback: boolean }) {
    this.#entity = entity;
    this.#allowPlaintextLoopback = options.allowPlaintextLoopback;
  }

  /** Null when the stream may carry stanzas; otherwise why it may not, as the error to fail with. */
  refusal(): BalconyError | null {
    const entity = this.#entity;
    if (!isConfidential(entity, this.#allowPlaintextLoopback)) return new BalconyError('tls-required');
    const proof = entity.socket ? proofs.get(entity.socket) : undefined;
    if (proof === 'scram-verified') return null;
    if (proof === 'plain-in-tls' && entity.isSecure()) return null;
    return new BalconyError(
      'server-unverified',
      'The server did not prove it knows your password (it skipped authentication); the connection was refused.',
    );
  }

  /**
   * Whether stream features (at each stream start) offer the next step the
   * policy needs, so a server that offers nothing to negotiate fails at once
   * instead of leaving us waiting for the sign-in timeout: STARTTLS on a
   * stream that is not yet confidential, SASL before authentication, and
   * afterwards resource binding (or stream resumption, when we can resume).
   */
  featuresRefusal(features: Element, options: { canResume: boolean }): BalconyError | null {
    const entity = this.#entity;
    const offers = (name: string, xmlns: string): boolean => features.getChild(name, xmlns) !== undefined;
    if (!isConfidential(entity, this.#allowPlaintextLoopback)) {
      return offers('starttls', NS_TLS) ? null : new BalconyError('tls-required');
    }
    if (this.refusal() !== null) {
      return offers('mechanisms', NS_SASL)
        ? null
        : new BalconyError(
            'server-unverified',
            'The server offered no way to sign in (no SASL mechanisms), so it proved nothing; Balcony did not sign in.',
          );
    }
    if (offers('bind', NS_BIND) || (options.canResume && offers('sm', NS_SM))) return null;
    return new BalconyError(
      'bad-format',
      'After sign-in the server offered no resource binding, so no session can start.',
    );
  }

  get open(): boolean {
    return this.refusal() === null;
  }

  /**
   * Puts the gate in front of the entity's send and sendMany: before it is
   * open, anything but a negotiation element is refused (and never written).
   */
  install(): void {
    const entity = this.#entity;
    const send = entity.send.bind(entity);
    const sendMany = entity.sendMany.bind(entity);
    // async: a refusal is a rejected promise, like any failed send (xmpp.js
    // callers attach .catch to the promise; a synchronous throw would escape).
    entity.send = async (element: Element, ...rest: unknown[]) => {
      this.#check(element);
      return (send as (...args: unknown[]) => Promise<void>)(element, ...rest);
    };
    entity.sendMany = async (elements: Element[]) => {
      for (const element of elements) this.#check(element);
      return sendMany(elements);
    };
  }

  #check(element: Element): void {
    if (isNegotiation(element)) return;
    const refusal = this.refusal();
    if (refusal) throw refusal;
  }
}

function isNegotiation(element: Element): boolean {
  if (element.name === 'stream:error') return true;
  return NEGOTIATION_NAMESPACES.has(element.attrs.xmlns as string);
}
