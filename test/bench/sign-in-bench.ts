/**
 * Issue 16 #4, the bench's view of the first sign-in and of repeated pushes:
 *
 * - first sign-in at N: the built renderer in Chromium, bridged to a fresh
 *   MessengerService (empty profile), signs in through the real form to the
 *   Prosody that roster-bench.ts provisioned with N contacts; timed in the
 *   page from the click on "Sign in" to the first frame that paints the
 *   progress count, and to the first frame that paints a contact row;
 * - a burst of 1,000 no-op pushes: a scripted server (real XMPP over a real
 *   socket) pushes 1,000 items identical to the cached ones to a core whose
 *   page shows the N cached contacts; counted: change events reaching the
 *   page (target 0) and the page's main-thread time during the burst, net of
 *   the same page's idle time over as long a stretch (target: about none).
 *
 * roster-bench.ts calls both per N after its own rows.
 */
import { xml } from '@xmpp/client';
import type { MessengerEvent, RosterItem } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { launchChromium, openBridgedPage, serveRenderer, type BridgedPage } from '../support/renderer-bridge.js';
import { ROSTER_VER_FEATURE, ScriptedServer } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import type { TestServer } from '../support/xmpp-servers.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProsody } from '../support/xmpp-servers.js';
import { formatTable, machineInfo, median, parseArgs, round, withTimeout, type ResultRow } from './bench-util.js';
import { generateRoster, prosodyDataPath, writeProsodyRoster } from './prosody-roster.js';
import { makeProfile } from './renderer-bench.js';

const SIGN_IN_REPS = 3;
const NOOP_PUSHES = 1_000;
const NS_ROSTER = 'jabber:iq:roster';

export const SIGN_IN_TARGETS = {
  /** Feedback within a second: the user sees that something is happening (and how far along). */
  toFirstProgressMs: 1_000,
  /** From "online" the roster screen and its panel within a throttle interval and a frame or two. */
  onlineToPanelMs: 300,
  /** No-op pushes reach nothing on the page. */
  noopChangeEvents: 0,
  /** Main-thread time per no-op push on the page, net of idle: 1,000 of them cost under 50 ms. */
  noopPageMsPerPush: 0.05,
};

export const SIGN_IN_METHODS = {
  sign_in_first: `the built renderer in Chromium (viewport 480x800) bridged to a fresh MessengerService with an empty profile; the sign-in form filled (address, password, server, port) and "Sign in" clicked by Playwright; Prosody holds N contacts (the roster-bench provisioning). In the page (an init script): the click's time (capturing listener), then at the start of every frame a look for the progress panel's headline and for a .contact-row; a frame that shows one is timed to its end (MessageChannel message posted from its requestAnimationFrame callback). sign_in_to_first_progress_painted: click -> end of the first frame showing "Receiving your contacts: <count> so far", or a contact row when the list came first (sign_in_to_count_painted: the count alone); sign_in_to_first_contacts_painted: click -> end of the first frame showing a contact row. ${SIGN_IN_REPS} runs, median; each a first login with an empty cache. roster_progress_events: 'roster-progress' events the page received per sign-in (throttled in the core to 4 a second).`,
  noop_push_burst: `a MessengerService on a profile caching N generated contacts signs in to a scripted server (test/support/scripted-server.ts) that answers the versioned get with "unchanged"; the page shows the list. The server then writes ${NOOP_PUSHES} roster pushes at once, each an item identical to a cached one (name, subscription, groups) with a new ver, and waits for every acknowledgement. noop_push_change_events_to_page: 'roster' events the bridge delivered to the page during the burst (target 0). noop_push_page_main_thread_per_push: CDP Performance.getMetrics TaskDuration (the renderer main thread's task time) over the burst and until two frames after the last acknowledgement, minus the same page's TaskDuration over an idle stretch as long, divided by ${NOOP_PUSHES}. noop_push_core_per_push: the burst's wall time in node (first push written -> last acknowledgement read) / ${NOOP_PUSHES}.`,
};

