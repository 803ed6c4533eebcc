/**
 * Issue 10's smaller gaps against Debian's Prosody (mam, carbons, smacks,
 * blocklist), TLS verified, through the core as the app wires it
 * (roster-core.ts -> messaging.ts): a blocked contact's messages archived
 * while we were away are not shown after the catch-up nor by paging back;
 * a displayed marker our other device ("phone") sends for the contact's
 * message, carbon-copied to us, marks the conversation read here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { xml } from '@xmpp/client';
import type { ConversationSummary } from '../../preload/contract.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';

const NS_MARKERS = 'urn:xmpp:chat-markers:0';
const NS_CARBONS = 'urn:xmpp:carbons:2';
const NS_FORWARD = 'urn:xmpp:forward:0';

type Core = RosterCore & { dataDir: string };

describe('issue 10: archive gaps against Prosody', { timeout: 240_000 }, () => {
  let server: TestServer;
  let n = 0;
  const open: Core[] = [];

  async function account(prefix: string): Promise<{ name: string; jid: string }> {
    n += 1;
    const name = `${prefix}${n}`;
    await server.register(name, 'secret');
    return { name, jid: `${name}@localhost` };
  }
  /** A core as the app wires it; `plain` detaches its message service (a plain client that only sends). */
  function core(user: string, options: { dataDir?: string; resource?: string; plain?: boolean } = {}): Core {
    const c = openCore(server, user, 'secret', options);
    if (options.plain) c.messages.detach();
    open.push(c);
    return c;
  }
  async function signIn(c: Core): Promise<void> {
    await c.session.start({ failFast: true });
    await c.roster.retrieve();
    await c.presence.flushed();
    await c.blocking.settled();
  }
  /** Sends chat messages with these bodies (ids `${id}-1`...), then a ping: the server has handled them. */
  async function send(from: Core, to: string, id: string, bodies: string[]): Promise<void> {
    for (const [i, body] of bodies.entries()) {
      await from.session.send(xml('message', { to, type: 'chat', id: `${id}-${i + 1}` }, xml('body', {}, body)));
    }
    await from.session.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }), 'localhost');
  }
  const shown = async (c: Core, jid: string): Promise<string[]> =>
    (await c.messages.history({ jid, limit: 100 })).entries.map((e) => (e.kind === 'gap' ? '[gap]' : e.body));

  before(async () => {
    server = await startProsody({ tls: true });
  });
  after(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 10 #2 (blocking): messages a blocked contact sent while we were away are not shown after the catch-up, nor by paging back', async () => {
    const juliet = await account('juliet');
    const romeo = await account('romeo');
    const tybalt = await account('tybalt');
    const dataDir = tempDir();
    const first = core(juliet.name, { dataDir });
    await signIn(first);
    await first.signInCatchUp();
    await first.close();

    const r = core(romeo.name, { plain: true });
    const ty = core(tybalt.name, { plain: true });
    await signIn(r);
    await signIn(ty);
    await send(ty, juliet.jid, 'ty', ['Draw!', 'Draw, I say!']);
    await send(r, juliet.jid, 'r', ['Hold, Tybalt']);

    const back = core(juliet.name, { dataDir });
    // Blocked on this profile while offline (queued: the server learns it at sign-in), before the catch-up runs.
    assert.deepEqual(await back.blocking.block([tybalt.jid]), { queued: true });
    assert.equal(back.blocking.isBlocked(tybalt.jid), true);
    await signIn(back);
    const result = await back.signInCatchUp();
    assert.ok(result.fetched >= 3, `the archive gave tybalt's messages too (${result.fetched})`);
    assert.deepEqual(await shown(back, romeo.jid), ['Hold, Tybalt']);
    assert.equal(
      back.messages.conversations().some((c) => c.jid === tybalt.jid),
      false,
      'no conversation with tybalt',
    );
    // Opening tybalt's conversation pages back through the archive: still nothing.
    assert.deepEqual(await shown(back, tybalt.jid), []);
    assert.equal(back.messageStore.summary(tybalt.jid), null);
  });

  it('issue 10 #2 (markers): a displayed marker our phone sends for the contact’s message clears unread here up to it; a forged one from the contact does not', async () => {
    const juliet = await account('juliet');
    const romeo = await account('romeo');
    const desk = core(juliet.name, { resource: 'desk' });
    const phone = core(juliet.name, { resource: 'phone', plain: true });
    const r = core(romeo.name, { plain: true });
    await signIn(desk);
    await desk.signInCatchUp(); // carbons are on before it
    await signIn(phone);
    await signIn(r);

    const unread = (count: number) => (s: ConversationSummary) => s.jid === romeo.jid && s.unread === count;
    const three = waitForEvent<[ConversationSummary]>(desk.messages, 'conversation', unread(3), 10_000);
    await send(r, juliet.jid, 'r', ['one', 'two', 'three']);
    await three;

    // The phone shows "two" (romeo's message r-2): its marker to romeo is carbon-copied to the desk.
    const read = waitForEvent<[ConversationSummary]>(desk.messages, 'conversation', unread(1), 10_000);
    await phone.session.send(
      xml(
        'message',
        { to: romeo.jid, type: 'chat', id: 'phone-mark' },
        xml('displayed', { xmlns: NS_MARKERS, id: 'r-2' }),
      ),
    );
    await read;
    assert.equal(desk.messageStore.summary(romeo.jid)?.unread, 1, '"three" is still unread');

    // romeo forges a 'sent' carbon of such a marker for "three": dropped, unread stays.
    await r.session.send(
      xml(
        'message',
        { to: `${juliet.jid}/desk` },
        xml(
          'sent',
          { xmlns: NS_CARBONS },
          xml(
            'forwarded',
            { xmlns: NS_FORWARD },
            xml(
              'message',
              { xmlns: 'jabber:client', from: `${juliet.jid}/phone`, to: romeo.jid, type: 'chat', id: 'forged' },
              xml('displayed', { xmlns: NS_MARKERS, id: 'r-3' }),
            ),
          ),
        ),
      ),
    );
    const barrier = waitForEvent<[ConversationSummary]>(desk.messages, 'conversation', unread(2), 10_000);
    await send(r, `${juliet.jid}/desk`, 'barrier', ['four']);
    await barrier;
    assert.equal(desk.messages.forgedCarbons, 1, 'the forged carbon reached the desk and was dropped');
    assert.equal(desk.messageStore.summary(romeo.jid)?.unread, 2);
  });
});
