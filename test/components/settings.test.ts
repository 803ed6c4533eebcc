// Issue 13 #3: the Settings screen (theme, density, notifications, typing,
// the desktop, spelling; each change applied at once), the commands the
// application menu sends to the window, and "My address" with its QR code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { DesktopSettings } from '../../preload/contract.js';
import type { HarnessSetup } from './harness.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();
const ok = <T>(value: T) => ({ ok: true as const, value });

const DEFAULTS: DesktopSettings = {
  theme: 'system',
  keepInTray: true,
  startAtLogin: false,
  startMinimised: false,
  spellcheck: false,
  requestNotifications: true,
};

function setup(overrides: Partial<HarnessSetup> = {}): HarnessSetup {
  return { state: appState(), roster: sampleRoster(), ...overrides };
}

const accountButton = (page: Page) => page.getByRole('button', { name: /^Account: juliet@example\.com/ });
const settingsDialog = (page: Page) => page.getByRole('dialog', { name: 'Settings' });

/** The app's background colour: the theme tokens in effect. */
const background = (page: Page) => page.locator('xm-app').evaluate((el) => getComputedStyle(el).backgroundColor);
const LIGHT_BG = 'rgb(244, 245, 247)';
const DARK_BG = 'rgb(15, 17, 20)';

async function openSettingsByKeyboard(page: Page): Promise<void> {
  await accountButton(page).focus();
  await page.keyboard.press('Enter');
  const item = page.getByRole('button', { name: 'Settings…' });
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('Enter');
  await settingsDialog(page).waitFor();
  // Focus lands on the chosen theme once the settings are read.
  await settingsDialog(page).getByRole('radio', { name: 'Same as the system' }).and(page.locator(':focus')).waitFor();
}

