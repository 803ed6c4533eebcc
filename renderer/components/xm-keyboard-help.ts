import { LitElement, css, html } from 'lit';
import { DialogController } from '../dom/dialog-controller.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { SHORTCUTS, type Shortcut } from './keyboard-shortcuts.js';

/**
 * "Keyboard shortcuts": a dialog listing every shortcut of the app
 * (keyboard-shortcuts.ts), one table per place they work. Opened with "?"
 * outside text fields, or from the account menu.
 */
export class XmKeyboardHelp extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        width: min(560px, calc(100vw - 16px));
        max-height: calc(100vh - 16px);
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin-bottom: 16px;
        font-size: 14px;
      }
      caption {
        text-align: start;
        font-size: 14px;
        font-weight: 650;
        padding: 0 0 4px;
      }
      th,
      td {
        padding: 4px 0;
        border-top: 1px solid var(--xm-border);
        vertical-align: top;
        text-align: start;
      }
      th {
        width: 40%;
        padding-right: 12px;
        font-weight: 400;
      }
      kbd {
        display: inline-block;
        min-width: 22px;
        margin: 1px 0;
        padding: 0 6px;
        border: 1px solid var(--xm-border-strong);
        border-bottom-width: 2px;
        border-radius: 4px;
        font: 12px/20px var(--xm-font);
        text-align: center;
        white-space: nowrap;
      }
      .or,
      .plus {
        color: var(--xm-text-secondary);
        font-size: 12px;
      }
      .buttons {
        margin-top: 8px;
      }
    `,
  ];

  private readonly dialog: DialogController = new DialogController(this);

  /** Opens the dialog, focus on "Close" (the tables are read, not used). */
  open(): Promise<void> {
    return this.dialog.show('#close');
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  /** Real spaces around "or" and "+", so the row reads "Ctrl + F or /" and not "Ctrl+For/". */
  private renderKeys(shortcut: Shortcut) {
    return shortcut.keys.map(
      (combo, i) =>
        html`${i > 0 ? html` <span class="or">or</span> ` : ''}${combo.map(
          (key, j) => html`${j > 0 ? html` <span class="plus">+</span> ` : ''}<kbd>${key}</kbd>`,
        )}`,
    );
  }

  protected override render() {
    return html`<dialog aria-labelledby="keys-title" @close=${this.dialog.onClose}>
      <h2 id="keys-title">Keyboard shortcuts</h2>
      ${SHORTCUTS.map(
        (section) =>
          html`<table>
            <caption>
              ${section.title}
            </caption>
            ${section.shortcuts.map(
              (s) =>
                html`<tr>
                  <th scope="row">${this.renderKeys(s)}</th>
                  <td>${s.does}</td>
                </tr>`,
            )}
          </table>`,
      )}
      <div class="buttons">
        <button id="close" type="button" class="primary" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-keyboard-help', XmKeyboardHelp);

declare global {
  interface HTMLElementTagNameMap {
    'xm-keyboard-help': XmKeyboardHelp;
  }
}
