import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { RosterItem, SubscriptionAction } from '../../preload/contract.js';
import { afterAction, sharingDoneWords, sharingStateWords } from '../presence/sharing-words.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { jidProblem } from '../validate.js';
import { addressField } from './address-field.js';
import { contactDialogStyles } from './xm-contact-dialog.styles.js';
import type { XmGroupPicker } from './xm-group-picker.js';
import './xm-group-picker.js';
import './xm-sharing-menu.js';

/**
 * Adds a contact or edits one (name and groups). The address is checked as
 * typed; groups are ticked in a list of the existing ones, and a new group
 * is made only by naming it under "New group…" (xm-group-picker). A refused
 * call keeps the dialog open with the server's reason. Escape or Cancel
 * closes it and focus goes back to where it was.
 *
 * In the edit form, how status is shared with the contact, and "Sharing ▾"
 * in the footer: the subscription steps that fit, each asking first
 * (xm-sharing-menu). A step never closes the form nor touches what was typed
 * in it; the form shows the new state at once.
 *
 * @fires xm-contact-saved - the call succeeded (detail: `{ mode, jid, item }`, item as returned)
 * @fires xm-subscription-changed - from the Sharing menu: a step went through (detail: `{ jid, label, action }`)
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
    sharingNotice: { state: true },
  };

  /** Every existing group name: the list the groups are ticked in. */
  declare groupSuggestions: readonly string[];
  /** The server supports pre-approval: the Sharing menu offers "Let them see your status when they ask". */
  declare preApprovalSupported: boolean;
  /** The contact being edited (its subscription state picks the steps offered). */
  declare private item: RosterItem | null;
  /** Add: also ask to see their status. */
  declare private subscribe: boolean;
  declare private mode: 'add' | 'edit';
  declare private jid: string;
  declare private jidTouched: boolean;
  declare private name: string;
  declare private groups: string[];
  /** What the last sharing step did, said in the form. */
  declare private sharingNotice: string;

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
    this.sharingNotice = '';
  }

  /** Opens the "Add contact" form: empty, or pre-filled (an xmpp: link; a group not in the list yet is listed, ticked). */
  openForAdd(
    prefill: { jid?: string; name?: string | null; groups?: string[]; subscribe?: boolean } = {},
  ): Promise<void> {
    this.item = null;
    this.subscribe = prefill.subscribe ?? true;
    return this.open('add', { jid: prefill.jid ?? '', name: prefill.name ?? null, groups: prefill.groups ?? [] });
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
      sharingNotice: '',
    });
    this.renderRoot.querySelector<XmGroupPicker>('xm-group-picker')?.reset();
    return this.dialog.show(mode === 'add' ? '#jid' : '#name');
  }

  private close(): void {
    this.dialog.close();
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

  /** A sharing step went through: the form stays as typed; only the state line changes. */
  private onSubscriptionChanged(event: CustomEvent<{ jid: string; label: string; action: SubscriptionAction }>): void {
    if (event.detail.jid !== this.item?.jid) return;
    this.item = afterAction(this.item, event.detail.action);
    this.sharingNotice = sharingDoneWords(event.detail.action, event.detail.label);
  }

  private renderSharingState() {
    const item = this.item;
    if (this.mode !== 'edit' || !item) return nothing;
    return html`<div class="readonly sharing-state">
      <span class="label">Status sharing</span>
      <span class="value">${sharingStateWords(item)}</span>
      <span class="notice" role="status">${this.sharingNotice}</span>
    </div>`;
  }

  protected override render() {
    const adding = this.mode === 'add';
    const jidError = adding && this.jidTouched ? jidProblem(this.jid) : null;
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
        <xm-group-picker
          class="field"
          .groups=${this.groupSuggestions}
          .selected=${this.groups}
          @xm-groups-change=${(e: CustomEvent<{ selected: string[] }>) => (this.groups = e.detail.selected)}
        ></xm-group-picker>
        ${
          adding
            ? html`<label class="check"
                ><input
                  type="checkbox"
                  .checked=${this.subscribe}
                  @change=${(e: Event) => (this.subscribe = (e.target as HTMLInputElement).checked)}
                />Ask to see their status</label
              >`
            : this.renderSharingState()
        }
        ${this.dialog.renderError()}
        <div class="buttons">
          ${
            adding
              ? nothing
              : html`<xm-sharing-menu
                  class="sharing"
                  .item=${this.item}
                  .preApprovalSupported=${this.preApprovalSupported}
                  @xm-subscription-changed=${this.onSubscriptionChanged}
                ></xm-sharing-menu>`
          }
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
