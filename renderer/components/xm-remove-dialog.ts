import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { RosterItem } from '../../preload/contract.js';
import { rememberFocus } from '../dom/focus.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { errorWords } from '../words.js';

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
    busy: { state: true },
    error: { state: true },
  };

  private declare item: RosterItem | null;
  private declare busy: boolean;
  private declare error: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private restoreFocus: () => void = () => {};

  constructor() {
    super();
    this.item = null;
    this.busy = false;
    this.error = '';
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Asks whether to remove `item`. */
  async open(item: RosterItem): Promise<void> {
    this.restoreFocus = rememberFocus();
    this.item = item;
    this.busy = false;
    this.error = '';
    await this.updateComplete;
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('#cancel')?.focus();
  }

  private async confirmRemoval(): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger || !this.item || this.busy) return;
    this.busy = true;
    this.error = '';
    const result = await messenger.removeContact(this.item.jid);
    this.busy = false;
    if (!result.ok) {
      this.error = errorWords(result.error);
      return;
    }
    this.dispatchEvent(new CustomEvent('xm-contact-removed', { bubbles: true, composed: true, detail: { jid: this.item.jid } }));
    this.dialog.close();
  }

  protected override render() {
    const item = this.item;
    const named = item !== null && item.name !== null && item.name.trim() !== '';
    return html`<dialog part="dialog" role="alertdialog" aria-labelledby="title" aria-describedby="what" @close=${() => this.restoreFocus()}>
      <h2 id="title">Remove contact?</h2>
      ${item
        ? html`<p id="what">
            <bdi class="clip">${named ? item.name : item.jid}</bdi>
            ${named ? html`(<bdi class="clip">${item.jid}</bdi>)` : nothing} will be removed from your contacts, and you will stop sharing presence.
          </p>`
        : nothing}
      <p class="error" role="alert">${this.error}</p>
      <div class="buttons">
        <button id="cancel" type="button" @click=${() => this.dialog.close()}>Cancel</button>
        <button type="button" class="danger" aria-disabled=${this.busy} @click=${this.confirmRemoval}>${this.busy ? 'Removing…' : 'Remove'}</button>
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
