import { LitElement, css, html } from 'lit';
import { DialogController } from '../dom/dialog-controller.js';
import { dialogStyles } from '../styles/dialog.js';
import { controlStyles } from '../styles/controls.js';
import { openExternal } from '../conversation/open-external.js';

/**
 * "Open this address?" before a link from a message leaves the app: the
 * whole address as the browser will get it (hostnames in punycode, so a
 * look-alike name shows what it is), the host on its own line. Open hands
 * it to the system browser (openExternal); Cancel or Escape does nothing.
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
    `,
  ];
  static override properties = { url: { state: true } };

  declare private url: string;
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.url = '';
  }

  /** Shows the confirmation for `url` (already checked: http, https or xmpp). */
  async open(url: string): Promise<void> {
    this.url = url;
    await this.dialog.show('.cancel');
  }

  private confirm(): void {
    const { url } = this;
    this.dialog.close();
    openExternal(url);
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
      <div class="buttons">
        <button class="cancel" @click=${() => this.dialog.close()}>Cancel</button>
        <button class="primary" @click=${this.confirm}>Open</button>
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
