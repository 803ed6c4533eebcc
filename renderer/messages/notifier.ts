import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage, MessageSettings, MessengerApi, MessengerEvent } from '../../preload/contract.js';
import { showSystemNotification, windowInView } from '../dom/system-notification.js';
import { MessengerEventsController } from '../messenger-events.js';
import { CONVERSATION_SHOWN, requestConversation, type ConversationShownDetail } from './conversation-events.js';
import { firstLine } from './conversation-summaries.js';

/** Messages already notified (or seen), so a 'message' event for a state or time change never notifies twice. */
const SEEN_LIMIT = 2000;
/**
 * At most one notification per conversation this often: a catch-up's burst shows its first message at once and
 * its newest when the window ends (the same tag, so it replaces the first); the badge counts the rest.
 */
const PER_CONVERSATION_MS = 3000;

/**
 * System notifications for incoming messages (the page's Notification API,
 * which Electron shows as the desktop's own). A message is notified when its
 * conversation is not the one in view (CONVERSATION_SHOWN), or the window is
 * hidden or not focused; never our own (sent here, or a carbon of what another
 * of our devices sent: direction 'out'), never with notifications 'off'.
 * 'private' shows only "New message": no name, no text. Permission is asked
 * for the first time a message is to be notified, not before. Clicking a
 * notification brings the window forward and opens its conversation.
 */
export class MessageNotifier implements ReactiveController {
  /** The user's choice; null until getMessageSettings answered (nothing is shown until then). */
  settings: MessageSettings | null = null;
  private shown: string | null = null;
  private readonly seen = new Set<string>();
  private readonly lastShown = new Map<string, number>();
  /** Per conversation: the newest message held back by the window, and the timer that shows it when it ends. */
  private readonly held = new Map<string, { message: ChatMessage; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly messenger: () => MessengerApi | undefined,
    /** The name the list shows for `jid`, or null when it is not a contact. */
    private readonly nameOf: (jid: string) => string | null,
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => this.onEvent(event));
  }

  hostConnected(): void {
    document.addEventListener(CONVERSATION_SHOWN, this.onShown);
    void this.loadSettings();
  }

  hostDisconnected(): void {
    document.removeEventListener(CONVERSATION_SHOWN, this.onShown);
    for (const { timer } of this.held.values()) clearTimeout(timer);
    this.held.clear();
  }

  private async loadSettings(): Promise<void> {
    const result = await this.messenger()?.getMessageSettings();
    if (result?.ok) this.settings = result.value;
  }

  private readonly onShown = (event: CustomEvent<ConversationShownDetail>): void => {
    this.shown = event.detail.jid;
  };

  private onEvent(event: MessengerEvent): void {
    if (event.type !== 'message') return;
    const message = event.message;
    if (this.seen.has(message.id)) return;
    if (this.seen.size >= SEEN_LIMIT) this.seen.clear();
    this.seen.add(message.id);
    if (message.direction !== 'in') return;
    const wait = (this.lastShown.get(message.conversation) ?? -Infinity) + PER_CONVERSATION_MS - Date.now();
    if (wait <= 0) {
      this.show(message);
      return;
    }
    const held = this.held.get(message.conversation);
    if (held) {
      held.message = message;
      return;
    }
    const timer = setTimeout(() => {
      const newest = this.held.get(message.conversation)?.message;
      this.held.delete(message.conversation);
      if (newest) this.show(newest);
    }, wait);
    this.held.set(message.conversation, { message, timer });
  }

  /** Notifies `message` unless it is read where it is or notifications are off (both asked now, not when it came). */
  private show(message: ChatMessage): void {
    if (this.inView(message.conversation)) return;
    const mode = this.settings?.notifications ?? 'off';
    if (mode === 'off') return;
    this.lastShown.set(message.conversation, Date.now());
    void this.notify(message, mode);
  }

  /** Read where it is: its conversation on screen, in a window that is shown and focused. */
  private inView(jid: string): boolean {
    return this.shown === jid && windowInView();
  }

  private async notify(message: ChatMessage, mode: 'full' | 'private'): Promise<void> {
    const jid = message.conversation;
    const full = mode === 'full';
    await showSystemNotification(
      this.messenger,
      full ? (this.nameOf(jid) ?? jid) : 'New message',
      {
        body: full ? firstLine(message.body) : '',
        // One per conversation on screen: a newer message replaces the older one's notification.
        tag: full ? jid : 'balcony-message',
      },
      () => requestConversation(document, { jid, messageId: message.id }),
    );
  }
}
