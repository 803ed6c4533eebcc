/**
 * The client side of SCRAM (RFC 5802; SHA-256 and SHA-512 by RFC 7677 and
 * the same construction), with Node's native PBKDF2 and HMAC. Pure message
 * building and checking: sasl.ts drives the exchange on the stream.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { BalconyError } from '../errors.js';

const pbkdf2Async = promisify(pbkdf2);

export type ScramHash = 'sha1' | 'sha256' | 'sha512';

/** The SCRAM family, weakest first; `-PLUS` names are these with the suffix. */
export const SCRAM_MECHANISMS: readonly { name: string; hash: ScramHash }[] = [
  { name: 'SCRAM-SHA-1', hash: 'sha1' },
  { name: 'SCRAM-SHA-256', hash: 'sha256' },
  { name: 'SCRAM-SHA-512', hash: 'sha512' },
];

// A server picks the iteration count; an absurd one would keep us hashing.
export const MAX_SCRAM_ITERATIONS = 1_000_000;

/**
 * The GS2 header (RFC 5802 7): `p=<type>` when we bind the channel, `y` when
 * we could but the server offered no -PLUS (so a server that does support
 * binding sees the downgrade), `n` otherwise. No authorization identity.
 */
export type Gs2Flag = { flag: 'n' } | { flag: 'y' } | { flag: 'p'; type: string };

export function gs2Header(binding: Gs2Flag): string {
  return binding.flag === 'p' ? `p=${binding.type},,` : `${binding.flag},,`;
}

/** saslname (RFC 5802 5.1): ',' and '=' escaped. */
export function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export function clientNonce(): string {
  // printable, no ',' (base64 has none)
  return randomBytes(24).toString('base64');
}

export function clientFirstBare(username: string, nonce: string): string {
  return `n=${saslName(username)},r=${nonce}`;
}

export interface ServerFirst {
  /** The whole message as received: it is part of AuthMessage. */
  raw: string;
  nonce: string;
  salt: Buffer;
  iterations: number;
  /** Optional attributes after i= (e.g. XEP-0474's h=/d=), by name. */
  extensions: Map<string, string>;
}

/**
 * RFC 5802 5.1: server-first-message = [reserved-mext ","] nonce "," salt ","
 * iteration-count ["," extensions]. A mandatory extension we do not know
 * (m=) must fail the authentication, and the nonce must be ours followed by
 * the server's part: otherwise the proof would answer someone else's
 * exchange (a replay or a relay).
 */
export function parseServerFirst(raw: string, ourNonce: string): ServerFirst {
  const [first, second, third, ...rest] = raw.split(',');
  if (first?.startsWith('m=')) {
    throw new BalconyError(
      'auth-failed',
      'The server demanded a SCRAM extension Balcony does not know (m=); authentication was abandoned.',
    );
  }
  const nonce = first?.startsWith('r=') ? first.slice(2) : undefined;
  if (ourNonce === '' || nonce === undefined || !nonce.startsWith(ourNonce) || nonce.length <= ourNonce.length) {
    throw new BalconyError(
      'auth-failed',
      'The server answered with a SCRAM nonce that does not extend ours; authentication was abandoned.',
    );
  }
  const unusable = (): BalconyError => new BalconyError('auth-failed', 'The server sent an unusable SCRAM challenge.');
  if (!second?.startsWith('s=') || !third?.startsWith('i=')) throw unusable();
  const salt = Buffer.from(second.slice(2), 'base64');
  const iterations = /^[1-9][0-9]{0,9}$/.test(third.slice(2)) ? Number(third.slice(2)) : NaN;
  if (salt.length === 0 || !Number.isInteger(iterations) || iterations < 1 || iterations > MAX_SCRAM_ITERATIONS)
    throw unusable();
  const extensions = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at === 1) extensions.set(part.charAt(0), part.slice(2));
  }
  return { raw, nonce, salt, iterations, extensions };
}

function hmac(hash: ScramHash, key: Buffer, data: string): Buffer {
  return createHmac(hash, key).update(data, 'utf8').digest();
}

export interface ClientFinal {
  /** client-final-message, to send (base64'd by the caller). */
  message: string;
  /** What the server's v= must be, base64. */
  expectedServerSignature: string;
}

/**
 * Hi(password, salt, i) with native PBKDF2, then the proof and the server
 * signature we must see (RFC 5802 3). The password is NFKC-normalised, the
 * part of SASLprep (RFC 4013) that matters for real passwords.
 */
export async function clientFinal(input: {
  hash: ScramHash;
  password: string;
  clientFirstBare: string;
  serverFirst: ServerFirst;
  gs2Header: string;
  /** Channel-binding data for p=, empty otherwise. */
  bindingData?: Buffer;
}): Promise<ClientFinal> {
  const { hash, serverFirst } = input;
  const length = createHash(hash).digest().length;
  const salted = await pbkdf2Async(
    input.password.normalize('NFKC'),
    serverFirst.salt,
    serverFirst.iterations,
    length,
    hash,
  );
  const clientKey = hmac(hash, salted, 'Client Key');
  const storedKey = createHash(hash).update(clientKey).digest();
  const cbind = Buffer.concat([Buffer.from(input.gs2Header, 'utf8'), input.bindingData ?? Buffer.alloc(0)]).toString(
    'base64',
  );
  const withoutProof = `c=${cbind},r=${serverFirst.nonce}`;
  const authMessage = `${input.clientFirstBare},${serverFirst.raw},${withoutProof}`;
  const clientSignature = hmac(hash, storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ clientSignature.readUInt8(i)));
  const serverKey = hmac(hash, salted, 'Server Key');
  return {
    message: `${withoutProof},p=${proof.toString('base64')}`,
    expectedServerSignature: hmac(hash, serverKey, authMessage).toString('base64'),
  };
}

/**
 * Checks server-final-message (RFC 5802 7): `v=` must equal what we computed
 * (compared in constant time); `e=` is the server's refusal.
 */
export function verifyServerFinal(serverFinal: string | undefined, expected: string): void {
  if (serverFinal?.startsWith('e=')) {
    throw new BalconyError('auth-failed', `The server refused the sign-in (${serverFinal.slice(2, 100)}).`);
  }
  const received = serverFinal
    ?.split(',')
    .find((p) => p.startsWith('v='))
    ?.slice(2);
  const a = Buffer.from(received ?? '', 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (received === undefined || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new BalconyError('server-unverified');
  }
}
