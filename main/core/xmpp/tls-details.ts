/**
 * The TLS session of a connection, as the connection report shows it: the
 * protocol version, the cipher and the server certificate's subject, issuer
 * and expiry. Works on a Node TLS socket or on xmpp.js's wrapper around one
 * (entity.socket after STARTTLS or on Direct TLS).
 */
import { TLSSocket, type CipherNameAndProtocol, type PeerCertificate } from 'node:tls';
import type { TlsDetails } from '../../../preload/contract.js';
import type { ConnectionRecorder } from './connection-recorder.js';

/** Certificate fields come from the network: bounded before they reach a report. */
const MAX_FIELD = 256;

/** The TLS details of `socket`, or null when it is not (or no longer) a TLS connection. */
export function tlsDetails(socket: unknown): TlsDetails | null {
  const tls = tlsSocketOf(socket);
  if (!tls || tls.destroyed) return null;
  const version = tls.getProtocol();
  if (!version) return null;
  const certificate = peerCertificate(tls);
  // null once the socket has lost its handle (@types/node says it always has a cipher)
  const cipher = tls.getCipher() as CipherNameAndProtocol | null;
  return {
    version,
    cipher: cipher?.name ?? '',
    certificate: {
      subject: certificateName(certificate, 'subject'),
      issuer: certificateName(certificate, 'issuer'),
      validTo: isoDate(certificate?.valid_to),
    },
  };
}

/**
 * Records the TLS details of `socket` unless something that knew more (the
 * Direct TLS connector) already did: the STARTTLS path has no hook of its own.
 */
export function recordSocketTls(recorder: ConnectionRecorder, socket: unknown): void {
  if (recorder.hasTls()) return;
  const details = tlsDetails(socket);
  if (details) recorder.tls(details);
}

/**
 * getPeerCertificate() as Node returns it: null once the socket has lost its
 * handle, an empty object when the peer sent no certificate (@types/node
 * promises a complete certificate either way). Its fields come from the
 * network, so each may be missing.
 */
export function peerCertificate(socket: TLSSocket): Partial<PeerCertificate> | null {
  return socket.getPeerCertificate(false);
}

function tlsSocketOf(socket: unknown): TLSSocket | null {
  if (socket instanceof TLSSocket) return socket;
  const inner = (socket as { socket?: unknown } | null)?.socket;
  return inner instanceof TLSSocket ? inner : null;
}

/** The common name; a certificate without one is named by its first alternative name (subject) or organisation (issuer). */
function certificateName(certificate: Partial<PeerCertificate> | null, which: 'subject' | 'issuer'): string {
  const fields = certificate?.[which];
  const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
  const altName =
    which === 'subject' ? certificate?.subjectaltname?.split(',')[0]?.trim().replace(/^DNS:/, '') : undefined;
  return (first(fields?.CN) ?? altName ?? first(fields?.O) ?? '').slice(0, MAX_FIELD);
}

function isoDate(value: string | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value.slice(0, MAX_FIELD) : date.toISOString();
}
