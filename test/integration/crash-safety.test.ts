/**
 * SIGKILLs a process that is writing rosters and pushes, then reopens the
 * file: it must pass integrity_check and hold a version whose items all
 * landed, namely the last committed write or the one in flight, never older
 * (WAL + synchronous=NORMAL loses nothing on a process crash).
 * Set CRASH_SEED to replay a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../main/core/store/database.js';
import { deleteHiddenGenerations } from '../../main/core/store/roster-replacement.js';
import { RosterStore } from '../../main/core/store/roster-store.js';
import { CRASH_ACCOUNT, parseVersion, rosterChecksum } from '../support/crash-child.js';
import { seededRandom } from '../support/seeded-random.js';

const KILLS = 30;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const childPath = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));

interface KilledRun {
  lastCommitted?: string;
  inFlight?: string;
  /** Killed while a sliced full roster was being written (after its "S" line, before its "C"). */
  inSlices: boolean;
}

/** Starts the writer, lets it run `delayMs` after it is ready, SIGKILLs it. */
async function killWriterAfter(
  dbFile: string,
  runNumber: number,
  delayMs: number,
  mode: 'one-transaction' | 'sliced' = 'one-transaction',
): Promise<KilledRun> {
  // process.execPath + tsx's loader: the child runs the TypeScript sources
  // under the same Node as the test, with no build step.
  const args = ['--import', 'tsx', childPath, dbFile, String(runNumber), ...(mode === 'sliced' ? ['sliced'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  try {
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => out.startsWith('ready\n') && resolve();
      child.stdout.on('data', check);
      child.on('close', (code) => reject(new Error(`writer exited early (${code}): ${err}`)));
    });
    await ready;
    await sleep(delayMs);
    child.kill('SIGKILL');
    assert.equal(await closed, 'SIGKILL', `writer died on its own: ${err}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  const lines = out.split('\n').filter((l) => l !== '');
  const lastMark = lines.filter((l) => l.startsWith('B ') || l.startsWith('C ')).at(-1) ?? '';
  const committed = lines.filter((l) => l.startsWith('C ')).at(-1);
  return {
    lastCommitted: committed?.slice(2),
    // A "B" not followed by its "C" (a sliced write prints "S <generation>" in between).
    inFlight: lastMark.startsWith('B ') ? lastMark.slice(2) : undefined,
    inSlices: lastMark.startsWith('B ') && (lines.at(-1) ?? '').startsWith('S '),
  };
}

/** Reopens the file as the app would and checks that the shown version has exactly its items. */
function checkReopened(
  dbFile: string,
  run: number,
  killed: KilledRun,
  stored: string | null,
  what: string,
): string | null {
  const { db, recoveredFrom } = openDatabase(dbFile);
  try {
    assert.equal(recoveredFrom, undefined, 'a killed writer never damages the file');
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const snapshot = new RosterStore(db).getSnapshot(CRASH_ACCOUNT);
    const allowed: (string | null | undefined)[] = [killed.lastCommitted ?? stored, killed.inFlight];
    assert.ok(
      allowed.includes(snapshot.version),
      `run ${run} (${what}): stored ${snapshot.version}, expected one of ${allowed.join(', ')}`,
    );
    if (snapshot.version === null) {
      // Killed before its first roster committed: nothing may have landed.
      assert.deepEqual(snapshot.items, []);
    } else {
      const expected = parseVersion(snapshot.version);
      assert.equal(snapshot.items.length, expected.count, `run ${run}: item count of ${snapshot.version}`);
      assert.equal(rosterChecksum(snapshot.items), expected.checksum, `run ${run}: items of ${snapshot.version}`);
    }
    return snapshot.version;
  } finally {
    db.close();
  }
}

test(`a writer SIGKILLed ${KILLS} times never leaves a version without its items`, { timeout: 120_000 }, async () => {
  const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`crash-safety seed: ${seed} (CRASH_SEED=${seed} replays it)`);
  const rand = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'balcony-crash-'));
  const dbFile = join(dir, 'profile.db');
  let stored: string | null = null;
  let midWrite = 0;
  let inFlightLanded = 0;
  try {
    for (let run = 1; run <= KILLS; run++) {
      const delay = 50 + Math.floor(rand() * 351);
      const killed = await killWriterAfter(dbFile, run, delay);
      if (killed.inFlight) midWrite++;

      const version = checkReopened(dbFile, run, killed, stored, `kill after ${delay} ms`);
      if (killed.inFlight && version === killed.inFlight) inFlightLanded++;
      stored = version;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `crash-safety: ${KILLS} kills; ${midWrite} landed in the middle of a write ` +
      `(${inFlightLanded} of those had already committed), ${KILLS - midWrite} between writes`,
  );
});

const SLICED_KILLS = 12;

test(
  `issue 14 #2: a writer of sliced full rosters SIGKILLed ${SLICED_KILLS} times leaves the old roster and version whole; the hidden rows are swept`,
  { timeout: 180_000 },
  async () => {
    const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`crash-safety (sliced) seed: ${seed} (CRASH_SEED=${seed} replays it)`);
    const rand = seededRandom(seed);
    const dir = mkdtempSync(join(tmpdir(), 'balcony-crash-sliced-'));
    const dbFile = join(dir, 'profile.db');
    let stored: string | null = null;
    let inSlices = 0;
    try {
      for (let run = 1; run <= SLICED_KILLS; run++) {
        // Up to ~3 full rosters of 20,000 and their pushes: kills in the slices, at the
        // switch, among the pushes while the replaced generation is being deleted.
        const delay = 100 + Math.floor(rand() * 1400);
        const killed = await killWriterAfter(dbFile, run, delay, 'sliced');
        if (killed.inSlices) inSlices++;
        stored = checkReopened(dbFile, run, killed, stored, `kill after ${delay} ms`);

        // What the killed write left hidden is swept (in slices) without touching what is shown.
        const { db } = openDatabase(dbFile);
        try {
          const store = new RosterStore(db);
          const before = store.getSnapshot(CRASH_ACCOUNT);
          await deleteHiddenGenerations(store, CRASH_ACCOUNT);
          assert.deepEqual(store.hiddenGenerations(CRASH_ACCOUNT), [], `run ${run}: nothing hidden is left`);
          assert.deepEqual(store.getSnapshot(CRASH_ACCOUNT), before, `run ${run}: the sweep changed nothing shown`);
          const rows = db.prepare('SELECT COUNT(*) FROM roster_items').pluck().get();
          assert.equal(rows, before.items.length, `run ${run}: only the shown generation's rows remain`);
        } finally {
          db.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`crash-safety (sliced): ${SLICED_KILLS} kills, ${inSlices} in the middle of a sliced write`);
    assert.ok(inSlices > 0, 'at least one kill landed in the middle of a sliced write');
  },
);
