// The words of the "Sharing" menu and of its confirmations (issue 12 #7): what
// each subscription step does, said as a person would, naming the contact.
import type { RosterItem, SubscriptionAction } from '../../preload/contract.js';

/** The menu item: what the step does, without the name (the dialog is about one contact). */
export const sharingMenuLabels: Record<SubscriptionAction, string> = {
  subscribe: 'Ask to see their status…',
  'cancel-request': 'Withdraw your request to see their status…',
  'stop-receiving': 'Stop seeing their status…',
  'stop-sharing': 'Stop sharing your status with them…',
  'pre-approve': 'Let them see your status when they ask…',
};

export interface SharingConfirmation {
  /** The question, the dialog's title. */
  title: string;
  /** What follows, in a sentence or two. */
  body: string;
  /** The button that does it. */
  confirm: string;
  /** Taking something away: the button is red. */
  destructive: boolean;
}

export function sharingConfirmation(action: SubscriptionAction, who: string): SharingConfirmation {
  switch (action) {
    case 'subscribe':
      return {
        title: `Ask to see ${who}’s status?`,
        body: `${who} is asked to let you see when they are online. Until they accept, the list says they haven’t accepted yet.`,
        confirm: 'Ask',
        destructive: false,
      };
    case 'cancel-request':
      return {
        title: `Withdraw your request to see ${who}’s status?`,
        body: `${who} is no longer asked. You can ask again later.`,
        confirm: 'Withdraw request',
        destructive: true,
      };
    case 'stop-receiving':
      return {
        title: `Stop seeing ${who}’s status?`,
        body: `You will no longer see when ${who} is online. To see it again you have to ask, and they have to accept.`,
        confirm: 'Stop seeing',
        destructive: true,
      };
    case 'stop-sharing':
      return {
        title: `Stop sharing your status with ${who}?`,
        body: `${who} will no longer see when you are online. If they ask again, you decide then.`,
        confirm: 'Stop sharing',
        destructive: true,
      };
    case 'pre-approve':
      return {
        title: `Let ${who} see your status when they ask?`,
        body: `When ${who} asks to see when you are online, it is shared at once, without asking you first.`,
        confirm: 'Allow',
        destructive: false,
      };
  }
}

/** How sharing stands with a contact, in a person's words. */
export function sharingStateWords(item: Pick<RosterItem, 'subscription' | 'ask' | 'approved'>): string {
  const base = {
    both: 'You see each other’s status.',
    to: 'You see their status; they don’t see yours.',
    from: 'They see your status; you don’t see theirs.',
    none: 'You don’t share status with each other.',
  }[item.subscription];
  const asked = item.ask === 'subscribe' ? ' You asked to see theirs; they haven’t accepted yet.' : '';
  const approved = item.approved ? ' They may see yours as soon as they ask.' : '';
  return base + asked + approved;
}

/** The item as the step will leave it (the server's push confirms it later; the dialog shows it meanwhile). */
export function afterAction<T extends Pick<RosterItem, 'subscription' | 'ask' | 'approved'>>(
  item: T,
  action: SubscriptionAction,
): T {
  const sub = item.subscription;
  switch (action) {
    case 'subscribe':
      return { ...item, ask: 'subscribe' };
    case 'cancel-request':
      return { ...item, ask: null };
    case 'stop-receiving':
      return { ...item, subscription: sub === 'both' ? 'from' : sub === 'to' ? 'none' : sub };
    case 'stop-sharing':
      return { ...item, subscription: sub === 'both' ? 'to' : sub === 'from' ? 'none' : sub, approved: false };
    case 'pre-approve':
      return { ...item, approved: true };
  }
}

/** The status line after a step went through. */
export function sharingDoneWords(action: SubscriptionAction, who: string): string {
  switch (action) {
    case 'subscribe':
      return `Asked to see ${who}’s status.`;
    case 'cancel-request':
      return `Withdrew your request to see ${who}’s status.`;
    case 'stop-sharing':
      return `${who} no longer sees your status.`;
    case 'stop-receiving':
      return `You no longer see ${who}’s status.`;
    case 'pre-approve':
      return `${who} will see your status as soon as they ask.`;
  }
}
