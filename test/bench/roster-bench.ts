/**
 * Roster benchmark against a real Prosody 0.12 (TLS, loopback only).
 *
 *   npm run bench -- [--sizes 10000,50000,100000] [--out test-results/bench.json] [--pushes 1000]
 *   (= npm run build && node dist/test/bench/roster-bench.js ...)
 *
 * For each roster size N:
 * 1. provisions juliet@localhost with N contacts by writing Prosody's roster
 *    storage directly (./prosody-roster.ts), then restarts Prosody;
 * 2. first login with an empty cache (several times), timed from outside
 *    main/: get sent ('online', prepended listener: RosterService sends the
 *    get synchronously from its own 'online' listener), chunks reaching the
 *    parser (./xml-probe.ts), result complete, the sliced write of the
 *    new generation (RosterStore wrapped on the instance), 'retrieved'; the
 *    event loop's active time and its delay (monitorEventLoopDelay);
 * 3. the same captured bytes replayed in-process through the same path
 *    (guarded parser + RosterResultMapper + RosterReplacement) and the floors
 *    (@xmpp/xml Parser alone, plain INSERTs alone): ./replay.ts;
 * 4. versioned login with a current cache;
 * 5. cold start offline, in fresh child processes (./cold-start-child.ts);
 * 6. peak RSS of a core doing a first login, in a child process per N
 *    (./rss-child.ts);
 * 7. roster pushes through Prosody from a second resource of the same
 *    account, timed in the watching core from the push's chunk reaching the
 *    parser to RosterService's 'change' event; then a burst of 1,000 sets
 *    sent at once, with the core's event-loop delay while they come back;
 * 8. the renderer (./renderer-bench.ts): the built renderer in Chromium
 *    bridged to a real MessengerService on a cache of N contacts: first
 *    contacts painted from a cold cache, filter keystrokes, scroll frames,
 *    a push shown, the page's JS heap;
 * 9. the first sign-in through the form and a burst of 1,000 no-op pushes
 *    (./sign-in-bench.ts): click -> progress shown, -> contacts painted;
 *    change events and page main-thread time per no-op push.
 * Prints a table (every row with its target and whether it is met), the
 * growth of each metric between consecutive sizes, and writes JSON. The
 * server is stopped in a finally.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { escapeXML } from '@xmpp/xml';
import type { RosterChange, RosterItem } from '../../preload/contract.js';
import { openStore } from '../../main/core/roster-core.js';
import type { RetrievalResult } from '../../main/core/roster/roster-service.js';
import { NS_ROSTER, rosterRemoveQuery, rosterSetQuery } from '../../main/core/roster/roster-stanzas.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { XmppSession, type SessionConfig } from '../../main/core/xmpp/session.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';
import { ROSTER_VER_FEATURE, ScriptedServer } from '../support/scripted-server.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import {
  formatGrowth,
  formatTable,
  growthRatios,
  machineInfo,
  median,
  parseArgs,
  percentile,
  round,
  runNodeChild,
  withTimeout,
  type ResultRow,
} from './bench-util.js';
import { GROUPS, generateRoster, prosodyDataPath, seededRandom, writeProsodyRoster } from './prosody-roster.js';
import { RENDERER_METHODS, benchRendererSize } from './renderer-bench.js';
import { SIGN_IN_METHODS, benchSignInSize } from './sign-in-bench.js';
import { insertFloor, parseFloor, replayClientPath } from './replay.js';
import { xmlProbe } from './xml-probe.js';

const PASSWORD = 'bench-secret';
const JULIET = 'juliet';
/** The push account: see measurePushes() for why it is not juliet. */
const ROMEO = 'romeo';
const DOMAIN = 'localhost';
/** Repetitions per size; cut at 100,000 and above so the three sizes stay within ~30 min (said in the output). */
function repetitions(n: number): { firstLogin: number; versioned: number; replay: number; coldStart: number } {
  return n >= 100_000
    ? { firstLogin: 2, versioned: 3, replay: 3, coldStart: 2 }
    : { firstLogin: 3, versioned: 5, replay: 5, coldStart: 3 };
}
/** Roster sets the pusher sends at once for the burst (issue 14 #5). */
const BURST_PUSHES = 1000;
/** Pushes through juliet herself (N contacts on the server): each costs Prosody a full roster file rewrite. */
const SERVER_SIZED_PUSHES = 5;
const ROMEO_SERVER_ITEMS = 100;
const ROMEO_VERSION = 5000;
const SESSION_OPTS: Partial<SessionConfig> = { iqTimeoutMs: 120_000, connectTimeoutMs: 60_000 };

const TARGETS = {
  ratio: 3,
  versionedAfterResultMs: 50,
  coldStartMs: 300,
  pushMedianMs: 5,
  peakRssMB: 300,
  /** The longest the core's event loop may be held (issue 14 #2). */
  loopMaxMs: 50,
};

/**
 * The core's event-loop delay while `from` .. `stop()` (issue 14 #5):
 * monitorEventLoopDelay at its finest resolution (1 ms). The bench process
 * also runs the instrumentation and, for pushes, the pusher's session.
 */
function loopDelay(): { stop(): { maxMs: number; p99Ms: number } } {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop: () => {
      histogram.disable();
      return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 };
    },
  };
}

const here = dirname(fileURLToPath(import.meta.url));
const now = (): number => performance.now();

// ---------------------------------------------------------------------------
// Instrumentation of one core, from outside main/.

