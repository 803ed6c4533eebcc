import { LitElement, css, html, nothing } from 'lit';
import { fold } from '../roster/fold.js';
import { TypeAhead } from '../roster/type-ahead.js';

/** One entry of an XmMenu. */
export interface MenuItem {
  /** What the item says ("Edit…"). */
  label: string;
  /** The shortcut shown at the item's end ("Enter", "F2"), in aria-keyshortcuts syntax. */
  shortcut?: string;
  /** Drawn in the danger colour (a removal). */
  danger?: boolean;
  /** A separator line above this item. */
  separated?: boolean;
  /** Done when the item is chosen; the menu has closed (and given focus back) by then. */
  run: () => void;
}

/** Where a menu opens: a point (a right click), or a box to open beside (a row or a button). */
export type MenuAnchor = { x: number; y: number } | DOMRect;

/** Room kept between the menu and the viewport's edges. */
const MARGIN = 4;

/**
 * A menu (role="menu") of actions, opened at a point or beside an element,
 * in the top layer (a popover), so no scrolling box or transform clips it,
 * and moved to stay inside the viewport however small it is. Focus goes to
 * its first item; Up/Down/Home/End move, letters jump to the next item
 * starting with them, Enter/Space choose, Escape or Tab close and give focus
 * back (to `returnFocus`). A click outside closes it and leaves focus where
 * the click put it.
 *
 * Reusable: render one `<xm-menu>` anywhere and call `open(items, anchor, options)`.
 *
 * @fires xm-menu-closed - the menu closed, chosen or not
 */
