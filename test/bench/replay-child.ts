/**
 * Offline replay of a kept first-login result (roster-bench --keep <dir>),
 * for profiling the client side alone:
 *
 *   node --cpu-prof --cpu-prof-dir=prof dist/test/bench/replay-child.js <dir>/result-50000.json [reps]
 *   node dist/test/bench/profile-summary.js prof/<file>.cpuprofile
 */
import { readFileSync } from 'node:fs';
import { median, round } from './bench-util.js';
import { insertFloor, parseFloor, replayClientPath } from './replay.js';

const [file, repsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: replay-child.js <result-N.json> [reps]');
  process.exit(2);
}
const reps = Math.min(Math.max(Number(repsArg ?? 5) || 5, 1), 50);
const chunks = JSON.parse(readFileSync(file, 'utf8')) as string[];
const runs = [];
for (let rep = 0; rep < reps; rep++) runs.push(await replayClientPath(chunks, 'juliet@localhost'));
const items = runs[0]!.items;
const floors = {
  parse: median(Array.from({ length: reps }, () => parseFloor(chunks))),
  insert: median(Array.from({ length: reps }, () => insertFloor(items, 'juliet@localhost'))),
};
console.log(
  JSON.stringify({
    items: items.length,
    parseMs: round(median(runs.map((r) => r.parseMs))),
    applyMs: round(median(runs.map((r) => r.applyMs))),
    storeMs: round(median(runs.map((r) => r.storeMs))),
    snapshotMs: round(median(runs.map((r) => r.snapshotMs))),
    floorParseMs: round(floors.parse),
    floorInsertMs: round(floors.insert),
  }),
);
