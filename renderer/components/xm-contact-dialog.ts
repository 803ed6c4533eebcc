import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { RosterItem, SubscriptionAction } from '../../preload/contract.js';
import { actionLabels, subscriptionActions } from '../presence/presence-words.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { jidProblem } from '../validate.js';
import { subscriptionWords } from '../words.js';
import { addressField } from './address-field.js';
import { contactDialogStyles } from './xm-contact-dialog.styles.js';

/**
 * Adds a contact or edits one (name and groups). The address is checked as
 * typed; group names are suggested from the existing groups. A refused call
 * keeps the dialog open with the server's reason. Escape or Cancel closes it
 * and focus goes back to where it was.
 *
 * In the edit form, the presence-sharing steps that fit the contact's
 * subscription state (changeSubscription), each closing the dialog when done.
 *
 * @fires xm-contact-saved - the call succeeded (detail: `{ mode, jid, item }`, item as returned)
 * @fires xm-subscription-changed - a subscription step went through (detail: `{ jid, label, action }`)
 * @csspart dialog - the native dialog element
 */
export class XmContactDialog extends LitElement {
  static override styles = [controlStyles, dialogStyles, contactDialogStyles];
  static override properties = {
    groupSuggestions: { attribute: false },
    preApprovalSupported: { type: Boolean },
    mode: { state: true },
    item: { state: true },
    subscribe: { state: true },
    jid: { state: true },
    jidTouched: { state: true },
    name: { state: true },
    groups: { state: true },
    groupDraft: { state: true },
  };

