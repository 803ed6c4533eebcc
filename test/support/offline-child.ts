/**
 * Child process for test/integration/offline-random.test.ts: runs the real
 * core (createRosterCore on a profile directory) for one account and executes
 * commands read from stdin, one JSON object per line, answering each with one
 * JSON line on stdout, in order. The parent SIGKILLs it at random moments and
 * starts a new one on the same profile directory.
 *
 * Usage: node --import tsx offline-child.ts <profile-dir> <account> <password> <port> <ca-file>
 * Prints {"ready":true} once the core is open. Replies are written with
 * writeSync, so a reply the parent may have seen is never lost to a kill.
 *
 * Commands (see OfflineCommand):
 * - add {jid, name, groups}, update {jid, name?, groups?}, remove {jid}
 *   → {ok:true, queued} or {ok:false, code, message}
 * - online: starts the session (not failFast) and waits until it is online,
 *   the sign-in retrieval has landed and the outbox is flushed (it kicks the
 *   sender with roster.flushed()) → {ok, pendingBefore, pendingAfter, status}
 * - settle: the same wait, but passive: it never kicks the sender, so it shows
 *   whether a reconnect replays the outbox by itself → {ok, ...}
 * - offline: session.stop() → {ok:true}
 * - snapshot → {ok:true, server, view, pending, status}
 * - exit: closes the core, replies, exits 0
 */
import { readFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RosterItem } from '../../preload/contract.js';
import { createRosterCore, type RosterCore } from '../../main/core/roster-core.js';
import type { OutboxEntry } from '../../main/core/store/outbox-store.js';

export type OfflineCommand =
  | { cmd: 'add'; jid: string; name: string | null; groups: string[] }
  | { cmd: 'update'; jid: string; name?: string | null; groups?: string[] }
  | { cmd: 'remove'; jid: string }
  | { cmd: 'online'; timeoutMs?: number }
  | { cmd: 'settle'; timeoutMs?: number }
  | { cmd: 'offline' }
  | { cmd: 'snapshot' }
  | { cmd: 'exit' };

export interface EditReply {
  ok: true;
  queued: boolean;
  /** Connections lost (not signed out) since this child started: a reason to queue while "online". */
  drops: number;
}
export interface ErrorReply {
  ok: false;
  code: string;
  message: string;
}
export interface SyncReply {
  ok: boolean;
  pendingBefore: number;
  pendingAfter: number;
  status: string;
  ms: number;
  /** Sessions this child resumed (XEP-0198) instead of signing in anew, so far. */
  resumptions: number;
  /** As in EditReply. */
  drops: number;
}
export interface SnapshotReply {
  ok: true;
  /** The cache: the server's roster as last confirmed. */
  server: RosterItem[];
  /** What the user sees: the cache with waiting edits laid over it. */
  view: RosterItem[];
  pending: OutboxEntry[];
  status: string;
}

/** Session settings the test relies on: fast reconnects, fast detection of a dead server. */
export const CHILD_SESSION = {
  backoff: { initialMs: 100, maxMs: 500 },
  connectTimeoutMs: 2_000,
  iqTimeoutMs: 2_000,
  keepalive: { idleMs: 1_000, timeoutMs: 1_000 },
} as const;

