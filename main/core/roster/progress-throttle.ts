/**
 * At most one progress report per interval: a large roster result arrives in
 * thousands of chunks, and each report crosses IPC and redraws a bar. The
 * first sample goes out at once (the user sees something is happening), the
 * later ones at most every `intervalMs`; the newest sample held back goes out
 * when its interval ends, so a pause in the transfer never leaves an old count
 * on screen.
 */

export interface ThrottleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: ThrottleClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Why 250 ms: four redraws a second read as live, and cost nothing next to the transfer. */
export const PROGRESS_INTERVAL_MS = 250;

export class ProgressThrottle<T> {
  readonly #emit: (sample: T) => void;
  readonly #intervalMs: number;
  readonly #clock: ThrottleClock;
  #lastAt = Number.NEGATIVE_INFINITY;
  #held: { sample: T } | null = null;
  #timer: unknown = null;
  #stopped = false;

  constructor(emit: (sample: T) => void, options: { intervalMs?: number; clock?: ThrottleClock } = {}) {
    this.#emit = emit;
    this.#intervalMs = options.intervalMs ?? PROGRESS_INTERVAL_MS;
    this.#clock = options.clock ?? REAL_CLOCK;
  }

  /** A new sample; reported now, or when the current interval ends (only the newest is kept). */
  push(sample: T): void {
    if (this.#stopped) return;
    const wait = this.#lastAt + this.#intervalMs - this.#clock.now();
    if (wait <= 0 && this.#timer === null) {
      this.#report(sample);
      return;
    }
    this.#held = { sample };
    this.#timer ??= this.#clock.setTimeout(
      () => {
        this.#timer = null;
        const held = this.#held;
        this.#held = null;
        if (held && !this.#stopped) this.#report(held.sample);
      },
      Math.max(wait, 0),
    );
  }

  /** Nothing more is reported, not even a held sample (the transfer is over). */
  stop(): void {
    this.#stopped = true;
    this.#held = null;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #report(sample: T): void {
    this.#lastAt = this.#clock.now();
    this.#emit(sample);
  }
}
