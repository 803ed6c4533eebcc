/** Helpers for tests that run the real core against a test server. */
import type { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRosterCore, type RosterCore } from '../../main/core/roster-core.js';
import type { SessionConfig } from '../../main/core/xmpp/session.js';

export interface Endpoint {
  port: number;
  caFile: string;
  /** true for a cleartext test server (needs the loopback opt-in). */
  plaintext?: boolean;
}

export function tempDir(prefix = 'balcony-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A core for `user@localhost` on the endpoint, with its own (or the given) profile dir. */
export function openCore(
  endpoint: Endpoint,
  user: string,
  password: string,
  options: { dataDir?: string; resource?: string; session?: Partial<SessionConfig>; logs?: string[] } = {},
): RosterCore & { dataDir: string } {
  const dataDir = options.dataDir ?? tempDir();
  const core = createRosterCore(dataDir, {
    account: `${user}@localhost`,
    password,
    host: '127.0.0.1',
    port: endpoint.port,
    ca: readFileSync(endpoint.caFile, 'utf8'),
    allowPlaintextLoopback: endpoint.plaintext ?? false,
    resource: options.resource,
    connectTimeoutMs: 10_000,
    iqTimeoutMs: 10_000,
    log: options.logs ? (m) => options.logs!.push(m) : undefined,
    ...options.session,
  });
  return Object.assign(core, { dataDir });
}

/** Puts `contacts` on `user@localhost`'s roster on the server, from a throwaway resource of its own. */
export async function seedRoster(
  endpoint: Endpoint,
  user: string,
  password: string,
  contacts: { jid: string; name?: string; groups?: string[] }[],
): Promise<void> {
  const seed = openCore(endpoint, user, password, { resource: 'seed' });
  try {
    await seed.session.start({ failFast: true });
    await seed.roster.retrieve();
    for (const contact of contacts) await seed.roster.add(contact);
  } finally {
    await seed.close();
  }
}

/** Resolves with the first event whose arguments satisfy `pred`; rejects after `timeoutMs`. */
export function waitForEvent<T extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  pred: (...args: T) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (!pred(...(args as T))) return;
      cleanup();
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no matching '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, listener);
    };
    emitter.on(event, listener);
  });
}

/**
 * Two signed-in cores come to share presence both ways, as people do: `a` adds `b` and asks, `b` approves
 * and asks back, `a` approves. Resolves when the last approval is sent.
 */
export async function sharePresenceBothWays(a: RosterCore, aJid: string, b: RosterCore, bJid: string): Promise<void> {
  const askedOf = (core: RosterCore, jid: string): Promise<unknown> =>
    waitForEvent<[{ jid: string }[]]>(core.presence, 'requests', (list) => list.some((q) => q.jid === jid));
  const asked = askedOf(b, aJid);
  await a.presence.add({ jid: bJid }, { subscribe: true });
  await asked;
  const askedBack = askedOf(a, bJid);
  await b.presence.approve(aJid);
  await askedBack;
  await a.presence.approve(bJid);
}
