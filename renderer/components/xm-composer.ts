import { LitElement, css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { MESSAGE_LIMITS } from '../../preload/contract.js';
import { controlStyles } from '../styles/controls.js';

/** The counter appears this close to the limit. */
const COUNT_FROM = MESSAGE_LIMITS.bodyChars - 1000;

const sendIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path d="M4 12 20 4l-4 16-4-7z" />
  <path d="m12 13 8-9" />
</svg>`;

/**
 * The message field: several lines, Enter sends, Shift+Enter starts a new
 * line (and an IME's Enter only confirms its text). The length limit is
 * said before sending: a counter near it, Send disabled over it.
 *
 * @fires xm-compose-input - the text changed (detail: `{ text }`)
 * @fires xm-compose-send - Send or Enter with something to send (detail: `{ text }`)
 */
export class XmComposer extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        align-items: flex-end;
        gap: 8px;
      }
      textarea {
        flex: 1;
        min-width: 0;
        font: inherit;
        font-size: 14px;
        line-height: 20px;
        min-height: 40px;
        max-height: 40vh;
        padding: 9px 12px;
        border: 1px solid var(--xm-border-strong);
        border-radius: var(--xm-radius-large);
        background: var(--xm-surface);
        color: var(--xm-text);
        resize: none;
        overflow-y: auto;
        field-sizing: content;
        overflow-wrap: anywhere;
      }
      textarea:focus-visible {
        outline-offset: 0;
        border-color: var(--xm-focus);
      }
      textarea[aria-invalid='true'] {
        border-color: var(--xm-danger);
      }
      textarea::placeholder {
        color: var(--xm-text-secondary);
      }
      .send {
        flex: none;
        width: 40px;
        min-height: 40px;
        padding: 0;
        border-radius: 50%;
      }
      .send svg {
        width: 18px;
        height: 18px;
      }
      .count {
        margin: 4px 4px 0;
        font-size: 12px;
        text-align: end;
        color: var(--xm-text-secondary);
      }
      .count.over {
        color: var(--xm-danger);
        font-weight: 600;
      }
    `,
  ];
  static override properties = {
    value: { attribute: false },
    label: { attribute: false },
    disabled: { type: Boolean },
  };

  /** The text in the field (the draft). */
  declare value: string;
  /** The field's name, e.g. "Message to Romeo". */
  declare label: string;
  declare disabled: boolean;

  constructor() {
    super();
    this.value = '';
    this.label = 'Message';
    this.disabled = false;
  }

  override focus(): void {
    this.renderRoot.querySelector('textarea')?.focus();
  }

  private get tooLong(): boolean {
    return this.value.length > MESSAGE_LIMITS.bodyChars;
  }

  private get sendable(): boolean {
    return !this.disabled && this.value.trim() !== '' && !this.tooLong;
  }

  private onInput(event: InputEvent): void {
    this.value = (event.target as HTMLTextAreaElement).value;
    this.dispatchEvent(new CustomEvent('xm-compose-input', { detail: { text: this.value } }));
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey) return;
    event.preventDefault();
    this.send();
  }

  private send(): void {
    if (!this.sendable) return;
    this.dispatchEvent(new CustomEvent('xm-compose-send', { detail: { text: this.value } }));
  }

  protected override render() {
    const length = this.value.length;
    const over = this.tooLong;
    const counted = length >= COUNT_FROM;
    return html`<div class="row">
        <textarea
          rows="1"
          aria-label=${this.label}
          aria-describedby="count"
          aria-invalid=${over ? 'true' : 'false'}
          placeholder=${this.label}
          .value=${live(this.value)}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
        ></textarea>
        <button
          class="primary send"
          aria-label="Send"
          title="Send (Enter)"
          ?disabled=${!this.sendable}
          @click=${this.send}
        >
          ${sendIcon}
        </button>
      </div>
      <p id="count" class="count ${over ? 'over' : ''}" aria-live="polite">
        ${
          counted
            ? over
              ? `Too long to send: ${length.toLocaleString('en-US')} of ${MESSAGE_LIMITS.bodyChars.toLocaleString('en-US')} characters. Shorten it by ${(length - MESSAGE_LIMITS.bodyChars).toLocaleString('en-US')}.`
              : `${length.toLocaleString('en-US')} of ${MESSAGE_LIMITS.bodyChars.toLocaleString('en-US')} characters`
            : nothing
        }
      </p>`;
  }
}

customElements.define('xm-composer', XmComposer);

declare global {
  interface HTMLElementTagNameMap {
    'xm-composer': XmComposer;
  }
  interface HTMLElementEventMap {
    'xm-compose-input': CustomEvent<{ text: string }>;
    'xm-compose-send': CustomEvent<{ text: string }>;
  }
}
