import { LitElement, html, nothing } from 'lit';
import type { RosterProgress } from '../../preload/contract.js';
import { progressDetail, progressFraction, progressHeadline, progressValueText } from '../roster/progress-words.js';
import { controlStyles } from '../styles/controls.js';
import { rosterProgressStyles } from './xm-roster-progress.styles.js';

/** A screen reader hears the count again at most this often: the bar itself moves four times a second. */
const ANNOUNCE_EVERY_MS = 10_000;

/**
 * The roster on its way: where the list will be, "Receiving your contacts:
 * 23,000 so far" over a bar (determinate against the estimate from the last
 * sign-in, else indeterminate with the count), or, with `compact`, a thin bar
 * over a cached list being refreshed. The panel's live region speaks when
 * the transfer starts and then every ten seconds at most.
 *
 * @csspart bar - the progress bar
 */
export class XmRosterProgress extends LitElement {
  static override styles = [controlStyles, rosterProgressStyles];
  static override properties = {
    progress: { attribute: false },
    compact: { type: Boolean },
  };

  /** The latest report; null before the first byte of the result. */
  declare progress: RosterProgress | null;
  /** A thin bar only (a list is already shown). */
  declare compact: boolean;

  private announced = '';
  private announcedAt = Number.NEGATIVE_INFINITY;

  constructor() {
    super();
    this.progress = null;
    this.compact = false;
  }

  protected override willUpdate(): void {
    // The fill's width through a custom property set with CSSOM: the CSP refuses style attributes.
    const fraction = progressFraction(this.progress);
    if (fraction === null) this.style.removeProperty('--xm-progress');
    else this.style.setProperty('--xm-progress', `${(fraction * 100).toFixed(1)}%`);
    if (this.compact) return;
    const now = performance.now();
    if (this.announced === '' || now - this.announcedAt >= ANNOUNCE_EVERY_MS) {
      this.announced = progressHeadline(this.progress);
      this.announcedAt = now;
    }
  }

  protected override render() {
    const progress = this.progress;
    const fraction = progressFraction(progress);
    // Determinate only against an estimate: valuenow and valuemax, else the count in valuetext alone.
    const range =
      fraction !== null && progress !== null && progress.total !== null
        ? { now: Math.min(progress.items, progress.total), max: progress.total }
        : null;
    const bar = html`<div
      class="${this.compact ? 'thin' : 'track'} ${fraction === null ? 'indeterminate' : ''}"
      part="bar"
      role="progressbar"
      aria-label=${this.compact ? 'Updating your contacts' : 'Receiving your contacts'}
      aria-valuemin=${range === null ? nothing : 0}
      aria-valuemax=${range === null ? nothing : range.max}
      aria-valuenow=${range === null ? nothing : range.now}
      aria-valuetext=${progressValueText(progress)}
    >
      <div class="fill"></div>
    </div>`;
    if (this.compact) return bar;
    return html`<div class="panel">
      <p class="headline">${progressHeadline(progress)}</p>
      ${bar}
      <p class="detail">${progressDetail(progress)}</p>
      <p class="visually-hidden" role="status">${this.announced}</p>
    </div>`;
  }
}

customElements.define('xm-roster-progress', XmRosterProgress);

declare global {
  interface HTMLElementTagNameMap {
    'xm-roster-progress': XmRosterProgress;
  }
}
