/**
 * Child process for test/integration/crash-safety.test.ts: writes rosters and
 * pushes into a real database file as fast as it can until it is SIGKILLed.
 * Every version it stores encodes the item count and a checksum of the items
 * it is stored with, so the parent can tell from the file alone whether a
 * version ever landed without its items.
 *
 * Usage: node --import tsx crash-child.ts <db-file> <run-number> [sliced]
 * Prints (synchronously, so nothing is lost on SIGKILL): "ready", then
 * "B <version>" before each write and "C <version>" after its commit.
 * With `sliced` (issue 14 #2) each full roster is written as the app does:
 * in slices into a new generation (RosterReplacement), made current in one
 * short transaction, the old generation deleted in slices afterwards; with
 * pushes landing between those slices as they would from the network, and
 * a sweep of hidden generations at start, as a RosterService does.
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RosterItem } from '../../preload/contract.js';
import { openDatabase } from '../../main/core/store/database.js';
import { RosterReplacement, deleteHiddenGenerations } from '../../main/core/store/roster-replacement.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { seededRandom } from './seeded-random.js';

export const CRASH_ACCOUNT = 'crash@example.org';
const ROSTER_SIZE = 5000;
/** Sliced writes take longer per item: a larger roster makes a kill land mid-write most of the time. */
export const SLICED_ROSTER_SIZE = 20_000;
const PUSHES_PER_ROSTER = 40;
const MASK = (1n << 64n) - 1n;

function itemHash(item: RosterItem): bigint {
  const text = JSON.stringify([item.jid, item.name, item.subscription, item.ask, item.approved, item.groups]);
  return BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
}

/**
 * Order-independent (a sum of item hashes), so the child can keep it up to
 * date push by push and the parent can compute it from rows in any order.
 */
export function rosterChecksum(items: Iterable<RosterItem>): string {
  let sum = 0n;
  for (const item of items) sum = (sum + itemHash(item)) & MASK;
  return sum.toString(16);
}

/** `<tag>-<count>-<checksum>`; the tag keeps versions unique. */
export function versionFor(tag: string, count: number, checksum: string): string {
  return `${tag}-${count}-${checksum}`;
}

export function parseVersion(version: string): { count: number; checksum: string } {
  const match = /-(\d+)-([0-9a-f]+)$/.exec(version);
  if (!match) throw new Error(`not a crash-test version: ${version}`);
  return { count: Number(match[1]), checksum: match[2]! };
}

const SUBSCRIPTIONS = ['none', 'to', 'from', 'both'] as const;

function makeItem(n: number, label: string, rand: () => number): RosterItem {
  return {
    jid: `c${n}@crash.example`,
    name: rand() < 0.1 ? null : `Contact ${n} ${label}`,
    subscription: SUBSCRIPTIONS[Math.floor(rand() * 4)]!,
    ask: rand() < 0.2 ? 'subscribe' : null,
    approved: rand() < 0.3,
    groups: rand() < 0.5 ? ['Friends', `G${n % 7}`].sort() : [],
  };
}

function mark(line: string): void {
  writeSync(1, `${line}\n`);
}

async function run(dbFile: string, runNumber: number, sliced: boolean): Promise<never> {
  const { db } = openDatabase(dbFile);
  const store = new RosterStore(db);
  const rand = seededRandom(runNumber);
  // What the killed runs before left hidden goes in the background, as at a RosterService's start.
  if (sliced) void deleteHiddenGenerations(store, CRASH_ACCOUNT);
  mark('ready');
  const size = sliced ? SLICED_ROSTER_SIZE : ROSTER_SIZE;
  for (let gen = 1; ; gen++) {
    // About a tenth of the contacts differ between generations, so every
    // full replace also deletes rows.
    const roster = new Map<string, RosterItem>();
    for (let n = 0; roster.size < size; n++) {
      if (rand() < 0.9) roster.set(`c${n}@crash.example`, makeItem(n, `r${runNumber}g${gen}`, rand));
    }
    let sum = BigInt(`0x${rosterChecksum(roster.values())}`);
    let version = versionFor(`r${runNumber}.${gen}`, roster.size, sum.toString(16));
    mark(`B ${version}`);
    if (sliced) {
      const replacement = RosterReplacement.begin(store, CRASH_ACCOUNT);
      mark(`S ${replacement.generation}`);
      await replacement.write([...roster.values()], (item) => item);
      replacement.commit(roster.size, version); // the old generation is deleted in slices from here
    } else {
      store.replaceAll(CRASH_ACCOUNT, [...roster.values()], version);
    }
    mark(`C ${version}`);

    for (let p = 0; p < PUSHES_PER_ROSTER; p++) {
      const n = Math.floor(rand() * ROSTER_SIZE * 1.2);
      const jid = `c${n}@crash.example`;
      const old = roster.get(jid);
      if (old) sum = (sum - itemHash(old)) & MASK;
      let change: Parameters<RosterStore['applyPush']>[1];
      if (old && rand() < 0.3) {
        roster.delete(jid);
        change = { kind: 'remove', jid };
      } else {
        const item = makeItem(n, `r${runNumber}g${gen}p${p}`, rand);
        roster.set(jid, item);
        sum = (sum + itemHash(item)) & MASK;
        change = { kind: 'upsert', item };
      }
      version = versionFor(`r${runNumber}.${gen}.${p}`, roster.size, sum.toString(16));
      mark(`B ${version}`);
      store.applyPush(CRASH_ACCOUNT, change, version);
      mark(`C ${version}`);
      // Pushes come from the network: the deletion of the replaced generation runs in between.
      if (sliced) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dbFile, runNumber, mode] = process.argv.slice(2);
  if (!dbFile || !runNumber) throw new Error('usage: crash-child.ts <db-file> <run-number> [sliced]');
  void run(dbFile, Number(runNumber), mode === 'sliced');
}
