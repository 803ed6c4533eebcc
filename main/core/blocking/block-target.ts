/**
 * Which addresses may be blocked, and their one spelling. XEP-0191 blocks
 * any JID: a contact (user@domain), a whole server (domain), or one device
 * (a full JID); the address is normalised like the roster's so that one
 * spelling is one entry. Our own account and our own server are refused:
 * blocking them would cut this account off from itself.
 */
import { BalconyError } from '../errors.js';
import { formatBare, parseJid } from '../jid.js';

/** The normalised form of any JID, its resource kept. Throws 'invalid-jid'. */
export function normalizeBlockJid(input: string): string {
  const parsed = parseJid(input);
  const bare = formatBare(parsed);
  return parsed.resource === null ? bare : `${bare}/${parsed.resource}`;
}

/** An address the user asks to block or unblock, normalised; refuses our account and our server. */
export function validateBlockTarget(input: string, account: string): string {
  const jid = normalizeBlockJid(input);
  const own = parseJid(account);
  const target = parseJid(jid);
  if (target.local === own.local && target.domain === own.domain)
    throw new BalconyError('own-jid', 'You cannot block your own address.');
  if (target.local === null && target.resource === null && target.domain === own.domain)
    throw new BalconyError('invalid-argument', 'You cannot block your own server.');
  return jid;
}

/**
 * Whether `jid` (any address: bare, full, a server) is covered by the
 * blocklist `blocked`, by XEP-0016 2.1's matching: the full JID, the bare
 * JID, the domain with the resource, or the domain.
 */
export function matchesBlocklist(jid: string, blocked: ReadonlySet<string>): boolean {
  let parsed;
  try {
    parsed = parseJid(jid);
  } catch {
    return false;
  }
  const bare = formatBare(parsed);
  const candidates = [bare, parsed.domain];
  if (parsed.resource !== null) candidates.push(`${bare}/${parsed.resource}`, `${parsed.domain}/${parsed.resource}`);
  return candidates.some((candidate) => blocked.has(candidate));
}
