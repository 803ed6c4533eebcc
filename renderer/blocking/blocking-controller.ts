import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BlocklistSnapshot, MessengerApi } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';

const EMPTY: BlocklistSnapshot = { supported: false, items: [], failures: [] };

/**
 * Keeps a host's view of the blocklist (XEP-0191) current: one
 * getBlocklist() when the host connects, then the 'blocklist' events (the
 * whole list each time: it is small). Works offline: main answers from its
 * cache. Until the first answer, blocking counts as unsupported, so no
 * block action is offered that could not work.
 */
export class BlockingController implements ReactiveController {
  list: BlocklistSnapshot = EMPTY;
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly messenger: () => MessengerApi | undefined,
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => {
      if (event.type !== 'blocklist') return;
      this.generation += 1; // newer than any answer still on its way
      this.list = event.blocklist;
      this.host.requestUpdate();
    });
  }

  hostConnected(): void {
    void this.load();
  }

  /** Whether the server offers blocking: the actions are shown only then. */
  get supported(): boolean {
    return this.list.supported;
  }

  /** Whether `jid` (a bare JID) is on the list as shown, a waiting unblock excepted. */
  isBlocked(jid: string): boolean {
    return this.list.items.some((item) => item.jid === jid && item.pending !== 'unblock');
  }

  async load(): Promise<void> {
    const messenger = this.messenger();
    if (!messenger) return;
    const generation = ++this.generation;
    const result = await messenger.getBlocklist();
    if (generation !== this.generation || !result.ok) return;
    this.list = result.value;
    this.host.requestUpdate();
  }
}
