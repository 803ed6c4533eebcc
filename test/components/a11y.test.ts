// axe scans of each screen, light and dark: no serious or critical
// violations (labels, contrast, landmarks, one h1, list semantics).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

async function assertNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join('\n  ')}`,
  );
  assert.deepEqual(report, []);
}

const h1Count = (page: Page) => page.getByRole('heading', { level: 1 }).count();

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe: sign-in screen (${colorScheme})`, async () => {
    const page = await openApp(
      env,
      { state: appState({ account: null, connection: { status: 'offline' }, canStorePasswordSafely: false }) },
      { colorScheme },
    );
    await page.getByText('Advanced').click();
    await assertNoSeriousViolations(page);
    assert.equal(await h1Count(page), 1);
    await screenshot(page, `sign-in-${colorScheme}`);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  });

  test(`axe: contact list (${colorScheme})`, async () => {
    const page = await openApp(
      env,
      { state: appState({ connection: { status: 'offline' } }), roster: sampleRoster() },
      { colorScheme },
    );
    // A focused row and its revealed actions are part of what is checked.
    await page.keyboard.press('/');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await assertNoSeriousViolations(page);
    assert.equal(await h1Count(page), 1);
    await page.getByRole('banner').waitFor();
    await page.getByRole('main').waitFor();
    await screenshot(page, `list-${colorScheme}`);
    // A narrow window wraps the header instead of clipping it.
    await page.setViewportSize({ width: 480, height: 720 });
    await assertNoSeriousViolations(page);
    await screenshot(page, `list-narrow-${colorScheme}`);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  });

  test(`axe: edit dialog and empty list (${colorScheme})`, async () => {
    const page = await openApp(env, { state: appState(), roster: sampleRoster() }, { colorScheme });
    await page.locator('xm-contact-list .contact-row').first().locator('[data-action=edit]').click();
    await page.locator('xm-contact-dialog dialog').waitFor();
    await assertNoSeriousViolations(page);
    await screenshot(page, `edit-dialog-${colorScheme}`);
    await page.context().close();

    const empty = await openApp(
      env,
      { state: appState(), roster: { account: 'juliet@example.com', version: null, items: [] } },
      { colorScheme },
    );
    await empty.getByText('No contacts yet — add one').waitFor();
    await assertNoSeriousViolations(empty);
    await screenshot(empty, `empty-${colorScheme}`);
    await empty.context().close();
  });
}
