/**
 * Issue 14 #2: the core's event loop is never held for long by what the
 * server sends, against the scripted server over a real socket:
 * C: is the real core (XmppSession + RosterService + SQLite cache),
 * S: is the test, speaking for the server. The stream is cleartext on
 * loopback (SCRAM verifies the server), so a socket read is a full 64 KiB
 * chunk: some 400 roster pushes at once.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test, type TestContext } from 'node:test';
import { BACKLOG_HIGH } from '../../main/core/xmpp/stanza-dispatch.js';
import { ROSTER_VER_FEATURE, ScriptedServer, type Element, type ScriptedSession } from '../support/scripted-server.js';
import { openCore, waitForEvent } from '../support/roster-fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';
/** The target for any one task of the core (the bench measures it on a quiet machine). */
const LOOP_TARGET_MS = 50;
/**
 * What a test allows on top of the loop's delay over an idle stretch as
 * long, measured right after: the machine is shared with other test runs (a
 * load of 10 on 2 cores was seen, with idle delays of 100 ms and more), and a
 * process that is not scheduled shows as loop delay too. Before issue 14 a
 * 64 KiB chunk of pushes ran as one task, and a 20,000-contact result was
 * mapped and stored in one; the tests also check that structure directly
 * (the work cut into many tasks).
 */
const LOOP_BOUND_MS = 2 * LOOP_TARGET_MS;

type Core = ReturnType<typeof openCore>;

async function setUp(t: TestContext): Promise<{ core: Core; session: ScriptedSession; get: Element }> {
  const server = await ScriptedServer.start({
    tls: 'none',
    mechanisms: ['SCRAM-SHA-1'],
    extraFeatures: [ROSTER_VER_FEATURE],
  });
  const core = openCore({ port: server.port, caFile: server.caFile, plaintext: true }, 'juliet', 'secret', {
    session: { iqTimeoutMs: 60_000 },
  });
  t.after(async () => {
    await core.close();
    await server.stop();
  });
  const [, session] = await Promise.all([core.session.start({ failFast: true }), server.nextSession()]);
  const get = await session.expectIq('get', NS_ROSTER);
  return { core, session, get };
}

const contact = (n: number): string => `c${String(n).padStart(6, '0')}@example.org`;
const itemXml = (n: number, name: string): string =>
  `<item jid='${contact(n)}' name='${name}' subscription='both'><group>G${n % 7}</group></item>`;
const pushXml = (id: string, ver: string, item: string): string =>
  `<iq type='set' id='${id}'><query xmlns='${NS_ROSTER}' ver='${ver}'>${item}</query></iq>`;

/** The ids of the client's results to the server's iqs, in the order they were sent. */
const answeredIds = (session: ScriptedSession, prefix: string): string[] =>
  session.stanzas
    .filter((el) => el.is('iq') && el.attrs.type === 'result' && String(el.attrs.id).startsWith(prefix))
    .map((el) => String(el.attrs.id));

/** The event loop's longest delay (ms) while `work` runs, sampled every millisecond. */
/** The loop's delay during `work`, and over an idle stretch as long right after (the machine's own noise). */
async function loopDelayAgainstIdle(work: () => Promise<void>): Promise<{ max: number; idleMax: number }> {
  const started = performance.now();
  const max = await loopMaxDuring(work);
  const took = performance.now() - started;
  const idleMax = await loopMaxDuring(() => new Promise((resolve) => setTimeout(resolve, took)));
  return { max, idleMax };
}

function assertLoopBounded({ max, idleMax }: { max: number; idleMax: number }): void {
  assert.ok(
    max < LOOP_BOUND_MS + idleMax,
    `the event loop was held ${max.toFixed(1)} ms at most (target ${LOOP_TARGET_MS}; ${idleMax.toFixed(1)} ms when idle)`,
  );
}