  /** Existing group names, offered while typing a group. */
  declare groupSuggestions: readonly string[];
  /** The server supports pre-approval: offer "Approve in advance". */
  declare preApprovalSupported: boolean;
  /** The contact being edited (its subscription state picks the steps offered). */
  declare private item: RosterItem | null;
  /** Add: also ask to see their presence. */
  declare private subscribe: boolean;
  declare private mode: 'add' | 'edit';
  declare private jid: string;
  declare private jidTouched: boolean;
  declare private name: string;
  declare private groups: string[];
  declare private groupDraft: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.groupSuggestions = [];
    this.preApprovalSupported = false;
    this.item = null;
    this.subscribe = true;
    this.mode = 'add';
    this.jid = '';
    this.jidTouched = false;
    this.name = '';
    this.groups = [];
    this.groupDraft = '';
  }

  /** Opens the empty "Add contact" form. */
  openForAdd(): Promise<void> {
    this.item = null;
    this.subscribe = true;
    return this.open('add', { jid: '', name: null, groups: [] });
  }

  /** Opens the edit form for `item`. */
  openForEdit(item: RosterItem): Promise<void> {
    this.item = item;
    return this.open('edit', item);
  }

  private open(mode: 'add' | 'edit', item: Pick<RosterItem, 'jid' | 'name' | 'groups'>): Promise<void> {
    Object.assign(this, {
      mode,
      jid: item.jid,
      jidTouched: false,
      name: item.name ?? '',
      groups: [...item.groups],
      groupDraft: '',
    });
    return this.dialog.show(mode === 'add' ? '#jid' : '#name');
  }

  private close(): void {
    this.dialog.close();
  }

  private addDraftGroup(): void {
    const group = this.groupDraft.trim();
    if (group !== '' && !this.groups.includes(group)) this.groups = [...this.groups, group];
    this.groupDraft = '';
  }

  private onGroupKeydown(event: KeyboardEvent): void {
    // Enter in the group field adds the group instead of submitting the form.
    if (event.key === 'Enter' && this.groupDraft.trim() !== '') {
      event.preventDefault();
      this.addDraftGroup();
    }
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.jidTouched = true;
    if (this.mode === 'add' && jidProblem(this.jid)) {
      this.renderRoot.querySelector<HTMLInputElement>('#jid')?.focus();
      return;
    }
    const messenger = this.messenger.value;
    if (!messenger || this.dialog.busy) return;
    this.addDraftGroup();
    const name = this.name.trim();
    const result = await this.dialog.run(() =>
      this.mode === 'add'
        ? messenger.addContact({
            jid: this.jid.trim(),
            ...(name === '' ? {} : { name }),
            groups: this.groups,
            ...(this.subscribe ? {} : { subscribe: false }),
          })
        : messenger.updateContact({ jid: this.jid, name: name === '' ? null : name, groups: this.groups }),
    );
    if (!result?.ok) return;
    this.dispatchEvent(
      new CustomEvent('xm-contact-saved', {
        bubbles: true,
        composed: true,
        detail: { mode: this.mode, jid: this.jid.trim(), item: result.value },
      }),
    );
    this.close();
  }

  private async changeSubscription(action: SubscriptionAction): Promise<void> {
    const messenger = this.messenger.value;
    const item = this.item;
    if (!messenger || !item) return;
    const result = await this.dialog.run(() => messenger.changeSubscription(item.jid, action));
    if (!result?.ok) return;
    const label = item.name?.trim() ? item.name : item.jid;
    this.dispatchEvent(
      new CustomEvent('xm-subscription-changed', {
        bubbles: true,
        composed: true,
        detail: { jid: item.jid, label, action },
      }),
    );
    this.close();
  }

  private renderSharing() {
    const item = this.item;
    if (this.mode !== 'edit' || !item) return nothing;
    const actions = subscriptionActions(item, this.preApprovalSupported);
    const state = `${subscriptionWords(item.subscription)}${item.ask === 'subscribe' ? '; your request is pending' : ''}${item.approved ? '; pre-approved' : ''}`;
    return html`<fieldset class="sharing">
      <legend>Presence sharing</legend>
      <p class="sharing-state">Now: ${state}.</p>
      <div class="sharing-actions">
        ${actions.map((action) => html`<button type="button" class=${action.startsWith('stop') || action === 'cancel-request' ? 'quiet-danger' : ''} aria-disabled=${this.dialog.busy} @click=${() => this.changeSubscription(action)}>${actionLabels[action]}</button>`)}
      </div>
    </fieldset>`;
  }

  protected override render() {
    const adding = this.mode === 'add';
    const jidError = adding && this.jidTouched ? jidProblem(this.jid) : null;
    const suggestions = this.groupSuggestions.filter((g) => !this.groups.includes(g));
    return html`<dialog part="dialog" aria-labelledby="title" @close=${this.dialog.onClose}>
      <form novalidate @submit=${this.onSubmit}>
        <h2 id="title">${adding ? 'Add contact' : 'Edit contact'}</h2>
        ${
          adding
            ? addressField({
                value: this.jid,
                error: jidError,
                onInput: (value) => {
                  this.jid = value;
                  this.jidTouched ||= value.includes('@');
                },
                onBlur: () => {
                  this.jidTouched ||= this.jid !== '';
                },
              })
            : html`<p class="readonly"><span class="label">Address</span><bdi class="value">${this.jid}</bdi></p>`
        }
        <div class="field">
          <label for="name">Name <span class="optional">(optional)</span></label>
          <input
            id="name"
            type="text"
            .value=${this.name}
            @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="group">Groups</label>
          <ul class="chips" aria-label="Groups of this contact">
            ${this.groups.map(
              (group) =>
                html`<li>
                  <bdi>${group}</bdi>
                  <button
                    type="button"
                    aria-label="Remove from group ${group}"
                    @click=${() => (this.groups = this.groups.filter((g) => g !== group))}
                  >
                    ×
                  </button>
                </li>`,
            )}
          </ul>
          <div class="group-add">
            <input
              id="group"
              type="text"
              list="group-suggestions"
              placeholder="Add to a group"
              .value=${this.groupDraft}
              @input=${(e: Event) => (this.groupDraft = (e.target as HTMLInputElement).value)}
              @keydown=${this.onGroupKeydown}
            />
            <button type="button" @click=${this.addDraftGroup} ?disabled=${this.groupDraft.trim() === ''}>Add</button>
          </div>
          <datalist id="group-suggestions">${suggestions.map((g) => html`<option value=${g}></option>`)}</datalist>
        </div>
        ${
          adding
            ? html`<label class="check"
                ><input
                  type="checkbox"
                  .checked=${this.subscribe}
                  @change=${(e: Event) => (this.subscribe = (e.target as HTMLInputElement).checked)}
                />Ask to see their presence</label
              >`
            : this.renderSharing()
        }
        ${this.dialog.renderError()}
        <div class="buttons">
          <button type="button" @click=${this.close}>Cancel</button>
          <button type="submit" class="primary" aria-disabled=${this.dialog.busy}>
            ${this.dialog.busy ? 'Saving…' : adding ? 'Add contact' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('xm-contact-dialog', XmContactDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-contact-dialog': XmContactDialog;
  }
  interface GlobalEventHandlersEventMap {
    'xm-contact-saved': CustomEvent<{ mode: 'add' | 'edit'; jid: string; item: RosterItem | null }>;
    'xm-subscription-changed': CustomEvent<{ jid: string; label: string; action: SubscriptionAction }>;
  }
}
