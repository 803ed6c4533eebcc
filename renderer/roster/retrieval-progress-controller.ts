import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessengerApi, MessengerEvent, RosterProgress } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';

/**
 * Follows the sign-in retrieval's progress (the 'roster-progress' events):
 * `progress` is the latest report while a large result arrives, null
 * otherwise; `ended` once a retrieval this host saw has finished (stored or
 * failed), so an empty list is then shown as empty, not as still arriving.
 */
export class RetrievalProgressController implements ReactiveController {
  progress: RosterProgress | null = null;
  ended = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    messenger: () => MessengerApi | undefined,
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => this.onEvent(event));
  }

  hostConnected(): void {
    // Events only: the state starts empty with the host and needs no fetch.
  }

  private onEvent(event: MessengerEvent): void {
    if (event.type === 'roster-progress') {
      this.progress = event.progress.done ? null : event.progress;
      if (event.progress.done) this.ended = true;
      this.host.requestUpdate();
    } else if (event.type === 'roster' && event.change.kind === 'reset' && this.progress !== null) {
      // The whole list is stored: the bar goes as the list loads again.
      this.progress = null;
      this.ended = true;
      this.host.requestUpdate();
    }
  }
}
