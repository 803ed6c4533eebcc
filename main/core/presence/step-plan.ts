/**
 * When a stored subscription step (approve, deny, ask, withdraw) may go out,
 * decided at each send against the roster as it is now.
 *
 * Why two outboxes and a rule, not one queue: a roster edit is merged with
 * the server's roster after the sign-in retrieval and leaves its outbox on
 * the server's push; a subscription step is a bare stanza with no answer of
 * its own. What must hold is the user's order per contact, and that order is
 * kept exactly: each step records the newest roster edit made before it
 * (`afterEdit`, read in the same INSERT), so for one contact
 * - a roster edit made before the step goes first: the step waits while
 *   such an edit is still waiting (add Romeo, then approve him: the approve
 *   finds the item with the name and groups the user gave);
 * - a roster removal made after the step supersedes it: removing a contact
 *   cancels the subscription both ways (RFC 6121 2.5), so sending the older
 *   approve after the removal would give back what the user took away. The
 *   step is dropped; the server keeps an unanswered request and asks again.
 *   (Other later edits, add and update, never touch subscription state, so
 *   their order against a step does not change the outcome.)
 * Across contacts nothing depends on order, so a step waiting for one
 * contact's edit never holds back another contact's.
 *
 * Exactly once: a step is marked as written before it is written, and
 * leaves the outbox once the server answered a ping sent after it (a server
 * handles one stream's stanzas in order). A step that was written but not
 * confirmed (the process was killed, the connection dropped) is sent again
 * at the next sign-in, unless the retrieved roster already shows its effect.
 */
import type { RosterItem } from '../../../preload/contract.js';
import type { OutboxEntry } from '../store/outbox-store.js';
import type { PresenceStep, StepType } from '../store/presence-outbox-store.js';

/** 'send' now; 'wait' for an earlier roster edit; 'drop': superseded; 'done': the server already has it. */
export type StepDecision = 'send' | 'wait' | 'drop' | 'done';

/** `edits`: the roster outbox entries of the same contact (any state). */
export function planStep(
  step: PresenceStep,
  item: RosterItem | undefined,
  edits: readonly OutboxEntry[],
): StepDecision {
  const waiting = edits.filter((edit) => edit.jid === step.jid && edit.state === 'waiting');
  if (waiting.some((edit) => edit.op === 'remove' && edit.id > step.afterEdit)) return 'drop';
  if (waiting.some((edit) => edit.id <= step.afterEdit)) return 'wait';
  if (step.sentAt !== null && rosterShows(step.type, item)) return 'done';
  return 'send';
}

/** Whether the roster shows the effect of `type` (so a step written earlier did arrive). */
export function rosterShows(type: StepType, item: RosterItem | undefined): boolean {
  switch (type) {
    case 'subscribed':
      return item !== undefined && (item.subscription === 'from' || item.subscription === 'both' || item.approved);
    case 'subscribe':
      return (
        item !== undefined && (item.subscription === 'to' || item.subscription === 'both' || item.ask === 'subscribe')
      );
    case 'unsubscribed':
      // a refused stranger leaves no item: nothing to tell, so it is sent again (servers ignore a repeat)
      return item !== undefined && (item.subscription === 'none' || item.subscription === 'to') && !item.approved;
    case 'unsubscribe':
      return (
        item === undefined || ((item.subscription === 'none' || item.subscription === 'from') && item.ask === null)
      );
  }
}
