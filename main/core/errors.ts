import type { ErrorCode, ErrorInfo } from '../../preload/contract.js';

/** Plain words for each error code: what a person sees, what the CLI prints. */
const PLAIN_MESSAGES: Record<ErrorCode, string> = {
  'invalid-jid': 'That is not a valid XMPP address.',
  'invalid-argument': 'The request was malformed.',
  'own-jid': 'You cannot add your own address as a contact.',
  'name-too-long': 'That name is too long.',
  'group-invalid': 'A group name is empty, duplicated or too long.',
  'message-too-long': 'That message is too long to send. Split it into shorter messages.',
  'message-empty': 'There is nothing to send.',
  'auth-failed': 'The server did not accept the address or password.',
  'auth-downgrade':
    'The server now offers a weaker way to sign in than before (an older SCRAM, PLAIN, or no channel binding), so Balcony sent no password. Someone may be interfering with the connection; sign in anyway only if you know the server changed.',
  'server-unverified': 'The server could not prove it knows your password; the connection was refused.',
  'tls-required': 'The server does not offer an encrypted connection, so Balcony did not sign in.',
  'tls-failed': 'The secure connection to the server failed (certificate or TLS problem).',
  'host-unreachable': 'The server could not be reached.',
  'no-xmpp-service': 'This domain offers no XMPP service: its DNS records say so.',
  'connection-lost': 'The connection to the server was lost.',
  'stream-error': 'The server closed the connection with an error.',
  'bad-format': 'The server sent data that is not valid XMPP; the connection was closed.',
  'stanza-too-large': 'The server sent an oversized message; the connection was closed.',
  timeout: 'The server did not answer in time.',
  'not-connected': 'Not connected to the server.',
  'bad-request': 'The server rejected the request as malformed.',
  'not-acceptable': 'The server rejected a name or group (too long or empty).',
  forbidden: 'The server does not allow this change.',
  'item-not-found': 'That contact is not in your roster.',
  'not-allowed': 'The server does not allow this (for example adding your own address).',
  'service-unavailable': 'The server does not offer this service.',
  'internal-server-error': 'The server failed while handling the request.',
  'resource-constraint': 'The server is too busy or your roster is full.',
  'server-error': 'The server returned an error.',
  'database-too-new': 'The saved data was written by a newer version of Balcony.',
  'database-corrupt': 'The saved contact list was damaged and has been rebuilt.',
  'database-foreign': 'The file where Balcony keeps its data belongs to another program; it was left untouched.',
  'profile-path-invalid': 'Balcony cannot use the folder where it keeps its data: something else is in the way.',
  'profile-read-only': 'Balcony cannot save to the folder where it keeps its data (it is read-only).',
  'disk-full': 'The disk is full: Balcony could not save. Free some space and try again.',
  internal: 'Something went wrong inside Balcony.',
};

export function plainMessage(code: ErrorCode): string {
  return PLAIN_MESSAGES[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(PLAIN_MESSAGES, value);
}

/** An error that carries a code the UI and the CLI can turn into plain words. */
export class BalconyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = plainMessage(code),
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BalconyError';
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as plain data; unknown failures become 'internal'. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof BalconyError) return error.toInfo();
  const code = (error as { code?: unknown } | null)?.code;
  if (isErrorCode(code)) return { code, message: (error as Error).message || plainMessage(code) };
  const storage = typeof code === 'string' ? sqliteErrorCode(code) : undefined;
  if (storage) return { code: storage, message: plainMessage(storage) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/**
 * better-sqlite3's codes for the storage failures a person can fix, so a
 * write that fails deep inside a store still reaches them in plain words.
 */
function sqliteErrorCode(code: string): ErrorCode | undefined {
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE') return 'disk-full';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return 'profile-read-only';
  return undefined;
}
