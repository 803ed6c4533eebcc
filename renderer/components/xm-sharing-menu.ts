import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { RosterItem, SubscriptionAction } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { subscriptionActions } from '../presence/presence-words.js';
import { sharingConfirmation, sharingMenuLabels } from '../presence/sharing-words.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';

/**
 * "Sharing ▾": the subscription steps that fit a contact now (ask to see
 * their status, withdraw that request, stop seeing theirs, stop sharing
 * ours, let them see it when they ask), as a menu, each asking first in a
 * confirmation of its own. It never touches the form it sits in: the edit
 * dialog keeps its unsaved name and groups whatever happens here.
 *
 * Keyboard: Enter, Space or ArrowDown on the button opens the menu on its
 * first item, ArrowUp on its last; arrows, Home and End move; Escape closes
 * it (only it, not the dialog around it) and focus goes back to the button.
 *
 * @fires xm-subscription-changed - a step went through (detail: `{ jid, label, action }`)
 */
export class XmSharingMenu extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      :host {
        position: relative;
        display: inline-block;
      }
      .toggle::after {
        content: '▾' / '';
        font-size: 12px;
      }
      [role='menu'] {
        position: absolute;
        z-index: 30;
        /* The menu sits in a dialog's footer: it opens upwards, over the form. */
        bottom: calc(100% + 4px);
        left: 0;
        min-width: min(300px, calc(100vw - 64px));
        margin: 0;
        padding: 4px;
        background: var(--xm-surface);
        color: var(--xm-text);
        border: 1px solid var(--xm-border);
        border-radius: var(--xm-radius-large);
        box-shadow: var(--xm-shadow);
      }
      [role='menuitem'] {
        display: flex;
        width: 100%;
        justify-content: flex-start;
        text-align: start;
        white-space: normal;
        border-color: transparent;
        background: transparent;
        font-weight: 450;
        padding: 6px 12px;
      }
      [role='menuitem']:hover,
      [role='menuitem']:focus-visible {
        background: var(--xm-surface-hover);
      }
      .danger-text {
        color: var(--xm-danger);
      }
    `,
  ];
  static override properties = {
    item: { attribute: false },
    preApprovalSupported: { type: Boolean },
    open: { state: true },
    action: { state: true },
  };

  /** The contact; its subscription state picks the steps offered. */
  declare item: RosterItem | null;
  /** The server supports pre-approval: offer "Let them see your status when they ask". */
  declare preApprovalSupported: boolean;
  declare private open: boolean;
  /** The step being confirmed. */
  declare private action: SubscriptionAction | null;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly confirmation: DialogController = new DialogController(this);

  constructor() {
    super();
    this.item = null;
    this.preApprovalSupported = false;
    this.open = false;
    this.action = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('focusout', this.onFocusout);
  }

  override disconnectedCallback(): void {
    this.removeEventListener('focusout', this.onFocusout);
    document.removeEventListener('pointerdown', this.onPointerdown, true);
    super.disconnectedCallback();
  }

  private actions(): SubscriptionAction[] {
    return this.item ? subscriptionActions(this.item, this.preApprovalSupported) : [];
  }

  private who(): string {
    const item = this.item;
    return item?.name?.trim() ? item.name : (item?.jid ?? '');
  }

  private get toggleButton(): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>('.toggle');
  }

  private items(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role=menuitem]')];
  }

  private async setOpen(open: boolean, focus: 'first' | 'last' | 'button' | 'none' = 'none'): Promise<void> {
    this.open = open;
    if (open) document.addEventListener('pointerdown', this.onPointerdown, true);
    else document.removeEventListener('pointerdown', this.onPointerdown, true);
    await this.updateComplete;
    if (focus === 'first') this.items()[0]?.focus();
    else if (focus === 'last') this.items().at(-1)?.focus();
    else if (focus === 'button') this.toggleButton?.focus();
  }

  private readonly onFocusout = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (this.open && to && !this.renderRoot.contains(to)) void this.setOpen(false);
  };

  private readonly onPointerdown = (event: PointerEvent): void => {
    if (!event.composedPath().includes(this)) void this.setOpen(false);
  };

  private onToggleKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      void this.setOpen(true, event.key === 'ArrowDown' ? 'first' : 'last');
    }
  }

  private onMenuKeydown(event: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(event.composedPath()[0] as HTMLElement);
    const next: Record<string, number> = {
      ArrowDown: (at + 1) % items.length,
      ArrowUp: (at - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key in next) {
      event.preventDefault();
      items[next[event.key] ?? 0]?.focus();
    } else if (event.key === 'Escape') {
      // The menu closes; the dialog it sits in stays open.
      event.preventDefault();
      event.stopPropagation();
      void this.setOpen(false, 'button');
    } else if (event.key === 'Tab') {
      void this.setOpen(false);
    }
  }

  private async choose(action: SubscriptionAction): Promise<void> {
    await this.setOpen(false, 'button'); // focus comes back to the button after the confirmation
    this.action = action;
    await this.confirmation.show('#confirm-cancel');
  }

  private async confirm(): Promise<void> {
    const messenger = this.messenger.value;
    const item = this.item;
    const action = this.action;
    if (!messenger || !item || !action) return;
    const result = await this.confirmation.run(() => messenger.changeSubscription(item.jid, action));
    if (!result?.ok) return;
    this.confirmation.close();
    this.dispatchEvent(
      new CustomEvent('xm-subscription-changed', {
        bubbles: true,
        composed: true,
        detail: { jid: item.jid, label: this.who(), action },
      }),
    );
  }

  /** Rendered only while a step is being confirmed: the form's own dialog stays the only one in it otherwise. */
  private renderConfirmation() {
    if (!this.action) return nothing;
    const words = sharingConfirmation(this.action, this.who());
    return html`<dialog
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      @close=${this.onConfirmationClose}
    >
      <h2 id="confirm-title"><bdi>${words.title}</bdi></h2>
      <p id="confirm-body">${words.body}</p>
      ${this.confirmation.renderError()}
      <div class="buttons">
        <button id="confirm-cancel" type="button" @click=${() => this.confirmation.close()}>Cancel</button>
        <button
          type="button"
          class=${words.destructive ? 'danger' : 'primary'}
          aria-disabled=${this.confirmation.busy}
          @click=${this.confirm}
        >
          ${this.confirmation.busy ? 'Working…' : words.confirm}
        </button>
      </div>
    </dialog>`;
  }

  private readonly onConfirmationClose = (): void => {
    this.confirmation.onClose();
    this.action = null;
  };

  protected override render() {
    const actions = this.actions();
    if (!this.item) return nothing;
    return html`<button
        class="toggle"
        type="button"
        aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="sharing-menu"
        ?disabled=${actions.length === 0}
        @click=${() => this.setOpen(!this.open, this.open ? 'none' : 'first')}
        @keydown=${this.onToggleKeydown}
      >
        Sharing
      </button>
      <div id="sharing-menu" role="menu" aria-label="Sharing" ?hidden=${!this.open} @keydown=${this.onMenuKeydown}>
        ${actions.map(
          (action) =>
            html`<button
              role="menuitem"
              type="button"
              tabindex="-1"
              class=${action === 'subscribe' || action === 'pre-approve' ? '' : 'danger-text'}
              @click=${() => this.choose(action)}
            >
              ${sharingMenuLabels[action]}
            </button>`,
        )}
      </div>
      ${this.renderConfirmation()}`;
  }
}

customElements.define('xm-sharing-menu', XmSharingMenu);

declare global {
  interface HTMLElementTagNameMap {
    'xm-sharing-menu': XmSharingMenu;
  }
}
