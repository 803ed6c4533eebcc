import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ContextConsumer } from '@lit/context';
import type { SubscriptionRequest } from '../../preload/contract.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { errorWords, plural } from '../words.js';

/**
 * The requests panel's list (xm-requests-row holds the row and the panel):
 * incoming subscription requests (people asking to see our presence), each
 * with "Approve…", "Deny", and "Deny and block" where the server offers
 * blocking. Approve asks for the name and groups to keep them under first
 * (xm-approve-dialog, opened by whoever holds the groups, on
 * `xm-approve-request`). The list itself comes from main ('requests'
 * events): an answered request leaves when main says so. A refusal is shown
 * beside its request.
 *
 * @fires xm-approve-request - Approve was pressed (detail: `{ request }`)
 * @fires xm-request-answered - deny (or deny and block) went through (detail: `{ jid, approved: false, blocked? }`)
 */
export class XmRequests extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        padding: 8px 0;
      }
      li + li {
        border-top: 1px solid var(--xm-border);
      }
      .who {
        flex: 1 1 220px;
        min-width: 0;
      }
      .jid {
        display: block;
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .message {
        display: block;
        font-size: 13px;
        color: var(--xm-text-secondary);
        overflow-wrap: anywhere;
      }
      .answer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
      }
      .error {
        flex-basis: 100%;
        margin: 0;
        padding: 4px 8px;
        font-size: 13px;
      }
    `,
  ];
  static override properties = {
    requests: { attribute: false },
    blockingSupported: { attribute: false },
    busy: { state: true },
    errors: { state: true },
  };

  declare requests: readonly SubscriptionRequest[];
  /** The server offers blocking (XEP-0191): "Deny and block" is offered. */
  declare blockingSupported: boolean;
  declare private busy: ReadonlySet<string>;
  declare private errors: ReadonlyMap<string, string>;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });

  constructor() {
    super();
    this.requests = [];
    this.blockingSupported = false;
    this.busy = new Set();
    this.errors = new Map();
  }

  /** Deny, or deny and block (approving goes through xm-approve-dialog: askToApprove). */
  private async deny(request: SubscriptionRequest, block: boolean): Promise<void> {
    const messenger = this.messenger.value;
    const { jid } = request;
    if (!messenger || this.busy.has(jid)) return;
    this.busy = new Set(this.busy).add(jid);
    const errors = new Map(this.errors);
    errors.delete(jid);
    this.errors = errors;
    const result = block ? await messenger.denyAndBlock(jid) : await messenger.denyRequest(jid);
    const busy = new Set(this.busy);
    busy.delete(jid);
    this.busy = busy;
    if (!result.ok) {
      this.errors = new Map(this.errors).set(
        jid,
        `Could not ${block ? 'deny and block' : 'deny'}: ${errorWords(result.error)}`,
      );
      return;
    }
    this.dispatchEvent(
      new CustomEvent('xm-request-answered', {
        bubbles: true,
        composed: true,
        detail: block ? { jid, approved: false, blocked: true } : { jid, approved: false },
      }),
    );
  }

  private askToApprove(request: SubscriptionRequest): void {
    if (this.errors.has(request.jid)) {
      const errors = new Map(this.errors);
      errors.delete(request.jid);
      this.errors = errors;
    }
    this.dispatchEvent(new CustomEvent('xm-approve-request', { bubbles: true, composed: true, detail: { request } }));
  }

  protected override render() {
    if (this.requests.length === 0) return nothing;
    return html`<div class="requests">
      <ul aria-label=${plural(this.requests.length, 'contact request')}>
        ${repeat(
          this.requests,
          (r) => r.jid,
          (request, i) => {
            const busy = this.busy.has(request.jid);
            const error = this.errors.get(request.jid);
            const id = `req-${i}`;
            return html`<li>
              <div class="who" id=${id}>
                <bdi class="jid" title=${request.jid}>${request.jid}</bdi>
                <span class="message"
                  >${request.message ? html`<bdi>${request.message}</bdi>` : 'wants to see when you are online'}</span
                >
              </div>
              <div class="answer">
                <button
                  class="primary"
                  aria-describedby=${id}
                  aria-disabled=${busy}
                  @click=${() => this.askToApprove(request)}
                >
                  Approve…
                </button>
                <button aria-describedby=${id} aria-disabled=${busy} @click=${() => this.deny(request, false)}>
                  Deny
                </button>
                ${
                  this.blockingSupported
                    ? html`<button
                        aria-describedby=${id}
                        aria-disabled=${busy}
                        @click=${() => this.deny(request, true)}
                      >
                        Deny and block
                      </button>`
                    : nothing
                }
              </div>
              ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
            </li>`;
          },
        )}
      </ul>
    </div>`;
  }
}

customElements.define('xm-requests', XmRequests);

declare global {
  interface HTMLElementTagNameMap {
    'xm-requests': XmRequests;
  }
  interface GlobalEventHandlersEventMap {
    'xm-request-answered': CustomEvent<{ jid: string; approved: boolean; blocked?: boolean }>;
    'xm-approve-request': CustomEvent<{ request: SubscriptionRequest }>;
  }
}
