import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { RosterItem } from '../../preload/contract.js';
import { chevronIcon, pencilIcon, plusIcon, trashIcon, undoIcon } from '../icons.js';
import { loadCollapsedGroups, saveCollapsedGroups } from '../roster/collapsed-groups.js';
import { fold } from '../roster/fold.js';
import type { ContactEntry, RosterView } from '../roster/roster-model.js';
import { NO_GROUP, RowList, buildRows, type ListRow } from '../roster/rows.js';
import { controlStyles } from '../styles/controls.js';
import { pendingWords, plural, subscriptionWords } from '../words.js';
import { contactListStyles } from './xm-contact-list.styles.js';
import { fixVirtualizer } from './virtualizer-fixes.js';
import { ROWS_LAYOUT } from './rows-layout.js';
import { presenceOf } from '../presence/presence-directive.js';
import type { PresenceStore } from '../presence/presence-store.js';
import { presenceRowStyles } from './presence-row.styles.js';

const PAGE = 10;
/** What the rows (RowList) and the tab stop already account for; any other property change redraws the drawn rows. */
const ROW_INPUTS: ReadonlySet<PropertyKey> = new Set(['roster', 'query', 'collapsed', 'searchCollapsed', 'activeKey']);

/**
 * The roster as one virtualised list of group headers and contact rows.
 * Groups fold (remembered per account in localStorage; while searching,
 * folding lasts until the search is cleared). Keyboard: arrows, Home/End,
 * PageUp/PageDown move between rows (roving tabindex); Enter edits the
 * focused contact, Delete asks to remove it; Left/Right fold and unfold a group.
 *
 * @fires xm-edit-contact - edit asked for (detail: `{ item }`)
 * @fires xm-remove-contact - removal asked for; the screen confirms first (detail: `{ item }`)
 * @fires xm-rename-group - rename asked for from a group header (detail: `{ group, count }`, count: the contacts shown, which a search or hidden offline contacts make fewer than the group has)
 * @fires xm-cancel-edit - "Cancel change"/"Dismiss" on a contact with a pending edit (detail: `{ item }`)
 * @fires xm-add-contact - "Add contact" pressed in the empty state
 * @csspart list - the scrolling list
 */
export class XmContactList extends LitElement {
  static override styles = [controlStyles, contactListStyles, presenceRowStyles];
  static override properties = {
    roster: { attribute: false },
    query: { type: String },
    account: { type: String },
    loading: { type: Boolean },
    presence: { attribute: false },
    offlineHidden: { type: Boolean },
    collapsed: { state: true },
    searchCollapsed: { state: true },
    activeKey: { state: true },
  };

  /** The contacts by group (RosterModel.view); null or empty: none. */
  declare roster: RosterView | null;
  /** The search text as typed; folded here. */
  declare query: string;
  /** The account whose folded groups are remembered. */
  declare account: string;
  /** Show the loading state instead of the list. */
  declare loading: boolean;
  /** Live presence by JID: each row watches its own contact (no list rebuild per presence change). */
  declare presence: PresenceStore | null;
  /** Offline contacts are left out (for the empty state's words). */
  declare offlineHidden: boolean;
  declare private collapsed: ReadonlySet<string>;
  declare private searchCollapsed: ReadonlySet<string>;
  /** The row that holds the list's one tab stop. */
  declare private activeKey: string | null;

  private rows: RowList = buildRows(null, '', new Set());
  private activeIndex = 0;
  private refocus = false;
  /** Bumped when anything a row shows may have changed other than what its row object and tab stop carry: every drawn row is drawn again. */
  private drawEpoch = 0;

  constructor() {
    super();
    this.roster = null;
    this.query = '';
    this.account = '';
    this.loading = false;
    this.presence = null;
    this.offlineHidden = false;
    this.collapsed = new Set();
    this.searchCollapsed = new Set();
    this.activeKey = null;
  }

