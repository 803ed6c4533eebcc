/**
 * Which roster push answers our roster set. RFC 6121 2.3.2: the server pushes
 * the change it made to every interested resource, this one included, but
 * it prepares the address its own way: a server still on stringprep
 * (Prosody's nodeprep) keeps `ß@example.net` as `ss@example.net`, so its push
 * names a spelling we would never produce. The rule:
 * - a push for the very address we sent answers it, whatever it says;
 * - a push for an address that the stringprep fold makes equal answers it
 *   only if it is the same kind of change (a removal for our removal, an
 *   item for our add or update); the server's spelling is the contact's
 *   address from then on;
 * - anything else is some other change and answers nothing.
 */
import { foldedJidKey } from '../jid.js';
import type { PushChange } from './roster-stanzas.js';

export type PushMatch = 'exact' | 'folded' | null;

/** The set we sent: its item's address, and whether it was a removal. */
export interface SentSet {
  jid: string;
  remove: boolean;
}

export function pushJid(change: PushChange): string {
  return change.kind === 'upsert' ? change.item.jid : change.jid;
}

export function matchPush(sent: SentSet, push: PushChange): PushMatch {
  const jid = pushJid(push);
  if (jid === sent.jid) return 'exact';
  const sameKind = (push.kind === 'remove') === sent.remove;
  return sameKind && foldedJidKey(jid) === foldedJidKey(sent.jid) ? 'folded' : null;
}
