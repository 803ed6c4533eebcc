/**
 * JID parsing and normalisation (RFC 7622, approximated without a full PRECIS
 * table): equivalent spellings of an address must map to one cache key, and
 * anything that is not an address is refused with 'invalid-jid'.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { BalconyError } from './errors.js';

const MAX_PART_BYTES = 1023;
// RFC 7622 3.3.1: characters a localpart may not hold, plus spaces and controls.
const FORBIDDEN_IN_LOCAL = /["&'/:<>@\s\p{Cc}]/u;
const FORBIDDEN_IN_DOMAIN = /[\s\p{Cc}@/\\"'<>&,;]/u;

const PLAIN_BARE_JID = /^[a-z0-9._+-]+@(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$/i;
/** An A-label (RFC 5890 2.3.2.1) anywhere: such a domain takes the slow path to become U-labels. */
const ACE_PREFIX = /xn--/i;
/** Label separators that IDNA treats as a full stop (RFC 3490 3.1; NFKC already maps U+FF0E and U+FF61). */
const IDEOGRAPHIC_FULL_STOP = /\u3002/g;
const NON_ASCII = /[\u0080-\uffff]/;

export interface ParsedJid {
  local: string | null;
  domain: string;
  resource: string | null;
}

function invalid(input: string, why: string): BalconyError {
  const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
  return new BalconyError('invalid-jid', `"${shown}" is not a valid XMPP address: ${why}.`);
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function normalizeLocal(local: string, input: string): string {
  // Width and case folding as PRECIS UsernameCaseMapped does, then NFC.
  const folded = local.normalize('NFKC').toLowerCase().normalize('NFC');
  if (folded.length === 0) throw invalid(input, 'the part before @ is empty');
  if (FORBIDDEN_IN_LOCAL.test(folded)) throw invalid(input, 'the part before @ has a character that is not allowed');
  if (byteLength(folded) > MAX_PART_BYTES) throw invalid(input, 'the part before @ is too long');
  return folded;
}

function normalizeDomain(domain: string, input: string): string {
  let d = domain.normalize('NFKC').toLowerCase().normalize('NFC').replace(IDEOGRAPHIC_FULL_STOP, '.');
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d.length === 0) throw invalid(input, 'the server part is empty');
  if (byteLength(d) > MAX_PART_BYTES) throw invalid(input, 'the server part is too long');
  if (d.startsWith('[')) {
    if (!/^\[[0-9a-f:.]+\]$/.test(d)) throw invalid(input, 'the server part is not a valid IP address');
    return d;
  }
  if (FORBIDDEN_IN_DOMAIN.test(d)) throw invalid(input, 'the server part has a character that is not allowed');
  const labels = d.split('.').map((label) => internationalLabel(label, input));
  if (labels.some((label) => label.length === 0 || label.length > 63)) {
    throw invalid(input, 'the server part is not a valid domain name');
  }
  return labels.join('.');
}

/**
 * RFC 7622 3.2: a domain label is compared and stored as a U-label, so
 * `xn--mnchen-3ya.de` and `münchen.de` are one address. An A-label must
 * decode and encode back to itself (RFC 5891 5.4), or the address is refused.
 * Labels are converted one at a time: a whole domain of digits would be read
 * as an IPv4 address by the URL parser.
 */
function internationalLabel(label: string, input: string): string {
  const isALabel = ACE_PREFIX.test(label.slice(0, 4));
  if (!isALabel && !NON_ASCII.test(label)) return label;
  // For an A-label, domainToASCII would pass it through unchecked: decode it, then encode it back.
  const unicode = domainToUnicode(isALabel ? label : domainToASCII(label));
  const ascii = unicode === '' ? '' : domainToASCII(unicode);
  const wellFormed =
    unicode !== '' &&
    ascii !== '' &&
    !unicode.includes('.') &&
    ascii.length <= 63 &&
    (!isALabel || (ascii === label && unicode !== ascii));
  if (!wellFormed) throw invalid(input, 'the server part is not a valid international domain name');
  return unicode;
}

/** The domain in the form DNS, TLS (SNI, certificate names) and the stream header need: A-labels. */
export function asciiDomain(domain: string): string {
  return domain
    .split('.')
    .map((label) => (NON_ASCII.test(label) ? domainToASCII(label) : label))
    .join('.');
}

/** Parses and normalises any JID; throws BalconyError('invalid-jid'). */
export function parseJid(input: string): ParsedJid {
  if (typeof input !== 'string') throw invalid(String(input), 'it is not text');
  const trimmed = input.trim();
  if (trimmed.length === 0) throw invalid(input, 'it is empty');
  if (trimmed.length > 3 * (MAX_PART_BYTES + 1)) throw invalid(input, 'it is too long');
  const slash = trimmed.indexOf('/');
  const beforeResource = slash === -1 ? trimmed : trimmed.slice(0, slash);
  let resource: string | null = slash === -1 ? null : trimmed.slice(slash + 1).normalize('NFC');
  if (resource !== null) {
    if (resource.length === 0) throw invalid(input, 'the resource after / is empty');
    if (byteLength(resource) > MAX_PART_BYTES || /\p{Cc}/u.test(resource)) {
      throw invalid(input, 'the resource after / is not allowed');
    }
  }
  const at = beforeResource.indexOf('@');
  const local = at === -1 ? null : normalizeLocal(beforeResource.slice(0, at), input);
  const domain = normalizeDomain(at === -1 ? beforeResource : beforeResource.slice(at + 1), input);
  if (resource === '') resource = null;
  return { local, domain, resource };
}

export function formatBare({ local, domain }: Pick<ParsedJid, 'local' | 'domain'>): string {
  return local === null ? domain : `${local}@${domain}`;
}

/**
 * The normalised bare JID of `input`. Contacts may be server-only addresses
 * (gateways); an account must have a localpart (`requireLocal`).
 */
export function normalizeBareJid(input: string, options: { requireLocal?: boolean } = {}): string {
  // Fast path for the common plain-ASCII user@host: folding cannot change it
  // beyond lower-casing (a 50,000-contact roster maps seven times faster).
  if (input.length <= MAX_PART_BYTES && PLAIN_BARE_JID.test(input) && !ACE_PREFIX.test(input))
    return input.toLowerCase();
  const parsed = parseJid(input);
  if (options.requireLocal && parsed.local === null) {
    throw invalid(input, 'it needs a name before @, like juliet@example.com');
  }
  return formatBare(parsed);
}

/** Like normalizeBareJid, but returns null instead of throwing. */
export function tryNormalizeBareJid(input: string | undefined | null): string | null {
  if (typeof input !== 'string') return null;
  try {
    return normalizeBareJid(input);
  } catch {
    return null;
  }
}

/** Hosts for which a cleartext test stream may be allowed. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Characters stringprep's table B.1 maps to nothing (RFC 3454; used by nodeprep and nameprep). */
// eslint-disable-next-line no-misleading-character-class -- each code point of table B.1 is matched on its own; none is meant to combine with its neighbour
const STRINGPREP_DELETED = /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g;

/**
 * A looser key than the normalised JID: spellings that a server still using
 * stringprep (RFC 3920 nodeprep and nameprep, e.g. Prosody) treats as one
 * address, such as `ß@example.net` and `ss@example.net` (full case folding)
 * or a name with a soft hyphen. Only for recognising the server's answer to
 * an edit and a contact typed in another spelling; never a storage key, since
 * a PRECIS server keeps such addresses apart.
 */
export function foldedJidKey(bareJid: string): string {
  return bareJid.replace(STRINGPREP_DELETED, '').normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}