/** In the page: the click on "Sign in", the first frames that paint the progress count and a contact row. */
const SIGN_IN_PROBE = `(() => {
  const bench = (window.__bench ??= { ipc: [], marks: {} });
  const frameEnd = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(0);
  });
  // The bridge's event delivery, timed: when the page learns it is online, and of the first progress report.
  const deliver = window.__bridgeDeliver;
  window.__bridgeDeliver = (event) => {
    if (bench.marks.clicked !== undefined) {
      if (event.type === 'connection' && event.state.status === 'online') bench.marks.online ??= performance.now();
      if (event.type === 'roster-progress' && !event.progress.done) bench.marks.progressEvent ??= performance.now();
    }
    return deliver(event);
  };
  document.addEventListener('click', (event) => {
    const target = event.composedPath()[0];
    const button = target instanceof Element ? target.closest('button') : null;
    if (bench.marks.clicked === undefined && button && button.textContent.trim() === 'Sign in') bench.marks.clicked = performance.now();
  }, true);
  const poll = () => {
    const screen = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen')?.shadowRoot;
    const headline = screen?.querySelector('xm-roster-progress')?.shadowRoot?.querySelector('.headline')?.textContent ?? '';
    const row = screen?.querySelector('xm-contact-list')?.shadowRoot?.querySelector('.contact-row');
    if (bench.marks.panelFrame === undefined && headline !== '') {
      bench.marks.panelFrame = true;
      frameEnd().then((at) => { bench.marks.panelPainted = at; });
    }
    if (bench.marks.countFrame === undefined && / so far$/.test(headline)) {
      bench.marks.countFrame = true;
      frameEnd().then((at) => { bench.marks.countPainted = at; });
    }
    if (row) {
      frameEnd().then((at) => { bench.marks.rowPainted = at; });
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();`;

interface SignInMarks {
  clicked?: number;
  online?: number;
  progressEvent?: number;
  panelPainted?: number;
  countPainted?: number;
  rowPainted?: number;
}

/** Resolves with the page's value of `expression` once it is truthy; polled (the page's CSP refuses eval'd predicates). */
async function pollPage<T>(page: BridgedPage['page'], expression: string, timeoutMs: number, what: string): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate<T>(expression);
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface SignInRun {
  toOnlineMs: number;
  toSignInAnswerMs: number;
  toProgressEventMs: number | null;
  toPanelMs: number;
  toCountMs: number | null;
  toRowMs: number;
  progressEvents: number;
}

async function signInOnce(server: TestServer, caPem: string, password: string, n: number): Promise<SignInRun> {
  const served = await serveRenderer();
  const browser = await launchChromium();
  const service = new MessengerService({
    profileDir: tempDir('balcony-bench-sign-in-'),
    vault: new TestVault(true),
    sessionDefaults: { ca: caPem, iqTimeoutMs: 180_000, connectTimeoutMs: 60_000 },
  });
  let bridged: BridgedPage | undefined;
  try {
    bridged = await openBridgedPage(browser, served, service, { initScripts: [SIGN_IN_PROBE] });
    const { page } = bridged;
    await page.getByLabel('Address').fill('juliet@localhost');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByText('Advanced').click();
    await page.getByLabel('Server').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(server.port));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const marks = await pollPage<SignInMarks>(
      page,
      'window.__bench.marks.rowPainted !== undefined && window.__bench.marks',
      240_000,
      `N=${n}: first contact row after sign-in`,
    );
    const progressEvents = bridged.events.filter(
      (e: MessengerEvent) => e.type === 'roster-progress' && !e.progress.done,
    ).length;
    const clicked = marks.clicked!;
    const ipc = await page.evaluate<{ channel: string; parsed: number }[]>('window.__bench.ipc');
    const answer = ipc.find((c) => c.channel === 'signIn');
    return {
      toOnlineMs: (marks.online ?? Number.NaN) - clicked,
      toSignInAnswerMs: (answer?.parsed ?? Number.NaN) - clicked,
      toProgressEventMs: marks.progressEvent === undefined ? null : marks.progressEvent - clicked,
      toPanelMs: (marks.panelPainted ?? marks.rowPainted!) - clicked,
      toCountMs: marks.countPainted === undefined ? null : marks.countPainted - clicked,
      toRowMs: marks.rowPainted! - clicked,
      progressEvents,
    };
  } finally {
    await bridged?.close();
    await service.close();
    await browser.close();
    await served.close();
  }
}

function pushXml(item: RosterItem, id: string, ver: string): string {
  const attrs: Record<string, string> = { jid: item.jid, subscription: item.subscription };
  if (item.name !== null) attrs.name = item.name;
  if (item.ask) attrs.ask = item.ask;
  if (item.approved) attrs.approved = 'true';
  const itemEl = xml('item', attrs, ...item.groups.map((g) => xml('group', {}, g)));
  return xml('iq', { type: 'set', id }, xml('query', { xmlns: NS_ROSTER, ver }, itemEl)).toString();
}

