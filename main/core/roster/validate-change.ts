/**
 * Checks an add or update before anything is sent: the server would refuse
 * most of these too, but only after a round trip, and not every server does
 * (Prosody stores an empty group as given).
 */
import { BalconyError } from '../errors.js';
import { normalizeBareJid } from '../jid.js';

/** Limits in UTF-8 bytes, the same as a JID part: long enough for any real name. */
export const MAX_NAME_BYTES = 1023;
export const MAX_GROUP_BYTES = 1023;
export const MAX_GROUPS = 100;

export interface ContactInput {
  jid: string;
  name?: string | null;
  groups?: readonly string[];
}

export interface ValidContact {
  jid: string;
  name: string | null;
  groups: string[];
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function validateContactJid(jid: string, account: string): string {
  const normalized = normalizeBareJid(jid);
  if (normalized === account) throw new BalconyError('own-jid');
  return normalized;
}

export function validateName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  if (typeof name !== 'string') throw new BalconyError('invalid-argument', 'The name must be text.');
  const trimmed = name.trim();
  if (trimmed.length === 0) return null;
  if (bytes(trimmed) > MAX_NAME_BYTES) {
    throw new BalconyError('name-too-long', `That name is too long (at most ${MAX_NAME_BYTES} bytes).`);
  }
  return trimmed;
}

/** Trimmed, unique (in the order given), each non-empty and within limits. */
export function validateGroups(groups: readonly string[] | undefined): string[] {
  if (groups === undefined) return [];
  if (!Array.isArray(groups)) throw new BalconyError('invalid-argument', 'Groups must be a list of text.');
  const unique = new Set<string>();
  for (const group of groups) {
    if (typeof group !== 'string') throw new BalconyError('invalid-argument', 'Groups must be a list of text.');
    const trimmed = group.trim();
    if (trimmed.length === 0) throw new BalconyError('group-invalid', 'A group name cannot be empty.');
    if (bytes(trimmed) > MAX_GROUP_BYTES) {
      throw new BalconyError(
        'group-invalid',
        `The group name "${trimmed.slice(0, 40)}…" is too long (at most ${MAX_GROUP_BYTES} bytes).`,
      );
    }
    unique.add(trimmed);
  }
  if (unique.size > MAX_GROUPS)
    throw new BalconyError('group-invalid', `A contact can be in at most ${MAX_GROUPS} groups.`);
  return [...unique];
}

export function validateContact(input: ContactInput, account: string): ValidContact {
  return {
    jid: validateContactJid(input.jid, account),
    name: validateName(input.name),
    groups: validateGroups(input.groups),
  };
}
