// Issue 10 #1 and #3, the list's side: a contact row opens its conversation
// (Enter, double click, "Message" in its menu: the OPEN_CONVERSATION page
// event the layout answers), editing moved to F2 and "Edit contact…"; the
// unread badge and the window title, the "Recent" sort and the last line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appState, openApp, pageProblems, sampleRoster, useComponentEnv } from './support.js';

const env = useComponentEnv();

const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);

/** Starts recording the OPEN_CONVERSATION events that reach the document. */
async function recordOpens(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { opened: string[] };
    w.opened = [];
    document.addEventListener('xm-open-conversation', (e) =>
      w.opened.push((e as CustomEvent<{ jid: string }>).detail.jid),
    );
  });
  return () => page.evaluate(() => (window as unknown as { opened: string[] }).opened);
}

test('issue 10 #1: Enter, a double click and "Message" (first in the menu) open the conversation; F2 and "Edit contact…" edit', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const opened = await recordOpens(page);
  const nurse = row(page, 'Family', 'nurse@capulet.example');

  await nurse.dblclick();
  await page.waitForFunction(() => (window as unknown as { opened: string[] }).opened.length === 1);
  assert.equal(await page.locator('xm-contact-dialog dialog').isVisible(), false, 'a double click no longer edits');

  await nurse.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { opened: string[] }).opened.length === 2);

  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Nurse' });
  await menu.waitFor();
  assert.deepEqual((await menu.locator('[role=menuitem] .label').allTextContents()).slice(0, 2), [
    'Message',
    'Edit contact…',
  ]);
  await page.keyboard.press('Enter'); // the first item has focus
  await page.waitForFunction(() => (window as unknown as { opened: string[] }).opened.length === 3);
  assert.deepEqual(await opened(), ['nurse@capulet.example', 'nurse@capulet.example', 'nurse@capulet.example']);

  await page.keyboard.press('Shift+F10');
  await menu.waitFor();
  await menu.getByRole('menuitem', { name: 'Edit contact…' }).click();
  const edit = page.locator('xm-contact-dialog dialog');
  await edit.waitFor();
  assert.equal(await page.locator('xm-contact-dialog #name').inputValue(), 'Nurse');
  await page.keyboard.press('Escape');
  await edit.waitFor({ state: 'hidden' });

  await nurse.focus();
  await page.keyboard.press('F2');
  await edit.waitFor();
  await page.keyboard.press('Escape');
  assert.equal((await opened()).length, 3, 'editing opened no conversation');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
