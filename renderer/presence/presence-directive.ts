import { html, nothing } from 'lit';
import { AsyncDirective, PartType, directive, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import type { ContactPresence } from '../../preload/contract.js';
import type { PresenceStore } from './presence-store.js';
import { showWords } from './presence-words.js';

/**
 * Watches one JID in the store and draws again only its own part when that
 * contact's presence changes: a presence change redraws part of one row and
 * nothing else.
 */
abstract class PresenceWatch extends AsyncDirective {
  protected store: PresenceStore | null = null;
  protected jid = '';
  private unwatch: (() => void) | null = null;

  /** Starts (or moves) the watch; true when the store or JID changed. */
  protected watchFor(store: PresenceStore | null, jid: string): void {
    if (store !== this.store || jid !== this.jid || (!this.unwatch && this.isConnected)) {
      this.unwatch?.();
      this.store = store;
      this.jid = jid;
      this.unwatch = store && this.isConnected ? store.watch(jid, () => this.changed()) : null;
    }
  }

  protected get presence(): ContactPresence | undefined {
    return this.store?.get(this.jid);
  }

  /** The contact's presence changed. */
  protected abstract changed(): void;

  protected override disconnected(): void {
    this.unwatch?.();
    this.unwatch = null;
  }

  protected override reconnected(): void {
    if (!this.store) return;
    this.unwatch = this.store.watch(this.jid, () => this.changed());
    this.changed();
  }
}

/** Which part of a contact's presence a row shows at a spot: the dot (with its words for screen readers) or the status text. */
export type PresencePart = 'dot' | 'status';

class PresenceDirective extends PresenceWatch {
  private part: PresencePart = 'dot';

  render(store: PresenceStore | null, jid: string, part: PresencePart = 'dot') {
    return renderPresence(store?.get(jid), part);
  }

  override update(_part: unknown, [store, jid, part = 'dot']: [PresenceStore | null, string, PresencePart?]) {
    this.part = part;
    this.watchFor(store, jid);
    return this.render(store, jid, part);
  }

  protected changed(): void {
    this.setValue(renderPresence(this.presence, this.part));
  }
}

function renderPresence(presence: ContactPresence | undefined, part: PresencePart) {
  const show = presence?.show ?? 'offline';
  if (part === 'dot') {
    return html`<span class="presence ${show}" title=${showWords(show)}
      ><span class="presence-dot" aria-hidden="true"></span><span class="presence-words">${showWords(show)}</span></span
    >`;
  }
  const status = presence?.status?.trim() ? presence.status : null;
  // The separator sits outside the isolated text, so it stays between name and status whatever their direction.
  return status
    ? html`<span class="status"
        ><span class="sep" aria-hidden="true">—</span><bdi class="status-text" title=${status}>${status}</bdi></span
      >`
    : nothing;
}

/** A contact's presence inside its row: the dot and words (the default), or the status text (bidi-isolated). */
export const presenceOf = directive(PresenceDirective);

/**
 * On a row element: keeps its accessible name (`describe(presence)`) and its
 * `data-show` (the availability, for styling) in step with the contact's presence.
 */
class RowPresenceDirective extends PresenceWatch {
  private element: Element | null = null;
  private describe: (presence: ContactPresence | undefined) => string = () => '';

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('rowPresence goes on an element');
  }

  render(_store: PresenceStore | null, _jid: string, _describe: (presence: ContactPresence | undefined) => string) {
    return nothing;
  }

  override update(
    part: ElementPart,
    [store, jid, describe]: [PresenceStore | null, string, (presence: ContactPresence | undefined) => string],
  ) {
    this.element = part.element;
    this.describe = describe;
    this.watchFor(store, jid);
    this.changed();
    return nothing;
  }

  protected changed(): void {
    const presence = this.presence;
    const element = this.element;
    if (!element) return;
    // Written only when they change: a row drawn again (its position moved) is then not restyled for nothing.
    const label = this.describe(presence);
    const show = presence?.show ?? 'offline';
    if (element.getAttribute('aria-label') !== label) element.setAttribute('aria-label', label);
    if (element.getAttribute('data-show') !== show) element.setAttribute('data-show', show);
  }
}

export const rowPresence = directive(RowPresenceDirective);
