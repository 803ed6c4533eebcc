import { LitElement, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ContextProvider } from '@lit/context';
import type {
  AppCommand,
  AppState,
  ErrorInfo,
  MessageSettings,
  MessengerApi,
  MessengerEvent,
} from '../../preload/contract.js';
import { AppCommandsController } from '../app-commands.js';
import { copyText } from '../dom/clipboard.js';
import { ThemeController } from '../desktop/theme-controller.js';
import type { ListOptions } from '../presence/list-options.js';
import { messengerContext } from '../messenger-context.js';
import { MessengerEventsController } from '../messenger-events.js';
import { controlStyles } from '../styles/controls.js';
import { adoptDocumentStyles } from '../styles/document.js';
import { themeTokens } from '../styles/theme.js';
import { appStyles } from './xm-app.styles.js';
import { panesStyles } from './xm-app-panes.styles.js';
import { PaneLayoutController } from '../conversation/pane-layout.js';
import { unknownContact, type ContactInfo } from '../conversation/contact-info.js';
import { forgetDrafts } from '../conversation/drafts.js';
import {
  CONVERSATION_SHOWN,
  OPEN_CONVERSATION,
  type ConversationShownDetail,
  type OpenConversationDetail,
} from '../messages/conversation-events.js';
import { XmppLinkInbox, type ShowListDetail } from '../links/xmpp-links.js';
import './xm-profile-notice.js';
import './xm-sign-in.js';
import './xm-roster-screen.js';
import './xm-conversation.js';
import './xm-about.js';
import './xm-my-address.js';
import './xm-settings.js';

/**
 * The root: provides the messenger to the tree, loads the app state and
 * shows the sign-in screen (no account, or "Sign in again") or the two
 * panes (issue 10): the contact list on the left, resizable by a splitter
 * (keyboard and pointer, remembered per account), the open conversation on
 * the right; below 700 px one pane at a time, the conversation with a back
 * button. Opens a conversation on OPEN_CONVERSATION (from anywhere in the
 * page) and says which one is in view with CONVERSATION_SHOWN on document.
 *
 * Holds the screens of the whole app (issue 13 #3): Settings, About and My
 * address, opened from the account menu or by the application menu's and the
 * tray's commands (AppCommandsController), and the theme chosen in Settings
 * (ThemeController: `data-theme` on this element). A short message
 * ("Address copied.") shows at the bottom for a few seconds.
 *
 * @fires xm-app-ready - once the first state has been drawn (detail: the AppState, or null when it failed to load)
 */
export class XmApp extends LitElement {
  static override styles = [themeTokens, controlStyles, appStyles, panesStyles];
  static override properties = {
    messenger: { attribute: false },
    state: { state: true },
    loadError: { state: true },
    signingInAgain: { state: true },
    signedOut: { state: true },
    openJid: { state: true },
    showing: { state: true },
    toast: { state: true },
  };

  /** The API to talk to; defaults to `window.messenger` from the preload. Tests pass a fake. */
  declare messenger: MessengerApi | undefined;
  declare private state: AppState | null;
  declare private loadError: ErrorInfo | null;
  declare private signingInAgain: boolean;
  /** Signed out but the account kept: the sign-in form, prefilled, instead of the (cached) roster. */
  declare private signedOut: boolean;
  /** The conversation open in the right pane, or null. */
  declare private openJid: string | null;
  /** The one-pane layout's pane. */
  declare private showing: 'list' | 'conversation';
  /** The passing message at the bottom ('' when none). */
  declare private toast: string;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  /** What CONVERSATION_SHOWN last said (undefined: nothing said yet). */
  private shownJid: string | null | undefined = undefined;
  /** The account the open conversation belongs to. */
  private openFor: string | null = null;
  private readonly panes = new PaneLayoutController(this);
  readonly theme = new ThemeController(this, () => this.messenger);

  private readonly provider = new ContextProvider(this, { context: messengerContext });
  /** xmpp: links held while no roster screen can show them (signed out), for the next one. */
  private readonly xmppLinks = new XmppLinkInbox(this, () => this.messenger);

