import { LitElement, html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ContextConsumer } from '@lit/context';
import type { AccountSettings, BatchResult, ConnectionState, RosterItem } from '../../preload/contract.js';
import { plusIcon } from '../icons.js';
import { messengerContext } from '../messenger-context.js';
import { RetrievalProgressController } from '../roster/retrieval-progress-controller.js';
import { loadCollapsedGroups } from '../roster/collapsed-groups.js';
import { RosterController } from '../roster/roster-controller.js';
import { controlStyles } from '../styles/controls.js';
import { errorWords, plural, renameGroupSummary } from '../words.js';
import { rosterScreenStyles } from './xm-roster-screen.styles.js';
import { BlockingController } from '../blocking/blocking-controller.js';
import type { ContactInfo } from '../conversation/contact-info.js';
import './xm-block-dialog.js';
import './xm-blocked-list.js';
import './xm-connection-banner.js';
import './xm-approve-dialog.js';
import './xm-contact-dialog.js';
import './xm-contact-list.js';
import './xm-remove-dialog.js';
import './xm-rename-group-dialog.js';
import './xm-search-field.js';
import './xm-account-menu.js';
import './xm-list-options.js';
import './xm-keyboard-help.js';
import './xm-requests-row.js';
import './xm-roster-progress.js';
import { PresenceController } from '../presence/presence-controller.js';
import { conflictWords } from '../presence/presence-words.js';
import { sharingDoneWords } from '../presence/sharing-words.js';
import type { PropertyValues } from 'lit';
import type { MessageSettings, OwnPresence, SubscriptionAction, SubscriptionRequest } from '../../preload/contract.js';
import type { ListOptions } from '../presence/list-options.js';
import { ConversationsController } from '../messages/conversations-controller.js';
import { RecentView } from '../messages/recent-view.js';
import { isSortSection } from '../roster/rows.js';
import { MessageNotifier } from '../messages/notifier.js';
import { RequestNotifier } from '../presence/request-notifier.js';
import { XmppLinksController, showList, type XmppLinkInbox } from '../links/xmpp-links.js';
import { deepActiveElement } from '../dom/focus.js';
import './xm-link-dialog.js';

/**
 * The signed-in screen: a compact header (the account control, then search,
 * list options and "Add contact" in one toolbar row), the connection state
 * when not online, the requests row, then the contact list, which keeps
 * the rest of the height; and the dialogs the list asks for. Holds the
 * roster (snapshot plus deltas, via RosterController).
 *
 * Keyboard (see keyboard-shortcuts.ts): Ctrl+N adds a contact, Ctrl+F (and
 * "/" outside a text field) focuses the search, "?" outside a text field
 * opens the keyboard help; none of them while a dialog is open.
 *
 * @fires xm-roster-loaded - the first snapshot was drawn, or failed (detail: `{ ok }`)
 * @fires xm-sign-in-again - passed up from the connection banner
 *
 * Blocking (XEP-0191): any element inside may fire `xm-block-request` or
 * `xm-unblock-request` (bubbling, composed; detail `{ jid, label? }`, e.g.
 * from a contact's context menu). Block asks for confirmation first
 * (xm-block-dialog); unblock acts at once. Where the server has no blocking
 * both are ignored, and the callers should not offer them: `blockingSupported`
 * and `isBlocked(jid)` say what to offer.
 */
export class XmRosterScreen extends LitElement {
  static override styles = [controlStyles, rosterScreenStyles];
  static override properties = {
    account: { attribute: false },
    connection: { attribute: false },
    syncedAt: { attribute: false },
    xmppLinks: { attribute: false },
    query: { state: true },
    notice: { state: true },
  };

  declare account: AccountSettings;
  declare connection: ConnectionState;
  /** When the cached roster was last confirmed by the server (ms since epoch), or null. */
  declare syncedAt: number | null;
  /** The window's xmpp: links waiting for this screen (xm-app holds them while signed out). */
  declare xmppLinks: XmppLinkInbox | undefined;
  declare private query: string;
  /** The outcome of the last action, for the polite live region. */
  declare private notice: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly roster = new RosterController(this, () => this.messenger.value, {
    // The first page leaves folded groups' members out, as the list will show them.
    folded: () => {
      const account = this.account as AccountSettings | undefined;
      // "Recent" and "Other contacts" are the list's own sections, not groups main knows.
      return account ? [...loadCollapsedGroups(account.jid)].filter((group) => !isSortSection(group)) : [];
    },
  });
  private readonly retrieval = new RetrievalProgressController(this, () => this.messenger.value);
  private readonly blocking = new BlockingController(this, () => this.messenger.value);
  private readonly presence = new PresenceController(
    this,
    () => this.messenger.value,
    (jid, fields) => {
      this.notice = conflictWords(this.roster.model?.get(jid)?.label ?? jid, fields);
    },
  );

