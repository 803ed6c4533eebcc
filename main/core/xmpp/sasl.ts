/**
 * SASL authentication (RFC 6120 6) with the checks @xmpp/sasl lacks:
 * - nothing is sent over a cleartext stream unless the policy allows it
 *   (loopback only, explicit opt-in), so a stripped STARTTLS cannot leak the
 *   password;
 * - with SCRAM, the server-first message is checked before our proof goes
 *   out (RFC 5802 5.1: its nonce must extend ours, a mandatory extension
 *   m= fails), and the server signature in <success/> is verified, so a
 *   server that does not know the password is not believed (RFC 5802 3);
 * - PLAIN proves nothing about the server, so it is used only inside TLS,
 *   where the certificate did.
 * What was proven is recorded for the negotiation gate, which lets nothing
 * but negotiation through until it has been.
 * SCRAM-SHA-1 is preferred; PLAIN only when SCRAM is not offered.
 */
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { xml } from '@xmpp/client';
import { procedure } from '@xmpp/events';
import type { StreamFeatures } from './xmpp-entity.js';
import type { Element } from '@xmpp/xml';
import ScramSha1 from 'sasl-scram-sha-1';
import { BalconyError } from '../errors.js';
import type { XmppEntity } from './xmpp-entity.js';
import { isConfidential, recordAuthentication } from './negotiation-gate.js';

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const pbkdf2Async = promisify(pbkdf2);

export interface SaslCredentials {
  username: string;
  password: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

function scramAttribute(message: string, key: string): string | undefined {
  for (const part of message.split(',')) {
    if (part.startsWith(`${key}=`)) return part.slice(key.length + 1);
  }
  return undefined;
}

function failure(element: Element): BalconyError {
  const condition = element.getChildElements()[0]?.name ?? 'not-authorized';
  const text = element.getChildText('text');
  return new BalconyError('auth-failed',
    `The server did not accept the address or password (${condition}${text ? `: ${text}` : ''}).`);
}

// A server picks the iteration count; an absurd one would keep us hashing.
const MAX_SCRAM_ITERATIONS = 1_000_000;

/**
 * Hi(password, salt, i) of RFC 5802 with Node's native PBKDF2: the library's
 * own, two WebCrypto calls per iteration, takes over a second for Prosody's
 * 10,000 iterations; this takes about two milliseconds. The library uses a
 * given saltedPassword when the salt matches, and still computes the server
 * signature we verify.
 */
async function saltPassword(password: string, mech: ScramSha1): Promise<Uint8Array> {
  const iterations = mech._iterationCount;
  const salt = mech._salt;
  if (!salt || !Number.isInteger(iterations) || iterations! < 1 || iterations! > MAX_SCRAM_ITERATIONS) {
    throw new BalconyError('auth-failed', 'The server sent an unusable SCRAM challenge.');
  }
  return new Uint8Array(await pbkdf2Async(password.normalize('NFKC'), salt, iterations!, 20, 'sha1'));
}

/**
 * RFC 5802 5.1: server-first-message = [reserved-mext ","] nonce "," salt ","
 * iteration-count ["," extensions]. A mandatory extension we do not know
 * (m=) must fail the authentication, and the nonce must be ours followed by
 * the server's part: otherwise the proof would answer someone else's
 * exchange (a replay or a relay).
 */
function checkServerFirst(serverFirst: string, clientNonce: string): void {
  const [first, ...rest] = serverFirst.split(',');
  if (first?.startsWith('m=')) {
    throw new BalconyError('auth-failed', 'The server demanded a SCRAM extension Balcony does not know (m=); authentication was abandoned.');
  }
  const nonce = first?.startsWith('r=') ? first.slice(2) : undefined;
  if (clientNonce === '' || nonce === undefined || !nonce.startsWith(clientNonce) || nonce.length <= clientNonce.length) {
    throw new BalconyError('auth-failed', 'The server answered with a SCRAM nonce that does not extend ours; authentication was abandoned.');
  }
  if (!rest[0]?.startsWith('s=') || !rest[1]?.startsWith('i=')) {
    throw new BalconyError('auth-failed', 'The server sent an unusable SCRAM challenge.');
  }
}

async function authenticateScram(entity: XmppEntity, credentials: SaslCredentials): Promise<void> {
  const mech = new ScramSha1();
  const clientFirst = await mech.response(credentials);
  const clientNonce = scramAttribute(clientFirst, 'r') ?? '';
  let serverFirstSeen = false;
  let serverFinal: string | undefined;
  await procedure(entity,
    xml('auth', { xmlns: NS_SASL, mechanism: 'SCRAM-SHA-1' }, b64(clientFirst)),
    async (element: Element, done: (value: unknown) => void) => {
      if (element.getNS() !== NS_SASL) return;
      if (element.name === 'challenge') {
        const challenge = unb64(element.text());
        if (serverFirstSeen || scramAttribute(challenge, 'v') !== undefined) {
          serverFinal = challenge; // some servers send server-final as a last challenge
          await entity.send(xml('response', { xmlns: NS_SASL }));
          return;
        }
        serverFirstSeen = true;
        checkServerFirst(challenge, clientNonce);
        mech.challenge(challenge);
        const saltedPassword = await saltPassword(credentials.password, mech);
        await entity.send(xml('response', { xmlns: NS_SASL }, b64(await mech.response({ ...credentials, salt: mech._salt, saltedPassword }))));
      } else if (element.name === 'failure') {
        throw failure(element);
      } else if (element.name === 'success') {
        const data = element.text();
        if (data) serverFinal = unb64(data);
        done(undefined);
      }
    });
  const expected = mech._serverSignature ? Buffer.from(mech._serverSignature).toString('base64') : undefined;
  const received = serverFinal === undefined ? undefined : scramAttribute(serverFinal, 'v');
  if (!expected || received !== expected) {
    throw new BalconyError('server-unverified');
  }
  recordAuthentication(entity, 'scram-verified');
}

async function authenticatePlain(entity: XmppEntity, { username, password }: SaslCredentials): Promise<void> {
  await procedure(entity,
    xml('auth', { xmlns: NS_SASL, mechanism: 'PLAIN' }, b64(`\0${username}\0${password}`)),
    async (element: Element, done: (value: unknown) => void) => {
      if (element.getNS() !== NS_SASL) return;
      if (element.name === 'failure') throw failure(element);
      if (element.name === 'success') done(undefined);
    });
  recordAuthentication(entity, 'plain-in-tls');
}

export function useSasl(streamFeatures: StreamFeatures, credentials: SaslCredentials, allowPlaintext: boolean): void {
  streamFeatures.use('mechanisms', NS_SASL, async ({ entity }, _next, element) => {
    if (!isConfidential(entity, allowPlaintext)) throw new BalconyError('tls-required');
    const offered = new Set(element.getChildren('mechanism', NS_SASL).map((m: Element) => m.text().trim()));
    if (offered.has('SCRAM-SHA-1')) {
      await authenticateScram(entity, credentials);
    } else if (offered.has('PLAIN') && entity.isSecure()) {
      await authenticatePlain(entity, credentials);
    } else if (offered.has('PLAIN')) {
      // A cleartext loopback stream: PLAIN would send the password and prove nothing about the server.
      throw new BalconyError('server-unverified', 'The server offers only PLAIN on a cleartext stream, which cannot prove who it is; Balcony did not sign in.');
    } else {
      throw new BalconyError('auth-failed', 'The server offers no sign-in method Balcony supports (SCRAM-SHA-1 or PLAIN).');
    }
    await entity.restart();
  });
}
