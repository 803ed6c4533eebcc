// issue 12 #8: blocking in the renderer with the fake API: the "Blocked
// contacts" list (keyboard only, focus, refusals, empty state, axe), the
// block confirmation behind `xm-block-request`, "Deny and block" on a
// request, and nothing of it where the server has no blocking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import type { BlocklistSnapshot } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const BLOCKLIST: BlocklistSnapshot = {
  supported: true,
  items: [
    { jid: 'romeo@montague.example' },
    { jid: 'spam.example' },
    { jid: 'tybalt@capulet.example', pending: 'block' },
  ],
  failures: [
    {
      id: 7,
      op: 'block',
      jids: ['paris@verona.example'],
      error: { code: 'not-allowed', message: 'The server does not allow this.' },
    },
  ],
};

function deepFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.textContent.trim()}` : 'none';
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'])
    .analyze();
  // Every serious finding on the page; best-practice ones inside the list (the rest of the screen is other work's).
  return violations.flatMap((v) => {
    const serious = v.impact === 'serious' || v.impact === 'critical';
    const nodes = v.nodes.filter((n) => serious || JSON.stringify(n.target).includes('xm-blocked-list'));
    return nodes.length === 0
      ? []
      : [`${v.id} (${v.impact}): ${nodes.map((n) => JSON.stringify(n.target)).join(', ')}`];
  });
}

/** Opens the requests panel from the one row the requests fold into. */
async function openRequests(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^\d+ contact requests?$/ }).click();
  const panel = page.getByRole('dialog', { name: 'Contact requests' });
  await panel.waitFor();
  return panel;
}

/** Opens the account menu and its "Blocked contacts…" with the keyboard only. */
async function openBlockedList(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account: / }).focus();
  await page.keyboard.press('Enter');
  // The menu's items are reached with the arrow keys, as in a native menu.
  for (let i = 0; i < 12 && !(await deepFocus(page)).includes('Blocked contacts'); i++)
    await page.keyboard.press('ArrowDown');
  assert.equal(await deepFocus(page), 'button:Blocked contacts…');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Blocked contacts' }).waitFor();
}

test('issue 12 #8: the Blocked list, keyboard only: names, waiting and refused entries, Unblock moves focus on, Escape gives focus back', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster(), blocklist: BLOCKLIST });
  await openBlockedList(page);
  const dialog = page.getByRole('dialog', { name: 'Blocked contacts' });
  assert.equal(await deepFocus(page), 'button:Unblock', 'focus starts on the first Unblock');
  // A contact is shown by its name, with the address beside it; a server by its address.
  assert.deepEqual(
    await dialog
      .locator('ul[aria-label=Blocked] .who')
      .evaluateAll((els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim())),
    [
      'Romeo Montague romeo@montague.example',
      'spam.example',
      'Tybalt tybalt@capulet.example Will be blocked when you are back online',
    ],
  );
  await dialog.getByText('Could not block paris@verona.example: The server does not allow this.').waitFor();
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, 'blocked-list');

  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.harness.callCount('unblock') === 1);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)), {
    method: 'unblock',
    args: [['romeo@montague.example']],
  });
  await dialog.locator('.who').filter({ hasText: 'Romeo' }).waitFor({ state: 'detached' });
  await page.waitForFunction(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('data-jid') === 'spam.example';
  });
  await page.getByRole('status').filter({ hasText: 'Unblocked romeo@montague.example.' }).waitFor();

  // Dismiss the refusal, by keyboard.
  await dialog.getByRole('button', { name: 'Dismiss' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.harness.callCount('dismissBlockingFailure') === 1);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)?.args), [7]);

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.match(await deepFocus(page), /^button:[\s\S]*Account:/, 'focus back on the account menu button');
  assert.equal(
    await page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('aria-controls');
    }),
    'account-panel',
    'the account control itself, not another button that mentions the account',
  );
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #8: the Blocked list empty state, at 320×400 and in dark, passes axe and keeps Close reachable', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: sampleRoster(), blocklist: { supported: true, items: [], failures: [] } },
    { viewport: { width: 320, height: 400 }, colorScheme: 'dark' },
  );
  await openBlockedList(page);
  const dialog = page.getByRole('dialog', { name: 'Blocked contacts' });
  await dialog.getByText('Nobody is blocked.').waitFor();
  assert.equal(await deepFocus(page), 'button:Close', 'with nothing to unblock, focus starts on Close');
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, 'blocked-list-empty-320-dark');
  const box = await dialog.getByRole('button', { name: 'Close' }).boundingBox();
  assert.ok(box && box.y + box.height <= 400 && box.x + box.width <= 320, 'Close is on screen');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #8: xm-block-request asks first with focus on Cancel; Block calls block([jid]); a refusal stays in the dialog', async () => {
  const page = await openApp(env, {
    state: appState(),
    roster: sampleRoster(),
    blocklist: { supported: true, items: [], failures: [] },
  });
  // What a context menu does (h12rows): fire the documented event from inside the list.
  const request = () =>
    page.locator('xm-contact-list').evaluate((list) =>
      list.dispatchEvent(
        new CustomEvent('xm-block-request', {
          bubbles: true,
          composed: true,
          detail: { jid: 'romeo@montague.example' },
        }),
      ),
    );
  await request();
  const dialog = page.getByRole('alertdialog', { name: /^Block Romeo Montague ?\?$/ });
  await dialog.waitFor();
  assert.equal(await deepFocus(page), 'button:Cancel');
  await dialog.getByText('romeo@montague.example will not be able to send you messages').waitFor();
  await screenshot(page, 'block-dialog');

  await page.evaluate(() =>
    window.harness.respondNext('block', { ok: false, error: { code: 'not-allowed', message: 'Not on this server.' } }),
  );
  await page.keyboard.press('Tab');
  assert.equal(await deepFocus(page), 'button:Block');
  await page.keyboard.press('Enter');
  await dialog.locator('[role=alert]').filter({ hasText: 'Not on this server.' }).waitFor();
  assert.ok(await dialog.isVisible(), 'the dialog stays open on a refusal');

  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(
    await page.evaluate(() => window.harness.calls.filter((c) => c.method === 'block').map((c) => c.args)),
    [[['romeo@montague.example']], [['romeo@montague.example']]],
  );
  await page.getByRole('status').filter({ hasText: 'Blocked romeo@montague.example.' }).waitFor();
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #8: "Deny and block" on a request calls denyAndBlock', async () => {
  const page = await openApp(env, {
    state: appState(),
    roster: sampleRoster(),
    blocklist: { supported: true, items: [], failures: [] },
  });
  await page.evaluate(() =>
    window.harness.emit({
      type: 'requests',
      requests: [{ jid: 'paris@verona.example', message: null, receivedAt: 1 }],
    }),
  );
  const panel = await openRequests(page);
  const button = panel.getByRole('button', { name: 'Deny and block' });
  await button.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.harness.callCount('denyAndBlock') === 1);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)), {
    method: 'denyAndBlock',
    args: ['paris@verona.example'],
  });
  await panel.getByRole('status').filter({ hasText: 'Denied and blocked paris@verona.example.' }).waitFor();
  assert.equal(await page.evaluate(() => window.harness.callCount('denyRequest')), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #8: where the server has no blocking: no menu item, no "Deny and block", and a block request does nothing', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await page.evaluate(() =>
    window.harness.emit({
      type: 'requests',
      requests: [{ jid: 'paris@verona.example', message: null, receivedAt: 1 }],
    }),
  );
  const panel = await openRequests(page);
  await panel.getByRole('button', { name: 'Deny', exact: true }).waitFor();
  assert.equal(await panel.getByRole('button', { name: 'Deny and block' }).count(), 0);
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Account and connection…' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Blocked contacts…' }).count(), 0);
  await page.keyboard.press('Escape');
  await page.locator('xm-contact-list').evaluate((list) =>
    list.dispatchEvent(
      new CustomEvent('xm-block-request', {
        bubbles: true,
        composed: true,
        detail: { jid: 'romeo@montague.example' },
      }),
    ),
  );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.equal(await page.getByRole('alertdialog').count(), 0);
  assert.equal(await page.evaluate(() => window.harness.callCount('block')), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
