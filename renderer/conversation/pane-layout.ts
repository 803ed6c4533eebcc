import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Below this window width one pane is shown at a time. */
export const NARROW_MAX_PX = 699;
export const LIST_MIN_PX = 240;
export const LIST_DEFAULT_PX = 340;
/** The conversation keeps at least this much beside the list. */
export const CONVERSATION_MIN_PX = 360;
const LIST_MAX_PX = 640;
const STEP_PX = 16;
const BIG_STEP_PX = 64;

const storageKey = (account: string): string => `balcony.list-width.${account}`;

/**
 * The two-pane layout's state: whether the window is narrow (one pane at a
 * time) and the contact list's width, which the splitter changes (keyboard
 * or pointer) and which is remembered per account in localStorage.
 */
export class PaneLayoutController implements ReactiveController {
  narrow = false;
  width = LIST_DEFAULT_PX;
  private account = '';
  private readonly query = window.matchMedia(`(max-width: ${NARROW_MAX_PX}px)`);
  private dragFrom: { x: number; width: number } | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
    this.narrow = this.query.matches;
  }

  hostConnected(): void {
    this.query.addEventListener('change', this.onMedia);
    window.addEventListener('resize', this.onResize);
    this.narrow = this.query.matches;
  }

  hostDisconnected(): void {
    this.query.removeEventListener('change', this.onMedia);
    window.removeEventListener('resize', this.onResize);
  }

  /** The signed-in account: its remembered width. */
  setAccount(account: string): void {
    if (account === this.account) return;
    this.account = account;
    let stored: number | null = null;
    try {
      const text = localStorage.getItem(storageKey(account));
      stored = text === null ? null : Number(text);
    } catch {
      // storage refused (private mode, quota): the default width
    }
    // Not clamped to this window: a window opened narrow must not shrink the width remembered for wide ones.
    const width = stored !== null && Number.isFinite(stored) ? stored : LIST_DEFAULT_PX;
    this.width = Math.min(LIST_MAX_PX, Math.max(LIST_MIN_PX, width));
  }

  get min(): number {
    return LIST_MIN_PX;
  }

  get max(): number {
    return Math.max(LIST_MIN_PX, Math.min(LIST_MAX_PX, window.innerWidth - CONVERSATION_MIN_PX));
  }

  /** The width drawn: the remembered one, within what this window allows. */
  get shownWidth(): number {
    return this.clamp(this.width);
  }

  private clamp(width: number): number {
    return Math.round(Math.min(this.max, Math.max(this.min, width)));
  }

  private set(width: number, save: boolean): void {
    this.width = this.clamp(width);
    if (save) {
      try {
        localStorage.setItem(storageKey(this.account), String(this.width));
      } catch {
        // not remembered: still applied for this window
      }
    }
    this.host.requestUpdate();
  }

  readonly onKeydown = (event: KeyboardEvent): void => {
    const step = event.shiftKey ? BIG_STEP_PX : STEP_PX;
    const rtl = getComputedStyle(event.currentTarget as Element).direction === 'rtl';
    const grow = rtl ? 'ArrowLeft' : 'ArrowRight';
    const shrink = rtl ? 'ArrowRight' : 'ArrowLeft';
    let next: number | null = null;
    if (event.key === grow || event.key === 'ArrowUp') next = this.shownWidth + step;
    else if (event.key === shrink || event.key === 'ArrowDown') next = this.shownWidth - step;
    else if (event.key === 'Home') next = this.min;
    else if (event.key === 'End') next = this.max;
    if (next === null) return;
    event.preventDefault();
    this.set(next, true);
  };

  readonly onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.dragFrom = { x: event.clientX, width: this.shownWidth };
    event.preventDefault();
  };

  readonly onPointerMove = (event: PointerEvent): void => {
    if (!this.dragFrom) return;
    this.set(this.dragFrom.width + event.clientX - this.dragFrom.x, false);
  };

  readonly onPointerUp = (): void => {
    if (!this.dragFrom) return;
    this.dragFrom = null;
    this.set(this.width, true);
  };

  private readonly onMedia = (): void => {
    this.narrow = this.query.matches;
    this.host.requestUpdate();
  };

  private readonly onResize = (): void => {
    this.host.requestUpdate();
  };
}
