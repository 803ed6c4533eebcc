/**
 * Issue 13 #3, end to end: the built renderer in Chromium, bridged to the
 * real core (MessengerService and its DesktopService, the settings in the
 * profile's SQLite), juliet against a real Prosody and romeo, a second
 * account, writing to her. Settings applied (a dark theme over a light
 * system, comfortable rows, message notifications off: romeo's message shows
 * none, and on again: the next does), persisted (a new MessengerService on
 * the same profile reads them back), About with the licences of the real
 * node_modules, and screenshots of Settings, About and My address, light
 * and dark, wide and narrow (test-results/screens/e2e-issue-13-*.png).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { MessengerEvent } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { aboutInfo } from '../../main/core/desktop/about-info.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { contactRow, expectAccessible, fillSignIn, openApp, shoot, type E2eApp } from './fixtures.js';
import { notificationStub } from '../support/notification-stub.js';

const JULIET = 'juliet@localhost';
const ROMEO = 'romeo@localhost';
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 400 };
const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DARK_BG = 'rgb(15, 17, 20)';
const LIGHT_BG = 'rgb(244, 245, 247)';

describe('issue 13 #3: Settings and About end to end (Chromium + real core + Prosody)', { timeout: 240_000 }, () => {
  let server: TestServer;
  let profileDir: string;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;
  let romeo: RosterCore;

  const settings = () => page.getByRole('dialog', { name: 'Settings' });
  const background = () => page.locator('xm-app').evaluate((el) => getComputedStyle(el).backgroundColor);
  const shown = () => page.evaluate(() => (window as unknown as { tst_shown: { body: string }[] }).tst_shown);

  function newService(): MessengerService {
    return new MessengerService({
      profileDir,
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8') },
      desktop: {
        capabilities: { hasTray: true, canStartAtLogin: true, osSpellchecker: false },
        about: () => aboutInfo({ appRoot: APP_ROOT, name: 'Balcony', version: '0.1.0', versions: process.versions }),
      },
    });
  }

  async function openSettings(): Promise<void> {
    await page.getByRole('button', { name: /^Account: juliet@localhost/ }).click();
    await page.getByRole('button', { name: 'Settings…' }).click();
    await settings().locator('input[name="theme"]:checked:focus').waitFor();
  }

  /** romeo writes; resolves once juliet's core has it (the page then has its event). */
  async function romeoWrites(body: string): Promise<void> {
    const arrived = waitForEvent<[MessengerEvent]>(
      service,
      'event',
      (event) => event.type === 'message' && event.message.body === body,
      10_000,
    );
    romeo.messages.send(JULIET, body);
    await arrived;
  }

  before(async () => {
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo']) await server.register(user, 'secret');
    await seedRoster(server, 'juliet', 'secret', [{ jid: ROMEO, name: 'Romeo', groups: ['Friends'] }]);
    romeo = openCore(server, 'romeo', 'secret', { resource: 'desk' });
    await romeo.session.start({ failFast: true });
    profileDir = tempDir();
    service = newService();
    app = await openApp(service, {
      viewport: WIDE,
      colorScheme: 'light',
      initScripts: [notificationStub({ focused: true })],
    });
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
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 13 #3 e2e: the dark theme wins over a light system, comfortable rows, notifications off then on', async () => {
    assert.equal(await background(), LIGHT_BG);
    await openSettings();
    await settings().getByRole('radio', { name: 'Dark' }).check();
    await page.waitForFunction(() => document.querySelector('xm-app')?.getAttribute('data-theme') === 'dark');
    assert.equal(await background(), DARK_BG);
    assert.equal(service.desktop.settings().theme, 'dark', 'main stored it');

    const row = contactRow(page, ROMEO);
    const height = () => row.evaluate((el) => el.getBoundingClientRect().height);
    const compact = await height();
    await settings().getByRole('radio', { name: 'Comfortable' }).check();
    await page.waitForFunction((before) => {
      const list = document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-roster-screen')
        ?.shadowRoot?.querySelector('xm-contact-list')?.shadowRoot;
      const el = list?.querySelector('.contact-row[data-jid="romeo@localhost"]');
      return el && el.getBoundingClientRect().height > before;
    }, compact);

    await settings().getByRole('radio', { name: 'Off' }).check();
    await settings().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(service.getMessageSettings().notifications, 'off');
    await settings().getByRole('button', { name: 'Close' }).click();
    await settings().waitFor({ state: 'hidden' });
    await romeoWrites('A message nobody is told of');
    await row
      .locator('.unread')
      .filter({ hasText: /^\s*1\s*$/ })
      .waitFor({ timeout: 10_000 });
    assert.deepEqual(await shown(), [], 'no notification with notifications off');

    // On again: the next message is notified (the stub works, so the silence above was the setting).
    await openSettings();
    await settings().getByRole('radio', { name: 'Show the sender and the message' }).check();
    await settings().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await settings().getByRole('button', { name: 'Close' }).click();
    await romeoWrites('Now you hear me');
    await page.waitForFunction(
      () =>
        (window as unknown as { tst_shown: { body: string }[] }).tst_shown.some((n) => n.body === 'Now you hear me'),
      undefined,
      { timeout: 10_000 },
    );
    assert.deepEqual(
      (await shown()).map((n) => n.body),
      ['Now you hear me'],
    );
    assert.deepEqual(app.pageErrors, []);
  });

  it('issue 13 #3 e2e: the settings persist: a new MessengerService on the same profile reads them back', async () => {
    await openSettings();
    // The changes go to main in order: once the spellcheck's desktop-settings event is out, both are stored.
    const stored = waitForEvent<[MessengerEvent]>(
      service,
      'event',
      (event) => event.type === 'desktop-settings' && event.settings.spellcheck,
      10_000,
    );
    await settings().getByRole('checkbox', { name: 'Let contacts see when I am typing' }).uncheck();
    await settings().getByRole('checkbox', { name: 'Check spelling as I type' }).check();
    await stored;
    await settings().getByRole('button', { name: 'Close' }).click();
    const reopened = newService();
    try {
      assert.deepEqual(reopened.desktop.settings(), {
        theme: 'dark',
        keepInTray: true,
        startAtLogin: false,
        startMinimised: false,
        spellcheck: true,
        requestNotifications: true,
      });
      // Into the remembered account, offline (the new vault holds no password): its message settings.
      await reopened.resume();
      assert.deepEqual(reopened.getMessageSettings(), { sendChatStates: false, notifications: 'full' });
    } finally {
      await reopened.close();
    }
  });

  it('issue 13 #3 e2e: About lists what we ship (lit, @xmpp/client) with their licences, from the real node_modules', async () => {
    await page.locator('xm-app').evaluate((el) => (el as HTMLElement).focus());
    service.emit('event', { type: 'command', command: 'about' });
    const about = page.getByRole('dialog', { name: 'About Balcony' });
    await about.getByText('Balcony 0.1.0').waitFor();
    await about.getByText('Node.js', { exact: true }).waitFor();
    const lit = about.locator('summary').filter({ has: page.locator('.name', { hasText: /^lit$/ }) });
    await lit.filter({ hasText: 'BSD-3-Clause' }).waitFor();
    await about
      .locator('summary')
      .filter({ has: page.locator('.name', { hasText: /^@xmpp\/client$/ }) })
      .filter({ hasText: 'ISC' })
      .waitFor();
    assert.equal(await about.locator('summary .name', { hasText: /^eslint$/ }).count(), 0, 'no development tools');
    await lit.click();
    assert.match(await about.locator('pre').innerText(), /Redistribution and use in source and binary forms/);
    await page.keyboard.press('Escape');
    await about.waitFor({ state: 'hidden' });
    assert.deepEqual(app.pageErrors, []);
  });

  it('issue 13 #3 e2e: screenshots of Settings, About and My address, light and dark, wide and narrow', async () => {
    // Back to the system's theme, so that the emulated scheme decides.
    await openSettings();
    await settings().getByRole('radio', { name: 'Same as the system' }).check();
    await page.waitForFunction(() => !document.querySelector('xm-app')?.hasAttribute('data-theme'));
    await page.keyboard.press('Escape');
    // Each is ready when its first focus has landed (Settings: on the chosen theme, once read).
    const screens = [
      { name: 'settings', command: 'settings', dialog: 'Settings', focus: 'input[name="theme"]:checked' },
      { name: 'about', command: 'about', dialog: 'About Balcony', focus: '#close' },
      { name: 'my-address', command: 'show-address', dialog: 'My address', focus: '#copy-address' },
    ] as const;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [size, viewport] of [
        ['wide', WIDE],
        ['narrow', NARROW],
      ] as const) {
        await page.setViewportSize(viewport);
        for (const screen of screens) {
          service.emit('event', { type: 'command', command: screen.command });
          const dialog = page.getByRole('dialog', { name: screen.dialog });
          await dialog.locator(`${screen.focus}:focus`).waitFor();
          if (screen.name === 'about') await dialog.getByText('Balcony 0.1.0').waitFor();
          await expectAccessible(page, `${screen.name} ${size} ${scheme}`);
          await shoot(page, `issue-13-${screen.name}-${size}-${scheme}`);
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'hidden' });
        }
      }
    }
    assert.deepEqual(app.pageErrors, []);
  });
});
