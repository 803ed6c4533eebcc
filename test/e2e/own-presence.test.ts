/**
 * Issue 13 leftovers #1, end to end: the built renderer in Chromium bridged
 * to the real core against Prosody. Our presence set outside the window (the
 * tray calls MessengerService.setOwnPresence in main) shows in the window's
 * account control; one set in the window is main's too, and stays shown
 * after the core's own 'own-presence' event and the call's answer both came.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { seedRoster, tempDir } from '../support/roster-fixtures.js';
import { contactRow, fillSignIn, openApp, shoot, type E2eApp } from './fixtures.js';
import { accountMenuClosed } from '../support/account-menu.js';

const ROMEO = 'romeo@localhost';

describe(
  'issue 13 leftovers #1: own presence from the tray, end to end (Chromium + real core + Prosody)',
  { timeout: 120_000 },
  () => {
    let server: TestServer;
    let service: MessengerService;
    let app: E2eApp;
    let page: Page;

    before(async () => {
      server = await startProsody({ tls: true });
      for (const user of ['juliet', 'romeo']) await server.register(user, 'secret');
      await seedRoster(server, 'juliet', 'secret', [{ jid: ROMEO, name: 'Romeo', groups: ['Friends'] }]);
      service = new MessengerService({
        profileDir: tempDir(),
        vault: new TestVault(true),
        sessionDefaults: { ca: readFileSync(server.caFile, 'utf8') },
      });
      app = await openApp(service, { viewport: { width: 1000, height: 700 }, colorScheme: 'light' });
      page = app.page;
      await fillSignIn(page, server.port);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await contactRow(page, ROMEO).waitFor({ timeout: 20_000 });
    });
    after(async () => {
      await (app as E2eApp | undefined)?.close();
      await (service as MessengerService | undefined)?.close();
      await (server as TestServer | undefined)?.stop();
    });

    it('issue 13 leftovers #1 e2e: a status set in main (the tray) shows in the account control; one set in the window stays', async () => {
      await page.getByRole('button', { name: /^Account: juliet@localhost.*Available$/ }).waitFor();

      // The tray's way: the core is asked directly, nothing goes through the page.
      await service.setOwnPresence({ show: 'dnd', status: 'From the tray' });
      await page.getByRole('button', { name: /^Account: juliet@localhost.*Busy: From the tray$/ }).waitFor();
      await shoot(page, 'issue-13-own-presence-from-tray');

      // The window's way: the menu's "Away" keeps the tray's status text; main has it, the page still shows it.
      await page.getByRole('button', { name: /^Account: juliet@localhost/ }).click();
      await page.getByRole('button', { name: 'Away', exact: true }).click();
      const away = page.getByRole('button', { name: /^Account: juliet@localhost.*Away: From the tray$/ });
      await away.waitFor();
      await accountMenuClosed(page);
      assert.deepEqual(service.getPresence().own, { show: 'away', status: 'From the tray' });
      assert.equal(await away.count(), 1);
      assert.deepEqual(app.pageErrors, []);
    });
  },
);
