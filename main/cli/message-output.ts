/**
 * What balcony-roster prints for messages (issue 10 #5): `send`, `history`
 * and the message lines of `watch`. The JSON forms are a stable interface for
 * scripts; the text forms escape every field from the network or the cache
 * (a body is someone else's text: it must not drive the terminal).
 */
import type { ChatMessage, ConversationEntry, MessageState } from '../../preload/contract.js';
import { printable } from './cli-output.js';

/** One message as scripts see it: the server's time as ISO 8601. */
export function messageJson(message: ChatMessage): object {
  return {
    id: message.id,
    direction: message.direction,
    from: message.from,
    to: message.to,
    body: message.body,
    time: new Date(message.time).toISOString(),
    state: message.state,
  };
}

/** `send --json`: the id, and whether the server has it ('sent') or it waits in the outbox ('queued'). */
export function sendJson(message: ChatMessage, state: 'sent' | 'queued'): string {
  return JSON.stringify({ id: message.id, state });
}

export function sendText(message: ChatMessage, state: 'sent' | 'queued'): string {
  return state === 'sent'
    ? `Sent to ${printable(message.to)}.`
    : 'The server is not reachable: the message is queued and will be sent by the next command that signs in (such as sync).';
}

/** `history --json`: the messages oldest first; the "earlier messages may be missing" markers beside them. */
export function historyJson(entries: readonly ConversationEntry[]): string {
  const messages: object[] = [];
  const gaps: object[] = [];
  for (const entry of entries) {
    if (entry.kind === 'gap') gaps.push({ id: entry.id, time: new Date(entry.time).toISOString() });
    else messages.push(messageJson(entry));
  }
  return JSON.stringify(gaps.length > 0 ? { messages, gaps } : { messages });
}

const STATE_WORDS: Record<MessageState, string> = {
  queued: 'waiting to send',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'not sent',
  received: '',
};

/**
 * One message as text: time, sender, state for ours, then the body, its
 * lines indented under the header so that no body line can pass for a
 * header line of another message.
 */
function messageText(message: ChatMessage): string {
  const state = message.direction === 'out' ? `  (${STATE_WORDS[message.state]})` : '';
  const failure = message.state === 'failed' && message.error ? `: ${printable(message.error.message)}` : '';
  const body = message.body
    .split('\n')
    .map((line) => `    ${printable(line)}`)
    .join('\n');
  return `${new Date(message.time).toISOString()}  ${printable(message.from)}${state}${failure}\n${body}`;
}

export function historyText(jid: string, entries: readonly ConversationEntry[]): string {
  if (entries.length === 0) return `No saved messages with ${printable(jid)}.`;
  return entries
    .map((entry) =>
      entry.kind === 'gap'
        ? `${new Date(entry.time).toISOString()}  (earlier messages may be missing here)`
        : messageText(entry),
    )
    .join('\n');
}

/** `watch`: one line per new or changed message. */
export function watchMessageJson(message: ChatMessage): string {
  return JSON.stringify({ message: messageJson(message) });
}
