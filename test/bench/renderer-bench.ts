/**
 * The renderer's part of the benchmark ("50,000 contacts instant end to
 * end"): the built renderer (dist/renderer) in Debian's Chromium, bridged to
 * a real MessengerService (./renderer-bridge.ts) whose profile database
 * already caches N contacts of the account (no server: with no saved
 * password the service opens offline into the cached list, as the app does
 * on a start without a kept password).
 *
 * Per N (the table rows and their methods: RENDERER_METHODS):
 * - first contacts painted from a cold cache, fresh MessengerService and
 *   fresh page (fresh browser context: empty HTTP and code caches) per run:
 *   the core's open (new MessengerService + resume) + navigation start -> end
 *   of the frame that paints the first .contact-row (./renderer-probes.ts);
 * - the page's JS heap after a forced GC, with the list shown;
 * - filter latency per keystroke in the real search box;
 * - scroll frames;
 * - a roster push delivered to the page -> its row painted.
 *
 *   node dist/test/bench/renderer-bench.js [--sizes 10000,50000] [--out test-results/bench-renderer.json]
 *
 * roster-bench.ts (npm run bench) calls benchRendererSize() for each N.
 * BENCH_RENDERER_DIR=<dir with index.html and app.js> measures another
 * build of the renderer (a before/after). ./renderer-profile.ts takes CPU
 * profiles and traces of the same scenarios.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccountSettings, MessengerEvent, RosterItem } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { openStore } from '../../main/core/roster-core.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';
import { tempDir } from '../support/roster-fixtures.js';
import {
  formatTable,
  machineInfo,
  median,
  parseArgs,
  percentile,
  round,
  withTimeout,
  type ResultRow,
} from './bench-util.js';
import { generateRoster } from './prosody-roster.js';
import {
  launchChromium,
  openBridgedPage,
  serveRenderer,
  type BridgedPage,
  type ServedRenderer,
} from '../support/renderer-bridge.js';
import {
  COLLECT_FIRST_PAINT,
  FILTER_PROBE,
  FIRST_PAINT_PROBE,
  PUSH_PROBE,
  SCROLL_PROBE,
  callProbe,
  type FilterSample,
  type FilterStep,
  type PushSample,
  type PushStep,
  type ScrollResult,
} from './renderer-probes.js';

const ACCOUNT = 'juliet@localhost';
const COLD_REPS = 5;
const FILTER_QUERIES = ['rom', 'mar', 'jürg', 'sch', 'ann', 'x9q'];
const FILTER_ROUNDS = 2;
const SCROLL_FRAMES = 120;
/** px per frame: 240 (about 4 rows, 14,400 px/s: a fast wheel or trackpad scroll); 700 (about one list viewport: a fling, nearly every row replaced each frame). */
const SCROLL_STEPS = [240, 700];
const PUSHES = 100;
const WARM_REPS = 5;

export const RENDERER_TARGETS = {
  firstPaintMs: 300,
  keystrokeMs: 16,
  scrollFrameMs: 16,
  pushMs: 5,
  heapMB: 30,
};

