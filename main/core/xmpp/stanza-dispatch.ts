/**
 * Incoming stanzas handled with a time budget (issue 14 #2). The parser
 * reads a socket chunk (up to 64 KiB: some 400 roster pushes) in one go, and
 * each stanza's handlers used to run inside that read, so a burst ran as
 * one long task of the main process. Here every parser event goes through
 * one FIFO: run at once while the current task has used less than
 * DISPATCH_BUDGET_MS, otherwise left for the next macrotask (setImmediate,
 * so I/O and IPC get their turn in between). Order is kept across all
 * events ('start', 'element', 'error', 'end'): a stanza is never handled
 * after the error or the stream end that followed it.
 *
 * A server that sends faster than the handlers keep up (a flood) would grow
 * the queue without end: past BACKLOG_HIGH events the socket is paused, so
 * TCP pushes back on the server, and resumed once the queue is down to
 * BACKLOG_LOW. The queue then holds at most BACKLOG_HIGH events plus what
 * one chunk holds.
 */

/** Time a task may spend handling stanzas before the rest waits for the next one. */
export const DISPATCH_BUDGET_MS = 10;
/** Queued events at which reading from the socket stops. */
export const BACKLOG_HIGH = 2000;
/** Queued events at which reading starts again. */
export const BACKLOG_LOW = 200;

/** What the queue saw, for tests and diagnosis. */
export interface DispatchStats {
  queued: number;
  /** The longest the queue has been. */
  maxQueued: number;
  /** How many times reading was paused. */
  pauses: number;
  /** Times the budget ran out with events still queued (each left for a later task). */
  cuts: number;
}

export class DispatchQueue {
  #events: ((() => void) | undefined)[] = [];
  #head = 0;
  #taskStart = 0;
  #running = false;
  #scheduled = false;
  #paused = false;
  readonly #stats: DispatchStats = { queued: 0, maxQueued: 0, pauses: 0, cuts: 0 };
  readonly #onFailure: (error: unknown) => void;
  /** Told when reading should stop (true) and start again (false). */
  backpressure: ((pause: boolean) => void) | null = null;

  /** `onFailure`: a handler threw; the queue has already dropped what was left in it. */
  constructor(onFailure: (error: unknown) => void) {
    this.#onFailure = onFailure;
  }

  /** A new task begins (a socket chunk is about to be read): its budget starts now, unless a drain is pending. */
  beginTask(): void {
    if (!this.#running && !this.#scheduled) this.#taskStart = performance.now();
  }

  get length(): number {
    return this.#events.length - this.#head;
  }

  stats(): DispatchStats {
    return { ...this.#stats, queued: this.length };
  }

  /** Queues one event's handling; runs it (and what waits before it) now if the budget allows. */
  push(run: () => void): void {
    this.#events.push(run);
    const length = this.length;
    if (length > this.#stats.maxQueued) this.#stats.maxQueued = length;
    if (length > BACKLOG_HIGH && !this.#paused) {
      this.#paused = true;
      this.#stats.pauses++;
      this.backpressure?.(true);
    }
    if (!this.#running && !this.#scheduled) this.#drain();
  }

  /** Forgets what is queued (the stream was let go of), and lets reading go on. */
  clear(): void {
    this.#events = [];
    this.#head = 0;
    this.#release();
  }

  #drain(): void {
    this.#running = true;
    try {
      while (this.#head < this.#events.length) {
        if (performance.now() - this.#taskStart >= DISPATCH_BUDGET_MS) {
          this.#stats.cuts++;
          this.#schedule();
          return;
        }
        const run = this.#events[this.#head];
        this.#events[this.#head++] = undefined;
        try {
          run?.();
        } catch (error) {
          this.clear();
          this.#onFailure(error);
        }
        if (this.length <= BACKLOG_LOW) this.#release();
        // Drop the handled front now and then: a flood that never lets the queue run dry must not grow it.
        if (this.#head >= 4096 && this.#head * 2 >= this.#events.length) {
          this.#events = this.#events.slice(this.#head);
          this.#head = 0;
        }
      }
      this.#events = [];
      this.#head = 0;
    } finally {
      this.#running = false;
    }
  }

  #schedule(): void {
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#taskStart = performance.now();
      this.#drain();
    });
  }

  #release(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.backpressure?.(false);
  }
}
