/**
 * Cold start offline, in a fresh process: import the store, open the profile
 * database (openDatabase: header check, quick_check, WAL, migrations),
 * build the RosterStore, read the snapshot, and take the first screen of
 * contacts (50 items). Prints one JSON line with its own timings.
 *
 * usage: node cold-start-child.js <database file> <account>
 *
 * All times are performance.now() values, i.e. milliseconds since this
 * process's time origin (its start), so `first50Ms` includes Node's own
 * bootstrap; `inScript*` figures start at this module's first line.
 */
const scriptStartMs = performance.now();

const [file, account] = process.argv.slice(2);
if (!file || !account) {
  console.error('usage: cold-start-child.js <database file> <account>');
  process.exit(2);
}

const { openDatabase } = await import('../../main/core/store/database.js');
const { RosterStore } = await import('../../main/core/store/roster-store.js');
const importedMs = performance.now();

const { db } = openDatabase(file);
const openedMs = performance.now();
const store = new RosterStore(db);
const storeMs = performance.now();
const snapshot = store.getSnapshot(account);
const snapshotMs = performance.now();
// The store returns items in jid order: the first screen in that order is a slice.
const first50 = snapshot.items.slice(0, 50);
const first50Ms = performance.now();

// The renderer shows contacts by label with this collator (renderer/roster/roster-model.ts,
// RosterModel.entries). Replicated here, not imported (renderer code is not compiled for Node):
// what the renderer will pay on top of the snapshot to know its first 50 rows.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const labelled = snapshot.items.map((item) => ({
  item,
  label: item.name !== null && item.name.trim() !== '' ? item.name : item.jid,
}));
labelled.sort((a, b) => collator.compare(a.label, b.label) || collator.compare(a.item.jid, b.item.jid));
const firstByLabel = labelled.slice(0, 50);
const labelSortedMs = performance.now();

/**
 * TODO(renderer): hook for "first contacts painted". When the renderer
 * benchmark exists, it measures from process start to the first frame that
 * shows contacts and reports it here; until then the value is null.
 */
function measureRendererFirstPaint(): number | null {
  return null;
}
const rendererFirstPaintMs = measureRendererFirstPaint();

// Diagnostic (after the measured path, so caches are warm now): what
// openDatabase's integrity check costs on this file by itself.
const qcStart = performance.now();
db.pragma('quick_check');
const quickCheckMs = performance.now() - qcStart;
db.close();

console.log(
  JSON.stringify({
    items: snapshot.items.length,
    first50: first50.length,
    firstByLabel: firstByLabel.length,
    nodeBootstrapMs: scriptStartMs,
    importMs: importedMs - scriptStartMs,
    openDatabaseMs: openedMs - importedMs,
    rosterStoreMs: storeMs - openedMs,
    getSnapshotMs: snapshotMs - storeMs,
    first50Ms,
    inScriptFirst50Ms: first50Ms - scriptStartMs,
    labelSortMs: labelSortedMs - first50Ms,
    rendererFirstPaintMs,
    quickCheckWarmMs: quickCheckMs,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
