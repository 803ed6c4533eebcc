import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessengerApi, MessengerEvent } from '../preload/contract.js';

type Listener = (event: MessengerEvent) => void;

/** One subscription per host and messenger, shared by the host's controllers (e.g. roster and presence). */
interface Hub {
  listeners: Set<Listener>;
  unsubscribe: () => void;
}

const hubs = new WeakMap<ReactiveControllerHost, Map<MessengerApi, Hub>>();

/**
 * Listens to the main process's change events for as long as its host is in
 * the document: subscribes in hostConnected, unsubscribes in
 * hostDisconnected, so a removed element never keeps a listener alive.
 * Several controllers of one host share one subscription; each is called in
 * the order it was added.
 */
export class MessengerEventsController implements ReactiveController {
  private release: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly messenger: () => MessengerApi | undefined,
    private readonly listener: Listener,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.release?.();
    this.release = null;
    const messenger = this.messenger();
    if (!messenger) return;
    let byMessenger = hubs.get(this.host);
    if (!byMessenger) hubs.set(this.host, (byMessenger = new Map<MessengerApi, Hub>()));
    let hub = byMessenger.get(messenger);
    if (!hub) {
      const listeners = new Set<Listener>();
      const unsubscribe = messenger.onEvent((event) => {
        for (const listener of [...listeners]) listener(event);
      });
      byMessenger.set(messenger, (hub = { listeners, unsubscribe }));
    }
    const joined = hub;
    joined.listeners.add(this.listener);
    this.release = () => {
      joined.listeners.delete(this.listener);
      if (joined.listeners.size === 0) {
        joined.unsubscribe();
        if (byMessenger.get(messenger) === joined) byMessenger.delete(messenger);
      }
    };
  }

  hostDisconnected(): void {
    this.release?.();
    this.release = null;
  }
}
