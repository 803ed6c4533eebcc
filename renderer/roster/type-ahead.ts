import { fold } from './fold.js';

/** Letters typed within this long of each other make one search. */
export const TYPE_AHEAD_MS = 700;

/**
 * The letters typed so far for a type-ahead search in a list: a pause starts
 * a new search; the same letter typed again means "the next one starting
 * with it" (as in file managers and Gajim's roster).
 */
export class TypeAhead {
  private typed = '';
  private at = -Infinity;

  /**
   * Adds `key` (one character) typed at `now` (ms). Returns what to look for (folded) and whether to start after the
   * current item (a new search, or one letter repeated) or at it (a longer prefix of the same search).
   */
  push(key: string, now: number): { prefix: string; fromNext: boolean } {
    this.typed = now - this.at > TYPE_AHEAD_MS ? key : this.typed + key;
    this.at = now;
    const repeated = /^(.)\1+$/su.test(this.typed);
    if (repeated) return { prefix: fold(key), fromNext: true };
    return { prefix: fold(this.typed), fromNext: this.typed.length === 1 };
  }

  /** Ends the search (another key was used: moving by arrows starts the next search afresh). */
  reset(): void {
    this.typed = '';
  }

  /** True while a search is going on (a space then belongs to it instead of acting on the row). */
  active(now: number): boolean {
    return this.typed !== '' && now - this.at <= TYPE_AHEAD_MS;
  }
}

/** True for a key that may start a type-ahead search: one letter or digit, no modifier but Shift. */
export function startsTypeAhead(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey && /^[\p{L}\p{N}]$/u.test(event.key);
}
