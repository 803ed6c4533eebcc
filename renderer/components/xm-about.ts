import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ContextConsumer } from '@lit/context';
import type { AboutInfo, ShippedLicence } from '../../preload/contract.js';
import { copyText } from '../dom/clipboard.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { plural } from '../words.js';

/** The lines a bug report wants: the app and what it runs on. */
export function versionText(about: AboutInfo): string {
  return [`${about.name} ${about.version}`, ...about.runtime.map((part) => `${part.name} ${part.version}`)].join('\n');
}

const keyOf = (entry: ShippedLicence): string => `${entry.name}@${entry.version}`;

/**
 * "About Balcony" (issue 13 #3): the version, the runtime's versions (with
 * "Copy version info" for a bug report) and the licences of every package
 * Balcony ships (getAbout), each a disclosure that shows the package's own
 * licence text, with a filter by name or licence. The text of a package is
 * drawn only while it is open: a few hundred licences stay light.
 */
export class XmAbout extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        width: min(600px, calc(100vw - 16px));
      }
      h3 {
        margin: 16px 0 8px;
        font-size: 15px;
        font-weight: 650;
      }
      .version {
        margin-bottom: 8px;
        font-size: 15px;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 16px;
        margin: 0 0 12px;
        font-size: 13px;
      }
      dt {
        color: var(--xm-text-secondary);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .copy-row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
      }
      .copy-row p {
        margin: 0;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      .filter {
        margin: 0 0 8px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        border-top: 1px solid var(--xm-border);
      }
      li {
        border-bottom: 1px solid var(--xm-border);
      }
      summary {
        display: flex;
        flex-wrap: wrap;
        gap: 0 8px;
        padding: 6px 4px;
        cursor: pointer;
        font-size: 14px;
      }
      /* display: flex drops the native marker: draw our own, turned when open. */
      summary::before {
        content: '▸';
        color: var(--xm-text-secondary);
      }
      details[open] > summary::before {
        content: '▾';
      }
      summary .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      summary .meta {
        color: var(--xm-text-secondary);
      }
      pre {
        max-height: 240px;
        overflow: auto;
        margin: 0 0 8px;
        padding: 8px;
        border-radius: var(--xm-radius);
        background: var(--xm-bg);
        font-size: 12px;
        line-height: 16px;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .none {
        margin: 0 0 8px;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
    `,
  ];
  static override properties = {
    about: { state: true },
    query: { state: true },
    opened: { state: true },
    copied: { state: true },
  };

  declare private about: AboutInfo | null;
  declare private query: string;
  /** The packages whose text is shown (name@version). */
  declare private opened: ReadonlySet<string>;
  declare private copied: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.about = null;
    this.query = '';
    this.opened = new Set();
    this.copied = '';
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  /** Opens the dialog, focus on "Close" (it is read more than used), and asks main for the data. */
  async open(): Promise<void> {
    this.query = '';
    this.opened = new Set();
    this.copied = '';
    await this.dialog.show('#close');
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await this.dialog.run(() => messenger.getAbout());
    if (result?.ok) this.about = result.value;
  }

  private async copyVersion(): Promise<void> {
    if (!this.about) return;
    this.copied = (await copyText(versionText(this.about)))
      ? 'Copied.'
      : 'Could not copy: select the lines above and copy them.';
  }

  private onToggle(entry: ShippedLicence, event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    const next = new Set(this.opened);
    if (open) next.add(keyOf(entry));
    else next.delete(keyOf(entry));
    this.opened = next;
  }

  private shown(licences: ShippedLicence[]): ShippedLicence[] {
    const query = this.query.trim().toLocaleLowerCase();
    if (!query) return licences;
    return licences.filter(
      (entry) => entry.name.toLocaleLowerCase().includes(query) || entry.licence.toLocaleLowerCase().includes(query),
    );
  }

  protected override render() {
    const about = this.about;
    return html`<dialog aria-labelledby="title" @close=${this.dialog.onClose}>
      <h2 id="title">About Balcony</h2>
      ${this.dialog.renderError()}
      ${about ? this.renderAbout(about) : this.dialog.busy ? html`<p aria-busy="true">Loading…</p>` : nothing}
      <div class="buttons">
        <button id="close" type="button" class="primary" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private renderAbout(about: AboutInfo) {
    const shown = this.shown(about.licences);
    return html`<p class="version"><bdi>${about.name}</bdi> ${about.version}</p>
      <p>A desktop XMPP messenger.</p>
      ${
        about.runtime.length > 0
          ? html`<dl aria-label="Runs on">
              ${about.runtime.map(
                (part) =>
                  html`<dt>${part.name}</dt>
                    <dd>${part.version}</dd>`,
              )}
            </dl>`
          : nothing
      }
      <div class="copy-row">
        <button type="button" @click=${this.copyVersion}>Copy version info</button>
        <p role="status">${this.copied}</p>
      </div>
      <h3 id="licences">Licences of what Balcony ships</h3>
      <p class="hint" id="licences-count">
        ${plural(about.licences.length, 'package')}${
          shown.length !== about.licences.length ? html`, ${shown.length} shown` : nothing
        }
      </p>
      <div class="filter">
        <input
          type="search"
          aria-label="Filter packages by name or licence"
          aria-describedby="licences-count"
          placeholder="Filter packages"
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        />
      </div>
      <ul aria-labelledby="licences">
        ${repeat(shown, keyOf, (entry) => {
          const open = this.opened.has(keyOf(entry));
          return html`<li>
            <details .open=${open} @toggle=${(e: Event) => this.onToggle(entry, e)}>
              <summary>
                <bdi class="name">${entry.name}</bdi>
                <span class="meta">${entry.version}</span>
                <span class="meta">${entry.licence || 'no licence stated'}</span>
              </summary>
              ${
                open
                  ? entry.text
                    ? html`<pre tabindex="0" aria-label="Licence text of ${entry.name}">${entry.text}</pre>`
                    : html`<p class="none">This package ships no licence file.</p>`
                  : nothing
              }
            </details>
          </li>`;
        })}
      </ul>`;
  }
}

customElements.define('xm-about', XmAbout);

declare global {
  interface HTMLElementTagNameMap {
    'xm-about': XmAbout;
  }
}
