import type { ChatMessage, MessageState } from '../../preload/contract.js';

/** What the state of one of our messages is called, on screen and for screen readers. */
export function stateWords(state: MessageState): string {
  switch (state) {
    case 'queued':
      return 'Waiting to send';
    case 'sending':
      return 'Sending…';
    case 'sent':
      return 'Sent';
    case 'delivered':
      return 'Delivered';
    case 'read':
      return 'Read';
    case 'failed':
      return 'Not sent';
    default:
      return '';
  }
}

/** The glyph beside the time: one tick sent, two delivered, two filled read; a clock while waiting. */
export function stateGlyph(state: MessageState): string {
  switch (state) {
    case 'queued':
    case 'sending':
      return '◷';
    case 'sent':
      return '✓';
    case 'delivered':
    case 'read':
      return '✓✓';
    case 'failed':
      return '!';
    default:
      return '';
  }
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export const timeWords = (time: number): string => timeFormat.format(time);
export const fullTimeWords = (time: number): string => fullFormat.format(time);
export const shortDayWords = (time: number): string => shortDayFormat.format(time);

/** The local calendar day of a time, as a number that compares. */
export function dayKey(time: number): number {
  const date = new Date(time);
  return date.getFullYear() * 10_000 + date.getMonth() * 100 + date.getDate();
}

/** A day separator's words: Today, Yesterday, or the date. */
export function dayWords(time: number, now = Date.now()): string {
  const key = dayKey(time);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(now - 86_400_000)) return 'Yesterday';
  return dayFormat.format(time);
}

/** One message read out whole: who, when, what, and for ours where it is. */
export function messageLabel(message: ChatMessage, theirName: string): string {
  const who = message.direction === 'out' ? (message.fromOtherDevice ? 'You, from another device' : 'You') : theirName;
  const state = message.direction === 'out' ? `, ${stateWords(message.state)}` : '';
  return `${who}, ${timeWords(message.time)}${state}`;
}
