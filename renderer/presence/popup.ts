import { css, type ReactiveController, type ReactiveControllerHost } from 'lit';

/**
 * A disclosure panel under its button (aria-expanded on the button): closes
 * on Escape (focus back to the button), on a click outside the host, or
 * when focus leaves the host.
 */
export class PopupController implements ReactiveController {
  open = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly button: () => HTMLElement | null,
    private readonly onOpen?: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKeydown);
    this.host.addEventListener('focusout', this.onFocusout);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKeydown);
    this.host.removeEventListener('focusout', this.onFocusout);
    document.removeEventListener('pointerdown', this.onPointerdown, true);
  }

  toggle(): void {
    this.set(!this.open);
  }

  set(open: boolean, refocus = false): void {
    if (open === this.open) return;
    this.open = open;
    if (open) {
      document.addEventListener('pointerdown', this.onPointerdown, true);
      this.onOpen?.();
    } else {
      document.removeEventListener('pointerdown', this.onPointerdown, true);
      if (refocus) this.button()?.focus();
    }
    this.host.requestUpdate();
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && this.open) {
      event.preventDefault();
      event.stopPropagation();
      this.set(false, true);
    }
  };

  private readonly onFocusout = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (this.open && to && !this.host.contains(to) && !this.host.shadowRoot?.contains(to)) this.set(false);
  };

  private readonly onPointerdown = (event: PointerEvent): void => {
    if (!event.composedPath().includes(this.host)) this.set(false);
  };
}

export const popupStyles = css`
  :host {
    position: relative;
    display: inline-block;
  }
  .panel {
    position: absolute;
    z-index: 20;
    top: calc(100% + 4px);
    min-width: 240px;
    padding: 8px;
    background: var(--xm-surface);
    color: var(--xm-text);
    border: 1px solid var(--xm-border);
    border-radius: var(--xm-radius-large);
    box-shadow: var(--xm-shadow);
  }
  .panel[hidden] {
    display: none;
  }
  .menu-item {
    width: 100%;
    justify-content: flex-start;
    border-color: transparent;
    background: transparent;
    font-weight: 450;
    text-align: start;
  }
  .menu-item:hover {
    background: var(--xm-surface-hover);
  }
  .menu-item.danger-text {
    color: var(--xm-danger);
  }
`;
