/**
 * Issue 9 #5 end to end: the built renderer (dist/renderer) in Debian's
 * Chromium, bridged to the real core against a real Prosody. Sign in; open
 * "Account and connection" from the account menu and read the figures the
 * real sign-in recorded (TLS, SASL, Prosody's XEP-0092 answer, features,
 * last full sync); press "Fetch the whole roster again": the list is still
 * complete. Screenshots at 420x760 and 1280x800, light and dark, go to
 * test-results/screens/e2e-connection-*.png.

 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { seedRoster, tempDir } from '../support/roster-fixtures.js';
import {
  contactRow as row,
  expectAccessible,
  openApp,
  shoot,
  type E2eApp,
  fillSignIn,
  VERONA_ROSTER,
} from './fixtures.js';

const figure = (page: Page, name: string) => page.locator(`xm-connection-view [data-figure="${name}"]`);
const JIDS = ['benvolio@example.net', 'rene@example.fr', 'romeo@example.net'];

describe(
  'issue 9 #5: "Account and connection" end to end (Chromium + real core + Prosody)',
  { timeout: 180_000 },
  () => {
    let server: TestServer;
    let service: MessengerService;
    let app: E2eApp | undefined;
    let page: Page;

    before(async () => {
      server = await startProsody({ tls: true });
      await server.register('juliet', 'secret');
      await seedRoster(server, 'juliet', 'secret', VERONA_ROSTER);
      service = new MessengerService({
        profileDir: tempDir(),
        vault: new TestVault(true),
        sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 5_000 },
      });
      app = await openApp(service, { viewport: { width: 420, height: 760 } });
      page = app.page;
    });
    after(async () => {
      await app?.close();
      await (service as MessengerService | undefined)?.close();
      await (server as TestServer | undefined)?.stop();
    });

    it('issue 9 #5: the view opened from the account menu shows what the real sign-in recorded', async () => {
      await fillSignIn(page, server.port);
      await page.getByRole('button', { name: 'Sign in' }).click();
      for (const jid of JIDS) await row(page, jid).waitFor();

      await page.getByRole('button', { name: /^Account: / }).click();
      await page.getByRole('button', { name: 'Account and connection…' }).click();
      await page.getByRole('dialog', { name: 'Account and connection' }).waitFor();
      await figure(page, 'tls').waitFor();
      assert.equal(await figure(page, 'found').innerText(), `the server you entered (127.0.0.1:${server.port})`);
      assert.equal(await figure(page, 'attempts').innerText(), `127.0.0.1:${server.port} (STARTTLS): connected`);
      assert.match(await figure(page, 'tls').innerText(), /^TLSv1\.[23], \S+$/);
      assert.match(
        await figure(page, 'certificate').innerText(),
        /^issued to localhost by .+, valid until \w{3} \d{1,2}, \d{4}$/,
      );
      assert.match(await figure(page, 'sasl').innerText(), /^SCRAM-SHA-\S+, with(out)? channel binding/);
      assert.match(await figure(page, 'server').innerText(), /^Prosody \d+\.\d+/);
      assert.equal(await figure(page, 'rosterVersioning').innerText(), 'yes');
      assert.equal(await figure(page, 'streamManagement').innerText(), 'yes');
      assert.equal(await figure(page, 'blocking').innerText(), 'yes');
      assert.notEqual(await figure(page, 'lastFullSync').innerText(), 'never');
      assert.equal(await figure(page, 'spoofedPushes').innerText(), '0');
      await expectAccessible(page, 'Account and connection');

      for (const [width, height] of [
        [420, 760],
        [1280, 800],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          await shoot(page, `connection-view-${width}x${height}-${colorScheme}`);
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
    });

    it('issue 9 #5: "Fetch the whole roster again" replaces the cache with the full roster; the list stays complete', async () => {
      const syncedBefore = (await service.getConnectionReport()).roster.lastFullSync!;
      const events = app!.bridged.events;
      const from = events.length;
      await page.locator('xm-connection-view #resync').click();
      await page
        .locator('xm-connection-view [role=status]')
        .filter({ hasText: 'Fetched the whole roster again: 3 contacts.' })
        .waitFor();
      const replaced = events.slice(from).filter((e) => e.type === 'roster' && e.change.kind === 'reset');
      assert.equal(replaced.length, 1, 'one full result, as a reset');
      assert.ok((await service.getConnectionReport()).roster.lastFullSync! >= syncedBefore);
      await shoot(page, 'connection-view-resynced');
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('dialog', { name: 'Account and connection' }).waitFor({ state: 'hidden' });
      for (const jid of JIDS) await row(page, jid).waitFor();
      assert.deepEqual(
        service.getRoster().items.map((i) => i.jid),
        JIDS,
      );
      await shoot(page, 'connection-after-resync');
      assert.deepEqual(app!.pageErrors, []);
    });
  },
);
