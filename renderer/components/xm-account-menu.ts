import { LitElement, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { AccountSettings, AppState, OwnPresence } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { PopupController, popupStyles } from '../presence/popup.js';
import { OWN_SHOWS, capitalise, showWords } from '../presence/presence-words.js';
import { announceOwnPresence, settledOwnPresence } from '../presence/own-presence-settle.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { errorWords } from '../words.js';
import { accountMenuStyles } from './xm-account-menu.styles.js';
import { presenceDotStyles } from './presence-dot.styles.js';
import type { XmConnectionView } from './xm-connection-view.js';
import type { XmOwnPresence } from './xm-own-presence.js';
import './xm-connection-view.js';
import type { XmDeniedDialog } from './xm-denied-dialog.js';
import './xm-denied-dialog.js';
import './xm-own-presence.js';

/** The keys that move between the menu's items, as in a native menu. */
const MOVES = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);

/**
 * The header's one account control: avatar with our presence dot, the
 * address and our presence in words. It opens the account menu, focus on
 * its first item (our current presence: harmless): the presence choices,
 * "Set status message…" (xm-own-presence), "Account and connection…"
 * (xm-connection-view), "Blocked contacts…" (where the server offers
 * blocking), "Denied requests…" (xm-denied-dialog), "Settings…" (xm-settings:
 * theme, notifications, typing, the desktop), "Keyboard shortcuts…", "About
 * Balcony", with "My address…" (as a link and a QR code) first in its group;
 * then, last and apart, "Sign out" (the account and its contacts stay for
 * next time) and "Sign out and forget this account…" (asks first). Arrow
 * keys, Home and End move between the items; Escape closes it and gives
 * focus back to the button.
 *
 * @fires xm-signed-out - signOut succeeded (detail: `{ state, forgotten }`)
 * @fires xm-own-presence-set - our presence changed (detail: the OwnPresence)
 * @fires xm-show-keyboard-help - "Keyboard shortcuts…" chosen
 * @fires xm-show-settings - "Settings…" chosen
 * @fires xm-show-about - "About Balcony" chosen
 * @fires xm-show-address - "My address…" chosen
 * @fires xm-show-blocked - "Blocked contacts…" was chosen (only offered where `blockingSupported`)
 */
export class XmAccountMenu extends LitElement {
  static override styles = [controlStyles, popupStyles, dialogStyles, presenceDotStyles, accountMenuStyles];
  static override properties = {
    account: { attribute: false },
    blockingSupported: { attribute: false },
    presence: { attribute: false },
    connected: { type: Boolean },
    busy: { state: true },
    error: { state: true },
  };

  declare account: AccountSettings | null;
  /** The server offers blocking (XEP-0191): the menu offers the "Blocked contacts" list. */
  declare blockingSupported: boolean;
  /** Our presence as last set, here or elsewhere (main's 'own-presence' event, through the roster screen). */
  declare presence: OwnPresence;
  /** Online now; otherwise the dot is grey (the choice applies once connected). */
  declare connected: boolean;
  declare private busy: boolean;
  declare private error: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly popup = new PopupController(
    this,
    () => this.toggleButton,
    () => {
      this.error = '';
      // The panel is shown by the update this open asks for: wait for that one, not for one already done.
      this.requestUpdate();
      void this.updateComplete.then(() => this.items()[0]?.focus());
    },
  );
  /** "Forget this account?": its own busy state and error line. */
  private readonly forget: DialogController = new DialogController(this);

  constructor() {
    super();
    this.account = null;
    this.blockingSupported = false;
    this.presence = { show: 'available', status: null };
    this.connected = true;
    this.busy = false;
    this.error = '';
  }

  private get toggleButton(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.toggle');
  }

  /** The menu's items in order, the current presence first (the first focus: choosing it again changes nothing). */
  private items(): HTMLElement[] {
    const all = [...this.renderRoot.querySelectorAll<HTMLElement>('#account-panel .menu-item')];
    const current = all.find((el) => el.getAttribute('aria-pressed') === 'true');
    return current ? [current, ...all.filter((el) => el !== current)] : all;
  }

