import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { Result } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';

/** What one xmpp: link asks or says (renderer/links/xmpp-links.ts writes it; names in it sit in <bdi>). */
export interface LinkDialogContent {
  title: TemplateResult | string;
  body: TemplateResult | string;
  /** The link or address it is about, shown whole (wrapped), isolated from the text around it. */
  address?: string;
  /** A choice besides Cancel; without one the dialog only informs, with a Close button. */
  confirm?: {
    label: string;
    destructive: boolean;
    /** Run on the click, busy state and refusal shown here; the dialog closes only when it succeeds. */
    run?: () => Promise<Result<unknown>>;
  };
}

/**
 * The one dialog an `xmpp:` link shows when it does not open a form: the
 * link cannot be opened (and why), it is your own address, the contact is
 * not (or already) in your list, or "Stop seeing …?" before an unsubscribe.
 * Nothing is done without a click: focus starts on Cancel (or Close), the
 * harmless choice; Escape closes it and focus goes back.
 *
 * @csspart dialog - the native dialog element
 */
export class XmLinkDialog extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      .address {
        display: block;
        margin: 0 0 16px;
        padding: 8px 12px;
        border-radius: var(--xm-radius);
        background: var(--xm-surface-hover);
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 13px;
        line-height: 18px;
        overflow-wrap: anywhere;
        white-space: pre-wrap;
        max-height: 30vh;
        overflow: auto;
      }
    `,
  ];
  static override properties = {
    content: { state: true },
  };

  declare private content: LinkDialogContent | null;

  private readonly dialog: DialogController = new DialogController(this);
  private confirmed = false;
  private settle: ((confirmed: boolean) => void) | null = null;

  constructor() {
    super();
    this.content = null;
  }

  /** Shows `content`; resolves when the dialog closes: true when its confirm button was chosen (and its call went through). */
  show(content: LinkDialogContent): Promise<boolean> {
    this.settle?.(false);
    this.content = content;
    this.confirmed = false;
    const closed = new Promise<boolean>((resolve) => (this.settle = resolve));
    void this.dialog.show(content.confirm ? '#cancel' : '#close');
    return closed;
  }

  private readonly onClose = (): void => {
    this.dialog.onClose();
    const settle = this.settle;
    this.settle = null;
    settle?.(this.confirmed);
  };

  private async onConfirm(): Promise<void> {
    const run = this.content?.confirm?.run;
    if (run) {
      const result = await this.dialog.run(run);
      if (!result?.ok) return;
    } else if (this.dialog.busy) return;
    this.confirmed = true;
    this.dialog.close();
  }

  protected override render() {
    const content = this.content;
    const confirm = content?.confirm;
    return html`<dialog
      part="dialog"
      role="alertdialog"
      aria-labelledby="title"
      aria-describedby="body"
      @close=${this.onClose}
    >
      ${
        content
          ? html`<h2 id="title">${content.title}</h2>
              <p id="body">${content.body}</p>
              ${content.address ? html`<bdi class="address">${content.address}</bdi>` : nothing}`
          : nothing
      }
      ${this.dialog.renderError()}
      <div class="buttons">
        ${
          confirm
            ? html`<button id="cancel" type="button" @click=${() => this.dialog.close()}>Cancel</button>
                <button
                  type="button"
                  class=${confirm.destructive ? 'danger' : 'primary'}
                  aria-disabled=${this.dialog.busy}
                  @click=${this.onConfirm}
                >
                  ${this.dialog.busy ? 'Working…' : confirm.label}
                </button>`
            : html`<button id="close" type="button" class="primary" @click=${() => this.dialog.close()}>Close</button>`
        }
      </div>
    </dialog>`;
  }
}

customElements.define('xm-link-dialog', XmLinkDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-link-dialog': XmLinkDialog;
  }
}
