/**
 * issue 12 #8, end to end: the built renderer in Chromium, bridged to the
 * real core, juliet signed in against a real Prosody (mod_blocklist).
 * Blocking a contact from the UI (the `xm-block-request` entry point a
 * context menu uses, then the confirmation, by keyboard), unblocking from
 * the "Blocked contacts" list, and "Deny and block" on a real request; what
 * the server holds is read by a second client of juliet with an empty
 * profile. Screenshots: e2e-blocking-*.png.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir } from '../support/roster-fixtures.js';
import { VERONA_ROSTER, contactRow, expectAccessible, openApp, shoot, type E2eApp } from './fixtures.js';

describe('issue 12 #8: blocking end to end (Chromium + real core + Prosody)', { timeout: 180_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;
  const others: RosterCore[] = [];

  /** What the server holds: a fresh profile of juliet can only know the list from it. */
  async function serverList(): Promise<string[]> {
    const core = openCore(server, 'juliet', 'secret');
    try {
      await core.session.start({ failFast: true });
      await core.blocking.settled();
      return core.blocking.snapshot().items.map((item) => item.jid);
    } finally {
      await core.close();
    }
  }

  before(async () => {
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'tybalt']) await server.register(user, 'secret');
    await seedRoster(server, 'juliet', 'secret', VERONA_ROSTER);
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8') },
    });
    const blockingKnown = new Promise<void>((resolve) => {
      service.on('event', (event) => {
        if (event.type === 'blocklist' && event.blocklist.supported) resolve();
      });
    });
    await service.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port: server.port,
      rememberPassword: false,
    });
    await blockingKnown;
    app = await openApp(service);
    page = app.page;
    await contactRow(page, 'romeo@example.net').waitFor();
  });
  after(async () => {
    for (const core of others) await core.close();
    // each is unset when before() failed before getting to it
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 12 #8: block a contact from the list (confirmed by keyboard) and unblock it from the Blocked list', async () => {
    await page
      .locator('xm-contact-list')
      .evaluate((list) =>
        list.dispatchEvent(
          new CustomEvent('xm-block-request', { bubbles: true, composed: true, detail: { jid: 'romeo@example.net' } }),
        ),
      );
    const confirm = page.getByRole('alertdialog', { name: /^Block Romeo ?\?$/ });
    await confirm.waitFor();
    await shoot(page, 'blocking-confirm');
    await page.keyboard.press('Tab'); // from Cancel to Block
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('status').filter({ hasText: 'Blocked romeo@example.net.' }).waitFor();
    assert.deepEqual(await serverList(), ['romeo@example.net']);

    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('button', { name: 'Blocked contacts…' }).click();
    const list = page.getByRole('dialog', { name: 'Blocked contacts' });
    await list.getByText('Romeo', { exact: true }).waitFor();
    await expectAccessible(page, 'the Blocked contacts list');
    await shoot(page, 'blocking-list');
    await list.getByRole('button', { name: 'Unblock' }).click();
    await list.getByText('Nobody is blocked.').waitFor();
    assert.deepEqual(await serverList(), []);
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'hidden' });
    assert.deepEqual(app.pageErrors, []);
  });

  it('issue 12 #8: "Deny and block" on a real request: the request goes, the server blocks them, and a new request is not shown', async () => {
    const tybalt = openCore(server, 'tybalt', 'secret', { resource: 'desk' });
    others.push(tybalt);
    await tybalt.session.start({ failFast: true });
    await tybalt.roster.settled();
    await tybalt.presence.subscribe('juliet@localhost');
    // The requests fold into one row above the list; it opens the panel that holds them.
    await page.getByRole('button', { name: '1 contact request', exact: true }).click();
    const request = page.locator('xm-requests li').filter({ hasText: 'tybalt@localhost' });
    await request.waitFor();
    await request.getByRole('button', { name: 'Deny and block' }).click();
    await request.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Denied and blocked tybalt@localhost.' }).waitFor();
    assert.deepEqual(await serverList(), ['tybalt@localhost']);
    assert.deepEqual(service.getBlocklist().items, [{ jid: 'tybalt@localhost' }]);
    await shoot(page, 'blocking-denied-and-blocked');

    // Asked again: the server drops it; a ping of tybalt's own comes back after his request was handled.
    await tybalt.presence.subscribe('juliet@localhost');
    await tybalt.presence.flushed();
    assert.equal(await request.count(), 0);
    assert.ok(!service.getPresence().requests.some((r) => r.jid === 'tybalt@localhost'));
    assert.deepEqual(app.pageErrors, []);
  });
});