interface BurstResult {
  changeEvents: number;
  pageMsPerPush: number;
  idleMs: number;
  burstPageMs: number;
  coreMsPerPush: number;
  acked: number;
}

async function noopBurst(n: number, log: (s: string) => void): Promise<BurstResult> {
  const items = generateRoster(n);
  const profileDir = makeProfile(items);
  const server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
  const served = await serveRenderer();
  const browser = await launchChromium();
  const service = new MessengerService({
    profileDir,
    vault: new TestVault(true),
    sessionDefaults: { ca: server.caPem, connectTimeoutMs: 30_000, iqTimeoutMs: 60_000 },
  });
  let bridged: BridgedPage | undefined;
  try {
    const signingIn = service.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port: server.port,
      rememberPassword: false,
    });
    const session = await server.nextSession(30_000);
    const get = await session.expectIq('get', NS_ROSTER, 30_000);
    session.reply(get, ''); // the cache is current
    await signingIn;
    bridged = await openBridgedPage(browser, served, service);
    const { page, cdp } = bridged;
    await page.locator('.contact-row').first().waitFor({ timeout: 120_000 });
    await cdp.send('Performance.enable');
    const taskSeconds = async (): Promise<number> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    // A string: node's types have no requestAnimationFrame, the page does.
    const twoFrames = (): Promise<unknown> =>
      page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await twoFrames();
    await page.waitForTimeout(500); // the list settles (idle warm-up of the model)

    const sample = items.slice(0, NOOP_PUSHES);
    const eventsBefore = bridged.events.length;
    const pageBefore = await taskSeconds();
    const t0 = performance.now();
    const replies = sample.map((_, k) => session.expectReplyTo(`noop-${k}`, 120_000));
    session.sendRaw(sample.map((item, k) => pushXml(item, `noop-${k}`, `bench-noop-${k}`)).join(''));
    const answered = await withTimeout(Promise.all(replies), 180_000, 'no-op push acknowledgements');
    const coreMs = performance.now() - t0;
    await twoFrames();
    const burstWallMs = performance.now() - t0;
    const burstPageMs = ((await taskSeconds()) - pageBefore) * 1000;
    const changeEvents = bridged.events.slice(eventsBefore).filter((e) => e.type === 'roster').length;

    // The same page, idle, for as long.
    const idleBefore = await taskSeconds();
    await page.waitForTimeout(burstWallMs);
    await twoFrames();
    const idleMs = ((await taskSeconds()) - idleBefore) * 1000;
    const acked = answered.filter((r) => r.attrs.type === 'result').length;
    log(
      `N=${n}: ${NOOP_PUSHES} no-op pushes: ${acked} acknowledged in ${round(coreMs, 0)} ms; ${changeEvents} change events reached the page; page main thread ${round(burstPageMs, 1)} ms during the burst, ${round(idleMs, 1)} ms idle over as long`,
    );
    return {
      changeEvents,
      pageMsPerPush: Math.max(0, burstPageMs - idleMs) / NOOP_PUSHES,
      idleMs,
      burstPageMs,
      coreMsPerPush: coreMs / NOOP_PUSHES,
      acked,
    };
  } finally {
    await bridged?.close();
    await service.close();
    await browser.close();
    await served.close();
    await server.stop();
  }
}

