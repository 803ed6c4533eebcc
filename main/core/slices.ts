/**
 * Work cut into slices that give the event loop back between them (issue 14
 * #2): in the app the core runs in Electron's main process, where every IPC
 * answer, window move and menu waits while one task runs. The target is no
 * task over 50 ms at 50,000 contacts; a slice aims at a few milliseconds so
 * that GC pauses and the work around it stay well inside that.
 */

/** How long one slice of bulk work aims to take. */
export const SLICE_MS = 8;

/** Resolves in a later macrotask (after I/O callbacks waiting now), so the loop turns in between. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A batch size that follows the measured cost of the work: each batch is
 * timed and the next one sized to take about `targetMs`, within [min, max].
 * Timing once per batch rather than per item keeps the clock off hot loops.
 */
export class AdaptiveBatch {
  #size: number;
  readonly #targetMs: number;
  readonly #min: number;
  readonly #max: number;

  constructor(options: { initial: number; min?: number; max?: number; targetMs?: number }) {
    this.#size = options.initial;
    this.#min = options.min ?? 16;
    this.#max = options.max ?? 20_000;
    this.#targetMs = options.targetMs ?? SLICE_MS;
  }

  get size(): number {
    return this.#size;
  }

  /** Runs one batch (the callback gets the size to take) and sizes the next from its duration. */
  run<T>(batch: (size: number) => T): T {
    const started = performance.now();
    const result = batch(this.#size);
    const took = performance.now() - started;
    // Grow by at most 2x a step: one fast batch (a warm cache) must not make the next one huge.
    const scaled = took > 0 ? Math.floor((this.#size * this.#targetMs) / took) : this.#size * 2;
    this.#size = Math.max(this.#min, Math.min(this.#max, Math.min(scaled, this.#size * 2)));
    return result;
  }
}