interface StoreMarks {
  /** The sliced write of a full roster began (its generation handed out). */
  replaceStart: number;
  /** Its generation was made current. */
  replaceEnd: number;
  /** Each slice's store write (RosterStore.writeSlice), ms. */
  sliceMs: number[];
  snapshotMs: number[];
  /** applyPush durations by jid (the last one). */
  pushApplyMs: Map<string, number>;
}

type Core = ReturnType<typeof openCore>;

/** Wraps the store instance's methods (RosterService holds this same instance). */
function instrumentStore(core: Core): StoreMarks {
  const marks: StoreMarks = {
    replaceStart: Number.NaN,
    replaceEnd: Number.NaN,
    sliceMs: [],
    snapshotMs: [],
    pushApplyMs: new Map(),
  };
  const store = core.store;
  const allocate = store.allocate.bind(store);
  const writeSlice = store.writeSlice.bind(store);
  const makeCurrent = store.makeGenerationCurrent.bind(store);
  const getSnapshot = store.getSnapshot.bind(store);
  const applyPush = store.applyPush.bind(store);
  // A full result is written in slices (main/core/store/roster-replacement.ts): its start, slices and switch.
  store.allocate = (account) => {
    marks.replaceStart = now();
    return allocate(account);
  };
  store.writeSlice = (account, generation, items) => {
    const t = now();
    writeSlice(account, generation, items);
    marks.sliceMs.push(now() - t);
  };
  store.makeGenerationCurrent = (account, generation, count, version) => {
    const previous = makeCurrent(account, generation, count, version);
    marks.replaceEnd = now();
    return previous;
  };
  store.getSnapshot = (account) => {
    const t = now();
    const snapshot = getSnapshot(account);
    marks.snapshotMs.push(now() - t);
    return snapshot;
  };
  store.applyPush = (account, change, version) => {
    const t = now();
    const changed = applyPush(account, change, version);
    marks.pushApplyMs.set(change.kind === 'upsert' ? change.item.jid : change.jid, now() - t);
    return changed;
  };
  return marks;
}

interface LoginSample {
  outcome: RetrievalResult;
  signInMs: number;
  /** get sent -> 'retrieved' */
  totalMs: number;
  /** get sent -> the new generation made current (full results only) */
  toStoredMs: number;
  /** get sent -> first chunk of the answer at the parser */
  serverWaitMs: number;
  /** first chunk -> result complete */
  transferMs: number;
  /** time inside the parser's write() during the transfer */
  parseInflightMs: number;
  /** result complete -> the sliced write starts (iq dispatch) */
  mapMs: number;
  /** the sliced write: first slice -> made current (mapping and store writes in slices, the loop free between) */
  applyMs: number;
  /** the store's share of it: RosterStore.writeSlice, summed */
  storeMs: number;
  slices: number;
  /** event-loop delay between get sent and 'retrieved' */
  loopMaxMs: number;
  loopP99Ms: number;
  snapshotMs: number;
  /** chunk holding the result at the parser -> 'retrieved' */
  afterResultMs: number;
  /** event loop active time between get sent and 'retrieved' */
  eluActiveMs: number;
  chunks: string[];
}

async function login(
  server: TestServer,
  user: string,
  dataDir: string,
  resource: string,
  capture: boolean,
): Promise<LoginSample> {
  const core = openCore(server, user, PASSWORD, { dataDir, resource, session: SESSION_OPTS });
  const marks = instrumentStore(core);
  let t0 = Number.NaN;
  let elu0: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  let eluActiveMs = Number.NaN;
  let resultChunkAt = Number.NaN;
  let completeAt = Number.NaN;
  let parseInflightMs = Number.NaN;
  let firstChunkAt = Number.NaN;
  let end = Number.NaN;
  let loop: ReturnType<typeof loopDelay> | undefined;
  let loopFigures = { maxMs: Number.NaN, p99Ms: Number.NaN };
  core.session.prependListener('online', () => {
    xmlProbe.reset();
    xmlProbe.capturing = capture;
    xmlProbe.active = true;
    elu0 = performance.eventLoopUtilization();
    loop = loopDelay();
    t0 = now();
  });
  xmlProbe.onStanza = (ev) => {
    if (Number.isNaN(t0) || !Number.isNaN(completeAt)) return;
    if (ev.element.name !== 'iq' || ev.element.attrs.type !== 'result') return;
    completeAt = ev.completeAt;
    resultChunkAt = ev.chunkReceivedAt;
    parseInflightMs = ev.writeMsSinceReset;
    firstChunkAt = xmlProbe.firstChunkAt ?? ev.chunkReceivedAt;
    xmlProbe.capturing = false;
  };
  const retrieved = new Promise<RetrievalResult>((resolve, reject) => {
    core.roster.once('retrieved', (r) => {
      end = now();
      if (elu0) eluActiveMs = performance.eventLoopUtilization(elu0).active;
      // The histogram records a delay when the loop gets back to it: stopped
      // from inside the task that emitted 'retrieved', it would miss that task.
      setTimeout(() => {
        if (loop) loopFigures = loop.stop();
        resolve(r);
      }, 5);
    });
    core.roster.once('retrievalFailed', reject);
  });
  const started = now();
  try {
    await withTimeout(core.session.start({ failFast: true }), 90_000, `${user} sign-in`);
    const outcome = await withTimeout(retrieved, 180_000, `${user} roster retrieval`);
    const chunks = xmlProbe.chunks;
    const snapshotMs = marks.snapshotMs.reduce((a, b) => a + b, 0);
    return {
      outcome,
      signInMs: t0 - started,
      totalMs: end - t0,
      toStoredMs: marks.replaceEnd - t0,
      serverWaitMs: firstChunkAt - t0,
      transferMs: completeAt - firstChunkAt,
      parseInflightMs,
      mapMs: marks.replaceStart - completeAt,
      applyMs: marks.replaceEnd - marks.replaceStart,
      storeMs: marks.sliceMs.reduce((a, b) => a + b, 0),
      slices: marks.sliceMs.length,
      loopMaxMs: loopFigures.maxMs,
      loopP99Ms: loopFigures.p99Ms,
      snapshotMs,
      afterResultMs: end - resultChunkAt,
      eluActiveMs,
      chunks,
    };
  } finally {
    xmlProbe.active = false;
    xmlProbe.capturing = false;
    xmlProbe.onStanza = null;
    xmlProbe.chunks = [];
    await core.close();
  }
}

