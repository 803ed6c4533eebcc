/**
 * Turns whatever xmpp.js, Node's sockets or TLS throw into a BalconyError,
 * so the UI and the CLI see one of our codes, never a raw exception.
 */
import { BalconyError } from '../errors.js';
import { StreamGuardError } from './guarded-parser.js';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);
// The server was reached, then the connection broke (a reset, a write after the peer left).
const LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

const STANZA_CONDITIONS = new Set([
  'bad-request',
  'not-acceptable',
  'forbidden',
  'item-not-found',
  'not-allowed',
  'service-unavailable',
  'internal-server-error',
  'resource-constraint',
]);

export function connectionError(error: unknown): BalconyError {
  if (error instanceof BalconyError) return error;
  if (error instanceof StreamGuardError)
    return new BalconyError(error.code, `${error.message}; the connection was closed.`);
  const e = error as { name?: string; code?: string; condition?: string; message?: string } | null | undefined;
  if (e?.name === 'SASLError') return new BalconyError('auth-failed');
  if (e?.name === 'TimeoutError') return new BalconyError('timeout');
  if (e?.name === 'StreamError') {
    if (e.condition === 'not-authorized') return new BalconyError('auth-failed');
    if (e.condition === 'bad-format' || e.condition === 'not-well-formed') return new BalconyError('bad-format');
    return new BalconyError('stream-error', `The server closed the connection (${e.condition ?? 'unknown error'}).`);
  }
  if (e?.name === 'XMLError') return new BalconyError('bad-format', `The server sent malformed XML (${e.message}).`);
  if (typeof e?.code === 'string') {
    if (UNREACHABLE.has(e.code))
      return new BalconyError('host-unreachable', `The server could not be reached (${e.code}).`);
    if (LOST.has(e.code))
      return new BalconyError('connection-lost', `The connection to the server was lost (${e.code}).`);
    if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_/.test(e.code)) {
      return new BalconyError('tls-failed', `The secure connection failed: ${e.message ?? e.code}.`);
    }
  }
  return new BalconyError('internal', `Connection failed: ${e?.message ?? String(error)}`, { cause: error });
}

/** An iq error reply (xmpp.js StanzaError) as one of our codes. */
export function stanzaError(error: unknown): BalconyError {
  const e = error as { name?: string; condition?: string; text?: string } | null | undefined;
  if (e?.name === 'StanzaError' && typeof e.condition === 'string') {
    const code = STANZA_CONDITIONS.has(e.condition) ? (e.condition as never) : 'server-error';
    const base = new BalconyError(code).message;
    return new BalconyError(code, e.text ? `${base} (${e.text})` : base);
  }
  return connectionError(error);
}

/**
 * Whether an 'error' from the connection also ends its stream (the parser's
 * guards, malformed XML, a stream error), so that its code is the cause of
 * the drop that follows.
 */
export function endsTheStream(error: unknown): boolean {
  if (error instanceof StreamGuardError) return true;
  const name = (error as { name?: string } | null)?.name;
  return name === 'XMLError' || name === 'StreamError';
}
