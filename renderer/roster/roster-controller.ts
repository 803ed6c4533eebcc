import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorInfo, MessengerApi, MessengerEvent, RosterChange } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';
import { ORDER, RosterModel } from './roster-model.js';

/** Contacts per chunk of the rest of the roster: a few hundred KB per IPC message at most. */
export const CHUNK_SIZE = 2500;
/** The shortest row the list draws (a group header), for how many rows a window can show. */
const SHORTEST_ROW_PX = 36;
const MAX_PAGE_ROWS = 500;

export interface RosterControllerOptions {
  /** The groups the user folded: the first page leaves their members out (collapsed-groups.ts). */
  folded?: () => Iterable<string>;
}

/**
 * Keeps a host's roster current: the first page of the list when the host
 * connects (getRosterPage: the rows a window shows, in display order, with
 * every group's count), then the rest a chunk at a time (getRosterChunk),
 * and the change events applied as deltas throughout — never a refetch on
 * a push. Changes that arrive while the first page is in flight are queued
 * and replayed on top of it; changes that arrive while a chunk is in flight
 * are applied at once, since IPC keeps the order of a reply and the events
 * around it (upsert/remove are idempotent). A 'reset' (a full retrieval)
 * loads the list again the same way, the old list shown until the new
 * first page is there.
 */
export class RosterController implements ReactiveController {
  model: RosterModel | null = null;
  error: ErrorInfo | null = null;
  private queued: RosterChange[] | null = null;
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly messenger: () => MessengerApi | undefined,
    private readonly options: RosterControllerOptions = {},
  ) {
    host.addController(this);
    // Subscribes before load() asks for the first page, so no change falls in between.
    new MessengerEventsController(host, messenger, (event) => this.onEvent(event));
  }

  get loading(): boolean {
    return this.model === null && this.error === null;
  }

  hostConnected(): void {
    void this.load();
  }

  hostDisconnected(): void {
    this.generation += 1;
  }

  /** Loads the list from its first page; with keepShown the current list stays until that page is here. */
  async load(options: { keepShown?: boolean } = {}): Promise<void> {
    const messenger = this.messenger();
    if (!messenger) return;
    const generation = ++this.generation;
    if (!options.keepShown) this.model = null;
    this.error = null;
    this.queued = [];
    this.host.requestUpdate();
    const result = await messenger.getRosterPage({
      rows: rowsOnScreen(),
      folded: [...(this.options.folded?.() ?? [])],
      locale: ORDER.locale,
    });
    if (generation !== this.generation) return;
    const queued = this.queued;
    this.queued = null;
    if (result.ok) {
      this.model = RosterModel.fromPage(result.value);
      for (const change of queued) this.model.apply(change);
    } else {
      this.model = null;
      this.error = result.error;
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.dispatchEvent(
      new CustomEvent('xm-roster-loaded', { bubbles: true, composed: true, detail: { ok: result.ok } }),
    );
    if (!result.ok || generation !== this.generation) return;
    if (!result.value.complete) await this.loadRest(messenger, result.value.token, generation);
    else this.completed(generation);
  }

  /** Pulls the chunks after the first page, one at a time, into the model shown. */
  private async loadRest(messenger: MessengerApi, token: string, generation: number): Promise<void> {
    const model = this.model;
    let after: string | null = null;
    for (;;) {
      const result = await messenger.getRosterChunk({ token, after, limit: CHUNK_SIZE });
      // Superseded (a reset, a reload, the host gone): the newer load takes over.
      if (generation !== this.generation || this.model !== model || !model) return;
      if (!result.ok) {
        this.model = null;
        this.error = result.error;
        this.host.requestUpdate();
        return;
      }
      // Applied as soon as the reply is here, before any event that main sent after it.
      model.addChunk(result.value.items, result.value.next);
      if (result.value.next === null) model.finishLoad();
      this.host.requestUpdate();
      if (result.value.next === null) break;
      after = result.value.next;
    }
    await this.host.updateComplete;
    this.completed(generation);
  }

  private completed(generation: number): void {
    if (generation !== this.generation) return;
    this.host.dispatchEvent(new CustomEvent('xm-roster-complete', { bubbles: true, composed: true }));
    this.warmInIdleTime();
  }

  /** Lets the model put its groups in order and fold its search keys while nothing else happens (RosterModel.warm). */
  private warmInIdleTime(): void {
    const model = this.model;
    const generation = this.generation;
    if (!model) return;
    const step = (deadline: IdleDeadline | null): void => {
      if (this.model !== model || this.generation !== generation) return;
      // At least one piece of work per call, even when the browser ran us late because it is busy.
      let first = true;
      const until = performance.now() + 8;
      const hasTime = (): boolean => {
        if (first) return !(first = false);
        return deadline ? deadline.timeRemaining() > 1 : performance.now() < until;
      };
      if (!model.warm(hasTime)) whenIdle(step);
    };
    whenIdle(step);
  }

  private onEvent(event: MessengerEvent): void {
    if (event.type !== 'roster') return;
    const change = event.change;
    if (change.kind === 'reset') {
      // A whole new roster (also after a failed load): loaded again through the same pages.
      void this.load({ keepShown: true });
    } else if (this.queued) {
      this.queued.push(change);
    } else if (this.model) {
      this.model.apply(change);
      this.host.requestUpdate();
    }
  }
}

/** How many rows the window can show at most: the first page's size. */
function rowsOnScreen(): number {
  const height = typeof window === 'undefined' ? 0 : window.innerHeight;
  return Math.max(1, Math.min(MAX_PAGE_ROWS, Math.ceil((height || 800) / SHORTEST_ROW_PX) + 2));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xm-roster-loaded': CustomEvent<{ ok: boolean }>;
    /** The whole roster is in the list (the last chunk arrived). */
    'xm-roster-complete': CustomEvent<void>;
  }
}

function whenIdle(callback: (deadline: IdleDeadline | null) => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(callback, { timeout: 1000 });
  else setTimeout(() => callback(null), 16);
}
