/**
 * End to end: the built renderer (dist/renderer) in Debian's Chromium,
 * bridged to the real core (test/support/renderer-bridge.ts) against a real Prosody.
 * Sign in; see the roster; add, edit, remove; rename a group; a second real
 * client's change appears live; server down: offline banner, cached list
 * still browsable and searchable, an edit waits to sync; server back: online
 * and the edit lands; a refused edit shows its error. A screenshot of each
 * state goes to test-results/screens/e2e-*.png, and axe scans each screen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir } from '../support/roster-fixtures.js';
import {
  connectionBanner as banner,
  contactRow as row,
  expectAccessible,
  openApp,
  shoot,
  type E2eApp,
  fillSignIn,
  VERONA_ROSTER,
} from './fixtures.js';

describe('contact list end to end (Chromium + real core + Prosody)', { timeout: 240_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await seedRoster(server, 'juliet', 'secret', VERONA_ROSTER);

    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: {
        ca: readFileSync(server.caFile, 'utf8'),
        backoff: { initialMs: 200, maxMs: 800 },
        keepalive: { idleMs: 1_500, timeoutMs: 1_000 },
        connectTimeoutMs: 3_000,
      },
    });
    app = await openApp(service);
    page = app.page;
  });
  after(async () => {
    // each is unset when before() failed before getting to it
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('signs in and shows the roster from the server', async () => {
    await fillSignIn(page, server.port);
    await shoot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await row(page, 'romeo@example.net').waitFor();
    await banner(page).filter({ hasText: 'Online' }).waitFor();
    assert.match(await row(page, 'romeo@example.net').innerText(), /Romeo/);
    assert.ok(
      await page.locator('.contact-row[data-group=""][data-jid="rene@example.fr"]').count(),
      'René is under "No group"',
    );
    await shoot(page, 'roster');
    await expectAccessible(page, 'roster');
  });

  it('adds, edits and removes a contact', async () => {
    await page.getByRole('button', { name: 'Add contact' }).first().click();
    const dialog = page.locator('xm-contact-dialog dialog');
    await dialog.getByLabel('Address').fill('nurse@example.com');
    await dialog.getByLabel('Name').fill('Nurse');
    // issue 12 #6: a new group is named under "New group…", then ticked in the list
    await dialog.getByRole('button', { name: 'New group…' }).click();
    await dialog.getByRole('textbox', { name: 'Name of the new group' }).fill('Servants');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('option', { name: 'Servants', selected: true }).waitFor();
    await shoot(page, 'add-dialog');
    await expectAccessible(page, 'add dialog');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await page.locator('.contact-row[data-group="Servants"][data-jid="nurse@example.com"]').waitFor();

    await page.getByRole('button', { name: 'Edit Nurse' }).first().click();
    await dialog.getByLabel('Name').fill('Angelica');
    await shoot(page, 'edit-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row(page, 'nurse@example.com').filter({ hasText: 'Angelica' }).waitFor();

    await page.getByRole('button', { name: 'Remove Angelica' }).first().click();
    await shoot(page, 'remove-dialog');
    await page.locator('xm-remove-dialog dialog').getByRole('button', { name: 'Remove', exact: true }).click();
    await row(page, 'nurse@example.com').waitFor({ state: 'detached' });
    const onServer = service.getRoster().items.map((i) => i.jid);
    assert.deepEqual(onServer, ['benvolio@example.net', 'rene@example.fr', 'romeo@example.net']);
  });

  it('renames a group', async () => {
    await page.getByRole('button', { name: 'Rename group Friends' }).click();
    const dialog = page.locator('xm-rename-group-dialog dialog');
    await dialog.getByLabel('New name').fill('Allies');
    await shoot(page, 'rename-group');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await page.locator('.contact-row[data-group="Allies"][data-jid="romeo@example.net"]').waitFor();
    await page.locator('.contact-row[data-group="Allies"][data-jid="benvolio@example.net"]').waitFor();
    assert.equal(await page.locator('.contact-row[data-group="Friends"]').count(), 0);
  });

  it('a change made by a second real client appears live, as a delta', async () => {
    const before = app.bridged.events.length;
    const other = openCore(server, 'juliet', 'secret', { resource: 'phone' });
    try {
      await other.session.start({ failFast: true });
      await other.roster.retrieve();
      await other.roster.add({ jid: 'mercutio@example.com', name: 'Mercutio', groups: ['Allies'] });
    } finally {
      await other.close();
    }
    await row(page, 'mercutio@example.com').waitFor();
    const deltas = app.bridged.events.slice(before).filter((e) => e.type === 'roster');
    assert.ok(deltas.length >= 1 && deltas.every((e) => e.change.kind !== 'reset'), 'deltas, not the whole roster');
    await shoot(page, 'live-change');
  });

  it('server down: offline banner, the cached list browsable and searchable, an edit waits to sync', async () => {
    await server.down!();
    await banner(page).filter({ hasText: 'Offline' }).waitFor({ timeout: 15_000 });
    await shoot(page, 'offline');
    await expectAccessible(page, 'offline');
    const search = page.getByLabel('Search contacts by name or address');
    await search.fill('rene');
    await row(page, 'rene@example.fr').waitFor();
    assert.equal(await page.locator('.contact-row').count(), 1, 'accent-insensitive search finds René only');
    await shoot(page, 'offline-search');
    await search.fill('');
    await row(page, 'romeo@example.net').waitFor();

    await page.getByRole('button', { name: 'Edit Romeo' }).first().click();
    const dialog = page.locator('xm-contact-dialog dialog');
    await dialog.getByLabel('Name').fill('Romeo Montague');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row(page, 'romeo@example.net').filter({ hasText: 'waiting to sync' }).waitFor();
    await shoot(page, 'offline-waiting-edit');
  });

  it('server back: online again, the waiting edit lands and its mark clears', async () => {
    await server.up!();
    await banner(page).filter({ hasText: 'Online' }).waitFor({ timeout: 20_000 });
    await row(page, 'romeo@example.net').filter({ hasText: 'Romeo Montague' }).waitFor();
    // The mark lives in nested shadow roots: wait on the row itself (the replay
    // sends the edit after the sign-in retrieval, a moment after "Online").
    await row(page, 'romeo@example.net')
      .filter({ hasText: 'waiting to sync' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await row(page, 'romeo@example.net').filter({ hasText: 'waiting to sync' }).count(), 0);
    assert.deepEqual(service.getRoster().items.find((i) => i.jid === 'romeo@example.net')?.name, 'Romeo Montague');
    await shoot(page, 'back-online');
  });

  it('a refused edit shows the server’s error in plain words', async () => {
    await page.getByRole('button', { name: 'Add contact' }).first().click();
    const dialog = page.locator('xm-contact-dialog dialog');
    await dialog.getByLabel('Address').fill('juliet@localhost');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.getByText('You cannot add your own address as a contact.').waitFor();
    await shoot(page, 'add-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(app.pageErrors, []);
  });
});
