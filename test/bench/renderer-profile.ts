/**
 * Profiles the renderer in the benchmark's setting (./renderer-bench.ts):
 * a V8 CPU profile of the page (CDP Profiler, 100 us sampling) and a Chrome
 * trace (devtools.timeline) of one scenario, plus a summary of the page's
 * main-thread time by trace event (script, style, layout, paint, GC).
 *
 *   node dist/test/bench/renderer-profile.js <cold|filter|scroll|push> [--n 50000] [--dir test-results/profiles]
 *   node dist/test/bench/profile-summary.js test-results/profiles/renderer-cold-50000.cpuprofile
 *
 * The trace opens in Chrome's DevTools (Performance, "Load profile").
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { median, percentile } from './bench-util.js';
import { COMPLETE_PROBE, filterSteps, makeProfile, pushSteps } from './renderer-bench.js';
import { generateRoster } from './prosody-roster.js';
import { launchChromium, openBridgedPage, serveRenderer } from '../support/renderer-bridge.js';
import { FILTER_PROBE, FIRST_PAINT_PROBE, PUSH_PROBE, SCROLL_PROBE, callProbe } from './renderer-probes.js';

const argv = process.argv.slice(2);
const scenario = argv[0];
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const n = Number(flag('--n', '50000'));
const dir = flag('--dir', 'test-results/profiles');
/** --no-trace: the CPU profile alone (the trace's invalidation tracking inflates style recalculation). */
const trace = !argv.includes('--no-trace');
if (!['cold', 'filter', 'scroll', 'push'].includes(scenario ?? '')) {
  console.error('usage: renderer-profile.js <cold|filter|scroll|push> [--n 50000] [--dir test-results/profiles]');
  process.exit(2);
}

const TRACE_CATEGORIES = process.env.TRACE_CATEGORIES
  ? process.env.TRACE_CATEGORIES.split(',')
  : ['devtools.timeline', 'v8.execute', 'blink.user_timing', 'v8'];

function summariseResult(kind: string, result: unknown): string {
  const stats = (xs: number[]): string =>
    `median ${median(xs).toFixed(1)}, p95 ${percentile(xs, 95).toFixed(1)}, max ${Math.max(...xs).toFixed(1)} ms (${xs.length})`;
  if (kind === 'scroll') {
    const r = result as { frameWork: number[]; rafDeltas: number[] };
    return `scroll frame work ${stats(r.frameWork)}; rAF deltas ${stats(r.rafDeltas)}`;
  }
  return `${kind}: ${stats((result as { ms: number }[]).map((s) => s.ms))}`;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Main-thread time of the page's renderer by top-level event name, and by any event name (inclusive). */
function summariseTrace(file: string): string {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // The busiest renderer main thread is the page's.
  const busy = new Map<string, number>();
  for (const e of events)
    if (e.ph === 'X' && e.dur) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
  const main = mains.map((m) => `${m.pid}:${m.tid}`).sort((a, b) => (busy.get(b) ?? 0) - (busy.get(a) ?? 0))[0];
  const complete = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined && `${e.pid}:${e.tid}` === main)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const inclusive = new Map<string, number>();
  const top = new Map<string, number>();
  let openEnd = -Infinity;
  for (const e of complete) {
    inclusive.set(e.name, (inclusive.get(e.name) ?? 0) + e.dur!);
    if (e.ts >= openEnd) {
      top.set(e.name, (top.get(e.name) ?? 0) + e.dur!);
      openEnd = e.ts + e.dur!;
    }
  }
  const fmt = (m: Map<string, number>): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `${(v / 1000).toFixed(1).padStart(9)}  ${k}`)
      .join('\n');
  return `top-level tasks on the page's main thread (ms):\n${fmt(top)}\n\nall events, inclusive (ms):\n${fmt(inclusive)}`;
}

async function run(browser: Browser): Promise<void> {
  const items = generateRoster(n);
  const profileDir = makeProfile(items);
  const served = await serveRenderer();
  const service = new MessengerService({ profileDir, vault: new TestVault(false) });
  await service.resume();
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `renderer-${scenario}-${n}`);
  let lean: Awaited<ReturnType<typeof openBridgedPage>> | undefined;
  try {
    const startProfiler = async (cdp: import('playwright-core').CDPSession): Promise<void> => {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    };
    const waitPainted = async (): Promise<void> => {
      while (!(await lean!.page.evaluate('window.__bench.marks.firstRowPainted !== undefined')))
        await new Promise((r) => setTimeout(r, 20));
    };
    if (scenario === 'cold') {
      lean = await openBridgedPage(browser, served, service, {
        initScripts: [FIRST_PAINT_PROBE],
        beforeGoto: async (cdp) => {
          if (trace)
            await browser.startTracing(undefined, { path: `${base}.trace.json`, categories: TRACE_CATEGORIES });
          await startProfiler(cdp);
        },
      });
      await waitPainted();
    } else {
      lean = await openBridgedPage(browser, served, service, { initScripts: [FIRST_PAINT_PROBE, COMPLETE_PROBE] });
      await waitPainted();
      // The whole roster in (the last chunk), then a moment for the idle-time warm-up.
      while (!(await lean.page.evaluate('window.__rosterComplete !== undefined')))
        await new Promise((r) => setTimeout(r, 20));
      await lean.page.waitForTimeout(500);
      if (trace) await browser.startTracing(undefined, { path: `${base}.trace.json`, categories: TRACE_CATEGORIES });
      await startProfiler(lean.cdp);
      const probe =
        scenario === 'filter'
          ? callProbe(FILTER_PROBE, { steps: filterSteps(items), settleFrames: 3 })
          : scenario === 'scroll'
            ? callProbe(SCROLL_PROBE, { frames: 150, step: Number(flag('--step', '700')) })
            : callProbe(PUSH_PROBE, { pushes: pushSteps(items, 30), settleFrames: 2 });
      const result = await lean.page.evaluate(probe);
      writeFileSync(`${base}.result.json`, JSON.stringify(result, null, 1));
    }
    const { profile } = await lean.cdp.send('Profiler.stop');
    writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
    if (trace) await browser.stopTracing();
    const marks = await lean.page.evaluate('JSON.stringify({ marks: window.__bench.marks, ipc: window.__bench.ipc })');
    console.log(marks);
    if (scenario !== 'cold')
      console.log(summariseResult(scenario!, JSON.parse(readFileSync(`${base}.result.json`, 'utf8'))));
    console.log(`wrote ${base}.cpuprofile${trace ? ` and ${base}.trace.json` : ''}\n`);
    if (trace) console.log(summariseTrace(`${base}.trace.json`));
  } finally {
    await lean?.close();
    await service.close();
    await served.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

const browser = await launchChromium();
try {
  await run(browser);
} finally {
  await browser.close();
}
