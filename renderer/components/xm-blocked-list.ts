import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ContextConsumer } from '@lit/context';
import type { BlockedJid, BlocklistSnapshot, BlockingFailure } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogListStyles, dialogStyles } from '../styles/dialog.js';
import { errorWords, plural } from '../words.js';

/**
 * "Blocked contacts" (XEP-0191): a dialog listing every blocked address,
 * each with "Unblock", an empty state, and the blocks or unblocks the server
 * refused, each with its reason and "Dismiss". The list itself comes from
 * main (the `blocklist` property, kept current by the screen): an unblocked
 * entry leaves when main says so, and focus then moves to the next entry
 * (or "Close"), never to the page behind.
 *
 * @fires xm-unblocked - unblock went through (detail: `{ jid, queued }`; queued: sent at the next sign-in)
 * @csspart dialog - the native dialog element
 */
export class XmBlockedList extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    dialogListStyles,
    css`
      dialog {
        width: min(480px, calc(100vw - 32px));
      }
      .who {
        flex: 1 1 200px;
      }
      .name,
      .jid {
        display: block;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .name {
        font-weight: 600;
      }
      .jid,
      .state {
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      .empty {
        color: var(--xm-text-secondary);
      }
      .failures {
        margin-bottom: 16px;
      }
      .failures li {
        border-left: 4px solid var(--xm-danger);
        padding-left: 8px;
        border-top: none;
      }
      .failures p {
        flex: 1 1 200px;
        margin: 0;
        font-size: 13px;
        overflow-wrap: anywhere;
      }
      .error {
        flex-basis: 100%;
        margin: 0;
        font-size: 13px;
      }
    `,
  ];
  static override properties = {
    blocklist: { attribute: false },
    labels: { attribute: false },
    busy: { state: true },
    errors: { state: true },
  };

  declare blocklist: BlocklistSnapshot;
  /** The name a blocked address has in the contact list, if it is a contact; null shows the address alone. */
  declare labels: (jid: string) => string | null;
  declare private busy: ReadonlySet<string>;
  declare private errors: ReadonlyMap<string, string>;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);
  /** After an unblock went through: the entry's place, so focus can move on once the entry leaves. */
  private refocus: { jid: string; index: number } | null = null;

  constructor() {
    super();
    this.blocklist = { supported: false, items: [], failures: [] };
    this.labels = () => null;
    this.busy = new Set();
    this.errors = new Map();
  }

  /** Opens the list with focus on its first Unblock button (or Close when there is none). */
  async open(): Promise<void> {
    this.errors = new Map();
    await this.dialog.show('.unblock, #close');
  }

  protected override updated(): void {
    const refocus = this.refocus;
    if (!refocus) return;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button.unblock')];
    if (buttons.some((b) => b.dataset.jid === refocus.jid)) return; // still listed: wait for main's change
    this.refocus = null;
    const next = buttons[Math.min(refocus.index, buttons.length - 1)];
    (next ?? this.renderRoot.querySelector<HTMLElement>('#close'))?.focus();
  }

  private async unblock(item: BlockedJid, index: number): Promise<void> {
    const messenger = this.messenger.value;
    const { jid } = item;
    if (!messenger || this.busy.has(jid)) return;
    this.busy = new Set(this.busy).add(jid);
    const errors = new Map(this.errors);
    errors.delete(jid);
    this.errors = errors;
    const result = await messenger.unblock([jid]);
    const busy = new Set(this.busy);
    busy.delete(jid);
    this.busy = busy;
    if (!result.ok) {
      this.errors = new Map(this.errors).set(jid, `Could not unblock: ${errorWords(result.error)}`);
      return;
    }
    this.refocus = { jid, index };
    this.requestUpdate();
    this.dispatchEvent(
      new CustomEvent('xm-unblocked', { bubbles: true, composed: true, detail: { jid, queued: result.value.queued } }),
    );
  }

  private async dismiss(failure: BlockingFailure): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await messenger.dismissBlockingFailure(failure.id);
    if (!result.ok) this.dialog.fail(errorWords(result.error));
    else this.renderRoot.querySelector<HTMLElement>('#close')?.focus();
  }

  private renderFailure(failure: BlockingFailure) {
    const what = failure.jids.join(', ');
    return html`<li>
      <p id="failure-${failure.id}">Could not ${failure.op} <bdi>${what}</bdi>: ${errorWords(failure.error)}</p>
      <button type="button" aria-describedby="failure-${failure.id}" @click=${() => this.dismiss(failure)}>
        Dismiss
      </button>
    </li>`;
  }

  private renderItem(item: BlockedJid, index: number) {
    const label = this.labels(item.jid);
    const named = label !== null && label.trim() !== '' && label !== item.jid;
    const id = `blocked-${index}`;
    const error = this.errors.get(item.jid);
    const busy = this.busy.has(item.jid);
    return html`<li>
      <div class="who" id=${id}>
        <bdi class="name" title=${item.jid}>${named ? label : item.jid}</bdi>
        ${named ? html`<bdi class="jid">${item.jid}</bdi>` : nothing}
        ${
          item.pending
            ? html`<span class="state"
                >${item.pending === 'block' ? 'Will be blocked' : 'Will be unblocked'} when you are back online</span
              >`
            : nothing
        }
      </div>
      ${
        item.pending === 'unblock'
          ? nothing
          : html`<button
              type="button"
              class="unblock"
              data-jid=${item.jid}
              aria-describedby=${id}
              aria-disabled=${busy}
              @click=${() => this.unblock(item, index)}
            >
              ${busy ? 'Unblocking…' : 'Unblock'}
            </button>`
      }
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
    </li>`;
  }

  protected override render() {
    const { items, failures } = this.blocklist;
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="intro" @close=${this.dialog.onClose}>
      <h2 id="title">Blocked contacts</h2>
      <p id="intro">
        People and servers you block cannot send you messages, see when you are online or ask to add you.
        <span class="visually-hidden">${plural(items.length, 'address', 'addresses')} blocked.</span>
      </p>
      ${
        failures.length > 0
          ? html`<ul class="failures" aria-label="Not done">
              ${failures.map((f) => this.renderFailure(f))}
            </ul>`
          : nothing
      }
      ${
        items.length === 0
          ? html`<p class="empty">Nobody is blocked.</p>`
          : html`<ul aria-label="Blocked">
              ${repeat(
                items,
                (item) => item.jid,
                (item, index) => this.renderItem(item, index),
              )}
            </ul>`
      }
      ${this.dialog.renderError()}
      <div class="buttons">
        <button id="close" type="button" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-blocked-list', XmBlockedList);

declare global {
  interface HTMLElementTagNameMap {
    'xm-blocked-list': XmBlockedList;
  }
  interface GlobalEventHandlersEventMap {
    'xm-unblocked': CustomEvent<{ jid: string; queued: boolean }>;
  }
}
