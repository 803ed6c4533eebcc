import type { OwnPresence, PresenceShow, RosterItem, SubscriptionAction } from '../../preload/contract.js';

/** What a contact's availability is called on screen. */
export function showWords(show: PresenceShow): string {
  switch (show) {
    case 'available':
    case 'chat':
      return 'available';
    case 'away':
      return 'away';
    case 'dnd':
      return 'busy';
    case 'xa':
      return 'extended away';
    default:
      return 'offline';
  }
}

/** Most available first (the "by availability" order). */
export function showRank(show: PresenceShow): number {
  switch (show) {
    case 'chat':
    case 'available':
      return 0;
    case 'away':
      return 1;
    case 'dnd':
      return 2;
    case 'xa':
      return 3;
    default:
      return 4;
  }
}

/** The choices for our own presence, in menu order. */
export const OWN_SHOWS: readonly OwnPresence['show'][] = ['available', 'away', 'dnd', 'xa'];

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The subscription steps that make sense for `item` now, in the order offered. */
export function subscriptionActions(
  item: Pick<RosterItem, 'subscription' | 'ask' | 'approved'>,
  preApprovalSupported: boolean,
): SubscriptionAction[] {
  const actions: SubscriptionAction[] = [];
  const theySeeUs = item.subscription === 'from' || item.subscription === 'both';
  const weSeeThem = item.subscription === 'to' || item.subscription === 'both';
  if (item.ask === 'subscribe') actions.push('cancel-request');
  else if (!weSeeThem) actions.push('subscribe');
  if (weSeeThem) actions.push('stop-receiving');
  if (theySeeUs) actions.push('stop-sharing');
  else if (preApprovalSupported && !item.approved) actions.push('pre-approve');
  return actions;
}

export const actionLabels: Record<SubscriptionAction, string> = {
  subscribe: 'Ask to see their presence',
  'cancel-request': 'Cancel my request',
  'stop-sharing': 'Stop sharing my presence',
  'stop-receiving': 'Stop seeing theirs',
  'pre-approve': 'Approve in advance',
};

/** The status line after a subscription step went through. */
export function actionDoneWords(action: SubscriptionAction, who: string): string {
  switch (action) {
    case 'subscribe':
      return `Asked to see ${who}’s presence.`;
    case 'cancel-request':
      return `Cancelled your request to see ${who}’s presence.`;
    case 'stop-sharing':
      return `${who} no longer sees your presence.`;
    case 'stop-receiving':
      return `You no longer see ${who}’s presence.`;
    case 'pre-approve':
      return `${who} will see your presence as soon as they ask.`;
  }
}

/** The notice for an offline edit that lost to a change made elsewhere. */
export function conflictWords(who: string, fields: readonly string[]): string {
  if (fields.includes('removed-elsewhere'))
    return `Your offline change to ${who} was not kept: the contact was removed on another device.`;
  const names = fields.filter((f) => f === 'name' || f === 'groups');
  const what = names.length === 0 ? 'details' : names.join(' and ');
  const they = names.length === 1 && names[0] === 'name' ? 'it was' : 'they were';
  return `Your offline change to ${who}’s ${what} was not kept: ${they} changed on another device.`;
}
