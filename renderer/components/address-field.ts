import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

/** What the sign-in form and the add-contact dialog need of their address field. */
export interface AddressFieldOptions {
  value: string;
  /** The problem with the address as typed, in plain words, or null. */
  error: string | null;
  /** 'username' where the browser may offer the account's saved address (the sign-in form). */
  autocomplete?: 'username';
  onInput(value: string): void;
  onBlur(): void;
}

/**
 * One labelled XMPP address input (#jid) with its error line (#jid-error),
 * announced politely: the same field wherever an address is typed.
 */
export function addressField(options: AddressFieldOptions): TemplateResult {
  return html`<div class="field">
    <label for="jid">Address</label>
    <input
      id="jid"
      type="text"
      autocomplete=${ifDefined(options.autocomplete)}
      inputmode="email"
      spellcheck="false"
      autocapitalize="off"
      placeholder="name@example.com"
      .value=${options.value}
      aria-invalid=${options.error !== null}
      aria-describedby="jid-error"
      @input=${(e: Event) => {
        options.onInput((e.target as HTMLInputElement).value);
      }}
      @blur=${() => {
        options.onBlur();
      }}
    />
    <p id="jid-error" class="field-error" aria-live="polite">${options.error ?? ''}</p>
  </div>`;
}