/** The issue 16 rows for one N; `server` is the Prosody that holds juliet's N contacts. */
export async function benchSignInSize(
  server: TestServer,
  caPem: string,
  password: string,
  n: number,
  log: (s: string) => void,
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const row = (metric: string, value: number | null, unit: string, target: number | null = null): void => {
    const met = target === null || value === null || Number.isNaN(value) ? null : value <= target;
    rows.push({ n, metric, value: value === null ? null : round(value, 3), unit, floor: null, target, met });
  };
  const runs: SignInRun[] = [];
  for (let rep = 0; rep < SIGN_IN_REPS; rep++) {
    const run = await signInOnce(server, caPem, password, n);
    runs.push(run);
    log(
      `N=${n}: sign-in ${rep + 1}/${SIGN_IN_REPS}: online ${round(run.toOnlineMs, 0)} ms, first progress event ${run.toProgressEventMs === null ? '-' : round(run.toProgressEventMs, 0)} ms, signIn answered ${round(run.toSignInAnswerMs, 0)} ms, progress panel ${round(run.toPanelMs, 0)} ms, count ${run.toCountMs === null ? 'never shown' : `${round(run.toCountMs, 0)} ms`}, first contacts ${round(run.toRowMs, 0)} ms after the click; ${run.progressEvents} progress events`,
    );
  }
  const counted = runs.map((r) => r.toCountMs).filter((ms): ms is number => ms !== null);
  // The panel says in plain words what happens ("Asking the server for your contacts…", then the count);
  // a list that arrives before it (a small one) is feedback too.
  row(
    'sign_in_to_first_progress_painted (click "Sign in" -> frame showing the progress panel, or the list if it came first)',
    median(runs.map((r) => r.toPanelMs)),
    'ms',
    SIGN_IN_TARGETS.toFirstProgressMs,
  );
  row(
    '  online_to_progress_panel_painted (the page told "online" -> panel painted: the app\'s own share)',
    median(runs.map((r) => r.toPanelMs - r.toOnlineMs)),
    'ms',
    SIGN_IN_TARGETS.onlineToPanelMs,
  );
  row(
    '  sign_in_to_count_painted (click -> frame showing "Receiving your contacts: <count> so far"; null when a run showed the list first)',
    counted.length === runs.length ? median(counted) : null,
    'ms',
  );
  row(
    '  sign_in_to_online (click -> the page told "online": connect, TLS, SASL, bind; Prosody loads the roster)',
    median(runs.map((r) => r.toOnlineMs)),
    'ms',
  );
  row(
    '  sign_in_to_first_progress_event (click -> first roster-progress event in the page; null when a run had none)',
    runs.every((r) => r.toProgressEventMs !== null) ? median(runs.map((r) => r.toProgressEventMs!)) : null,
    'ms',
  );
  row(
    "  sign_in_to_signIn_answered (click -> signIn's answer parsed in the page; it waits for the list or its first progress)",
    median(runs.map((r) => r.toSignInAnswerMs)),
    'ms',
  );
  row(
    'sign_in_to_first_contacts_painted (click "Sign in" -> frame showing a contact row)',
    median(runs.map((r) => r.toRowMs)),
    'ms',
  );
  row('  sign_in_roster_progress_events (per sign-in)', median(runs.map((r) => r.progressEvents)), 'events');
  const burst = await noopBurst(n, log);
  row(
    `noop_push_change_events_to_page (${NOOP_PUSHES} no-op pushes)`,
    burst.changeEvents,
    'events',
    SIGN_IN_TARGETS.noopChangeEvents,
  );
  row(
    'noop_push_page_main_thread_per_push (net of idle)',
    burst.pageMsPerPush,
    'ms',
    SIGN_IN_TARGETS.noopPageMsPerPush,
  );
  row('  noop_push_page_main_thread_burst (gross)', burst.burstPageMs, 'ms');
  row('  noop_push_page_main_thread_idle (as long, idle)', burst.idleMs, 'ms');
  row('  noop_push_core_per_push (node wall time / push)', burst.coreMsPerPush, 'ms');
  row('  noop_push_acknowledged', burst.acked, 'pushes');
  return rows;
}

/** Alone: node dist/test/bench/sign-in-bench.js [--sizes 10000] [--out test-results/bench-sign-in.json] */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!process.argv.slice(2).some((a) => a.startsWith('--out'))) args.out = 'test-results/bench-sign-in.json';
  const log = (s: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
  const server = await startProsody({ tls: true });
  const results: ResultRow[] = [];
  try {
    await server.register('juliet', 'bench-secret');
    for (const n of args.sizes) {
      writeProsodyRoster(prosodyDataPath(server.port), 'localhost', 'juliet', generateRoster(n), 1);
      await server.restart();
      results.push(...(await benchSignInSize(server, readFileSync(server.caFile, 'utf8'), 'bench-secret', n, log)));
    }
  } finally {
    await server.stop();
  }
  console.log(formatTable(results));
  mkdirSync(dirname(args.out), { recursive: true });
  const jsonRows = results.map((r) => ({ ...r, metric: r.metric.trim().replace(/ \(.*\)$/, '') }));
  writeFileSync(
    args.out,
    `${JSON.stringify({ machine: machineInfo(), results: jsonRows, methods: SIGN_IN_METHODS }, null, 2)}\n`,
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
