import { LitElement, html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ContextConsumer } from '@lit/context';
import type { AccountSettings, BatchResult, ConnectionState, RosterItem } from '../../preload/contract.js';
import { plusIcon } from '../icons.js';
import { messengerContext } from '../messenger-context.js';
import { RetrievalProgressController } from '../roster/retrieval-progress-controller.js';
import { RosterController } from '../roster/roster-controller.js';
import { controlStyles } from '../styles/controls.js';
import { errorWords, plural, renameGroupSummary } from '../words.js';
import { rosterScreenStyles } from './xm-roster-screen.styles.js';
import './xm-connection-banner.js';
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
import { actionDoneWords, conflictWords } from '../presence/presence-words.js';
import type { PropertyValues } from 'lit';
import type { OwnPresence, SubscriptionAction } from '../../preload/contract.js';
import type { ListOptions } from '../presence/list-options.js';

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
 */
export class XmRosterScreen extends LitElement {
  static override styles = [controlStyles, rosterScreenStyles];
  static override properties = {
    account: { attribute: false },
    connection: { attribute: false },
    syncedAt: { attribute: false },
    query: { state: true },
    notice: { state: true },
  };

  declare account: AccountSettings;
  declare connection: ConnectionState;
  /** When the cached roster was last confirmed by the server (ms since epoch), or null. */
  declare syncedAt: number | null;
  declare private query: string;
  /** The outcome of the last action, for the polite live region. */
  declare private notice: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly roster = new RosterController(this, () => this.messenger.value);
  private readonly retrieval = new RetrievalProgressController(this, () => this.messenger.value);
  private readonly presence = new PresenceController(
    this,
    () => this.messenger.value,
    (jid, fields) => {
      this.notice = conflictWords(this.roster.model?.get(jid)?.label ?? jid, fields);
    },
  );

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
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.onWindowKeydown);
    super.disconnectedCallback();
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
        @xm-request-answered=${(e: CustomEvent<{ jid: string; approved: boolean }>) => (this.notice = e.detail.approved ? `Approved ${e.detail.jid}.` : `Denied ${e.detail.jid}.`)}
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
                  .roster=${this.presence.view(model?.view ?? null)}
                  .presence=${this.presence.store}
                  .offlineHidden=${this.presence.options.hideOffline}
                  .query=${this.query}
                  .account=${this.account.jid}
                  .loading=${this.roster.loading}
                  @xm-edit-contact=${(e: CustomEvent<{ item: RosterItem }>) => this.edit(e.detail.item)}
                  @xm-remove-contact=${(e: CustomEvent<{ item: RosterItem }>) => this.confirmRemove(e.detail.item)}
                  @xm-rename-group=${(e: CustomEvent<{ group: string; count: number }>) => this.openRenameGroup(e.detail.group, e.detail.count)}
                  @xm-add-contact=${() => this.child('xm-contact-dialog').openForAdd()}
                  @xm-cancel-edit=${(e: CustomEvent<{ item: RosterItem }>) => this.cancelEdit(e.detail.item)}
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
        @xm-subscription-changed=${(e: CustomEvent<{ jid: string; label: string; action: SubscriptionAction }>) => (this.notice = actionDoneWords(e.detail.action, e.detail.label))}
      ></xm-contact-dialog>
      <xm-remove-dialog
        @xm-contact-removed=${(e: CustomEvent<{ jid: string }>) => (this.notice = `Removed ${e.detail.jid}.`)}
      ></xm-remove-dialog>
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
}
