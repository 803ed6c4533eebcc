/**
 * Which SASL mechanism to use, and whether the server now offers less than
 * it did before (a downgrade, issue 9 item 4), decided from the stream
 * features alone: before anything is sent.
 *
 * Order, strongest first: SCRAM-SHA-512-PLUS, -256-PLUS, -1-PLUS (a bound
 * channel beats a longer hash: it is what stops a man in the middle with a
 * certificate), then SCRAM-SHA-512, -256, -1; PLAIN only inside TLS and only
 * when no SCRAM is offered at all.
 */
import { createHash } from 'node:crypto';
import type tls from 'node:tls';
import { BalconyError } from '../errors.js';
import { canBind, chooseBinding, type ChannelBindingType } from './channel-binding.js';
import { SCRAM_MECHANISMS, type Gs2Flag, type ScramHash } from './scram.js';

/** What an account's server offered that Balcony could use: remembered per account. */
export interface SaslSeen {
  strongest: 'PLAIN' | 'SCRAM-SHA-1' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  /** A -PLUS mechanism was offered with a channel binding this connection could compute. */
  channelBinding: boolean;
}

/** Where the last sign-in's SaslSeen is kept (the profile database). */
export interface SaslMemory {
  load(): SaslSeen | undefined;
  save(seen: SaslSeen): void;
}

const RANK: Record<SaslSeen['strongest'], number> = {
  PLAIN: 0,
  'SCRAM-SHA-1': 1,
  'SCRAM-SHA-256': 2,
  'SCRAM-SHA-512': 3,
};

export type SaslPlan =
  | {
      kind: 'scram';
      mechanism: string;
      hash: ScramHash;
      gs2: Gs2Flag;
      binding: ChannelBindingType | null;
      seen: SaslSeen;
    }
  | { kind: 'plain'; mechanism: 'PLAIN'; seen: SaslSeen };

/**
 * The mechanism to use among those offered, or why none can be. `socket` is
 * the TLS socket (null on a cleartext loopback stream); `bindingTypes` is
 * XEP-0440's list, null when the server did not send one.
 */
export function planSasl(
  offered: ReadonlySet<string>,
  socket: tls.TLSSocket | null,
  bindingTypes: readonly string[] | null,
): SaslPlan {
  const scram = [...SCRAM_MECHANISMS].reverse().filter((m) => offered.has(m.name) || offered.has(`${m.name}-PLUS`));
  const binding = socket ? chooseBinding(socket, bindingTypes) : null;
  const plus = binding ? scram.find((m) => offered.has(`${m.name}-PLUS`)) : undefined;
  const strongest = scram[0];
  if (strongest) {
    const seen: SaslSeen = { strongest: strongest.name as SaslSeen['strongest'], channelBinding: plus !== undefined };
    if (plus && binding) {
      return {
        kind: 'scram',
        mechanism: `${plus.name}-PLUS`,
        hash: plus.hash,
        gs2: { flag: 'p', type: binding },
        binding,
        seen,
      };
    }
    const plain = scram.find((m) => offered.has(m.name));
    if (plain) {
      // RFC 5802 6: 'y' tells a server that supports binding that someone
      // removed its -PLUS names; 'n' when it did offer them (none we share).
      const anyPlus = SCRAM_MECHANISMS.some((m) => offered.has(`${m.name}-PLUS`));
      const gs2: Gs2Flag = !anyPlus && canBind(socket) ? { flag: 'y' } : { flag: 'n' };
      return { kind: 'scram', mechanism: plain.name, hash: plain.hash, gs2, binding: null, seen };
    }
    throw new BalconyError(
      'auth-failed',
      'The server offers SCRAM only with a channel binding this connection cannot provide; Balcony did not sign in.',
    );
  }
  if (offered.has('PLAIN'))
    return { kind: 'plain', mechanism: 'PLAIN', seen: { strongest: 'PLAIN', channelBinding: false } };
  throw new BalconyError('auth-failed', 'The server offers no sign-in method Balcony supports (SCRAM or PLAIN).');
}

/** What a downgrade changed, in words, or null when `now` offers at least what `before` did. */
export function downgrade(before: SaslSeen | undefined, now: SaslSeen): string | null {
  if (!before) return null;
  const changes: string[] = [];
  if (RANK[now.strongest] < RANK[before.strongest]) {
    changes.push(
      now.strongest === 'PLAIN'
        ? `the server no longer offers SCRAM (it offered ${before.strongest} before; now only PLAIN, which sends the password itself)`
        : `the server no longer offers ${before.strongest} (now at best ${now.strongest})`,
    );
  }
  if (before.channelBinding && !now.channelBinding) {
    changes.push(
      'the server no longer offers channel binding (-PLUS), which ties the sign-in to this encrypted connection',
    );
  }
  return changes.length === 0
    ? null
    : `${capitalise(changes.join('; and '))}. Someone between you and the server may have removed them, ` +
        "so Balcony sent no password. If the server's administrator changed this, sign in anyway to accept it.";
}

/** What is remembered after a verified sign-in: the strongest ever seen, unless the user accepted less. */
export function remembered(before: SaslSeen | undefined, now: SaslSeen, accepted: boolean): SaslSeen {
  if (!before || accepted) return now;
  return {
    strongest: RANK[now.strongest] > RANK[before.strongest] ? now.strongest : before.strongest,
    channelBinding: before.channelBinding || now.channelBinding,
  };
}

/**
 * XEP-0474 (SASL SCRAM Downgrade Protection): the server puts a hash of the
 * mechanisms and channel-binding types it advertised in server-first, which
 * the SCRAM proof then signs. A mismatch means someone changed the list we
 * saw. Current versions name the attribute h= and join with %x1E, and
 * %x1F before the binding types; version 0.3 named it d= and joined with
 * ',' and '|': both are accepted.
 */
export function checkDowngradeProtection(
  extensions: ReadonlyMap<string, string>,
  hash: ScramHash,
  mechanisms: readonly string[],
  bindingTypes: readonly string[] | null,
): void {
  const h = extensions.get('h');
  const d = extensions.get('d');
  if (h === undefined && d === undefined) return;
  const digest = (itemSeparator: string, listSeparator: string): string => {
    const sorted = (list: readonly string[]): string => [...list].sort(octetOrder).join(itemSeparator);
    const text = sorted(mechanisms) + (bindingTypes === null ? '' : listSeparator + sorted(bindingTypes));
    return createHash(hash).update(text, 'utf8').digest('base64');
  };
  const current = digest('\x1e', '\x1f');
  const ok = h !== undefined ? h === current : d === current || d === digest(',', '|');
  if (!ok) {
    throw new BalconyError(
      'auth-downgrade',
      "The server's signed list of sign-in methods (XEP-0474) does not match the one this connection showed: someone " +
        'between you and the server changed it. Balcony sent no password and cannot sign in over this connection.',
    );
  }
}

/** i;octet collation (RFC 4790 9.3): byte order. */
function octetOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
