/**
 * Store-only probe of the archive catch-up's write path (issue 10, speed):
 * N generated archive messages over 60 conversations stored through
 * MessageStore.storeArchivePage in pages of 100 (as ArchiveSync writes them),
 * on a fresh profile database that already holds 500 older messages, no
 * network, no parser. Prints the summed store time, the slowest page, and
 * the one-INSERT floor (./message-floors.ts) on the same messages: a quick,
 * low-noise figure to compare before and after a store change.
 *
 *   npx tsx test/bench/store-page-probe.ts [N]   (node --cpu-prof for a profile)
 */
import { rmSync } from 'node:fs';
import { databasePath } from '../../main/core/profile-paths.js';
import { openDatabase } from '../../main/core/store/database.js';
import { MessageStore } from '../../main/core/store/message-store.js';
import { tempDir } from '../support/roster-fixtures.js';
import { archiveItemsFor } from './archive-catchup-bench.js';
import { generateArchive } from './mam-archive.js';
import { messageInsertFloor } from './message-floors.js';

const OWN = 'juliet@localhost';
const CONTACTS = Array.from({ length: 60 }, (_, i) => `contact${i}@example.net`);
const DAY = 86_400_000;
const count = Number(process.argv[2] ?? 10_000);
const now = Date.UTC(2026, 11, 1, 12, 0);
const held = generateArchive({
  own: OWN,
  contacts: CONTACTS,
  count: 500,
  startTime: now - 30 * DAY,
  seed: 7,
  prefix: 'h',
});
const fresh = generateArchive({
  own: OWN,
  contacts: CONTACTS,
  count,
  startTime: now - 20 * DAY,
  seed: 11,
  prefix: 'n',
});
const heldItems = archiveItemsFor(held, OWN, `${OWN}/bench`, 'seed');
const freshItems = archiveItemsFor(fresh, OWN, `${OWN}/bench`, 'q');

const dir = tempDir('balcony-store-probe-');
const { db } = openDatabase(databasePath(dir));
try {
  const store = new MessageStore(db, OWN);
  store.storeArchivePage(heldItems, { cursor: { id: held.at(-1)!.archiveId, time: held.at(-1)!.time } });
  const cpu0 = process.cpuUsage();
  let total = 0;
  let slowest = 0;
  let added = 0;
  for (let i = 0; i < freshItems.length; i += 100) {
    const page = freshItems.slice(i, i + 100);
    const last = page.at(-1)!;
    const t = performance.now();
    const batch = store.storeArchivePage(page, { cursor: { id: last.archiveId!, time: last.archiveTime! } });
    const ms = performance.now() - t;
    total += ms;
    slowest = Math.max(slowest, ms);
    added += batch.added;
  }
  const cpu = process.cpuUsage(cpu0);
  const floor = messageInsertFloor(fresh, OWN);
  console.log(
    `store ${total.toFixed(0)} ms for ${added}/${count} new (slowest page ${slowest.toFixed(1)} ms); insert floor ${floor.toFixed(0)} ms; ratio ${(total / floor).toFixed(1)}x; cpu user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms`,
  );
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
