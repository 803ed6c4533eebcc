import { LitElement, css, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { RosterItem, SubscriptionRequest } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import type { XmGroupPicker } from './xm-group-picker.js';
import './xm-group-picker.js';

/**
 * Approving a contact request: who asks (and what they wrote), the name to
 * keep them under, pre-filled from the nickname they sent (XEP-0172) or, if
 * they are a contact already, their name; the groups, ticked in the list of
 * existing ones (xm-group-picker); and "Also ask to see their status", on.
 * "Approve" adds them with that name and those groups and lets them see our
 * status, in one call (approveRequest); offline, both wait to be sent.
 *
 * @fires xm-request-answered - the approval went through (detail: `{ jid, approved: true, name }`)
 * @csspart dialog - the native dialog element
 */
export class XmApproveDialog extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      .who {
        margin: 0 0 16px;
      }
      .who .jid {
        display: block;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .who .message {
        display: block;
        margin-top: 4px;
        font-size: 13px;
        color: var(--xm-text-secondary);
        overflow-wrap: anywhere;
      }
      xm-group-picker {
        margin-bottom: 16px;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 0;
        font-size: 14px;
        font-weight: 450;
        cursor: pointer;
      }
      .check input {
        margin: 0;
        width: 16px;
        height: 16px;
        accent-color: var(--xm-accent);
      }
    `,
  ];
  static override properties = {
    groups: { attribute: false },
    request: { state: true },
    name: { state: true },
    chosen: { state: true },
    askBack: { state: true },
  };

  /** Every existing group name, offered in the list. */
  declare groups: readonly string[];
  declare private request: SubscriptionRequest | null;
  declare private name: string;
  declare private chosen: string[];
  declare private askBack: boolean;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.groups = [];
    this.request = null;
    this.name = '';
    this.chosen = [];
    this.askBack = true;
  }

  /** Opens for `request`; `existing`: the contact they already are, if any (its name and groups are kept). */
  async open(request: SubscriptionRequest, existing?: RosterItem): Promise<void> {
    Object.assign(this, {
      request,
      name: existing?.name ?? request.nick ?? '',
      chosen: [...(existing?.groups ?? [])],
      askBack: true,
    });
    this.renderRoot.querySelector<XmGroupPicker>('xm-group-picker')?.reset();
    await this.dialog.show('#name');
    this.renderRoot.querySelector<HTMLInputElement>('#name')?.select();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const messenger = this.messenger.value;
    const request = this.request;
    if (!messenger || !request || this.dialog.busy) return;
    const name = this.name.trim() === '' ? null : this.name.trim();
    const result = await this.dialog.run(() =>
      messenger.approveRequest(request.jid, { askBack: this.askBack, name, groups: this.chosen }),
    );
    if (!result?.ok) return;
    this.dispatchEvent(
      new CustomEvent('xm-request-answered', {
        bubbles: true,
        composed: true,
        detail: { jid: request.jid, approved: true, name },
      }),
    );
    this.dialog.close();
  }

  protected override render() {
    const request = this.request;
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="who" @close=${this.dialog.onClose}>
      <form novalidate @submit=${this.onSubmit}>
        <h2 id="title">Approve contact request</h2>
        <p class="who" id="who">
          <bdi class="jid">${request?.jid ?? ''}</bdi>
          <span class="message"
            >${request?.message ? html`<bdi>${request.message}</bdi>` : 'wants to see when you are online'}</span
          >
        </p>
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
          .groups=${this.groups}
          .selected=${this.chosen}
          @xm-groups-change=${(e: CustomEvent<{ selected: string[] }>) => (this.chosen = e.detail.selected)}
        ></xm-group-picker>
        <label class="check"
          ><input
            type="checkbox"
            .checked=${this.askBack}
            @change=${(e: Event) => (this.askBack = (e.target as HTMLInputElement).checked)}
          />Also ask to see their status</label
        >
        ${this.dialog.renderError()}
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="primary" aria-disabled=${this.dialog.busy}>
            ${this.dialog.busy ? 'Approving…' : 'Approve'}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('xm-approve-dialog', XmApproveDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-approve-dialog': XmApproveDialog;
  }
}
