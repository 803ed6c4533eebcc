import { LitElement, css, html } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { MessageSettings } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';

const CHOICES: readonly { value: MessageSettings['notifications']; label: string; hint: string }[] = [
  { value: 'full', label: 'Show the sender and the message', hint: 'Who wrote and the first line.' },
  { value: 'private', label: 'Show only “New message”', hint: 'No name and no text on the screen.' },
  { value: 'off', label: 'Off', hint: 'Unread counts still show in the list.' },
];

/**
 * "Messages": the message settings (getMessageSettings / setMessageSettings),
 * from the account menu. Whether contacts see that we are typing, and what
 * a system notification of a new message shows: the sender and the first
 * line, only "New message", or nothing. A native form: Tab between the
 * checkbox and the radio group, arrows within the group.
 *
 * @fires xm-message-settings-saved - saved (detail: the MessageSettings main kept)
 */
export class XmMessageSettings extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        width: min(440px, calc(100vw - 16px));
      }
      fieldset {
        border: 0;
        margin: 0 0 16px;
        padding: 0;
        min-width: 0;
      }
      legend {
        padding: 0;
        margin-bottom: 6px;
        font-size: 14px;
        font-weight: 650;
      }
      .choice {
        display: grid;
        grid-template-columns: auto 1fr;
        column-gap: 8px;
        align-items: start;
        margin: 0 0 8px;
        font-weight: 400;
        cursor: pointer;
      }
      .choice input {
        margin: 2px 0 0;
        width: 16px;
        height: 16px;
        accent-color: var(--xm-accent);
      }
      .choice .hint {
        grid-column: 2;
      }
    `,
  ];
  static override properties = { draft: { state: true }, loaded: { state: true } };

  declare private draft: MessageSettings;
  /** The settings were read (until then the form waits rather than show defaults as if they were the user's). */
  declare private loaded: boolean;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.draft = { sendChatStates: true, notifications: 'full' };
    this.loaded = false;
  }

  /** Opens the dialog with the current settings, focus on the first choice. */
  async open(): Promise<void> {
    this.loaded = false;
    await this.dialog.show('#chat-states');
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await this.dialog.run(() => messenger.getMessageSettings());
    if (!result?.ok) return;
    this.draft = { ...result.value };
    this.loaded = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#chat-states')?.focus();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const messenger = this.messenger.value;
    if (!messenger || this.dialog.busy || !this.loaded) return;
    const draft = { ...this.draft };
    const result = await this.dialog.run(() => messenger.setMessageSettings(draft));
    if (!result?.ok) return;
    this.dispatchEvent(
      new CustomEvent('xm-message-settings-saved', { bubbles: true, composed: true, detail: result.value }),
    );
    this.dialog.close();
  }

  protected override render() {
    const disabled = !this.loaded;
    return html`<dialog aria-labelledby="title" @close=${this.dialog.onClose}>
      <form novalidate @submit=${this.onSubmit}>
        <h2 id="title">Messages</h2>
        <fieldset ?disabled=${disabled}>
          <legend>Typing</legend>
          <label class="choice">
            <input
              id="chat-states"
              type="checkbox"
              aria-describedby="chat-states-hint"
              .checked=${this.draft.sendChatStates}
              @change=${(e: Event) =>
                (this.draft = { ...this.draft, sendChatStates: (e.target as HTMLInputElement).checked })}
            />
            <span>Let contacts see when I am typing</span>
            <span class="hint" id="chat-states-hint">Only contacts who share their status with you.</span>
          </label>
        </fieldset>
        <fieldset ?disabled=${disabled}>
          <legend>Notifications of new messages</legend>
          ${CHOICES.map(
            (choice) =>
              html`<label class="choice">
                <input
                  type="radio"
                  name="notifications"
                  value=${choice.value}
                  aria-describedby="hint-${choice.value}"
                  .checked=${this.draft.notifications === choice.value}
                  @change=${() => (this.draft = { ...this.draft, notifications: choice.value })}
                />
                <span>${choice.label}</span>
                <span class="hint" id="hint-${choice.value}">${choice.hint}</span>
              </label>`,
          )}
        </fieldset>
        ${this.dialog.renderError()}
        <div class="buttons">
          <button type="button" @click=${() => this.dialog.close()}>Cancel</button>
          <button type="submit" class="primary" aria-disabled=${this.dialog.busy || disabled}>
            ${this.dialog.busy && this.loaded ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('xm-message-settings', XmMessageSettings);

declare global {
  interface HTMLElementTagNameMap {
    'xm-message-settings': XmMessageSettings;
  }
  interface GlobalEventHandlersEventMap {
    'xm-message-settings-saved': CustomEvent<MessageSettings>;
  }
}
