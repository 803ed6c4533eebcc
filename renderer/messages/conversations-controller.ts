import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessengerApi, MessengerEvent } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';
import { ConversationSummaries, type SummariesChange } from './conversation-summaries.js';
import { showUnreadTotal } from './unread-title.js';

type ConversationEvent = Extract<MessengerEvent, { type: 'conversation' }>;

/**
 * Keeps a host's conversation summaries current: one getConversations()
 * snapshot when the host connects (the summaries are cached: offline too),
 * then the 'conversation' events; events that arrive while the snapshot is
 * in flight are replayed on top of it. The window title (and the dock or
 * taskbar badge where there is one) follows the unread total. The host is
 * asked to draw again only when `wantsOrder()` and the order changed:
 * a row's badge and last line follow their own conversation (row-state.ts).
 */
export class ConversationsController implements ReactiveController {
  readonly store = new ConversationSummaries();
  private queued: ConversationEvent[] | null = null;
  private generation = 0;
  private frame = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly messenger: () => MessengerApi | undefined,
    private readonly wantsOrder: () => boolean,
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => this.onEvent(event));
    this.store.subscribe((change) => this.changed(change));
  }

  hostConnected(): void {
    void this.load();
  }

  hostDisconnected(): void {
    this.generation += 1;
    this.queued = null;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    showUnreadTotal(0);
  }

  async load(): Promise<void> {
    const messenger = this.messenger();
    if (!messenger) return;
    const generation = ++this.generation;
    this.queued = [];
    const result = await messenger.getConversations();
    if (generation !== this.generation) return;
    const queued = this.queued;
    this.queued = null;
    // Not loaded: the list shows no badges (nothing is wrong with the contacts); events still bring them.
    if (result.ok) this.store.replace(result.value);
    for (const event of queued) this.store.set(event.conversation);
  }

  private onEvent(event: MessengerEvent): void {
    if (event.type === 'account') {
      void this.load();
      return;
    }
    if (event.type !== 'conversation') return;
    if (this.queued) this.queued.push(event);
    else this.store.set(event.conversation);
  }

  private changed(change: SummariesChange): void {
    showUnreadTotal(this.store.totalUnread);
    if (!change.reordered || !this.wantsOrder()) return;
    // One redraw per frame at most, however many messages a catch-up brings.
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.host.requestUpdate();
      });
    }
  }
}
