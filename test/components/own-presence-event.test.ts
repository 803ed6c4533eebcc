// Issue 13 leftovers #1: our own presence set outside the window (the tray's
// Status items, a tool) reaches the window as main's 'own-presence' event,
// and the account menu (its button, its choices, the status dialog) follows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PresenceSnapshot } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, useComponentEnv } from './support.js';
import type { HarnessSetup } from './harness.js';
import { accountMenuClosed } from '../support/account-menu.js';

const env = useComponentEnv();

const ok = <T>(value: T) => ({ ok: true as const, value });

function setup(): HarnessSetup {
  const snapshot: PresenceSnapshot = {
    contacts: [],
    requests: [],
    own: { show: 'available', status: null },
    preApprovalSupported: false,
  };
  return { state: appState(), roster: sampleRoster(), responses: { getPresence: [ok(snapshot)] } };
}

const accountButton = (page: Page) => page.getByRole('button', { name: /^Account: juliet@example\.com/ });
/** The menu's presence choice that says it is the current one. */
const pressedChoice = (page: Page) =>
  page.getByRole('group', { name: 'Show me as' }).locator('button[aria-pressed="true"]');

test('issue 13 leftovers #1: a status set from the tray (own-presence event) shows in the account menu, its choices and the status dialog', async () => {
  const page = await openApp(env, setup());
  const toggle = accountButton(page);
  await toggle.filter({ hasText: 'Available' }).waitFor();
  await page.waitForFunction(() => window.harness.callCount('getPresence') === 1);

  await page.evaluate(() =>
    window.harness.emit({ type: 'own-presence', own: { show: 'away', status: 'At the <b>feast</b>' } }),
  );
  await page.getByRole('button', { name: /^Account: juliet@example\.com.*Away: At the <b>feast<\/b>$/ }).waitFor();
  // Text stays text: no element was made of the status.
  assert.equal(await toggle.locator('b').count(), 0);

  // The menu marks the tray's choice, and the status dialog starts from it.
  await toggle.click();
  assert.equal((await pressedChoice(page).textContent())?.trim(), 'Away');
  await page.getByRole('button', { name: 'Set status message…' }).click();
  const form = page.getByRole('dialog', { name: 'Set your status' });
  await form.waitFor();
  assert.equal(await form.getByRole('radio', { name: 'Away', exact: true }).isChecked(), true);
  assert.equal(
    await form.getByRole('textbox', { name: 'Status message (optional)' }).inputValue(),
    'At the <b>feast</b>',
  );
  await form.getByRole('button', { name: 'Cancel' }).click();
  await form.waitFor({ state: 'hidden' });

  // Offline too (our presence is not live-only): the choice is kept for when we connect.
  await page.evaluate(() => window.harness.emit({ type: 'connection', state: { status: 'offline' }, syncedAt: null }));
  await toggle.filter({ hasText: 'Offline' }).waitFor();
  await page.evaluate(() => window.harness.emit({ type: 'own-presence', own: { show: 'dnd', status: null } }));
  await toggle.click();
  await pressedChoice(page).filter({ hasText: 'Busy' }).waitFor();
  assert.equal(await page.evaluate(() => window.harness.callCount('setOwnPresence')), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 leftovers #1: a tray change made while the window’s own change is on its way stays shown', async () => {
  const page = await openApp(env, setup());
  const toggle = accountButton(page);
  await toggle.filter({ hasText: 'Available' }).waitFor();
  await page.waitForFunction(() => window.harness.callCount('getPresence') === 1);

  await page.evaluate(() => window.harness.hold('setOwnPresence'));
  await toggle.click();
  await page.getByRole('button', { name: 'Busy', exact: true }).click();
  await page.waitForFunction(() => window.harness.callCount('setOwnPresence') === 1);
  // As main says it: our own change first, then the tray's, then the answer to our call.
  await page.evaluate(() => {
    window.harness.emit({ type: 'own-presence', own: { show: 'dnd', status: null } });
    window.harness.emit({ type: 'own-presence', own: { show: 'away', status: null } });
  });
  await page.getByRole('button', { name: /^Account: juliet@example\.com.*Away$/ }).waitFor();
  await page.evaluate(() => window.harness.release('setOwnPresence'));
  await accountMenuClosed(page);
  // The answer to the window's older call does not bring "Busy" back (drawn with the menu's closing).
  assert.match((await toggle.textContent()) ?? '', /Away\s*$/);
  assert.doesNotMatch((await toggle.textContent()) ?? '', /Busy/);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
