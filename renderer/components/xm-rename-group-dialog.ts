import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { BatchResult } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { plural, renameGroupSummary, renameOutcome } from '../words.js';

/**
 * Renames a group for all its contacts with `renameGroup`. The call is a
 * batch, one change per contact: when some are refused, the dialog stays open
 * and says so as a partial success ("Renamed 33 of 35 contacts to …; 2 could
 * not be changed: …"), offering to try the rest again; only when none moved
 * is it an error.
 *
 * @fires xm-group-renamed - some or all contacts were renamed (detail: `{ from, to, result }`)
 * @csspart dialog - the native dialog element
 */
export class XmRenameGroupDialog extends LitElement {
  static override styles = [controlStyles, dialogStyles];
  static override properties = {
    group: { state: true },
    size: { state: true },
    shown: { state: true },
    newName: { state: true },
    partial: { state: true },
  };

  declare private group: string;
  /** How many contacts the group has: all of them move. */
  declare private size: number;
  /** How many of them the list showed (fewer during a search). */
  declare private shown: number;
  declare private newName: string;
  /** The words of a partial success, shown as a warning. */
  declare private partial: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.group = '';
    this.size = 0;
    this.shown = 0;
    this.newName = '';
    this.partial = '';
  }

  /** Offers to rename `group`, which has `size` contacts, `shown` of them in the list (default: all). */
  async open(group: string, size: number, shown = size): Promise<void> {
    Object.assign(this, { group, size, shown, newName: group, partial: '' });
    await this.dialog.show('#new-name');
    this.renderRoot.querySelector<HTMLInputElement>('#new-name')?.select();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const to = this.newName.trim();
    if (to === '') {
      this.dialog.fail('Enter the new name of the group.');
      return;
    }
    if (to === this.group) {
      this.dialog.close();
      return;
    }
    const messenger = this.messenger.value;
    if (!messenger || this.dialog.busy) return;
    this.partial = '';
    const result = await this.dialog.run(() => messenger.renameGroup(this.group, to));
    if (!result?.ok) return;
    const outcome = renameOutcome(result.value);
    if (outcome === 'failed') {
      this.dialog.fail(renameGroupSummary(this.group, to, result.value));
      return;
    }
    const detail = { from: this.group, to, result: result.value };
    this.dispatchEvent(new CustomEvent('xm-group-renamed', { bubbles: true, composed: true, detail }));
    if (outcome === 'done') {
      this.dialog.close();
    } else {
      // The refused contacts are still in the old group: trying again moves only them.
      this.partial = renameGroupSummary(this.group, to, result.value);
      this.size = this.shown = result.value.failed.length;
    }
  }

  private intro() {
    const group = html`“<bdi class="clip">${this.group}</bdi>”`;
    if (this.shown < this.size) {
      return html`<p>
        ${group} has ${plural(this.size, 'contact')}; your search shows ${this.shown} of them. All ${this.size} move to
        the new name.
      </p>`;
    }
    return html`<p>${group} has ${plural(this.size, 'contact')}. Each of them moves to the new name.</p>`;
  }

  protected override render() {
    const retry = this.partial !== '';
    return html`<dialog part="dialog" aria-labelledby="title" @close=${this.dialog.onClose}>
      <form novalidate @submit=${this.onSubmit}>
        <h2 id="title">Rename group</h2>
        ${retry ? nothing : this.intro()}
        <p class="warning" role="status">${this.partial}</p>
        <div class="field">
          <label for="new-name">New name</label>
          <input
            id="new-name"
            type="text"
            .value=${this.newName}
            @input=${(e: Event) => (this.newName = (e.target as HTMLInputElement).value)}
          />
        </div>
        ${this.dialog.renderError()}
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>${retry ? 'Close' : 'Cancel'}</button>
          <button type="submit" class="primary" aria-disabled=${this.dialog.busy}>
            ${this.dialog.busy ? 'Renaming…' : retry ? `Try again for ${this.size}` : 'Rename'}
          </button>
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
