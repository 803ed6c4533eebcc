import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MessageSettings, MessengerApi, MessengerEvent, SubscriptionRequest } from '../../preload/contract.js';
import { showSystemNotification, windowInView } from '../dom/system-notification.js';
import { MessengerEventsController } from '../messenger-events.js';

/** Requesters remembered as notified, per account; beyond this the oldest are forgotten. */
const NOTIFIED_LIMIT = 500;
const storageKey = (account: string): string => `balcony.notified-requests.${account}`;
/** All request notifications share one tag: a burst (a sign-in's re-sent requests) shows as one at a time. */
const TAG = 'balcony-request';

function loadNotified(account: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(account)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((jid): jid is string => typeof jid === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * System notifications for incoming contact requests (issue 13 #2), the way
 * Signal and Telegram do it: each request is notified once on this computer.
 * Main lists every pending request in each 'requests' event, and the server
 * re-sends the unanswered ones at every sign-in, so "new" cannot mean "in the
 * list": the requesters already notified are remembered per account (in
 * localStorage, like the folded groups), and a request is notified only the
 * first time it is seen, whether it came now or while Balcony was closed. A
 * request answered (or withdrawn) leaves that memory when a 'requests' event
 * drops it, so a later request from the same address is news again. One seen
 * in a window that is shown and focused is not notified (the requests row
 * says it) but counts as seen.
 *
 * What a notification shows follows MessageSettings.notifications ('full':
 * "Contact request", "<name> wants to see your presence"; 'private': only
 * "New contact request"; 'off': nothing), and DesktopSettings.requestNotifications
 * turns them off. Clicking one brings the window forward and opens the
 * requests panel.
 */
export class RequestNotifier implements ReactiveController {
  /** The message settings (their 'private' and 'off' apply here); null until loaded: nothing is shown until then. */
  settings: MessageSettings | null = null;
  /** DesktopSettings.requestNotifications; null until loaded. */
  private enabled: boolean | null = null;
  private account: string | null = null;
  private notified: string[] = [];
  /** The requesters of the last 'requests' event for this account (null: none yet since it was set). */
  private previous: Set<string> | null = null;
  /** Requests that came before the settings were known: decided once they are. */
  private waiting: SubscriptionRequest[] = [];
  private lastList: readonly SubscriptionRequest[] | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly messenger: () => MessengerApi | undefined,
    private readonly options: {
      /** The signed-in account's address (the memory is per account). */
      account: () => string | null;
      /** The pending requests as the screen has them (the sign-in's snapshot included): checked after each update. */
      requests: () => readonly SubscriptionRequest[];
      /** The name the list shows for `jid`, or null when it is not a contact. */
      nameOf: (jid: string) => string | null;
      /** Opens the requests panel (the notification was clicked). */
      openRequests: () => void;
    },
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => this.onEvent(event));
  }

  hostConnected(): void {
    void this.loadSettings();
  }

  /** After each update of the screen: requests it shows that came without an event this page heard. */
  hostUpdated(): void {
    const list = this.options.requests();
    if (list === this.lastList) return;
    this.lastList = list;
    this.consider(list, false);
  }

  private async loadSettings(): Promise<void> {
    const messenger = this.messenger();
    if (!messenger) return;
    const [messages, desktop] = await Promise.all([messenger.getMessageSettings(), messenger.getDesktopSettings()]);
    if (messages.ok) this.settings ??= messages.value;
    if (desktop.ok) this.enabled ??= desktop.value.settings.requestNotifications;
    this.flush();
  }

  private onEvent(event: MessengerEvent): void {
    if (event.type === 'desktop-settings') this.enabled = event.settings.requestNotifications;
    else if (event.type === 'requests') this.consider(event.requests, true);
  }

  /** Switches the memory to the account signed in now (a sign-out and another sign-in). */
  private useAccount(): string | null {
    const account = this.options.account();
    if (account !== this.account) {
      this.account = account;
      this.notified = account ? loadNotified(account) : [];
      this.previous = null;
      this.waiting = [];
    }
    return account;
  }

  /** `list` is every pending request; `fromEvent`: main's own change, so what left it was answered or withdrawn. */
  private consider(list: readonly SubscriptionRequest[], fromEvent: boolean): void {
    const account = this.useAccount();
    if (!account) return;
    const pending = new Set(list.map((request) => request.jid));
    let changed = false;
    if (fromEvent) {
      if (this.previous) {
        const before = this.notified.length;
        this.notified = this.notified.filter((jid) => pending.has(jid) || !this.previous?.has(jid));
        changed = this.notified.length !== before;
      }
      this.previous = pending;
    }
    const fresh = list.filter((request) => !this.notified.includes(request.jid));
    if (fresh.length > 0) {
      this.notified.push(...fresh.map((request) => request.jid));
      this.notified.splice(0, Math.max(0, this.notified.length - NOTIFIED_LIMIT));
      changed = true;
      this.waiting.push(...fresh);
    }
    if (changed) this.save(account);
    this.flush();
  }

  private save(account: string): void {
    try {
      localStorage.setItem(storageKey(account), JSON.stringify(this.notified));
    } catch {
      // Storage full or refused: the memory lasts this page only.
    }
  }

  /** Shows what waits, once both settings are known; the newest last, so it is the one left on screen. */
  private flush(): void {
    if (this.settings === null || this.enabled === null || this.waiting.length === 0) return;
    const requests = this.waiting.splice(0);
    const mode = this.settings.notifications;
    if (!this.enabled || mode === 'off' || windowInView()) return;
    for (const request of requests) void this.notify(request, mode);
  }

  private async notify(request: SubscriptionRequest, mode: 'full' | 'private'): Promise<void> {
    const full = mode === 'full';
    await showSystemNotification(
      this.messenger,
      full ? 'Contact request' : 'New contact request',
      { body: full ? `${this.nameFor(request)} wants to see your presence` : '', tag: TAG },
      () => this.options.openRequests(),
    );
  }

  /**
   * The contact's name in the list if they are one; else the nickname they
   * sent, always with the address (a nickname is theirs to choose, "Support"
   * or anyone's name), else the address.
   */
  private nameFor(request: SubscriptionRequest): string {
    const name = this.options.nameOf(request.jid);
    if (name) return name;
    return request.nick ? `${request.nick} (${request.jid})` : request.jid;
  }
}
