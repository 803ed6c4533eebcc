import { LitElement, css, html, svg } from 'lit';
import { copyText } from '../dom/clipboard.js';
import { DialogController } from '../dom/dialog-controller.js';
import { qrPath } from '../desktop/qr-code.js';
import { xmppUri } from '../desktop/xmpp-address.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';

/**
 * "My address" (issue 13 #3): our bare address, the same as an `xmpp:` link
 * (RFC 5122), each with a Copy button, and the link as a QR code to scan
 * with a phone. The code is an SVG path drawn from the `qrcode` package's
 * modules, dark on white whatever the theme (scanners expect that).
 */
export class XmMyAddress extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      .qr {
        display: block;
        width: min(240px, 100%, 50vh);
        height: auto;
        margin: 8px auto 0;
        border-radius: var(--xm-radius);
      }
      .line {
        display: flex;
        gap: 8px;
        align-items: center;
        margin-bottom: 12px;
      }
      .line input {
        flex: 1;
        min-width: 0;
      }
      .copied {
        margin: 0;
        min-height: 20px;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      .buttons {
        margin-top: 8px;
      }
    `,
  ];
  static override properties = { jid: { type: String }, copied: { state: true }, shown: { state: true } };

  /** Our account's address (bare). */
  declare jid: string;
  declare private copied: string;
  /** Open: the content is drawn only then (a closed dialog's "Address" field would be one more for getByLabel). */
  declare private shown: boolean;

  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.jid = '';
    this.copied = '';
    this.shown = false;
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  /** Opens the dialog, focus on "Copy address". */
  open(): Promise<void> {
    this.copied = '';
    this.shown = true;
    return this.dialog.show('#copy-address');
  }

  private async copy(text: string, what: string): Promise<void> {
    this.copied = (await copyText(text))
      ? `${what} copied.`
      : `Could not copy: select the ${what.toLowerCase()} and copy it.`;
  }

  private readonly onClose = (): void => {
    this.shown = false;
    this.dialog.onClose();
  };

  protected override render() {
    if (!this.shown) return html`<dialog @close=${this.onClose}></dialog>`;
    const address = this.jid.split('/')[0] ?? '';
    const uri = xmppUri(address);
    const qr = address ? qrPath(uri) : null;
    return html`<dialog aria-labelledby="title" @close=${this.onClose}>
      <h2 id="title">My address</h2>
      <p>Give it to people so that they can add you, or let them scan the code below.</p>
      <label for="address">Address</label>
      <div class="line">
        <input id="address" type="text" readonly .value=${address} />
        <button id="copy-address" type="button" aria-label="Copy address" @click=${() => this.copy(address, 'Address')}>
          Copy
        </button>
      </div>
      <label for="link">Link</label>
      <div class="line">
        <input id="link" type="text" readonly .value=${uri} />
        <button id="copy-link" type="button" aria-label="Copy link" @click=${() => this.copy(uri, 'Link')}>Copy</button>
      </div>
      <p class="copied" role="status">${this.copied}</p>
      ${
        qr
          ? html`<svg
              class="qr"
              role="img"
              aria-label="QR code of ${uri}"
              viewBox="0 0 ${qr.size} ${qr.size}"
              shape-rendering="crispEdges"
            >
              ${svg`<rect width=${qr.size} height=${qr.size} fill="#ffffff"></rect><path d=${qr.d} fill="#000000"></path>`}
            </svg>`
          : ''
      }
      <div class="buttons">
        <button type="button" class="primary" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-my-address', XmMyAddress);

declare global {
  interface HTMLElementTagNameMap {
    'xm-my-address': XmMyAddress;
  }
}
