import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { AccountSettings, AppState } from '../../preload/contract.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { jidProblem, portProblem } from '../validate.js';
import { signInFailureWords } from '../connection/report-words.js';
import { addressField } from './address-field.js';
import { signInStyles } from './xm-sign-in.styles.js';

/**
 * The sign-in form: address (checked as typed), password, optional host and
 * port under "Advanced", and "Remember password". Where the OS offers no safe
 * password store, ticking "Remember password" first asks for an explicit
 * confirmation. Calls `signIn` and shows failures in plain words. A server
 * that now offers a weaker sign-in than before (auth-downgrade) is named,
 * and "Sign in anyway" resends with the user's explicit acceptDowngrade.
 *
 * @fires xm-signed-in - the sign-in succeeded (detail: the new AppState)
 * @fires xm-sign-in-cancel - "Cancel" pressed; only offered when `cancellable`
 * @csspart card - the box around the form
 */
export class XmSignIn extends LitElement {
  static override styles = [controlStyles, signInStyles];
  static override properties = {
    canStorePasswordSafely: { type: Boolean },
    account: { attribute: false },
    cancellable: { type: Boolean },
    jid: { state: true },
    jidTouched: { state: true },
    port: { state: true },
    remember: { state: true },
    unencryptedAccepted: { state: true },
    confirmingUnsafe: { state: true },
    downgradeRefused: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  /** Whether the OS keychain can encrypt a remembered password. */
  declare canStorePasswordSafely: boolean;
  /** The saved account, if any: prefills the form when signing in again. */
  declare account: AccountSettings | null;
  /** Offer "Cancel" (signing in again from the roster screen). */
  declare cancellable: boolean;
  declare private jid: string;
  declare private jidTouched: boolean;
  declare private port: string;
  declare private remember: boolean;
  /** The user said yes to storing the password without a keychain; main refuses to store it otherwise. */
  declare private unencryptedAccepted: boolean;
  declare private confirmingUnsafe: boolean;
  /** The last sign-in was refused as a downgrade: offer to accept it. */
  declare private downgradeRefused: boolean;
  declare private busy: boolean;
  declare private error: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });

  constructor() {
    super();
    this.canStorePasswordSafely = true;
    this.account = null;
    this.cancellable = false;
    this.jid = '';
    this.jidTouched = false;
    this.port = '';
    this.remember = false;
    this.unencryptedAccepted = false;
    this.confirmingUnsafe = false;
    this.downgradeRefused = false;
    this.busy = false;
    this.error = '';
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('account') && this.account) {
      this.jid = this.account.jid;
      this.port = this.account.port === null ? '' : String(this.account.port);
      this.remember = this.account.rememberPassword && this.canStorePasswordSafely;
    }
  }

  protected override firstUpdated(): void {
    this.field(this.jid ? 'password' : 'jid').focus();
  }

  private field(id: string): HTMLInputElement {
    const field = this.renderRoot.querySelector<HTMLInputElement>(`#${id}`);
    if (!field) throw new Error(`xm-sign-in: no field #${id}`);
    return field;
  }

  private onRememberClick(event: Event): void {
    const box = event.target as HTMLInputElement;
    if (box.checked && !this.canStorePasswordSafely && !this.remember) {
      // Not ticked until the user confirms storing the password unencrypted.
      event.preventDefault();
      this.confirmingUnsafe = true;
      return;
    }
    this.remember = box.checked;
    // Unticking takes the yes back: ticking again asks again.
    if (!box.checked) this.unencryptedAccepted = false;
  }

  private async confirmUnsafe(store: boolean): Promise<void> {
    this.remember = store;
    this.unencryptedAccepted = store;
    this.confirmingUnsafe = false;
    await this.updateComplete;
    this.field('remember').focus();
  }

  private onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    return this.submit(false);
  }

  private async submit(acceptDowngrade: boolean): Promise<void> {
    this.downgradeRefused = false;
    this.jidTouched = true;
    const password = this.field('password').value;
    const host = this.field('host').value.trim();
    if (jidProblem(this.jid) || portProblem(this.port)) {
      this.field(jidProblem(this.jid) ? 'jid' : 'port').focus();
      return;
    }
    if (password === '') {
      this.error = 'Enter your password.';
      this.field('password').focus();
      return;
    }
    const unencrypted = this.remember && !this.canStorePasswordSafely;
    if (unencrypted && !this.unencryptedAccepted) {
      // Ticked some other way (the keychain went away since): ask here rather than let main refuse.
      this.confirmingUnsafe = true;
      return;
    }
    const messenger = this.messenger.value;
    if (!messenger || this.busy) return;
    this.busy = true;
    this.error = '';
    const result = await messenger.signIn({
      jid: this.jid.trim(),
      password,
      host: host === '' ? null : host,
      port: this.port.trim() === '' ? null : Number(this.port),
      ...(this.field('direct-tls').checked ? { directTls: true } : {}),
      rememberPassword: this.remember,
      // Only the user's yes, and only where there is no keychain: main stores a basic-text password on nothing less.
      ...(unencrypted ? { acceptUnencryptedStorage: true } : {}),
      // Only after the user read the refusal and chose "Sign in anyway".
      ...(acceptDowngrade ? { acceptDowngrade: true } : {}),
    });
    this.busy = false;
    if (result.ok) {
      this.dispatchEvent(new CustomEvent('xm-signed-in', { bubbles: true, composed: true, detail: result.value }));
    } else {
      // The report names the step that failed and the address that was tried.
      const report = await messenger.getConnectionReport().catch(() => null);
      this.error = signInFailureWords(result.error, report?.ok ? report.value : null, this.jid.trim());
      // Accepting again cannot help once accepted (a XEP-0474 mismatch is never accepted).
      this.downgradeRefused = result.error.code === 'auth-downgrade' && !acceptDowngrade;
    }
  }

  protected override render() {
    const jidError = this.jidTouched ? jidProblem(this.jid) : null;
    const portError = portProblem(this.port);
    const advancedOpen =
      Boolean(this.account?.host) ||
      Boolean(this.account?.port) ||
      Boolean(this.account?.directTls) ||
      portError !== null;
    return html`<main>
      <div class="card" part="card">
        <div class="brand"><span class="logo" aria-hidden="true"></span>Balcony</div>
        <h1>${this.cancellable ? 'Sign in again' : 'Sign in'}</h1>
        <p class="lede">Use your XMPP address and password.</p>
        <form novalidate @submit=${this.onSubmit} aria-busy=${this.busy}>
          ${addressField({
            value: this.jid,
            error: jidError,
            autocomplete: 'username',
            onInput: (value) => {
              this.jid = value;
            },
            onBlur: () => {
              this.jidTouched = this.jid !== '' || this.jidTouched;
            },
          })}
          <div class="field">
            <label for="password">Password</label>
            <input id="password" type="password" autocomplete="current-password" />
          </div>
          <details ?open=${advancedOpen}>
            <summary>Advanced</summary>
            <div class="host-port">
              <div class="field">
                <label for="host">Server <span class="optional">(optional)</span></label>
                <input
                  id="host"
                  type="text"
                  spellcheck="false"
                  autocapitalize="off"
                  placeholder="from the address"
                  .value=${this.account?.host ?? ''}
                />
              </div>
              <div class="field">
                <label for="port">Port <span class="optional">(optional)</span></label>
                <input
                  id="port"
                  type="text"
                  inputmode="numeric"
                  placeholder="5222"
                  .value=${this.port}
                  aria-invalid=${portError !== null}
                  aria-describedby="port-error"
                  @input=${(e: Event) => (this.port = (e.target as HTMLInputElement).value)}
                />
              </div>
            </div>
            <p id="port-error" class="field-error" aria-live="polite">${portError ?? ''}</p>
            <div class="direct-tls">
              <input
                id="direct-tls"
                type="checkbox"
                .checked=${this.account?.directTls ?? false}
                aria-describedby="direct-tls-hint"
              />
              <div>
                <label for="direct-tls">Direct TLS</label>
                <p id="direct-tls-hint" class="hint">
                  Encrypt from the first byte instead of STARTTLS, on the server and port above (5223 when no port is
                  given).
                </p>
              </div>
            </div>
          </details>
          <div class="remember">
            <input
              id="remember"
              type="checkbox"
              .checked=${this.remember}
              aria-describedby="remember-hint"
              @click=${this.onRememberClick}
            />
            <div>
              <label for="remember">Remember password</label>
              <p id="remember-hint" class="hint">
                ${
                  this.canStorePasswordSafely
                    ? 'Kept encrypted by your system’s keychain.'
                    : 'This computer has no secure keychain: the password would be stored without OS encryption.'
                }
              </p>
            </div>
          </div>
          ${this.confirmingUnsafe ? this.renderUnsafeConfirm() : nothing}
          <p class="error" role="alert">${this.error}</p>
          ${this.downgradeRefused ? this.renderDowngradeConfirm() : nothing}
          <div class="actions">
            ${this.cancellable ? html`<button type="button" @click=${() => this.dispatchEvent(new CustomEvent('xm-sign-in-cancel', { bubbles: true, composed: true }))}>Cancel</button>` : nothing}
            <button class="primary" type="submit" aria-disabled=${this.busy}>
              ${this.busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </div>
    </main>`;
  }

  private renderDowngradeConfirm() {
    return html`<div class="confirm" role="group" aria-labelledby="downgrade-text">
      <p id="downgrade-text">
        Sign in anyway only if you know the server’s sign-in methods changed. Balcony will remember what it offers now.
      </p>
      <div class="buttons">
        <button type="button" id="accept-downgrade" @click=${() => this.submit(true)}>Sign in anyway</button>
        <button type="button" @click=${() => (this.downgradeRefused = false)}>Don’t sign in</button>
      </div>
    </div>`;
  }

  private renderUnsafeConfirm() {
    return html`<div class="confirm" role="group" aria-labelledby="confirm-text">
      <p id="confirm-text">Store the password without encryption? Anyone who can read your files could read it.</p>
      <div class="buttons">
        <button type="button" @click=${() => this.confirmUnsafe(true)}>Store without encryption</button>
        <button type="button" @click=${() => this.confirmUnsafe(false)}>Don’t remember</button>
      </div>
    </div>`;
  }
}

customElements.define('xm-sign-in', XmSignIn);

declare global {
  interface HTMLElementTagNameMap {
    'xm-sign-in': XmSignIn;
  }
  interface GlobalEventHandlersEventMap {
    'xm-signed-in': CustomEvent<AppState>;
    'xm-sign-in-cancel': CustomEvent<void>;
  }
}
