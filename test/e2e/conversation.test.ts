/**
 * Issue 10, end to end: the built renderer in Chromium, bridged to the real
 * core (MessengerService: the message service, the archive, the outbox),
 * juliet against a real Prosody (mam, carbons, smacks), romeo a second
 * account on the same core parts (RosterCore with its own profile) sharing
 * presence with her both ways. Opening a conversation from the list,
 * sending, receiving live, the unread badge and the notification (its click
 * opens the conversation), an offline send delivered once
 * the server is back, paging back through history, the typing indicator;
 * screenshots of each state light and dark, wide and narrow
 * (test-results/screens/e2e-conversation-*.png).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ChatMessage } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { connectionBanner, contactRow, fillSignIn, openApp, shoot, type E2eApp } from './fixtures.js';
import { notificationStub, type ShownNotification } from '../support/notification-stub.js';

const JULIET = 'juliet@localhost';
const ROMEO = 'romeo@localhost';
const MERCUTIO = 'mercutio@localhost';
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 420, height: 760 };
/** Messages romeo wrote before the test opens the conversation: more than one page (the pane draws 50). */
const EARLIER = 120;

describe('issue 10: a conversation end to end (Chromium + real core + Prosody)', { timeout: 240_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;
  let romeo: RosterCore;
  let mercutio: RosterCore;

  const conversation = () => page.locator('xm-conversation');
  const entries = () => conversation().locator('.entry.message');
  /** The message whose body is exactly `body` ('Earlier 1' is not 'Earlier 10'). */
  const bubble = (body: string) =>
    entries()
      .filter({ has: page.locator('.body').getByText(body, { exact: true }) })
      .last();
  const composer = () => conversation().getByRole('textbox', { name: /^Message to / });

  /** The same screen light and dark (wide or narrow as it is now): e2e-conversation-<name>-<size>-<scheme>.png. */
  async function shootBoth(name: string): Promise<void> {
    const size = page.viewportSize()?.width === NARROW.width ? 'narrow' : 'wide';
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await shoot(page, `conversation-${name}-${size}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  /** Opens a contact's conversation the way a user does: the row focused, Enter. */
  async function openFromList(jid: string): Promise<void> {
    const row = contactRow(page, jid);
    await row.waitFor();
    await row.focus();
    await page.keyboard.press('Enter');
    await composer().waitFor();
  }

  /** Resolves with the first message romeo's core stores with this body. */
  function romeoGets(body: string): Promise<[ChatMessage]> {
    return waitForEvent<[ChatMessage]>(romeo.messages, 'message', (m) => m.body === body, 20_000);
  }

  /** Two accounts who share presence both ways: the subscription handshake through their own cores. */
  async function befriend(friend: RosterCore, juliet: RosterCore, jid: string): Promise<void> {
    const asked = waitForEvent(
      juliet.presence,
      'requests',
      (l: { jid: string }[]) => l.some((r) => r.jid === jid),
      10_000,
    );
    const askedBack = waitForEvent(
      friend.presence,
      'requests',
      (l: { jid: string }[]) => l.some((r) => r.jid === JULIET),
      10_000,
    );
    await friend.presence.subscribe(JULIET);
    await asked;
    await juliet.presence.approve(jid, { askBack: true });
    await askedBack;
    await friend.presence.approve(JULIET, { askBack: false });
    await friend.roster.retrieve();
  }

  before(async () => {
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo', 'mercutio']) await server.register(user, 'secret');
    await seedRoster(server, 'juliet', 'secret', [
      { jid: ROMEO, name: 'Romeo', groups: ['Friends'] },
      { jid: MERCUTIO, name: 'Mercutio', groups: ['Friends'] },
    ]);
    const quick = { backoff: { initialMs: 200, maxMs: 800 } };
    romeo = openCore(server, 'romeo', 'secret', { resource: 'desk', session: quick });
    mercutio = openCore(server, 'mercutio', 'secret', { resource: 'desk', session: quick });
    const seed = openCore(server, 'juliet', 'secret', { resource: 'seed' });
    try {
      await seed.session.start({ failFast: true });
      await seed.roster.settled();
      for (const friend of [romeo, mercutio]) {
        await friend.session.start({ failFast: true });
        await friend.roster.settled();
      }
      await befriend(romeo, seed, ROMEO);
      await befriend(mercutio, seed, MERCUTIO);
    } finally {
      await seed.close();
    }
    // Earlier messages, archived while juliet is away: the first sign-in of her profile brings the newest.
    for (let i = 1; i <= EARLIER; i += 1) romeo.messages.send(JULIET, `Earlier ${i}`);
    await waitForEvent<[ChatMessage]>(
      romeo.messages,
      'message',
      (m) => m.body === `Earlier ${EARLIER}` && m.state !== 'queued' && m.state !== 'sending',
      30_000,
    );

    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), ...quick },
    });
    app = await openApp(service, { viewport: WIDE, initScripts: [notificationStub({ focused: true })] });
    page = app.page;
    await fillSignIn(page, server.port);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await contactRow(page, ROMEO).waitFor({ timeout: 20_000 });
  });
  after(async () => {
    // each is unset when before() failed before getting to it
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (romeo as RosterCore | undefined)?.close();
    await (mercutio as RosterCore | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 10 e2e: Enter on a contact opens the conversation with the newest messages; paging back reaches the first', async () => {
    await openFromList(ROMEO);
    await page.getByRole('heading', { name: 'Romeo', exact: true }).waitFor();
    await bubble(`Earlier ${EARLIER}`).waitFor({ timeout: 20_000 });
    await shootBoth('opened');
    // Up to the top, page after page (the cache, then the archive), until the conversation's start.
    const first = bubble('Earlier 1');
    const start = conversation().getByText('This is the start of your conversation with Romeo.');
    for (let step = 0; step < 30 && !(await start.isVisible()); step += 1) {
      await conversation()
        .getByRole('log')
        .evaluate((el) => {
          el.scrollTop = 0;
          el.dispatchEvent(new Event('scroll'));
        });
      await conversation().locator('[role=log][aria-busy=false]').waitFor({ timeout: 20_000 });
    }
    await start.waitFor();
    await first.waitFor({ timeout: 20_000 });
    assert.equal(await conversation().locator('.body').getByText('Earlier 1', { exact: true }).count(), 1, 'once');
    await shootBoth('history-start');
    assert.deepEqual(app.pageErrors, []);
  });

  it('issue 10 e2e: send reaches romeo; the message goes from sending to delivered on his receipt', async () => {
    const arrived = romeoGets('Wherefore art thou, Romeo?');
    await composer().fill('Wherefore art thou, Romeo?');
    await page.keyboard.press('Enter');
    await bubble('Wherefore art thou, Romeo?').waitFor();
    const [received] = await arrived;
    assert.equal(received.direction, 'in');
    assert.equal(received.from, JULIET);
    await bubble('Wherefore art thou, Romeo?').locator('.state.delivered, .state.read').waitFor({ timeout: 20_000 });
    assert.equal(await composer().inputValue(), '', 'the composer is emptied');
    await shootBoth('sent');
  });

  it('issue 10 e2e: a live message from romeo appears at once; "typing…" while he types', async () => {
    await romeo.messages.setChatState(JULIET, 'composing');
    const typing = conversation().getByText('Romeo is typing…');
    await typing.waitFor({ timeout: 10_000 });
    await shootBoth('typing');
    romeo.messages.send(JULIET, 'It is my lady, O, it is my love!');
    await bubble('It is my lady, O, it is my love!').waitFor({ timeout: 10_000 });
    await typing.waitFor({ state: 'hidden', timeout: 10_000 });
    await shootBoth('received');
    const shown = await page.evaluate(() =>
      (window as unknown as { tst_shown: ShownNotification[] }).tst_shown.map((n) => n.body),
    );
    assert.ok(!shown.includes('It is my lady, O, it is my love!'), 'no notification for the conversation in view');
  });

  it('issue 10 e2e: a message to a conversation not in view: unread on its row and a notification, whose click opens it', async () => {
    await openFromList(MERCUTIO);
    await page.getByRole('heading', { name: 'Mercutio', exact: true }).waitFor();
    romeo.messages.send(JULIET, 'Did my heart love till now?');
    const row = contactRow(page, ROMEO);
    const badge = row.locator('.unread');
    await badge.filter({ hasText: /^\s*1\s*$/ }).waitFor({ timeout: 10_000 });
    assert.match((await row.getAttribute('aria-label')) ?? '', /1 unread message/);
    await shootBoth('unread');
    const notified = (): Promise<number> =>
      page.evaluate(
        () =>
          (window as unknown as { tst_shown: ShownNotification[] }).tst_shown.filter(
            (n) => n.title === 'Romeo' && n.body === 'Did my heart love till now?',
          ).length,
      );
    await page.waitForFunction(
      () =>
        (window as unknown as { tst_shown: ShownNotification[] }).tst_shown.some(
          (n) => n.body === 'Did my heart love till now?',
        ),
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await notified(), 1, 'one notification: the sender and the first line');
    await page.evaluate(() =>
      (window as unknown as { tst_shown: ShownNotification[] }).tst_shown
        .find((n) => n.body === 'Did my heart love till now?')
        ?.onclick?.(),
    );
    await page.getByRole('heading', { name: 'Romeo', exact: true }).waitFor();
    await bubble('Did my heart love till now?').waitFor();
    await badge.waitFor({ state: 'detached', timeout: 10_000 });
    assert.doesNotMatch((await row.getAttribute('aria-label')) ?? '', /unread/);
  });

  it('issue 10 e2e: offline, a message waits to send; once the server is back it is delivered, once', async () => {
    const { down, up } = { down: server.down?.bind(server), up: server.up?.bind(server) };
    assert.ok(down && up, 'Prosody can be taken down');
    await down();
    await connectionBanner(page)
      .filter({ hasText: /offline|connect/i })
      .waitFor({ timeout: 20_000 });
    await composer().fill('Parting is such sweet sorrow');
    await page.keyboard.press('Enter');
    const waiting = bubble('Parting is such sweet sorrow');
    await waiting.locator('.state-words', { hasText: 'Waiting to send' }).waitFor();
    // The window itself never scrolls, only its panes: after a notification showed a message, the header is in view.
    assert.deepEqual(
      await page.evaluate(() => [document.scrollingElement?.scrollTop, document.scrollingElement?.scrollHeight]),
      [0, page.viewportSize()?.height],
      'the page does not scroll',
    );
    await shootBoth('offline-waiting');
    const arrived = romeoGets('Parting is such sweet sorrow');
    await up();
    await arrived;
    await waiting.locator('.state.sent, .state.delivered, .state.read').waitFor({ timeout: 30_000 });
    assert.equal(
      await conversation().locator('.body').getByText('Parting is such sweet sorrow', { exact: true }).count(),
      1,
      'shown once',
    );
  });

  it('issue 10 e2e: narrow, the conversation alone with a back button, light and dark', async () => {
    await page.setViewportSize(NARROW);
    await page.getByRole('button', { name: 'Back to contacts' }).waitFor();
    await shootBoth('conversation');
    await page.getByRole('button', { name: 'Back to contacts' }).click();
    await contactRow(page, ROMEO).waitFor();
    await shootBoth('list');
    await openFromList(ROMEO);
    // romeo's core reconnected by itself after the server came back
    if (romeo.session.state.status !== 'online') await waitForEvent(romeo.session, 'online', () => true, 20_000);
    await romeo.messages.setChatState(JULIET, 'composing');
    await conversation().getByText('Romeo is typing…').waitFor({ timeout: 10_000 });
    await shootBoth('typing');
    await romeo.messages.setChatState(JULIET, 'active');
    await page.setViewportSize(WIDE);
    assert.deepEqual(app.pageErrors, []);
  });
});
