import { LitElement, css, html, nothing } from 'lit';
import type { ProfileRecovery } from '../../preload/contract.js';
import { controlStyles } from '../styles/controls.js';

/**
 * Says, once, that the saved data was found damaged at start and rebuilt:
 * otherwise an emptied list would look like contacts lost for no reason.
 * Floats over the screen so it changes no layout; "OK" hides it.
 *
 * @csspart notice - the box with the words
 */
export class XmProfileNotice extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        position: fixed;
        z-index: 10;
        inset: auto 16px 16px 16px;
        display: flex;
        justify-content: center;
        pointer-events: none;
      }
      .notice {
        pointer-events: auto;
        max-width: 560px;
        display: flex;
        gap: 12px;
        align-items: flex-start;
        padding: 12px 14px;
        border-radius: var(--xm-radius);
        background: var(--xm-warning-soft);
        color: var(--xm-text);
        box-shadow: var(--xm-shadow);
      }
      p {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];
  static override properties = {
    recovery: { attribute: false },
    dismissed: { state: true },
  };

  declare recovery: ProfileRecovery | undefined;
  declare private dismissed: boolean;

  constructor() {
    super();
    this.recovery = undefined;
    this.dismissed = false;
  }

  protected override render() {
    const r = this.recovery;
    if (!r || this.dismissed) return nothing;
    const edits =
      r.keptEdits === 0
        ? 'No changes waiting to be sent could be recovered.'
        : `${r.keptEdits === 1 ? '1 change' : `${r.keptEdits} changes`} waiting to be sent ${r.keptEdits === 1 ? 'was' : 'were'} recovered and will be sent when you are online.`;
    return html`<div class="notice" part="notice" role="alert">
      <p>
        Your saved contact list was damaged, so Balcony started a fresh one and will fetch your contacts again from the
        server. ${edits} The damaged file was kept as ${r.movedTo}.
      </p>
      <button type="button" @click=${() => (this.dismissed = true)}>OK</button>
    </div>`;
  }
}

customElements.define('xm-profile-notice', XmProfileNotice);

declare global {
  interface HTMLElementTagNameMap {
    'xm-profile-notice': XmProfileNotice;
  }
}
