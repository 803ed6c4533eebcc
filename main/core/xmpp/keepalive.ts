/**
 * Notices a half-open connection (the peer vanished without a FIN: a laptop
 * lid, a NAT timeout, a dead Wi-Fi): when nothing has arrived for
 * `idleMs`, send an XMPP ping (XEP-0199); no answer within `timeoutMs`
 * means the connection is dead. Defaults notice it within 45 seconds.
 */
export interface KeepaliveOptions {
  idleMs: number;
  timeoutMs: number;
}

export const DEFAULT_KEEPALIVE: KeepaliveOptions = { idleMs: 30_000, timeoutMs: 15_000 };

export class Keepalive {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    private readonly options: KeepaliveOptions,
    /** Sends a ping; resolves on any answer (an error reply is an answer too), rejects on timeout. */
    private readonly ping: (timeoutMs: number) => Promise<unknown>,
    private readonly dead: () => void,
    /** Where a failure of the probe itself goes (`dead` throwing): never an unhandled rejection. */
    private readonly log: (message: string) => void = (message) => {
      console.error(message);
    },
  ) {}

  start(): void {
    this.activity();
  }

  /** Something arrived: the connection is alive; restart the idle clock. */
  activity(): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#probe().catch((error: unknown) => {
        this.log(`keepalive: the probe failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, this.options.idleMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #probe(): Promise<void> {
    this.#timer = null;
    try {
      await this.ping(this.options.timeoutMs);
      this.activity();
    } catch (error) {
      if (this.#stopped) return;
      const code = (error as { code?: string }).code;
      // a stanza error is still an answer: only silence means a dead link
      if (code === 'timeout' || code === 'not-connected') {
        this.stop();
        this.dead();
      } else {
        this.activity();
      }
    }
  }
}
