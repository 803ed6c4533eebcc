/**
 * What one stored archive page tells the window (issue 10, speed): each
 * message the page added or changed once, as it is after the page (a copy
 * of it later in the same page changed it again), in the page's order, and
 * each conversation it touched once. messaging.ts emits them together, in
 * one go after the page's last slice, never per message.
 */
import type { ChatMessage, ConversationSummary } from '../../../preload/contract.js';
import type { StoredBatch } from '../store/message-store.js';

export interface PageEvents {
  messages: ChatMessage[];
  conversations: ConversationSummary[];
}

export function pageEvents(batch: Pick<StoredBatch, 'results' | 'conversations'>): PageEvents {
  // A Map keeps the first position of a key and takes the last value set.
  const messages = new Map<string, ChatMessage>();
  for (const { message, isNew, changed } of batch.results) {
    if (isNew || changed) messages.set(message.id, message);
    else if (messages.has(message.id)) messages.set(message.id, message);
  }
  const conversations = new Map<string, ConversationSummary>();
  for (const summary of batch.conversations) conversations.set(summary.jid, summary);
  return { messages: [...messages.values()], conversations: [...conversations.values()] };
}
