import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { errorWords } from '../words.js';
import { dialogStyles } from '../styles/dialog.js';
import { controlStyles } from '../styles/controls.js';
import { openExternal } from '../conversation/open-external.js';

/**
 * "Open this address?" before a link from a message leaves the app: the
 * whole address as the browser will get it (hostnames in punycode, so a
 * look-alike name shows what it is), the host on its own line. Open hands
 * it to the system browser (openExternal: main's `openExternal`); Cancel or
 * Escape does nothing. If main cannot open it, the dialog stays and says why.
 *
 * @fires xm-link-opened - the user confirmed (detail: `{ url }`)
 */
export class XmLinkConfirm extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      .address {
        margin: 0 0 8px;
        padding: 8px 12px;
        border-radius: var(--xm-radius);
        background: var(--xm-bg);
        font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
        font-size: 13px;
        overflow-wrap: anywhere;
        unicode-bidi: plaintext;
        max-height: 40vh;
        overflow-y: auto;
      }
      .host {
        margin: 0 0 16px;
        color: var(--xm-text-secondary);
        overflow-wrap: anywhere;
      }
      .error {
        margin: 0 0 16px;
        color: var(--xm-danger);
      }
    `,
  ];
  static override properties = { url: { state: true }, error: { state: true } };

  declare private url: string;
  declare private error: string;
  private readonly dialog: DialogController = new DialogController(this);
  private readonly messenger = new ContextConsumer(this, { context: messengerContext });

  constructor() {
    super();
    this.url = '';
    this.error = '';
  }

  /** Shows the confirmation for `url` (already checked: http, https or xmpp). */
  async open(url: string): Promise<void> {
    this.url = url;
    this.error = '';
    await this.dialog.show('.cancel');
  }

  private async confirm(): Promise<void> {
    const { url } = this;
    const result = await openExternal(this.messenger.value, url);
    if (url !== this.url) return; // another link was opened meanwhile
    if (!result.ok) {
      this.error = `Could not open it: ${errorWords(result.error)}`;
      return;
    }
    this.dialog.close();
    this.dispatchEvent(new CustomEvent('xm-link-opened', { bubbles: true, composed: true, detail: { url } }));
  }

  private host(): string {
    try {
      const parsed = new URL(this.url);
      return parsed.protocol === 'xmpp:' ? `XMPP address ${parsed.pathname}` : `Website: ${parsed.host}`;
    } catch {
      return '';
    }
  }

  protected override render() {
    return html`<dialog aria-labelledby="title" aria-describedby="address" @close=${this.dialog.onClose}>
      <h2 id="title">Open this address?</h2>
      <p>It will open outside Balcony. Check that it is where you want to go:</p>
      <p id="address" class="address" dir="ltr">${this.url}</p>
      <p class="host">${this.host()}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="buttons">
        <button class="cancel" @click=${() => this.dialog.close()}>Cancel</button>
        <button class="primary" @click=${() => void this.confirm()}>Open</button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-link-confirm', XmLinkConfirm);

declare global {
  interface HTMLElementTagNameMap {
    'xm-link-confirm': XmLinkConfirm;
  }
  interface GlobalEventHandlersEventMap {
    'xm-link-opened': CustomEvent<{ url: string }>;
  }
}
