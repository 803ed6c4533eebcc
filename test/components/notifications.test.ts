// Issue 10 #4: system notifications of incoming messages (the page's
// Notification API, stubbed in the page to record what is shown and to click
// it), and the message settings (in Settings since issue 13) that choose what they show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ChatMessage, MessageSettings } from '../../preload/contract.js';
import type { HarnessSetup } from './harness.js';
import { appState, mount, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';
import { notificationStub, type ShownNotification } from '../support/notification-stub.js';

const env = useComponentEnv();

async function openWithNotifications(setup: HarnessSetup, answer: NotificationPermission = 'granted'): Promise<Page> {
  const page = await openApp(env, setup);
  await page.addInitScript({ content: notificationStub({ permission: 'default', answer, focused: true }) });
  await page.reload();
  await mount(page, setup);
  return page;
}

const shown = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { tst_shown: ShownNotification[] }).tst_shown.map(({ title, body, tag, closed }) => ({
      title,
      body,
      tag,
      closed,
    })),
  );

let id = 1;
async function receive(page: Page, from: string, body: string, direction: 'in' | 'out' = 'in'): Promise<void> {
  const own = 'juliet@example.com';
  const message: Omit<ChatMessage, 'seq'> = {
    id: `n${id++}`,
    conversation: from,
    direction,
    from: direction === 'in' ? from : own,
    to: direction === 'in' ? own : from,
    body,
    time: Date.UTC(2025, 10, 24, 15, id),
    state: direction === 'in' ? 'received' : 'sent',
    fromOtherDevice: direction === 'out',
  };
  await page.evaluate((m) => window.harness.receive({ ...m, seq: window.harness.nextSeq() }), message);
}

/** The conversation the layout says is on screen (null: none). */
const showConversation = (page: Page, jid: string | null) =>
  page.evaluate((j) => document.dispatchEvent(new CustomEvent('xm-conversation-shown', { detail: { jid: j } })), jid);

/** Waits until the list has taken every event so far (the row's badge shows the conversation's count). */
const settled = (page: Page, jid: string, unread: number) =>
  page
    .locator(`xm-contact-list .contact-row[data-jid="${jid}"] .unread`)
    .first()
    .filter({ hasText: String(unread) })
    .waitFor();

function setup(settings: MessageSettings = { sendChatStates: true, notifications: 'full' }): HarnessSetup {
  return { state: appState(), roster: sampleRoster(), messages: { settings } };
}

