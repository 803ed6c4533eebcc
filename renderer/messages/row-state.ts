import { html, nothing } from 'lit';
import { AsyncDirective, PartType, directive, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import type { ContactPresence, ConversationSummary } from '../../preload/contract.js';
import type { PresenceStore } from '../presence/presence-store.js';
import { firstLine, type ConversationSummaries } from './conversation-summaries.js';

/** Something rows watch one JID of: the presence store, the conversation summaries. */
interface Watchable {
  watch(jid: string, callback: () => void): () => void;
}

/** Watches one JID in up to two stores; `changed` runs when either reports it. */
abstract class JidWatch extends AsyncDirective {
  private watched: (Watchable | null)[] = [];
  protected jid = '';
  private unwatch: (() => void)[] = [];

  protected watchFor(stores: (Watchable | null)[], jid: string): void {
    const same =
      jid === this.jid && stores.length === this.watched.length && stores.every((s, i) => s === this.watched[i]);
    if (same && (this.unwatch.length > 0 || !this.isConnected)) return;
    this.stop();
    this.watched = stores;
    this.jid = jid;
    if (this.isConnected) this.start();
  }

  private start(): void {
    for (const store of this.watched) if (store) this.unwatch.push(store.watch(this.jid, () => this.changed()));
  }

  private stop(): void {
    for (const stop of this.unwatch) stop();
    this.unwatch = [];
  }

  protected abstract changed(): void;

  protected override disconnected(): void {
    this.stop();
  }

  protected override reconnected(): void {
    this.start();
    this.changed();
  }
}

export type DescribeRow = (presence: ContactPresence | undefined, summary: ConversationSummary | undefined) => string;

/**
 * On a contact row element: keeps its accessible name (`describe`, which
 * says the unread count), `data-show` (the availability, for styling) and
 * `data-preview` (a last line is shown: the row is two lines tall) in step
 * with the contact's presence and conversation, without drawing the row
 * again.
 */
class RowStateDirective extends JidWatch {
  private element: Element | null = null;
  private presence: PresenceStore | null = null;
  private summaries: ConversationSummaries | null = null;
  private describe: DescribeRow = () => '';
  private preview = false;

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('rowState goes on an element');
  }

  render(
    _presence: PresenceStore | null,
    _summaries: ConversationSummaries | null,
    _jid: string,
    _describe: DescribeRow,
    _preview: boolean,
  ) {
    return nothing;
  }

  override update(
    part: ElementPart,
    [presence, summaries, jid, describe, preview]: Parameters<RowStateDirective['render']>,
  ) {
    this.element = part.element;
    this.presence = presence;
    this.summaries = summaries;
    this.describe = describe;
    this.preview = preview;
    this.watchFor([presence, summaries], jid);
    this.changed();
    return nothing;
  }

  protected changed(): void {
    const element = this.element;
    if (!element) return;
    const presence = this.presence?.get(this.jid);
    const summary = this.summaries?.get(this.jid);
    // Written only when they change: a row drawn again (its position moved) is then not restyled for nothing.
    const label = this.describe(presence, summary);
    const show = presence?.show ?? 'offline';
    if (element.getAttribute('aria-label') !== label) element.setAttribute('aria-label', label);
    if (element.getAttribute('data-show') !== show) element.setAttribute('data-show', show);
    const previewed = this.preview && summary?.last != null;
    if (element.hasAttribute('data-preview') !== previewed) element.toggleAttribute('data-preview', previewed);
    const unread = (summary?.unread ?? 0) > 0;
    if (element.hasAttribute('data-unread') !== unread) element.toggleAttribute('data-unread', unread);
  }
}

export const rowState = directive(RowStateDirective);

/** What part of a conversation a row shows at a spot: the unread badge, or the last message's first line. */
export type SummaryPart = 'unread' | 'last';

class SummaryDirective extends JidWatch {
  private summaries: ConversationSummaries | null = null;
  private part: SummaryPart = 'unread';

  render(summaries: ConversationSummaries | null, jid: string, part: SummaryPart) {
    return renderSummary(summaries?.get(jid), part);
  }

  override update(_part: unknown, [summaries, jid, part]: Parameters<SummaryDirective['render']>) {
    this.summaries = summaries;
    this.part = part;
    this.watchFor([summaries], jid);
    return this.render(summaries, jid, part);
  }

  protected changed(): void {
    this.setValue(renderSummary(this.summaries?.get(this.jid), this.part));
  }
}

function renderSummary(summary: ConversationSummary | undefined, part: SummaryPart) {
  if (part === 'unread') {
    const unread = summary?.unread ?? 0;
    // Said in the row's name ("3 unread messages"); the badge is for the eye.
    return unread > 0
      ? html`<span class="unread" aria-hidden="true">${unread > 999 ? '999+' : unread}</span>`
      : nothing;
  }
  const last = summary?.last;
  if (!last) return nothing;
  const line = firstLine(last.body);
  // The sender's words in their own direction (dir=auto); "You:" stays outside them, in the page's.
  return html`<div class="preview">
    ${last.direction === 'out' ? html`<span class="you">You: </span>` : nothing}<bdi dir="auto" class="preview-text"
      >${line}</bdi
    >
  </div>`;
}

/** A contact's conversation inside its row: its unread badge, or its last line; each redrawn alone when it changes. */
export const summaryOf = directive(SummaryDirective);
