import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ContextConsumer } from '@lit/context';
import type { DeniedRequest } from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogListStyles, dialogStyles } from '../styles/dialog.js';

const deniedAtFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * "Denied requests": the people whose contact requests were denied (their
 * later requests are not shown), newest first, each with "Allow requests
 * again" (undoDenial). Kept on this computer, so it works offline. Opened
 * from the account menu.
 *
 * @fires xm-denial-undone - a denial was undone (detail: `{ jid }`)
 * @csspart dialog - the native dialog element
 */
export class XmDeniedDialog extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    dialogListStyles,
    css`
      ul {
        margin-bottom: 8px;
      }
      .who {
        flex: 1 1 180px;
      }
      .jid {
        display: block;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .when {
        display: block;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      .done {
        margin: 0;
        font-size: 14px;
        overflow-wrap: anywhere;
      }
    `,
  ];
  static override properties = {
    entries: { state: true },
    loading: { state: true },
    busy: { state: true },
    done: { state: true },
  };

  /** null until loaded. */
  declare private entries: DeniedRequest[] | null;
  declare private loading: boolean;
  /** The addresses whose undo is running. */
  declare private busy: ReadonlySet<string>;
  /** What the last undo did, for the live region. */
  declare private done: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.entries = null;
    this.loading = false;
    this.busy = new Set();
    this.done = '';
  }

  /** Opens the list, loading it fresh; focus starts on Close (nothing happens by accident). */
  async open(): Promise<void> {
    this.entries = null;
    this.done = '';
    await this.dialog.show('#close');
    await this.load();
  }

  private async load(): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    this.loading = true;
    const result = await this.dialog.run(() => messenger.listDeniedRequests());
    this.loading = false;
    if (result?.ok) this.entries = result.value;
  }

  private async undo(entry: DeniedRequest): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger || this.busy.has(entry.jid)) return;
    this.busy = new Set(this.busy).add(entry.jid);
    const result = await this.dialog.run(() => messenger.undoDenial(entry.jid));
    const busy = new Set(this.busy);
    busy.delete(entry.jid);
    this.busy = busy;
    if (!result?.ok) return;
    const index = this.entries?.indexOf(entry) ?? -1;
    this.entries = (this.entries ?? []).filter((e) => e !== entry);
    this.done = `${entry.jid} can ask again: their next request will be shown.`;
    this.dispatchEvent(
      new CustomEvent('xm-denial-undone', { bubbles: true, composed: true, detail: { jid: entry.jid } }),
    );
    // Focus stays in the list: on the next entry's button, else the previous one's, else Close.
    await this.updateComplete;
    const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('li button')];
    (buttons[Math.min(index, buttons.length - 1)] ?? this.renderRoot.querySelector<HTMLElement>('#close'))?.focus();
  }

  private renderList() {
    const entries = this.entries;
    if (entries === null) return html`<p>${this.loading ? 'Loading…' : ''}</p>`;
    if (entries.length === 0) return html`<p>You have not denied any contact requests.</p>`;
    return html`<ul aria-label="Denied requests">
      ${repeat(
        entries,
        (e) => e.jid,
        (entry, i) =>
          html`<li>
            <span class="who" id=${`denied-${i}`}>
              <bdi class="jid">${entry.jid}</bdi>
              <span class="when">denied ${deniedAtFormat.format(entry.deniedAt)}</span>
            </span>
            <button
              type="button"
              aria-describedby=${`denied-${i}`}
              aria-disabled=${this.busy.has(entry.jid)}
              @click=${() => this.undo(entry)}
            >
              Allow requests again
            </button>
          </li>`,
      )}
    </ul>`;
  }

  protected override render() {
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="what" @close=${this.dialog.onClose}>
      <h2 id="title">Denied requests</h2>
      <p id="what">
        Requests from these people are refused without asking you. Allow them again to see their next request.
      </p>
      ${this.renderList()}
      <p class="done" role="status">${this.done}</p>
      ${this.dialog.renderError()}
      <div class="buttons">
        <button id="close" type="button" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-denied-dialog', XmDeniedDialog);

declare global {
  interface HTMLElementTagNameMap {
    'xm-denied-dialog': XmDeniedDialog;
  }
  interface GlobalEventHandlersEventMap {
    'xm-denial-undone': CustomEvent<{ jid: string }>;
  }
}