export const RENDERER_METHODS = {
  renderer_setup:
    "the built renderer (dist/renderer/app.js, as `npm run build` bundles it) in Debian's Chromium (headless, --disable-gpu, viewport 480x800), bridged to a real MessengerService (test/support/renderer-bridge.ts): a call goes to node as a JSON string over a CDP binding, the Result comes back as one JSON string parsed in the page (serialise, copy, deserialise once, as Electron's IPC does with a structured clone). Answers over 64 KB (the snapshot) come back as a same-origin script the page loads from the bridge's server, not through CDP, which takes 0.4-0.9 s for 7 MB; loading 7 MB still costs this harness a few hundred ms on a loaded 2-core machine, reported as bridge_transport and excluded in renderer_first_contacts_painted_excl_transport. The e2e tests use the same bridge. The profile database holds N generated contacts (test/bench/prosody-roster.ts generateRoster) written with RosterStore.replaceAll, and the account setting; no saved password, so MessengerService.resume() opens offline into the cache.",
  renderer_first_paint:
    "cold: per run a fresh MessengerService (openDatabase + migrations check + resume) and a fresh browser context and page (empty HTTP and V8 code caches); 5 runs, median. Value = core open (node, performance.now around new MessengerService + resume) + page navigation start -> end of the frame that paints the first .contact-row (an init script checks for a row at the start of each frame; a MessageChannel message posted from that frame's requestAnimationFrame callback runs when the frame's main-thread work, paint included, is done; the row is checked to be inside the viewport and visible). The harness's own gap between the two (browser context creation) is not counted. The list loads through getRosterPage (the rows the window shows, computed in main in slices) and then getRosterChunk (2,500 contacts each) until the whole roster is in (xm-roster-complete). Breakdown: page navigation start -> getRosterPage sent (document, script, getState round trip, first render); its round trip in the page (node: the service's getRosterPage + JSON encoding; JSON.parse in the page; the rest is bridge_transport); first page parsed -> first row painted. renderer_first_contacts_painted_excl_transport is the same total minus bridge_transport.",
  renderer_warm_start:
    'warm: after the cold runs, a fresh MessengerService opened and closed on the same profile (its open time, with the OS file cache warm, is the core open) + the page reloaded in its browser context (HTTP and V8 code caches warm), navigation start -> first .contact-row painted, as for cold; 5 runs, median. The reloaded page talks to the kept service (the harness cannot swap the service behind a page).',
  renderer_ipc_bytes:
    'characters of the JSON answers as the bridge sends them (what Electron would structured-clone): the getRosterPage answer (first screen), and that plus every getRosterChunk answer (the whole roster); median over the cold runs.',
  renderer_heap:
    'CDP HeapProfiler.collectGarbage then Runtime.getHeapUsage (usedSize) on the page showing N contacts, after the last chunk of the last cold run was applied (xm-roster-complete).',
  renderer_filter: `in-page: for each of ${JSON.stringify(FILTER_QUERIES)} (x${FILTER_ROUNDS}), typed one character at a time into the real search input (value set + an input event, dispatched at the start of a frame), then cleared with one input event; a keystroke is timed from the event to the end of the first frame whose rendered rows all carry the set sizes and counts of the list expected for that text (computed in node: a header the number of groups and its group's count, a contact its group's count) and all match it (or "No matches" when nothing does). Median and p95 over all keystrokes, the clears included. A person also waits up to one frame interval for the next vsync, which is not counted.`,
  renderer_scroll: `the list's scroller moved by a fixed step at the start of each of ${SCROLL_FRAMES} frames, from the top: 240 px per frame (about 4 rows; 14,400 px/s, a fast wheel or trackpad scroll) and 700 px per frame (about one list viewport: a fling that replaces nearly every row each frame). Headless Chromium produces frames from a 60 Hz timer (no display vsync), so requestAnimationFrame deltas are quantised to 16.7 ms and only show whole dropped frames; they are reported as a diagnostic. The figure compared with the target is each frame's main-thread work: from the frame's scroll event (capturing listener on the list's shadow root, before the virtualiser's own) or animation frame callback, whichever came first, to the end of the frame (MessageChannel message posted from the callback). Blank frames: frames whose end left part of the viewport without rows.`,
  renderer_push: `${PUSHES} roster changes delivered to the page as the bridge delivers service events (window.__bridgeDeliver with {type: 'roster', change: {kind: 'upsert', ...}}, what the preload's onEvent listeners get), one per few frames, at the start of a frame, with the list at its top: half new contacts, half renames of cached contacts, each labelled to sort first in the first group so that its row is on screen. Timed from the delivery to the end of the first frame that shows the row with its new label inside the list's viewport; median and p95. dom: delivery -> the list's last DOM change before that frame's end.`,
};

const GROUP_FIRST = 'Amigos';

// ---------------------------------------------------------------------------
// What the list must show, computed in node (mirrors renderer/roster: label, fold, one row per group).

