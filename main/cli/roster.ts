#!/usr/bin/env node
/**
 * balcony-roster: the headless command over the same core as the app, for
 * people who script or diagnose their roster (and for the benchmark).
 * Exit 0 on success; otherwise 1 and one line on stderr starting with the
 * error code.
 */
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { toErrorInfo, BalconyError } from '../core/errors.js';
import { normalizeBareJid } from '../core/jid.js';
import { defaultProfileDir } from '../core/profile-paths.js';
import { connectionReport } from '../core/connection-report.js';
import { createRosterCore, openStore, type RosterCore } from '../core/roster-core.js';
import type { EditResult } from '../core/roster/roster-service.js';
import type { Recovery } from '../core/store/database.js';
import { OutboxStore } from '../core/store/outbox-store.js';
import { readSnapshot } from '../core/store/roster-replacement.js';
import { ServerProbe } from '../core/xmpp/server-probe.js';
import { XmppSession, type SessionConfig } from '../core/xmpp/session.js';
import { profileRecovery, recoveryWords } from '../core/store/recovery-words.js';
import { parseCli, USAGE, type CliOptions } from './cli-args.js';
import {
  changeJson,
  itemJson,
  itemText,
  printable,
  requestsJson,
  requestsText,
  snapshotJson,
  snapshotText,
} from './cli-output.js';
import { runDenialCommand } from './denial-commands.js';
import { readPassword } from './read-password.js';
import { blockingOutcomeJson, blockingOutcomeText, blocklistJson, blocklistText } from './blocking-output.js';
import { normalizeBlockJid } from '../core/blocking/block-target.js';
import { savedBlocklist } from '../core/blocking/blocking-service.js';
import { AppSettingsStore } from '../core/store/app-settings-store.js';
import { BlockingStore } from '../core/store/blocking-store.js';
import { reportJson, reportText } from './report-output.js';
import { printHistory, runMessageSteps, sendMessage, watchMessages } from './message-commands.js';

/**
 * Writes JSON (`json`) or text for a person to stdout. The text formatters
 * escape each field; this is the backstop, so no control character from the
 * network or the cache reaches the terminal raw (issue 11 #4).
 */
function print(text: string, json: boolean): void {
  process.stdout.write(`${printable(text, json ? { json: true } : { keepNewlines: true })}\n`);
}

/** One line on stderr (a log line or the error line): controls, line feeds included, escaped. */
function printError(line: string): void {
  process.stderr.write(`${printable(line)}\n`);
}

/** What parseCli guarantees for the command being run; missing only if the two disagree. */
function given<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new BalconyError('invalid-argument', `${what} is missing.`);
  return value;
}

