/**
 * Child process for the message fault tests (issue 10): runs the real core
 * (createRosterCore: session, roster, presence, and its message service
 * with the outbox and the archive catch-up) on a profile directory, so the
 * parent can SIGKILL it in the middle of sending and start a new one on the
 * same profile.
 *
 * Usage: node --import tsx messages-child.ts <profile-dir> <account> <password> <port> <ca-file>
 * Every line it prints is JSON, written with writeSync (a line the parent
 * may have seen is never lost to a kill):
 * - {"ready":true} once the core is open;
 * - {"event":...} at any time: 'queued' (a message written to the outbox:
 *   its id and body, printed right after the store's transaction), 'message'
 *   (the service told a new or changed message), 'online' (resumed or not),
 *   'state' (the session's status);
 * - {"reply":...} once per command, in order.
 *
 * Commands (MessagesCommand):
 * - send {to, bodies, spacingMs?}: each body through MessageService.send,
 *   one after the other (spacingMs apart) → {ok, ids}
 * - online {available?}: starts the session (retrying, as the app does) → {ok};
 *   with `available`, only once it is online and our initial presence went
 *   out (so that messages to our bare JID are delivered to it live)
 * - offline: signs out → {ok}
 * - settle {jid, incoming, timeoutMs?}: waits until online, the outbox is
 *   empty and at least `incoming` messages from `jid` are stored → a snapshot
 *   with ok=false if the time ran out
 * - snapshot {jid} → {ok, status, outbox, history}
 * - exit: closes the core, replies, exits 0
 */
import { readFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatMessage, ConversationEntry } from '../../preload/contract.js';
import { createRosterCore, type RosterCore } from '../../main/core/roster-core.js';
import type { MessageStore } from '../../main/core/store/message-store.js';

export type MessagesCommand =
  | { cmd: 'send'; to: string; bodies: string[]; spacingMs?: number }
  | { cmd: 'online'; available?: boolean }
  | { cmd: 'offline' }
  /** `catchUp`: also wait for the sign-in's archive catch-up to end (it gives our own messages the archive's time). */
  | { cmd: 'settle'; jid: string; incoming: number; timeoutMs?: number; catchUp?: boolean }
  | { cmd: 'snapshot'; jid: string }
  | { cmd: 'exit' };

export type MessagesEvent =
  | { event: 'queued'; id: string; body: string }
  | { event: 'message'; id: string; direction: 'in' | 'out'; state: string; body: string }
  | { event: 'online'; resumed: boolean }
  | { event: 'state'; status: string };

export interface SendReply {
  ok: true;
  ids: string[];
}
export interface ErrorReply {
  ok: false;
  code: string;
  message: string;
}
export interface SnapshotReply {
  ok: boolean;
  status: string;
  /** The outbox, oldest first: what is still to be sent (or failed). */
  outbox: ChatMessage[];
  /** The conversation as the view shows it, oldest first: messages and gaps. */
  history: ConversationEntry[];
  /** Sessions (not resumed) and resumptions this child has had so far. */
  sessions: number;
  resumptions: number;
}

/** Session settings the tests rely on: fast reconnects, a dead connection noticed within seconds. */
export const MESSAGES_CHILD_SESSION = {
  backoff: { initialMs: 100, maxMs: 500 },
  connectTimeoutMs: 5_000,
  iqTimeoutMs: 5_000,
  keepalive: { idleMs: 2_000, timeoutMs: 3_000 },
} as const;

/** What the child uses of the message service (main/core/messages/message-service.ts). */
interface MessagesPort {
  send(to: string, body: string): ChatMessage;
  on(event: 'message', listener: (message: ChatMessage) => void): unknown;
}

