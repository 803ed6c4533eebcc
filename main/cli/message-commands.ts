/**
 * balcony-roster's message commands (issue 10 #5): send, history, and the
 * message steps every command that signs in runs (the archive caught up,
 * the outbox sent), over the same core as the app.
 */
import type Database from 'better-sqlite3';
import { BalconyError, toErrorInfo } from '../core/errors.js';
import { normalizeBareJid } from '../core/jid.js';
import type { CatchUpResult } from '../core/messages/archive-api.js';
import type { RosterCore } from '../core/roster-core.js';
import { MessageStore } from '../core/store/message-store.js';
import { DEFAULT_HISTORY_LIMIT, type CliOptions, type Command } from './cli-args.js';
import { historyJson, historyText, sendJson, sendText, watchMessageJson } from './message-output.js';

/** Far above a catch-up of a few thousand messages on a loopback or a good link; bounded all the same. */
const CATCH_UP_TIMEOUT_MS = 120_000;
/** How long a message may wait for the server's acknowledgement before the command calls it queued. */
const SEND_TIMEOUT_MS = 20_000;

/** Rejects with 'timeout' after `ms`; the timer never holds the process. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BalconyError('timeout', `${what} did not end in time.`)), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * After a sign-in: waits for the archive catch-up the message service runs
 * (a failure is a warning: the command still did its work), then for each
 * message waiting in the outbox to reach the server, so that a message
 * queued offline is sent by the next command that signs in. Only where it
 * matters: sync (it reports the catch-up), send (its message goes out after
 * the catch-up), and any command while messages wait to be sent; watch
 * prints what the catch-up brings as it comes. Returns the catch-up's
 * figures, or null when not waited for or failed.
 */
export async function runMessageSteps(
  core: RosterCore,
  command: Command,
  warn: (line: string) => void,
): Promise<CatchUpResult | null> {
  const waiting = core.messageStore.outboxEntries();
  if (command !== 'sync' && command !== 'send' && waiting.length === 0) return null;
  let caughtUp: CatchUpResult | null = null;
  try {
    caughtUp = await within(core.signInCatchUp(), CATCH_UP_TIMEOUT_MS, 'The message archive catch-up');
  } catch (error) {
    const { code, message } = toErrorInfo(error);
    warn(`warning: the message archive could not be caught up (${code}: ${message})`);
  }
  for (const message of waiting) {
    const state = await core.messages.whenSent(message.id, SEND_TIMEOUT_MS);
    if (state === 'queued' || state === 'sending')
      warn(`warning: a message to ${message.to} is still waiting to be sent; the next sync tries again`);
  }
  return caughtUp;
}

/** send: the message goes into the outbox, then (online) to the server; its id and where it is. */
export async function sendMessage(
  core: RosterCore,
  to: string,
  text: string,
  options: { online: boolean; json: boolean },
): Promise<string> {
  const message = core.messages.send(to, text);
  let state: 'sent' | 'queued' = 'queued';
  if (options.online) {
    const reached = await core.messages.whenSent(message.id, SEND_TIMEOUT_MS);
    if (reached === 'failed') {
      const error = core.messageStore.message(message.id)?.error;
      throw new BalconyError(error?.code ?? 'server-error', error?.message);
    }
    if (reached === 'sent' || reached === 'delivered' || reached === 'read') state = 'sent';
  }
  return options.json ? sendJson(message, state) : sendText(message, state);
}

/** history: the saved conversation (no network), oldest first, --before paging back from a message. */
export function printHistory(db: Database.Database, account: string, options: CliOptions): string {
  const jid = normalizeBareJid(options.jid ?? '', { requireLocal: false });
  // an unknown --before (or one of another conversation) is the store's invalid-argument
  const { entries } = new MessageStore(db, account).history(jid, {
    before: options.before ?? null,
    limit: options.limit ?? DEFAULT_HISTORY_LIMIT,
  });
  return options.json ? historyJson(entries) : historyText(jid, entries);
}

/** watch: each new or changed message as a JSON line, beside the roster's. */
export function watchMessages(core: RosterCore, print: (line: string) => void): void {
  core.messages.on('message', (message) => print(watchMessageJson(message)));
}
