/**
 * Issue 16 #1 and #2 against a scripted server speaking real XMPP over a real
 * socket: a large roster result sent slowly reports its progress (throttled,
 * counts rising, an estimate where a cache was kept), sign-in resolves while
 * it still arrives, and a small one arrives whole with no progress at all.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MessengerEvent, RosterProgress } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { ROSTER_VER_FEATURE, ScriptedServer } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';

export function rosterItemsXml(count: number, prefix = 'contact'): string {
  let xml = '';
  for (let i = 0; i < count; i++) {
    xml += `<item jid='${prefix}${i}@example.net' name='Contact ${i}' subscription='both'><group>Group ${i % 12}</group></item>`;
  }
  return xml;
}

describe('issue 16: roster progress on a slow, large first retrieval (scripted server)', { timeout: 60_000 }, () => {
  let server: ScriptedServer | undefined;
  let service: MessengerService | undefined;
  afterEach(async () => {
    await service?.close();
    await server?.stop();
    service = undefined;
    server = undefined;
  });
  after(async () => {
    await service?.close();
    await server?.stop();
  });

  function open(profileDir = tempDir()): {
    service: MessengerService;
    events: { at: number; event: MessengerEvent }[];
  } {
    service = new MessengerService({
      profileDir,
      vault: new TestVault(true),
      sessionDefaults: { ca: server!.caPem, connectTimeoutMs: 5_000, iqTimeoutMs: 30_000 },
    });
    const events: { at: number; event: MessengerEvent }[] = [];
    service.on('event', (event) => events.push({ at: performance.now(), event }));
    return { service, events };
  }

  /** Resolves at the first event that matches, from now on (bounded by the test's timeout). */
  function nextEvent(app: MessengerService, matches: (event: MessengerEvent) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const listener = (event: MessengerEvent): void => {
        if (!matches(event)) return;
        app.off('event', listener);
        resolve();
      };
      app.on('event', listener);
    });
  }
  const isDone = (event: MessengerEvent): boolean => event.type === 'roster-progress' && event.progress.done;

  const signInRequest = () => ({
    jid: 'juliet@localhost',
    password: 'secret',
    host: '127.0.0.1',
    port: server!.port,
    rememberPassword: false,
  });
  const progressOf = (events: { event: MessengerEvent }[]): RosterProgress[] =>
    events.flatMap(({ event }) => (event.type === 'roster-progress' ? [event.progress] : []));

  it('issue 16 #1/#2: a slow 6,000-contact result reports rising counts at most ~4 a second; sign-in resolves before it is whole', async () => {
    server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
    const { service: app, events } = open();
    let signedInAt = Number.NaN;
    const done = nextEvent(app, isDone);
    const signingIn = app.signIn(signInRequest()).then((state) => {
      signedInAt = performance.now();
      return state;
    });
    const session = await server.nextSession();
    const get = await session.expectIq('get', NS_ROSTER);
    // ~640 KB in 16 KB pieces 40 ms apart: about 1.6 s on the wire.
    const sent = session.replyInPieces(
      get,
      `<query xmlns='${NS_ROSTER}' ver='v6000'>${rosterItemsXml(6_000)}</query>`,
      16_384,
      40,
    );
    const state = await signingIn;
    assert.equal(state.connection.status, 'online');
    await sent;
    await done;
    assert.equal(app.getRoster().items.length, 6_000);
    const replaceAt = events.find(({ event }) => event.type === 'roster' && event.change.kind === 'reset')!.at;
    assert.ok(
      signedInAt < replaceAt,
      'sign-in resolved while the result was still arriving (the roster screen shows its progress)',
    );

    const progress = progressOf(events);
    const arriving = progress.filter((p) => !p.done);
    assert.ok(arriving.length >= 3, `several reports while it arrived, got ${arriving.length}`);
    const counts = arriving.map((p) => p.items);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
      'counts never go back',
    );
    assert.ok(new Set(counts).size >= 3, `the count advances: ${counts.join(', ')}`);
    assert.ok(counts.at(-1)! <= 6_000 && counts.at(-1)! > 1_000);
    assert.ok(
      arriving.every((p) => p.total === null),
      'no cache: no estimate (XMPP never announces the size)',
    );
    assert.ok(
      arriving.every((p, i) => i === 0 || p.bytes > arriving[i - 1]!.bytes),
      'bytes rise',
    );
    // Throttled in the core: about 1.6 s of transfer gives at most ~8 reports, not one per piece (~40).
    const times = events
      .filter(({ event }) => event.type === 'roster-progress' && !event.progress.done)
      .map(({ at }) => at);
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i]! - times[i - 1]! >= 200, `reports ${Math.round(times[i]! - times[i - 1]!)} ms apart`);
    // The last event: done, after the list was sent.
    const doneIndex = events.findIndex(({ event }) => event.type === 'roster-progress' && event.progress.done);
    const replaceIndex = events.findIndex(({ event }) => event.type === 'roster' && event.change.kind === 'reset');
    assert.ok(doneIndex > replaceIndex, 'done comes after the list');
    assert.equal(progress.filter((p) => p.done).length, 1);
  });

  it('issue 16 #1: with a cached list, its count is the estimate; a small result read in one chunk reports nothing', async () => {
    server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
    const profileDir = tempDir();
    // First sign-in: a small roster, answered at once: no progress, and sign-in waits for the whole list.
    {
      const { service: app, events } = open(profileDir);
      const signingIn = app.signIn(signInRequest());
      const session = await server.nextSession();
      const get = await session.expectIq('get', NS_ROSTER);
      session.reply(get, `<query xmlns='${NS_ROSTER}' ver='v20'>${rosterItemsXml(20)}</query>`);
      await signingIn;
      assert.equal(app.getRoster().items.length, 20, 'a small list is there when sign-in resolves');
      assert.deepEqual(progressOf(events), []);
      await app.close();
      service = undefined;
    }
    // Second: the server sends a new full list, slowly; the 20 cached are the estimate.
    const { service: app, events } = open(profileDir);
    const done = nextEvent(app, isDone);
    const signingIn = app.signIn(signInRequest());
    const session = await server.nextSession();
    const get = await session.expectIq('get', NS_ROSTER);
    assert.equal(get.getChild('query', NS_ROSTER)?.attrs.ver, 'v20');
    await session.replyInPieces(
      get,
      `<query xmlns='${NS_ROSTER}' ver='v3000'>${rosterItemsXml(3_000, 'other')}</query>`,
      16_384,
      60,
    );
    await signingIn;
    await done;
    assert.equal(app.getRoster().items.length, 3_000);
    const arriving = progressOf(events).filter((p) => !p.done);
    assert.ok(arriving.length >= 2, `reports while it arrived, got ${arriving.length}`);
    assert.ok(
      arriving.every((p) => p.total === 20),
      'the cached count is the estimate',
    );
  });
});