  constructor() {
    super();
    this.state = null;
    this.loadError = null;
    this.signingInAgain = false;
    this.signedOut = false;
    this.openJid = null;
    this.showing = 'list';
    this.toast = '';
    new MessengerEventsController(
      this,
      () => this.messenger,
      (event) => this.onEvent(event),
    );
    new AppCommandsController(this, () => this.messenger, {
      settings: () => void this.openSettings(),
      about: () => void this.child('xm-about')?.open(),
      'show-address': () => this.showAddress(),
      'copy-address': () => void this.copyAddress(),
      'keyboard-help': () => this.onScreen('keyboard-help'),
      'connection-report': () => this.onScreen('connection-report'),
      'add-contact': () => this.onScreen('add-contact'),
    });
    this.addEventListener('xm-show-settings', () => void this.openSettings());
    this.addEventListener('xm-show-about', () => void this.child('xm-about')?.open());
    this.addEventListener('xm-show-address', () => this.showAddress());
  }

  override connectedCallback(): void {
    adoptDocumentStyles();
    this.messenger ??= window.messenger;
    this.provider.setValue(this.messenger);
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
    // On document: the list's request bubbles up to it, and a notification click may start there.
    document.addEventListener(OPEN_CONVERSATION, this.onOpenConversation);
    void this.load();
  }

  override disconnectedCallback(): void {
    clearTimeout(this.toastTimer);
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener(OPEN_CONVERSATION, this.onOpenConversation);
    super.disconnectedCallback();
  }

