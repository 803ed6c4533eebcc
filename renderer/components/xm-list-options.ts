import { LitElement, css, html } from 'lit';
import { DEFAULT_LIST_OPTIONS, type ListOptions } from '../presence/list-options.js';
import { controlStyles } from '../styles/controls.js';

/**
 * The small toolbar under the search: sort by name or by availability, and
 * "Hide offline contacts", and the rows' density (one line, or two: "Comfortable rows").
 *
 * @fires xm-list-options - a choice changed (detail: the new ListOptions)
 */
export class XmListOptions extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        margin-top: 12px;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 20px;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        margin: 0;
        font-size: 13px;
        font-weight: 500;
        cursor: pointer;
      }
      select {
        font: inherit;
        font-size: 13px;
        min-height: 28px;
        padding: 0 8px;
        border: 1px solid var(--xm-border-strong);
        border-radius: var(--xm-radius);
        background: var(--xm-surface);
        color: var(--xm-text);
      }
      input[type='checkbox'] {
        margin: 0;
        width: 16px;
        height: 16px;
        accent-color: var(--xm-accent);
      }
    `,
  ];
  static override properties = { options: { attribute: false } };

  declare options: ListOptions;

  constructor() {
    super();
    this.options = { ...DEFAULT_LIST_OPTIONS };
  }

  private change(options: Partial<ListOptions>): void {
    this.dispatchEvent(
      new CustomEvent('xm-list-options', { bubbles: true, composed: true, detail: { ...this.options, ...options } }),
    );
  }

  protected override render() {
    return html`<div class="toolbar" role="group" aria-label="List options">
      <label
        >Sort
        <select
          @change=${(e: Event) => this.change({ sort: (e.target as HTMLSelectElement).value === 'availability' ? 'availability' : 'name' })}
        >
          <option value="name" ?selected=${this.options.sort === 'name'}>By name</option>
          <option value="availability" ?selected=${this.options.sort === 'availability'}>By availability</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          .checked=${this.options.hideOffline}
          @change=${(e: Event) => this.change({ hideOffline: (e.target as HTMLInputElement).checked })}
        />
        Hide offline contacts
      </label>
      <label>
        <input
          type="checkbox"
          .checked=${this.options.density === 'comfortable'}
          @change=${(e: Event) =>
            this.change({ density: (e.target as HTMLInputElement).checked ? 'comfortable' : 'compact' })}
        />
        Comfortable rows
      </label>
    </div>`;
  }
}

customElements.define('xm-list-options', XmListOptions);

declare global {
  interface HTMLElementTagNameMap {
    'xm-list-options': XmListOptions;
  }
  interface GlobalEventHandlersEventMap {
    'xm-list-options': CustomEvent<ListOptions>;
  }
}
