// The roster on its way (issue 16 #1): after a first sign-in the empty list
// is a progress panel that says what is happening, with a bar that is
// determinate only against an estimate; a cached list being refreshed gets
// a thin bar; the list replaces the panel when it arrives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { RosterProgress } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const firstSignIn = () => appState({ syncedAt: null });
const emptyRoster = { account: 'juliet@example.com', version: null, items: [] };

function emitProgress(page: Page, progress: RosterProgress): Promise<void> {
  return page.evaluate((p) => window.harness.emit({ type: 'roster-progress', progress: p }), progress);
}

async function bar(page: Page): Promise<Record<string, string | null>> {
  return page
    .getByRole('progressbar')
    .evaluate((el) =>
      Object.fromEntries(
        ['aria-valuenow', 'aria-valuemax', 'aria-valuemin', 'aria-valuetext', 'aria-label'].map((name) => [
          name,
          el.getAttribute(name),
        ]),
      ),
    );
}

test('issue 16 #1: the empty list after a first sign-in is a progress panel: waiting, counting, then against an estimate', async () => {
  const page = await openApp(env, { state: firstSignIn(), roster: emptyRoster });
  const panel = page.locator('xm-roster-progress');
  await panel.locator('.headline').getByText('Asking the server for your contacts…').waitFor();
  assert.equal(
    await page.getByText('No contacts yet — add one').count(),
    0,
    'not "no contacts" while they are on their way',
  );
  assert.equal((await bar(page))['aria-valuenow'], null, 'nothing known yet: an indeterminate bar');

  await emitProgress(page, { items: 156, bytes: 15_600, total: null, done: false });
  await panel.getByText(/16 KB received/).waitFor(); // not "0.0 MB"
  await emitProgress(page, { items: 23_000, bytes: 2_300_000, total: null, done: false });
  await panel.locator('.headline').getByText('Receiving your contacts: 23,000 so far').waitFor();
  await panel.getByText(/2\.3 MB received/).waitFor();
  assert.deepEqual(await bar(page), {
    'aria-valuenow': null,
    'aria-valuemax': null,
    'aria-valuemin': null,
    'aria-valuetext': '23,000 contacts so far',
    'aria-label': 'Receiving your contacts',
  });
  // The live region spoke when the panel appeared and stays quiet for a while: the count moves four times a second.
  const live = panel.getByRole('status');
  assert.equal(await live.innerText(), 'Asking the server for your contacts…');
  await emitProgress(page, { items: 24_000, bytes: 2_400_000, total: null, done: false });
  await panel.locator('.headline').getByText('Receiving your contacts: 24,000 so far').waitFor();
  assert.equal(
    await live.innerText(),
    'Asking the server for your contacts…',
    'not announced again within ten seconds',
  );

  await emitProgress(page, { items: 23_000, bytes: 2_300_000, total: 50_000, done: false });
  await panel.getByText(/About 50,000 expected/).waitFor();
  const determinate = await bar(page);
  assert.equal(determinate['aria-valuenow'], '23000');
  assert.equal(determinate['aria-valuemax'], '50000');
  assert.equal(determinate['aria-valuetext'], '23,000 of about 50,000 contacts');
  const width = await panel
    .locator('.fill')
    .evaluate((el) => el.getBoundingClientRect().width / el.parentElement!.getBoundingClientRect().width);
  assert.ok(Math.abs(width - 0.46) < 0.02, `the bar is 46% full, got ${width}`);
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    [],
  );
  await screenshot(page, 'roster-progress');

  // The list arrives: the panel goes with the same redraw.
  await page.evaluate((snapshot) => {
    window.harness.setRoster(snapshot);
    window.harness.emit({ type: 'roster', change: { kind: 'reset', version: snapshot.version, count: 7 } });
  }, sampleRoster());
  await page.locator('xm-contact-list .contact-row').first().waitFor();
  assert.equal(await page.locator('xm-roster-progress').count(), 0);
  await emitProgress(page, { items: 7, bytes: 900, total: 50_000, done: true });
  assert.equal(await page.locator('xm-roster-progress').count(), 0);
  assert.deepEqual(await pageProblems(page), []);
});

test('issue 16 #1: a cached list being refreshed shows a thin bar over the list, gone when done', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await page.locator('xm-contact-list .contact-row').first().waitFor();
  assert.equal(await page.locator('xm-roster-progress').count(), 0);
  await emitProgress(page, { items: 3, bytes: 400, total: 7, done: false });
  const thin = page.getByRole('progressbar', { name: 'Updating your contacts' });
  await thin.waitFor();
  assert.equal(await thin.getAttribute('aria-valuetext'), '3 of about 7 contacts');
  assert.ok((await page.locator('xm-contact-list .contact-row').count()) > 0, 'the cached list stays usable');
  await emitProgress(page, { items: 7, bytes: 900, total: 7, done: true });
  await thin.waitFor({ state: 'detached' });
});

test('issue 16 #1: a retrieval that ended with nothing leaves the empty state, not a panel that never ends', async () => {
  const page = await openApp(env, { state: firstSignIn(), roster: emptyRoster });
  await page.locator('xm-roster-progress').waitFor();
  await emitProgress(page, { items: 100, bytes: 9_000, total: null, done: false });
  await emitProgress(page, { items: 100, bytes: 9_000, total: null, done: true }); // e.g. the connection dropped
  await page.getByText('No contacts yet — add one').waitFor();
  assert.equal(await page.locator('xm-roster-progress').count(), 0);
});
