/**
 * A scripted XMPP server holding a generated message archive (./mam-archive.ts),
 * in its own process so that the benchmark process's event loop and CPU time
 * are the client's alone.
 *
 *   node mam-server-child.js '<ArchiveSpec JSON>'
 *
 * Prints one JSON line {port, caFile} once listening, then serves every
 * session (TLS, SCRAM-SHA-1) until its stdin closes; a stdin line
 * {"send": "<message/>"} is written to the newest session.
 */
import { createInterface } from 'node:readline';
import { ScriptedServer, type ScriptedSession } from '../support/scripted-server.js';
import { generateArchive, serveMam, type ArchiveOptions } from './mam-archive.js';

export interface ArchiveSpec {
  user: string;
  password: string;
  /** Our bare JID (the archive's). */
  own: string;
  /** The archive, in order: its parts generated one after the other. */
  parts: ArchiveOptions[];
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as ArchiveSpec;
  const archive = spec.parts.flatMap((p) => generateArchive(p));
  const own = spec.own;
  const server = await ScriptedServer.start({
    users: { [spec.user]: spec.password },
    mechanisms: ['SCRAM-SHA-1'],
  });
  const stop = new AbortController();
  let latest: ScriptedSession | null = null;
  // Each stdin line {"send": "<message .../>"} is written to the newest session (live messages).
  createInterface({ input: process.stdin }).on('line', (line) => {
    const command = JSON.parse(line) as { send?: string };
    if (command.send !== undefined) latest?.sendRaw(command.send);
  });
  process.stdin.on('end', () => stop.abort());
  process.stdin.on('close', () => stop.abort());
  console.log(JSON.stringify({ port: server.port, caFile: server.caFile, items: archive.length }));
  const serving: Promise<unknown>[] = [];
  while (!stop.signal.aborted) {
    try {
      const session = await server.nextSession(1000);
      latest = session;
      serving.push(serveMam(session, archive, own, stop.signal));
    } catch {
      // no new session within a second: look at stdin again
    }
  }
  await Promise.allSettled(serving);
  await server.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