export class XmMenu extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
    [popover] {
      position: fixed;
      inset: auto;
      margin: 0;
      padding: 4px;
      min-width: 180px;
      max-width: calc(100vw - ${MARGIN * 2}px);
      max-height: calc(100vh - ${MARGIN * 2}px);
      box-sizing: border-box;
      overflow: auto;
      border: 1px solid var(--xm-border-strong);
      border-radius: var(--xm-radius);
      background: var(--xm-surface);
      color: var(--xm-text);
      box-shadow: var(--xm-shadow);
      font: 14px/20px var(--xm-font);
    }
    [role='menuitem'] {
      display: flex;
      align-items: center;
      gap: 24px;
      min-height: 32px;
      padding: 0 12px;
      border-radius: 6px;
      cursor: default;
      white-space: nowrap;
    }
    [role='menuitem']:hover {
      background: var(--xm-surface-hover);
    }
    [role='menuitem']:focus {
      outline: 2px solid var(--xm-focus);
      outline-offset: -2px;
      background: var(--xm-surface-selected);
    }
    .label {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .shortcut {
      flex: none;
      font: inherit;
      font-size: 12px;
      color: var(--xm-text-secondary);
    }
    .danger {
      color: var(--xm-danger);
    }
    [role='separator'] {
      height: 1px;
      margin: 4px 8px;
      background: var(--xm-border);
    }
  `;
  static override properties = { label: { type: String }, items: { state: true } };

  /** The menu's accessible name. */
  declare label: string;
  declare private items: readonly MenuItem[];

  private returnFocus: (() => void) | null = null;
  private readonly typeAhead = new TypeAhead();

  constructor() {
    super();
    this.label = '';
    this.items = [];
  }

  get isOpen(): boolean {
    return this.panel?.matches(':popover-open') ?? false;
  }

  private get panel(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('[popover]');
  }

  private get itemElements(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  }

  /**
   * Shows `items` at `anchor` (a point: its top-left corner there; a box: below it, or above when there is no room).
   * `returnFocus` puts focus back where the menu was opened from, when it is closed from the keyboard.
   */
  async open(
    items: readonly MenuItem[],
    anchor: MenuAnchor,
    options: { label: string; returnFocus: () => void },
  ): Promise<void> {
    if (this.isOpen) this.close(false);
    this.items = items;
    this.label = options.label;
    this.returnFocus = options.returnFocus;
    this.typeAhead.reset();
    await this.updateComplete;
    const popover = this.panel;
    if (!popover || items.length === 0) return;
    popover.style.left = '0px';
    popover.style.top = '0px';
    popover.showPopover();
    this.place(popover, anchor);
    document.addEventListener('pointerdown', this.onOutsidePointer, true);
    window.addEventListener('resize', this.onResize);
    this.itemElements[0]?.focus();
  }

  /** Closes the menu; with `refocus`, focus goes back where it was opened from. */
  close(refocus = true): void {
    const popover = this.panel;
    if (!popover?.matches(':popover-open')) return;
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
    window.removeEventListener('resize', this.onResize);
    popover.hidePopover();
    const returnFocus = this.returnFocus;
    this.returnFocus = null;
    if (refocus) returnFocus?.();
    this.dispatchEvent(new CustomEvent('xm-menu-closed', { bubbles: true, composed: true }));
  }

  override disconnectedCallback(): void {
    document.removeEventListener('pointerdown', this.onOutsidePointer, true);
    window.removeEventListener('resize', this.onResize);
    super.disconnectedCallback();
  }

  /** Keeps the whole menu inside the viewport: flipped or pushed back from an edge, scrolling if it is taller. */
  private place(popover: HTMLElement, anchor: MenuAnchor): void {
    const { width, height } = popover.getBoundingClientRect();
    const viewWidth = document.documentElement.clientWidth;
    const viewHeight = document.documentElement.clientHeight;
    let left: number;
    let top: number;
    if (anchor instanceof DOMRect) {
      left = anchor.left + Math.min(24, anchor.width / 2);
      top = anchor.bottom;
      if (top + height > viewHeight - MARGIN && anchor.top - height >= MARGIN) top = anchor.top - height;
    } else {
      left = anchor.x;
      top = anchor.y;
      if (left + width > viewWidth - MARGIN && anchor.x - width >= MARGIN) left = anchor.x - width;
      if (top + height > viewHeight - MARGIN && anchor.y - height >= MARGIN) top = anchor.y - height;
    }
    left = Math.max(MARGIN, Math.min(left, viewWidth - MARGIN - width));
    top = Math.max(MARGIN, Math.min(top, viewHeight - MARGIN - height));
    popover.style.left = `${Math.round(left)}px`;
    popover.style.top = `${Math.round(top)}px`;
  }

  private readonly onOutsidePointer = (event: PointerEvent): void => {
    if (!event.composedPath().includes(this.panel as EventTarget)) this.close(false);
  };

  private readonly onResize = (): void => {
    this.close(false);
  };

  private choose(index: number): void {
    const item = this.items[index];
    if (!item) return;
    this.close();
    item.run();
  }

  private onKeydown(event: KeyboardEvent): void {
    const elements = this.itemElements;
    const focused = this.renderRoot.querySelector<HTMLElement>('[role="menuitem"]:focus');
    const current = focused ? elements.indexOf(focused) : -1;
    const focusAt = (index: number): void => elements[(index + elements.length) % elements.length]?.focus();
    const key = event.key;
    if (key === 'ArrowDown' || key === 'ArrowUp' || key === 'Home' || key === 'End') {
      focusAt(key === 'ArrowDown' ? current + 1 : key === 'ArrowUp' ? current - 1 : key === 'Home' ? 0 : -1);
    } else if (key === 'Enter' || key === ' ') {
      this.choose(current);
    } else if (key === 'Escape' || key === 'Tab') {
      this.close();
    } else if (key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      this.findByTyping(key, current, focusAt);
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** Letters typed quickly jump to the next item whose label starts with them (one letter repeated: the next such item). */
  private findByTyping(key: string, current: number, focusAt: (index: number) => void): void {
    const { prefix, fromNext } = this.typeAhead.push(key, performance.now());
    const start = fromNext ? current + 1 : Math.max(current, 0);
    for (let step = 0; step < this.items.length; step += 1) {
      const index = (start + step) % this.items.length;
      if (fold(this.items[index]?.label ?? '').startsWith(prefix)) {
        focusAt(index);
        return;
      }
    }
  }

  private onClick(event: MouseEvent): void {
    const element = (event.target as HTMLElement).closest<HTMLElement>('[role="menuitem"]');
    if (element) this.choose(this.itemElements.indexOf(element));
  }

  protected override render() {
    return html`<div
      popover="manual"
      role="menu"
      aria-label=${this.label}
      @keydown=${this.onKeydown}
      @click=${this.onClick}
    >
      ${this.items.map(
        (item) =>
          html`${item.separated ? html`<div role="separator"></div>` : nothing}
            <div
              role="menuitem"
              tabindex="-1"
              class=${item.danger ? 'danger' : ''}
              aria-keyshortcuts=${item.shortcut ?? nothing}
            >
              <span class="label">${item.label}</span>${
                item.shortcut ? html`<kbd class="shortcut" aria-hidden="true">${item.shortcut}</kbd>` : nothing
              }
            </div>`,
      )}
    </div>`;
  }
}

customElements.define('xm-menu', XmMenu);

declare global {
  interface HTMLElementTagNameMap {
    'xm-menu': XmMenu;
  }
  interface GlobalEventHandlersEventMap {
    'xm-menu-closed': CustomEvent<void>;
  }
}
