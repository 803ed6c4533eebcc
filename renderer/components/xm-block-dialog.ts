import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';

/**
 * Asks before blocking an address (XEP-0191), then calls `block`. Focus
 * starts on "Cancel", the harmless choice; a refusal keeps it open with the
 * reason in plain words.
 *
 * @fires xm-blocked - the call succeeded (detail: `{ jid, queued }`; queued: sent at the next sign-in)
 * @csspart dialog - the native dialog element
 */
export class XmBlockDialog extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      .what {
        overflow-wrap: anywhere;
      }
    `,
  ];
  static override properties = {
    target: { state: true },
  };

  declare private target: { jid: string; label: string | null } | null;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.target = null;
  }

  /** Asks whether to block `jid`; `label` is the name the list shows for it, if any. */
  open(jid: string, label: string | null = null): Promise<void> {
    this.target = { jid, label: label !== null && label.trim() !== '' && label !== jid ? label : null };
    return this.dialog.show('#cancel');
  }

  private async confirm(): Promise<void> {
    const messenger = this.messenger.value;
    const target = this.target;
    if (!messenger || !target) return;
    const result = await this.dialog.run(() => messenger.block([target.jid]));
    if (!result?.ok) return;
    this.dispatchEvent(
      new CustomEvent('xm-blocked', {
        bubbles: true,
        composed: true,
        detail: { jid: target.jid, queued: result.value.queued },
      }),
    );
    this.dialog.close();
  }

  protected override render() {
    const target = this.target;
    return html`<dialog
      part="dialog"
      role="alertdialog"
      aria-labelledby="title"
      aria-describedby="what"
      @close=${this.dialog.onClose}
    >
      <h2 id="title">Block <bdi class="clip">${target?.label ?? target?.jid ?? ''}</bdi>?</h2>
      ${
        target
          ? html`<p id="what" class="what">
              ${target.label ? html`<bdi>${target.jid}</bdi> ` : nothing}will not be able to send you messages, see when
              you are online or ask to add you. You can unblock them later under Blocked contacts in the account menu.
            </p>`
          : nothing
      }
      ${this.dialog.renderError()}
      <div class="buttons">
        <button id="cancel" type="button" @click=${() => this.dialog.close()}>Cancel</button>
        <button type="button" class="danger" aria-disabled=${this.dialog.busy} @click=${this.confirm}>
          ${this.dialog.busy ? 'Blocking…' : 'Block'}
        </button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-block-dialog', XmBlockDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-block-dialog': XmBlockDialog;
  }
  interface GlobalEventHandlersEventMap {
    'xm-blocked': CustomEvent<{ jid: string; queued: boolean }>;
  }
}
