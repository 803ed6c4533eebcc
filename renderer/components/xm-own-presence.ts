import { LitElement, css, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { OwnPresence } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { OWN_SHOWS, capitalise, showWords } from '../presence/presence-words.js';
import { announceOwnPresence, settledOwnPresence } from '../presence/own-presence-settle.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { presenceDotStyles } from './presence-dot.styles.js';

/**
 * "Set your status": a modal dialog to pick available / away / busy /
 * extended away and a status text, sent with setOwnPresence. Opened from
 * the account menu (xm-account-menu), whose button shows the result.
 *
 * @fires xm-own-presence-set - setOwnPresence succeeded (detail: the OwnPresence)
 */
export class XmOwnPresence extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    presenceDotStyles,
    css`
      fieldset {
        border: none;
        margin: 0 0 12px;
        padding: 0;
        display: grid;
        gap: 2px;
      }
      legend {
        font-size: 13px;
        font-weight: 600;
        margin-bottom: 6px;
        padding: 0;
      }
      .choice {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 0;
        padding: 4px 6px;
        border-radius: var(--xm-radius);
        font-size: 14px;
        font-weight: 400;
        cursor: pointer;
      }
      .choice:hover {
        background: var(--xm-surface-hover);
      }
      .choice input {
        margin: 0;
        accent-color: var(--xm-accent);
      }
      .error {
        margin: 12px 0 0;
        font-size: 13px;
      }
    `,
  ];
  static override properties = {
    presence: { attribute: false },
    draft: { state: true },
  };

  /** The presence as last set: the form starts from it. */
  declare presence: OwnPresence;
  declare private draft: OwnPresence;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.presence = { show: 'available', status: null };
    this.draft = this.presence;
  }

  /** Opens the dialog on the current presence, focus on the status text. */
  open(): Promise<void> {
    this.draft = { ...this.presence };
    return this.dialog.show('#status');
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const messenger = this.messenger.value;
    if (!messenger) return;
    const status = this.draft.status?.trim() ? this.draft.status.trim() : null;
    const presence: OwnPresence = { show: this.draft.show, status };
    const before = this.presence;
    const result = await this.dialog.run(() => messenger.setOwnPresence(presence));
    if (!result?.ok) {
      if (result) this.dialog.fail(`Could not change your presence: ${this.dialog.error}`);
      return;
    }
    this.presence = settledOwnPresence(before, this.presence, presence);
    announceOwnPresence(this, this.presence);
    this.dialog.close();
  }

  protected override render() {
    return html`<dialog aria-labelledby="own-presence-title" @close=${this.dialog.onClose}>
      <form @submit=${this.onSubmit}>
        <h2 id="own-presence-title">Set your status</h2>
        <fieldset>
          <legend>Show me as</legend>
          ${OWN_SHOWS.map(
            (option) =>
              html`<label class="choice">
                <input
                  type="radio"
                  name="show"
                  .value=${option}
                  .checked=${this.draft.show === option}
                  @change=${() => (this.draft = { ...this.draft, show: option })}
                />
                <span class="presence ${option}"><span class="presence-dot" aria-hidden="true"></span></span>
                ${capitalise(showWords(option))}
              </label>`,
          )}
        </fieldset>
        <label for="status">Status message <span class="optional">(optional)</span></label>
        <input
          id="status"
          type="text"
          maxlength="500"
          placeholder="What are you up to?"
          .value=${this.draft.status ?? ''}
          @input=${(e: Event) => (this.draft = { ...this.draft, status: (e.target as HTMLInputElement).value })}
        />
        ${this.dialog.renderError()}
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="primary" aria-disabled=${this.dialog.busy}>
            ${this.dialog.busy ? 'Setting…' : 'Set status'}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('xm-own-presence', XmOwnPresence);

declare global {
  interface HTMLElementTagNameMap {
    'xm-own-presence': XmOwnPresence;
  }
  interface GlobalEventHandlersEventMap {
    'xm-own-presence-set': CustomEvent<OwnPresence>;
  }
}