async function run(options: CliOptions): Promise<void> {
  const account = normalizeBareJid(options.account, { requireLocal: true });
  const profileDir = options.dataDir ?? defaultProfileDir();
  const log = options.verbose ? printError : undefined;

  if (options.command === 'list') {
    // list only reads: it works on a profile it cannot write (a read-only disk).
    const { db, store, recovery, readOnly } = openStore(profileDir, log, { allowReadOnly: true });
    tellRecovery(recovery);
    if (readOnly) log?.('The profile cannot be written; showing the contacts saved earlier.');
    try {
      // In pages that give the loop back (issue 14 #2): the same answer as one read.
      const snapshot = await readSnapshot(store, account);
      const pending = new OutboxStore(db).list(account);
      print(options.json ? snapshotJson(snapshot, pending) : snapshotText(snapshot, pending), options.json);
    } finally {
      db.close();
    }
    return;
  }

  if (options.command === 'blocked') {
    // blocked only reads, like list: the saved blocklist and what waits, no network.
    const { db, recovery, readOnly } = openStore(profileDir, log, { allowReadOnly: true });
    tellRecovery(recovery);
    if (readOnly) log?.('The profile cannot be written; showing the blocklist saved earlier.');
    try {
      const list = savedBlocklist(new BlockingStore(db), new AppSettingsStore(db), account);
      print(options.json ? blocklistJson(list) : blocklistText(list), options.json);
    } finally {
      db.close();
    }
    return;
  }

  if (options.command === 'history') {
    // history only reads the cache, like list: no password, no network (issue 10 #5).
    const { db, recovery, readOnly } = openStore(profileDir, log, { allowReadOnly: true });
    tellRecovery(recovery);
    if (readOnly) log?.('The profile cannot be written; showing the messages saved earlier.');
    try {
      print(printHistory(db, account, options), options.json);
    } finally {
      db.close();
    }
    return;
  }

  if (options.command === 'denied' || options.command === 'undeny') {
    const { output, recovery } = runDenialCommand(
      { command: options.command, account, jid: options.jid, json: options.json },
      profileDir,
      log,
    );
    tellRecovery(recovery);
    print(output, options.json);
    return;
  }

  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, 'utf8');
    } catch (error) {
      throw new BalconyError('invalid-argument', `Cannot read --ca-file: ${(error as Error).message}`);
    }
  }
  const password = await readPassword(account);
  const sessionConfig: SessionConfig = {
    account,
    password,
    host: options.host,
    port: options.port,
    directTls: options.directTls,
    dnsServers: options.dnsServers,
    resource: options.resource,
    ca,
    allowPlaintextLoopback: options.allowPlaintextLoopback,
    acceptDowngrade: options.acceptDowngrade,
    log,
  };
  if (options.command === 'diagnose') {
    await diagnose(profileDir, sessionConfig, options.json);
    return;
  }
  const core = createRosterCore(profileDir, sessionConfig, {
    // Available only to collect requests (the server re-sends them on initial
    // presence), at a negative priority so that no message, and no stored
    // offline message, is handed to a command that cannot show it. Every other
    // command stays unavailable: contacts see no sign-in.
    // watch shows messages (issue 10 #5): available at priority 0, so that the
    // server hands it messages sent to our bare address (RFC 6121 8.5.2.1.1).
    presence:
      options.command === 'requests'
        ? { announce: true, priority: -1 }
        : options.command === 'watch'
          ? { announce: true, priority: 0 }
          : { announce: false },
  });
  tellRecovery(core.recovery);
  // watch prints the sign-in retrieval too (a "reset" line: the starting point).
  if (options.command === 'watch') {
    core.roster.on('change', (change) => print(changeJson(change), true));
    watchMessages(core, (line) => print(line, true));
  }
  try {
    const online = await signIn(core, options);
    if (online) {
      await core.roster.retrieve();
      await core.roster.flushed(); // edits queued earlier go out first
      await core.presence.flushed(); // initial presence out, requests re-sent by the server in
      // Blocks queued earlier go out too; only then (or for block/unblock) is the blocking discovery waited for,
      // so a server that never answers disco#info does not hold every other command.
      const blocksWaiting = core.blocking.snapshot().items.some((item) => item.pending !== undefined);
      if (blocksWaiting || options.command === 'block' || options.command === 'unblock') await core.blocking.settled();
    }
    // Messages: the archive caught up and the outbox sent (every command that signs in sends what waits).
    const caughtUp = online ? await runMessageSteps(core, options.command, printError) : null;
    switch (options.command) {
      case 'sync': {
        const snapshot = await core.roster.readServerSnapshot();
        const pending = core.roster.pendingEdits();
        const archive = { fetched: caughtUp?.fetched ?? 0, gaps: caughtUp?.gaps ?? 0 };
        print(
          options.json
            ? snapshotJson(snapshot, pending, { archive })
            : `${snapshotText(snapshot, pending)}\n${archiveText(archive)}`,
          options.json,
        );
        break;
      }
      case 'send': {
        print(
          await sendMessage(core, given(options.jid, 'the address'), given(options.text, 'the message'), {
            online,
            json: options.json,
          }),
          options.json,
        );
        break;
      }
      case 'watch': {
        await new Promise((resolve) => setTimeout(resolve, given(options.forSeconds, '--for') * 1000));
        break;
      }
      case 'add':
      case 'update': {
        const input = { jid: given(options.jid, 'the contact address'), name: options.name, groups: options.groups };
        if (options.subscribe) {
          const added = await core.presence.add(input, { subscribe: true });
          await settlePresence(core);
          // the retrieval after the presence stanzas is the server's word: confirmed either way
          const shown = core.roster.snapshot().items.find((i) => i.jid === added.jid);
          printEdit(
            { ...added, item: shown ?? added.item, unconfirmed: shown ? false : added.unconfirmed },
            options.json,
          );
          break;
        }
        const result = options.command === 'add' ? await core.roster.add(input) : await core.roster.update(input);
        printEdit(result, options.json);
        break;
      }
      case 'requests': {
        await new Promise((resolve) => setTimeout(resolve, given(options.waitSeconds, '--wait') * 1000));
        const requests = core.presence.requests();
        print(options.json ? requestsJson(requests) : requestsText(requests), options.json);
        break;
      }
      case 'approve': {
        const jid = normalizeBareJid(given(options.jid, 'the contact address'));
        const { askedBack, queued } = await core.presence.approve(jid, { askBack: options.askBack });
        if (online) await settlePresence(core);
        if (queued)
          print(options.json ? JSON.stringify({ approved: jid, askedBack, queued }) : QUEUED_ANSWER, options.json);
        else
          print(
            options.json
              ? JSON.stringify({ approved: jid, askedBack })
              : `${jid} can now see your presence${askedBack ? '; you asked to see theirs' : ''}.`,
            options.json,
          );
        break;
      }
      case 'deny': {
        const jid = normalizeBareJid(given(options.jid, 'the contact address'));
        const { queued } = await core.presence.deny(jid);
        if (online) await settlePresence(core);
        if (queued) print(options.json ? JSON.stringify({ denied: jid, queued }) : QUEUED_ANSWER, options.json);
        else
          print(
            options.json
              ? JSON.stringify({ denied: jid })
              : `Refused ${jid}; later requests from them will not be shown.`,
            options.json,
          );
        break;
      }
      case 'block':
      case 'unblock': {
        const op = options.command;
        const jid = given(options.jid, 'the address');
        const outcome = op === 'block' ? await core.blocking.block([jid]) : await core.blocking.unblock([jid]);
        const named = normalizeBlockJid(jid);
        print(
          options.json ? blockingOutcomeJson(op, named, outcome) : blockingOutcomeText(op, named, outcome),
          options.json,
        );
        break;
      }
      case 'remove': {
        printEdit(await core.roster.remove(given(options.jid, 'the contact address')), options.json);
        break;
      }
    }
  } finally {
    await core.close();
  }
}