  private readonly conversations = new ConversationsController(
    this,
    () => this.messenger.value,
    () => this.presence.options.sort === 'recent',
  );
  private readonly recent = new RecentView();
  private readonly notifier = new MessageNotifier(
    this,
    () => this.messenger.value,
    (jid) => this.roster.model?.get(jid)?.label ?? null,
  );
  private readonly requestNotifier = new RequestNotifier(this, () => this.messenger.value, {
    account: () => (this.account as AccountSettings | undefined)?.jid ?? null,
    requests: () => this.presence.requests,
    nameOf: (jid) => this.roster.model?.get(jid)?.label ?? null,
    openRequests: () => void this.showRequests(),
  });

  /** xmpp: links (issue 13 #4): shown once the whole roster is in, one at a time, each after the dialog before it. */
  private readonly links = new XmppLinksController(this, {
    messenger: () => this.messenger.value,
    inbox: () => this.xmppLinks,
    account: () => this.account.jid,
    rosterReady: () => this.roster.error !== null || (this.roster.model !== null && !this.roster.model.loading),
    contact: (jid) => {
      const entry = this.roster.model?.get(jid);
      return entry ? { item: entry.item, label: entry.label } : null;
    },
    groups: () => this.roster.model?.groups ?? [],
    say: (text) => (this.notice = text),
  });