const labelOf = (item: RosterItem): string => (item.name !== null && item.name.trim() !== '' ? item.name : item.jid);
const foldText = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** The contacts shown per group for `text` (a contact in several groups counts in each); empty: "No matches". */
function expectedGroups(items: Iterable<RosterItem>, text: string): Record<string, number> {
  const q = foldText(text.trim());
  const groups: Record<string, number> = {};
  for (const item of items) {
    if (q !== '' && !foldText(`${labelOf(item)}\n${item.jid}`).includes(q)) continue;
    for (const g of item.groups.length === 0 ? [''] : item.groups) groups[g] = (groups[g] ?? 0) + 1;
  }
  return groups;
}

function expectedStep(items: readonly RosterItem[], value: string): FilterStep {
  const groups = expectedGroups(items, value);
  const counts = Object.values(groups);
  const expectedRows = counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) + counts.length;
  return { value, expectedRows, groups };
}

export function filterSteps(items: readonly RosterItem[]): FilterStep[] {
  const steps: FilterStep[] = [];
  for (let round = 0; round < FILTER_ROUNDS; round++) {
    for (const query of FILTER_QUERIES) {
      for (let i = 1; i <= query.length; i++) steps.push(expectedStep(items, query.slice(0, i)));
      steps.push(expectedStep(items, ''));
    }
  }
  return steps;
}

export function pushSteps(items: readonly RosterItem[], count: number): PushStep[] {
  const steps: PushStep[] = [];
  for (let k = 0; k < count; k++) {
    // Decreasing numbers sort each new label first (numeric collation): every push lands on row 1.
    const label = `Aaron Push ${10_000 - k}`;
    const base = k % 2 === 0 ? null : items[(k * 7919) % items.length]!;
    const item: RosterItem = base
      ? { ...base, name: label, groups: [GROUP_FIRST] }
      : {
          jid: `push.contact${k}@bench.example`,
          name: label,
          subscription: 'both',
          ask: null,
          approved: false,
          groups: [GROUP_FIRST],
        };
    const event: MessengerEvent = { type: 'roster', change: { kind: 'upsert', item, version: `push-${k}` } };
    steps.push({ event: JSON.stringify(event), jid: item.jid, label });
  }
  return steps;
}

// ---------------------------------------------------------------------------

interface FirstPaintRun {
  coreOpenMs: number;
  pageMs: number;
  totalMs: number;
  toGetRosterSentMs: number;
  getRosterRoundTripMs: number;
  coreGetRosterMs: number;
  encodeMs: number;
  transportMs: number;
  /** part of the transport: the page loading the answer's script (fetch + compile) */
  scriptLoadMs: number;
  pageParseMs: number;
  afterSnapshotMs: number;
  domContentLoadedMs: number;
  /** getState's round trip in the page (the app waits for it before it asks for the roster) */
  getStateMs: number;
  fcpMs: number;
  snapshotMB: number;
  rowsAtFirstPaint: number;
  /** navigation start -> the last chunk in (xm-roster-complete) */
  completeMs: number;
  /** characters of the getRosterPage answer (JSON: what crosses IPC for the first screen) */
  firstScreenBytes: number;
  /** characters of the first page and every chunk (the whole roster) */
  wholeRosterBytes: number;
  chunks: number;
}

interface IpcLog {
  channel: string;
  sent: number;
  notified: number;
  arrived: number;
  parsed: number;
  bytes: number;
}
interface FirstPaintMarks {
  marks: { firstRowPainted: number; firstRowFrameStart: number; firstRowVisible: boolean; rowsAtFirstPaint: number };
  ipc: IpcLog[];
  domContentLoaded: number;
  firstContentfulPaint: number;
}

export function makeProfile(items: RosterItem[]): string {
  const dir = tempDir('balcony-bench-renderer-');
  const { db, store } = openStore(dir);
  try {
    store.replaceAll(ACCOUNT, items, 'bench-1');
    store.markSynced(ACCOUNT, Date.now());
    const settings: AccountSettings = { jid: ACCOUNT, host: null, port: null, rememberPassword: false };
    new AppSettingsStore(db).set('account', settings);
  } finally {
    db.close();
  }
  return dir;
}

