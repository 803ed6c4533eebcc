// Conversations for the conversation pane's tests (issue 10): a realistic
// exchange with Romeo over two days, and helpers to make more.
import type { Page } from 'playwright-core';
import type { ChatMessage, MessageState } from '../../preload/contract.js';

export const ROMEO = 'romeo@montague.example';
export const OWN = 'juliet@example.com';
const DAY = 86_400_000;
/** Yesterday and today in the page's (UTC) clock. */
export const today = (hours: number, minutes = 0): number => {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes);
};

let seq = 1000;
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

/** Ids r1…r9, seq 1…9, the same on every call. */
export function romeoConversation(): ChatMessage[] {
  const list = [
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
  return list.map((m, i) => ({ ...m, id: `r${i + 1}`, seq: i + 1 }));
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

/** Asks for a conversation as the list does: the page event, from inside the list's shadow root. */
export async function openConversation(page: Page, jid: string): Promise<void> {
  await page.evaluate((j) => {
    const screen = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen');
    const from = screen?.shadowRoot?.querySelector('xm-contact-list') ?? document.body;
    from.dispatchEvent(new CustomEvent('xm-open-conversation', { detail: { jid: j }, bubbles: true, composed: true }));
  }, jid);
  await page.locator('xm-conversation .log[aria-busy="false"]').waitFor();
}

/** Every CONVERSATION_SHOWN the page dispatched, in order. */
export async function recordShown(page: Page): Promise<void> {
  await page.evaluate(() => {
    const shown: (string | null)[] = [];
    (window as unknown as { shown: (string | null)[] }).shown = shown;
    document.addEventListener('xm-conversation-shown', (e) =>
      shown.push((e as CustomEvent<{ jid: string | null }>).detail.jid),
    );
  });
}
export const shownSoFar = (page: Page) =>
  page.evaluate(() => (window as unknown as { shown: (string | null)[] }).shown);
