/**
 * End to end, presence and subscriptions: the built renderer in Chromium,
 * bridged to the real core, juliet signed in against a real Prosody, and
 * real second accounts (romeo, tybalt) run by the core in the test. The
 * requests section, approve and deny from the UI, presence changing live,
 * sort by availability and hide offline. Screenshots: e2e-presence-*.png.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { xml } from '@xmpp/client';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { NICK_NS } from '../../main/core/presence/presence-stanzas.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { contactRow as row, openApp, shoot, type E2eApp } from './fixtures.js';

const request = (page: Page, jid: string) => page.locator('xm-requests li').filter({ hasText: jid });
/** Requests are one row over the list; their answers are in the panel it opens. */
async function openRequests(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^\d+ contact requests?$/ }).click();
  await page.getByRole('dialog', { name: 'Contact requests' }).waitFor();
}

describe('presence end to end (Chromium + real core + Prosody, two real accounts)', { timeout: 180_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;
  const others: RosterCore[] = [];

  async function signedIn(user: string): Promise<RosterCore> {
    const core = openCore(server, user, 'secret', { resource: 'desk' });
    others.push(core);
    await core.session.start({ failFast: true });
    await core.roster.settled();
    return core;
  }

  before(async () => {
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo', 'tybalt', 'nurse']) await server.register(user, 'secret');
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), backoff: { initialMs: 200, maxMs: 800 } },
    });
    await service.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port: server.port,
      rememberPassword: false,
    });
    await service.addContact({ jid: 'nurse@localhost', name: 'Nurse', subscribe: false });
    app = await openApp(service);
    page = app.page;
    await row(page, 'nurse@localhost').waitFor();
  });
  after(async () => {
    for (const core of others) await core.close();
    // each is unset when before() failed before getting to it
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 12 #6: a request appears live; approving it with a name and a new group (asking back) makes it a mutual contact', async () => {
    const romeo = await signedIn('romeo');
    await romeo.presence.add({ jid: 'juliet@localhost', name: 'Juliet' }, { subscribe: false });
    // A real subscribe presence with a nickname (XEP-0172), as Conversations and Gajim send it.
    await romeo.session.send(
      xml('presence', { to: 'juliet@localhost', type: 'subscribe' }, xml('nick', { xmlns: NICK_NS }, 'Romeo M.')),
    );
    await page.getByRole('button', { name: '1 contact request', exact: true }).waitFor();
    await openRequests(page);
    await request(page, 'romeo@localhost').waitFor();
    await shoot(page, 'presence-request');

    const askedBack = waitForEvent(
      romeo.presence,
      'requests',
      (list: { jid: string }[]) => list.some((r) => r.jid === 'juliet@localhost'),
      10_000,
    );
    await request(page, 'romeo@localhost').getByRole('button', { name: 'Approve…' }).click();
    const approve = page.locator('xm-approve-dialog dialog');
    const name = approve.getByRole('textbox', { name: 'Name (optional)' });
    assert.equal(await name.inputValue(), 'Romeo M.', 'pre-filled from the nickname in the request');
    await name.fill('Romeo Montague');
    await approve.getByRole('button', { name: 'New group…' }).click();
    await approve.getByRole('textbox', { name: 'Name of the new group' }).fill('Verona');
    await page.keyboard.press('Enter');
    await shoot(page, 'issue-12-approve-dialog');
    await approve.getByRole('button', { name: 'Approve' }).click();
    await approve.waitFor({ state: 'hidden' });
    await request(page, 'romeo@localhost').waitFor({ state: 'detached' });
    await askedBack;
    await romeo.presence.approve('juliet@localhost', { askBack: false });
    const inVerona = page.locator('.contact-row[data-group="Verona"][data-jid="romeo@localhost"]');
    await inVerona.filter({ hasText: 'Romeo Montague' }).waitFor({ timeout: 10_000 });
    const stored = service.getRoster().items.find((i) => i.jid === 'romeo@localhost');
    assert.deepEqual(stored && { name: stored.name, groups: stored.groups }, {
      name: 'Romeo Montague',
      groups: ['Verona'],
    });

    // Mutual and online: the row's name says nothing about the subscription (issue 12 #1).
    await page
      .locator('.contact-row[data-jid="romeo@localhost"][aria-label$=", available"]')
      .first()
      .waitFor({ timeout: 10_000 });
    await romeo.presence.setOwnPresence({ show: 'away', status: 'At the ball' });
    await row(page, 'romeo@localhost').filter({ hasText: 'At the ball' }).waitFor({ timeout: 10_000 });
    assert.match((await row(page, 'romeo@localhost').getAttribute('aria-label')) ?? '', /, away, At the ball$/);
    await shoot(page, 'presence-live-away');

    await romeo.session.stop(); // signs out: offline
    await page
      .locator('.contact-row[data-jid="romeo@localhost"][data-show="offline"]')
      .first()
      .waitFor({ timeout: 10_000 });
  });

  it('denying a request removes it and it does not come back', async () => {
    const tybalt = await signedIn('tybalt');
    await tybalt.presence.subscribe('juliet@localhost');
    await openRequests(page);
    await request(page, 'tybalt@localhost').waitFor();
    await request(page, 'tybalt@localhost').getByRole('button', { name: 'Deny', exact: true }).click();
    await request(page, 'tybalt@localhost').waitFor({ state: 'detached' });
    await tybalt.presence.subscribe('juliet@localhost'); // asks again
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(await request(page, 'tybalt@localhost').count(), 0, 'a denied requester is not shown again');
    assert.ok(!service.getPresence().requests.some((r) => r.jid === 'tybalt@localhost'));
  });

  it('sort by availability puts online contacts first; hide offline hides the rest', async () => {
    const romeo = openCore(server, 'romeo', 'secret', { resource: 'phone' });
    others.push(romeo);
    await romeo.session.start({ failFast: true });
    await row(page, 'romeo@localhost').filter({ hasText: 'available' }).waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'List options' }).click();
    await page.getByLabel('Sort').selectOption('availability');
    await page.locator('.contact-row').first().and(page.locator('[data-jid="romeo@localhost"]')).waitFor();
    const order = await page.locator('.contact-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-jid')));
    assert.equal(order[0], 'romeo@localhost', `online first: ${order.join(', ')}`);
    await page.getByLabel('Hide offline contacts').check();
    await row(page, 'nurse@localhost').waitFor({ state: 'detached' });
    assert.equal(await row(page, 'romeo@localhost').count(), 1);
    await shoot(page, 'presence-sorted-hidden');
  });
});
