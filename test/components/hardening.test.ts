// Issue 13 #5 in the page: a link leaves the app only through the confirmation
// and main's openExternal; the page runs with Trusted Types enforced (the CSP
// of renderer/index.html, which the app:// scheme also sends as a header).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';
import { ROMEO, openConversation, romeoConversation, theirs, today } from './conversation-data.js';

const env = useComponentEnv();
const LONG = `https://tickets.example.org/${'a'.repeat(120)}/path?user=juliet&token=${'z'.repeat(80)}#end`;

async function openWithLink(): Promise<Page> {
  const page = await openApp(
    env,
    {
      state: appState(),
      roster: sampleRoster(),
      messages: {
        messages: [
          ...romeoConversation(),
          theirs(`Tickets here: ${LONG} (see you)`, today(8, 50), { id: 'l1', seq: 8000 }),
        ],
      },
    },
    { viewport: { width: 1280, height: 800 } },
  );
  await openConversation(page, ROMEO);
  return page;
}

const openExternalCalls = (page: Page): Promise<unknown[][]> =>
  page.evaluate(() => window.harness.calls.filter((c) => c.method === 'openExternal').map((c) => c.args));

test('issue 13 #5: a link in a message opens only after the confirmation shows the whole address: Open calls openExternal with it, Cancel does not', async () => {
  const page = await openWithLink();
  const link = page.locator('xm-conversation .entry[data-id="l1"] a');
  const dialog = page.getByRole('dialog', { name: 'Open this address?' });

  await link.click();
  await dialog.waitFor();
  assert.equal(await dialog.locator('.address').innerText(), LONG, 'the whole address, nothing cut');
  assert.ok(await dialog.locator('.address').isVisible());
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await openExternalCalls(page), [], 'Cancel opens nothing');

  await link.focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await openExternalCalls(page), [], 'Escape opens nothing');

  await link.click();
  await dialog.getByRole('button', { name: 'Open' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await openExternalCalls(page), [[{ url: LONG }]]);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #5: when main cannot open the address, the confirmation stays and says why', async () => {
  const page = await openWithLink();
  await page.evaluate(() =>
    window.harness.respondNext('openExternal', {
      ok: false,
      error: { code: 'invalid-argument', message: 'Only http and https addresses open in the browser.' },
    }),
  );
  await page.locator('xm-conversation .entry[data-id="l1"] a').click();
  const dialog = page.getByRole('dialog', { name: 'Open this address?' });
  await dialog.getByRole('button', { name: 'Open' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Could not open it' }).waitFor();
  assert.ok(await dialog.isVisible());
  await screenshot(page, 'issue13-link-open-failed-light');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #5: Trusted Types are enforced: the app runs without a violation, a plain string into innerHTML or another policy is refused', async () => {
  const page = await openWithLink();
  await page.locator('xm-conversation .entry[data-id="l1"] a').click();
  await page.getByRole('dialog', { name: 'Open this address?' }).waitFor();
  assert.deepEqual(await pageProblems(page), [], 'Lit, the dialogs and the conversation render under Trusted Types');
  const refused = await page.evaluate(() => {
    const outcomes: string[] = [];
    try {
      document.createElement('div').innerHTML = '<img src=x>';
      outcomes.push('innerHTML accepted');
    } catch (error) {
      outcomes.push(error instanceof TypeError ? 'innerHTML refused' : String(error));
    }
    try {
      (
        window as unknown as { trustedTypes: { createPolicy(n: string, r: object): unknown } }
      ).trustedTypes.createPolicy('evil', { createHTML: (s: string) => s });
      outcomes.push('policy created');
    } catch {
      outcomes.push('policy refused');
    }
    return outcomes;
  });
  assert.deepEqual(refused, ['innerHTML refused', 'policy refused']);
  await page.context().close();
});