async function loopMaxDuring(work: () => Promise<void>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the last task's delay is recorded when the loop gets back
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

test(
  'issue 14 #2: 1,000 roster pushes in one write are all applied, in order, in tasks cut by a time budget',
  { timeout: 60_000 },
  async (t) => {
    const { core, session, get } = await setUp(t);
    const retrieved = waitForEvent(core.roster, 'retrieved');
    session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v0'/>`);
    await retrieved;

    const pushes = Array.from({ length: 1000 }, (_, i) => pushXml(`p${i}`, `v${i + 1}`, itemXml(i, `Contact ${i}`)));
    const loop = await loopDelayAgainstIdle(async () => {
      session.sendRaw(pushes.join('')); // S: 1,000 pushes in one write (about 140 KB)
      await session.expectReplyTo('p999', 30_000);
    });
    assert.deepEqual(
      answeredIds(session, 'p'),
      pushes.map((_, i) => `p${i}`),
      'every push acknowledged, in the order sent',
    );
    const snapshot = core.roster.serverSnapshot();
    assert.equal(snapshot.version, 'v1000', 'the last push version is the one kept');
    assert.equal(snapshot.items.length, 1000);
    const stats = core.session.incomingStats();
    assert.ok(stats && stats.cuts >= 3, `the handling was cut into several tasks: ${JSON.stringify(stats)}`);
    assertLoopBounded(loop);
    t.diagnostic(
      `1,000 pushes in one write: event loop max ${loop.max.toFixed(1)} ms (idle ${loop.idleMax.toFixed(1)}); ${JSON.stringify(stats)}`,
    );
  },
);

test(
  'issue 14 #2: a flood of 10,000 pushes pauses the socket; the queue stays bounded and nothing is lost',
  { timeout: 120_000 },
  async (t) => {
    const { core, session, get } = await setUp(t);
    const retrieved = waitForEvent(core.roster, 'retrieved');
    session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v0'/>`);
    await retrieved;

    const count = 10_000;
    const pushes = Array.from({ length: count }, (_, i) =>
      pushXml(`f${i}`, `w${i + 1}`, itemXml(i % 500, `Name ${i}`)),
    );
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    try {
      session.sendRaw(pushes.join('')); // S: as fast as TCP takes it (about 1.4 MB)
      await session.expectReplyTo(`f${count - 1}`, 90_000);
    } finally {
      clearInterval(sampler);
    }
    const stats = core.session.incomingStats();
    assert.ok(stats, 'online');
    assert.ok(stats.pauses > 0, `reading was paused while the handlers were behind: ${JSON.stringify(stats)}`);
    // At most the high mark plus what one 64 KiB chunk holds (a push here is ~140 bytes).
    const bound = BACKLOG_HIGH + Math.ceil(65_536 / 140) * 2;
    assert.ok(stats.maxQueued <= bound, `queue peaked at ${stats.maxQueued}, bound ${bound}`);
    assert.equal(answeredIds(session, 'f').length, count, 'every push acknowledged');
    assert.deepEqual(answeredIds(session, 'f').slice(-3), [`f${count - 3}`, `f${count - 2}`, `f${count - 1}`]);
    assert.equal(core.roster.serverSnapshot().version, `w${count}`);
    assert.equal(core.roster.serverSnapshot().items.find((i) => i.jid === contact(499))?.name, `Name ${count - 1}`);
    t.diagnostic(
      `flood of ${count}: ${JSON.stringify(stats)}; heap grew ${((heapPeak - heapBefore) / 2 ** 20).toFixed(1)} MB at most`,
    );
  },
);

test(
  'issue 14 #2: a 20,000-contact result and the pushes right behind it: the result is stored in slices, then the pushes, in order',
  { timeout: 120_000 },
  async (t) => {
    const { core, session, get } = await setUp(t);
    const size = 20_000;
    const items = Array.from({ length: size }, (_, i) => itemXml(i, `Contact ${i}`)).join('');
    // S: the result, then in the same write pushes that change, add and remove contacts.
    const pushes = [
      pushXml('q0', 'v2', itemXml(5, 'Renamed five')),
      pushXml('q1', 'v3', `<item jid='${contact(size + 1)}' subscription='none'/>`),
      pushXml('q2', 'v4', `<item jid='${contact(7)}' subscription='remove'/>`),
      pushXml('q3', 'v5', itemXml(5, 'Renamed again')),
    ];
    const changes: string[] = [];
    core.roster.on('change', (change) => changes.push(change.kind));
    let turnsDuringApply = 0;
    const loop = await loopDelayAgainstIdle(async () => {
      const retrieved = waitForEvent(core.roster, 'retrieved', () => true, 60_000);
      const result = `<iq type='result' id='${String(get.attrs.id)}'><query xmlns='${NS_ROSTER}' ver='v1'>${items}</query></iq>`;
      session.sendRaw(result + pushes.join(''));
      // The loop keeps turning while the result is mapped and stored.
      const apply = { running: true }; // set by the promise: a holder, not narrowed
      void retrieved.then(() => (apply.running = false));
      while (apply.running) {
        await new Promise((resolve) => setImmediate(resolve));
        turnsDuringApply++;
      }
      await session.expectReplyTo('q3', 30_000);
    });
    assert.ok(turnsDuringApply > 10, `the loop turned ${turnsDuringApply} times while the result was applied`);
    assert.deepEqual(answeredIds(session, 'q'), ['q0', 'q1', 'q2', 'q3']);
    assert.equal(changes[0], 'reset', 'the full result first, then the pushes');
    const snapshot = core.roster.serverSnapshot();
    assert.equal(snapshot.version, 'v5');
    assert.equal(snapshot.items.length, size, '20,000 - 1 removed + 1 added');
    assert.equal(snapshot.items.find((i) => i.jid === contact(5))?.name, 'Renamed again');
    assert.equal(
      snapshot.items.some((i) => i.jid === contact(7)),
      false,
    );
    assert.ok(snapshot.items.some((i) => i.jid === contact(size + 1)));
    assertLoopBounded(loop);
    t.diagnostic(
      `20,000-contact result + pushes: event loop max ${loop.max.toFixed(1)} ms (idle ${loop.idleMax.toFixed(1)}), ${turnsDuringApply} turns while applying`,
    );
  },
);
