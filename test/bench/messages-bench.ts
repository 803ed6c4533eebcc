/**
 * Messages benchmark (issue 10, "Speed"), run by `npm run bench` after the
 * roster benchmark, or alone:
 *
 *   npm run bench:messages -- [--quick] [--messages 100000] [--archive 10000] [--out test-results/bench-messages.json]
 *   (= npm run build && node dist/test/bench/messages-bench.js ...)
 *
 * 1. Opening a conversation of 100,000 stored messages (./conversation-bench.ts):
 *    a real MessageStore file filled through the store's archive path, the
 *    store's newest page (history) timed in main, then the built renderer in
 *    Chromium drawing the conversation from that store's pages through the
 *    IPC shapes: open -> newest screen painted (target < 100 ms), scrolling
 *    back through it (p95 frame work, target < 16 ms).
 * 2. Catching up 10,000 archived messages after sign-in
 *    (./archive-catchup-bench.ts): client-side work vs the parse-and-insert
 *    floor (target <= 3x) and the longest event-loop block (target < 50 ms).
 * 3. A received message painted within 5 ms (median) of its arrival at the
 *    core, and unread counts updated without re-rendering the list's other
 *    rows (./conversation-bench.ts).
 * --quick: 10,000 stored messages, 2,000 archived, one run each: a smoke run.
 * A part that is not there (a renderer piece) is reported as not measured
 * (rows without a value, and why), never guessed. Prints a table (target and met per row) and writes JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { formatTable, machineInfo, round, type ResultRow } from './bench-util.js';
import { CATCH_UP_METHODS, benchCatchUp } from './archive-catchup-bench.js';
import { CONVERSATION_METHODS, benchConversation } from './conversation-bench.js';
import { xmlProbe } from './xml-probe.js';

interface MessagesArgs {
  quick: boolean;
  messages: number;
  archive: number;
  out: string;
  /** Skip the renderer (Chromium) parts. */
  noRenderer: boolean;
}

function parseMessagesArgs(argv: readonly string[]): MessagesArgs {
  const args: MessagesArgs = {
    quick: false,
    messages: 100_000,
    archive: 10_000,
    out: 'test-results/bench-messages.json',
    noRenderer: false,
  };
  let messagesGiven = false;
  let archiveGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (max: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 100 || n > max) throw new Error(`${flag} must be an integer 100..${max}`);
      return n;
    };
    if (flag === '--quick') args.quick = true;
    else if (flag === '--no-renderer') args.noRenderer = true;
    else if (flag === '--messages') {
      args.messages = count(1_000_000);
      messagesGiven = true;
    } else if (flag === '--archive') {
      args.archive = count(100_000);
      archiveGiven = true;
    } else if (flag === '--out') args.out = value();
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: node dist/test/bench/messages-bench.js [--quick] [--messages 100000] [--archive 10000] [--no-renderer] [--out test-results/bench-messages.json]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (args.quick) {
    if (!messagesGiven) args.messages = 10_000;
    if (!archiveGiven) args.archive = 2_000;
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseMessagesArgs(process.argv.slice(2));
  const machine = machineInfo();
  const log = (s: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
  log(
    `messages bench${args.quick ? ' (quick)' : ''}: ${args.messages} stored, ${args.archive} archived; ${machine.cpus} x ${machine.model}, node ${machine.node}`,
  );
  xmlProbe.install();
  const started = performance.now();
  const loadBefore = loadavg()[0]!;

  /** What could not be measured, and why (a renderer part that is not there). */
  const missing: string[] = [];

  const results: ResultRow[] = [];
  results.push(
    ...(await benchConversation(args.messages, { quick: args.quick, renderer: !args.noRenderer }, { missing }, log)),
  );
  results.push(...(await benchCatchUp(args.archive, args.quick ? 1 : 3, !args.noRenderer, log)));
  const loadRow = (metric: string, value: number): ResultRow => ({
    n: 0,
    metric,
    value: round(value, 2),
    unit: 'load',
    floor: null,
    target: null,
    met: null,
  });
  results.push(loadRow('machine_load_average_1min_start (os.loadavg: other work on this machine)', loadBefore));
  results.push(loadRow('machine_load_average_1min_end', loadavg()[0]!));

  console.log(formatTable(results));
  if (missing.length > 0) console.log(`\nNot measured:\n${missing.map((m) => `- ${m}`).join('\n')}`);
  const methods = { ...CONVERSATION_METHODS, ...CATCH_UP_METHODS };
  console.log('\nMethods:');
  for (const [k, v] of Object.entries(methods)) console.log(`- ${k}: ${v}`);
  const jsonRows = results.map((r) => ({ ...r, metric: r.metric.trim().replace(/ \(.*\)$/, '') }));
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(
    args.out,
    `${JSON.stringify(
      {
        machine,
        quick: args.quick,
        results: jsonRows,
        missing,
        methods,
        durationSeconds: round((performance.now() - started) / 1000, 1),
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${args.out} (${round((performance.now() - started) / 1000, 1)} s in all)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