// ---------------------------------------------------------------------------
// Pushes.

interface PushSamples {
  /** chunk holding the push at the parser -> 'change' emitted */
  inProcessMs: number[];
  /** push stanza complete (parsed) -> 'change' emitted */
  afterParseMs: number[];
  /** RosterStore.applyPush alone */
  applyMs: number[];
  /** pusher: set sent -> result (Prosody's processing, incl. its storage write) */
  serverRoundTripMs: number[];
}

type PushOp = { kind: 'set'; item: Pick<RosterItem, 'jid' | 'name' | 'groups'> } | { kind: 'remove'; jid: string };

/**
 * Sends `ops` one at a time from a bare XmppSession of the same account
 * (another resource that never fetches the roster, so Prosody does not push
 * to it and every roster push seen in this process is the watcher's), and
 * times each push in the watching core.
 */
async function runPushes(
  server: TestServer,
  watcher: Core,
  user: string,
  ops: readonly PushOp[],
  perPushTimeoutMs: number,
): Promise<PushSamples> {
  const marks = instrumentStore(watcher);
  const samples: PushSamples = { inProcessMs: [], afterParseMs: [], applyMs: [], serverRoundTripMs: [] };
  const received = new Map<string, { chunkAt: number; completeAt: number }>();
  const waiting = new Map<string, (changedAt: number) => void>();
  const onChange = (change: RosterChange): void => {
    const changedAt = now();
    const jid = change.kind === 'upsert' ? change.item.jid : change.kind === 'remove' ? change.jid : null;
    if (jid !== null) waiting.get(jid)?.(changedAt);
  };
  watcher.roster.on('change', onChange);
  xmlProbe.reset();
  xmlProbe.active = true;
  xmlProbe.onStanza = (ev) => {
    const el = ev.element;
    if (el.name !== 'iq' || el.attrs.type !== 'set') return;
    const jid = el.getChild('query', NS_ROSTER)?.getChild('item')?.attrs.jid as string | undefined;
    if (jid !== undefined) received.set(jid, { chunkAt: ev.chunkReceivedAt, completeAt: ev.completeAt });
  };
  const pusher = new XmppSession({
    account: `${user}@${DOMAIN}`,
    password: PASSWORD,
    host: '127.0.0.1',
    port: server.port,
    ca: readFileSync(server.caFile, 'utf8'),
    resource: 'bench-pusher',
    ...SESSION_OPTS,
  });
  try {
    await withTimeout(pusher.start({ failFast: true }), 60_000, 'pusher sign-in');
    for (const op of ops) {
      const jid = op.kind === 'set' ? op.item.jid : op.jid;
      received.delete(jid);
      const changed = new Promise<number>((resolve) => waiting.set(jid, resolve));
      const sentAt = now();
      const query = op.kind === 'set' ? rosterSetQuery(op.item) : rosterRemoveQuery(op.jid);
      try {
        await withTimeout(pusher.iq('set', query), perPushTimeoutMs, `roster set ${jid}`);
      } catch (error) {
        throw new Error(`roster ${op.kind} of ${jid} failed: ${(error as Error).message}`, { cause: error });
      }
      samples.serverRoundTripMs.push(now() - sentAt);
      const changedAt = await withTimeout(changed, perPushTimeoutMs, `push for ${jid}`);
      waiting.delete(jid);
      const recv = received.get(jid);
      if (!recv) throw new Error(`push for ${jid}: the change came but the probe saw no push stanza`);
      samples.inProcessMs.push(changedAt - recv.chunkAt);
      samples.afterParseMs.push(changedAt - recv.completeAt);
      const apply = marks.pushApplyMs.get(jid);
      if (apply !== undefined) samples.applyMs.push(apply);
    }
  } finally {
    watcher.roster.off('change', onChange);
    xmlProbe.active = false;
    xmlProbe.onStanza = null;
    await pusher.stop();
  }
  return samples;
}

interface BurstSample {
  wallMs: number;
  loopMaxMs: number;
  loopP99Ms: number;
}

/**
 * A burst of `count` roster pushes (issue 14 #5), the way a server sends
 * them when it has queued many: all written at once (over TLS, so they
 * arrive in full socket reads) by a scripted server (test/support/
 * scripted-server.ts), to a core whose cache holds the N contacts (a copy
 * of the first login's). Each push renames a cached contact with a new
 * ver. The core's event-loop delay from the write to the last
 * acknowledgement read back.
 */
