/**
 * Child process for test/integration/presence-outbox.test.ts: the real core
 * (createRosterCore on a profile directory) answering subscription requests,
 * killed by the parent with SIGKILL once it has said what it did. Nothing is
 * closed cleanly: what survives is what the profile database holds.
 *
 * Usage: node --import tsx presence-child.ts <profile-dir> <account> <password> <port> <ca-file> <command> [arg...]
 * - answer approve:<jid>|deny:<jid>... : offline (never signs in), gives each
 *   answer and prints one JSON line per answer ({"queued": ...}).
 * - sync: signs in, waits for the retrieval, the roster outbox and presence
 *   to be flushed, prints {"online": true}.
 * Then prints {"done": true} and waits to be killed. Lines are written with
 * writeSync, so a line the parent may have seen was written before the kill.
 */
import { readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRosterCore } from '../../main/core/roster-core.js';

function reply(value: unknown): void {
  writeSync(1, `${JSON.stringify(value)}\n`);
}

async function main(args: string[]): Promise<void> {
  const [profileDir, account, password, port, caFile, command, ...rest] = args;
  if (!profileDir || !account || !password || !port || !caFile || !command)
    throw new Error('usage: see the header of presence-child.ts');
  const core = createRosterCore(
    profileDir,
    {
      account,
      password,
      host: '127.0.0.1',
      port: Number(port),
      ca: readFileSync(caFile, 'utf8'),
      connectTimeoutMs: 5_000,
      iqTimeoutMs: 5_000,
      log: (message) => process.stderr.write(`[child ${process.pid}] ${message}\n`),
    },
    { presence: { announce: false } },
  );
  if (command === 'answer') {
    for (const answer of rest) {
      const [verb, jid] = answer.split(':') as [string, string];
      const result =
        verb === 'approve' ? await core.presence.approve(jid, { askBack: false }) : await core.presence.deny(jid);
      reply({ [verb]: jid, queued: result.queued });
    }
  } else if (command === 'sync') {
    await core.session.start({ failFast: true });
    await core.roster.retrieve();
    await core.roster.flushed();
    await core.presence.flushed();
    reply({ online: true });
  } else {
    throw new Error(`unknown command ${command}`);
  }
  reply({ done: true });
  setInterval(() => {
    // keeps the process alive until SIGKILL
  }, 60_000);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`[child ${process.pid}] fatal: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