  /** The network is back: connect now rather than when the backoff says. */
  private readonly onOnline = (): void => {
    if (this.state?.account && !this.signedOut) void this.messenger?.reconnectNow();
  };

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('messenger')) this.provider.setValue(this.messenger);
    const account = this.signedInAccount();
    if (account) this.panes.setAccount(account);
    // Signed out, or another account: no conversation stays open (set here, before render, so no second update).
    if (account !== this.openFor) {
      this.openFor = account;
      this.openJid = null;
      this.showing = 'list';
    }
    // Through the CSSOM: the CSP refuses style attributes (and styleMap writes one on first render).
    this.style.setProperty('--xm-list-width', `${this.panes.shownWidth}px`);
  }

  protected override updated(): void {
    const account = this.signedInAccount();
    const visible = account && this.openJid && (!this.panes.narrow || this.showing === 'conversation');
    const shown = visible ? this.openJid : null;
    if (shown === this.shownJid) return;
    this.shownJid = shown;
    const detail: ConversationShownDetail = { jid: shown };
    document.dispatchEvent(new CustomEvent(CONVERSATION_SHOWN, { detail }));
  }

  private child<K extends 'xm-settings' | 'xm-about' | 'xm-my-address' | 'xm-roster-screen'>(
    tag: K,
  ): HTMLElementTagNameMap[K] | null {
    return this.renderRoot.querySelector(tag);
  }

  /** One of this app's dialogs is open: a command waits for the user to finish there. */
  private ownDialogOpen(): boolean {
    return [this.child('xm-settings'), this.child('xm-about'), this.child('xm-my-address')].some((d) => d?.isOpen);
  }

  private async openSettings(): Promise<void> {
    const settings = this.child('xm-settings');
    if (!settings || settings.isOpen) return;
    settings.listOptions = this.signedInAccount() ? (this.child('xm-roster-screen')?.listOptions ?? null) : null;
    await settings.open();
  }

  private showAddress(): void {
    if (!this.signedInAccount()) {
      this.say('Sign in first: your address is your account’s.');
      return;
    }
    void this.child('xm-my-address')?.open();
  }

  private async copyAddress(): Promise<void> {
    const account = this.signedInAccount();
    if (!account) {
      this.say('Sign in first: your address is your account’s.');
      return;
    }
    this.say((await copyText(account)) ? `Address copied: ${account}` : 'Could not copy your address.');
  }

  /** The commands the signed-in screen carries out (its dialogs); with none signed in, it says so. */
  private onScreen(command: Extract<AppCommand, 'keyboard-help' | 'connection-report' | 'add-contact'>): void {
    const screen = this.signedInAccount() ? this.child('xm-roster-screen') : null;
    if (!screen) {
      this.say('Sign in first.');
      return;
    }
    if (this.ownDialogOpen()) return;
    screen.runCommand(command);
  }

  /** Shows `words` at the bottom for a few seconds (and says them to screen readers). */
  private say(words: string): void {
    clearTimeout(this.toastTimer);
    this.toast = words;
    this.toastTimer = setTimeout(() => (this.toast = ''), 5000);
  }

  /** The account whose panes are drawn, or null (loading, sign-in form). */
  private signedInAccount(): string | null {
    const account = this.state?.account;
    return account && !this.signingInAgain && !this.signedOut ? account.jid : null;
  }

  private readonly onOpenConversation = (event: CustomEvent<OpenConversationDetail>): void => {
    const { jid, messageId, draft } = event.detail;
    if (!this.signedInAccount() || typeof jid !== 'string' || jid === '') return;
    this.openJid = jid;
    this.showing = 'conversation';
    void this.updateComplete.then(() => {
      const conversation = this.renderRoot.querySelector('xm-conversation');
      if (!conversation) return;
      if (messageId) void conversation.showMessage(messageId);
      else if (typeof draft === 'string') void conversation.useDraft(draft);
      else conversation.focusComposer();
    });
  };

  /** The one-pane layout's back button: the list again, focus on its current row. */
  private readonly onBack = (): void => {
    this.showing = 'list';
    void this.updateComplete.then(() => {
      const screen = this.renderRoot.querySelector('xm-roster-screen');
      const list = screen?.shadowRoot?.querySelector<HTMLElement>('xm-contact-list');
      (list ?? screen)?.focus();
    });
  };

  /** The conversation header's name and presence, as the roster screen knows them. */
  private readonly contactInfo = (jid: string): ContactInfo =>
    this.renderRoot.querySelector('xm-roster-screen')?.contactInfo(jid) ?? unknownContact;

  private async load(): Promise<void> {
    if (!this.messenger) {
      this.loadError = { code: 'internal', message: 'The app’s connection to its main process is missing.' };
      return;
    }
    this.loadError = null;
    const result = await this.messenger.getState();
    if (result.ok) this.state = result.value;
    else this.loadError = result.error;
    await this.updateComplete;
    this.dispatchEvent(new CustomEvent('xm-app-ready', { bubbles: true, composed: true, detail: this.state }));
  }

  private onEvent(event: MessengerEvent): void {
    if (!this.state) return;
    if (event.type === 'connection') this.state = { ...this.state, connection: event.state, syncedAt: event.syncedAt };
    else if (event.type === 'account') this.state = { ...this.state, account: event.account };
  }

  private onSignedIn(event: CustomEvent<AppState>): void {
    this.state = event.detail;
    this.signingInAgain = false;
    this.signedOut = false;
  }

  private onSignedOut(event: CustomEvent<{ state: AppState; forgotten: boolean }>): void {
    const previous = this.state?.account?.jid;
    this.state = event.detail.state;
    // Forgotten: nothing it typed stays behind; after the render this asks for, in which the open
    // conversation goes and keeps its last draft.
    if (event.detail.forgotten && previous) void this.updateComplete.then(() => forgetDrafts(previous));
    this.signingInAgain = false;
    // Kept account: the form comes prefilled with it; forgotten: an empty form.
    this.signedOut = event.detail.state.account !== null;
  }

  protected override render() {
    if (this.loadError) {
      return html`<main class="startup">
        <h1>Balcony could not start</h1>
        <p class="error" role="alert">${this.loadError.message}</p>
        <button class="primary" @click=${() => this.load()}>Try again</button>
      </main>`;
    }
    if (!this.state) {
      return html`<main class="startup" aria-busy="true">
        <h1>Balcony</h1>
        <p>Loading…</p>
      </main>`;
    }
    return html`${
      this.state.profileRecovery
        ? html`<xm-profile-notice .recovery=${this.state.profileRecovery}></xm-profile-notice>`
        : nothing
    }${this.renderScreen(this.state)}${this.renderAppScreens()}`;
  }

  private renderAppScreens() {
    const account = this.signedInAccount();
    const screen = () => this.child('xm-roster-screen');
    return html`<xm-settings
        @xm-list-options=${(e: CustomEvent<ListOptions>) => {
          e.stopPropagation();
          screen()?.setListOptions(e.detail);
        }}
        @xm-message-settings-saved=${(e: CustomEvent<MessageSettings>) => screen()?.messageSettingsChanged(e.detail)}
      ></xm-settings>
      <xm-about></xm-about>
      <xm-my-address .jid=${account ?? ''}></xm-my-address>
      <p class="toast" role="status">${this.toast ? html`<span>${this.toast}</span>` : nothing}</p>`;
  }

  private renderScreen(state: AppState) {
    const { account } = state;
    if (!account || this.signingInAgain || this.signedOut) {
      return html`<xm-sign-in
        .canStorePasswordSafely=${state.canStorePasswordSafely}
        .account=${account}
        .cancellable=${this.signingInAgain}
        @xm-signed-in=${this.onSignedIn}
        @xm-sign-in-cancel=${() => (this.signingInAgain = false)}
      ></xm-sign-in>`;
    }
    const narrow = this.panes.narrow;
    const listShown = !narrow || this.showing === 'list' || !this.openJid;
    const conversationShown = !narrow || (this.showing === 'conversation' && this.openJid !== null);
    const width = this.panes.shownWidth;
    // Keyed by account: another account gets a fresh screen, hence a fresh snapshot.
    return keyed(
      account.jid,
      html`<div class="panes ${narrow ? 'narrow' : 'wide'}">
        <div class="list-pane" ?hidden=${!listShown}>
          <xm-roster-screen
            .account=${account}
            .connection=${state.connection}
            .syncedAt=${state.syncedAt}
            .xmppLinks=${this.xmppLinks}
            @xm-sign-in-again=${() => (this.signingInAgain = true)}
            @xm-show-list=${(e: CustomEvent<ShowListDetail>) => {
              this.showing = 'list';
              e.detail.drawn = this.updateComplete;
            }}
            @xm-signed-out=${this.onSignedOut}
          ></xm-roster-screen>
        </div>
        <section
          class="conversation-pane"
          role=${narrow ? 'main' : 'region'}
          aria-label="Conversation"
          ?hidden=${!conversationShown}
        >
          <!-- In the pane, at its edge, so that it sits inside a landmark. -->
          ${
            narrow
              ? nothing
              : html`<div
                  class="splitter"
                  role="separator"
                  tabindex="0"
                  aria-orientation="vertical"
                  aria-label="Contact list width"
                  aria-valuemin=${this.panes.min}
                  aria-valuemax=${this.panes.max}
                  aria-valuenow=${width}
                  aria-valuetext="${width} pixels"
                  title="Drag, or use the arrow keys, to resize the contact list"
                  @keydown=${this.panes.onKeydown}
                  @pointerdown=${this.panes.onPointerDown}
                  @pointermove=${this.panes.onPointerMove}
                  @pointerup=${this.panes.onPointerUp}
                  @pointercancel=${this.panes.onPointerUp}
                ></div>`
          }
          ${
            this.openJid
              ? html`<xm-conversation
                  .jid=${this.openJid}
                  .account=${account.jid}
                  .contact=${this.contactInfo}
                  .narrow=${narrow}
                  .visible=${conversationShown}
                  @xm-conversation-back=${this.onBack}
                ></xm-conversation>`
              : html`<div class="no-conversation">
                  <p>Choose a contact to start a conversation</p>
                </div>`
          }
        </section>
      </div>`,
    );
  }
}

customElements.define('xm-app', XmApp);

declare global {
  interface HTMLElementTagNameMap {
    'xm-app': XmApp;
  }
  interface GlobalEventHandlersEventMap {
    'xm-app-ready': CustomEvent<AppState | null>;
  }
}
