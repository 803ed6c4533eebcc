import { LitElement, html } from 'lit';
import { searchIcon } from '../icons.js';
import { controlStyles } from '../styles/controls.js';
import { searchFieldStyles } from './xm-search-field.styles.js';

/**
 * The contact search box. Escape clears it; the roster screen focuses it on Ctrl+F and "/".
 *
 * @fires xm-search - the text changed (detail: `{ query }`, as typed)
 * @csspart input - the search input
 */
export class XmSearchField extends LitElement {
  static override styles = [controlStyles, searchFieldStyles];
  static override properties = { value: { type: String } };

  /** The current search text. */
  declare value: string;

  constructor() {
    super();
    this.value = '';
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  override focus(options?: FocusOptions): void {
    this.input?.focus(options);
    this.input?.select();
  }

  /** Empties the box and tells the listeners. */
  clear(): void {
    this.setQuery('');
  }

  private setQuery(value: string): void {
    this.value = value;
    this.dispatchEvent(new CustomEvent('xm-search', { bubbles: true, composed: true, detail: { query: value } }));
  }

  private onKeydown(event: KeyboardEvent): void {
    // Escape with text clears it; Escape on an empty box is left to the page. The box's own text decides: the
    // `value` property can still hold the last query the screen drew while the screen takes the new one.
    if (event.key === 'Escape' && (this.input?.value ?? this.value) !== '') {
      event.preventDefault();
      event.stopPropagation();
      this.clear();
    }
  }

  protected override render() {
    return html`<div class="box" role="search">
      ${searchIcon}
      <input
        part="input"
        type="search"
        aria-label="Search contacts by name or address"
        placeholder="Search contacts"
        autocomplete="off"
        spellcheck="false"
        .value=${this.value}
        @input=${(e: Event) => this.setQuery((e.target as HTMLInputElement).value)}
        @keydown=${this.onKeydown}
      />
      <kbd aria-hidden="true">/</kbd>
    </div>`;
  }
}

customElements.define('xm-search-field', XmSearchField);

declare global {
  interface HTMLElementTagNameMap {
    'xm-search-field': XmSearchField;
  }
  interface GlobalEventHandlersEventMap {
    'xm-search': CustomEvent<{ query: string }>;
  }
}
