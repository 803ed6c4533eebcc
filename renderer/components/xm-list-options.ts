import { LitElement, css, html, svg } from 'lit';
import { PopupController, popupStyles } from '../presence/popup.js';
import { DEFAULT_LIST_OPTIONS, type ListOptions } from '../presence/list-options.js';
import { controlStyles } from '../styles/controls.js';

const slidersIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  ${svg`<path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12" /><circle cx="16" cy="6" r="2" /><circle cx="10" cy="12" r="2" /><circle cx="18" cy="18" r="2" />`}
</svg>`;

/**
 * "List options", a button in the toolbar that opens a small panel: sort
 * by name, by availability or by recent conversations, "Hide offline
 * contacts", the rows' density (one line, or two: "Comfortable rows") and
 * "Show message preview" (the last message under the name). A panel, not a row of its
 * own, so the choices take none of the list's height.
 *
 * @fires xm-list-options - a choice changed (detail: the new ListOptions)
 */
export class XmListOptions extends LitElement {
  static override styles = [
    controlStyles,
    popupStyles,
    css`
      .toggle {
        position: relative;
        width: 36px;
        min-height: 36px;
      }
      /* A choice that differs from the defaults is worth a mark on the button. */
      .toggle.changed::after {
        content: '';
        position: absolute;
        top: 6px;
        right: 6px;
        width: 6px;
        height: 6px;
        border-radius: 50%;
        background: var(--xm-accent);
      }
      .panel {
        right: 0;
        display: grid;
        gap: 12px;
        padding: 12px;
        width: min(260px, calc(100vw - 16px));
      }
      label {
        display: flex;
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
        min-height: 32px;
        padding: 0 8px;
        flex: 1;
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

  private readonly popup = new PopupController(
    this,
    () => this.renderRoot.querySelector<HTMLElement>('.toggle'),
    () => {
      // The panel is shown by the update this open asks for: wait for that one, not for one already done.
      this.requestUpdate();
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('select')?.focus());
    },
  );

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
    const changed = this.options.sort !== 'name' || this.options.hideOffline;
    const sortOf = (value: string): ListOptions['sort'] =>
      value === 'availability' || value === 'recent' ? value : 'name';
    return html`<button
        class="icon toggle ${changed ? 'changed' : ''}"
        type="button"
        aria-label="List options"
        title="List options: sort, hide offline contacts, row density, message preview"
        aria-expanded=${this.popup.open}
        aria-controls="list-options-panel"
        @click=${() => this.popup.toggle()}
      >
        ${slidersIcon}
      </button>
      <div id="list-options-panel" class="panel" role="group" aria-label="List options" ?hidden=${!this.popup.open}>
        <label
          >Sort
          <select @change=${(e: Event) => this.change({ sort: sortOf((e.target as HTMLSelectElement).value) })}>
            <option value="name" ?selected=${this.options.sort === 'name'}>By name</option>
            <option value="availability" ?selected=${this.options.sort === 'availability'}>By availability</option>
            <option value="recent" ?selected=${this.options.sort === 'recent'}>Recent conversations</option>
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
        <label>
          <input
            type="checkbox"
            .checked=${this.options.showPreview}
            @change=${(e: Event) => this.change({ showPreview: (e.target as HTMLInputElement).checked })}
          />
          Show message preview
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
