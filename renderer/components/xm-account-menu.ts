import { LitElement, css, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { AccountSettings, AppState } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { moreIcon } from '../icons.js';
import { messengerContext } from '../messenger-context.js';
import { PopupController, popupStyles } from '../presence/popup.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { errorWords } from '../words.js';
import type { XmConnectionView } from './xm-connection-view.js';
import './xm-connection-view.js';
import type { XmDeniedDialog } from './xm-denied-dialog.js';
import './xm-denied-dialog.js';

/**
 * The header's account menu: "Account and connection" (the connection
 * report, xm-connection-view), "Denied requests" (xm-denied-dialog), "Sign out" (the account and its contacts
 * stay for next time) and "Sign out and forget this account" (asks first).
 *
 * @fires xm-signed-out - signOut succeeded (detail: `{ state, forgotten }`)
 * @fires xm-show-blocked - "Blocked contacts…" was chosen (only offered where `blockingSupported`)
 */
export class XmAccountMenu extends LitElement {
  static override styles = [
    controlStyles,
    popupStyles,
    dialogStyles,
    css`
      :host {
        margin-top: 4px;
      }
      .panel {
        right: 0;
        min-width: 300px;
      }
      .menu-item {
        white-space: nowrap;
      }
      .panel .error {
        margin: 8px 0 0;
        font-size: 13px;
      }
      dialog .error {
        margin-top: 0;
      }
    `,
  ];
  static override properties = {
    account: { attribute: false },
    blockingSupported: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };

  declare account: AccountSettings | null;
  /** The server offers blocking (XEP-0191): the menu offers the "Blocked contacts" list. */
  declare blockingSupported: boolean;
  declare private busy: boolean;
  declare private error: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly popup = new PopupController(
    this,
    () => this.renderRoot.querySelector<HTMLElement>('.toggle'),
    () => {
      this.error = '';
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.menu-item')?.focus());
    },
  );
  /** "Forget this account?": its own busy state and error line. */
  private readonly forget: DialogController = new DialogController(this);

  constructor() {
    super();
    this.account = null;
    this.blockingSupported = false;
    this.busy = false;
    this.error = '';
  }

  /** "Sign out" from the menu: the account stays, its error shows in the menu. */
  private async signOut(): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger || this.busy) return;
    this.busy = true;
    this.error = '';
    const result = await messenger.signOut({ forgetAccount: false });
    this.busy = false;
    if (!result.ok) {
      this.error = `Could not sign out: ${errorWords(result.error)}`;
      return;
    }
    this.signedOut(result.value, false);
  }

  private async signOutAndForget(): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await this.forget.run(() => messenger.signOut({ forgetAccount: true }));
    if (!result?.ok) return;
    this.forget.close();
    this.signedOut(result.value, true);
  }

  private showConnection(): void {
    this.popup.set(false);
    void this.renderRoot.querySelector<XmConnectionView>('xm-connection-view')?.open();
  }

  private showDenied(): void {
    this.popup.set(false);
    void this.renderRoot.querySelector<XmDeniedDialog>('xm-denied-dialog')?.open();
  }

  private signedOut(state: AppState, forgotten: boolean): void {
    this.popup.set(false);
    this.dispatchEvent(
      new CustomEvent('xm-signed-out', { bubbles: true, composed: true, detail: { state, forgotten } }),
    );
  }

  private confirmForget(): Promise<void> {
    this.popup.set(false);
    return this.forget.show('#cancel');
  }

  protected override render() {
    const jid = this.account?.jid ?? '';
    return html`<button
        class="icon quiet toggle"
        type="button"
        aria-label="Account"
        title="Account"
        aria-expanded=${this.popup.open}
        aria-controls="account-panel"
        @click=${() => this.popup.toggle()}
      >
        ${moreIcon}
      </button>
      <div id="account-panel" class="panel" ?hidden=${!this.popup.open}>
        <button class="menu-item" type="button" @click=${this.showConnection}>Account and connection…</button>
        ${
          this.blockingSupported
            ? html`<button
                class="menu-item"
                type="button"
                @click=${() => {
                  this.popup.set(false, true); // focus on the menu button: where closing the list brings it back
                  this.dispatchEvent(new CustomEvent('xm-show-blocked', { bubbles: true, composed: true }));
                }}
              >
                Blocked contacts…
              </button>`
            : ''
        }
        <button class="menu-item" type="button" @click=${this.showDenied}>Denied requests…</button>
        <button class="menu-item" type="button" aria-disabled=${this.busy} @click=${this.signOut}>Sign out</button>
        <button class="menu-item danger-text" type="button" @click=${this.confirmForget}>
          Sign out and forget this account…
        </button>
        ${this.popup.open ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      </div>
      <dialog
        role="alertdialog"
        aria-labelledby="forget-title"
        aria-describedby="forget-what"
        @close=${this.forget.onClose}
      >
        <h2 id="forget-title">Forget this account?</h2>
        <p id="forget-what">
          You will be signed out, and <bdi class="clip">${jid}</bdi> will be removed from this computer with its saved
          contacts and any changes not yet sent. Your contacts on the server stay.
        </p>
        ${this.forget.renderError()}
        <div class="buttons">
          <button id="cancel" type="button" @click=${() => this.forget.close()}>Cancel</button>
          <button type="button" class="danger" aria-disabled=${this.forget.busy} @click=${this.signOutAndForget}>
            ${this.forget.busy ? 'Signing out…' : 'Sign out and forget'}
          </button>
        </div>
      </dialog>
      <xm-connection-view .account=${this.account}></xm-connection-view>
      <xm-denied-dialog></xm-denied-dialog>`;
  }
}

customElements.define('xm-account-menu', XmAccountMenu);

declare global {
  interface HTMLElementTagNameMap {
    'xm-account-menu': XmAccountMenu;
  }
  interface GlobalEventHandlersEventMap {
    'xm-signed-out': CustomEvent<{ state: AppState; forgotten: boolean }>;
    'xm-show-blocked': CustomEvent<undefined>;
  }
}
