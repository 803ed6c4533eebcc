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
 * with "Approve" — plus "also ask to see theirs", on by default — and
 * "Deny". The list itself comes from main ('requests' events): an answered
 * request leaves when main says so. A refusal is shown beside its request.
 *
 * @fires xm-request-answered - approve or deny went through (detail: `{ jid, approved }`)
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
      .ask-back {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        margin: 0;
        font-size: 13px;
        font-weight: 400;
        color: var(--xm-text-secondary);
        cursor: pointer;
      }
      .ask-back input {
        margin: 0;
        width: 16px;
        height: 16px;
        accent-color: var(--xm-accent);
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
    askBack: { state: true },
    busy: { state: true },
    errors: { state: true },
  };

  declare requests: readonly SubscriptionRequest[];
  /** Per JID: the "also ask to see theirs" box, when unticked. */
  declare private askBack: ReadonlyMap<string, boolean>;
  declare private busy: ReadonlySet<string>;
  declare private errors: ReadonlyMap<string, string>;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });

  constructor() {
    super();
    this.requests = [];
    this.askBack = new Map();
    this.busy = new Set();
    this.errors = new Map();
  }

  private async answer(request: SubscriptionRequest, approve: boolean): Promise<void> {
    const messenger = this.messenger.value;
    const { jid } = request;
    if (!messenger || this.busy.has(jid)) return;
    this.busy = new Set(this.busy).add(jid);
    const errors = new Map(this.errors);
    errors.delete(jid);
    this.errors = errors;
    const result = approve
      ? await messenger.approveRequest(jid, { askBack: this.askBack.get(jid) ?? true })
      : await messenger.denyRequest(jid);
    const busy = new Set(this.busy);
    busy.delete(jid);
    this.busy = busy;
    if (!result.ok) {
      this.errors = new Map(this.errors).set(
        jid,
        `Could not ${approve ? 'approve' : 'deny'}: ${errorWords(result.error)}`,
      );
      return;
    }
    this.dispatchEvent(
      new CustomEvent('xm-request-answered', { bubbles: true, composed: true, detail: { jid, approved: approve } }),
    );
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
                <label class="ask-back">
                  <input
                    type="checkbox"
                    .checked=${this.askBack.get(request.jid) ?? true}
                    @change=${(e: Event) => (this.askBack = new Map(this.askBack).set(request.jid, (e.target as HTMLInputElement).checked))}
                  />
                  Also ask to see theirs
                </label>
                <button
                  class="primary"
                  aria-describedby=${id}
                  aria-disabled=${busy}
                  @click=${() => this.answer(request, true)}
                >
                  Approve
                </button>
                <button aria-describedby=${id} aria-disabled=${busy} @click=${() => this.answer(request, false)}>
                  Deny
                </button>
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
    'xm-request-answered': CustomEvent<{ jid: string; approved: boolean }>;
  }
}
