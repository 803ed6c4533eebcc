import { LitElement, html, nothing } from 'lit';
import type { ConnectionState } from '../../preload/contract.js';
import { controlStyles } from '../styles/controls.js';
import { signInErrorWords, syncedAtWords } from '../words.js';
import { bannerStyles } from './xm-connection-banner.styles.js';

/**
 * The connection state in words, as a strip over the list: "Connecting…"
 * with the attempt, or what is shown while offline (the contacts saved at
 * `syncedAt`); "Online" is only said to screen readers. A failed sign-in
 * offers "Sign in again".
 *
 * @fires xm-sign-in-again - "Sign in again" pressed after the password was refused
 * @csspart banner - the line of text and its dot
 */
export class XmConnectionBanner extends LitElement {
  static override styles = [controlStyles, bannerStyles];
  static override properties = {
    connection: { attribute: false },
    syncedAt: { attribute: false },
  };

  declare connection: ConnectionState;
  /** When the cached roster was last confirmed by the server (ms since epoch), or null. */
  declare syncedAt: number | null;

  constructor() {
    super();
    this.connection = { status: 'offline' };
    this.syncedAt = null;
  }

  protected override render() {
    const state = this.connection;
    let kind: string = state.status;
    let text: string;
    let action: unknown = nothing;
    switch (state.status) {
      case 'online':
        text = 'Online';
        break;
      case 'connecting': {
        // Until the server answers, what is on screen is the cache: say so.
        const to = state.host ? ` to ${state.host}${state.port && state.port !== 5222 ? `:${state.port}` : ''}` : '';
        const trying = state.attempt > 1 ? `connecting${to} (attempt ${state.attempt})…` : `connecting${to}…`;
        text = this.syncedAt === null ? `C${trying.slice(1)}` : `Offline — ${syncedAtWords(this.syncedAt)}; ${trying}`;
        break;
      }
      case 'offline':
        text = `Offline — ${syncedAtWords(this.syncedAt)}`;
        break;
      case 'error':
        if (state.error.code === 'auth-failed') {
          kind = 'error auth';
          text = 'Sign-in failed: wrong password';
          action = html`<button type="button" @click=${this.signInAgain}>Sign in again</button>`;
        } else {
          text = `Offline — ${syncedAtWords(this.syncedAt)}. ${signInErrorWords(state.error)}`;
        }
        break;
    }
    return html`<div class="banner ${kind}" part="banner" role="status">
      <span class="dot" aria-hidden="true"></span><span class="text" title=${text}>${text}</span>${action}
    </div>`;
  }

  private signInAgain(): void {
    this.dispatchEvent(new CustomEvent('xm-sign-in-again', { bubbles: true, composed: true }));
  }
}

customElements.define('xm-connection-banner', XmConnectionBanner);

declare global {
  interface HTMLElementTagNameMap {
    'xm-connection-banner': XmConnectionBanner;
  }
  interface GlobalEventHandlersEventMap {
    'xm-sign-in-again': CustomEvent<void>;
  }
}