function reply(value: unknown): void {
  writeSync(1, `${JSON.stringify(value)}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function errorReply(error: unknown): ErrorReply {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  return { ok: false, code: typeof e?.code === 'string' ? e.code : 'exception', message: String(e?.message ?? error) };
}

function isOnline(core: RosterCore): boolean {
  return core.session.state.status === 'online';
}

function waitingCount(core: RosterCore): number {
  return core.roster.pendingEdits().filter((e) => e.state === 'waiting').length;
}

/**
 * Whether the current connection has caught up with the server: the
 * retrieval that follows a new sign-in has landed, or the previous session
 * was resumed (XEP-0198: nothing was missed, no retrieval). Cleared whenever
 * the session leaves 'online'. Tracked from the start, so no event is missed.
 */
function trackCaughtUp(core: RosterCore): () => boolean {
  let caughtUp = false;
  core.session.on('state', (state) => {
    if (state.status !== 'online') caughtUp = false;
  });
  core.session.on('online', ({ resumed }) => {
    if (!resumed) return;
    caughtUp = true;
    resumptions += 1;
  });
  core.roster.on('retrieved', () => {
    caughtUp = core.session.state.status === 'online';
  });
  return () => caughtUp;
}

let resumptions = 0;
let drops = 0;
let stopping = false;

function trackDrops(core: RosterCore): void {
  let wasOnline = false;
  core.session.on('state', (state) => {
    if (wasOnline && state.status !== 'online' && !stopping) drops += 1;
    wasOnline = state.status === 'online';
  });
}

/**
 * Waits until the session is online, has caught up with the server, and no
 * edit is waiting. `kick` calls roster.flushed() (which also starts the
 * sender); without it the wait only watches.
 */
async function sync(core: RosterCore, caughtUp: () => boolean, timeoutMs: number, kick: boolean): Promise<SyncReply> {
  const started = Date.now();
  const pendingBefore = waitingCount(core);
  const deadline = started + timeoutMs;
  while (Date.now() < deadline) {
    if (isOnline(core)) {
      if (kick) await core.roster.flushed();
      else await core.roster.settled().catch(() => undefined);
      // read again: the session may have dropped during the awaits
      if (isOnline(core) && caughtUp() && waitingCount(core) === 0) {
        return {
          ok: true,
          pendingBefore,
          pendingAfter: 0,
          status: 'online',
          ms: Date.now() - started,
          resumptions,
          drops,
        };
      }
    }
    await sleep(25);
  }
  return {
    ok: false,
    pendingBefore,
    pendingAfter: waitingCount(core),
    status: core.session.state.status,
    ms: Date.now() - started,
    resumptions,
    drops,
  };
}

async function execute(core: RosterCore, caughtUp: () => boolean, command: OfflineCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'add':
      return {
        ok: true,
        queued: (await core.roster.add({ jid: command.jid, name: command.name, groups: command.groups })).queued,
        drops,
      };
    case 'update': {
      const input: { jid: string; name?: string | null; groups?: string[] } = { jid: command.jid };
      if ('name' in command) input.name = command.name;
      if ('groups' in command) input.groups = command.groups;
      return { ok: true, queued: (await core.roster.update(input)).queued, drops };
    }
    case 'remove':
      return { ok: true, queued: (await core.roster.remove(command.jid)).queued, drops };
    case 'online':
      await core.session.start({ failFast: false });
      return sync(core, caughtUp, command.timeoutMs ?? 15_000, true);
    case 'settle':
      return sync(core, caughtUp, command.timeoutMs ?? 10_000, false);
    case 'offline':
      stopping = true;
      try {
        await core.session.stop();
      } finally {
        stopping = false;
      }
      return { ok: true };
    case 'snapshot':
      return {
        ok: true,
        server: core.roster.serverSnapshot().items,
        view: core.roster.snapshot().items,
        pending: core.roster.pendingEdits(),
        status: core.session.state.status,
      } satisfies SnapshotReply;
    case 'exit':
      stopping = true;
      await core.close();
      return { ok: true };
    default:
      return { ok: false, code: 'unknown-command', message: JSON.stringify(command) };
  }
}

async function main(args: string[]): Promise<void> {
  const [profileDir, account, password, port, caFile] = args;
  if (!profileDir || !account || !password || !port || !caFile) {
    throw new Error('usage: offline-child.ts <profile-dir> <account> <password> <port> <ca-file>');
  }
  const core = createRosterCore(profileDir, {
    account,
    password,
    host: '127.0.0.1',
    port: Number(port),
    ca: readFileSync(caFile, 'utf8'),
    ...CHILD_SESSION,
    log: (message) => process.stderr.write(`[child ${process.pid}] ${message}\n`),
  });
  const caughtUp = trackCaughtUp(core);
  trackDrops(core);
  core.roster.on('conflict', (c) => process.stderr.write(`[child ${process.pid}] CONFLICT ${JSON.stringify(c)}\n`));
  reply({ ready: true });

  // One command at a time, in order: the parent waits for each reply (or kills us).
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let command: OfflineCommand;
    try {
      command = JSON.parse(line) as OfflineCommand;
    } catch (error) {
      reply(errorReply(error));
      continue;
    }
    let answer: unknown;
    try {
      answer = await execute(core, caughtUp, command);
    } catch (error) {
      answer = errorReply(error);
    }
    reply(answer);
    if (command.cmd === 'exit') process.exit(0);
  }
  // stdin closed without 'exit': close politely
  await core.close();
  process.exit(0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`[child ${process.pid}] fatal: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
