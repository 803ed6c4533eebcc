import type { Placement } from './conversation-model.js';

/** At most this many entries are drawn at once, wherever the view is in a long conversation. */
export const MAX_DRAWN = 250;
/** How many entries a step up or down the loaded history draws (and a page asks the store for). */
export const STEP = 50;

/**
 * Which slice [from, to) of the loaded entries is drawn. A conversation of
 * 100,000 messages stays a few hundred elements: scrolling up draws older
 * loaded entries (or asks for a page) and drops the newest drawn ones past
 * MAX_DRAWN; scrolling back down draws them again. `following` means the
 * slice ends at the newest entry, so live messages join it.
 */
export class HistoryWindow {
  from = 0;
  to = 0;

  get size(): number {
    return this.to - this.from;
  }

  /** The slice is at the newest end of `length` loaded entries. */
  following(length: number): boolean {
    return this.to >= length;
  }

  /** The newest `STEP` (a freshly opened conversation). */
  showNewest(length: number): void {
    this.to = length;
    this.from = Math.max(0, length - STEP);
  }

  /** `count` entries were put before everything loaded (an older page). */
  prepended(count: number): void {
    this.from += count;
    this.to += count;
  }

  /** Draws up to STEP older loaded entries; says whether anything changed. */
  growUp(): boolean {
    if (this.from === 0) return false;
    this.from = Math.max(0, this.from - STEP);
    if (this.size > MAX_DRAWN) this.to = this.from + MAX_DRAWN;
    return true;
  }

  /** Draws up to STEP newer loaded entries. */
  growDown(length: number): boolean {
    if (this.to >= length) return false;
    this.to = Math.min(length, this.to + STEP);
    if (this.size > MAX_DRAWN) this.from = this.to - MAX_DRAWN;
    return true;
  }

  /** Draws the slice around entry `index` (a search hit). */
  around(index: number, length: number): void {
    this.from = Math.max(0, index - Math.floor(STEP / 2));
    this.to = Math.min(length, this.from + STEP);
    this.from = Math.max(0, Math.min(this.from, this.to - STEP));
  }

  /**
   * Keeps the slice on the same entries after an upsert moved one. A new
   * entry at the newest end joins the slice when it was following.
   */
  placed({ removedAt, insertedAt }: Placement, lengthBefore: number): void {
    if (removedAt === insertedAt && removedAt >= 0) return;
    const wasFollowing = this.following(lengthBefore);
    if (removedAt >= 0) {
      if (removedAt < this.from) {
        this.from--;
        this.to--;
      } else if (removedAt < this.to) this.to--;
    }
    if (insertedAt < 0) return;
    if (insertedAt < this.from) {
      this.from++;
      this.to++;
    } else if (insertedAt < this.to || (wasFollowing && insertedAt === this.to)) this.to++;
    if (this.size > MAX_DRAWN && wasFollowing) this.from = this.to - MAX_DRAWN;
  }
}
