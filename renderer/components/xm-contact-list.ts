import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { ContactPresence, ConversationSummary, RosterItem } from '../../preload/contract.js';
import { chevronIcon, pencilIcon, plusIcon } from '../icons.js';
import { loadCollapsedGroups, saveCollapsedGroups } from '../roster/collapsed-groups.js';
import { contactRowName, groupRowName, relationWords } from '../roster/contact-words.js';
import { fold } from '../roster/fold.js';
import type { ContactEntry, RosterView } from '../roster/roster-model.js';
import {
  NO_GROUP,
  OTHERS_SECTION,
  RECENT_SECTION,
  RowList,
  isSortSection,
  buildRows,
  type ContactRow,
  type GroupRow,
  type ListRow,
  type PlaceholderRow,
} from '../roster/rows.js';
import { TypeAhead, startsTypeAhead } from '../roster/type-ahead.js';
import { controlStyles } from '../styles/controls.js';
import { pendingWords, plural } from '../words.js';
import { contactListStyles } from './xm-contact-list.styles.js';
import { fixVirtualizer } from './virtualizer-fixes.js';
import { ROWS_LAYOUT } from './rows-layout.js';
import { presenceOf } from '../presence/presence-directive.js';
import type { ConversationSummaries } from '../messages/conversation-summaries.js';
import { unreadWords } from '../messages/conversation-summaries.js';
import { rowState, summaryOf } from '../messages/row-state.js';
import type { PresenceStore } from '../presence/presence-store.js';
import { presenceRowStyles } from './presence-row.styles.js';
import { rowGlyphStyles } from './row-glyphs.styles.js';
import { canMove, contactMenu, groupMenu, movedGroups, moveTargets } from './contact-list-menus.js';
import type { MenuAnchor, XmMenu } from './xm-menu.js';
import './xm-menu.js';
import { requestConversation } from '../messages/conversation-events.js';

/** What the rows (RowList) and the tab stop already account for; any other property change redraws the drawn rows. */
const ROW_INPUTS: ReadonlySet<PropertyKey> = new Set(['roster', 'query', 'collapsed', 'searchCollapsed', 'activeKey']);
/** A row's height when none is drawn to measure (PageUp/PageDown). */
const ROW_HEIGHT_GUESS = 36;

const groupName = (group: string): string =>
  group === NO_GROUP
    ? 'No group'
    : group === RECENT_SECTION
      ? 'Recent'
      : group === OTHERS_SECTION
        ? 'Other contacts'
        : group;

/** A group header that is a roster group the server knows, which can be renamed and dropped onto. */
const isRenamable = (group: string): boolean => group !== NO_GROUP && !isSortSection(group);

/**
 * The roster as a tree (role="tree", virtualised): groups are level-1 items
 * that fold (remembered per account in localStorage; while searching,
 * folding lasts until the search is cleared), contacts level-2 items named
 * "Romeo Montague, away, At the ball". Positions and sizes come from the
 * rows (RowList), never from what is drawn. One tab stop (roving tabindex).
 *
 * Keyboard (the tree pattern): Up/Down, Home/End, PageUp/PageDown; Right
 * unfolds a group or enters it, Left folds it or goes from a contact to its
 * group; letters jump to the next contact whose name starts with them;
 * Enter (or a double click) opens a contact's conversation (folds/unfolds a
 * group), F2 edits a contact or renames a group, Delete asks to remove a
 * contact; the context-menu key or Shift+F10 opens the row's menu, as does a
 * right click. A contact dragged onto another group moves there.
 *
 * @fires xm-open-conversation - (OPEN_CONVERSATION) a contact's conversation asked for (detail: `{ jid }`)
 * @fires xm-edit-contact - edit asked for (detail: `{ item }`)
 * @fires xm-remove-contact - removal asked for; the screen confirms first (detail: `{ item }`)
 * @fires xm-rename-group - rename asked for from a group header (detail: `{ group, count }`, count: the contacts shown, which a search or hidden offline contacts make fewer than the group has)
 * @fires xm-cancel-edit - "Cancel change"/"Dismiss" on a contact with a pending edit (detail: `{ item }`)
 * @fires xm-add-contact - "Add contact" pressed in the empty state
 * @fires xm-move-contact - a contact dragged onto a group, or moved from its menu (detail: `{ item, groups, to }`: its new groups; `to` is '' for "No group")
 * @fires xm-block-request - "Block" chosen in a contact's menu (detail: `{ jid }`); offered only with `blockingSupported`
 * @csspart list - the scrolling list
 */
