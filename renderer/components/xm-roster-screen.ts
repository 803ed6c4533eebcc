import { LitElement, html } from 'lit';
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
import './xm-connection-banner.js';
import './xm-contact-dialog.js';
import './xm-contact-list.js';
import './xm-remove-dialog.js';
import './xm-rename-group-dialog.js';
import './xm-search-field.js';
import './xm-account-menu.js';
import './xm-list-options.js';
import './xm-own-presence.js';
import './xm-requests.js';
import './xm-roster-progress.js';
import { PresenceController } from '../presence/presence-controller.js';
import { actionDoneWords, conflictWords } from '../presence/presence-words.js';
import type { PropertyValues } from 'lit';
import type { OwnPresence, SubscriptionAction } from '../../preload/contract.js';
import type { ListOptions } from '../presence/list-options.js';

/**
 * The signed-in screen: header with the connection state, "Add contact" and
 * search; the contact list; and the dialogs the list asks for. Holds the
 * roster (snapshot plus deltas, via RosterController). "/" anywhere outside
 * a text field focuses the search.
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
  private readonly roster = new RosterController(this, () => this.messenger.value, {
    // The first page leaves folded groups' members out, as the list will show them.
    folded: () => {
      const account = this.account as AccountSettings | undefined;
      return account ? loadCollapsedGroups(account.jid) : [];
    },
  });
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
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.composedPath()[0];
    const typing =
      target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || this.anyDialogOpen()) return;
    event.preventDefault();
    this.child('xm-search-field').focus();
  };

  private anyDialogOpen(): boolean {
    const hosts = [
      ...this.renderRoot.querySelectorAll(
        'xm-contact-dialog, xm-remove-dialog, xm-rename-group-dialog, xm-account-menu',
      ),
    ];
    // The account menu holds its own dialogs: the forget question and xm-connection-view.
    const nested = hosts.flatMap((el) => [...(el.shadowRoot?.querySelectorAll('xm-connection-view') ?? [])]);
    return [...hosts, ...nested].some((el) => el.shadowRoot?.querySelector('dialog[open]'));
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
    return html`<header>
        <div class="bar">
          <div class="title">
            <h1>
              Contacts${model ? html` <span class="visually-hidden">(${plural(model.size, 'contact')})</span>` : ''}
            </h1>
            <div class="subtitle">
              <bdi class="account">${this.account.jid}</bdi>
              <xm-own-presence
                .presence=${this.presence.own}
                .connected=${this.connection.status === 'online'}
                @xm-own-presence-set=${(e: CustomEvent<OwnPresence>) => this.presence.setOwn(e.detail)}
              ></xm-own-presence>
              <xm-connection-banner .connection=${this.connection} .syncedAt=${this.syncedAt}></xm-connection-banner>
            </div>
          </div>
          <button class="primary" @click=${() => this.child('xm-contact-dialog').openForAdd()}>
            ${plusIcon}Add contact
          </button>
          <xm-account-menu .account=${this.account}></xm-account-menu>
        </div>
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
        </div>
      </header>
      ${arriving === 'bar' ? html`<xm-roster-progress compact .progress=${this.retrieval.progress}></xm-roster-progress>` : ''}
      <main>
        <p class="notice" role="status">${this.notice}</p>
        <xm-requests
          .requests=${this.presence.requests}
          @xm-request-answered=${(e: CustomEvent<{ jid: string; approved: boolean }>) => (this.notice = e.detail.approved ? `Approved ${e.detail.jid}.` : `Denied ${e.detail.jid}.`)}
        ></xm-requests>
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
