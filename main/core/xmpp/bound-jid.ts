/**
 * RFC 6120 7.6.1: the bind result names the full JID the server bound, and
 * its bare part is the account that authenticated. xmpp.js takes whatever
 * <jid/> holds (nothing at all makes it throw a TypeError); a server that
 * binds us to another account, or to no JID, would have us run someone
 * else's session (and cache their roster under our name). Refused at once,
 * with the cause in words.
 */
import { BalconyError } from '../errors.js';
import { formatBare, parseJid, type ParsedJid } from '../jid.js';
import type { XmppEntity } from './xmpp-entity.js';

function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/** The bound JID `raw` if it is a full JID of `account` (a normalised bare JID); throws a coded error otherwise. */
export function checkBoundJid(raw: unknown, account: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new BalconyError(
      'bad-format',
      'The server bound the session without saying to which address (no <jid/> in the bind result).',
    );
  }
  let parsed: ParsedJid;
  try {
    parsed = parseJid(raw);
  } catch {
    throw new BalconyError(
      'bad-format',
      `The server bound the session to ${shown(raw)}, which is not an XMPP address.`,
    );
  }
  if (parsed.local === null || formatBare(parsed) !== account) {
    throw new BalconyError(
      'bad-format',
      `The server bound the session to ${shown(raw)}, not to your account ${account}; Balcony did not sign in.`,
    );
  }
  if (parsed.resource === null) {
    throw new BalconyError('bad-format', `The server bound the session to ${shown(raw)}, which has no resource.`);
  }
  return raw;
}

/** Makes the entity refuse a bound JID that is not a full JID of `account`. */
export function guardBoundJid(entity: XmppEntity, account: string): void {
  const setJid = entity._jid.bind(entity);
  entity._jid = (id: unknown) => setJid(checkBoundJid(id, account));
}
