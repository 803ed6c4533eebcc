/**
 * The TLS rules for every connection (RFC 7590, RFC 6125): at least TLS 1.2,
 * SNI and the certificate check both for the JID's domain (A-labels), never
 * for the SRV target or the address connected to; plus the plain words for
 * a failure and the details the connection report shows.
 */
import { isIP } from 'node:net';
import tls, { type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { domainToUnicode } from 'node:url';
import { BalconyError } from '../errors.js';
import { connectionError } from './connection-errors.js';

/** Options for tls.connect that make the server prove it is `domain`. */
export function tlsIdentityOptions(domain: string, ca: string | undefined): ConnectionOptions {
  return {
    // SNI takes a host name only (RFC 6066 3).
    ...(isIP(domain) ? {} : { servername: domain }),
    ...(ca ? { ca } : {}),
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    // Node would check the name it connected to; the JID's domain is what must match.
    checkServerIdentity: (_host: string, cert: PeerCertificate) => identityError(domain, cert),
  };
}

/** Undefined when the certificate is valid for `domain`; otherwise a tls-failed error naming both. */
export function identityError(domain: string, cert: PeerCertificate): BalconyError | undefined {
  if (!tls.checkServerIdentity(domain, cert)) return undefined;
  const names = certificateNames(cert);
  const shown = names.length > 0 ? names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : '') : 'no name at all';
  return new BalconyError(
    'tls-failed',
    `The server's certificate is for ${shown}, not ${displayDomain(domain)}, so it does not prove the server is ${displayDomain(domain)}; Balcony did not sign in.`,
  );
}

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

/** Any failure of a TLS handshake for `domain` as a tls-failed error in plain words. */
export function tlsFailure(error: unknown, domain: string): BalconyError {
  if (error instanceof BalconyError) return error;
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  // The network broke during the handshake (a reset, a dead link): retried like any lost
  // connection, not a verdict on the certificate (tls-failed stops reconnecting for good).
  if (code !== undefined && NETWORK_CODES.has(code)) return connectionError(error);
  const why =
    code === 'CERT_HAS_EXPIRED'
      ? 'its certificate has expired'
      : code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
        ? 'its certificate is self-signed, not issued by a trusted authority'
        : code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
          ? 'its certificate is not from a trusted authority'
          : (message ?? code ?? String(error));
  return new BalconyError('tls-failed', `The secure connection to ${displayDomain(domain)} failed: ${why}.`, {
    cause: error,
  });
}

/** The certificate's fields come from the network: a subject may be missing too. */
function certificateNames(cert: Partial<PeerCertificate>): string[] {
  const alt = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((n) => n.startsWith('DNS:') || n.startsWith('IP Address:'))
    .map((n) => n.replace(/^DNS:|^IP Address:/, ''));
  if (alt.length > 0) return alt;
  const cn = cert.subject?.CN;
  return cn ? [String(cn)] : [];
}

/** The domain as a person writes it (U-labels), for messages. */
function displayDomain(domain: string): string {
  const unicode = domainToUnicode(domain);
  return unicode && unicode !== domain ? `${unicode} (${domain})` : domain;
}
