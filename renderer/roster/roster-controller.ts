import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorInfo, MessengerApi, MessengerEvent, RosterChange } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';
import { RosterModel } from './roster-model.js';

/**
 * Keeps a host's roster current: one getRoster() snapshot when the host
 * connects, then the change events applied as deltas — never a refetch on a
 * push. Changes that arrive while the snapshot is in flight are queued and
 * replayed on top of it (upsert/remove are idempotent).
 */
export class RosterController implements ReactiveController {
  model: RosterModel | null = null;
  error: ErrorInfo | null = null;
  private queued: RosterChange[] | null = null;
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly messenger: () => MessengerApi | undefined,
  ) {
    host.addController(this);
    // Subscribes before load() asks for the snapshot, so no change falls in between.
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

  async load(): Promise<void> {
    const messenger = this.messenger();
    if (!messenger) return;
    const generation = ++this.generation;
    this.model = null;
    this.error = null;
    this.queued = [];
    this.host.requestUpdate();
    const result = await messenger.getRoster();
    if (generation !== this.generation) return;
    const queued = this.queued;
    this.queued = null;
    if (result.ok) {
      this.model = new RosterModel(result.value);
      for (const change of queued) this.model.apply(change);
    } else {
      this.error = result.error;
    }
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.dispatchEvent(
      new CustomEvent('xm-roster-loaded', { bubbles: true, composed: true, detail: { ok: result.ok } }),
    );
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
    if (this.queued) this.queued.push(event.change);
    else if (this.model) {
      this.model.apply(event.change);
      this.host.requestUpdate();
    } else if (event.change.kind === 'replace') {
      // A whole new roster after a failed load is as good as a successful one.
      this.model = new RosterModel(event.change.snapshot);
      this.error = null;
      this.host.requestUpdate();
    }
    if (event.change.kind === 'replace' && !this.queued) this.warmInIdleTime();
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'xm-roster-loaded': CustomEvent<{ ok: boolean }>;
  }
}

function whenIdle(callback: (deadline: IdleDeadline | null) => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(callback, { timeout: 1000 });
  else setTimeout(() => callback(null), 16);
}
