/**
 * The heavy roster operations cut into slices (issue 14 #2), on the same
 * connection as every other write. Measured at 50,000 contacts on this
 * project's VM (test/bench/apply-options-probe.ts): one transaction holds
 * the main thread 310-470 ms; a worker thread with its own connection keeps
 * the loop free only until the UI writes (an edit, the outbox), which then
 * waits on the worker's lock for 330 ms, synchronously; slices of ~8 ms
 * keep every task under ~20 ms and a UI write under 1 ms, for about twice
 * the wall time (still under a second), with no second thread to restart.
 *
 * - A full roster goes into a new generation, slice by slice; one short
 *   transaction then checks it landed whole and makes it current with its
 *   version. A crash before that leaves the old generation shown, whole.
 * - Generations no longer shown (the replaced one, a crashed write's) are
 *   deleted in slices: after each replace and when the profile is opened.
 * - A large snapshot is read in pages of the key, checked unchanged from
 *   the first page to the last (read again if a write came in between).
 */
import type { RosterItem, RosterSnapshot } from '../../../preload/contract.js';
import { AdaptiveBatch, yieldToLoop } from '../slices.js';
import type { RosterStore } from './roster-store.js';

/** A full roster being written into a generation of its own. */
export class RosterReplacement {
  readonly #store: RosterStore;
  readonly #account: string;
  readonly #generation: number;

  private constructor(store: RosterStore, account: string, generation: number) {
    this.#store = store;
    this.#account = account;
    this.#generation = generation;
  }

  /** Hands out the new generation (nothing shown changes). */
  static begin(store: RosterStore, account: string): RosterReplacement {
    return new RosterReplacement(store, account, store.allocate(account));
  }

  get generation(): number {
    return this.#generation;
  }

  /**
   * Maps and writes `inputs` in slices of about SLICE_MS each (mapping
   * included: at 50,000 contacts it costs about as much as the writes), a
   * transaction per slice, the loop given back in between. `toItem` returns
   * null for an input to skip. Rejects (leaving its rows hidden) on a write failure.
   */
  async write<T>(inputs: readonly T[], toItem: (input: T) => RosterItem | null): Promise<void> {
    const batch = new AdaptiveBatch({ initial: 256 });
    let next = 0;
    try {
      while (next < inputs.length) {
        batch.run((size) => {
          const end = Math.min(inputs.length, next + size);
          const items: RosterItem[] = [];
          for (; next < end; next++) {
            const item = toItem(inputs[next] as T);
            if (item) items.push(item);
          }
          this.#store.writeSlice(this.#account, this.#generation, items);
        });
        if (next < inputs.length) await yieldToLoop();
      }
    } catch (error) {
      this.abandon();
      throw error;
    }
  }

  /**
   * Makes the written generation current with `version` if it holds
   * `count` rows (one short transaction), then deletes the one it replaced
   * in the background. Throws, the old roster still shown, if rows are missing.
   */
  commit(count: number, version: string | null, log?: (message: string) => void): void {
    let previous: number;
    try {
      previous = this.#store.makeGenerationCurrent(this.#account, this.#generation, count, version);
    } catch (error) {
      this.abandon(log);
      throw error;
    }
    background(deleteGeneration(this.#store, this.#account, previous), log);
  }

  /** Gives up this write: its rows are deleted in the background. */
  abandon(log?: (message: string) => void): void {
    background(deleteGeneration(this.#store, this.#account, this.#generation), log);
  }
}

/** Rows per delete slice: a range of the key, ~2-4 ms each at 50,000. */
const DELETE_SLICE_ROWS = 1000;

/** Deletes a hidden generation's rows in slices; resolves with how many went. */
export async function deleteGeneration(store: RosterStore, account: string, generation: number): Promise<number> {
  const batch = new AdaptiveBatch({ initial: DELETE_SLICE_ROWS });
  let deleted = 0;
  for (;;) {
    await yieldToLoop();
    const n = batch.run((size) => store.deleteSlice(account, generation, size));
    deleted += n;
    if (n === 0) return deleted;
  }
}

/**
 * Deletes hidden generations (what a replaced roster, a forgotten account or
 * a killed write left), in slices: the account's, or every account's. Only
 * those present when it starts: a write begun later in this process is left alone.
 */
export async function deleteHiddenGenerations(store: RosterStore, account?: string): Promise<number> {
  const accounts = account === undefined ? store.accounts() : [account];
  const targets = accounts.flatMap((a) => store.hiddenGenerations(a).map((g) => [a, g] as const));
  let deleted = 0;
  for (const [a, generation] of targets) deleted += await deleteGeneration(store, a, generation);
  return deleted;
}

/** Reads beyond this many attempts fall back to one synchronous read (a write came in during each). */
const READ_ATTEMPTS = 3;

/**
 * The cached roster, as getSnapshot returns it, read in pages of about
 * SLICE_MS each. The same version, generation and data_version before the
 * first page and after the last mean no write came in between; otherwise it
 * is read again (READ_ATTEMPTS), then in one transaction.
 */
export async function readSnapshot(store: RosterStore, account: string): Promise<RosterSnapshot> {
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const mark = store.changeMark(account);
    const version = store.getVersion(account);
    const generation = store.generationOf(account);
    const batch = new AdaptiveBatch({ initial: 1000 });
    const items: RosterItem[] = [];
    for (let after = '', more = true; more;) {
      let asked = 0;
      const page = batch.run((size) => {
        asked = size;
        return store.readPage(account, generation, after, size);
      });
      for (const item of page) items.push(item);
      const last = page.at(-1);
      more = last !== undefined && page.length === asked;
      if (last) after = last.jid;
      if (more) await yieldToLoop();
    }
    if (store.changeMark(account) === mark) return { account, version, items };
  }
  return store.getSnapshot(account);
}

function background(work: Promise<unknown>, log?: (message: string) => void): void {
  // A closed database (the app quitting) or a full disk: the rows stay
  // hidden, and the sweep at the next open deletes them.
  work.catch((error: unknown) => {
    log?.(`roster cache: deleting rows no longer shown was put off: ${(error as Error).message}`);
  });
}
