/**
 * The parent's handle on test/support/messages-child.ts: starts the core in
 * a process of its own on a profile directory, sends it commands, collects
 * its events (messages queued and told, sessions), and SIGKILLs it. A
 * killed child's pending replies reject with KilledError.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './xmpp-servers.js';
import type { MessagesCommand, MessagesEvent } from './messages-child.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const childPath = fileURLToPath(new URL('./messages-child.ts', import.meta.url));
/** Longer than any command may take (settle waits at most its own timeout, 20 s by default). */
const REPLY_TIMEOUT_MS = 40_000;
const READY_TIMEOUT_MS = 30_000;

export class KilledError extends Error {}

/** Children still running: SIGKILLed if the test process exits first (a timeout, a crash). */
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of liveChildren) proc.kill('SIGKILL');
});

export class MessagesChild {
  readonly proc: ChildProcess;
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every event line, in order. */
  readonly events: MessagesEvent[] = [];
  #eventWaiters = new Set<() => void>();
  #waiters: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  #ready: Promise<void>;
  #gone = false;

  /**
   * @param endpoint where it connects (the server, or a proxy in front of it)
   * @param log collects the child's stderr (its core log), for a failure's report
   */
  constructor(
    profileDir: string,
    account: string,
    password: string,
    endpoint: { port: number; caFile: string } | TestServer,
    readonly log: string[] = [],
  ) {
    this.proc = spawn(
      process.execPath,
      ['--import', 'tsx', childPath, profileDir, account, password, String(endpoint.port), endpoint.caFile],
      { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    liveChildren.add(this.proc);
    this.proc.stdin!.on('error', () => {
      /* writing to a killed child: its reply just never comes */
    });
    createInterface({ input: this.proc.stderr!, crlfDelay: Infinity }).on('line', (line) => log.push(line));
    let readyResolve!: () => void;
    const ready = new Promise<void>((resolve) => {
      readyResolve = resolve;
    });
    createInterface({ input: this.proc.stdout!, crlfDelay: Infinity }).on('line', (line) => {
      let parsed: { ready?: true; event?: string; reply?: unknown };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        log.push(`(stdout) ${line}`);
        return;
      }
      if (parsed.ready) {
        readyResolve();
      } else if (parsed.event) {
        this.events.push(parsed as MessagesEvent);
        for (const waiter of [...this.#eventWaiters]) waiter();
      } else if ('reply' in parsed) {
        this.#waiters.shift()?.resolve(parsed.reply);
      }
    });
    this.closed = new Promise((resolve) => {
      this.proc.on('close', (code, signal) => {
        this.#gone = true;
        liveChildren.delete(this.proc);
        for (const w of this.#waiters.splice(0))
          w.reject(new KilledError(`child exited (${code ?? signal}) before replying`));
        for (const waiter of [...this.#eventWaiters]) waiter();
        resolve({ code, signal });
      });
    });
    let readyTimer: NodeJS.Timeout | undefined;
    this.#ready = Promise.race([
      ready,
      this.closed.then(({ code, signal }) => {
        throw new Error(`child exited (${code ?? signal}) before it was ready:\n${log.slice(-20).join('\n')}`);
      }),
      new Promise<never>((_, reject) => {
        readyTimer = setTimeout(() => reject(new Error('child not ready in time')), READY_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(readyTimer));
  }

  /** Starts a child and waits until its core is open. */
  static async start(
    profileDir: string,
    account: string,
    password: string,
    endpoint: { port: number; caFile: string },
    log?: string[],
  ): Promise<MessagesChild> {
    const child = new MessagesChild(profileDir, account, password, endpoint, log);
    try {
      await child.ready();
    } catch (error) {
      await child.kill();
      throw error;
    }
    return child;
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  get gone(): boolean {
    return this.#gone;
  }

  /** Resolves with the reply; rejects with KilledError (the child died first) or, after timeoutMs, a plain Error. */
  send<T>(command: MessagesCommand, timeoutMs = REPLY_TIMEOUT_MS): Promise<T> {
    if (this.#gone) return Promise.reject(new KilledError('child is gone'));
    const reply = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no reply to ${JSON.stringify(command).slice(0, 200)} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiters.push({
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    this.proc.stdin!.write(`${JSON.stringify(command)}\n`);
    return reply;
  }

  /** Resolves once `check(events)` holds; rejects after timeoutMs or when the child dies first. */
  waitForEvents(check: (events: readonly MessagesEvent[]) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (check(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.#eventWaiters.delete(test);
        if (error) reject(error);
        else resolve();
      };
      const test = (): void => {
        if (check(this.events)) done();
        else if (this.#gone) done(new KilledError(`child exited while waiting for ${what}`));
      };
      const timer = setTimeout(() => done(new Error(`child: no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.#eventWaiters.add(test);
    });
  }

  /** The messages this child wrote to its outbox (id → body), as it told them. */
  queued(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.events) if (e.event === 'queued') out.set(e.id, e.body);
    return out;
  }

  async kill(): Promise<void> {
    if (!this.#gone) this.proc.kill('SIGKILL');
    await this.closed;
  }

  async exit(): Promise<void> {
    if (this.#gone) return;
    await this.send({ cmd: 'exit' }, 10_000).catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await this.closed;
    clearTimeout(timer);
  }
}
