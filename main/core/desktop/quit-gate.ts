/**
 * before-quit waits for the session to sign off (issue 13 #5): unavailable
 * presence and the stream's close reach the server, so contacts see us go
 * offline at once rather than when the server notices a dead socket. The wait
 * is bounded: a server that does not answer never keeps the app from quitting.
 */
export const QUIT_WAIT_MS = 2_000;

export interface QuitGate {
  /**
   * Call from before-quit. The first time it holds the quit (preventDefault),
   * closes, and quits again (`quit`) when the close is done or the time is up;
   * while closing, further quits are held; after that, they pass.
   */
  beforeQuit(event: { preventDefault(): void }): void;
}

/** Resolves when `close` settles (either way) or after `ms`, whichever is first. */
export async function settleWithin(close: () => Promise<unknown>, ms: number): Promise<'closed' | 'timed-out'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  const closed = (async () => {
    try {
      await close();
    } catch {
      // a failed close still lets the app quit; the socket goes with the process
    }
    return 'closed' as const;
  })();
  try {
    return await Promise.race([closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createQuitGate(
  close: () => Promise<unknown>,
  quit: () => void,
  options: { waitMs?: number; log?: (message: string) => void } = {},
): QuitGate {
  let phase: 'running' | 'closing' | 'closed' = 'running';
  return {
    beforeQuit(event) {
      if (phase === 'closed') return;
      event.preventDefault();
      if (phase === 'closing') return;
      phase = 'closing';
      void settleWithin(close, options.waitMs ?? QUIT_WAIT_MS)
        .then((outcome) => {
          if (outcome === 'timed-out') options.log?.('quit: the session did not close in time; quitting anyway');
          phase = 'closed';
          quit();
        })
        .catch((error: unknown) => options.log?.(`quit: ${String(error)}`));
    },
  };
}
