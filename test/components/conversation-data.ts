// Conversations for the conversation pane's tests (issue 10): a realistic
// exchange with Romeo over two days, and helpers to make more.
import type { ChatMessage, MessageState } from '../../preload/contract.js';

export const ROMEO = 'romeo@montague.example';
export const OWN = 'juliet@example.com';
const DAY = 86_400_000;
/** Yesterday and today in the page's (UTC) clock. */
export const today = (hours: number, minutes = 0): number => {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes);
};

let seq = 0;
export function message(fields: Partial<ChatMessage> & Pick<ChatMessage, 'body' | 'time'>): ChatMessage {
  seq += 1;
  const direction = fields.direction ?? 'in';
  const conversation = fields.conversation ?? ROMEO;
  return {
    id: fields.id ?? `m${seq}`,
    conversation,
    direction,
    from: direction === 'in' ? conversation : OWN,
    to: direction === 'in' ? OWN : conversation,
    seq,
    state: direction === 'in' ? 'received' : 'read',
    ...fields,
  };
}

export const ours = (body: string, time: number, state: MessageState = 'read', extra: Partial<ChatMessage> = {}) =>
  message({ body, time, direction: 'out', state, ...extra });
export const theirs = (body: string, time: number, extra: Partial<ChatMessage> = {}) =>
  message({ body, time, direction: 'in', ...extra });

export function romeoConversation(): ChatMessage[] {
  return [
    theirs('Did my heart love till now? Forswear it, sight!', today(9, 12) - DAY),
    ours('Who is this?', today(9, 14) - DAY, 'read'),
    theirs('A Montague. Meet me by the orchard wall tonight: https://verona.example/orchard', today(9, 15) - DAY),
    ours('The orchard walls are high and hard to climb.', today(20, 2) - DAY, 'read'),
    theirs('With love’s light wings did I o’erperch these walls.', today(8, 30)),
    theirs('Are you up?', today(8, 31)),
    ours('Good morrow! I am.', today(8, 40), 'read'),
    ours('Shall we meet at the friar’s at noon?', today(8, 41), 'delivered'),
    ours('Bring the ring.', today(8, 42), 'sent'),
  ];
}

/** `count` messages alternating sides, one a minute, ids `h0`… (oldest first). */
export function longConversation(count: number, jid = ROMEO): ChatMessage[] {
  const start = today(0) - count * 60_000;
  return Array.from({ length: count }, (_, i) => {
    const direction = i % 3 === 0 ? 'out' : 'in';
    return message({
      id: `h${i}`,
      conversation: jid,
      body: `Message number ${i}${i % 5 === 0 ? ' with a longer line of text that wraps onto a second line in a narrow pane' : ''}`,
      time: start + i * 60_000,
      direction,
      state: direction === 'out' ? 'read' : 'received',
    });
  });
}
