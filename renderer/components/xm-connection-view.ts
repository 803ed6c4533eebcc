import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { AccountSettings, ConnectionReport } from '../../preload/contract.js';
import {
  attemptWords,
  expiryWords,
  failureWords,
  lastSyncWords,
  saslWords,
  serverFoundWords,
  serverSoftwareWords,
  tlsWords,
} from '../connection/report-words.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { errorWords, plural } from '../words.js';

/**
 * "Account and connection": how the last sign-in found and secured the
 * server, what the server is and offers, and the roster's figures, from
 * `getConnectionReport`; with "Fetch the whole roster again" (`resyncRoster`).
 * Everything from the network is rendered as text.
 *
 * @fires xm-roster-resynced - the whole roster was fetched again (detail: `{ count }`)
 * @csspart dialog - the native dialog element
 */
export class XmConnectionView extends LitElement {
  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        width: min(580px, calc(100vw - 32px));
        max-height: calc(100vh - 32px);
      }
      /* Title and buttons stay in view; the figures between them scroll. */
      dialog[open] {
        display: flex;
        flex-direction: column;
      }
      h2 {
        margin-bottom: 4px;
      }
      .body {
        flex: 1 1 auto;
        min-height: 0;
        overflow: auto;
        margin: 0 -8px;
        padding: 0 8px;
      }
      .buttons {
        margin-top: 16px;
      }
      h3 {
        margin: 16px 0 6px;
        font-size: 14px;
        font-weight: 650;
      }
      dl {
        display: grid;
        grid-template-columns: 12.5em 1fr;
        gap: 4px 16px;
        margin: 0;
        font-size: 14px;
        line-height: 20px;
      }
      dt {
        color: var(--xm-text-secondary);
      }
      dd {
        margin: 0;
        overflow-wrap: break-word;
        min-width: 0;
      }
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li + li {
        margin-top: 4px;
      }
      .account {
        flex: none;
        margin-bottom: 8px;
        color: var(--xm-text-secondary);
        overflow-wrap: anywhere;
      }
      .failure {
        margin: 16px 0 0;
        padding: 8px 12px;
        border-left: 4px solid var(--xm-danger);
        border-radius: var(--xm-radius);
        background: var(--xm-danger-soft);
        overflow-wrap: anywhere;
      }
      .status {
        flex: none;
        margin: 12px 0 0;
        min-height: 20px;
      }
      .buttons {
        flex-wrap: wrap;
        flex: none;
      }
      @media (max-width: 480px) {
        dl {
          grid-template-columns: 1fr;
          gap: 0;
        }
        dd + dt {
          margin-top: 8px;
        }
      }
    `,
  ];
  static override properties = {
    account: { attribute: false },
    report: { state: true },
    loadError: { state: true },
    outcome: { state: true },
  };

  declare account: AccountSettings | null;
  declare private report: ConnectionReport | null;
  declare private loadError: string;
  /** What the last resync did, for the polite live region. */
  declare private outcome: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);

  constructor() {
    super();
    this.account = null;
    this.report = null;
    this.loadError = '';
    this.outcome = '';
  }

  /** Shows the view with a fresh report. */
  async open(): Promise<void> {
    this.outcome = '';
    this.report = null;
    this.loadError = '';
    await this.dialog.show('#close');
    await this.load();
  }

  private async load(): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await messenger.getConnectionReport();
    if (result.ok) {
      this.report = result.value;
      this.loadError = '';
    } else {
      this.loadError = `Could not read the connection report: ${errorWords(result.error)}`;
    }
  }

  private async resync(): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger || this.dialog.busy) return;
    this.outcome = 'Fetching the whole roster…';
    const result = await this.dialog.run(() => messenger.resyncRoster());
    if (!result) return;
    if (!result.ok) {
      this.outcome = '';
      this.dialog.fail(`Could not fetch the roster: ${errorWords(result.error)}`);
      return;
    }
    this.outcome = `Fetched the whole roster again: ${plural(result.value.count, 'contact')}.`;
    this.dispatchEvent(
      new CustomEvent('xm-roster-resynced', { bubbles: true, composed: true, detail: { count: result.value.count } }),
    );
    await this.load();
  }

  protected override render() {
    const report = this.report;
    return html`<dialog
      part="dialog"
      aria-labelledby="connection-title"
      aria-busy=${report === null && this.loadError === ''}
      @close=${this.dialog.onClose}
    >
      <h2 id="connection-title">Account and connection</h2>
      <p class="account"><bdi>${this.account?.jid ?? ''}</bdi></p>
      <div class="body" tabindex="0" role="region" aria-label="Connection report">
        ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
        ${report ? this.renderReport(report) : this.loadError ? nothing : html`<p>Reading the report…</p>`}
      </div>
      <p class="status" role="status">${this.outcome}</p>
      ${this.dialog.renderError()}
      <div class="buttons">
        <button id="resync" type="button" aria-disabled=${this.dialog.busy} @click=${this.resync}>
          ${this.dialog.busy ? 'Fetching…' : 'Fetch the whole roster again'}
        </button>
        <button id="close" class="primary" type="button" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }

  private renderReport(report: ConnectionReport) {
    const failure = failureWords(report);
    const cert = report.tls?.certificate;
    const yes = (value: boolean) => (value ? 'yes' : 'no');
    const signedIn = report.failure === null && report.sasl !== null;
    return html` ${failure ? html`<p class="failure" data-figure="failure">${failure}</p>` : nothing}
      <h3>Connection</h3>
      <dl>
        <dt>Server found via</dt>
        <dd data-figure="found">${serverFoundWords(report, this.account)}</dd>
        <dt>Addresses tried</dt>
        <dd data-figure="attempts">
          ${
            report.attempts.length === 0
              ? 'none'
              : html`<ul>
                  ${report.attempts.map((a) => html`<li><bdi>${attemptWords(a)}</bdi></li>`)}
                </ul>`
          }
        </dd>
        <dt>Encryption</dt>
        <dd data-figure="tls">${tlsWords(report)}</dd>
        ${
          cert
            ? html`<dt>Certificate</dt>
                <dd data-figure="certificate">
                  issued to <bdi>${cert.subject}</bdi> by <bdi>${cert.issuer}</bdi>, valid until
                  ${expiryWords(cert.validTo)}
                </dd>`
            : nothing
        }
        <dt>Sign-in method</dt>
        <dd data-figure="sasl">${saslWords(report)}</dd>
      </dl>
      <h3>Server</h3>
      <dl>
        <dt>Software</dt>
        <dd data-figure="server"><bdi>${serverSoftwareWords(report)}</bdi></dd>
        ${
          signedIn
            ? html`<dt>Roster versioning</dt>
                <dd data-figure="rosterVersioning">${yes(report.features.rosterVersioning)}</dd>
                <dt>Stream management</dt>
                <dd data-figure="streamManagement">${yes(report.features.streamManagement)}</dd>
                <dt>Pre-approval</dt>
                <dd data-figure="preApproval">${yes(report.features.preApproval)}</dd>
                <dt>Blocking</dt>
                <dd data-figure="blocking">${yes(report.features.blocking)}</dd>`
            : html`<dt>Features</dt>
                <dd data-figure="features">not known until signed in</dd>`
        }
      </dl>
      <h3>Contacts</h3>
      <dl>
        <dt>Last full sync</dt>
        <dd data-figure="lastFullSync">${lastSyncWords(report.roster.lastFullSync)}</dd>
        <dt>Spoofed changes dropped</dt>
        <dd data-figure="spoofedPushes">${report.roster.spoofedPushes}</dd>
      </dl>`;
  }
}

customElements.define('xm-connection-view', XmConnectionView);

declare global {
  interface HTMLElementTagNameMap {
    'xm-connection-view': XmConnectionView;
  }
  interface GlobalEventHandlersEventMap {
    'xm-roster-resynced': CustomEvent<{ count: number }>;
  }
}