export class XmContactList extends LitElement {
  static override styles = [controlStyles, contactListStyles, presenceRowStyles, rowGlyphStyles];
  static override properties = {
    roster: { attribute: false },
    query: { type: String },
    account: { type: String },
    loading: { type: Boolean },
    presence: { attribute: false },
    offlineHidden: { type: Boolean },
    density: { type: String },
    blockingSupported: { type: Boolean },
    summaries: { attribute: false },
    showPreview: { type: Boolean },
    collapsed: { state: true },
    searchCollapsed: { state: true },
    activeKey: { state: true },
    dropGroup: { state: true },
    announcement: { state: true },
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
  /** One line per contact, or two ("comfortable": the address and status under the name). */
  declare density: 'compact' | 'comfortable';
  /** The server can block contacts (XEP-0191): the contact menu offers "Block". */
  declare blockingSupported: boolean;
  /** Each conversation's unread count and last message: each row watches its own (no list rebuild per message). */
  declare summaries: ConversationSummaries | null;
  /** The last message's first line under the name (rows with one are two lines tall). */
  declare showPreview: boolean;
  declare private collapsed: ReadonlySet<string>;
  declare private searchCollapsed: ReadonlySet<string>;
  /** The row that holds the list's one tab stop. */
  declare private activeKey: string | null;
  /** The group a dragged contact would be dropped into, highlighted. */
  declare private dropGroup: string | null;
  /** Said by the list's own polite live region ("Copied …"). */
  declare private announcement: string;

  private rows: RowList = buildRows(null, '', new Set());
  private activeIndex = 0;
  private refocus = false;
  /** Bumped when anything a row shows may have changed other than what its row object and tab stop carry: every drawn row is drawn again. */
  private drawEpoch = 0;
  private readonly typeAhead = new TypeAhead();
  /** The contact being dragged, and the group it is dragged out of. */
  private dragging: { item: RosterItem; from: string } | null = null;

  constructor() {
    super();
    this.roster = null;
    this.query = '';
    this.account = '';
    this.loading = false;
    this.presence = null;
    this.offlineHidden = false;
    this.density = 'compact';
    this.blockingSupported = false;
    this.summaries = null;
    this.showPreview = false;
    this.collapsed = new Set();
    this.searchCollapsed = new Set();
    this.activeKey = null;
    this.dropGroup = null;
    this.announcement = '';
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
    if (!this.rowElement(key) && index >= 0) {
      const virtualizer = this.listElement?.[virtualizerRef];
      virtualizer?.element(index)?.scrollIntoView({ block: 'nearest' });
    }
    // The virtualiser draws rows on its own frame: look for a few frames, not a fixed time.
    for (let frame = 0; frame < 30; frame += 1) {
      const target = this.rowElement(key);
      if (target) {
        // A menu opened meanwhile (from this row's menu) keeps focus.
        if (!this.menu?.isOpen) target.focus();
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  private get listElement(): (HTMLElement & VirtualizerHostElement) | null {
    return this.renderRoot.querySelector('.list');
  }

  private get menu(): XmMenu | null {
    return this.renderRoot.querySelector('xm-menu');
  }

  private rowElement(key: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`.list [data-key="${CSS.escape(key)}"]`);
  }

  private moveTo(index: number): void {
    if (this.rows.length === 0) return;
    this.activeIndex = Math.max(0, Math.min(index, this.rows.length - 1));
    const row = this.rows.at(this.activeIndex);
    if (!row) return; // not reached: the index was clamped to the rows
    this.activeKey = row.key;
    void this.focusActiveRow();
  }

  private focusKey(key: string): void {
    if (this.rows.indexOfKey(key) < 0) return;
    this.activeKey = key;
    void this.focusActiveRow();
  }

  private setGroupCollapsed(group: string, collapse: boolean): void {
    const current = this.searching ? this.searchCollapsed : this.collapsed;
    if (current.has(group) === collapse) return;
    const next = new Set(current);
    if (collapse) next.add(group);
    else next.delete(group);
    this.setCollapsed(next);
  }

  private setCollapsed(next: ReadonlySet<string>): void {
    if (this.searching) {
      this.searchCollapsed = next;
    } else {
      this.collapsed = next;
      saveCollapsedGroups(this.account, next);
    }
  }

  /** Every group of the roster (not only those a search shows), in list order. */
  private get allGroups(): string[] {
    return (this.roster?.sections ?? []).map((section) => section.group);
  }

  private fire<
    K extends
      | 'xm-edit-contact'
      | 'xm-remove-contact'
      | 'xm-rename-group'
      | 'xm-add-contact'
      | 'xm-cancel-edit'
      | 'xm-move-contact'
      | 'xm-block-request',
  >(type: K, detail: GlobalEventHandlersEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  /** Visible rows per page (PageUp/PageDown), from the list's height and a drawn row's. */
  private pageSize(): number {
    const list = this.listElement;
    const drawn = list?.querySelector<HTMLElement>('.contact-row');
    const rowHeight = drawn?.offsetHeight ?? ROW_HEIGHT_GUESS;
    return Math.max(1, Math.floor((list?.clientHeight ?? 0) / Math.max(rowHeight, 1)) - 1);
  }

  private onKeydown(event: KeyboardEvent): void {
    const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-key]');
    if (!rowElement) return;
    const index = this.rows.indexOfKey(rowElement.dataset.key ?? null);
    const row = this.rows.at(index);
    if (!row) return;
    const onRowItself = event.target === rowElement;
    const key = event.key;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + this.pageSize(),
      PageUp: index - this.pageSize(),
      Home: 0,
      End: this.rows.length - 1,
    };
    const to = moves[key];
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    if (to !== undefined && plain && !event.shiftKey) {
      this.moveTo(to);
    } else if (key === 'ContextMenu' || (key === 'F10' && event.shiftKey)) {
      this.openRowMenu(row, rowElement.getBoundingClientRect());
    } else if (!onRowItself || !plain) {
      return;
    } else if (key === 'ArrowRight') {
      if (row.kind === 'group' && row.collapsed) this.setGroupCollapsed(row.group, false);
      else if (row.kind === 'group' && row.count > 0) this.moveTo(index + 1);
    } else if (key === 'ArrowLeft') {
      if (row.kind === 'group' && !row.collapsed) this.setGroupCollapsed(row.group, true);
      else if (row.kind !== 'group') this.moveTo(index - row.position); // a contact or a placeholder: to its group's header
    } else if (key === 'Enter') {
      if (row.kind === 'contact') requestConversation(this, { jid: row.entry.jid });
      else if (row.kind === 'group') this.setGroupCollapsed(row.group, !row.collapsed);
    } else if (key === 'Delete' && row.kind === 'contact' && !row.entry.stranger) {
      this.fire('xm-remove-contact', { item: row.entry.item });
    } else if (key === 'F2' && row.kind === 'contact' && !row.entry.stranger) {
      this.fire('xm-edit-contact', { item: row.entry.item });
    } else if (key === 'F2' && row.kind === 'group' && isRenamable(row.group)) {
      this.fire('xm-rename-group', { group: row.group, count: row.count });
    } else if (startsTypeAhead(event) || (key === ' ' && this.typeAhead.active(event.timeStamp))) {
      this.findByTyping(key, index, event.timeStamp);
      event.preventDefault();
      return;
    } else {
      return;
    }
    this.typeAhead.reset();
    event.preventDefault();
  }

  /** Type-ahead: the next contact (after the focused row, wrapping) whose name starts with what was typed. */
  private findByTyping(key: string, index: number, now: number): void {
    const { prefix, fromNext } = this.typeAhead.push(key, now);
    const count = this.rows.length;
    const start = fromNext ? index + 1 : index;
    for (let step = 0; step < count; step += 1) {
      const at = (start + step) % count;
      const row = this.rows.at(at);
      if (row?.kind === 'contact' && fold(row.entry.label).startsWith(prefix)) {
        this.moveTo(at);
        return;
      }
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

  /** The row an event happened on, with its element. */
  private rowOf(event: Event): { row: ListRow; element: HTMLElement } | null {
    const element = (event.target as HTMLElement).closest<HTMLElement>('[data-key]');
    const row = element ? this.rows.at(this.rows.indexOfKey(element.dataset.key ?? null)) : undefined;
    return element && row ? { row, element } : null;
  }

  private onClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest<HTMLElement>('button');
    if (button) {
      this.onRowButton(button.dataset.action, event);
      return;
    }
    const hit = this.rowOf(event);
    if (hit?.row.kind === 'group') this.setGroupCollapsed(hit.row.group, !hit.row.collapsed);
  }

  /** A row's button (data-action), handled here for every row: a drawn row then adds no listener of its own. */
  private onRowButton(action: string | undefined, event: MouseEvent): void {
    const row = this.rowOf(event)?.row;
    if (row?.kind === 'group') {
      if (action === 'rename') this.fire('xm-rename-group', { group: row.group, count: row.count });
    } else if (row?.kind === 'contact') {
      const { item } = row.entry;
      if (action === 'edit') this.fire('xm-edit-contact', { item });
      else if (action === 'remove') this.fire('xm-remove-contact', { item });
      else if (action === 'cancel') this.fire('xm-cancel-edit', { item });
    }
  }

  private onDblclick(event: MouseEvent): void {
    if ((event.target as HTMLElement).closest('button')) return;
    const hit = this.rowOf(event);
    if (hit?.row.kind === 'contact') requestConversation(this, { jid: hit.row.entry.jid });
  }

  /** Right click; also the context-menu key where the browser turns it into this event rather than a key. */
  private onContextmenu(event: MouseEvent): void {
    const hit = this.rowOf(event);
    if (!hit) return;
    event.preventDefault();
    if (this.menu?.isOpen) return; // opened from the keydown of the same key press
    this.activeKey = hit.row.key;
    const fromKeyboard = event.clientX === 0 && event.clientY === 0;
    this.openRowMenu(
      hit.row,
      fromKeyboard ? hit.element.getBoundingClientRect() : { x: event.clientX, y: event.clientY },
    );
  }

  private openRowMenu(row: ListRow, anchor: MenuAnchor): void {
    const menu = this.menu;
    if (!menu) return;
    const returnFocus = (): void => this.focusKey(row.key);
    if (row.kind === 'group') {
      const items = groupMenu(row.group, {
        rename: () => this.fire('xm-rename-group', { group: row.group, count: row.count }),
        foldAll: () => this.setCollapsed(new Set(this.allGroups)),
        unfoldAll: () => this.setCollapsed(new Set()),
      });
      void menu.open(items, anchor, { label: `Group ${groupName(row.group)}`, returnFocus });
      return;
    }
    if (row.kind === 'placeholder') return; // a contact still loading has nothing to act on yet
    const { item, label, stranger } = row.entry;
    const items = contactMenu(item, this.blockingSupported, stranger, {
      message: () => requestConversation(this, { jid: item.jid }),
      edit: () => this.fire('xm-edit-contact', { item }),
      // From "Recent" or "Other contacts" there is no group to move out of: the edit dialog sets the groups.
      moveToGroup: () =>
        isSortSection(row.group) ? this.fire('xm-edit-contact', { item }) : this.openMoveMenu(row, anchor),
      copyAddress: () => void this.copyAddress(item.jid),
      cancelEdit: () => this.fire('xm-cancel-edit', { item }),
      block: () => this.fire('xm-block-request', { jid: item.jid, label: item.name }),
      remove: () => this.fire('xm-remove-contact', { item }),
    });
    void menu.open(items, anchor, { label, returnFocus });
  }

  /** "Move to group…": a second menu of the groups to move to (the keyboard's drag and drop). */
  private openMoveMenu(row: ContactRow, anchor: MenuAnchor): void {
    const { item, label } = row.entry;
    const items = moveTargets(
      item,
      row.group,
      this.allGroups,
      (to, groups) => this.fire('xm-move-contact', { item, groups, to }),
      () => this.fire('xm-edit-contact', { item }),
    );
    void this.menu?.open(items, anchor, { label: `Move ${label} to`, returnFocus: () => this.focusKey(row.key) });
  }

  private async copyAddress(jid: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(jid);
      this.announcement = `Copied ${jid}`;
    } catch {
      this.announcement = `Could not copy the address ${jid}`;
    }
  }

  // ---- drag a contact onto a group ----

  private onDragstart(event: DragEvent): void {
    const hit = this.rowOf(event);
    if (hit?.row.kind !== 'contact' || isSortSection(hit.row.group) || !event.dataTransfer) return;
    this.dragging = { item: hit.row.entry.item, from: hit.row.group };
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', hit.row.entry.item.jid);
  }

  private dropTarget(event: DragEvent): string | null {
    const hit = this.rowOf(event);
    if (!hit || !this.dragging) return null;
    return canMove(this.dragging.item, this.dragging.from, hit.row.group) ? hit.row.group : null;
  }

  private onDragover(event: DragEvent): void {
    const target = this.dropTarget(event);
    if (target === null) {
      this.dropGroup = null;
      return;
    }
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    this.dropGroup = target;
  }

  private onDrop(event: DragEvent): void {
    const target = this.dropTarget(event);
    const dragging = this.dragging;
    this.endDrag();
    if (target === null || !dragging) return;
    event.preventDefault();
    const { item, from } = dragging;
    this.fire('xm-move-contact', { item, groups: movedGroups(item, from, target), to: target });
  }

  private endDrag(): void {
    this.dragging = null;
    this.dropGroup = null;
  }

  protected override render() {
    return html`${this.renderBody()}<xm-menu></xm-menu>
      <p class="visually-hidden" role="status">${this.announcement}</p>`;
  }

  private renderBody() {
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
      class="list ${this.density}"
      part="list"
      role="tree"
      aria-label="Contacts"
      data-row-count=${rows.length}
      @keydown=${this.onKeydown}
      @click=${this.onClick}
      @dblclick=${this.onDblclick}
      @contextmenu=${this.onContextmenu}
      @focusin=${this.onFocusin}
      @rangeChanged=${this.onRangeChanged}
      @dragstart=${this.onDragstart}
      @dragover=${this.onDragover}
      @drop=${this.onDrop}
      @dragend=${this.endDrag}
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

  /* eslint-disable lit-a11y/role-has-required-aria-attrs, lit-a11y/accessible-name --
     aria-selected is not required on a treeitem (WAI-ARIA 1.2; nothing here is selected, and "not selected" on every
     row is noise); a contact row's name is set by rowPresence, which the rule cannot see. */
  private renderGroup(row: GroupRow, index: number) {
    const name = groupName(row.group);
    // A treeitem's name is its own (count included); what it shows is hidden from the tree, so nothing is read twice.
    return html`<div
      class="row group-row ${row.position === 1 ? 'first' : ''} ${this.dropGroup === row.group ? 'drop-target' : ''}"
      role="treeitem"
      aria-level="1"
      aria-expanded=${!row.collapsed}
      aria-setsize=${row.setSize}
      aria-posinset=${row.position}
      aria-label=${groupRowName(name, row.count)}
      data-key=${row.key}
      data-index=${index}
      data-group=${row.group}
      tabindex=${row.key === this.activeKey ? 0 : -1}
    >
      <span class="group-label" aria-hidden="true">
        <span class="chevron">${chevronIcon}</span>
        <bdi class="group-name">${name}</bdi>
        <span class="count">${row.count}</span>
      </span>
      ${
        !isRenamable(row.group)
          ? nothing
          : html`<button
              class="icon quiet rename"
              tabindex="-1"
              aria-label="Rename group ${name}"
              title="Rename group (F2)"
              data-action="rename"
            >
              ${pencilIcon}
            </button>`
      }
    </div>`;
  }

  /** A contact still on its way (the roster is loading): holds its place so the list has its final length. */
  private renderPlaceholder(row: PlaceholderRow, index: number) {
    return html`<div
      class="row placeholder-row"
      role="treeitem"
      aria-level="2"
      aria-busy="true"
      aria-label="Loading…"
      data-key=${row.key}
      data-index=${index}
      data-group=${row.group}
      tabindex=${row.key === this.activeKey ? 0 : -1}
      aria-setsize=${row.setSize}
      aria-posinset=${row.position}
    >
      <span class="avatar placeholder" aria-hidden="true"></span>
      <div class="text" aria-hidden="true"><span class="loading-text">Loading…</span></div>
    </div>`;
  }

  private renderContact(row: ContactRow, index: number) {
    const { entry } = row;
    const { item, label } = entry;
    const describe = (presence: ContactPresence | undefined, summary: ConversationSummary | undefined): string => {
      const name = entry.stranger ? `${label}, not in your contacts` : contactRowName(label, item, presence);
      const unread = unreadWords(summary?.unread ?? 0);
      return unread ? `${name}, ${unread}` : name;
    };
    // The row's own attributes change with its position; what it shows only with the contact (a new entry per change).
    return html`<div
      class="row contact-row ${item.pending ? 'has-pending' : ''} ${item.pending?.state === 'failed' ? 'has-error' : ''} ${this.dropGroup === row.group ? 'drop-target' : ''}"
      role="treeitem"
      aria-level="2"
      aria-setsize=${row.setSize}
      aria-posinset=${row.position}
      data-key=${row.key}
      data-index=${index}
      data-group=${row.group}
      data-jid=${item.jid}
      draggable="true"
      tabindex=${row.key === this.activeKey ? 0 : -1}
      ${rowState(this.presence, this.summaries, item.jid, describe, this.showPreview)}
    >
      ${guard([entry, this.presence, this.summaries, this.showPreview, this.density], () => this.renderContactBody(entry))}
    </div>`;
  }

  /* eslint-enable lit-a11y/role-has-required-aria-attrs, lit-a11y/accessible-name */

  /** The row's content; its action buttons' icons are drawn by CSS while they show (row-glyphs.styles.ts): no svg per row. */
  private renderContactBody(entry: ContactEntry) {
    const { item, label, initial, hue } = entry;
    const comfortable = this.density === 'comfortable';
    const relation = entry.stranger ? 'not in your contacts' : relationWords(item);
    const address = label !== item.jid ? html`<bdi class="jid">${item.jid}</bdi>` : nothing;
    return html`<span class="avatar hue-${hue}" aria-hidden="true"
        >${initial}${presenceOf(this.presence, item.jid, 'dot')}</span
      >
      <div class="text" aria-hidden="true">
        <div class="line">
          <bdi class="name" title=${label}>${label}</bdi>
          <span class="rest"
            >${comfortable ? nothing : presenceOf(this.presence, item.jid, 'status')}${
              relation ? html`<span class="relation">${relation}</span>` : nothing
            }</span
          >${summaryOf(this.summaries, item.jid, 'unread')}
        </div>
        ${this.showPreview ? summaryOf(this.summaries, item.jid, 'last') : nothing}
        ${
          comfortable || item.pending
            ? html`<div class="meta">
                ${address}${comfortable ? presenceOf(this.presence, item.jid, 'status') : nothing}
                ${item.pending ? html`<span class="pill pending-edit ${item.pending.state}">${pendingWords(item.pending)}</span>` : nothing}
              </div>`
            : nothing
        }
      </div>
      ${
        entry.stranger
          ? nothing // nothing to edit or remove: no buttons floating over the row's end (its unread badge)
          : html`<div class="actions">
              ${
                item.pending
                  ? html`<button
                      class="icon quiet glyph-undo"
                      tabindex="-1"
                      aria-label="${item.pending.state === 'failed' ? 'Dismiss' : 'Cancel change'}: ${label}"
                      title=${item.pending.state === 'failed' ? 'Dismiss' : 'Cancel change'}
                      data-action="cancel"
                    ></button>`
                  : nothing
              }
              ${this.renderEditButtons(label)}
            </div>`
      }`;
  }

  private renderEditButtons(label: string) {
    return html`<button
        class="icon quiet glyph-edit"
        tabindex="-1"
        aria-label="Edit ${label}"
        title="Edit (F2)"
        data-action="edit"
      ></button>
      <button
        class="icon quiet glyph-remove"
        tabindex="-1"
        aria-label="Remove ${label}"
        title="Remove (Delete)"
        data-action="remove"
      ></button>`;
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
    'xm-move-contact': CustomEvent<{ item: RosterItem; groups: string[]; to: string }>;
  }
}
