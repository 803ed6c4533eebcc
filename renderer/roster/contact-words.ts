// What a contact row says, in the words a person uses: the relation only when
// it is not mutual, and the one sentence a screen reader reads for the row.
import type { ContactPresence, RosterItem } from '../../preload/contract.js';
import { showWords } from '../presence/presence-words.js';
import { pendingWords, plural } from '../words.js';

/**
 * The subscription, said only when it is not the usual "you see each other"
 * (null then): what the person would notice, not the protocol state.
 */
export function relationWords(item: Pick<RosterItem, 'subscription' | 'ask' | 'approved'>): string | null {
  if (item.subscription === 'both') return null;
  if (item.ask === 'subscribe') return 'hasn’t accepted yet';
  // Pre-approved (RFC 6121 §3.4): our presence goes to them as soon as they ask.
  if (item.approved && item.subscription !== 'from') return 'will see your status when they ask';
  switch (item.subscription) {
    case 'to':
      return 'can’t see your status';
    case 'from':
      return 'you don’t see their status';
    default:
      return 'not sharing status';
  }
}

/** A contact row's accessible name: "Romeo Montague, away, At the ball", then anything unusual about it. */
export function contactRowName(label: string, item: RosterItem, presence: ContactPresence | undefined): string {
  const parts = [label, showWords(presence?.show ?? 'offline')];
  const status = presence?.status?.trim();
  if (status) parts.push(status);
  const relation = relationWords(item);
  if (relation) parts.push(relation);
  if (item.pending) parts.push(pendingWords(item.pending));
  return parts.join(', ');
}

/** A group header's accessible name: "Friends, 12 contacts". */
export function groupRowName(name: string, count: number): string {
  return `${name}, ${plural(count, 'contact')}`;
}
