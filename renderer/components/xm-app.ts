import { LitElement, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ContextProvider } from '@lit/context';
import type { AppState, ErrorInfo, MessengerApi, MessengerEvent } from '../../preload/contract.js';
import { messengerContext } from '../messenger-context.js';
import { MessengerEventsController } from '../messenger-events.js';
import { controlStyles } from '../styles/controls.js';
import { adoptDocumentStyles } from '../styles/document.js';
import { themeTokens } from '../styles/theme.js';
import { appStyles } from './xm-app.styles.js';
import './xm-profile-notice.js';
import './xm-sign-in.js';
import './xm-roster-screen.js';

/**
 * The root: provides the messenger to the tree, loads the app state and
 * shows the sign-in screen (no account, or "Sign in again") or the roster.
 *
 * @fires xm-app-ready - once the first state has been drawn (detail: the AppState, or null when it failed to load)
 */
export class XmApp extends LitElement {
  static override styles = [themeTokens, controlStyles, appStyles];
  static override properties = {
    messenger: { attribute: false },
    state: { state: true },
    loadError: { state: true },
    signingInAgain: { state: true },
    signedOut: { state: true },
  };

  /** The API to talk to; defaults to `window.messenger` from the preload. Tests pass a fake. */
  declare messenger: MessengerApi | undefined;
  declare private state: AppState | null;
  declare private loadError: ErrorInfo | null;
  declare private signingInAgain: boolean;
  /** Signed out but the account kept: the sign-in form, prefilled, instead of the (cached) roster. */
  declare private signedOut: boolean;

  private readonly provider = new ContextProvider(this, { context: messengerContext });

  constructor() {
    super();
    this.state = null;
    this.loadError = null;
    this.signingInAgain = false;
    this.signedOut = false;
    new MessengerEventsController(
      this,
      () => this.messenger,
      (event) => this.onEvent(event),
    );
  }

  override connectedCallback(): void {
    adoptDocumentStyles();
    this.messenger ??= window.messenger;
    this.provider.setValue(this.messenger);
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
    void this.load();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('online', this.onOnline);
    super.disconnectedCallback();
  }

  /** The network is back: connect now rather than when the backoff says. */
  private readonly onOnline = (): void => {
    if (this.state?.account && !this.signedOut) void this.messenger?.reconnectNow();
  };

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('messenger')) this.provider.setValue(this.messenger);
  }

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

  private onSignedOut(event: CustomEvent<{ state: AppState }>): void {
    this.state = event.detail.state;
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
    }${this.renderScreen(this.state)}`;
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
    // Keyed by account: another account gets a fresh screen, hence a fresh snapshot.
    return keyed(
      account.jid,
      html`<xm-roster-screen
        .account=${account}
        .connection=${state.connection}
        .syncedAt=${state.syncedAt}
        @xm-sign-in-again=${() => (this.signingInAgain = true)}
        @xm-signed-out=${this.onSignedOut}
      ></xm-roster-screen>`,
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
