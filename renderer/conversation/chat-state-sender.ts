import type { ChatStateName } from '../../preload/contract.js';

/** After this long without a keystroke, "composing" becomes "paused" (XEP-0085 suggests about 30 s; clients use 5–10). */
export const PAUSE_AFTER_MS = 5000;

/**
 * Our chat state in one conversation (XEP-0085), from what the composer
 * does: typing says 'composing' once (not per key), a pause says 'paused',
 * an emptied field or a sent message says 'active'. Only changes are
 * passed on; main decides whether each goes out (the setting, shared
 * presence), so nothing here knows about those.
 */
export class ChatStateSender {
  private state: ChatStateName = 'active';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (state: ChatStateName) => void) {}

  /** The text changed. */
  input(text: string): void {
    clearTimeout(this.timer);
    if (text.trim() === '') {
      this.set('active');
      return;
    }
    this.set('composing');
    this.timer = setTimeout(() => this.set('paused'), PAUSE_AFTER_MS);
  }

  /** The message went out: the message itself carries <active/>, so only our idea of the state changes. */
  sent(): void {
    clearTimeout(this.timer);
    this.state = 'active';
  }

  /** The conversation is left (closed or switched away) while typing: 'paused', the draft stays. */
  leave(): void {
    clearTimeout(this.timer);
    if (this.state === 'composing') this.set('paused');
  }

  private set(state: ChatStateName): void {
    if (state === this.state) return;
    this.state = state;
    this.send(state);
  }
}
