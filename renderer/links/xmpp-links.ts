/**
 * `xmpp:` links in the window (issue 13 #4). Main has already parsed each
 * link into an XmppLinkAction (main/core/desktop/xmpp-uri.ts); here it
 * becomes something the user sees and decides on: a pre-filled add-contact
 * form, a conversation with an unsent draft, a confirmation, or a plain
 * "cannot be opened". A link never changes anything by itself.
 *
 * Two parts: XmppLinkInbox lives on <xm-app> for the window's lifetime and
 * holds links that arrive while no one can show them (signed out, the roster
 * still loading); XmppLinksController lives on the roster screen, asks main
 * for the links of the launch (takeXmppLinks) when the screen comes up, and
 * shows them one at a time, each after the dialog before it has closed.
 */
import { html, type LitElement, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { MessengerApi, RosterItem, SubscriptionAction, XmppLinkAction } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';
import { requestConversation } from '../messages/conversation-events.js';
import { sharingConfirmation, sharingDoneWords } from '../presence/sharing-words.js';
import { matchingGroup } from '../roster/group-names.js';
import type { LinkDialogContent } from '../components/xm-link-dialog.js';

/** Links held for a screen that is not up; a flood beyond this is dropped (main keeps at most 20 too). */
const HELD_LIMIT = 20;

type Reader = (actions: XmppLinkAction[]) => void;

/** Holds `xmpp-link` events until a roster screen reads them. Hosted by <xm-app>, sharing its event subscription. */
export class XmppLinkInbox implements ReactiveController {
  private held: XmppLinkAction[] = [];
  private reader: Reader | null = null;

  constructor(host: ReactiveControllerHost, messenger: () => MessengerApi | undefined) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => {
      if (event.type === 'xmpp-link') this.put([event.action]);
    });
  }

  hostConnected(): void {
    // the subscription is MessengerEventsController's
  }

  private put(actions: XmppLinkAction[]): void {
    if (this.reader) this.reader(actions);
    else this.held.push(...actions.slice(0, Math.max(0, HELD_LIMIT - this.held.length)));
  }

  /**
   * A roster screen is up: the links main kept from before the window
   * listened (the launch's) come first, then those held here, then each as
   * it arrives. Returns the detach, which takes back what was not shown.
   */
  attach(messenger: MessengerApi, reader: Reader): (unshown: XmppLinkAction[]) => void {
    let attached = true;
    const taken = messenger.takeXmppLinks().then(
      (result) => (result.ok ? result.value : []),
      () => [],
    );
    void taken.then((launch) => {
      const waiting = [...launch, ...this.held.splice(0)];
      if (!attached) {
        this.held = waiting.slice(0, HELD_LIMIT);
        return;
      }
      this.reader = reader;
      if (waiting.length > 0) reader(waiting);
    });
    return (unshown) => {
      attached = false;
      if (this.reader === reader) this.reader = null;
      this.held = [...unshown, ...this.held].slice(0, HELD_LIMIT);
    };
  }
}

/** What the roster screen lends the controller. */
export interface LinkScreen {
  messenger(): MessengerApi | undefined;
  inbox(): XmppLinkInbox | undefined;
  /** Our own bare JID. */
  account(): string;
  /** The whole roster is in (or failed to load): "already a contact" and "not in your contacts" can be told. */
  rosterReady(): boolean;
  contact(jid: string): { item: RosterItem; label: string } | null;
  groups(): readonly string[];
  /** The screen's polite status line. */
  say(text: string): void;
}

/** Shows the screen's xmpp: links, one at a time. */
export class XmppLinksController implements ReactiveController {
  private queue: XmppLinkAction[] = [];
  private detach: ((unshown: XmppLinkAction[]) => void) | null = null;
  private running = false;
  private generation = 0;
  private readyWaiters: (() => void)[] = [];

  constructor(
    private readonly host: LitElement,
    private readonly screen: LinkScreen,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // After the first render: the dialogs are there to be opened.
    void this.host.updateComplete.then(() => this.attach());
  }

