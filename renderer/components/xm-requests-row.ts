import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { SubscriptionRequest } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { chevronIcon } from '../icons.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { plural } from '../words.js';
import './xm-requests.js';

/**
 * Contact requests folded into one row above the list ("3 contact requests
 * ›", one tab stop) that opens them in a panel, a modal dialog with
 * approve and deny per request (xm-requests). The count is said politely
 * when it changes. When the last request is answered the panel closes.
 *
 * @fires xm-requests-emptied - the panel closed because no request is left: focus is the screen's to place
 */
export class XmRequestsRow extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      :host {
        display: block;
      }
      .row {
        width: 100%;
        min-height: 36px;
        padding: 0 12px 0 16px;
        justify-content: flex-start;
        gap: 10px;
        border: none;
        border-bottom: 1px solid var(--xm-border);
        border-radius: 0;
        background: var(--xm-accent-soft);
        color: var(--xm-on-accent-soft);
        font-weight: 600;
      }
      .row:hover {
        background: var(--xm-surface-selected);
      }
      .row:focus-visible {
        outline-offset: -2px;
      }
      .count {
        min-width: 22px;
        padding: 0 6px;
        border-radius: 999px;
        background: var(--xm-accent);
        color: var(--xm-on-accent);
        font-size: 12px;
        line-height: 20px;
        text-align: center;
      }
      .row .icon {
        margin-left: auto;
      }
      dialog {
        width: min(560px, calc(100vw - 16px));
        max-height: calc(100vh - 16px);
      }
      .buttons {
        margin-top: 16px;
      }
      .outcome {
        margin: 8px 0 0;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      .outcome:empty {
        display: none;
      }
    `,
  ];
  static override properties = {
    requests: { attribute: false },
    blockingSupported: { attribute: false },
    outcome: { state: true },
  };

  /** Who asks to see our presence, oldest first. */
  declare requests: readonly SubscriptionRequest[];
  /** The server offers blocking (XEP-0191): each request also offers "Deny and block". */
  declare blockingSupported: boolean;
  /** The last answer, said inside the panel: behind a modal dialog the screen's status line is inert. */
  declare private outcome: string;

  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.requests = [];
    this.blockingSupported = false;
    this.outcome = '';
    this.addEventListener('xm-request-answered', (e) => {
      const { jid, approved, blocked } = e.detail;
      this.outcome = `${approved ? 'Approved' : blocked ? 'Denied and blocked' : 'Denied'} ${jid}.`;
    });
  }

  /** Says an answer given elsewhere (the approve dialog) inside the panel, where it is heard. */
  announce(words: string): void {
    this.outcome = words;
  }

  /** Opens the panel, focus on the first request's first answer. */
  async open(): Promise<void> {
    if (this.requests.length === 0) return;
    this.outcome = '';
    await this.dialog.show('#close');
    const list = this.renderRoot.querySelector('xm-requests');
    await list?.updateComplete;
    list?.shadowRoot?.querySelector<HTMLElement>('button')?.focus();
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('requests') && this.requests.length === 0 && this.dialog.dialog.open) {
      this.dialog.close();
      this.dispatchEvent(new CustomEvent('xm-requests-emptied', { bubbles: true, composed: true }));
    }
  }

  protected override render() {
    const count = this.requests.length;
    const words = plural(count, 'contact request');
    return html`${
        count === 0
          ? nothing
          : html`<button class="row" type="button" aria-haspopup="dialog" @click=${() => this.open()}>
              <span class="count" aria-hidden="true">${count}</span>${words}${chevronIcon}
            </button>`
      }
      <span class="visually-hidden" role="status">${count === 0 ? '' : words}</span>
      <dialog aria-labelledby="requests-title" @close=${this.dialog.onClose}>
        <h2 id="requests-title">Contact requests</h2>
        <p>They ask to see when you are online. Approving adds them to your contacts.</p>
        <xm-requests .requests=${this.requests} .blockingSupported=${this.blockingSupported}></xm-requests>
        <p class="outcome" role="status">${this.outcome}</p>
        <div class="buttons">
          <button id="close" type="button" @click=${() => this.dialog.close()}>Close</button>
        </div>
      </dialog>`;
  }
}

customElements.define('xm-requests-row', XmRequestsRow);

declare global {
  interface HTMLElementTagNameMap {
    'xm-requests-row': XmRequestsRow;
  }
  interface GlobalEventHandlersEventMap {
    'xm-requests-emptied': CustomEvent<void>;
  }
}
