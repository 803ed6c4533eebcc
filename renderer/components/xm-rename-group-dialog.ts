import { LitElement, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { BatchResult } from '../../preload/contract.js';
import { rememberFocus } from '../dom/focus.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { errorWords, plural, renameGroupSummary } from '../words.js';

/**
 * Renames a group for all its contacts with `renameGroup`. The call is a
 * batch: when some contacts fail, the dialog stays open and says
 * "Renamed for N contacts; M failed: …".
 *
 * @fires xm-group-renamed - every contact was renamed (detail: `{ from, to, result }`)
 * @csspart dialog - the native dialog element
 */
export class XmRenameGroupDialog extends LitElement {
  static override styles = [controlStyles, dialogStyles];
  static override properties = {
    group: { state: true },
    count: { state: true },
    newName: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  private declare group: string;
  private declare count: number;
  private declare newName: string;
  private declare busy: boolean;
  private declare error: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private restoreFocus: () => void = () => {};

  constructor() {
    super();
    this.group = '';
    this.count = 0;
    this.newName = '';
    this.busy = false;
    this.error = '';
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Offers to rename `group`, which has `count` contacts. */
  async open(group: string, count: number): Promise<void> {
    this.restoreFocus = rememberFocus();
    Object.assign(this, { group, count, newName: group, busy: false, error: '' });
    await this.updateComplete;
    this.dialog.showModal();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#new-name');
    input?.focus();
    input?.select();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const to = this.newName.trim();
    if (to === '') {
      this.error = 'Enter the new name of the group.';
      return;
    }
    if (to === this.group) return this.dialog.close();
    const messenger = this.messenger.value;
    if (!messenger || this.busy) return;
    this.busy = true;
    this.error = '';
    const result = await messenger.renameGroup(this.group, to);
    this.busy = false;
    if (!result.ok) {
      this.error = errorWords(result.error);
    } else if (result.value.failed.length > 0) {
      this.error = renameGroupSummary(result.value);
    } else {
      const detail = { from: this.group, to, result: result.value };
      this.dispatchEvent(new CustomEvent('xm-group-renamed', { bubbles: true, composed: true, detail }));
      this.dialog.close();
    }
  }

  protected override render() {
    return html`<dialog part="dialog" aria-labelledby="title" @close=${() => this.restoreFocus()}>
      <form novalidate @submit=${this.onSubmit}>
        <h2 id="title">Rename group</h2>
        <p>“<bdi class="clip">${this.group}</bdi>” has ${plural(this.count, 'contact')}. Each of them moves to the new name.</p>
        <div class="field">
          <label for="new-name">New name</label>
          <input id="new-name" type="text" .value=${this.newName} @input=${(e: Event) => (this.newName = (e.target as HTMLInputElement).value)} />
        </div>
        <p class="error" role="alert">${this.error}</p>
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="primary" aria-disabled=${this.busy}>${this.busy ? 'Renaming…' : 'Rename'}</button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('xm-rename-group-dialog', XmRenameGroupDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-rename-group-dialog': XmRenameGroupDialog;
  }
  interface GlobalEventHandlersEventMap {
    'xm-group-renamed': CustomEvent<{ from: string; to: string; result: BatchResult }>;
  }
}