  constructor() {
    super();
    this.connection = { status: 'offline' };
    this.syncedAt = null;
    this.query = '';
    this.notice = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('account')) this.presence.setAccount(this.account.jid);
    if (changed.has('connection')) this.presence.setConnection(this.connection);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onWindowKeydown);
    this.addEventListener('xm-block-request', this.onBlockRequest);
    this.addEventListener('xm-unblock-request', this.onUnblockRequest);
    // Heard on the host: wherever in this screen the requests are shown, Approve opens the one dialog.
    this.addEventListener('xm-approve-request', this.onApproveRequest);
  }

  /** Says an approval: in the status line, and in the requests panel when it is open (the rest is inert behind it). */
  private approved(jid: string, name: string | null): void {
    this.notice = name ? `Approved ${jid} as “${name}”.` : `Approved ${jid}.`;
    this.renderRoot.querySelector('xm-requests-row')?.announce(this.notice);
  }

  private readonly onApproveRequest = (event: CustomEvent<{ request: SubscriptionRequest }>): void => {
    const { request } = event.detail;
    void this.child('xm-approve-dialog').open(request, this.roster.model?.get(request.jid)?.item);
  };

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.onWindowKeydown);
    this.removeEventListener('xm-block-request', this.onBlockRequest);
    this.removeEventListener('xm-unblock-request', this.onUnblockRequest);
    this.removeEventListener('xm-approve-request', this.onApproveRequest);
    super.disconnectedCallback();
  }

  /**
   * A request notification was clicked: the list pane first (the one-pane layout may be showing a
   * conversation, and a dialog in a hidden pane is never drawn), then the requests panel. Focus left
   * in the pane gone from view (the composer) moves to the list, so closing the panel comes back there.
   */
  private async showRequests(): Promise<void> {
    await showList(this);
    // Awaited: the panel remembers what had focus when it opens, and gives it back on closing.
    if (!deepActiveElement()?.checkVisibility())
      await this.renderRoot.querySelector('xm-contact-list')?.focusActiveRow();
    await this.renderRoot.querySelector('xm-requests-row')?.open();
  }

  /** What the conversation pane's header shows of a contact (issue 10): the roster's name, if a contact, and presence. */
  contactInfo(jid: string): ContactInfo {
    const presence = this.presence.store.get(jid);
    return {
      label: this.roster.model?.get(jid)?.label ?? null,
      show: presence?.show ?? 'offline',
      status: presence?.status ?? null,
    };
  }

  /** The list options of this account (Settings shows the density). */
  get listOptions(): ListOptions {
    return this.presence.options;
  }

  /** Settings changed the list options (the density): as if chosen in the list options. */
  setListOptions(options: ListOptions): void {
    this.presence.setOptions(options);
  }

  /** Settings changed the message settings: notifications follow at once. */
  messageSettingsChanged(settings: MessageSettings): void {
    this.notifier.settings = settings;
    this.requestNotifier.settings = settings;
  }

  /**
   * A command from the application menu or the tray (issue 13 #3) that this
   * screen carries out; not while one of its dialogs is open (as its keys).
   */
  runCommand(command: 'add-contact' | 'keyboard-help' | 'connection-report'): void {
    if (this.anyDialogOpen()) return;
    if (command === 'add-contact') void this.child('xm-contact-dialog').openForAdd();
    else if (command === 'keyboard-help') void this.child('xm-keyboard-help').open();
    else this.child('xm-account-menu').openConnectionReport();
  }

  /** The server offers blocking: block and unblock may be offered. */
  get blockingSupported(): boolean {
    return this.blocking.supported;
  }

  /** Whether `jid` is blocked now (for "Block" or "Unblock" in a menu). */
  isBlocked(jid: string): boolean {
    return this.blocking.isBlocked(jid);
  }

  private readonly onBlockRequest = (event: CustomEvent<{ jid: string; label?: string | null }>): void => {
    event.stopPropagation();
    if (!this.blocking.supported) return;
    const { jid } = event.detail;
    const label = event.detail.label ?? this.roster.model?.get(jid)?.label ?? null;
    void this.child('xm-block-dialog').open(jid, label);
  };

  private readonly onUnblockRequest = (event: CustomEvent<{ jid: string; label?: string | null }>): void => {
    event.stopPropagation();
    if (!this.blocking.supported) return;
    void this.unblock(event.detail.jid);
  };

  private async unblock(jid: string): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await messenger.unblock([jid]);
    this.notice = result.ok
      ? this.unblockedWords(jid, result.value.queued)
      : `Could not unblock ${jid}: ${errorWords(result.error)}`;
  }

  private unblockedWords(jid: string, queued: boolean): string {
    return queued ? `${jid} will be unblocked when you are back online.` : `Unblocked ${jid}.`;
  }

  private readonly onWindowKeydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.altKey || this.anyDialogOpen()) return;
    const command = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (command && !event.shiftKey && key === 'n') {
      event.preventDefault();
      void this.child('xm-contact-dialog').openForAdd();
      return;
    }
    if (command && !event.shiftKey && key === 'f') {
      event.preventDefault();
      this.child('xm-search-field').focus();
      return;
    }
    if (command || (event.key !== '/' && event.key !== '?')) return;
    const target = event.composedPath()[0];
    const typing =
      target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing) return;
    event.preventDefault();
    if (event.key === '/') this.child('xm-search-field').focus();
    else void this.child('xm-keyboard-help').open();
  };

  /** Any modal dialog open below this screen, however deep in shadow roots (they make the rest inert, not the window's keys). */
  private anyDialogOpen(): boolean {
    const roots: ShadowRoot[] = this.shadowRoot ? [this.shadowRoot] : [];
    // A queue, grown while it is walked: each app element's shadow root is searched in turn.
    for (const root of roots) {
      if (root.querySelector('dialog[open]')) return true;
      // Only the app's own elements have shadow roots worth a look; the list's rows hold no dialog.
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot && el.localName.startsWith('xm-') && el.localName !== 'xm-contact-list')
          roots.push(el.shadowRoot);
      }
    }
    return false;
  }

  /** A child the template always renders, by its tag. */
  private child<K extends keyof HTMLElementTagNameMap>(tag: K): HTMLElementTagNameMap[K] {
    const element = this.renderRoot.querySelector(tag);
    if (!element) throw new Error(`xm-roster-screen: no <${tag}> rendered`);
    return element;
  }

  private onSearchKeydown(event: KeyboardEvent): void {
    // Escape on an empty search, or arrow down, goes to the list.
    if (event.key === 'ArrowDown' || event.key === 'Escape') {
      event.preventDefault();
      this.child('xm-contact-list').focus();
    }
  }

  private edit(item: RosterItem): void {
    void this.child('xm-contact-dialog').openForEdit(item);
  }

  private async cancelEdit(item: RosterItem): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger || !item.pending) return;
    const result = await messenger.cancelEdit(item.pending.id);
    // The row changes when main's change event arrives; only a refusal needs words here.
    this.notice = result.ok
      ? `Cancelled the change to ${item.jid}.`
      : `Could not cancel the change to ${item.jid}: ${errorWords(result.error)}`;
  }

  /** A contact dragged onto a group, or moved from its menu: its groups are saved as given (its other groups kept). */
  private async moveContact(item: RosterItem, groups: string[], to: string): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    const who = this.roster.model?.get(item.jid)?.label ?? item.jid;
    const where = to === '' ? 'No group' : to;
    const result = await messenger.updateContact({ jid: item.jid, groups });
    this.notice = result.ok
      ? result.value?.pending?.state === 'waiting'
        ? `Moved ${who} to ${where} — will be sent when you’re back online.`
        : `Moved ${who} to ${where}.`
      : `Could not move ${who}: ${errorWords(result.error)}`;
  }

  /** The rename moves every contact of the group, so the dialog states the group's size, not what the list shows of it. */
  private openRenameGroup(group: string, shown: number): void {
    const size = this.roster.model?.groupSize(group) ?? shown;
    void this.child('xm-rename-group-dialog').open(group, size, shown);
  }

  private confirmRemove(item: RosterItem): void {
    void this.child('xm-remove-dialog').open(item);
  }

  /**
   * 'panel' in place of an empty list while the first list is on its way
   * (online, never synced: the retrieval is under way even before its first
   * progress report); 'bar' over a cached list being refreshed.
   */
  private arriving(): 'panel' | 'bar' | null {
    const model = this.roster.model;
    if (!model || this.roster.error) return null;
    const receiving = this.retrieval.progress !== null;
    if (model.size > 0) return receiving ? 'bar' : null;
    const firstList = !this.retrieval.ended && this.syncedAt === null && this.connection.status === 'online';
    return receiving || firstList ? 'panel' : null;
  }

  /** The roster as the list shows it: by name or availability in groups (PresenceController), or "Recent". */
  private listView() {
    const source = this.roster.model?.view ?? null;
    const options = this.presence.options;
    if (options.sort !== 'recent') return this.presence.view(source);
    this.presence.view(null); // presence changes then mark nothing to sort again
    return this.recent.view(source, this.conversations.store, options.hideOffline ? this.presence.store : null);
  }

  protected override render() {
    const model = this.roster.model;
    const arriving = this.arriving();
    const online = this.connection.status === 'online';
    return html`<header>
        <h1 class="visually-hidden">Contacts${model ? html` (${plural(model.size, 'contact')})` : ''}</h1>
        <xm-account-menu
          .account=${this.account}
          .presence=${this.presence.own}
          .connected=${online}
          @xm-own-presence-set=${(e: CustomEvent<OwnPresence>) => this.presence.setOwn(e.detail)}
          @xm-show-keyboard-help=${() => this.child('xm-keyboard-help').open()}
          .blockingSupported=${this.blocking.supported}
          @xm-show-blocked=${() => this.child('xm-blocked-list').open()}
        ></xm-account-menu>
        <div class="tools">
          <xm-search-field
            .value=${this.query}
            @xm-search=${(e: CustomEvent<{ query: string }>) => (this.query = e.detail.query)}
            @keydown=${this.onSearchKeydown}
          ></xm-search-field>
          <xm-list-options
            .options=${this.presence.options}
            @xm-list-options=${(e: CustomEvent<ListOptions>) => this.presence.setOptions(e.detail)}
          ></xm-list-options>
          <button
            class="primary add"
            title="Add contact (Ctrl+N)"
            @click=${() => this.child('xm-contact-dialog').openForAdd()}
          >
            ${plusIcon}<span class="add-words">Add contact</span>
          </button>
        </div>
      </header>
      ${arriving === 'bar' ? html`<xm-roster-progress compact .progress=${this.retrieval.progress}></xm-roster-progress>` : ''}
      <xm-connection-banner .connection=${this.connection} .syncedAt=${this.syncedAt}></xm-connection-banner>
      <xm-requests-row
        .requests=${this.presence.requests}
        .blockingSupported=${this.blocking.supported}
        @xm-request-answered=${(e: CustomEvent<{ jid: string; approved: boolean; blocked?: boolean }>) => (this.notice = e.detail.approved ? `Approved ${e.detail.jid}.` : e.detail.blocked ? `Denied and blocked ${e.detail.jid}.` : `Denied ${e.detail.jid}.`)}
        @xm-requests-emptied=${() => this.renderRoot.querySelector('xm-contact-list')?.focus()}
      ></xm-requests-row>
      <main>
        <p class="notice" role="status">${keyed(this.notice, html`<span>${this.notice}</span>`)}</p>
        ${
          this.roster.error
            ? html`<div class="load-error">
                <p class="error" role="alert">Could not load your contacts: ${errorWords(this.roster.error)}</p>
                <button @click=${() => this.roster.load()}>Try again</button>
              </div>`
            : arriving === 'panel'
              ? html`<xm-roster-progress .progress=${this.retrieval.progress}></xm-roster-progress>`
              : html`<xm-contact-list
                  .roster=${this.listView()}
                  .summaries=${this.conversations.store}
                  .showPreview=${this.presence.options.showPreview}
                  .presence=${this.presence.store}
                  .offlineHidden=${this.presence.options.hideOffline}
                  .density=${this.presence.options.density}
                  .query=${this.query}
                  .account=${this.account.jid}
                  .loading=${this.roster.loading}
                  .blockingSupported=${this.blocking.supported}
                  @xm-edit-contact=${(e: CustomEvent<{ item: RosterItem }>) => this.edit(e.detail.item)}
                  @xm-remove-contact=${(e: CustomEvent<{ item: RosterItem }>) => this.confirmRemove(e.detail.item)}
                  @xm-rename-group=${(e: CustomEvent<{ group: string; count: number }>) => this.openRenameGroup(e.detail.group, e.detail.count)}
                  @xm-add-contact=${() => this.child('xm-contact-dialog').openForAdd()}
                  @xm-cancel-edit=${(e: CustomEvent<{ item: RosterItem }>) => this.cancelEdit(e.detail.item)}
                  @xm-move-contact=${(e: CustomEvent<{ item: RosterItem; groups: string[]; to: string }>) => this.moveContact(e.detail.item, e.detail.groups, e.detail.to)}
                ></xm-contact-list>`
        }
      </main>
      <xm-keyboard-help></xm-keyboard-help>
      <xm-contact-dialog
        .groupSuggestions=${model?.groups ?? []}
        .preApprovalSupported=${this.presence.preApprovalSupported}
        @xm-contact-saved=${(e: CustomEvent<{ mode: string; jid: string; item?: RosterItem | null }>) =>
          (this.notice =
            e.detail.item?.pending?.state === 'waiting'
              ? `${e.detail.mode === 'add' ? 'Added' : 'Saved'} — will be sent when you’re back online.`
              : e.detail.mode === 'add'
                ? `Added ${e.detail.jid}.`
                : `Saved ${e.detail.jid}.`)}
        @xm-subscription-changed=${(e: CustomEvent<{ jid: string; label: string; action: SubscriptionAction }>) => (this.notice = sharingDoneWords(e.detail.action, e.detail.label))}
      ></xm-contact-dialog>
      <xm-approve-dialog
        .groups=${model?.groups ?? []}
        @xm-request-answered=${(e: CustomEvent<{ jid: string; name?: string | null }>) => this.approved(e.detail.jid, e.detail.name ?? null)}
      ></xm-approve-dialog>
      <xm-remove-dialog
        @xm-contact-removed=${(e: CustomEvent<{ jid: string }>) => (this.notice = `Removed ${e.detail.jid}.`)}
      ></xm-remove-dialog>
      <xm-block-dialog
        @xm-blocked=${(e: CustomEvent<{ jid: string; queued: boolean }>) =>
          (this.notice = e.detail.queued
            ? `${e.detail.jid} will be blocked when you are back online.`
            : `Blocked ${e.detail.jid}.`)}
      ></xm-block-dialog>
      <xm-blocked-list
        .blocklist=${this.blocking.list}
        .labels=${(jid: string) => this.roster.model?.get(jid)?.label ?? null}
        @xm-unblocked=${(e: CustomEvent<{ jid: string; queued: boolean }>) => (this.notice = this.unblockedWords(e.detail.jid, e.detail.queued))}
      ></xm-blocked-list>
      <xm-link-dialog></xm-link-dialog>
      <xm-rename-group-dialog
        @xm-group-renamed=${(e: CustomEvent<{ from: string; to: string; result: BatchResult }>) => (this.notice = renameGroupSummary(e.detail.from, e.detail.to, e.detail.result))}
      ></xm-rename-group-dialog>`;
  }
}

customElements.define('xm-roster-screen', XmRosterScreen);

declare global {
  interface HTMLElementTagNameMap {
    'xm-roster-screen': XmRosterScreen;
  }
  interface GlobalEventHandlersEventMap {
    /** Asks the roster screen to block `jid` (after a confirmation); `label`: the name shown for it. */
    'xm-block-request': CustomEvent<{ jid: string; label?: string | null }>;
    /** Asks the roster screen to unblock `jid`. */
    'xm-unblock-request': CustomEvent<{ jid: string; label?: string | null }>;
  }
}