  private get searching(): boolean {
    return this.query.trim() !== '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    for (const key of changed.keys()) if (!ROW_INPUTS.has(key)) this.drawEpoch += 1;
    if (changed.has('account')) this.collapsed = loadCollapsedGroups(this.account);
    if (changed.has('query') && ((changed.get('query') as string | undefined) ?? '').trim() === '')
      this.searchCollapsed = new Set();
    if (changed.has('roster') || changed.has('query') || changed.has('collapsed') || changed.has('searchCollapsed')) {
      const focusWasInside = this.shadowRoot?.activeElement?.closest('[data-key]') != null;
      this.rows = buildRows(
        this.roster,
        fold(this.query.trim()),
        this.searching ? this.searchCollapsed : this.collapsed,
      );
      const index = this.rows.indexOfKey(this.activeKey);
      if (index >= 0) {
        this.activeIndex = index;
      } else {
        // The focused row went away (removed, folded, filtered): its neighbour takes the tab stop, and focus if it had it.
        this.activeIndex = Math.max(0, Math.min(this.activeIndex, this.rows.length - 1));
        this.activeKey = this.rows.at(this.activeIndex)?.key ?? null;
        this.refocus ||= focusWasInside;
      }
    }
  }

  protected override updated(): void {
    const virtualizer = this.listElement?.[virtualizerRef];
    if (virtualizer) fixVirtualizer(virtualizer);
    if (this.refocus) {
      this.refocus = false;
      void this.focusActiveRow();
    }
  }

  override focus(): void {
    void this.focusActiveRow();
  }

