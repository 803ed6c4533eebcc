import { LitElement, css, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { OwnPresence } from '../../preload/contract.js';
import { messengerContext } from '../messenger-context.js';
import { PopupController, popupStyles } from '../presence/popup.js';
import { OWN_SHOWS, capitalise, showWords } from '../presence/presence-words.js';
import { controlStyles } from '../styles/controls.js';
import { errorWords } from '../words.js';
import { presenceDotStyles } from './presence-dot.styles.js';

/**
 * Our own presence: a button showing it ("Available", "Away: at lunch")
 * that opens a small form to pick available / away / busy / extended away
 * and a status text, sent with setOwnPresence.
 *
 * @fires xm-own-presence-set - setOwnPresence succeeded (detail: the OwnPresence)
 */
export class XmOwnPresence extends LitElement {
  static override styles = [
    controlStyles,
    popupStyles,
    presenceDotStyles,
    css`
      .toggle {
        min-height: 28px;
        padding: 0 10px;
        gap: 6px;
        font-size: 13px;
        font-weight: 500;
        max-width: 260px;
        border-color: var(--xm-border);
      }
      .toggle .label {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .panel {
        left: 0;
        width: min(300px, calc(100vw - 32px));
        padding: 16px;
      }
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
      .buttons {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 12px;
      }
      .error {
        margin: 12px 0 0;
        font-size: 13px;
      }
    `,
  ];
  static override properties = {
    presence: { attribute: false },
    connected: { type: Boolean },
    draft: { state: true },
    busy: { state: true },
    error: { state: true },
  };

  declare presence: OwnPresence;
  /** Online now; otherwise the dot is grey (the choice applies once connected). */
  declare connected: boolean;
  declare private draft: OwnPresence;
  declare private busy: boolean;
  declare private error: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly popup = new PopupController(
    this,
    () => this.renderRoot.querySelector<HTMLElement>('.toggle'),
    () => {
      this.draft = { ...this.presence };
      this.error = '';
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLInputElement>('input[type=radio]:checked')?.focus(),
      );
    },
  );

  constructor() {
    super();
    this.presence = { show: 'available', status: null };
    this.connected = true;
    this.draft = this.presence;
    this.busy = false;
    this.error = '';
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const messenger = this.messenger.value;
    if (!messenger || this.busy) return;
    const status = this.draft.status?.trim() ? this.draft.status.trim() : null;
    const presence: OwnPresence = { show: this.draft.show, status };
    this.busy = true;
    this.error = '';
    const result = await messenger.setOwnPresence(presence);
    this.busy = false;
    if (!result.ok) {
      this.error = `Could not change your presence: ${errorWords(result.error)}`;
      return;
    }
    this.presence = presence;
    this.dispatchEvent(new CustomEvent('xm-own-presence-set', { bubbles: true, composed: true, detail: presence }));
    this.popup.set(false, true);
  }

  protected override render() {
    const { show, status } = this.presence;
    const words = capitalise(showWords(show));
    return html`<button
        class="toggle"
        type="button"
        aria-expanded=${this.popup.open}
        aria-controls="own-presence-panel"
        aria-label="Your presence: ${words}${status ? `, ${status}` : ''}"
        title=${this.connected ? 'Change your presence' : 'You are offline: others will see this once you are connected'}
        @click=${() => this.popup.toggle()}
      >
        <span class="presence ${this.connected ? show : 'offline'}"
          ><span class="presence-dot" aria-hidden="true"></span
        ></span>
        <span class="label">${words}${status ? html`: <bdi>${status}</bdi>` : ''}</span>
      </button>
      <form id="own-presence-panel" class="panel" ?hidden=${!this.popup.open} @submit=${this.onSubmit}>
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
        <p class="error" role="alert">${this.error}</p>
        <div class="buttons">
          <button type="button" @click=${() => this.popup.set(false, true)}>Cancel</button>
          <button type="submit" class="primary" aria-disabled=${this.busy}>
            ${this.busy ? 'Setting…' : 'Set presence'}
          </button>
        </div>
      </form>`;
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
