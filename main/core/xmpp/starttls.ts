/**
 * STARTTLS with certificate verification against a chosen CA. Replaces
 * @xmpp/starttls, whose upgrade cannot be given a CA (the CLI's --ca-file and
 * the tests' throwaway CA need one) and which does not insist on TLS.
 */
import { xml } from '@xmpp/client';
import { promise } from '@xmpp/events';
import TlsSocket from '@xmpp/tls/lib/Socket.js';
import { BalconyError } from '../errors.js';
import type { StreamFeatures } from './xmpp-entity.js';

const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';

export interface TransportPolicy {
  /** Name the certificate must carry: the account's domain. */
  servername: string;
  /** Extra trusted CA certificates (PEM); the system store otherwise. */
  ca?: string;
  /** Cleartext allowed: only ever true for a loopback host with an explicit opt-in. */
  allowPlaintext: boolean;
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
      socket: entity.socket as never,
      host: policy.servername,
      servername: policy.servername,
      ...(policy.ca ? { ca: policy.ca } : {}),
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
    });
    try {
      await promise(tlsSocket, 'connect', 'error');
    } catch (error) {
      throw new BalconyError('tls-failed',
        `The secure connection to ${policy.servername} failed: ${(error as Error).message}.`, { cause: error });
    }
    entity._attachSocket(tlsSocket);
    await entity.restart();
  });
}
