// Issue 10 #3, drafts: the composer's unsent text per account and conversation
// survives switching conversations and restarting (a page reload keeps
// localStorage, as the app's profile does); sending clears it; signing out and
// forgetting the account clears its drafts; bounded in length and number.
// In Chromium with the fake API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { MESSAGE_LIMITS } from '../../preload/contract.js';
import { appState, mount, openApp, pageProblems, sampleRoster, useComponentEnv } from './support.js';
import type { HarnessSetup } from './harness.js';
import { OWN, ROMEO, openConversation, romeoConversation } from './conversation-data.js';

const env = useComponentEnv();
const NURSE = 'nurse@capulet.example';

function setup(): HarnessSetup {
  return { state: appState(), roster: sampleRoster(), messages: { messages: romeoConversation() } };
}

const field = (page: Page) => page.getByRole('textbox', { name: /^Message to / });

/** A restart: the page loads again (localStorage stays) and the app mounts with the same account. */
async function restart(page: Page): Promise<void> {
  await page.reload();
  await mount(page, setup());
}

/** The drafts in this origin's localStorage (key, length). */
const storedDrafts = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('balcony.draft:'))
      .sort(),
  );

test('issue 10 #3 (drafts): an unsent text comes back after switching and after a restart, per conversation; sending clears it', async () => {
  const page = await openApp(env, setup(), { viewport: { width: 1280, height: 800 } });
  await openConversation(page, ROMEO);
  await field(page).fill('Half a thought for Romeo');
  await openConversation(page, NURSE);
  await field(page).fill('For the nurse 🎉');

  // Restarted with the nurse's conversation still open (never left: kept as typed).
  await restart(page);
  await openConversation(page, ROMEO);
  assert.equal(await field(page).inputValue(), 'Half a thought for Romeo');
  await openConversation(page, NURSE);
  assert.equal(await field(page).inputValue(), 'For the nurse 🎉');

  // Sent: gone, and not back after a restart.
  await field(page).press('Enter');
  await page.waitForFunction(() => window.harness.callCount('sendMessage') === 1);
  assert.equal(await field(page).inputValue(), '');
  await restart(page);
  await openConversation(page, NURSE);
  assert.equal(await field(page).inputValue(), '');
  await openConversation(page, ROMEO);
  assert.equal(await field(page).inputValue(), 'Half a thought for Romeo', 'the other draft stays');

  // Emptied by hand: gone too.
  await field(page).fill('');
  await restart(page);
  await openConversation(page, ROMEO);
  assert.equal(await field(page).inputValue(), '');
  assert.deepEqual(await storedDrafts(page), []);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #3 (drafts): a draft written by another part (an xmpp:?message link) replaces what the open conversation shows', async () => {
  const page = await openApp(env, setup(), { viewport: { width: 1280, height: 800 } });
  await openConversation(page, ROMEO);
  await field(page).fill('typed here');
  await page.evaluate(
    ([account, jid]) =>
      window.dispatchEvent(new CustomEvent('xm-draft-changed', { detail: { account, jid, text: 'from the link' } })),
    [OWN, ROMEO],
  );
  await page.waitForFunction(
    () =>
      document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-conversation')
        ?.shadowRoot?.querySelector('xm-composer')
        ?.shadowRoot?.querySelector('textarea')?.value === 'from the link',
  );
  // Another conversation's draft does not touch this one.
  await page.evaluate(
    ([account, jid]) =>
      window.dispatchEvent(new CustomEvent('xm-draft-changed', { detail: { account, jid, text: 'not here' } })),
    [OWN, NURSE],
  );
  assert.equal(await field(page).inputValue(), 'from the link');
  await page.context().close();
});

test('issue 10 #3 (drafts): bounded: a draft is stored up to the message limit, and at most 200 of them, the oldest written dropped', async () => {
  const page = await openApp(env, setup(), { viewport: { width: 1280, height: 800 } });
  // 200 drafts written before, oldest first, in the stored format.
  await page.evaluate((account) => {
    const keys = Array.from({ length: 200 }, (_, i) => `balcony.draft:${JSON.stringify([account, `c${i}@x.example`])}`);
    for (const key of keys) localStorage.setItem(key, 'old');
    localStorage.setItem('balcony.drafts', JSON.stringify(keys));
  }, OWN);
  await restart(page);
  await openConversation(page, ROMEO);
  await field(page).fill('y'.repeat(MESSAGE_LIMITS.bodyChars + 50));
  const stored = await storedDrafts(page);
  assert.equal(stored.length, 200, 'still 200');
  assert.ok(!stored.includes(`balcony.draft:${JSON.stringify([OWN, 'c0@x.example'])}`), 'the oldest went');
  assert.ok(stored.includes(`balcony.draft:${JSON.stringify([OWN, ROMEO])}`));

  await restart(page);
  await openConversation(page, ROMEO);
  assert.equal((await field(page).inputValue()).length, MESSAGE_LIMITS.bodyChars, 'cut to what a message can hold');
  await page.context().close();
});

test('issue 10 #3 (drafts): signing out keeps the drafts; signing out and forgetting the account clears them', async () => {
  const page = await openApp(env, setup(), { viewport: { width: 1280, height: 800 } });
  await openConversation(page, ROMEO);
  await field(page).fill('Still here after sign-out');
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.equal((await storedDrafts(page)).length, 1, 'kept with the account');

  await restart(page);
  await openConversation(page, ROMEO);
  assert.equal(await field(page).inputValue(), 'Still here after sign-out');
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Sign out and forget this account…' }).click();
  await page
    .getByRole('alertdialog', { name: 'Forget this account?' })
    .getByRole('button', { name: 'Sign out and forget' })
    .click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('balcony.draft:')));

  await restart(page);
  await openConversation(page, ROMEO);
  assert.equal(await field(page).inputValue(), '', 'nothing typed stays behind');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
