import { LitElement, css, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { MESSAGE_LIMITS, type ErrorInfo, type MessageSearchHit } from '../../preload/contract.js';
import { messengerContext } from '../messenger-context.js';
import { controlStyles } from '../styles/controls.js';
import { errorWords, plural } from '../words.js';
import { shortDayWords, timeWords } from '../conversation/message-words.js';

const DEBOUNCE_MS = 200;
const LIMIT = 50;

/** The snippet's private-use marks (U+E000 … U+E001) as <mark>: the text around stays text. */
function snippet(text: string) {
  return text.split('\uE000').map((piece, i) => {
    if (i === 0) return piece;
    const end = piece.indexOf('\uE001');
    if (end < 0) return piece;
    return html`<mark>${piece.slice(0, end)}</mark>${piece.slice(end + 1).replaceAll('\uE001', '')}`;
  });
}

/**
 * Ctrl+F in a conversation: a search field over this conversation's stored
 * messages (searchMessages, full text in main), the hits newest first;
 * choosing one scrolls the history to it. Arrow down from the field goes
 * to the hits, Escape closes.
 *
 * @fires xm-search-choose - a hit was chosen (detail: `{ id }`)
 * @fires xm-search-close - Escape or Close
 */
export class XmConversationSearch extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        border-bottom: 1px solid var(--xm-border);
        background: var(--xm-surface);
        padding: 8px 12px;
      }
      .bar {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      .bar input {
        flex: 1;
        min-width: 0;
      }
      .summary {
        margin: 6px 0 0;
        font-size: 13px;
        color: var(--xm-text-secondary);
      }
      ul {
        list-style: none;
        margin: 6px 0 0;
        padding: 0;
        max-height: min(40vh, 280px);
        overflow-y: auto;
      }
      li button {
        width: 100%;
        display: block;
        text-align: start;
        font-weight: 400;
        padding: 6px 8px;
        min-height: 0;
        border: none;
        border-radius: var(--xm-radius);
        background: transparent;
        white-space: normal;
      }
      li button:hover,
      li button:focus-visible {
        background: var(--xm-surface-hover);
      }
      .when {
        display: block;
        font-size: 12px;
        color: var(--xm-text-secondary);
      }
      .snippet {
        display: block;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        unicode-bidi: isolate;
      }
      mark {
        background: var(--xm-warning-soft);
        color: var(--xm-text);
        font-weight: 650;
        border-radius: 2px;
      }
    `,
  ];
  static override properties = {
    jid: { attribute: false },
    query: { state: true },
    hits: { state: true },
    error: { state: true },
  };

  declare jid: string;
  declare private query: string;
  declare private hits: MessageSearchHit[] | null;
  declare private error: ErrorInfo | null;
  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;

  constructor() {
    super();
    this.jid = '';
    this.query = '';
    this.hits = null;
    this.error = null;
  }

  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override disconnectedCallback(): void {
    clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  private onInput(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), DEBOUNCE_MS);
  }

  private async search(): Promise<void> {
    const query = this.query.trim();
    const asked = ++this.asked;
    if (query === '') {
      this.hits = null;
      this.error = null;
      return;
    }
    const result = await this.messenger.value?.searchMessages({ query, jid: this.jid, limit: LIMIT });
    if (!result || asked !== this.asked) return;
    this.error = result.ok ? null : result.error;
    this.hits = result.ok ? result.value : [];
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    } else if (event.key === 'Enter' && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      clearTimeout(this.timer);
      void this.search();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('li button')];
      if (buttons.length === 0) return;
      event.preventDefault();
      const at = buttons.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
      const next =
        event.key === 'ArrowDown' ? Math.min(buttons.length - 1, at + 1) : at <= 0 ? -1 : Math.max(0, at - 1);
      if (next < 0) this.focus();
      else buttons[next]?.focus();
    }
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('xm-search-close'));
  }

  private choose(hit: MessageSearchHit): void {
    this.dispatchEvent(new CustomEvent('xm-search-choose', { detail: { id: hit.message.id } }));
  }

  protected override render() {
    const hits = this.hits;
    return html`<div class="bar" @keydown=${this.onKeydown}>
        <input
          type="search"
          aria-label="Search in this conversation"
          placeholder="Search in this conversation"
          maxlength=${MESSAGE_LIMITS.queryChars}
          .value=${this.query}
          @input=${this.onInput}
        />
        <button class="quiet" @click=${this.close}>Close</button>
      </div>
      <p class="summary" role="status">
        ${
          this.error
            ? `Search failed: ${errorWords(this.error)}`
            : hits === null
              ? ''
              : hits.length === 0
                ? 'No messages found.'
                : hits.length >= LIMIT
                  ? `The newest ${LIMIT} matches:`
                  : `${plural(hits.length, 'match', 'matches')}:`
        }
      </p>
      ${
        hits && hits.length > 0
          ? html`<ul aria-label="Matches" @keydown=${this.onKeydown}>
              ${hits.map(
                (hit) =>
                  html`<li>
                    <button @click=${() => this.choose(hit)}>
                      <span class="when"
                        >${hit.message.direction === 'out' ? 'You' : 'Them'} · ${shortDayWords(hit.message.time)}
                        ${timeWords(hit.message.time)}</span
                      >
                      <span class="snippet" dir="auto">${snippet(hit.snippet)}</span>
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }`;
  }
}

customElements.define('xm-conversation-search', XmConversationSearch);

declare global {
  interface HTMLElementTagNameMap {
    'xm-conversation-search': XmConversationSearch;
  }
  interface HTMLElementEventMap {
    'xm-search-choose': CustomEvent<{ id: string }>;
    'xm-search-close': CustomEvent<void>;
  }
}
