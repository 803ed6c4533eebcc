// Issue 13 #3: the About screen: the version, the runtime, "Copy version
// info", and the licences of what Balcony ships, each opening to its text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { AboutInfo } from '../../preload/contract.js';
import type { HarnessSetup } from './harness.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();
const ok = <T>(value: T) => ({ ok: true as const, value });

const MIT = 'MIT License\n\nCopyright (c) Someone\n\nPermission is hereby granted, free of charge, …';
const ABOUT: AboutInfo = {
  name: 'Balcony',
  version: '0.1.0',
  runtime: [
    { name: 'Electron', version: '45.4.1' },
    { name: 'Chromium', version: '142.0.7444.52' },
    { name: 'Node.js', version: '22.20.0' },
  ],
  licences: [
    { name: '@xmpp/client', version: '0.14.0', licence: 'ISC', text: 'ISC License\n\nCopyright (c) xmpp.js' },
    { name: 'better-sqlite3', version: '12.9.0', licence: 'MIT', text: MIT },
    { name: 'lit', version: '3.3.3', licence: 'BSD-3-Clause', text: 'BSD 3-Clause License\n\nRedistribution and use…' },
    // A hostile name is text, and a package without a licence file says so.
    { name: '<img src=x onerror=alert(1)>', version: '1.0.0', licence: '', text: '' },
    ...Array.from({ length: 60 }, (_, i) => ({
      name: `dep-${String(i).padStart(2, '0')}`,
      version: '1.0.0',
      licence: 'MIT',
      text: MIT,
    })),
  ],
};

function setup(): HarnessSetup {
  return { state: appState(), roster: sampleRoster(), responses: { getAbout: [ok(ABOUT), ok(ABOUT), ok(ABOUT)] } };
}

const aboutDialog = (page: Page) => page.getByRole('dialog', { name: 'About Balcony' });

test('issue 13 #3: About from the menu command: version, runtime, licences that open to their text, a filter', async () => {
  const page = await openApp(env, setup());
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(() => window.harness.emit({ type: 'command', command: 'about' }));
  const dialog = aboutDialog(page);
  await dialog.getByText('Balcony 0.1.0').waitFor();
  await dialog.getByRole('button', { name: 'Close' }).and(page.locator(':focus')).waitFor();
  for (const text of ['Electron', '45.4.1', 'Chromium', 'Node.js'])
    await dialog.getByText(text, { exact: true }).waitFor();
  await dialog.getByText('64 packages').waitFor();

  // Copy version info: the lines a bug report wants.
  await dialog.getByRole('button', { name: 'Copy version info' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
  assert.equal(
    await page.evaluate(() => navigator.clipboard.readText()),
    'Balcony 0.1.0\nElectron 45.4.1\nChromium 142.0.7444.52\nNode.js 22.20.0',
  );

  // A licence opens, by keyboard, to its text (drawn only while open).
  const lit = dialog.locator('summary').filter({ hasText: 'lit' }).filter({ hasText: 'BSD-3-Clause' });
  assert.equal(await dialog.locator('pre').count(), 0);
  await lit.focus();
  await page.keyboard.press('Enter');
  await dialog.getByRole('region', { name: 'Licence text of lit' }).or(dialog.locator('pre')).first().waitFor();
  assert.match(await dialog.locator('pre').innerText(), /Redistribution and use/);
  await page.keyboard.press('Enter');
  await dialog.locator('pre').waitFor({ state: 'detached' });

  // The filter, by name or licence.
  const filter = dialog.getByRole('searchbox', { name: 'Filter packages by name or licence' });
  await filter.fill('isc');
  await dialog.getByText('64 packages, 1 shown').waitFor();
  assert.deepEqual(await dialog.locator('summary .name').allInnerTexts(), ['@xmpp/client']);
  await filter.fill('sqlite');
  assert.deepEqual(await dialog.locator('summary .name').allInnerTexts(), ['better-sqlite3']);
  await filter.fill('');
  assert.equal(await dialog.locator('summary').count(), 64);

  // The hostile name is shown as text; a package with no licence file says so.
  const hostile = dialog.locator('summary').filter({ hasText: '<img src=x onerror=alert(1)>' });
  await hostile.click();
  await dialog.getByText('This package ships no licence file.').waitFor();
  assert.equal(await dialog.locator('img').count(), 0);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #3: About from the account menu; a failure to read says why', async () => {
  const page = await openApp(env, {
    ...setup(),
    responses: { getAbout: [{ ok: false, error: { code: 'internal', message: 'The licences could not be read.' } }] },
  });
  await page.getByRole('button', { name: /^Account: juliet@example\.com/ }).click();
  await page.getByRole('button', { name: 'About Balcony' }).click();
  const dialog = aboutDialog(page);
  await dialog.getByRole('alert').filter({ hasText: 'The licences could not be read.' }).waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`issue 13 #3: About, wide and narrow, one licence open, axe-clean (${colorScheme})`, async () => {
    for (const viewport of [
      { width: 960, height: 720 },
      { width: 320, height: 400 },
    ]) {
      const size = viewport.width > 400 ? 'wide' : 'narrow';
      const page = await openApp(env, setup(), { colorScheme, viewport });
      await page.evaluate(() => window.harness.emit({ type: 'command', command: 'about' }));
      const dialog = aboutDialog(page);
      await dialog.getByText('Balcony 0.1.0').waitFor();
      await dialog.locator('summary').filter({ hasText: 'better-sqlite3' }).click();
      await dialog.locator('pre').waitFor();
      const { violations } = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
        [],
      );
      await screenshot(page, `issue-13-about-${size}-${colorScheme}`);
      const sideways = await dialog.evaluate((d) => d.scrollWidth > d.clientWidth);
      assert.equal(sideways, false, 'nothing overflows sideways');
      assert.deepEqual(await pageProblems(page), []);
      await page.context().close();
    }
  });
}
