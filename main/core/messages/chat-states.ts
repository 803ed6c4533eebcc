/**
 * Chat states (XEP-0085): what we send and what we show.
 *
 * Sent only where allowed: the user did not turn it off, and the contact is
 * someone we share presence with (a stranger learns nothing of our typing,
 * as XEP-0085 section 9 advises). Each state is sent once per change:
 * typing a sentence gives one 'composing', not one per key.
 *
 * Received: a contact's last state is shown until it changes; a message with
 * a body and no state ends "typing…" (it is 'active' in effect).
 */
import type { ChatStateName } from '../../../preload/contract.js';

export const CHAT_STATES: readonly ChatStateName[] = ['active', 'composing', 'paused', 'inactive', 'gone'];

export function isChatState(value: unknown): value is ChatStateName {
  return typeof value === 'string' && (CHAT_STATES as readonly string[]).includes(value);
}

export interface ChatStatePolicy {
  sendChatStates: boolean;
  sharesPresence: boolean;
  blocked: boolean;
  online: boolean;
}

/** Whether our chat state may go to this contact at all. */
export function maySendChatState(policy: ChatStatePolicy): boolean {
  return policy.online && policy.sendChatStates && policy.sharesPresence && !policy.blocked;
}

/** Most contacts remembered; beyond it the oldest are forgotten (a hostile flood of senders stays bounded). */
const MAX_TRACKED = 2_000;

/** The last state per contact, on one side (ours sent, or theirs shown). */
export class ChatStateMemory {
  readonly #last = new Map<string, ChatStateName>();

  /** Records `state` for `jid`; true when it differs from the last one (so it is worth sending or showing). */
  change(jid: string, state: ChatStateName): boolean {
    const before = this.#last.get(jid) ?? 'active';
    this.#last.delete(jid);
    if (state !== 'active') this.#last.set(jid, state);
    if (this.#last.size > MAX_TRACKED) {
      const oldest = this.#last.keys().next().value;
      if (oldest !== undefined) this.#last.delete(oldest);
    }
    return before !== state;
  }

  get(jid: string): ChatStateName {
    return this.#last.get(jid) ?? 'active';
  }

  /** A new stream: the other side knows nothing of what we sent before. */
  clear(): void {
    this.#last.clear();
  }

  /** Forgets every state; returns the contacts whose state was not 'active' (to be shown as such again). */
  reset(): string[] {
    const changed = [...this.#last.keys()];
    this.#last.clear();
    return changed;
  }
}
