/**
 * Issue 14 #1, main's side alone: getRosterPage (RosterPages.firstPage) over
 * a real SQLite cache of N generated contacts, 10 runs, and the longest
 * synchronous step between its yields. No server, no browser: what the
 * renderer bench's warm start spends in the core for the first page.
 *
 *   npx tsx test/bench/first-page-bench.ts [--sizes 50000,100000]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RosterPages } from '../../main/core/roster/roster-pages.js';
import { openDatabase } from '../../main/core/store/database.js';
import { OutboxStore } from '../../main/core/store/outbox-store.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { ORDER } from '../../renderer/roster/roster-model.js';
import { tempDir } from '../support/roster-fixtures.js';
import { generateRoster } from './prosody-roster.js';

const ACCOUNT = 'bench@localhost';
const RUNS = 10;
const sizesArg = process.argv.indexOf('--sizes');
const sizes = (sizesArg > 0 ? (process.argv[sizesArg + 1] ?? '') : '50000').split(',').map(Number);

for (const n of sizes) {
  const dir = tempDir('balcony-bench-first-page-');
  const { db } = openDatabase(join(dir, 'balcony.sqlite'));
  try {
    const store = new RosterStore(db);
    store.replaceAll(ACCOUNT, generateRoster(n), 'bench-1');
    let mark = 0;
    let longest = 0;
    const pages = new RosterPages({
      account: ACCOUNT,
      store,
      outbox: new OutboxStore(db),
      yieldNow: () => {
        longest = Math.max(longest, performance.now() - mark);
        return new Promise((resolve) =>
          setImmediate(() => {
            mark = performance.now();
            resolve();
          }),
        );
      },
    });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      mark = start;
      await pages.firstPage({ rows: 40, folded: [], locale: ORDER.locale });
      const end = performance.now();
      longest = Math.max(longest, end - mark);
      times.push(end - start);
    }
    times.sort((a, b) => a - b);
    const ms = (x: number): string => x.toFixed(1);
    console.log(
      `N=${n}: getRosterPage (40 rows) median ${ms(times[RUNS >> 1]!)} ms, min ${ms(times[0]!)}, max ${ms(times.at(-1)!)}; longest synchronous step ${ms(longest)} ms`,
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