  hostDisconnected(): void {
    this.generation += 1;
    this.detach?.(this.queue.splice(0));
    this.detach = null;
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  hostUpdated(): void {
    if (this.screen.rosterReady()) for (const wake of this.readyWaiters.splice(0)) wake();
  }

  private attach(): void {
    const messenger = this.screen.messenger();
    const inbox = this.screen.inbox();
    if (!messenger || !inbox || this.detach || !this.host.isConnected) return;
    this.detach = inbox.attach(messenger, (actions) => {
      const room = HELD_LIMIT - this.queue.length;
      if (actions.length > room) this.screen.say('Some xmpp: links were ignored: too many came at once.');
      this.queue.push(...actions.slice(0, Math.max(0, room)));
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const generation = this.generation;
    try {
      while (generation === this.generation && this.queue.length > 0) {
        await this.whenRosterReady();
        await this.whenNoDialogOpen();
        const action = this.queue.shift();
        if (!action || generation !== this.generation) break;
        await this.show(action);
      }
    } finally {
      this.running = false;
    }
  }

  private whenRosterReady(): Promise<void> {
    if (this.screen.rosterReady()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** A dialog the user has open (a form half typed) is never replaced: the link waits until it closes. */
  private async whenNoDialogOpen(): Promise<void> {
    for (let rounds = 0; rounds < 50; rounds++) {
      const open = openDialogs(this.host.renderRoot);
      if (open.length === 0) return;
      await Promise.all(open.map(closed));
    }
  }

  private child<K extends keyof HTMLElementTagNameMap>(tag: K): HTMLElementTagNameMap[K] | null {
    return this.host.renderRoot.querySelector(tag);
  }

  /** Shows one link; resolves when what it opened is closed. */
  private async show(action: XmppLinkAction): Promise<void> {
    // The one-pane layout may show a conversation: the dialogs live with the list, which must be on screen.
    if (action.kind !== 'message') await showList(this.host);
    if (action.kind === 'invalid') {
      await this.tell({
        title: 'This xmpp: link can’t be opened',
        body: `${action.reason} Nothing was changed.`,
        address: action.uri,
      });
      return;
    }
    if (action.jid === this.screen.account()) {
      await this.tell({
        title: 'This link is to your own address',
        body: html`<bdi>${action.jid}</bdi> is the account you are signed in with: ${ownWords[action.kind]}`,
      });
      return;
    }
    const known = this.screen.contact(action.jid);
    switch (action.kind) {
      case 'add-contact':
        return known ? this.alreadyContact(known) : this.addContact(action);
      case 'message':
        requestConversation(
          document,
          action.body === null ? { jid: action.jid } : { jid: action.jid, draft: action.body },
        );
        return;
      case 'remove':
        if (!known) return this.notContact(action.jid, 'remove');
        await this.child('xm-remove-dialog')?.open(known.item);
        await this.closedChild('xm-remove-dialog');
        return;
      case 'unsubscribe':
        if (!known) return this.notContact(action.jid, 'unsubscribe');
        return this.unsubscribe(known);
    }
  }

  private async tell(content: LinkDialogContent): Promise<boolean> {
    return (await this.child('xm-link-dialog')?.show(content)) ?? false;
  }

  private async addContact(action: Extract<XmppLinkAction, { kind: 'add-contact' }>): Promise<void> {
    // A group that differs from an existing one only in case or spacing is that group; a new one is listed, ticked.
    const group = action.group === null ? null : (matchingGroup(this.screen.groups(), action.group) ?? action.group);
    await this.child('xm-contact-dialog')?.openForAdd({
      jid: action.jid,
      name: action.name,
      groups: group === null ? [] : [group],
      subscribe: action.subscribe,
    });
    await this.closedChild('xm-contact-dialog');
  }

  private async alreadyContact(known: { item: RosterItem; label: string }): Promise<void> {
    const edit = await this.tell({
      title: html`<bdi>${known.label}</bdi> is already a contact`,
      body: html`<bdi>${known.item.jid}</bdi> is in your contacts. You can edit the contact instead.`,
      confirm: { label: 'Edit contact', destructive: false },
    });
    if (!edit) return;
    await this.child('xm-contact-dialog')?.openForEdit(known.item);
    await this.closedChild('xm-contact-dialog');
  }

  private async notContact(jid: string, kind: 'remove' | 'unsubscribe'): Promise<void> {
    await this.tell({
      title: html`<bdi>${jid}</bdi> is not in your contacts`,
      body:
        kind === 'remove'
          ? 'The link asks to remove a contact you do not have. Nothing was changed.'
          : 'The link asks to stop seeing the status of someone who is not in your contacts. Nothing was changed.',
    });
  }

  /** XEP-0147 `?unsubscribe`: we stop seeing their status (or withdraw our request to), after a confirmation. */
  private async unsubscribe(known: { item: RosterItem; label: string }): Promise<void> {
    const { item, label } = known;
    const weSeeThem = item.subscription === 'to' || item.subscription === 'both';
    const step: SubscriptionAction | null = weSeeThem
      ? 'stop-receiving'
      : item.ask === 'subscribe'
        ? 'cancel-request'
        : null;
    if (step === null) {
      await this.tell({
        title: html`You don’t see <bdi>${label}</bdi>’s status`,
        body: 'The link asks to stop seeing their status, but you do not see it now. Nothing was changed.',
      });
      return;
    }
    const words = sharingConfirmation(step, label);
    const messenger = this.screen.messenger();
    const done = await this.tell({
      title: html`<bdi>${words.title}</bdi>`,
      body: html`${words.body}`,
      address: item.jid,
      confirm: {
        label: words.confirm,
        destructive: words.destructive,
        ...(messenger ? { run: () => messenger.changeSubscription(item.jid, step) } : {}),
      },
    });
    if (done && messenger) this.screen.say(sharingDoneWords(step, label));
  }

  private async closedChild(tag: 'xm-contact-dialog' | 'xm-remove-dialog'): Promise<void> {
    const dialog = this.child(tag)?.renderRoot.querySelector('dialog');
    if (dialog) await closed(dialog);
  }
}

const ownWords: Record<Exclude<XmppLinkAction['kind'], 'invalid'>, string> = {
  'add-contact': 'you can’t add yourself as a contact. Nothing was changed.',
  message: 'a conversation with yourself is not something Balcony opens. Nothing was sent.',
  remove: 'you are not one of your contacts. Nothing was changed.',
  unsubscribe: 'you are not one of your contacts. Nothing was changed.',
};

/** Asks the layout (xm-app) to show the contact list pane; resolves once it is drawn. */
export async function showList(from: HTMLElement): Promise<void> {
  const detail: ShowListDetail = { drawn: null };
  from.dispatchEvent(new CustomEvent(SHOW_LIST, { bubbles: true, composed: true, detail }));
  await detail.drawn;
}

/** Asks the one-pane layout to show the list (xm-app answers by setting `drawn` to its next render). */
export const SHOW_LIST = 'xm-show-list';
export interface ShowListDetail {
  drawn: Promise<unknown> | null;
}

declare global {
  interface GlobalEventHandlersEventMap {
    [SHOW_LIST]: CustomEvent<ShowListDetail>;
  }
}

/** Resolves when `dialog` is closed (at once if it is). */
function closed(dialog: HTMLDialogElement): Promise<void> {
  if (!dialog.open) return Promise.resolve();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(), { once: true }));
}

/** The open modal dialogs below `root`, however deep in the app's shadow roots (the list's rows hold none). */
function openDialogs(root: DocumentFragment | HTMLElement): HTMLDialogElement[] {
  const found: HTMLDialogElement[] = [];
  const roots: ParentNode[] = [root];
  for (const node of roots) {
    found.push(...node.querySelectorAll<HTMLDialogElement>('dialog[open]'));
    for (const el of node.querySelectorAll('*')) {
      if (el.shadowRoot && el.localName.startsWith('xm-') && el.localName !== 'xm-contact-list')
        roots.push(el.shadowRoot);
    }
  }
  return found;
}
