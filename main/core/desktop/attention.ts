/**
 * What asks for the user's attention (issue 13 #1): unread messages and
 * contact requests waiting for an answer, counted for the tray's tooltip and
 * icon and the dock or launcher badge. Free of Electron: the tracker follows
 * the service's events; main/tray.ts only draws what it says.
 */
import type {
  AccountSettings,
  ConnectionState,
  ConversationSummary,
  MessengerEvent,
  PresenceSnapshot,
} from '../../../preload/contract.js';

export interface Attention {
  /** Unread messages over every conversation. */
  unread: number;
  /** Contact requests waiting for an answer. */
  requests: number;
  total: number;
}

/** Where the account stands, for the tooltip: no account, or the connection's state. */
export type AttentionStatus = 'signed-out' | ConnectionState['status'];

export interface AttentionView extends Attention {
  status: AttentionStatus;
  tooltip: string;
  /** The tray shows its "attention" icon (a dot) when something waits. */
  attentionIcon: boolean;
}

/** The counts from the conversations' unread numbers and the pending requests. */
export function countAttention(unread: Iterable<number>, requests: number): Attention {
  let messages = 0;
  // A damaged count (negative, fractional, not a number) counts as nothing rather than poisoning the sum.
  for (const n of unread) if (Number.isSafeInteger(n) && n > 0) messages += n;
  const waiting = Number.isSafeInteger(requests) && requests > 0 ? requests : 0;
  return { unread: messages, requests: waiting, total: messages + waiting };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const STATUS_WORDS: Record<AttentionStatus, string> = {
  'signed-out': 'signed out',
  offline: 'offline',
  connecting: 'connecting…',
  online: 'online',
  error: 'not connected',
};

/**
 * The tray's tooltip: "Balcony – 3 unread messages, 1 contact request", or
 * the state when nothing waits ("Balcony – online"); a count seen while not
 * online says so, since it may be out of date.
 */
export function trayTooltip(attention: Attention, status: AttentionStatus): string {
  const counts = [
    attention.unread > 0 ? plural(attention.unread, 'unread message', 'unread messages') : '',
    attention.requests > 0 ? plural(attention.requests, 'contact request', 'contact requests') : '',
  ].filter(Boolean);
  if (counts.length === 0) return `Balcony – ${STATUS_WORDS[status]}`;
  const words = counts.join(', ');
  return status === 'online' ? `Balcony – ${words}` : `Balcony – ${words} (${STATUS_WORDS[status]})`;
}

export function attentionView(attention: Attention, status: AttentionStatus): AttentionView {
  return { ...attention, status, tooltip: trayTooltip(attention, status), attentionIcon: attention.total > 0 };
}

/** What the tracker reads from the service (MessengerService has all of it; tests may pass less). */
export interface AttentionSource {
  getState(): { account: AccountSettings | null; connection: ConnectionState };
  /** Throws when no account is active. */
  getConversations(): ConversationSummary[];
  /** Throws when no account is active. */
  getPresence(): Pick<PresenceSnapshot, 'requests'>;
  on(name: 'event', listener: (event: MessengerEvent) => void): unknown;
  off(name: 'event', listener: (event: MessengerEvent) => void): unknown;
}

/**
 * Follows the service: each conversation's unread count ('conversation'
 * events), the pending requests ('requests'), the connection and the
 * account; calls `onChange` with the new view when what it shows changed
 * (not for every event: a message that changes nothing redraws nothing).
 */
export class AttentionTracker {
  readonly #source: AttentionSource;
  readonly #onChange: (view: AttentionView) => void;
  readonly #unread = new Map<string, number>();
  #requests = 0;
  #status: AttentionStatus = 'signed-out';
  #view: AttentionView;
  readonly #listener = (event: MessengerEvent): void => this.#onEvent(event);

  constructor(source: AttentionSource, onChange: (view: AttentionView) => void = () => undefined) {
    this.#source = source;
    this.#onChange = onChange;
    this.#reload();
    this.#view = this.#compute();
    source.on('event', this.#listener);
  }

  get view(): AttentionView {
    return this.#view;
  }

  dispose(): void {
    this.#source.off('event', this.#listener);
  }

  #onEvent(event: MessengerEvent): void {
    switch (event.type) {
      case 'conversation':
        this.#unread.set(event.conversation.jid, event.conversation.unread);
        break;
      case 'requests':
        this.#requests = event.requests.length;
        break;
      case 'connection':
        this.#status = this.#statusOf(event.state);
        break;
      case 'account':
        // Another account (or none): its conversations and requests, from the start.
        this.#reload();
        break;
      default:
        return;
    }
    this.#publish();
  }

  #statusOf(connection: ConnectionState): AttentionStatus {
    return this.#source.getState().account ? connection.status : 'signed-out';
  }

  /** Everything from the service as it is now (at start, and when the account changes). */
  #reload(): void {
    const state = this.#source.getState();
    this.#status = state.account ? state.connection.status : 'signed-out';
    this.#unread.clear();
    this.#requests = 0;
    if (!state.account) return;
    try {
      for (const conversation of this.#source.getConversations())
        this.#unread.set(conversation.jid, conversation.unread);
      this.#requests = this.#source.getPresence().requests.length;
    } catch {
      // No active account after all (signing out meanwhile): nothing waits.
    }
  }

  #compute(): AttentionView {
    return attentionView(countAttention(this.#unread.values(), this.#requests), this.#status);
  }

  #publish(): void {
    const next = this.#compute();
    const before = this.#view;
    if (next.tooltip === before.tooltip && next.total === before.total && next.attentionIcon === before.attentionIcon)
      return;
    this.#view = next;
    this.#onChange(next);
  }
}
