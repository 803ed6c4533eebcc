/**
 * TLS channel bindings for SCRAM -PLUS: which types this connection can
 * compute, which one to use given what the server advertised (XEP-0440),
 * and the binding data itself:
 * - tls-exporter (RFC 9266): keying material exported under the label
 *   EXPORTER-Channel-Binding, 32 bytes, no context; TLS 1.3 only here
 *   (on TLS 1.2 it is only safe with extended master secret, which Node
 *   does not let us check);
 * - tls-unique (RFC 5929 3): the first Finished message of the latest
 *   handshake: the client's in a full handshake, the server's in a resumed
 *   one; TLS 1.2 and below, and on TLS 1.3 only for servers that use the
 *   pre-RFC 9266 convention without saying so (see chooseBinding);
 * - tls-server-end-point (RFC 5929 4.1): a hash of the server's
 *   certificate, SHA-256 where the certificate was signed with MD5 or
 *   SHA-1, else the certificate's own signature hash.
 */
import { createHash } from 'node:crypto';
import tls from 'node:tls';
import { peerCertificate } from './tls-details.js';
import type { XmppEntity } from './xmpp-entity.js';

export type ChannelBindingType = 'tls-exporter' | 'tls-unique' | 'tls-server-end-point';

/** The TLS socket under the entity: after STARTTLS an @xmpp/tls wrapper holds it; Direct TLS may attach it as is. */
export function tlsSocketOf(entity: XmppEntity): tls.TLSSocket | null {
  const socket = entity.socket as unknown;
  if (socket instanceof tls.TLSSocket) return socket;
  const inner = (socket as { socket?: unknown } | null)?.socket;
  return inner instanceof tls.TLSSocket ? inner : null;
}

function isTls13(socket: tls.TLSSocket): boolean {
  return socket.getProtocol() === 'TLSv1.3';
}

/** The binding data for `type` on this socket, or null when it cannot be computed here. */
export function bindingData(socket: tls.TLSSocket, type: ChannelBindingType): Buffer | null {
  switch (type) {
    case 'tls-exporter':
      // No context (RFC 9266 2); @types/node makes the optional argument required.
      return isTls13(socket)
        ? (socket.exportKeyingMaterial as (length: number, label: string) => Buffer)(32, 'EXPORTER-Channel-Binding')
        : null;
    case 'tls-unique': {
      const finished = socket.isSessionReused() ? socket.getPeerFinished() : socket.getFinished();
      return finished && finished.length > 0 ? finished : null;
    }
    case 'tls-server-end-point': {
      const der = peerCertificate(socket)?.raw;
      const hash = der ? serverEndPointHash(der) : null;
      return der && hash ? createHash(hash).update(der).digest() : null;
    }
  }
}

/**
 * The binding type to use, or null when there is none both sides can do.
 * With XEP-0440's list: our order of preference, among what the server
 * lists (tls-unique never on TLS 1.3 then: a server that lists types can
 * name tls-exporter). Without it the server says nothing, and what XMPP
 * servers check is tls-unique (RFC 5929's default; ejabberd 23.01 checks it
 * on TLS 1.3 too, Prosody 0.12 offers -PLUS only on TLS 1.2): that is used.
 */
export function chooseBinding(socket: tls.TLSSocket, advertised: readonly string[] | null): ChannelBindingType | null {
  const preference: ChannelBindingType[] =
    advertised === null
      ? ['tls-unique']
      : isTls13(socket)
        ? ['tls-exporter', 'tls-server-end-point']
        : ['tls-unique', 'tls-server-end-point', 'tls-exporter'];
  for (const type of preference) {
    if (advertised !== null && !advertised.includes(type)) continue;
    if (bindingData(socket, type) !== null) return type;
  }
  return null;
}

/** Whether this connection could bind at all (decides `y` over `n` when the server offers no -PLUS). */
export function canBind(socket: tls.TLSSocket | null): boolean {
  if (!socket) return false;
  return (['tls-exporter', 'tls-unique', 'tls-server-end-point'] as const).some(
    (type) => bindingData(socket, type) !== null,
  );
}

// signatureAlgorithm OIDs (DER content bytes, hex) -> the hash RFC 5929 4.1 uses.
const SIGNATURE_HASHES: Record<string, string> = {
  '2a864886f70d010104': 'sha256', // md5WithRSAEncryption: MD5 -> SHA-256
  '2a864886f70d010105': 'sha256', // sha1WithRSAEncryption: SHA-1 -> SHA-256
  '2a8648ce3d0401': 'sha256', // ecdsa-with-SHA1: SHA-1 -> SHA-256
  '2a864886f70d01010e': 'sha224', // sha224WithRSAEncryption
  '2a864886f70d01010b': 'sha256', // sha256WithRSAEncryption
  '2a864886f70d01010c': 'sha384', // sha384WithRSAEncryption
  '2a864886f70d01010d': 'sha512', // sha512WithRSAEncryption
  '2a8648ce3d040301': 'sha224', // ecdsa-with-SHA224
  '2a8648ce3d040302': 'sha256', // ecdsa-with-SHA256
  '2a8648ce3d040303': 'sha384', // ecdsa-with-SHA384
  '2a8648ce3d040304': 'sha512', // ecdsa-with-SHA512
};

/**
 * The hash for tls-server-end-point, from the certificate's
 * signatureAlgorithm; null for algorithms RFC 5929 gives no single hash
 * (RSASSA-PSS, EdDSA): no binding of that type then.
 */
export function serverEndPointHash(der: Buffer): string | null {
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, ... }, ... }
  const certificate = readTlv(der, 0);
  if (certificate?.tag !== 0x30) return null;
  const tbs = readTlv(der, certificate.contentStart);
  if (!tbs) return null;
  const algorithm = readTlv(der, tbs.end);
  if (algorithm?.tag !== 0x30) return null;
  const oid = readTlv(der, algorithm.contentStart);
  if (oid?.tag !== 0x06) return null;
  return SIGNATURE_HASHES[der.subarray(oid.contentStart, oid.end).toString('hex')] ?? null;
}

function readTlv(der: Buffer, at: number): { tag: number; contentStart: number; end: number } | null {
  if (at + 2 > der.length) return null;
  // in range (checked above): readUInt8 throws rather than read past the end
  const tag = der.readUInt8(at);
  let length = der.readUInt8(at + 1);
  let contentStart = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || contentStart + bytes > der.length) return null;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der.readUInt8(contentStart + i);
    contentStart += bytes;
  }
  const end = contentStart + length;
  return end > der.length ? null : { tag, contentStart, end };
}
