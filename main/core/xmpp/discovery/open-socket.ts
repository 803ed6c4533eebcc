/**
 * One connection attempt to one address of an endpoint, with its own
 * timeout: TCP for STARTTLS, TLS from the first byte for Direct TLS (SNI and
 * the certificate check for the JID's domain, ALPN `xmpp-client`).
 */
import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { BalconyError } from '../../errors.js';
import { connectionError } from '../connection-errors.js';
import { tlsFailure, tlsIdentityOptions } from '../tls-identity.js';
import type { Endpoint } from './endpoint.js';

export interface OpenSocketOptions {
  /** The JID's domain in A-labels: what the certificate must name. */
  domain: string;
  ca?: string;
  timeoutMs: number;
}

export function openSocket(
  address: string,
  endpoint: Endpoint,
  options: OpenSocketOptions,
): Promise<net.Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const direct = endpoint.tls === 'direct';
    const socket = direct
      ? tls.connect({
          host: address,
          port: endpoint.port,
          ALPNProtocols: ['xmpp-client'],
          ...tlsIdentityOptions(options.domain, options.ca),
        })
      : net.connect({ host: address, port: endpoint.port });
    const ready = direct ? 'secureConnect' : 'connect';
    const settle = (error: BalconyError | null): void => {
      clearTimeout(timer);
      socket.off(ready, onReady);
      socket.off('error', onError);
      // Never an unhandled 'error': a late one of a socket we gave up on is not news, and
      // until the stream adopts an open socket (stream-socket.ts forwards errors) nobody else listens.
      socket.on('error', () => undefined);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve(socket);
      }
    };
    const onReady = (): void => settle(null);
    const onError = (error: Error): void => settle(attemptError(error, direct, options.domain));
    const timer = setTimeout(
      () => settle(new BalconyError('timeout', `no answer within ${Math.round(options.timeoutMs / 100) / 10} s`)),
      options.timeoutMs,
    );
    socket.once(ready, onReady);
    socket.once('error', onError);
  });
}

function attemptError(error: Error, direct: boolean, domain: string): BalconyError {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED') return new BalconyError('host-unreachable', 'the connection was refused');
  const mapped = connectionError(error);
  // During a Direct TLS handshake, anything but the network failing is TLS failing.
  if (direct && (mapped.code === 'tls-failed' || mapped.code === 'internal' || error instanceof BalconyError))
    return tlsFailure(error, domain);
  return mapped;
}