  private onPanelKeydown(event: KeyboardEvent): void {
    if (!MOVES.has(event.key)) return;
    event.preventDefault();
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('#account-panel .menu-item')];
    const at = items.indexOf(this.shadowRoot?.activeElement as HTMLElement);
    const last = items.length - 1;
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? last
          : event.key === 'ArrowDown'
            ? at >= last
              ? 0
              : at + 1
            : at <= 0
              ? last
              : at - 1;
    items[next]?.focus();
  }

  private async setShow(show: OwnPresence['show']): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger || this.busy) return;
    if (show === this.presence.show) {
      this.popup.set(false, true);
      return;
    }
    const before = this.presence;
    const presence: OwnPresence = { show, status: this.presence.status };
    this.busy = true;
    this.error = '';
    const result = await messenger.setOwnPresence(presence);
    this.busy = false;
    if (!result.ok) {
      this.error = `Could not change your presence: ${errorWords(result.error)}`;
      return;
    }
    this.presence = settledOwnPresence(before, this.presence, presence);
    announceOwnPresence(this, this.presence);
    this.popup.set(false, true);
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

  /** Closes the menu with focus back on its button, so a dialog opened from it gives focus back there. */
  private leaveMenu(): void {
    this.popup.set(false, true);
  }

  private showConnection(): void {
    this.leaveMenu();
    void this.renderRoot.querySelector<XmConnectionView>('xm-connection-view')?.open();
  }

  private showDenied(): void {
    this.leaveMenu();
    void this.renderRoot.querySelector<XmDeniedDialog>('xm-denied-dialog')?.open();
  }

  private showStatusForm(): void {
    this.leaveMenu();
    const form = this.renderRoot.querySelector<XmOwnPresence>('xm-own-presence');
    if (form) {
      form.presence = this.presence;
      void form.open();
    }
  }

  /** Leaves the menu and asks the app for a screen it holds (Settings, About, My address). */
  private ask(event: 'xm-show-settings' | 'xm-show-about' | 'xm-show-address'): void {
    this.leaveMenu();
    this.dispatchEvent(new CustomEvent(event, { bubbles: true, composed: true }));
  }

  /** The connection report (Help > Connection report in the application menu): the account's own view. */
  openConnectionReport(): void {
    this.showConnection();
  }

  private showKeyboardHelp(): void {
    this.leaveMenu();
    this.dispatchEvent(new CustomEvent('xm-show-keyboard-help', { bubbles: true, composed: true }));
  }

  private signedOut(state: AppState, forgotten: boolean): void {
    this.popup.set(false);
    this.dispatchEvent(
      new CustomEvent('xm-signed-out', { bubbles: true, composed: true, detail: { state, forgotten } }),
    );
  }

  private confirmForget(): Promise<void> {
    this.leaveMenu();
    return this.forget.show('#cancel');
  }

  protected override render() {
    const jid = this.account?.jid ?? '';
    const { show, status } = this.presence;
    const dot = this.connected ? show : 'offline';
    return html`<button
        class="toggle"
        type="button"
        aria-expanded=${this.popup.open}
        aria-controls="account-panel"
        title=${this.connected ? jid : `${jid}: you are offline; others will see your presence once you are connected`}
        @click=${() => this.popup.toggle()}
      >
        <span class="avatar presence ${dot}" aria-hidden="true"
          >${initialOf(jid)}<span class="presence-dot"></span
        ></span>
        <span class="who">
          <span class="visually-hidden">Account: </span>
          <bdi class="jid">${jid}</bdi>
          <span class="visually-hidden">, </span>
          <span class="state"
            >${this.connected ? capitalise(showWords(show)) : 'Offline'}${
              this.connected && status ? html`: <bdi>${status}</bdi>` : ''
            }</span
          >
        </span>
      </button>
      <div id="account-panel" class="panel" ?hidden=${!this.popup.open} @keydown=${this.onPanelKeydown}>
        <p class="signed-in-as">Signed in as <bdi class="clip">${jid}</bdi></p>
        <div role="group" aria-label="Show me as">
          ${OWN_SHOWS.map(
            (option) =>
              html`<button
                class="menu-item"
                type="button"
                aria-pressed=${option === show}
                aria-disabled=${this.busy}
                @click=${() => this.setShow(option)}
              >
                <span class="presence ${option}"><span class="presence-dot" aria-hidden="true"></span></span>
                ${capitalise(showWords(option))}
              </button>`,
          )}
        </div>
        <button class="menu-item" type="button" @click=${this.showStatusForm}>Set status message…</button>
        <hr />
        <button class="menu-item" type="button" @click=${() => this.ask('xm-show-address')}>My address…</button>
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
        <button class="menu-item" type="button" @click=${() => this.ask('xm-show-settings')}>Settings…</button>
        <button class="menu-item" type="button" @click=${this.showKeyboardHelp}>
          Keyboard shortcuts… <kbd aria-hidden="true">?</kbd>
        </button>
        <button class="menu-item" type="button" @click=${() => this.ask('xm-show-about')}>About Balcony</button>
        <hr />
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
      <xm-own-presence .presence=${this.presence}></xm-own-presence>
      <xm-connection-view .account=${this.account}></xm-connection-view>
      <xm-denied-dialog></xm-denied-dialog>`;
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The avatar's letter: the first character (a whole grapheme: an emoji stays whole) of the address. */
function initialOf(jid: string): string {
  const first = graphemes.segment(jid).containing(0)?.segment ?? '?';
  return first.toLocaleUpperCase();
}

customElements.define('xm-account-menu', XmAccountMenu);

declare global {
  interface HTMLElementTagNameMap {
    'xm-account-menu': XmAccountMenu;
  }
  interface GlobalEventHandlersEventMap {
    'xm-signed-out': CustomEvent<{ state: AppState; forgotten: boolean }>;
    'xm-show-blocked': CustomEvent<undefined>;
    'xm-show-keyboard-help': CustomEvent<void>;
    'xm-show-settings': CustomEvent<void>;
    'xm-show-about': CustomEvent<void>;
    'xm-show-address': CustomEvent<void>;
  }
}