async function pushBurst(cacheDb: string, items: readonly RosterItem[], count: number): Promise<BurstSample> {
  const server = await ScriptedServer.start({
    users: { [JULIET]: PASSWORD },
    mechanisms: ['SCRAM-SHA-1'],
    extraFeatures: [ROSTER_VER_FEATURE],
  });
  const dir = tempDir('balcony-bench-burst-');
  copyFileSync(cacheDb, databasePath(dir));
  const core = openCore({ port: server.port, caFile: server.caFile }, JULIET, PASSWORD, {
    dataDir: dir,
    // The copied profile remembers what Prosody offered (its SASL memory): another server here, not a downgrade.
    session: { ...SESSION_OPTS, acceptDowngrade: true },
  });
  try {
    const retrieved = new Promise<RetrievalResult>((resolve, reject) => {
      core.roster.once('retrieved', resolve);
      core.roster.once('retrievalFailed', reject);
    });
    const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession(30_000)]);
    const get = await session.expectIq('get', NS_ROSTER, 30_000);
    session.reply(get); // "your cache is current"
    const r = await withTimeout(retrieved, 60_000, 'burst core retrieval');
    if (r.kind !== 'unchanged' || r.count !== items.length)
      throw new Error(`burst core: expected unchanged with ${items.length}, got ${r.kind} ${r.count}`);
    const pushes = items.slice(0, count).map((item, i) => {
      const name = escapeXML(`Burst ${i} ${item.name ?? ''}`);
      return `<iq type='set' id='burst${i}'><query xmlns='${NS_ROSTER}' ver='burst-${i}'><item jid='${escapeXML(item.jid)}' name='${name}' subscription='${item.subscription}'/></query></iq>`;
    });
    const loop = loopDelay();
    const started = now();
    session.sendRaw(pushes.join(''));
    await session.expectReplyTo(`burst${pushes.length - 1}`, 120_000);
    const wallMs = now() - started;
    await new Promise((resolve) => setTimeout(resolve, 5)); // the last task's delay recorded (see login)
    const figures = loop.stop();
    const acked = session.stanzas.filter((el) => el.attrs.type === 'result' && String(el.attrs.id).startsWith('burst'));
    if (acked.length !== pushes.length) throw new Error(`burst: ${acked.length} of ${pushes.length} acknowledged`);
    return { wallMs, loopMaxMs: figures.maxMs, loopP99Ms: figures.p99Ms };
  } finally {
    await core.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Realistic edits: 70% rename/regroup an existing contact, 20% add a new one, 10% remove one the server holds. */
function pushOps(items: readonly RosterItem[], onServer: Set<string>, count: number, seed: number): PushOp[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const ops: PushOp[] = [];
  const serverList = [...onServer];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    const groups = [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => pick(GROUPS)))];
    if (r < 0.1 && serverList.length > 0) {
      const idx = Math.floor(rnd() * serverList.length);
      const jid = serverList[idx]!;
      serverList.splice(idx, 1);
      ops.push({ kind: 'remove', jid });
    } else if (r < 0.3) {
      const jid = `new.contact${i}.${seed % 1000}@example.org`;
      serverList.push(jid);
      ops.push({ kind: 'set', item: { jid, name: `Nouveau Contact ${i} ✨`, groups } });
    } else {
      const item = pick(items);
      if (!serverList.includes(item.jid)) serverList.push(item.jid);
      ops.push({ kind: 'set', item: { jid: item.jid, name: `${item.name ?? 'Renamed'} (${i})`, groups } });
    }
  }
  return ops;
}

// ---------------------------------------------------------------------------
// One size.

interface ColdStart {
  items: number;
  nodeBootstrapMs: number;
  importMs: number;
  openDatabaseMs: number;
  rosterStoreMs: number;
  getSnapshotMs: number;
  first50Ms: number;
  inScriptFirst50Ms: number;
  labelSortMs: number;
  rendererFirstPaintMs: number | null;
  quickCheckWarmMs: number;
  maxRssMB: number;
}
interface RssResult {
  count: number;
  baselineRssMB: number;
  maxRssMB: number;
  rssAfterMB: number;
  heapUsedAfterMB: number;
}

const med = <T>(list: readonly T[], f: (x: T) => number): number => median(list.map(f));

