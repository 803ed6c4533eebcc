import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { controlStyles } from '../styles/controls.js';
import { groupNameProblem, matchingGroup } from '../roster/group-names.js';
import { groupPickerStyles } from './xm-group-picker.styles.js';

/** From this many groups on, a filter field is shown above the list. */
const FILTER_FROM = 8;

/**
 * The groups of a contact, chosen from the existing ones: a multi-select
 * listbox (one Tab stop; arrows, Home and End move, Space ticks), a filter
 * above it when there are many, and "New group…", which adds a named group
 * to the list, ticked. Nothing typed becomes a group by accident: a new name
 * must be confirmed, and one that differs from an existing group only in
 * case or spacing picks that group instead.
 *
 * Used by the add and edit dialogs, the approve dialog and the contact
 * menu's "Move to group…". Controlled like a native field: set `selected`,
 * listen to `xm-groups-change` (the picker also keeps its own copy, so it
 * works unattended between renders).
 *
 * @fires xm-groups-change - the ticked groups changed (detail: `{ selected }`, in list order)
 */
export class XmGroupPicker extends LitElement {
  static override styles = [controlStyles, groupPickerStyles];
  static override properties = {
    groups: { attribute: false },
    selected: { attribute: false },
    label: { type: String },
    created: { state: true },
    filter: { state: true },
    active: { state: true },
    naming: { state: true },
    draft: { state: true },
    problem: { state: true },
    said: { state: true },
  };

  /** Every existing group (of the whole roster), offered in the list. */
  declare groups: readonly string[];
  /** The ticked groups; may name groups not in `groups` (they are listed too). */
  declare selected: readonly string[];
  /** The visible label and the list's accessible name (default "Groups"). */
  declare label: string;
  /** Groups made here with "New group…", listed until the picker is reset. */
  declare private created: readonly string[];
  declare private filter: string;
  /** The option that holds the list's one Tab stop. */
  declare private active: string | null;
  /** The "New group" field is open. */
  declare private naming: boolean;
  declare private draft: string;
  /** Why the new name cannot be used, or ''. */
  declare private problem: string;
  /** The last thing done, for the polite live region ("“Family” already exists: ticked."). */
  declare private said: string;

  constructor() {
    super();
    this.groups = [];
    this.selected = [];
    this.label = 'Groups';
    this.created = [];
    this.filter = '';
    this.active = null;
    this.naming = false;
    this.draft = '';
    this.problem = '';
    this.said = '';
  }

  /** Forgets groups made here, the filter and the open "New group" field (a dialog opening again). */
  reset(): void {
    Object.assign(this, { created: [], filter: '', active: null, naming: false, draft: '', problem: '', said: '' });
  }

