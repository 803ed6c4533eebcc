/**
 * A client in a process of its own, so that a test can measure the peak
 * memory (maxRSS) that hostile input costs it, apart from the test runner and
 * the scripted server that sends the input. It signs in over cleartext
 * loopback to HOSTILE_PORT as juliet/secret (SCRAM-SHA-1) with the real client parts
 * (createXmppClient: guarded parser, UTF-8 decoder), then reports on stdout,
 * one JSON object per line:
 *   {"event":"online","maxRssMB":…}
 *   {"event":"error","code":…,"message":…,"msSinceFirstByte":…,"bytesRead":…}   (each client 'error')
 *   {"event":"done","maxRssMB":…,"messages":…,"bytesRead":…}        (then it exits)
 * "done" comes when the socket closed, or 3 s after the first error.
 * Run: node --import tsx test/support/hostile-client.ts
 */
import { createXmppClient } from '../../main/core/xmpp/create-client.js';

const port = Number(process.env.HOSTILE_PORT);
const maxStanzaSize = Number(process.env.HOSTILE_MAX_STANZA_SIZE ?? 32 * 1024 * 1024);

function report(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function maxRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
}

const client = createXmppClient({
  service: `xmpp://127.0.0.1:${port}`,
  domain: 'localhost',
  username: 'juliet',
  password: 'secret',
  resource: 'hostile',
  transport: { servername: 'localhost', allowPlaintext: true },
  maxStanzaSize,
  timeout: 10_000,
});
const { entity } = client;

let online = false;
let firstByteAt: number | null = null;
let bytesRead = 0;
let messages = 0;
let finished = false;

// Counts the bytes of the signed-in stream as they reach the client.
const onData = (entity as unknown as { _onData(data: Buffer): void })._onData.bind(entity);
(entity as unknown as { _onData(data: Buffer): void })._onData = (data: Buffer) => {
  if (online) {
    firstByteAt ??= performance.now();
    bytesRead += data.length;
  }
  onData(data);
};

function finish(): void {
  if (finished) return;
  finished = true;
  report({ event: 'done', maxRssMB: maxRssMB(), messages, bytesRead });
  const socket = entity.socket as unknown as { destroy?: () => void } | null;
  socket?.destroy?.();
  process.exit(0);
}

entity.on('error', (error: unknown) => {
  // whatever the entity emits: usually an Error, with a code when it is one of ours
  const e = error as { code?: string; message?: string } | null | undefined;
  report({
    event: 'error',
    code: e?.code ?? null,
    message: e?.message ?? String(error),
    msSinceFirstByte: firstByteAt === null ? null : Math.round(performance.now() - firstByteAt),
    bytesRead,
  });
  setTimeout(finish, 3_000).unref();
});
entity.on('stanza', (stanza: { name: string }) => {
  if (stanza.name === 'message') messages += 1;
});
entity.on('disconnect', finish);

entity.start().then(
  () => {
    online = true;
    report({ event: 'online', maxRssMB: maxRssMB() });
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string } | null | undefined;
    report({ event: 'error', code: e?.code ?? null, message: e?.message, msSinceFirstByte: null });
    finish();
  },
);