/**
 * diagnose: signs in and prints the connection report, also when the
 * sign-in fails (then the report names the failing step, and the coded
 * error line follows on stderr). It changes nothing: only the session and
 * the server probe run, so no roster retrieval, no queued edit or answer
 * replayed, no presence; the profile is only read (its last full sync).
 */
async function diagnose(profileDir: string, config: SessionConfig, json: boolean): Promise<void> {
  const { db, store, recovery } = openStore(profileDir, config.log, { allowReadOnly: true });
  tellRecovery(recovery);
  const session = new XmppSession(config);
  const probe = new ServerProbe(session, { log: config.log });
  const show = (): void => {
    const report = connectionReport({ session, store });
    print(json ? reportJson(config.account, report) : reportText(config.account, report), json);
  };
  try {
    try {
      await session.start({ failFast: true });
    } catch (error) {
      show();
      throw error;
    }
    await probe.settled();
    show();
  } finally {
    await session.stop();
    db.close();
  }
}

/**
 * Always said, not only with --verbose: an empty list after a rebuild must
 * not look like a roster that was emptied, and the user should know where
 * the damaged file was kept.
 */
function tellRecovery(recovery: Recovery | undefined): void {
  if (recovery)
    printError(
      `warning: ${recoveryWords(profileRecovery(recovery), 'by the next command that reaches the server (such as sync)')}`,
    );
}

/** What sync says of the message archive. */
function archiveText(archive: { fetched: number; gaps: number }): string {
  const missing = archive.gaps > 0 ? `; earlier messages may be missing in ${archive.gaps} conversation(s)` : '';
  return `message archive: ${archive.fetched} message(s) fetched${missing}`;
}

const QUEUED_ANSWER = 'The server is not reachable: the answer is queued and will be sent by the next sync.';

/** Errors that mean the server cannot be reached now: edits are queued instead. */
const UNREACHABLE = new Set(['host-unreachable', 'timeout', 'connection-lost']);

/**
 * Waits until what presence sent is out and the server's answer is in the
 * cache: a roster get is answered after the presence stanzas sent before it,
 * so the retrieval brings the pushes they caused (or a roster that has them).
 */
async function settlePresence(core: RosterCore): Promise<void> {
  await core.presence.flushed();
  await core.roster.retrieve();
}

/**
 * Signs in; for roster edits and answers to requests, an unreachable server
 * is not an error (they wait in the profile's outboxes for the next sync).
 * Listing requests needs the server, which is where they are.
 */
async function signIn(core: RosterCore, options: CliOptions): Promise<boolean> {
  const command = options.command;
  try {
    await core.session.start({ failFast: true });
    return true;
  } catch (error) {
    const queueable =
      command === 'send' ||
      (command === 'add' && !options.subscribe) ||
      command === 'update' ||
      command === 'remove' ||
      command === 'approve' ||
      command === 'deny' ||
      command === 'block' ||
      command === 'unblock';
    if (queueable && UNREACHABLE.has(toErrorInfo(error).code)) return false;
    throw error;
  }
}

/**
 * What add, update and remove print; never nothing for add and update. JSON:
 * `{"queued": true}`, the item (with `"unconfirmed": true` when the server
 * accepted it but pushed nothing), or `{"removed": jid}`. Text prints nothing
 * for a confirmed removal.
 */
function printEdit(result: EditResult, json: boolean): void {
  const unconfirmed = result.unconfirmed ? { unconfirmed: true } : {};
  if (result.queued) {
    print(
      json
        ? JSON.stringify({ queued: true })
        : 'The server is not reachable: the change is queued and will be sent by the next sync.',
      json,
    );
  } else if (result.item) {
    const note = result.unconfirmed
      ? '\n(accepted by the server, which did not confirm it with a push: kept as sent until the next sync)'
      : '';
    print(json ? JSON.stringify({ ...itemJson(result.item), ...unconfirmed }) : itemText(result.item) + note, json);
  } else if (json) {
    print(JSON.stringify({ removed: result.jid, ...unconfirmed }), true);
  } else if (result.unconfirmed) {
    print(`Removed ${printable(result.jid)} (the server did not confirm it with a push).`, false);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    print(USAGE, false);
    return argv.length === 0 ? 1 : 0;
  }
  try {
    await run(parseCli(argv));
    return 0;
  } catch (error) {
    const { code, message } = toErrorInfo(error);
    printError(`${code}: ${message.replace(/\n[\s\S]*$/, '')}`);
    return 1;
  }
}

const exitCode = await main();
// Let stdout drain before exiting, even when it is a slow pipe.
if (process.stdout.writableLength > 0) await once(process.stdout, 'drain');
process.exit(exitCode);