/** Init script: when the whole roster is in the list (the last chunk: xm-roster-complete), ms since navigation start. */
export const COMPLETE_PROBE = `document.addEventListener('xm-roster-complete', () => { window.__rosterComplete ??= performance.now(); });`;

async function poll(page: BridgedPage['page'], expression: string, what: string): Promise<void> {
  // Polled from here: a string predicate for waitForFunction would be eval'd in the page, which its CSP refuses.
  const deadline = performance.now() + 120_000;
  while (!(await page.evaluate(expression))) {
    if (performance.now() > deadline) throw new Error(`${what} within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads a run's figures once its first row is painted and its whole roster is in. */
async function firstPaintRun(lean: BridgedPage, coreOpenMs: number, since = 0): Promise<FirstPaintRun> {
  await poll(lean.page, 'window.__bench.marks.firstRowPainted !== undefined', 'no contact row painted');
  const m = await lean.page.evaluate<FirstPaintMarks>(COLLECT_FIRST_PAINT);
  if (!m.marks.firstRowVisible) throw new Error('the first contact row was not inside the viewport when painted');
  await poll(lean.page, 'window.__rosterComplete !== undefined', 'the whole roster not in');
  const completeMs = await lean.page.evaluate<number>('window.__rosterComplete');
  const get = m.ipc.find((c) => c.channel === 'getRosterPage');
  const state = m.ipc.find((c) => c.channel === 'getState');
  const calls = lean.handled.slice(since);
  const handled = calls.find((h) => h.channel === 'getRosterPage');
  if (!get || !handled) throw new Error('no getRosterPage call seen');
  const chunks = calls.filter((h) => h.channel === 'getRosterChunk');
  const pageMs = m.marks.firstRowPainted;
  const roundTrip = get.parsed - get.sent;
  return {
    coreOpenMs,
    pageMs,
    totalMs: coreOpenMs + pageMs,
    toGetRosterSentMs: get.sent,
    getRosterRoundTripMs: roundTrip,
    coreGetRosterMs: handled.handlerMs,
    encodeMs: handled.encodeMs,
    pageParseMs: get.parsed - get.arrived,
    transportMs: roundTrip - handled.handlerMs - handled.encodeMs - (get.parsed - get.arrived),
    scriptLoadMs: get.arrived - get.notified,
    afterSnapshotMs: m.marks.firstRowPainted - get.parsed,
    domContentLoadedMs: m.domContentLoaded,
    getStateMs: state ? state.parsed - state.sent : Number.NaN,
    fcpMs: m.firstContentfulPaint,
    snapshotMB: handled.bytes / 1024 / 1024,
    rowsAtFirstPaint: m.marks.rowsAtFirstPaint,
    completeMs,
    firstScreenBytes: handled.bytes,
    wholeRosterBytes: handled.bytes + chunks.reduce((sum, h) => sum + h.bytes, 0),
    chunks: chunks.length,
  };
}

/** Opens a cold service and page and waits for the first contact row painted. The caller closes both. */
async function coldFirstPaint(
  browser: Awaited<ReturnType<typeof launchChromium>>,
  served: ServedRenderer,
  profileDir: string,
): Promise<{ run: FirstPaintRun; service: MessengerService; lean: BridgedPage }> {
  const t0 = performance.now();
  const service = new MessengerService({ profileDir, vault: new TestVault(false) });
  await service.resume();
  const coreOpenMs = performance.now() - t0;
  let lean: BridgedPage | undefined;
  try {
    lean = await openBridgedPage(browser, served, service, { initScripts: [FIRST_PAINT_PROBE, COMPLETE_PROBE] });
    return { service, lean, run: await firstPaintRun(lean, coreOpenMs) };
  } catch (error) {
    await lean?.close();
    await service.close();
    throw error;
  }
}

export async function benchRendererSize(n: number, log: (s: string) => void): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const row = (metric: string, value: number | null, unit: string, target: number | null = null): void => {
    const met = target === null || value === null || Number.isNaN(value) ? null : value < target;
    rows.push({ n, metric, value: value === null ? null : round(value, 3), unit, floor: null, target, met });
  };
  const loadBefore = loadavg()[0]!;
  const items = generateRoster(n);
  const profileDir = makeProfile(items);
  const served = await serveRenderer();
  const browser = await launchChromium();
  const pageErrors: string[] = [];
  try {
    const runs: FirstPaintRun[] = [];
    let kept: { service: MessengerService; lean: BridgedPage } | null = null;
    for (let rep = 0; rep < COLD_REPS; rep++) {
      const { run, service, lean } = await coldFirstPaint(browser, served, profileDir);
      runs.push(run);
      log(
        `N=${n}: renderer cold ${rep + 1}/${COLD_REPS}: first row painted ${round(run.totalMs, 0)} ms (core open ${round(run.coreOpenMs, 0)} + page ${round(run.pageMs, 0)}: to getRosterPage ${round(run.toGetRosterSentMs, 0)} [DOMContentLoaded ${round(run.domContentLoadedMs, 0)}, getState ${round(run.getStateMs, 0)}], getRosterPage ${round(run.getRosterRoundTripMs, 0)} [core ${round(run.coreGetRosterMs, 0)}, transport ${round(run.transportMs, 0)}], after the page ${round(run.afterSnapshotMs, 0)}); whole roster in at ${round(run.completeMs, 0)} ms, ${run.chunks} chunks, ${round(run.wholeRosterBytes / 1024 / 1024, 2)} MB`,
      );
      if (rep < COLD_REPS - 1) {
        await lean.close();
        await service.close();
      } else {
        kept = { service, lean };
      }
    }
    const { service, lean } = kept!;
    const { page, cdp } = lean;
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    try {
      // Heap with the list shown.
      await page.waitForTimeout(300);
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const heapMB = heap.usedSize / 1024 / 1024;
      log(`N=${n}: renderer heap after GC ${round(heapMB, 1)} MB`);

      // Warm start: a fresh core opened on the profile (OS file cache warm), and the page reloaded in its context (HTTP and code caches warm).
      const warmRuns: FirstPaintRun[] = [];
      for (let rep = 0; rep < WARM_REPS; rep++) {
        const t0 = performance.now();
        const fresh = new MessengerService({ profileDir, vault: new TestVault(false) });
        await fresh.resume();
        const coreOpenMs = performance.now() - t0;
        await fresh.close();
        const since = lean.handled.length;
        await page.reload();
        const warm = await firstPaintRun(lean, coreOpenMs, since);
        warmRuns.push(warm);
        log(
          `N=${n}: renderer warm ${rep + 1}/${WARM_REPS}: first row painted ${round(warm.totalMs, 0)} ms (core open ${round(coreOpenMs, 0)} + page ${round(warm.pageMs, 0)}: first page round trip ${round(warm.getRosterRoundTripMs, 0)} [core ${round(warm.coreGetRosterMs, 0)}]); whole roster in at ${round(warm.completeMs, 0)} ms, ${warm.chunks} chunks`,
        );
      }

      // Filter.
      const steps = filterSteps(items);
      const filter = await withTimeout(
        page.evaluate<FilterSample[]>(callProbe(FILTER_PROBE, { steps, settleFrames: 3 })),
        300_000,
        'filter probe',
      );
      const failed = filter.filter((s) => !s.ok);
      if (failed.length > 0)
        throw new Error(`filter: the list never showed ${failed.map((s) => JSON.stringify(s.value)).join(', ')}`);
      const keyMs = filter.map((s) => s.ms);
      const worst = [...filter]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((s) => `${JSON.stringify(s.value)} ${round(s.ms, 1)} ms/${s.frames}f`);
      log(
        `N=${n}: renderer filter: ${filter.length} keystrokes, median ${round(median(keyMs), 1)} ms, p95 ${round(percentile(keyMs, 95), 1)} ms; worst ${worst.join(', ')}`,
      );

      // Scroll.
      const scrolls: ScrollResult[] = [];
      for (const step of SCROLL_STEPS) {
        const scroll = await withTimeout(
          page.evaluate<ScrollResult>(callProbe(SCROLL_PROBE, { frames: SCROLL_FRAMES, step })),
          120_000,
          'scroll probe',
        );
        scrolls.push(scroll);
        log(
          `N=${n}: renderer scroll ${step} px/frame: ${scroll.frames} frames over ${scroll.rowsScrolled} rows: frame work median ${round(median(scroll.frameWork), 1)} / p95 ${round(percentile(scroll.frameWork, 95), 1)} / max ${round(Math.max(...scroll.frameWork), 1)} ms; rAF delta p95 ${round(percentile(scroll.rafDeltas, 95), 1)} ms; blank frames ${scroll.blankFrames}; long frames ${scroll.longFrames.length}`,
        );
      }

      // Pushes.
      const pushes = await withTimeout(
        page.evaluate<PushSample[]>(callProbe(PUSH_PROBE, { pushes: pushSteps(items, PUSHES), settleFrames: 2 })),
        300_000,
        'push probe',
      );
      const notShown = pushes.filter((p) => !p.ok).length;
      if (notShown > 0) throw new Error(`push: ${notShown} of ${pushes.length} pushed rows never showed`);
      const pushMs = pushes.map((p) => p.ms);
      log(
        `N=${n}: renderer push: median ${round(median(pushMs), 2)} ms, p95 ${round(percentile(pushMs, 95), 2)} ms (sync ${round(median(pushes.map((p) => p.syncMs)), 2)}, dom ${round(median(pushes.map((p) => p.domMs)), 2)} ms; frames ${Math.max(...pushes.map((p) => p.frames))} at most)`,
      );
      if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);

      const med = (f: (r: FirstPaintRun) => number): number => median(runs.map(f));
      const warmMed = (f: (r: FirstPaintRun) => number): number => median(warmRuns.map(f));
      row(
        'renderer_warm_start_first_contacts_painted (core open + reload -> 1st row painted)',
        warmMed((r) => r.totalMs),
        'ms',
        RENDERER_TARGETS.firstPaintMs,
      );
      row(
        '  renderer_warm_first_page_round_trip (getRosterPage, in page)',
        warmMed((r) => r.getRosterRoundTripMs),
        'ms',
      );
      row(
        '  renderer_warm_nav_to_whole_roster_in (last chunk applied)',
        warmMed((r) => r.completeMs),
        'ms',
      );
      row(
        'renderer_first_contacts_painted (cold: core open + nav -> 1st row painted)',
        med((r) => r.totalMs),
        'ms',
        RENDERER_TARGETS.firstPaintMs,
      );
      row(
        'renderer_first_contacts_painted_excl_transport (the same, minus bridge_transport)',
        med((r) => r.totalMs - r.transportMs),
        'ms',
        RENDERER_TARGETS.firstPaintMs,
      );
      row(
        '  renderer_core_open (new MessengerService + resume)',
        med((r) => r.coreOpenMs),
        'ms',
      );
      row(
        '  renderer_page_nav_to_first_row_painted',
        med((r) => r.pageMs),
        'ms',
      );
      row(
        '  renderer_nav_to_whole_roster_in (cold, last chunk applied)',
        med((r) => r.completeMs),
        'ms',
      );
      row('renderer_ipc_first_screen (getRosterPage answer, JSON)', med((r) => r.firstScreenBytes) / 1024, 'KB', null);
      row(
        'renderer_ipc_whole_roster (first page + every chunk, JSON)',
        med((r) => r.wholeRosterBytes) / 1024 / 1024,
        'MB',
        null,
      );
      row(
        '  renderer_roster_chunks',
        med((r) => r.chunks),
        'chunks',
      );
      row(
        '  renderer_nav_to_getRosterPage_sent (load, getState, first render)',
        med((r) => r.toGetRosterSentMs),
        'ms',
      );
      row(
        '    renderer_nav_to_DOMContentLoaded (document + app.js run)',
        med((r) => r.domContentLoadedMs),
        'ms',
      );
      row(
        '    renderer_getState_round_trip',
        med((r) => r.getStateMs),
        'ms',
      );
      row(
        '  renderer_getRosterPage_round_trip (in page)',
        med((r) => r.getRosterRoundTripMs),
        'ms',
      );
      row(
        '    core_getRosterPage (service.getRosterPage in node, slices)',
        med((r) => r.coreGetRosterMs),
        'ms',
      );
      row(
        '    bridge_encode (JSON.stringify in node)',
        med((r) => r.encodeMs),
        'ms',
      );
      row(
        '    bridge_transport (binding call, answer script load: rest of the round trip)',
        med((r) => r.transportMs),
        'ms',
      );
      row(
        '    bridge_decode (JSON.parse in page)',
        med((r) => r.pageParseMs),
        'ms',
      );
      row(
        '  renderer_first_page_to_first_row_painted',
        med((r) => r.afterSnapshotMs),
        'ms',
      );
      row('renderer_js_heap_after_load (GC, whole roster in)', heapMB, 'MB', RENDERER_TARGETS.heapMB);
      row(
        'renderer_filter_keystroke_median (input -> frame with the list updated)',
        median(keyMs),
        'ms',
        RENDERER_TARGETS.keystrokeMs,
      );
      row('renderer_filter_keystroke_p95', percentile(keyMs, 95), 'ms', RENDERER_TARGETS.keystrokeMs);
      row('  renderer_filter_keystroke_max', Math.max(...keyMs), 'ms');
      SCROLL_STEPS.forEach((step, i) => {
        const scroll = scrolls[i]!;
        row(
          `renderer_scroll_${step}px_frame_work_p95 (main thread per frame)`,
          percentile(scroll.frameWork, 95),
          'ms',
          RENDERER_TARGETS.scrollFrameMs,
        );
        row(`  renderer_scroll_${step}px_frame_work_median`, median(scroll.frameWork), 'ms');
        row(
          `  renderer_scroll_${step}px_raf_delta_p95 (headless 60 Hz timer, diagnostic)`,
          percentile(scroll.rafDeltas, 95),
          'ms',
        );
        row(`  renderer_scroll_${step}px_blank_frames`, scroll.blankFrames, 'frames');
        row(`  renderer_scroll_${step}px_rows_scrolled`, scroll.rowsScrolled, 'rows');
      });
      row('renderer_push_to_painted_median (delivery -> row painted)', median(pushMs), 'ms', RENDERER_TARGETS.pushMs);
      row('  renderer_push_to_painted_p95', percentile(pushMs, 95), 'ms');
      row('  renderer_push_to_dom_median (delivery -> DOM updated)', median(pushes.map((p) => p.domMs)), 'ms');
      row('machine_load_average_1min_start (os.loadavg: other work on this machine)', loadBefore, 'load');
      row('machine_load_average_1min_end', loadavg()[0]!, 'load');
      return rows;
    } finally {
      await lean.close();
      await service.close();
    }
  } finally {
    await browser.close();
    await served.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!process.argv.slice(2).some((a) => a.startsWith('--out'))) args.out = 'test-results/bench-renderer.json';
  const log = (s: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
  const machine = machineInfo();
  log(`renderer bench, sizes ${args.sizes.join(', ')}; ${machine.cpus} x ${machine.model}`);
  const started = performance.now();
  const results: ResultRow[] = [];
  for (const n of args.sizes) results.push(...(await benchRendererSize(n, log)));
  console.log(formatTable(results));
  console.log('\nMethods:');
  for (const [k, v] of Object.entries(RENDERER_METHODS)) console.log(`- ${k}: ${v}`);
  mkdirSync(dirname(args.out), { recursive: true });
  const jsonRows = results.map((r) => ({ ...r, metric: r.metric.trim().replace(/ \(.*\)$/, '') }));
  writeFileSync(
    args.out,
    `${JSON.stringify({ machine, results: jsonRows, methods: RENDERER_METHODS, durationSeconds: round((performance.now() - started) / 1000, 1) }, null, 2)}\n`,
  );
  log(`wrote ${args.out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
