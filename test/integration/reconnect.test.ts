/**
 * Calm reconnects: the backoff schedule (fake timers against a port that
 * refuses), an immediate retry when the OS says the network is back, and a
 * half-open connection noticed by pings (a scripted server that goes silent
 * without closing the socket).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ConnectionState } from '../../preload/contract.js';
import { XmppSession, type RetryTimers } from '../../main/core/xmpp/session.js';
import { freePort } from '../support/xmpp-servers.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { openCore, waitForEvent } from '../support/roster-fixtures.js';
import { testCertificates } from '../support/test-ca.js';

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('reconnect', { timeout: 60_000 }, () => {
  it('retries with capped exponential backoff and jitter (fake timers)', async () => {
    const port = await freePort(); // nothing listens: every attempt is refused at once
    // Fake timers for the reconnect delays only; sockets stay real.
    const scheduled: { ms: number; fire: () => void }[] = [];
    const retryTimers: RetryTimers = {
      setTimeout: (fire, ms) => {
        const t = { ms, fire };
        scheduled.push(t);
        return t;
      },
      clearTimeout: (t) => {
        scheduled.splice(scheduled.indexOf(t as never), 1);
      },
    };
    const attempts: number[] = [];
    const session = new XmppSession({
      account: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port,
      ca: readFileSync(testCertificates().caCertFile, 'utf8'),
      backoff: { initialMs: 1000, maxMs: 8000 },
      random: () => 0.5, // delay = ceiling * 3/4
      retryTimers,
    });
    session.on('state', (s: ConnectionState) => {
      if (s.status === 'connecting') attempts.push(s.attempt);
    });
    try {
      await session.start();
      for (let n = 1; n <= 6; n++) {
        // each failed attempt schedules exactly one retry; firing it makes the next attempt
        await waitUntil(() => scheduled.length === 1, `retry ${n} scheduled`);
        const [timer] = scheduled.splice(0, 1);
        assert.equal(timer!.ms, [750, 1500, 3000, 6000, 6000, 6000][n - 1], `delay before attempt ${n + 1}`);
        timer!.fire();
        await waitUntil(() => attempts.length === n + 1, `attempt ${n + 1}`);
      }
      assert.deepEqual(attempts, [1, 2, 3, 4, 5, 6, 7]);
      await waitUntil(() => session.state.status === 'error', 'the last attempt failed');
      assert.equal((session.state as { error: { code: string } }).error.code, 'host-unreachable');
      await session.stop();
      assert.equal(scheduled.length, 0, 'stop() cancels the pending retry');
    } finally {
      await session.stop();
    }
  });

  it('nudge() (network back, machine awake) retries at once instead of waiting out the backoff', async () => {
    const server = await ScriptedServer.start({ users: { juliet: 'secret' } });
    const port = await freePort();
    const session = new XmppSession({
      account: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port,
      ca: server.caPem,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    try {
      await session.start(); // refused; the next try would be a minute away
      assert.equal(session.state.status, 'error');
      // the server "comes back" on the port the session uses
      await server.stop();
      const back = await ScriptedServer.start({ users: { juliet: 'secret' }, port });
      try {
        const online = waitForEvent<[ConnectionState]>(session, 'state', (s) => s.status === 'online', 5_000);
        session.nudge();
        await online;
      } finally {
        await back.stop();
      }
    } finally {
      await session.stop();
      await server.stop().catch(() => undefined);
    }
  });

  it('a half-open connection is noticed by an unanswered ping, and the session reconnects and retrieves again', async () => {
    const server = await ScriptedServer.start({ users: { juliet: 'secret' }, answerPings: false });
    const core = openCore({ port: server.port, caFile: server.caFile }, 'juliet', 'secret', {
      session: { keepalive: { idleMs: 300, timeoutMs: 300 }, backoff: { initialMs: 50, maxMs: 100 } },
    });
    try {
      void core.session.start();
      const first = await server.nextSession();
      const get = await first.expectIq('get', 'jabber:iq:roster');
      first.reply(get, "<query xmlns='jabber:iq:roster'/>");
      await waitForEvent(core.roster, 'retrieved');
      first.halfOpen(); // the socket stays open, but nothing answers any more
      const started = Date.now();
      const lost = waitForEvent(core.session, 'warning', (w: { code: string }) => w.code === 'connection-lost', 5_000);
      const second = await server.nextSession(5_000);
      await lost;
      assert.ok(Date.now() - started < 3_000, 'noticed within idle + timeout (+ backoff)');
      await second.expectIq('get', 'jabber:iq:roster'); // a fresh retrieval after the reconnect
    } finally {
      await core.close();
      await server.stop();
    }
  });
});