function print(value: unknown): void {
  writeSync(1, `${JSON.stringify(value)}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function errorReply(error: unknown): ErrorReply {
  const e = error as { code?: unknown; message?: unknown } | null | undefined;
  return { ok: false, code: typeof e?.code === 'string' ? e.code : 'exception', message: String(e?.message ?? error) };
}

/** The whole conversation from the cache, oldest first (pages of the store's largest size, newest page first). */
function wholeHistory(store: MessageStore, jid: string): ConversationEntry[] {
  const pages: ConversationEntry[][] = [];
  let before: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const page = store.history(jid, { before, limit: 500 });
    if (page.entries.length === 0) break;
    pages.unshift(page.entries);
    if (page.reachedOldestStored) break;
    before = page.entries[0]!.id;
  }
  return pages.flat();
}

let sessions = 0;
let resumptions = 0;

function snapshot(core: RosterCore, store: MessageStore, jid: string, ok = true): SnapshotReply {
  return {
    ok,
    status: core.session.state.status,
    outbox: store.outboxEntries(),
    history: wholeHistory(store, jid),
    sessions,
    resumptions,
  };
}

function incomingFrom(store: MessageStore, jid: string): number {
  return wholeHistory(store, jid).filter((e) => e.kind === 'message' && e.direction === 'in').length;
}

async function settle(
  core: RosterCore,
  store: MessageStore,
  command: Extract<MessagesCommand, { cmd: 'settle' }>,
): Promise<SnapshotReply> {
  const deadline = Date.now() + (command.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (
      core.session.state.status === 'online' &&
      store.outboxEntries().length === 0 &&
      incomingFrom(store, command.jid) >= command.incoming
    ) {
      if (!command.catchUp) return snapshot(core, store, command.jid);
      const caughtUp = await Promise.race([
        core.signInCatchUp().then(
          () => true,
          () => false,
        ),
        sleep(Math.max(0, deadline - Date.now())).then(() => false),
      ]);
      if (caughtUp) return snapshot(core, store, command.jid);
    }
    await sleep(50);
  }
  return snapshot(core, store, command.jid, false);
}

async function execute(
  core: RosterCore,
  messages: MessagesPort,
  store: MessageStore,
  command: MessagesCommand,
): Promise<unknown> {
  switch (command.cmd) {
    case 'send': {
      const ids: string[] = [];
      for (const [i, body] of command.bodies.entries()) {
        if (i > 0 && command.spacingMs) await sleep(command.spacingMs);
        const message = messages.send(command.to, body);
        print({ event: 'queued', id: message.id, body } satisfies MessagesEvent);
        ids.push(message.id);
      }
      return { ok: true, ids } satisfies SendReply;
    }
    case 'online': {
      await core.session.start({ failFast: false });
      if (!command.available) return { ok: true };
      const deadline = Date.now() + 15_000;
      while (core.session.state.status !== 'online' && Date.now() < deadline) await sleep(20);
      if (core.session.state.status !== 'online') return { ok: false, code: 'timeout', message: 'not online in time' };
      await core.presence.flushed();
      return { ok: true };
    }
    case 'offline':
      await core.session.stop();
      return { ok: true };
    case 'settle':
      return settle(core, store, command);
    case 'snapshot':
      return snapshot(core, store, command.jid);
    case 'exit':
      await core.close();
      return { ok: true };
    default:
      return { ok: false, code: 'unknown-command', message: JSON.stringify(command) };
  }
}

async function main(args: string[]): Promise<void> {
  const [profileDir, account, password, port, caFile] = args;
  if (!profileDir || !account || !password || !port || !caFile) {
    throw new Error('usage: messages-child.ts <profile-dir> <account> <password> <port> <ca-file>');
  }
  const log = (message: string): void => {
    process.stderr.write(`[child ${process.pid}] ${message}\n`);
  };
  const core = createRosterCore(profileDir, {
    account,
    password,
    host: '127.0.0.1',
    port: Number(port),
    ca: readFileSync(caFile, 'utf8'),
    resource: 'balcony',
    ...MESSAGES_CHILD_SESSION,
    log,
  });
  const messages: MessagesPort = core.messages;
  const store = core.messageStore;
  core.session.on('state', (state) => {
    print({ event: 'state', status: state.status } satisfies MessagesEvent);
  });
  core.session.on('online', ({ resumed }) => {
    if (resumed) resumptions += 1;
    else sessions += 1;
    print({ event: 'online', resumed } satisfies MessagesEvent);
  });
  messages.on('message', (m) => {
    print({ event: 'message', id: m.id, direction: m.direction, state: m.state, body: m.body } satisfies MessagesEvent);
  });
  print({ ready: true });

  // One command at a time, in order: the parent waits for each reply (or kills us).
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let command: MessagesCommand;
    try {
      command = JSON.parse(line) as MessagesCommand;
    } catch (error) {
      print({ reply: errorReply(error) });
      continue;
    }
    let answer: unknown;
    try {
      answer = await execute(core, messages, store, command);
    } catch (error) {
      answer = errorReply(error);
    }
    print({ reply: answer });
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
