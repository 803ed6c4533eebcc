import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  ConnectionState,
  ErrorInfo,
  MessengerApi,
  MessengerEvent,
  OwnPresence,
  SubscriptionRequest,
} from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';
import type { RosterView } from '../roster/roster-model.js';
import { DEFAULT_LIST_OPTIONS, loadListOptions, saveListOptions, type ListOptions } from './list-options.js';
import { PresenceStore } from './presence-store.js';
import { PresenceView } from './presence-view.js';

type PresenceEvent = Extract<MessengerEvent, { type: 'presence' | 'requests' }>;

/**
 * Keeps a host's presence current: one getPresence() snapshot when the host
 * connects while online and each time the connection comes (back) online,
 * then the 'presence' and 'requests' events (and 'own-presence': ours,
 * whoever set it, online or not). Whenever the connection is
 * not online everyone is shown offline and no request is offered: presence
 * is live or nothing. Events that arrive while a snapshot is in flight are
 * replayed on top of it.
 *
 * Also holds the list's sort and filter (per account) and the view of the
 * roster they make (PresenceView).
 */
export class PresenceController implements ReactiveController {
  readonly store = new PresenceStore();
  requests: SubscriptionRequest[] = [];
  own: OwnPresence = { show: 'available', status: null };
  preApprovalSupported = false;
  error: ErrorInfo | null = null;
  options: ListOptions = { ...DEFAULT_LIST_OPTIONS };

  private readonly sorted = new PresenceView(this.store);
  private online = false;
  private connected = false;
  private queued: PresenceEvent[] | null = null;
  private generation = 0;
  private account = '';
  private source: RosterView | null = null;
  private frame = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly messenger: () => MessengerApi | undefined,
    private readonly onConflict: (jid: string, fields: string[]) => void,
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => this.onEvent(event));
    this.store.subscribe((jids) => {
      this.sorted.changed(jids, this.source);
      // Only an order or filter that depends on presence needs the list again; one redraw per frame at most.
      if (this.options.sort === 'name' && !this.options.hideOffline) return;
      if (this.frame === 0) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.host.requestUpdate();
        });
      }
    });
  }

  hostConnected(): void {
    this.connected = true;
    if (this.online) void this.load();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.generation += 1;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** The account whose list options apply. */
  setAccount(account: string): void {
    if (account === this.account) return;
    this.account = account;
    this.options = loadListOptions(account);
  }

  setOptions(options: ListOptions): void {
    this.options = { ...options };
    saveListOptions(this.account, this.options);
    this.host.requestUpdate();
  }

  /** Tells the controller the connection's state: loads on going online, clears on leaving it. */
  setConnection(connection: ConnectionState): void {
    const online = connection.status === 'online';
    if (online === this.online) return;
    this.online = online;
    if (online) {
      if (this.connected) void this.load();
    } else {
      this.generation += 1;
      this.queued = null;
      this.store.clear();
      this.requests = [];
      this.error = null;
      this.host.requestUpdate();
    }
  }

  /** The roster as the list shows it with the current sort and filter. */
  view(source: RosterView | null): RosterView | null {
    this.source = source;
    return this.sorted.view(source, this.options);
  }

  async load(): Promise<void> {
    const messenger = this.messenger();
    if (!messenger) return;
    const generation = ++this.generation;
    this.queued = [];
    const result = await messenger.getPresence();
    if (generation !== this.generation || !this.online) return;
    const queued = this.takeQueued();
    if (result.ok) {
      this.error = null;
      this.store.replace(result.value.contacts);
      this.requests = result.value.requests;
      this.own = result.value.own;
      this.preApprovalSupported = result.value.preApprovalSupported;
      for (const event of queued) this.apply(event);
    } else {
      this.error = result.error;
    }
    this.host.requestUpdate();
  }

  /** Our own presence as last set (after setOwnPresence succeeded, or main's 'own-presence' event). */
  setOwn(own: OwnPresence): void {
    this.own = own;
    this.host.requestUpdate();
  }

  /**
   * Ends queueing and returns what arrived during the load. Read here, not in
   * load(), where the type still says [] from before the await although
   * setConnection() may have dropped the queue meanwhile.
   */
  private takeQueued(): PresenceEvent[] {
    const queued = this.queued ?? [];
    this.queued = null;
    return queued;
  }

  private onEvent(event: MessengerEvent): void {
    if (event.type === 'connection') {
      this.setConnection(event.state);
      return;
    }
    if (event.type === 'conflict') {
      this.onConflict(event.jid, event.fields);
      return;
    }
    if (event.type === 'own-presence') {
      // Ours, set here or elsewhere (the tray, a tool): not live-only like contacts', so also while offline.
      this.setOwn(event.own);
      return;
    }
    if (event.type !== 'presence' && event.type !== 'requests') return;
    if (!this.online) return;
    if (this.queued) this.queued.push(event);
    else this.apply(event);
  }

  private apply(event: PresenceEvent): void {
    if (event.type === 'presence') {
      this.store.set(event.presence);
    } else {
      this.requests = event.requests;
      this.host.requestUpdate();
    }
  }
}
