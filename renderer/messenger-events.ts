import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessengerApi, MessengerEvent } from '../preload/contract.js';

/**
 * Listens to the main process's change events for as long as its host is in
 * the document: subscribes in hostConnected, unsubscribes in
 * hostDisconnected, so a removed element never keeps a listener alive.
 */
export class MessengerEventsController implements ReactiveController {
  private unsubscribe: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly messenger: () => MessengerApi | undefined,
    private readonly listener: (event: MessengerEvent) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.messenger()?.onEvent(this.listener) ?? null;
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
