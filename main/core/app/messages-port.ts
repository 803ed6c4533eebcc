/**
 * What MessengerService needs of the message service (MESSAGES-DESIGN.md,
 * "MessageService"): the calls behind the conversation channels and the
 * events it forwards to the renderer. main/core/messages/message-service.ts
 * implements it.
 */
import type { EventEmitter } from 'node:events';
import type {
  ChatMessage,
  ChatStateName,
  ConversationSummary,
  HistoryPage,
  HistoryRequest,
  MessageGap,
  MessageSearchHit,
  MessageSearchRequest,
  MessageSettings,
  MessengerEvent,
} from '../../../preload/contract.js';

export interface MessageEvents {
  message: [ChatMessage];
  gap: [string, MessageGap];
  conversation: [ConversationSummary];
  'chat-state': [string, ChatStateName];
}

export interface MessagesPort extends Pick<EventEmitter<MessageEvents>, 'on' | 'off'> {
  send(to: string, body: string): ChatMessage;
  retry(id: string): ChatMessage;
  history(request: HistoryRequest): Promise<HistoryPage>;
  conversations(): ConversationSummary[];
  markRead(jid: string, upTo: string): void;
  setChatState(jid: string, state: ChatStateName): Promise<void>;
  search(request: MessageSearchRequest): MessageSearchHit[];
  settings(): MessageSettings;
  setSettings(settings: MessageSettings): MessageSettings;
}

/**
 * Forwards the message service's events as MessengerEvents while `current()`
 * says this service is still the active account's (a signed-out account's
 * late events are dropped).
 */
export function forwardMessageEvents(
  messages: Pick<EventEmitter<MessageEvents>, 'on'>,
  emit: (event: MessengerEvent) => void,
  current: () => boolean,
): void {
  messages.on('message', (message) => {
    if (current()) emit({ type: 'message', message });
  });
  messages.on('gap', (jid, gap) => {
    if (current()) emit({ type: 'gap', jid, gap });
  });
  messages.on('conversation', (conversation) => {
    if (current()) emit({ type: 'conversation', conversation });
  });
  messages.on('chat-state', (jid, state) => {
    if (current()) emit({ type: 'chat-state', jid, state });
  });
}