test('issue 10 #4: a message whose conversation is not in view is notified (sender, first line); none in view or for our own; a click opens it', async () => {
  const page = await openWithNotifications(setup());
  await page.waitForFunction(() => window.harness.callCount('getMessageSettings') >= 1);
  await showConversation(page, 'romeo@montague.example');

  // In view, in a focused window: read there, nothing to notify. Permission is not even asked.
  await receive(page, 'romeo@montague.example', 'I am here');
  await settled(page, 'romeo@montague.example', 1);
  assert.deepEqual(await shown(page), []);
  assert.equal(await page.evaluate(() => (window as unknown as { tst_asked: number }).tst_asked), 0);

  // Another conversation: the sender's name and the first line; permission asked once, now that it is needed.
  await receive(page, 'nurse@capulet.example', 'Your lady mother\nis coming to your chamber');
  await page.waitForFunction(() => (window as unknown as { tst_shown: unknown[] }).tst_shown.length === 1);
  assert.deepEqual(await shown(page), [
    { title: 'Nurse', body: 'Your lady mother', tag: 'nurse@capulet.example', closed: false },
  ]);
  assert.equal(await page.evaluate(() => (window as unknown as { tst_asked: number }).tst_asked), 1);

  // Our own, sent from another device (a carbon): never.
  await receive(page, 'tybalt@capulet.example', 'Sent from my phone', 'out');
  // The window loses focus: even the conversation on screen is notified.
  await page.evaluate(() => ((window as unknown as { tst_focused: boolean }).tst_focused = false));
  await receive(page, 'romeo@montague.example', 'Look up, at the window');
  await page.waitForFunction(() => (window as unknown as { tst_shown: unknown[] }).tst_shown.length === 2);
  assert.deepEqual(
    (await shown(page)).map((n) => `${n.title}: ${n.body}`),
    ['Nurse: Your lady mother', 'Romeo Montague: Look up, at the window'],
  );

  // A click brings the window forward and opens that conversation.
  await page.evaluate(() => {
    const w = window as unknown as { tst_opened: string[] };
    w.tst_opened = [];
    document.addEventListener('xm-open-conversation', (e) =>
      w.tst_opened.push((e as CustomEvent<{ jid: string }>).detail.jid),
    );
  });
  await page.evaluate(() => (window as unknown as { tst_shown: { onclick: () => void }[] }).tst_shown[0]!.onclick());
  assert.deepEqual(await page.evaluate(() => (window as unknown as { tst_opened: string[] }).tst_opened), [
    'nurse@capulet.example',
  ]);
  assert.equal(await page.evaluate(() => (window as unknown as { tst_focusCalls: number }).tst_focusCalls), 1);
  assert.equal((await shown(page))[0]!.closed, true);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #4: a burst from one conversation shows its first message at once and its newest when the window ends, not each one and not only the first', async () => {
  const page = await openWithNotifications(setup());
  await page.waitForFunction(() => window.harness.callCount('getMessageSettings') >= 1);
  await showConversation(page, null);
  await receive(page, 'nurse@capulet.example', 'Madam!');
  await receive(page, 'nurse@capulet.example', 'Your lady mother is coming');
  await receive(page, 'nurse@capulet.example', 'The day is broke; be wary, look about');
  await settled(page, 'nurse@capulet.example', 3);
  assert.deepEqual(
    (await shown(page)).map((n) => n.body),
    ['Madam!'],
  );
  // The window (3 s) ends: the newest of what it held, under the same tag, so it takes the first one's place.
  await page.waitForFunction(() => (window as unknown as { tst_shown: unknown[] }).tst_shown.length === 2, undefined, {
    timeout: 10_000,
  });
  assert.deepEqual(
    (await shown(page)).map((n) => `${n.tag}: ${n.body}`),
    ['nurse@capulet.example: Madam!', 'nurse@capulet.example: The day is broke; be wary, look about'],
  );
  // Held back, then read: a message whose conversation is opened before its window ends is not shown.
  await receive(page, 'nurse@capulet.example', 'Anon, good nurse!');
  await showConversation(page, 'nurse@capulet.example');
  await page.waitForTimeout(3500);
  assert.equal((await shown(page)).length, 2, 'nothing for a conversation read before its window ended');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #4/#5: the message settings (in Settings, issue 13), by keyboard, choose "New message" only, or no notifications; permission refused shows none', async () => {
  const page = await openWithNotifications(setup());
  await page.waitForFunction(() => window.harness.callCount('getMessageSettings') >= 1);

  // Account menu → "Settings…", by keyboard.
  await page.getByRole('button', { name: /^Account: juliet@example\.com/ }).focus();
  await page.keyboard.press('Enter');
  const item = page.getByRole('button', { name: 'Settings…' });
  await item.waitFor();
  await item.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  // The message notifier's, the request notifier's (issue 13 #2), then the Settings screen's own.
  await page.waitForFunction(() => window.harness.callCount('getMessageSettings') >= 3);
  await dialog.getByRole('radio', { name: 'Same as the system' }).and(page.locator(':focus')).waitFor();
  const typing = dialog.getByRole('checkbox', { name: 'Let contacts see when I am typing' });
  assert.equal(await typing.isChecked(), true);
  const full = dialog.getByRole('radio', { name: 'Show the sender and the message' });
  assert.equal(await full.isChecked(), true);
  await screenshot(page, 'issue-10-message-settings-light');
  await typing.focus();
  await page.keyboard.press('Space'); // typing off, at once
  await page.waitForFunction(() => window.harness.callCount('setMessageSettings') === 1);
  await full.focus();
  await page.keyboard.press('ArrowDown'); // "Show only “New message”"
  assert.equal(await dialog.getByRole('radio', { name: 'Show only “New message”' }).isChecked(), true);
  await page.waitForFunction(() => window.harness.callCount('setMessageSettings') === 2);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await page.evaluate(() => window.harness.calls.filter((c) => c.method === 'setMessageSettings')), [
    { method: 'setMessageSettings', args: [{ sendChatStates: false, notifications: 'full' }] },
    { method: 'setMessageSettings', args: [{ sendChatStates: false, notifications: 'private' }] },
  ]);

  await receive(page, 'nurse@capulet.example', 'A secret');
  await page.waitForFunction(() => (window as unknown as { tst_shown: unknown[] }).tst_shown.length === 1);
  assert.deepEqual(await shown(page), [{ title: 'New message', body: '', tag: 'balcony-message', closed: false }]);

  // Off: nothing at all.
  await page.getByRole('button', { name: /^Account: juliet@example\.com/ }).click();
  await page.getByRole('button', { name: 'Settings…' }).click();
  await dialog.getByRole('radio', { name: 'Same as the system' }).and(page.locator(':focus')).waitFor();
  await dialog.getByRole('radio', { name: 'Off' }).check();
  await page.waitForFunction(() => window.harness.callCount('setMessageSettings') === 3);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await receive(page, 'romeo@montague.example', 'Anyone?');
  await settled(page, 'romeo@montague.example', 1);
  assert.equal((await shown(page)).length, 1, 'no notification with notifications off');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();

  // Permission refused: nothing shown, nothing asked again, no error.
  const refused = await openWithNotifications(setup(), 'denied');
  await refused.waitForFunction(() => window.harness.callCount('getMessageSettings') >= 1);
  await receive(refused, 'nurse@capulet.example', 'Hello?');
  await settled(refused, 'nurse@capulet.example', 1);
  await receive(refused, 'romeo@montague.example', 'Hello!');
  await settled(refused, 'romeo@montague.example', 1);
  assert.deepEqual(await shown(refused), []);
  assert.equal(await refused.evaluate(() => (window as unknown as { tst_asked: number }).tst_asked), 1);
  assert.deepEqual(await pageProblems(refused), []);
  await refused.context().close();
});