async function benchSize(
  server: TestServer,
  dataPath: string,
  n: number,
  pushCount: number,
  keep: string | null,
  log: (s: string) => void,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const row = (
    metric: string,
    value: number | null,
    unit: string,
    extra: Partial<Pick<ResultRow, 'floor' | 'target' | 'met'>> = {},
  ): void => {
    const target = extra.target ?? null;
    const met =
      extra.met !== undefined
        ? extra.met
        : target === null || value === null
          ? null
          : unit === 'x'
            ? value <= target
            : value < target;
    rows.push({
      n,
      metric,
      value: value === null ? null : round(value, 3),
      unit,
      floor: extra.floor === undefined || extra.floor === null ? null : round(extra.floor, 3),
      target,
      met,
    });
  };

  // 1. Provision: juliet with N contacts; romeo with a small server roster (see pushes).
  const items = generateRoster(n);
  let t = now();
  writeProsodyRoster(dataPath, DOMAIN, JULIET, items, 1);
  const romeoServer = items.slice(0, ROMEO_SERVER_ITEMS);
  writeProsodyRoster(dataPath, DOMAIN, ROMEO, romeoServer, ROMEO_VERSION);
  await server.restart();
  log(`N=${n}: provisioned (${round(now() - t, 0)} ms incl. Prosody restart)`);

  const reps = repetitions(n);
  if (n >= 100_000)
    log(
      `N=${n}: repetitions cut to keep the run within ~30 min: first login ${reps.firstLogin}, versioned ${reps.versioned}, replay ${reps.replay}, cold start ${reps.coldStart}`,
    );
  const dirs: string[] = [];
  try {
    // 2. First login, empty cache.
    const firsts: LoginSample[] = [];
    let cacheDir = '';
    for (let rep = 0; rep < reps.firstLogin; rep++) {
      const dir = tempDir('balcony-bench-first-');
      dirs.push(dir);
      const s = await login(server, JULIET, dir, `bench-first-${rep}`, rep === 0);
      if (s.outcome.kind !== 'full' || s.outcome.count !== n)
        throw new Error(`first login: expected a full roster of ${n}, got ${s.outcome.kind} ${s.outcome.count}`);
      firsts.push(s);
      cacheDir = dir;
      log(
        `N=${n}: first login ${rep + 1}/${reps.firstLogin}: total ${round(s.totalMs, 0)} ms (server wait ${round(s.serverWaitMs, 0)}, transfer ${round(s.transferMs, 0)}, apply ${round(s.applyMs, 0)} in ${s.slices} slices), sign-in ${round(s.signInMs, 0)} ms, event loop max ${round(s.loopMaxMs, 1)} ms`,
      );
    }
    const captured = firsts[0]!.chunks;
    const capturedXml = captured.join('');
    if (!capturedXml.trimStart().startsWith('<iq'))
      log(`N=${n}: warning: the captured bytes start with ${JSON.stringify(capturedXml.slice(0, 40))}`);
    log(
      `N=${n}: captured result: ${(Buffer.byteLength(capturedXml) / 1024 / 1024).toFixed(2)} MB in ${captured.length} chunks`,
    );

    // 3. Versioned login with a current cache.
    const versioned: LoginSample[] = [];
    for (let rep = 0; rep < reps.versioned; rep++) {
      const s = await login(server, JULIET, cacheDir, `bench-versioned-${rep}`, false);
      if (s.outcome.kind !== 'unchanged' || s.outcome.count !== n)
        throw new Error(`versioned login: expected unchanged with ${n}, got ${s.outcome.kind} ${s.outcome.count}`);
      versioned.push(s);
    }
    log(
      `N=${n}: versioned login: total ${round(
        med(versioned, (s) => s.totalMs),
        1,
      )} ms, after result ${round(
        med(versioned, (s) => s.afterResultMs),
        1,
      )} ms`,
    );

    if (keep) {
      mkdirSync(keep, { recursive: true });
      writeFileSync(join(keep, `result-${n}.json`), JSON.stringify(captured));
      copyFileSync(databasePath(cacheDir), join(keep, `cache-${n}.sqlite3`));
      log(`N=${n}: kept the captured result and the cache database in ${keep}`);
    }

    // 4. Cold start offline, fresh processes on the cache just written.
    const colds: ColdStart[] = [];
    for (let rep = 0; rep < reps.coldStart; rep++) {
      const c = await runNodeChild<ColdStart>(
        join(here, 'cold-start-child.js'),
        [databasePath(cacheDir), `${JULIET}@${DOMAIN}`],
        60_000,
      );
      if (c.items !== n) throw new Error(`cold start: ${c.items} items, expected ${n}`);
      colds.push(c);
    }
    log(
      `N=${n}: cold start: first 50 at ${round(
        med(colds, (c) => c.first50Ms),
        1,
      )} ms after process start`,
    );

    // 5. Peak RSS of a core doing a first login, in its own process.
    const rss = await runNodeChild<RssResult>(
      join(here, 'rss-child.js'),
      [JSON.stringify({ port: server.port, caFile: server.caFile, user: JULIET, password: PASSWORD, expected: n })],
      240_000,
    );
    log(`N=${n}: peak RSS ${round(rss.maxRssMB, 0)} MB`);

    // 6. Pushes (see the method note in main()).
    const romeoDir = tempDir('balcony-bench-romeo-');
    dirs.push(romeoDir);
    {
      const { db, store } = openStore(romeoDir);
      store.replaceAll(`${ROMEO}@${DOMAIN}`, items, String(ROMEO_VERSION));
      db.close();
    }
    const romeoWatcher = openCore(server, ROMEO, PASSWORD, {
      dataDir: romeoDir,
      resource: 'bench-watcher',
      session: SESSION_OPTS,
    });
    let romeoPushes: PushSamples;
    try {
      const retrieved = new Promise<RetrievalResult>((resolve, reject) => {
        romeoWatcher.roster.once('retrieved', resolve);
        romeoWatcher.roster.once('retrievalFailed', reject);
      });
      await withTimeout(romeoWatcher.session.start({ failFast: true }), 60_000, 'watcher sign-in');
      const r = await withTimeout(retrieved, 60_000, 'watcher retrieval');
      if (r.kind !== 'unchanged' || r.count !== n)
        throw new Error(`push watcher: expected unchanged with ${n}, got ${r.kind} ${r.count}`);
      t = now();
      romeoPushes = await runPushes(
        server,
        romeoWatcher,
        ROMEO,
        pushOps(items, new Set(romeoServer.map((i) => i.jid)), pushCount, n),
        30_000,
      );
      log(
        `N=${n}: ${pushCount} pushes in ${round((now() - t) / 1000, 1)} s: in-process median ${round(median(romeoPushes.inProcessMs), 2)} ms, p99 ${round(percentile(romeoPushes.inProcessMs, 99), 2)} ms`,
      );
    } finally {
      await romeoWatcher.close();
    }

    // 6a. A burst of 1,000 pushes written at once, against a scripted server.
    const burst = await pushBurst(databasePath(cacheDir), items, BURST_PUSHES);
    log(
      `N=${n}: burst of ${BURST_PUSHES} pushes: all acknowledged in ${round(burst.wallMs, 0)} ms, event loop max ${round(burst.loopMaxMs, 1)} ms, p99 ${round(burst.loopP99Ms, 1)} ms`,
    );

    // 6b. A few pushes on juliet herself (N contacts on the server too): Prosody's own cost per set.
    const julietWatcher = openCore(server, JULIET, PASSWORD, {
      dataDir: cacheDir,
      resource: 'bench-watcher',
      session: SESSION_OPTS,
    });
    let julietPushes: PushSamples;
    try {
      const retrieved = new Promise<RetrievalResult>((resolve, reject) => {
        julietWatcher.roster.once('retrieved', resolve);
        julietWatcher.roster.once('retrievalFailed', reject);
      });
      await withTimeout(julietWatcher.session.start({ failFast: true }), 90_000, 'watcher sign-in');
      await withTimeout(retrieved, 120_000, 'watcher retrieval');
      const ops: PushOp[] = items
        .slice(0, SERVER_SIZED_PUSHES)
        .map((it, i) => ({ kind: 'set', item: { jid: it.jid, name: `Renamed ${i}`, groups: ['Friends'] } }));
      julietPushes = await runPushes(server, julietWatcher, JULIET, ops, 60_000);
      log(
        `N=${n}: ${SERVER_SIZED_PUSHES} pushes with N on the server: Prosody set round trip median ${round(median(julietPushes.serverRoundTripMs), 0)} ms, in-process median ${round(median(julietPushes.inProcessMs), 2)} ms`,
      );
    } finally {
      await julietWatcher.close();
    }

    // 7. Replay of the captured bytes through the client's path, and the floors.
    // Interleaved, in a rotating order, so that the replay and both floors meet similar heap
    // and GC states (whatever runs right after a replay pays for collecting its garbage).
    const replays: Awaited<ReturnType<typeof replayClientPath>>[] = [];
    const parseFloors: number[] = [];
    const insertFloors: number[] = [];
    const account = `${JULIET}@${DOMAIN}`;
    let rowsForFloor: RosterItem[] | null = null;
    const steps = [
      async (): Promise<void> => {
        const r = await replayClientPath(captured, account);
        if (r.items.length !== n) throw new Error(`replay parsed ${r.items.length} items, expected ${n}`);
        rowsForFloor ??= r.items;
        replays.push(r);
      },
      (): Promise<void> => {
        parseFloors.push(parseFloor(captured));
        return Promise.resolve();
      },
      async (): Promise<void> => {
        insertFloors.push(insertFloor(rowsForFloor ?? (await replayClientPath(captured, account)).items, account));
      },
    ];
    for (let rep = 0; rep < reps.replay * steps.length; rep++) {
      const round3 = Math.floor(rep / steps.length);
      await steps[(rep + round3) % steps.length]!();
    }
    const rParse = med(replays, (r) => r.parseMs);
    const rApply = med(replays, (r) => r.applyMs);
    const rStore = med(replays, (r) => r.storeMs);
    const rSnapshot = med(replays, (r) => r.snapshotMs);
    const clientSide = med(replays, (r) => r.parseMs + r.applyMs);
    const fParse = median(parseFloors);
    const fInsert = median(insertFloors);
    log(
      `N=${n}: replay parse ${round(rParse, 1)} / map+store in slices ${round(rApply, 1)} (store ${round(rStore, 1)}) ms; floors parse ${round(fParse, 1)} / insert ${round(fInsert, 1)} ms`,
    );

    // Rows.
    row(
      'first_login_total (get sent -> retrieve resolved)',
      med(firsts, (s) => s.totalMs),
      'ms',
    );
    row(
      'first_login_to_stored (get sent -> new roster made current)',
      med(firsts, (s) => s.toStoredMs),
      'ms',
    );
    row(
      '  first_login_server_wait (get sent -> 1st byte at parser)',
      med(firsts, (s) => s.serverWaitMs),
      'ms',
    );
    row(
      '  first_login_transfer (1st byte -> result complete)',
      med(firsts, (s) => s.transferMs),
      'ms',
    );
    row(
      '  first_login_parse_inflight (inside parser.write)',
      med(firsts, (s) => s.parseInflightMs),
      'ms',
    );
    row(
      '  first_login_dispatch (complete -> sliced write starts)',
      med(firsts, (s) => s.mapMs),
      'ms',
    );
    row(
      '  first_login_apply_wall (map + store in slices, loop free between)',
      med(firsts, (s) => s.applyMs),
      'ms',
    );
    row(
      '  first_login_store_inflight (RosterStore.writeSlice, summed)',
      med(firsts, (s) => s.storeMs),
      'ms',
    );
    row(
      '  first_login_slices',
      med(firsts, (s) => s.slices),
      'count',
    );
    row(
      'core_loop_max_first_login (event-loop delay, worst of the logins)',
      Math.max(...firsts.map((s) => s.loopMaxMs)),
      'ms',
      { target: TARGETS.loopMaxMs },
    );
    row(
      '  core_loop_p99_first_login',
      med(firsts, (s) => s.loopP99Ms),
      'ms',
    );
    row(
      '  first_login_change_snapshot_inflight (getSnapshot)',
      med(firsts, (s) => s.snapshotMs),
      'ms',
    );
    row(
      'first_login_client_active (ELU active, get -> resolved)',
      med(firsts, (s) => s.eluActiveMs),
      'ms',
    );
    row(
      'sign_in (connect -> online, Prosody loads roster)',
      med(firsts, (s) => s.signInMs),
      'ms',
    );
    row('replay_parse (guarded parser, same chunks)', rParse, 'ms', { floor: fParse });
    row('replay_apply (map + store in slices, wall)', rApply, 'ms');
    row('  replay_store (RosterStore.writeSlice + the switch)', rStore, 'ms', { floor: fInsert });
    row('replay_change_snapshot (markSynced + getSnapshot)', rSnapshot, 'ms');
    row('first_login_client_side (replay parse + apply)', clientSide, 'ms', { floor: fParse + fInsert });
    row('first_login_client_vs_floor_ratio', clientSide / (fParse + fInsert), 'x', { target: TARGETS.ratio });
    row(
      'versioned_login_total (get sent -> unchanged)',
      med(versioned, (s) => s.totalMs),
      'ms',
    );
    row(
      'versioned_login_after_result (result at parser -> ready)',
      med(versioned, (s) => s.afterResultMs),
      'ms',
      { target: TARGETS.versionedAfterResultMs },
    );
    row(
      '  versioned_snapshot_for_count (getSnapshot)',
      med(versioned, (s) => s.snapshotMs),
      'ms',
    );
    row(
      'core_loop_max_versioned_login (event-loop delay, worst of the logins)',
      Math.max(...versioned.map((s) => s.loopMaxMs)),
      'ms',
      { target: TARGETS.loopMaxMs },
    );
    row(
      '  core_loop_p99_versioned_login',
      med(versioned, (s) => s.loopP99Ms),
      'ms',
    );
    row('core_loop_max_push_burst (event-loop delay, 1,000 pushes at once)', burst.loopMaxMs, 'ms', {
      target: TARGETS.loopMaxMs,
    });
    row('  core_loop_p99_push_burst', burst.loopP99Ms, 'ms');
    row('  push_burst_all_acknowledged (written -> last acknowledgement)', burst.wallMs, 'ms');
    row(
      'cold_start_core_first50 (process start -> 50 items)',
      med(colds, (c) => c.first50Ms),
      'ms',
      { target: TARGETS.coldStartMs },
    );
    row(
      '  cold_node_bootstrap',
      med(colds, (c) => c.nodeBootstrapMs),
      'ms',
    );
    row(
      '  cold_import_store_modules',
      med(colds, (c) => c.importMs),
      'ms',
    );
    row(
      '  cold_openDatabase',
      med(colds, (c) => c.openDatabaseMs),
      'ms',
    );
    row(
      '  cold_quick_check_alone (warm, diagnostic)',
      med(colds, (c) => c.quickCheckWarmMs),
      'ms',
    );
    row(
      '  cold_getSnapshot',
      med(colds, (c) => c.getSnapshotMs),
      'ms',
    );
    row(
      '  cold_label_sort_for_renderer (Intl.Collator, all N)',
      med(colds, (c) => c.labelSortMs),
      'ms',
    );
    row('push_in_process_median (chunk at parser -> change)', median(romeoPushes.inProcessMs), 'ms', {
      target: TARGETS.pushMedianMs,
    });
    row('push_in_process_p99', percentile(romeoPushes.inProcessMs, 99), 'ms');
    row('  push_after_parse_median (stanza complete -> change)', median(romeoPushes.afterParseMs), 'ms');
    row('  push_applyPush_median (store alone)', median(romeoPushes.applyMs), 'ms');
    row('  push_prosody_round_trip_median (small server roster)', median(romeoPushes.serverRoundTripMs), 'ms');
    row('push_in_process_median_n_on_server (5 pushes)', median(julietPushes.inProcessMs), 'ms');
    row('  push_prosody_round_trip_median_n_on_server', median(julietPushes.serverRoundTripMs), 'ms');
    row('peak_rss_core (first login, own process)', rss.maxRssMB, 'MB', { target: TARGETS.peakRssMB });
    row('  rss_baseline_before_login', rss.baselineRssMB, 'MB');
    row(
      '  cold_start_peak_rss',
      med(colds, (c) => c.maxRssMB),
      'MB',
    );
    return rows;
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

const METHODS = {
  first_login_total:
    "get sent = RosterService's own 'online' listener (it sends the get synchronously; ours is prepended) to its 'retrieved' event; empty cache; median of 3 logins.",
  first_login_inflight_breakdown:
    'chunks and stanza completion seen by wrapping @xmpp/xml Parser.prototype.write (after TLS and UTF-8 decoding); the sliced write (allocate -> writeSlice x slices -> makeGenerationCurrent) and getSnapshot timed by wrapping the RosterStore instance.',
  first_login_client_active:
    'performance.eventLoopUtilization() active time between get sent and retrieved: all client CPU on the main thread (TLS decryption, parsing, mapping, SQLite, GC) while waiting for Prosody.',
  first_login_client_side:
    'replay, in the benchmark process, of the exact decoded chunks captured from the first login (same chunk boundaries), through guardedParserClass + RosterResultMapper + RosterReplacement (mapped and written in slices, made current in one short transaction) on a fresh profile database; median of 5 (3 at 100,000). This is the figure compared with the floors.',
  floors:
    "parse floor: the same chunks through @xmpp/xml Parser alone (no guard, no mapping). insert floor: the same rows, values precomputed, one prepared INSERT in one transaction into a minimal 7-column table of a fresh better-sqlite3 file database with the app's pragmas (WAL, synchronous=NORMAL). Median of 5 each.",
  versioned_login:
    'cache from a first login, same Prosody version: get sent -> retrieved(kind unchanged); after_result: the chunk holding the result reaching the parser -> retrieved.',
  cold_start:
    "fresh `node cold-start-child.js` per run (3 runs, median): times are performance.now() in the child, i.e. since its process start, so they include Node bootstrap and module loading; OS file cache is warm (the file was just written). The renderer's part is measured in the page (renderer_first_contacts_painted, see renderer_first_paint).",
  pushes:
    "a bare XmppSession of the same account (resource bench-pusher, never fetches the roster, so Prosody pushes only to the watcher) sends roster sets one at a time: 70% rename/regroup of a cached contact, 20% new contact, 10% remove. The watching core holds N cached contacts; per push: the chunk holding the push reaching the parser -> RosterService 'change' event. The main run uses account romeo whose SERVER roster is small (100 items at start) and whose client cache holds the same N contacts (written with RosterStore.replaceAll, version equal to the server's, so the login is 'unchanged'): Prosody 0.12 internal storage rewrites the whole roster file on every set, which at N on the server makes 1,000 sets take many minutes; the client-side cost does not depend on the server's roster size. 5 pushes through juliet (N on the server) are reported for comparison.",
  core_loop:
    "perf_hooks.monitorEventLoopDelay at 1 ms resolution in the benchmark process, which holds the core and the instrumentation, stopped one macrotask after the end so the last task counts: from the get sent to 'retrieved' for first and versioned logins (max: the worst login, p99: the median login); for the burst, from 1,000 roster pushes (each renaming a cached contact, with a new ver) written at once over TLS by a scripted server (test/support/scripted-server.ts) to a core caching the N contacts, to the last acknowledgement read back. The scripted server runs in the same process, so the burst's figure also holds its own work (encrypting the 200 KB it writes at once, parsing the acknowledgements). Target: no task of the core over 50 ms (issue 14 #2).",
  repetitions:
    'first logins 3, versioned logins 5, replays 5, cold starts 3; at 100,000 contacts and above 2, 3, 3 and 2, so that the sizes 10,000, 50,000 and 100,000 stay within about 30 minutes.',
  growth:
    'value at the larger size / value at the smaller, for each metric measured at both consecutive sizes; beside it the size ratio: linear work grows by about the size ratio, the versioned login and per-push costs by about 1.',
  peak_rss:
    'process.resourceUsage().maxRSS of a fresh `node rss-child.js` per N that builds the real core, signs in with an empty cache and takes the full roster.',
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const log = (s: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
  log(`sizes ${args.sizes.join(', ')}; ${machine.cpus} x ${machine.model}, ${machine.memGB} GB, node ${machine.node}`);
  xmlProbe.install();
  const started = now();
  const results: ResultRow[] = [];
  const server = await startProsody({ tls: true });
  try {
    const dataPath = prosodyDataPath(server.port);
    await server.register(JULIET, PASSWORD);
    await server.register(ROMEO, PASSWORD);
    for (const n of args.sizes) {
      const sizeStarted = now();
      results.push(...(await benchSize(server, dataPath, n, args.pushes, args.keep, log)));
      // The renderer's rows (and any it adds: first paint, IPC bytes, heap) join the same table and JSON.
      results.push(...(await benchRendererSize(n, log)));
      results.push(...(await benchSignInSize(server, readFileSync(server.caFile, 'utf8'), PASSWORD, n, log)));
      log(`N=${n}: done in ${round((now() - sizeStarted) / 1000, 0)} s`);
    }
  } finally {
    await server.stop();
  }
  const jsonRows = results.map((r) => ({ ...r, metric: r.metric.trim().replace(/ \(.*\)$/, '') }));
  const seen = new Set<string>();
  for (const r of jsonRows) {
    const key = `${r.n} ${r.metric}`;
    if (seen.has(key)) log(`warning: metric ${key} appears twice in the JSON`);
    seen.add(key);
  }
  console.log(formatTable(results));
  const growth = growthRatios(jsonRows);
  if (growth.length > 0) console.log(`\nGrowth between sizes:\n${formatGrowth(growth)}`);
  console.log('\nMethods:');
  for (const [k, v] of Object.entries({ ...METHODS, ...RENDERER_METHODS, ...SIGN_IN_METHODS }))
    console.log(`- ${k}: ${v}`);
  mkdirSync(dirname(args.out), { recursive: true });
  const json = {
    machine,
    results: jsonRows,
    growth: growth.map((g) => ({ ...g, ratio: round(g.ratio, 3), sizeRatio: round(g.sizeRatio, 3) })),
    methods: { ...METHODS, ...RENDERER_METHODS, ...SIGN_IN_METHODS },
    durationSeconds: round((now() - started) / 1000, 1),
  };
  writeFileSync(args.out, `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${args.out} (${round((now() - started) / 1000, 1)} s in all)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