const lastCall = (page: Page, method: string) =>
  page.evaluate((m) => window.harness.calls.filter((c) => c.method === m).at(-1)?.args[0], method);

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('issue 13 #3: Settings by keyboard: the dark theme wins over a light system at once, and back to the system', async () => {
  const page = await openApp(env, setup(), { colorScheme: 'light' });
  assert.equal(await background(page), LIGHT_BG);
  await openSettingsByKeyboard(page);
  await page.keyboard.press('ArrowRight'); // Light
  await page.keyboard.press('ArrowRight'); // Dark
  const dialog = settingsDialog(page);
  assert.equal(await dialog.getByRole('radio', { name: 'Dark' }).isChecked(), true);
  await page.waitForFunction(() => document.querySelector('xm-app')?.getAttribute('data-theme') === 'dark');
  assert.equal(await background(page), DARK_BG);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.deepEqual(await lastCall(page, 'setDesktopSettings'), { ...DEFAULTS, theme: 'dark' });
  await dialog.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  // Back to the system's: no attribute, light again.
  await page.keyboard.press('ArrowRight'); // wraps to "Same as the system"
  await page.waitForFunction(() => !document.querySelector('xm-app')?.hasAttribute('data-theme'));
  assert.equal(await background(page), LIGHT_BG);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await accountButton(page).evaluate((el) => el.matches(':focus')), true, 'focus back on the menu button');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: a light theme wins over a dark system; a desktop-settings event (the tray) applies without the screen', async () => {
  const page = await openApp(
    env,
    setup({
      responses: {
        getDesktopSettings: [
          ok({
            settings: { ...DEFAULTS, theme: 'light' },
            capabilities: { hasTray: true, canStartAtLogin: true, osSpellchecker: false },
          }),
        ],
      },
    }),
    { colorScheme: 'dark' },
  );
  await page.waitForFunction(() => document.querySelector('xm-app')?.getAttribute('data-theme') === 'light');
  assert.equal(await background(page), LIGHT_BG);
  await page.evaluate((settings) => window.harness.emit({ type: 'desktop-settings', settings }), {
    ...DEFAULTS,
    theme: 'system' as const,
  });
  await page.waitForFunction(() => !document.querySelector('xm-app')?.hasAttribute('data-theme'));
  assert.equal(await background(page), DARK_BG);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: density, message notifications, request notifications and typing apply at once and are sent whole', async () => {
  const page = await openApp(env, setup());
  const list = page.locator('xm-contact-list .list');
  await list.first().waitFor();
  assert.match((await list.getAttribute('class')) ?? '', /compact/);
  await openSettingsByKeyboard(page);
  const dialog = settingsDialog(page);
  await dialog.getByRole('radio', { name: 'Comfortable' }).check();
  await page.waitForFunction(() =>
    document
      .querySelector('xm-app')
      ?.shadowRoot?.querySelector('xm-roster-screen')
      ?.shadowRoot?.querySelector('xm-contact-list')
      ?.shadowRoot?.querySelector('.list.comfortable'),
  );
  // The list options remember it, as the list options popover would.
  assert.equal(
    await page.evaluate(
      () =>
        (JSON.parse(localStorage.getItem('balcony:list-options:juliet@example.com') ?? '{}') as { density?: string })
          .density,
    ),
    'comfortable',
  );
  await dialog.getByRole('radio', { name: 'Off' }).check();
  await page.waitForFunction(() => window.harness.callCount('setMessageSettings') === 1);
  assert.deepEqual(await lastCall(page, 'setMessageSettings'), { sendChatStates: true, notifications: 'off' });
  await dialog.getByRole('checkbox', { name: 'Let contacts see when I am typing' }).uncheck();
  await page.waitForFunction(() => window.harness.callCount('setMessageSettings') === 2);
  assert.deepEqual(await lastCall(page, 'setMessageSettings'), { sendChatStates: false, notifications: 'off' });
  await dialog.getByRole('checkbox', { name: 'Notify me of contact requests' }).uncheck();
  await dialog.getByRole('checkbox', { name: 'Check spelling as I type' }).check();
  await dialog.getByRole('checkbox', { name: 'Start Balcony when I log in' }).check();
  await dialog.getByRole('checkbox', { name: 'Start minimised in the tray' }).check();
  await page.waitForFunction(() => window.harness.callCount('setDesktopSettings') === 4);
  assert.deepEqual(await lastCall(page, 'setDesktopSettings'), {
    ...DEFAULTS,
    requestNotifications: false,
    spellcheck: true,
    startAtLogin: true,
    startMinimised: true,
  });
  // Spelling says what turning it on means on Linux.
  assert.match(
    (await dialog.getByRole('checkbox', { name: 'Check spelling as I type' }).getAttribute('aria-describedby')) ?? '',
    /spellcheck-hint/,
  );
  await dialog.getByText('downloads the dictionaries from Google’s servers').waitFor();
  // Opened again: what main kept.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await accountButton(page).click();
  await page.getByRole('button', { name: 'Settings…' }).click();
  await dialog.getByRole('radio', { name: 'Comfortable' }).and(page.locator(':checked')).waitFor();
  assert.equal(await dialog.getByRole('radio', { name: 'Off' }).isChecked(), true);
  assert.equal(await dialog.getByRole('checkbox', { name: 'Notify me of contact requests' }).isChecked(), false);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: no tray and no login item: those settings are disabled with the reason; the OS spellchecker says so', async () => {
  const capabilities = { hasTray: false, canStartAtLogin: false, osSpellchecker: true };
  const page = await openApp(env, setup({ desktop: { settings: { ...DEFAULTS, keepInTray: false }, capabilities } }));
  await openSettingsByKeyboard(page);
  const dialog = settingsDialog(page);
  for (const [name, reason] of [
    ['Keep Balcony running in the tray when the window is closed', 'Not available: this desktop has no system tray.'],
    ['Start Balcony when I log in', 'Not available on this system.'],
    ['Start minimised in the tray', 'Not available: this desktop has no system tray.'],
  ] as const) {
    const box = dialog.getByRole('checkbox', { name });
    assert.equal(await box.isDisabled(), true, `${name} is disabled`);
    const hint = await box.evaluate((el) => {
      const id = el.getAttribute('aria-describedby') ?? '';
      return (el.getRootNode() as ShadowRoot).getElementById(id)?.textContent ?? '';
    });
    assert.equal(hint, reason);
  }
  await dialog.getByText('Uses your system’s dictionaries.').waitFor();
  assert.equal(await dialog.getByRole('checkbox', { name: 'Check spelling as I type' }).isDisabled(), false);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: a refused change is put back and the reason shown in words', async () => {
  const page = await openApp(env, setup());
  await openSettingsByKeyboard(page);
  const dialog = settingsDialog(page);
  await page.evaluate(() =>
    window.harness.respondNext('setDesktopSettings', {
      ok: false,
      error: { code: 'internal', message: 'The disk is full.' },
    }),
  );
  await dialog.getByRole('radio', { name: 'Dark' }).click(); // not check(): the refusal unchecks it again
  await dialog.getByRole('alert').filter({ hasText: 'Could not change the theme' }).waitFor();
  assert.match(await dialog.getByRole('alert').innerText(), /disk is full/i);
  await dialog.getByRole('radio', { name: 'Same as the system' }).and(page.locator(':checked')).waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('xm-app')?.hasAttribute('data-theme')), false);
  // The next change works and clears the error.
  await dialog.getByRole('radio', { name: 'Light' }).check();
  await dialog.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.equal(await dialog.locator('p.error').textContent(), '');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: menu commands: settings, keyboard help, add contact, connection report, copy and show my address', async () => {
  const page = await openApp(env, setup());
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const command = (name: string) =>
    page.evaluate((c) => window.harness.emit({ type: 'command', command: c as 'settings' }), name);

  await command('settings');
  await settingsDialog(page).waitFor();
  await page.keyboard.press('Escape');
  await settingsDialog(page).waitFor({ state: 'hidden' });

  await command('keyboard-help');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden' });

  await command('add-contact');
  const add = page.getByRole('dialog', { name: 'Add contact' });
  await add.waitFor();
  await page.keyboard.press('Escape');
  await add.waitFor({ state: 'hidden' });

  await command('connection-report');
  const report = page.getByRole('dialog', { name: /connection/i });
  await report.waitFor();
  await page.keyboard.press('Escape');
  await report.waitFor({ state: 'hidden' });

  await page.locator('xm-app').focus();
  await command('copy-address');
  await page.locator('xm-app .toast').filter({ hasText: 'Address copied: juliet@example.com' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'juliet@example.com');

  await command('show-address');
  const mine = page.getByRole('dialog', { name: 'My address' });
  await mine.waitFor();
  assert.equal(await mine.getByRole('textbox', { name: 'Address' }).inputValue(), 'juliet@example.com');
  assert.equal(await mine.getByRole('textbox', { name: 'Link' }).inputValue(), 'xmpp:juliet@example.com');
  await mine.getByRole('img', { name: 'QR code of xmpp:juliet@example.com' }).waitFor();
  const path = await mine.locator('svg.qr path').getAttribute('d');
  assert.ok(path && path.length > 1000, 'the code has its modules');
  await mine.getByRole('button', { name: 'Copy link' }).click();
  await mine.getByRole('status').filter({ hasText: 'Link copied.' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'xmpp:juliet@example.com');
  // An unknown command does nothing (and nothing breaks).
  await command('format-disk');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: the account menu lists My address, Settings and About', async () => {
  const page = await openApp(env, setup());
  await accountButton(page).click();
  for (const name of ['My address…', 'Settings…', 'About Balcony']) await page.getByRole('button', { name }).waitFor();
  await page.getByRole('button', { name: 'My address…' }).click();
  await page.getByRole('dialog', { name: 'My address' }).waitFor();
  await page.getByRole('button', { name: 'Copy address' }).and(page.locator(':focus')).waitFor();
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`issue 13 #3: Settings and My address, wide and narrow, axe-clean (${colorScheme})`, async () => {
    for (const viewport of [
      { width: 960, height: 720 },
      { width: 320, height: 400 },
    ]) {
      const size = viewport.width > 400 ? 'wide' : 'narrow';
      const page = await openApp(env, setup(), { colorScheme, viewport });
      await page.evaluate(() => window.harness.emit({ type: 'command', command: 'settings' }));
      await settingsDialog(page)
        .getByRole('radio', { name: 'Same as the system' })
        .and(page.locator(':checked'))
        .waitFor();
      assert.deepEqual(await seriousViolations(page), []);
      await screenshot(page, `issue-13-settings-${size}-${colorScheme}`);
      // The Close button stays in reach: the dialog scrolls inside the window.
      const fits = await settingsDialog(page).evaluate((d) => d.getBoundingClientRect().bottom <= window.innerHeight);
      assert.equal(fits, true);
      await page.keyboard.press('Escape');
      await page.evaluate(() => window.harness.emit({ type: 'command', command: 'show-address' }));
      await page.getByRole('dialog', { name: 'My address' }).waitFor();
      assert.deepEqual(await seriousViolations(page), []);
      await screenshot(page, `issue-13-my-address-${size}-${colorScheme}`);
      assert.deepEqual(await pageProblems(page), []);
      await page.context().close();
    }
  });
}
