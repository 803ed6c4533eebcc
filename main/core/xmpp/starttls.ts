/**
 * STARTTLS with certificate verification against a chosen CA. Replaces
 * @xmpp/starttls, whose upgrade cannot be given a CA (the CLI's --ca-file and
 * the tests' throwaway CA need one) and which does not insist on TLS.
 */
import { xml } from '@xmpp/client';
import { promise } from '@xmpp/events';
import TlsSocket from '@xmpp/tls/lib/Socket.js';
import type { TLSSocket } from 'node:tls';
import { BalconyError } from '../errors.js';
import { rawSocket } from './stream-socket.js';
import { tlsFailure, tlsIdentityOptions } from './tls-identity.js';
import type { StreamFeatures } from './xmpp-entity.js';

const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';

export interface TransportPolicy {
  /** Name the certificate must carry, and the SNI: the account's domain in A-labels (never an SRV target). */
  servername: string;
  /** Extra trusted CA certificates (PEM); the system store otherwise. */
  ca?: string;
  /** Cleartext allowed: only ever true for a loopback host with an explicit opt-in. */
  allowPlaintext: boolean;
  /** Told when STARTTLS secured the stream (the connection report's TLS details). */
  onSecure?: (socket: TLSSocket) => void;
}

export function useStarttls(streamFeatures: StreamFeatures, policy: TransportPolicy): void {
  streamFeatures.use('starttls', NS_TLS, async ({ entity }, next) => {
    if (entity.isSecure()) return next();
    const answer = await entity.sendReceive(xml('starttls', { xmlns: NS_TLS }));
    if (!answer.is('proceed', NS_TLS)) {
      throw new BalconyError('tls-failed', 'The server refused to start an encrypted connection.');
    }
    const tlsSocket = new TlsSocket();
    tlsSocket.connect({
      socket: rawSocket(entity.socket),
      host: policy.servername,
      ...tlsIdentityOptions(policy.servername, policy.ca),
    });
    try {
      await promise(tlsSocket, 'connect', 'error');
    } catch (error) {
      throw tlsFailure(error, policy.servername);
    }
    if (tlsSocket.socket) policy.onSecure?.(tlsSocket.socket);
    entity._attachSocket(tlsSocket);
    await entity.restart();
  });
}
