import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { RosterItem } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';

/**
 * Asks before removing a contact, then calls `removeContact`. Focus starts
 * on "Cancel", the harmless choice. A refused call keeps it open with the reason.
 *
 * @fires xm-contact-removed - the call succeeded (detail: `{ jid }`)
 * @csspart dialog - the native dialog element
 */
export class XmRemoveDialog extends LitElement {
  static override styles = [controlStyles, dialogStyles];
  static override properties = {
    item: { state: true },
  };

  declare private item: RosterItem | null;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.item = null;
  }

  /** Asks whether to remove `item`. */
  open(item: RosterItem): Promise<void> {
    this.item = item;
    return this.dialog.show('#cancel');
  }

  private async confirmRemoval(): Promise<void> {
    const messenger = this.messenger.value;
    const item = this.item;
    if (!messenger || !item) return;
    const result = await this.dialog.run(() => messenger.removeContact(item.jid));
    if (!result?.ok) return;
    this.dispatchEvent(
      new CustomEvent('xm-contact-removed', { bubbles: true, composed: true, detail: { jid: item.jid } }),
    );
    this.dialog.close();
  }

  protected override render() {
    const item = this.item;
    const named = item !== null && item.name !== null && item.name.trim() !== '';
    return html`<dialog
      part="dialog"
      role="alertdialog"
      aria-labelledby="title"
      aria-describedby="what"
      @close=${this.dialog.onClose}
    >
      <h2 id="title">Remove contact?</h2>
      ${
        item
          ? html`<p id="what">
              <bdi class="clip">${named ? item.name : item.jid}</bdi>
              ${named ? html`(<bdi class="clip">${item.jid}</bdi>)` : nothing} will be removed from your contacts, and
              you will stop sharing presence.
            </p>`
          : nothing
      }
      ${this.dialog.renderError()}
      <div class="buttons">
        <button id="cancel" type="button" @click=${() => this.dialog.close()}>Cancel</button>
        <button type="button" class="danger" aria-disabled=${this.dialog.busy} @click=${this.confirmRemoval}>
          ${this.dialog.busy ? 'Removing…' : 'Remove'}
        </button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-remove-dialog', XmRemoveDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-remove-dialog': XmRemoveDialog;
  }
  interface GlobalEventHandlersEventMap {
    'xm-contact-removed': CustomEvent<{ jid: string }>;
  }
}
