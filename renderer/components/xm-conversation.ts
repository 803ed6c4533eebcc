import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { live } from 'lit/directives/live.js';
import { guard } from 'lit/directives/guard.js';
import { ContextConsumer } from '@lit/context';
import type { ChatMessage, ConversationEntry, ErrorInfo, MessengerEvent } from '../../preload/contract.js';
import { messengerContext } from '../messenger-context.js';
import { MessengerEventsController } from '../messenger-events.js';
import { controlStyles } from '../styles/controls.js';
import { errorWords } from '../words.js';
import { ConversationModel } from '../conversation/conversation-model.js';
import { HistoryWindow, STEP } from '../conversation/history-window.js';
import { entryTemplate, type EntryActions } from '../conversation/entry-template.js';
import { dayKey } from '../conversation/message-words.js';
import { ChatStateSender } from '../conversation/chat-state-sender.js';
import { DRAFT_CHANGED, clearDraft, loadDraft, saveDraft, type DraftChange } from '../conversation/drafts.js';
import { unknownContact, type ContactInfo } from '../conversation/contact-info.js';
import { showWords, capitalise } from '../presence/presence-words.js';
import { searchIcon } from '../icons.js';
import { conversationStyles } from './xm-conversation.styles.js';
import type { XmComposer } from './xm-composer.js';
import type { XmLinkConfirm } from './xm-link-confirm.js';
import './xm-composer.js';
import './xm-link-confirm.js';
import './xm-conversation-search.js';

/** Within this distance of an end of the drawn history, more is drawn (or loaded) before the user gets there. */
const NEAR_PX = 600;
/** A search hit further back than this many pages is not looked for (the store pages 500 at a time). */
const MAX_SEARCH_PAGES = 400;
/** "typing…" goes after this long without another "composing" (XEP-0085 leaves it to the client). */
const TYPING_MS = 30_000;

const backIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path d="m15 6-6 6 6 6" />
</svg>`;

/**
 * One conversation: its header (the contact's name and presence), the
 * history, "typing…", and the composer. The history is a bounded window
 * (history-window.ts) over what is loaded (conversation-model.ts): opened
 * with the newest page, older pages asked for while scrolling up, the
 * scroll position kept on the entry the user was looking at; live messages
 * upserted by id and placed by (time, seq). Marked read when the newest
 * message is in view and the window is visible and focused.
 *
 * @fires xm-conversation-back - the back button of the one-pane layout
 */
export class XmConversation extends LitElement {
  static override styles = [controlStyles, conversationStyles];
  static override properties = {
    jid: { attribute: false },
    account: { attribute: false },
    contact: { attribute: false },
    narrow: { type: Boolean, reflect: true },
    visible: { type: Boolean },
    loadError: { state: true },
    olderError: { state: true },
    loading: { state: true },
    typing: { state: true },
    highlight: { state: true },
    sendError: { state: true },
    announcement: { state: true },
    atBottom: { state: true },
    unseen: { state: true },
    searching: { state: true },
  };

  /** The contact's bare JID. */
  declare jid: string;
  /** Our own bare JID (drafts are kept per account). */
  declare account: string;
  /** Asks the roster what it knows of a contact (name, presence). */
  declare contact: (jid: string) => ContactInfo;
  /** The one-pane layout: the header has a back button. */
  declare narrow: boolean;
  /** The pane is on screen (false: the one-pane layout shows the list); nothing is marked read while hidden. */
  declare visible: boolean;
  declare private loadError: ErrorInfo | null;
  declare private olderError: ErrorInfo | null;
  declare private loading: 'newest' | 'older' | null;
  declare private typing: boolean;
  declare private highlight: string | null;
  declare private sendError: string;
  declare private announcement: string;
  declare private atBottom: boolean;
  /** Messages that arrived below the drawn part while scrolled up. */
  declare private unseen: number;
  declare private searching: boolean;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private model: ConversationModel | null = null;
  private readonly slice = new HistoryWindow();
  private chatState: ChatStateSender | null = null;
  private draft = '';
  private lastMarked: string | null = null;
  /** An older page brought nothing new yet did not say it was the start: stop asking by scrolling (the button stays). */
  private olderStalled = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped when another conversation opens: an answer for the previous one is dropped. */
  private generation = 0;
  private scrollQueued = false;
  /** After the next render: keep this entry where it was, or go to the bottom. */
  private pendingScroll: { kind: 'anchor'; id: string; offset: number } | { kind: 'bottom' } | null = null;

  constructor() {
    super();
    this.jid = '';
    this.account = '';
    this.contact = () => unknownContact;
    this.narrow = false;
    this.visible = true;
    this.loadError = null;
    this.olderError = null;
    this.loading = null;
    this.setTyping(false);
    this.highlight = null;
    this.sendError = '';
    this.announcement = '';
    this.atBottom = true;
    this.unseen = 0;
    this.searching = false;
    new MessengerEventsController(
      this,
      () => this.messenger.value,
      (event) => this.onEvent(event),
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.checkRead);
    window.addEventListener('focus', this.checkRead);
    window.addEventListener(DRAFT_CHANGED, this.onDraftChanged);
    this.addEventListener('keydown', this.onKeydown);
  }

  /** Another part wrote this conversation's draft (an xmpp:?message link): the composer shows it. */
  private readonly onDraftChanged = (event: CustomEvent<DraftChange>): void => {
    const { account, jid, text } = event.detail;
    if (account !== this.account || jid !== this.model?.jid || text === this.draft) return;
    this.draft = text;
    this.requestUpdate();
  };

  override disconnectedCallback(): void {
    this.leave();
    clearTimeout(this.typingTimer);
    document.removeEventListener('visibilitychange', this.checkRead);
    window.removeEventListener('focus', this.checkRead);
    window.removeEventListener(DRAFT_CHANGED, this.onDraftChanged);
    this.removeEventListener('keydown', this.onKeydown);
    super.disconnectedCallback();
  }

  /** Focus to the message field (a conversation opened from the list). */
  focusComposer(): void {
    void this.updateComplete.then(() => this.composer?.focus());
  }

  /**
   * Puts `text` in the composer as an unsent draft (an xmpp:?message link),
   * in place of what was there, and focuses it. It is never sent from here:
   * only the user's Enter or Send does that.
   */
  async useDraft(text: string): Promise<void> {
    // After a change of contact has been drawn: opening it loads that contact's stored draft.
    await this.updateComplete;
    this.draft = text;
    this.requestUpdate();
    this.focusComposer();
  }

  /** Scrolls to a message and highlights it, loading older pages until it is there (a search hit, a notification). */
  async showMessage(id: string): Promise<boolean> {
    const generation = this.generation;
    const messenger = this.messenger.value;
    await this.whenLoaded();
    let model = this.model;
    for (let pages = 0; model && model.indexOf(id) < 0 && !model.atStart && pages < MAX_SEARCH_PAGES; pages++) {
      if (!messenger || generation !== this.generation) return false;
      const oldest = model.entries[0];
      const result = await messenger.getHistory({ jid: this.jid, before: oldest?.id ?? null, limit: 500 });
      if (generation !== this.generation) return false;
      if (!result.ok) {
        this.olderError = result.error;
        return false;
      }
      const added = model.prepend(result.value.entries, result.value.atStart);
      this.slice.prepended(added);
      if (added === 0 && !result.value.atStart) break;
      model = this.model;
    }
    const index = model?.indexOf(id) ?? -1;
    if (!model || index < 0) return false;
    this.slice.around(index, model.length);
    this.highlight = id;
    this.pendingScroll = null;
    this.requestUpdate();
    await this.updateComplete;
    const row = this.row(id);
    row?.scrollIntoView({ block: 'center' });
    row?.focus({ preventScroll: true });
    this.onScroll();
    return true;
  }

  private loaded: Promise<void> = Promise.resolve();
  private whenLoaded(): Promise<void> {
    return this.loaded;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('jid') && this.jid !== '') this.open();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const log = this.log;
    const pending = this.pendingScroll;
    this.pendingScroll = null;
    if (log && pending?.kind === 'bottom') log.scrollTop = log.scrollHeight;
    else if (log && pending?.kind === 'anchor') {
      const row = this.row(pending.id);
      if (row) log.scrollTop += row.getBoundingClientRect().top - log.getBoundingClientRect().top - pending.offset;
    }
    if (changed.has('visible')) this.checkRead();
    if (pending) this.onScroll();
    else this.checkRead();
  }

  // ---- opening and loading ----

  private open(): void {
    this.leave();
    this.generation++;
    const jid = this.jid;
    this.model = new ConversationModel(jid);
    this.slice.from = 0;
    this.slice.to = 0;
    this.chatState = new ChatStateSender((state) => void this.messenger.value?.setChatState({ jid, state }));
    this.draft = loadDraft(this.account, jid);
    this.lastMarked = null;
    this.olderStalled = false;
    this.loadError = null;
    this.olderError = null;
    this.setTyping(false);
    this.highlight = null;
    this.sendError = '';
    this.announcement = '';
    this.unseen = 0;
    this.atBottom = true;
    this.searching = false;
    this.loaded = this.loadNewest();
  }

  /** The conversation is left: the draft kept, "paused" if we were typing. */
  private leave(): void {
    if (this.model) saveDraft(this.account, this.model.jid, this.draft);
    this.chatState?.leave();
    this.chatState = null;
  }

  private async loadNewest(): Promise<void> {
    const messenger = this.messenger.value;
    const model = this.model;
    if (!messenger || !model) return;
    const generation = this.generation;
    this.loading = 'newest';
    const result = await messenger.getHistory({ jid: model.jid, limit: STEP });
    if (generation !== this.generation) return;
    this.loading = null;
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    model.prepend(result.value.entries, result.value.atStart);
    this.slice.showNewest(model.length);
    this.pendingScroll = { kind: 'bottom' };
    this.requestUpdate();
    await this.updateComplete;
  }

  private async loadOlder(): Promise<void> {
    const messenger = this.messenger.value;
    const model = this.model;
    if (!messenger || !model || model.atStart || this.loading) return;
    const generation = this.generation;
    const oldest = model.entries[0];
    this.loading = 'older';
    this.olderError = null;
    const result = await messenger.getHistory({ jid: model.jid, before: oldest?.id ?? null, limit: STEP });
    if (generation !== this.generation) return;
    this.loading = null;
    if (!result.ok) {
      this.olderError = result.error;
      return;
    }
    this.keepAnchor();
    const added = model.prepend(result.value.entries, result.value.atStart);
    this.olderStalled = added === 0 && !result.value.atStart;
    this.slice.prepended(added);
    this.slice.growUp();
    this.requestUpdate();
  }

  // ---- scrolling ----

  private get log(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.log');
  }

  private get composer(): XmComposer | null {
    return this.renderRoot.querySelector('xm-composer');
  }

  private row(id: string): HTMLElement | null {
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('.entry')) if (row.dataset.id === id) return row;
    return null;
  }

  /** The first entry in view and how far below the top of the log it is: kept there through the next render. */
  private keepAnchor(): void {
    const log = this.log;
    if (!log || this.pendingScroll?.kind === 'bottom') return;
    const top = log.getBoundingClientRect().top;
    for (const row of this.renderRoot.querySelectorAll<HTMLElement>('.entry')) {
      const rect = row.getBoundingClientRect();
      if (rect.bottom > top && row.dataset.id) {
        this.pendingScroll = { kind: 'anchor', id: row.dataset.id, offset: rect.top - top };
        return;
      }
    }
  }

  private readonly onScroll = (): void => {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      this.afterScroll();
    });
  };

  private afterScroll(): void {
    const log = this.log;
    const model = this.model;
    if (!log || !model) return;
    const fromBottom = log.scrollHeight - log.scrollTop - log.clientHeight;
    const following = this.slice.following(model.length);
    this.atBottom = following && fromBottom < 24;
    if (this.atBottom) this.unseen = 0;
    if (log.scrollTop < NEAR_PX) {
      if (this.slice.from > 0) {
        this.keepAnchor();
        this.slice.growUp();
        this.requestUpdate();
      } else if (!model.atStart && !this.loading && !this.olderError && !this.olderStalled) void this.loadOlder();
    } else if (fromBottom < NEAR_PX && !following) {
      this.keepAnchor();
      this.slice.growDown(model.length);
      this.requestUpdate();
    }
    this.checkRead();
  }

  /** Back to the newest message (the "newest" button, a message sent while scrolled up). */
  private toNewest(): void {
    const model = this.model;
    if (!model) return;
    if (!this.slice.following(model.length)) this.slice.showNewest(model.length);
    this.pendingScroll = { kind: 'bottom' };
    this.unseen = 0;
    this.requestUpdate();
  }

  // ---- read markers ----

  private readonly checkRead = (): void => {
    const model = this.model;
    const messenger = this.messenger.value;
    const log = this.log;
    if (!model || !messenger || !log || !this.visible) return;
    if (document.visibilityState !== 'visible' || !document.hasFocus()) return;
    const newest = model.newestMessage('in');
    if (!newest || newest.id === this.lastMarked || !this.slice.following(model.length)) return;
    const row = this.row(newest.id);
    if (!row) return;
    const view = log.getBoundingClientRect();
    const rect = row.getBoundingClientRect();
    if (rect.top >= view.bottom || rect.bottom <= view.top) return;
    this.lastMarked = newest.id;
    void messenger.markRead({ jid: model.jid, upTo: newest.id });
  };

  // ---- events ----

  private onEvent(event: MessengerEvent): void {
    const model = this.model;
    if (event.type === 'presence' || (event.type === 'roster' && model)) {
      if (event.type === 'presence' && event.presence.jid !== this.jid) return;
      this.requestUpdate();
      return;
    }
    if (!model) return;
    if (event.type === 'message' && event.message.conversation === model.jid) this.upsert(event.message);
    else if (event.type === 'gap' && event.jid === model.jid) this.place(ConversationModel.gap(event.gap));
    else if (event.type === 'chat-state' && event.jid === model.jid) this.setTyping(event.state === 'composing');
  }

  private upsert(message: ChatMessage): void {
    const model = this.model;
    if (!model) return;
    const previous = model.get(message.id);
    const isNew = !previous;
    const placed = this.place(ConversationModel.message(message));
    if (message.state === 'failed' && previous?.kind === 'message' && previous.state !== 'failed')
      this.announcement = `Not sent: ${message.error?.message ?? 'the server refused it.'}`;
    if (!isNew || message.direction !== 'in' || !placed) return;
    this.setTyping(false);
    this.announcement = `${this.theirName()}: ${message.body.slice(0, 300)}`;
    if (!this.atBottom) this.unseen++;
  }

  /**
   * "typing…" on or off. A client that vanished mid-word never says "paused":
   * the words go after TYPING_MS without a new "composing".
   */
  private setTyping(typing: boolean): void {
    clearTimeout(this.typingTimer);
    this.typing = typing;
    if (typing) this.typingTimer = setTimeout(() => (this.typing = false), TYPING_MS);
  }

  /** Places an entry; returns whether it belongs to what is loaded. */
  private place(entry: ConversationEntry): boolean {
    const model = this.model;
    if (!model) return false;
    const length = model.length;
    const stick = this.atBottom && this.slice.following(length);
    if (!stick) this.keepAnchor();
    const placement = model.upsert(entry);
    this.slice.placed(placement, length);
    if (stick) this.pendingScroll = { kind: 'bottom' };
    this.requestUpdate();
    return placement.insertedAt >= 0;
  }

  // ---- actions ----

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const command = event.ctrlKey || event.metaKey;
    if (command && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      this.openSearch();
    }
  };

  private openSearch(): void {
    this.searching = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector('xm-conversation-search')?.focus());
  }

  private closeSearch(): void {
    this.searching = false;
    void this.updateComplete.then(() => this.composer?.focus());
  }

  private async send(text: string): Promise<void> {
    const messenger = this.messenger.value;
    const model = this.model;
    if (!messenger || !model) return;
    const generation = this.generation;
    this.sendError = '';
    this.draft = '';
    clearDraft(this.account, model.jid);
    this.chatState?.sent();
    this.requestUpdate();
    const result = await messenger.sendMessage({ to: model.jid, body: text });
    if (generation !== this.generation) {
      if (!result.ok) saveDraft(this.account, model.jid, text);
      return;
    }
    if (!result.ok) {
      // Nothing was queued: the text comes back so it is not lost.
      if (this.draft === '') {
        this.draft = text;
        saveDraft(this.account, model.jid, text);
      }
      this.sendError = `Not sent: ${errorWords(result.error)}`;
      return;
    }
    this.toNewest();
    this.place(ConversationModel.message(result.value));
    this.pendingScroll = { kind: 'bottom' };
  }

  private async retry(id: string): Promise<void> {
    const messenger = this.messenger.value;
    if (!messenger) return;
    const result = await messenger.retryMessage(id);
    if (result.ok) {
      if (result.value.conversation === this.model?.jid) this.upsert(result.value);
      this.announcement = 'Sending again.';
    } else this.announcement = `Could not retry: ${errorWords(result.error)}`;
  }

  private openLink(url: string, event: Event): void {
    // Never followed by the page: only the confirmation may hand it on.
    event.preventDefault();
    if (event instanceof MouseEvent && event.button > 1) return;
    void this.renderRoot.querySelector<XmLinkConfirm>('xm-link-confirm')?.open(url);
  }

  private theirName(): string {
    return this.contact(this.jid).label ?? this.jid;
  }

  // ---- drawing ----

  private renderHeader(info: ContactInfo) {
    const name = info.label ?? this.jid;
    const presence = capitalise(showWords(info.show));
    return html`<header>
      ${
        this.narrow
          ? html`<button
              class="icon quiet back"
              aria-label="Back to contacts"
              title="Back to contacts"
              @click=${this.back}
            >
              ${backIcon}
            </button>`
          : nothing
      }
      <span class="avatar ${info.show}" aria-hidden="true">${initial(name)}</span>
      <div class="who">
        ${
          // Alone on screen (one pane), the conversation is the page's main content and its top heading.
          this.narrow ? html`<h1 dir="auto">${name}</h1>` : html`<h2 dir="auto">${name}</h2>`
        }
        <p class="presence">
          <span class="dot ${info.show}" aria-hidden="true"></span>${presence}${
            info.status ? html` — <span dir="auto">${info.status}</span>` : nothing
          }${info.label !== null && info.label !== this.jid ? html`<span class="jid"> · ${this.jid}</span>` : nothing}
        </p>
      </div>
      <button
        class="icon quiet"
        aria-label="Search in this conversation"
        title="Search in this conversation (Ctrl+F)"
        aria-expanded=${this.searching ? 'true' : 'false'}
        @click=${() => (this.searching ? this.closeSearch() : this.openSearch())}
      >
        ${searchIcon}
      </button>
    </header>`;
  }

  private readonly back = (): void => {
    this.dispatchEvent(new CustomEvent('xm-conversation-back', { bubbles: true, composed: true }));
  };

  private renderTop(model: ConversationModel, name: string) {
    if (this.slice.from > 0) return nothing;
    if (this.olderError)
      return html`<div class="top error-line">
        <p>Could not load earlier messages: ${errorWords(this.olderError)}</p>
        <button @click=${() => ((this.olderError = null), void this.loadOlder())}>Try again</button>
      </div>`;
    if (this.loading === 'older') return html`<p class="top">Loading earlier messages…</p>`;
    if (model.atStart)
      return model.length === 0
        ? html`<p class="top empty">No messages with ${name} yet. Say hello!</p>`
        : html`<p class="top">This is the start of your conversation with ${name}.</p>`;
    return html`<p class="top">
      <button class="quiet" @click=${() => void this.loadOlder()}>Load earlier messages</button>
    </p>`;
  }

  private renderHistory(model: ConversationModel, name: string) {
    if (this.loadError)
      return html`<div class="log-state">
        <p class="error" role="alert">Could not load this conversation: ${errorWords(this.loadError)}</p>
        <button @click=${() => void (this.loaded = this.loadNewest().then(() => undefined))}>Try again</button>
      </div>`;
    const entries = model.entries;
    const drawn = entries.slice(this.slice.from, this.slice.to);
    const actions: EntryActions = {
      theirName: name,
      highlight: this.highlight,
      openLink: (url, event) => this.openLink(url, event),
      retry: (id) => void this.retry(id),
    };
    const from = this.slice.from;
    // An entry is drawn again only when what it shows may have changed: itself, the entry before it
    // (grouping, the day separator), the name, the highlight, or the day ("Today" after midnight).
    // Not every drawn entry on every render: a live message draws one, not the 250 around it.
    const today = dayKey(Date.now());
    return html`<div
      class="log"
      role="log"
      aria-live="off"
      aria-label="Messages with ${name}"
      aria-busy=${this.loading ? 'true' : 'false'}
      tabindex="0"
      @scroll=${this.onScroll}
    >
      ${this.renderTop(model, name)} ${this.loading === 'newest' ? html`<p class="top">Loading…</p>` : nothing}
      ${repeat(
        drawn,
        (entry) => entry.id,
        (entry, i) => {
          const previous = entries[from + i - 1];
          return guard([entry, previous, name, this.highlight === entry.id, today], () =>
            entryTemplate(entry, previous, actions),
          );
        },
      )}
    </div>`;
  }

  protected override render() {
    const model = this.model;
    if (!model) return nothing;
    const info = this.contact(this.jid);
    const name = info.label ?? this.jid;
    return html`${this.renderHeader(info)}
      ${
        this.searching
          ? html`<xm-conversation-search
              .jid=${this.jid}
              @xm-search-close=${this.closeSearch}
              @xm-search-choose=${(e: CustomEvent<{ id: string }>) => void this.showMessage(e.detail.id)}
            ></xm-conversation-search>`
          : nothing
      }
      <div class="history">
        ${this.renderHistory(model, name)}
        ${
          !this.atBottom && model.length > 0
            ? html`<button class="newest" @click=${this.toNewest}>
                ${this.unseen > 0 ? `${this.unseen} new ${this.unseen === 1 ? 'message' : 'messages'}` : 'Newest messages'}
                <span aria-hidden="true">↓</span>
              </button>`
            : nothing
        }
      </div>
      <p class="typing" aria-hidden=${this.typing ? 'false' : 'true'}>${this.typing ? `${name} is typing…` : ''}</p>
      <p class="visually-hidden" role="status">${this.announcement}</p>
      ${this.sendError ? html`<p class="error send-error" role="alert">${this.sendError}</p>` : nothing}
      <xm-composer
        .value=${live(this.draft)}
        .label=${`Message to ${name}`}
        @xm-compose-input=${(e: CustomEvent<{ text: string }>) => {
          this.draft = e.detail.text;
          // Kept as it is typed: a restart or a crash loses nothing typed (drafts.ts bounds it).
          saveDraft(this.account, this.jid, e.detail.text);
          this.chatState?.input(e.detail.text);
        }}
        @xm-compose-send=${(e: CustomEvent<{ text: string }>) => void this.send(e.detail.text)}
      ></xm-composer>
      <xm-link-confirm></xm-link-confirm>`;
  }
}

/** Made once: a Segmenter costs more to create than the header costs to draw. */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first letter shown in the avatar (no control or format characters, no combining marks alone). */
function initial(name: string): string {
  const visible = name.replace(/[\p{Cc}\p{Cf}\s]/gu, '');
  const first = graphemes.segment(visible)[Symbol.iterator]().next().value?.segment ?? '?';
  return first.toLocaleUpperCase();
}

customElements.define('xm-conversation', XmConversation);

declare global {
  interface HTMLElementTagNameMap {
    'xm-conversation': XmConversation;
  }
  interface GlobalEventHandlersEventMap {
    'xm-conversation-back': CustomEvent<void>;
  }
}