  /** Focuses the list (its ticked option first), or the filter when nothing is listed. */
  override focus(): void {
    const target =
      this.option(this.active) ?? this.renderRoot.querySelector<HTMLElement>('[role=option], #filter, #new-group');
    target?.focus();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('groups') || changed.has('selected') || changed.has('filter') || changed.has('created')) {
      const shown = this.visible();
      if (this.active === null || !shown.includes(this.active))
        this.active = shown.find((g) => this.selected.includes(g)) ?? shown[0] ?? null;
    }
  }

  /** Every listed group, sorted as people read them. */
  private all(): string[] {
    const names = new Set([...this.groups, ...this.selected, ...this.created]);
    return [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
  }

  private visible(): string[] {
    const query = this.filter.trim().toLocaleLowerCase();
    const all = this.all();
    return query === '' ? all : all.filter((g) => g.toLocaleLowerCase().includes(query));
  }

  private option(group: string | null): HTMLElement | null {
    if (group === null) return null;
    const options = this.renderRoot.querySelectorAll<HTMLElement>('[role=option]');
    return [...options].find((o) => o.dataset.group === group) ?? null;
  }

  private setSelected(selected: string[]): void {
    const order = this.all();
    this.selected = order.filter((g) => selected.includes(g));
    this.dispatchEvent(
      new CustomEvent('xm-groups-change', { bubbles: true, composed: true, detail: { selected: [...this.selected] } }),
    );
  }

  private toggle(group: string): void {
    this.active = group;
    const on = this.selected.includes(group);
    this.setSelected(on ? this.selected.filter((g) => g !== group) : [...this.selected, group]);
  }

  private async moveTo(group: string | undefined): Promise<void> {
    if (group === undefined) return;
    this.active = group;
    await this.updateComplete;
    this.option(group)?.focus();
  }

  private onListKeydown(event: KeyboardEvent): void {
    const shown = this.visible();
    const at = this.active === null ? -1 : shown.indexOf(this.active);
    const moves: Record<string, number | undefined> = {
      ArrowDown: Math.min(at + 1, shown.length - 1),
      ArrowUp: Math.max(at - 1, 0),
      Home: 0,
      End: shown.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      if (event.key === 'ArrowUp' && at <= 0 && this.hasFilter()) {
        this.renderRoot.querySelector<HTMLInputElement>('#filter')?.focus();
        return;
      }
      void this.moveTo(shown[moves[event.key] ?? 0]);
    } else if (event.key === ' ' && this.active !== null) {
      event.preventDefault();
      this.toggle(this.active);
    }
  }

  private onFilterKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      void this.moveTo(this.visible()[0]);
    } else if (event.key === 'Enter') {
      // Enter in the filter never submits the dialog: it ticks the one match, or offers the name as a new group.
      event.preventDefault();
      const shown = this.visible();
      const [only] = shown;
      if (shown.length === 1 && only !== undefined) {
        if (!this.selected.includes(only)) this.toggle(only);
        void this.moveTo(only);
      } else if (shown.length === 0 && this.filter.trim() !== '') {
        void this.startNaming(this.filter.trim());
      }
    } else if (event.key === 'Escape' && this.filter !== '') {
      event.preventDefault();
      event.stopPropagation();
      this.filter = '';
    }
  }

  private async startNaming(draft = ''): Promise<void> {
    Object.assign(this, { naming: true, draft, problem: '' });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#new-name')?.focus();
  }

  private async stopNaming(): Promise<void> {
    Object.assign(this, { naming: false, draft: '', problem: '' });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#new-group')?.focus();
  }

  private async addNamed(): Promise<void> {
    const name = this.draft.trim();
    const problem = groupNameProblem(name);
    if (problem) {
      this.problem = problem;
      this.renderRoot.querySelector<HTMLInputElement>('#new-name')?.focus();
      return;
    }
    const existing = matchingGroup(this.all(), name);
    const group = existing ?? name;
    if (!existing) this.created = [...this.created, group];
    if (!this.selected.includes(group)) this.setSelected([...this.selected, group]);
    this.said = existing
      ? `“${existing}” already exists: ticked.`
      : `New group “${group}” added and ticked. It is created when you save.`;
    Object.assign(this, { naming: false, draft: '', problem: '', filter: '' });
    await this.moveTo(group);
  }

  private onNameKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      void this.addNamed();
    } else if (event.key === 'Escape') {
      // Closes this field only, not the dialog around it.
      event.preventDefault();
      event.stopPropagation();
      void this.stopNaming();
    }
  }

  private hasFilter(): boolean {
    return this.all().length >= FILTER_FROM;
  }

  private renderList(shown: string[]) {
    if (this.all().length === 0) return html`<p class="empty">No groups yet.</p>`;
    if (shown.length === 0)
      return html`<p class="empty">No group matches “<bdi>${this.filter.trim()}</bdi>”. Press Enter to make it.</p>`;
    return html`<ul
      id="list"
      role="listbox"
      aria-multiselectable="true"
      aria-labelledby="label"
      @keydown=${this.onListKeydown}
    >
      ${repeat(
        shown,
        (group) => group,
        (group) => {
          const on = this.selected.includes(group);
          // The keyboard is the listbox's (onListKeydown): one handler for all options, as the pattern has it.
          // eslint-disable-next-line lit-a11y/click-events-have-key-events
          return html`<li
            role="option"
            aria-selected=${on ? 'true' : 'false'}
            tabindex=${group === this.active ? 0 : -1}
            data-group=${group}
            @click=${() => this.toggle(group)}
            @focus=${() => (this.active = group)}
          >
            <span class="box" aria-hidden="true"></span><bdi>${group}</bdi>
          </li>`;
        },
      )}
    </ul>`;
  }

  private renderNewGroup() {
    if (!this.naming) {
      return html`<button id="new-group" type="button" class="quiet new-group" @click=${() => this.startNaming()}>
        New group…
      </button>`;
    }
    return html`<div class="naming">
      <label for="new-name">Name of the new group</label>
      <div class="naming-row">
        <input
          id="new-name"
          type="text"
          .value=${this.draft}
          aria-invalid=${this.problem ? 'true' : 'false'}
          aria-describedby="new-name-problem"
          @input=${(e: Event) => {
            this.draft = (e.target as HTMLInputElement).value;
            this.problem = '';
          }}
          @keydown=${this.onNameKeydown}
        />
        <button type="button" @click=${this.addNamed}>Add</button>
        <button type="button" class="quiet" @click=${this.stopNaming}>Cancel</button>
      </div>
      <p id="new-name-problem" class="problem" role="alert">${this.problem}</p>
    </div>`;
  }

  protected override render() {
    const shown = this.visible();
    const count = this.selected.length;
    return html`<div class="head">
        <span id="label" class="label">${this.label}</span>
        <span class="count" aria-hidden="true">${count === 0 ? 'none chosen' : `${count} chosen`}</span>
      </div>
      ${
        this.hasFilter()
          ? html`<input
              id="filter"
              type="search"
              aria-label="Filter groups"
              placeholder="Filter groups"
              autocomplete="off"
              .value=${this.filter}
              @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
              @keydown=${this.onFilterKeydown}
            />`
          : nothing
      }
      ${this.renderList(shown)} ${this.renderNewGroup()}
      <p class="said" role="status">${this.said}</p>`;
  }
}

customElements.define('xm-group-picker', XmGroupPicker);

declare global {
  interface HTMLElementTagNameMap {
    'xm-group-picker': XmGroupPicker;
  }
  interface GlobalEventHandlersEventMap {
    'xm-groups-change': CustomEvent<{ selected: string[] }>;
  }
}