  /** Moves focus to the row holding the tab stop, scrolling it into view first if it is virtualised away. */
  async focusActiveRow(): Promise<void> {
    await this.updateComplete;
    const key = this.activeKey;
    if (key === null) return;
    // By key, not by the index remembered when the move was asked for: the list may have changed since.
    const index = this.rows.indexOfKey(key);
    if (!this.focusTarget(key) && index >= 0) {
      const virtualizer = this.listElement?.[virtualizerRef];
      virtualizer?.element(index)?.scrollIntoView({ block: 'nearest' });
    }
    // The virtualiser draws rows on its own frame: look for a few frames, not a fixed time.
    for (let frame = 0; frame < 10; frame += 1) {
      const target = this.focusTarget(key);
      if (target) {
        target.focus();
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  private get listElement(): (HTMLElement & VirtualizerHostElement) | null {
    return this.renderRoot.querySelector('.list');
  }

  private focusTarget(key: string): HTMLElement | null {
    const row = this.renderRoot.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    return row?.querySelector<HTMLElement>('[data-focus]') ?? row;
  }

  private moveTo(index: number): void {
    if (this.rows.length === 0) return;
    this.activeIndex = Math.max(0, Math.min(index, this.rows.length - 1));
    const row = this.rows.at(this.activeIndex);
    if (!row) return; // not reached: the index was clamped to the rows
    this.activeKey = row.key;
    void this.focusActiveRow();
  }

  private setGroupCollapsed(group: string, collapse: boolean): void {
    const current = this.searching ? this.searchCollapsed : this.collapsed;
    if (current.has(group) === collapse) return;
    const next = new Set(current);
    if (collapse) next.add(group);
    else next.delete(group);
    if (this.searching) {
      this.searchCollapsed = next;
    } else {
      this.collapsed = next;
      saveCollapsedGroups(this.account, next);
    }
  }

  private fire<
    K extends 'xm-edit-contact' | 'xm-remove-contact' | 'xm-rename-group' | 'xm-add-contact' | 'xm-cancel-edit',
  >(type: K, detail: GlobalEventHandlersEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  private onKeydown(event: KeyboardEvent): void {
    const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-key]');
    if (!rowElement) return;
    const index = this.rows.indexOfKey(rowElement.dataset.key ?? null);
    const row = this.rows.at(index);
    if (!row) return;
    const onRowItself = event.target === rowElement || (event.target as HTMLElement).hasAttribute('data-focus');
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + PAGE,
      PageUp: index - PAGE,
      Home: 0,
      End: this.rows.length - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      this.moveTo(to);
    } else if (row.kind === 'contact' && onRowItself && event.key === 'Enter') {
      event.preventDefault();
      this.fire('xm-edit-contact', { item: row.entry.item });
    } else if (row.kind === 'contact' && onRowItself && event.key === 'Delete') {
      event.preventDefault();
      this.fire('xm-remove-contact', { item: row.entry.item });
    } else if (row.kind === 'group' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      event.preventDefault();
      this.setGroupCollapsed(row.group, event.key === 'ArrowLeft');
    }
  }

  private onFocusin(event: FocusEvent): void {
    const key = (event.target as HTMLElement).closest<HTMLElement>('[data-key]')?.dataset.key;
    if (key === undefined || key === this.activeKey) return;
    // A row still drawn from the previous list (the virtualiser catches up a frame later) is not a position in this one.
    const index = this.rows.indexOfKey(key);
    if (index < 0) return;
    this.activeKey = key;
    this.activeIndex = index;
  }

  /** Keeps the tab stop on a drawn row after the user scrolls the focused-less list. */
  private onRangeChanged(event: RangeChangedEvent): void {
    if (this.shadowRoot?.activeElement) return;
    // A range announced for the previous, longer list says nothing about this one.
    if (event.last >= this.rows.length) return;
    if (this.activeIndex >= event.first && this.activeIndex <= event.last) return;
    const row = this.rows.at(event.first);
    if (!row) return;
    this.activeIndex = event.first;
    this.activeKey = row.key;
  }

  protected override render() {
    if (this.loading) {
      return html`<div class="state" role="status">
        <span class="spinner" aria-hidden="true"></span>
        <p>Loading contacts…</p>
      </div>`;
    }
    if ((this.roster?.size ?? 0) === 0) {
      return html`<div class="state">
        <p class="state-title">No contacts yet — add one</p>
        <p>Add someone by their address, like name@example.com.</p>
        <button class="primary" @click=${() => this.fire('xm-add-contact', undefined)}>${plusIcon}Add contact</button>
      </div>`;
    }
    if (this.rows.length === 0 && !this.searching && this.offlineHidden) {
      return html`<div class="state" role="status">
        <p class="state-title">No one is online</p>
        <p>Offline contacts are hidden. Untick “Hide offline contacts” to see everyone.</p>
      </div>`;
    }
    const arriving = this.roster?.loading ?? 0;
    if (this.rows.length === 0 && arriving > 0) {
      return html`<div class="state" role="status">
        <p class="state-title">No matches yet</p>
        <p>${plural(arriving, 'contact')} still loading; matches among them will show here.</p>
      </div>`;
    }
    if (this.rows.length === 0) {
      return html`<div class="state" role="status">
        <p class="state-title">No matches</p>
        <p>No contact’s name or address contains “<bdi>${this.query.trim()}</bdi>”.</p>
      </div>`;
    }
    const rows = this.rows;
    return html`<div
      class="list"
      part="list"
      role="list"
      aria-label="Contacts"
      @keydown=${this.onKeydown}
      @focusin=${this.onFocusin}
      @rangeChanged=${this.onRangeChanged}
    >
      <div virtualizer-sizer aria-hidden="true"></div>
      ${virtualize({
        // Rows are made by position (RowList): the virtualiser's items only give the length.
        items: rows.items,
        // The virtualiser takes new items a task after this render and may draw once more with the range it had
        // for the previous, longer list (issue 11 #13): a position past the end gets an empty placeholder, never a throw.
        keyFunction: (_: unknown, index: number) => rows.at(index)?.key ?? `~${index}`,
        renderItem: (_: unknown, index: number) => {
          const row = rows.at(index);
          // An element all the same, so the virtualiser's children still line up with its positions.
          if (!row) return html`<div class="row" aria-hidden="true"></div>`;
          // Rows are immutable per list (RowList): a row drawn again while scrolling is left as it is.
          return guard([row, index, rows.length, row.key === this.activeKey, this.drawEpoch], () =>
            row.kind === 'group'
              ? this.renderGroup(row, index)
              : row.kind === 'contact'
                ? this.renderContact(row, index)
                : this.renderPlaceholder(row, index),
          ) as unknown as TemplateResult;
        },
        scroller: true,
        // Exact row positions from the rows' kinds (rows-layout.ts): no estimate to correct on a fling.
        layout: ROWS_LAYOUT,
      })}
    </div>`;
  }

  private renderGroup(row: Extract<ListRow, { kind: 'group' }>, index: number) {
    const name = row.group === NO_GROUP ? 'No group' : row.group;
    const tabStop = row.key === this.activeKey ? 0 : -1;
    return html`<div
      class="row group-row"
      role="listitem"
      data-key=${row.key}
      aria-setsize=${this.rows.length}
      aria-posinset=${index + 1}
    >
      <h2 class="group-heading">
        <button
          class="group-toggle"
          data-focus
          tabindex=${tabStop}
          aria-expanded=${!row.collapsed}
          @click=${() => this.setGroupCollapsed(row.group, !row.collapsed)}
        >
          <span class="chevron">${chevronIcon}</span>
          <bdi class="group-name">${name}</bdi>
          <span class="count" aria-label=${plural(row.count, 'contact')}>${row.count}</span>
        </button>
      </h2>
      ${
        row.group === NO_GROUP
          ? nothing
          : html`<button
              class="icon quiet rename"
              tabindex="-1"
              aria-label="Rename group ${name}"
              title="Rename group"
              @click=${() => this.fire('xm-rename-group', { group: row.group, count: row.count })}
            >
              ${pencilIcon}
            </button>`
      }
    </div>`;
  }

  /** A contact still on its way (the roster is loading): holds its place so the list has its final length. */
  private renderPlaceholder(row: Extract<ListRow, { kind: 'placeholder' }>, index: number) {
    return html`<div
      class="row placeholder-row"
      role="listitem"
      aria-busy="true"
      data-key=${row.key}
      tabindex=${row.key === this.activeKey ? 0 : -1}
      aria-setsize=${this.rows.length}
      aria-posinset=${index + 1}
    >
      <span class="avatar placeholder" aria-hidden="true"></span>
      <div class="text"><span class="loading-text">Loading…</span></div>
    </div>`;
  }

  private renderContact(row: Extract<ListRow, { kind: 'contact' }>, index: number) {
    const { entry } = row;
    const { item } = entry;
    // The row's own attributes change with its position; what it shows only with the contact (a new entry per change).
    return html`<div
      class="row contact-row ${item.pending ? 'has-pending' : ''} ${item.pending?.state === 'failed' ? 'has-error' : ''}"
      role="listitem"
      data-key=${row.key}
      data-group=${row.group}
      data-jid=${item.jid}
      tabindex=${row.key === this.activeKey ? 0 : -1}
      aria-setsize=${this.rows.length}
      aria-posinset=${index + 1}
      @dblclick=${() => this.fire('xm-edit-contact', { item })}
    >
      ${guard([entry, this.presence], () => this.renderContactBody(entry))}
    </div>`;
  }

  private renderContactBody(entry: ContactEntry) {
    const { item, label, initial, hue } = entry;
    return html`<span class="avatar hue-${hue}" aria-hidden="true">${initial}</span>
      <div class="text">
        <div class="line"><bdi class="name" title=${label}>${label}</bdi>${presenceOf(this.presence, item.jid)}</div>
        <div class="meta">
          ${label !== item.jid ? html`<bdi class="jid">${item.jid}</bdi><span class="sep" aria-hidden="true">·</span>` : nothing}
          <span class="subscription">${subscriptionWords(item.subscription)}</span>
          ${item.ask === 'subscribe' ? html`<span class="pill pending">request pending</span>` : nothing}
          ${item.approved ? html`<span class="pill">pre-approved</span>` : nothing}
          ${item.pending ? html`<span class="pill pending-edit ${item.pending.state}">${pendingWords(item.pending)}</span>` : nothing}
        </div>
      </div>
      <div class="actions">
        ${
          item.pending
            ? html`<button
                class="icon quiet"
                tabindex="-1"
                aria-label="${item.pending.state === 'failed' ? 'Dismiss' : 'Cancel change'}: ${label}"
                title=${item.pending.state === 'failed' ? 'Dismiss' : 'Cancel change'}
                @click=${() => this.fire('xm-cancel-edit', { item })}
              >
                ${undoIcon}
              </button>`
            : nothing
        }
        <button
          class="icon quiet"
          tabindex="-1"
          aria-label="Edit ${label}"
          title="Edit"
          @click=${() => this.fire('xm-edit-contact', { item })}
        >
          ${pencilIcon}
        </button>
        <button
          class="icon quiet"
          tabindex="-1"
          aria-label="Remove ${label}"
          title="Remove"
          @click=${() => this.fire('xm-remove-contact', { item })}
        >
          ${trashIcon}
        </button>
      </div>`;
  }
}

customElements.define('xm-contact-list', XmContactList);

declare global {
  interface HTMLElementTagNameMap {
    'xm-contact-list': XmContactList;
  }
  interface GlobalEventHandlersEventMap {
    'xm-edit-contact': CustomEvent<{ item: RosterItem }>;
    'xm-remove-contact': CustomEvent<{ item: RosterItem }>;
    'xm-rename-group': CustomEvent<{ group: string; count: number }>;
    'xm-add-contact': CustomEvent<void>;
    'xm-cancel-edit': CustomEvent<{ item: RosterItem }>;
  }
}
