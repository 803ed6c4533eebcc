import { html, nothing } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { PresenceStore } from './presence-store.js';
import { showWords } from './presence-words.js';

/**
 * A contact's presence inside its row: the dot and words, then the status
 * text (as text, bidi-isolated). Watches only its own JID in the store, so
 * a presence change redraws this part of one row and nothing else.
 */
class PresenceDirective extends AsyncDirective {
  private store: PresenceStore | null = null;
  private jid = '';
  private unwatch: (() => void) | null = null;

  render(store: PresenceStore | null, jid: string) {
    return renderPresence(store, jid);
  }

  override update(_part: unknown, [store, jid]: [PresenceStore | null, string]) {
    if (store !== this.store || jid !== this.jid || (!this.unwatch && this.isConnected)) {
      this.unwatch?.();
      this.store = store;
      this.jid = jid;
      this.unwatch =
        store && this.isConnected ? store.watch(jid, () => this.setValue(renderPresence(this.store, this.jid))) : null;
    }
    return this.render(store, jid);
  }

  protected override disconnected(): void {
    this.unwatch?.();
    this.unwatch = null;
  }

  protected override reconnected(): void {
    if (!this.store) return;
    this.unwatch = this.store.watch(this.jid, () => this.setValue(renderPresence(this.store, this.jid)));
    this.setValue(renderPresence(this.store, this.jid));
  }
}

function renderPresence(store: PresenceStore | null, jid: string) {
  const presence = store?.get(jid);
  const show = presence?.show ?? 'offline';
  const status = presence?.status?.trim() ? presence.status : null;
  return html`<span class="presence ${show}"
      ><span class="presence-dot" aria-hidden="true"></span><span class="presence-words">${showWords(show)}</span></span
    >${status ? html`<bdi class="status-text" title=${status}>${status}</bdi>` : nothing}`;
}

export const presenceOf = directive(PresenceDirective);
