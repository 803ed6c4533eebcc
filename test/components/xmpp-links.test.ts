// xmpp: links in the window (issue 13 #4): main's parsed action arrives from
// takeXmppLinks (the launch's links) or as an 'xmpp-link' event, and the
// window shows it: a pre-filled form, a draft, a confirmation, or why it
// cannot be opened. Nothing is done without a key press of the user's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { XmppLinkAction } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const link = (page: Page, action: XmppLinkAction) =>
  page.evaluate((a) => window.harness.emit({ type: 'xmpp-link', action: a }), action);
const callsOf = (page: Page, method: string) =>
  page.evaluate((m) => window.harness.calls.filter((c) => c.method === m).map((c) => c.args), method);
const contactDialog = (page: Page) => page.getByRole('dialog', { name: /^(Add|Edit) contact$/ });
const linkDialog = (page: Page) => page.locator('xm-link-dialog').getByRole('alertdialog');

function deepFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}:${el.textContent.trim()}` : 'none';
  });
}

const addRomeo: XmppLinkAction = {
  kind: 'add-contact',
  jid: 'romeo@verona.example',
  name: 'Romeo',
  group: 'friends',
  subscribe: true,
};

test('issue 13 #4: a link of the launch (takeXmppLinks) opens the add-contact form pre-filled; Enter adds', async () => {
  const page = await openApp(env, {
    state: appState(),
    roster: sampleRoster(),
    responses: { takeXmppLinks: [{ ok: true, value: [addRomeo] }] },
  });
  const dialog = contactDialog(page);
  await dialog.waitFor();
  assert.equal(await dialog.getByRole('textbox', { name: 'Address' }).inputValue(), 'romeo@verona.example');
  assert.equal(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), 'Romeo');
  // "friends" is the existing "Friends" (case aside); ?subscribe asks to see their status
  assert.deepEqual(
    (await dialog.getByRole('option', { selected: true }).allTextContents()).map((t) => t.trim()),
    ['Friends'],
  );
  assert.equal(await dialog.getByRole('checkbox', { name: 'Ask to see their status' }).isChecked(), true);
  assert.equal(await callsOf(page, 'addContact').then((c) => c.length), 0, 'nothing added by the link');
  await screenshot(page, 'xmpp-link-add');

  await dialog.getByRole('textbox', { name: 'Name (optional)' }).focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await callsOf(page, 'addContact'), [
    [{ jid: 'romeo@verona.example', name: 'Romeo', groups: ['Friends'] }],
  ]);
  assert.equal(await callsOf(page, 'takeXmppLinks').then((c) => c.length), 1, 'asked once');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #4: a ?roster link while running: a new group is listed ticked, the status is not asked; Escape does nothing', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await link(page, {
    kind: 'add-contact',
    jid: 'paris@verona.example',
    name: '\u202eevil',
    group: 'Verona',
    subscribe: false,
  });
  const dialog = contactDialog(page);
  await dialog.waitFor();
  assert.deepEqual(
    (await dialog.getByRole('option', { selected: true }).allTextContents()).map((t) => t.trim()),
    ['Verona'],
  );
  assert.equal(await dialog.getByRole('checkbox', { name: 'Ask to see their status' }).isChecked(), false);
  // a bidi override is kept as typed, inside the field, where it reorders nothing around it
  assert.equal(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), '\u202eevil');
  assert.match(await deepFocus(page), /^input#jid/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'addContact').then((c) => c.length), 0);
  await page.context().close();
});

test('issue 13 #4: a link for someone already a contact says so and offers Edit instead', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await link(page, { ...addRomeo, jid: 'romeo@montague.example' });
  const notice = linkDialog(page);
  await notice.waitFor();
  assert.equal(await notice.getByRole('heading').textContent(), 'Romeo Montague is already a contact');
  assert.match(await deepFocus(page), /^button#cancel/);
  await screenshot(page, 'xmpp-link-already');
  await page.keyboard.press('Tab');
  assert.match(await deepFocus(page), /Edit contact$/);
  await page.keyboard.press('Enter');
  const edit = page.getByRole('dialog', { name: 'Edit contact' });
  await edit.waitFor();
  assert.equal(await edit.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), 'Romeo Montague');
  await page.keyboard.press('Escape');
  await edit.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'updateContact').then((c) => c.length), 0);
  await page.context().close();
});

test('issue 13 #4: a link to our own address is refused in plain words', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await link(page, { ...addRomeo, jid: 'juliet@example.com' });
  const notice = linkDialog(page);
  await notice.waitFor();
  assert.equal(await notice.getByRole('heading').textContent(), 'This link is to your own address');
  assert.match((await notice.textContent()) ?? '', /you can’t add yourself as a contact/);
  assert.match(await deepFocus(page), /^button#close/);
  await page.keyboard.press('Enter');
  await notice.waitFor({ state: 'hidden' });
  assert.equal(await contactDialog(page).isVisible(), false);
  await page.context().close();
});

test('issue 13 #4: an invalid link shows the reason and the address; nothing is done', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: sampleRoster() },
    { viewport: { width: 320, height: 400 } },
  );
  await link(page, {
    kind: 'invalid',
    uri: 'xmpp:room@conference.example?join;password=hunter2',
    reason: 'This link cannot be opened: Balcony does not handle “join” links.',
  });
  const notice = linkDialog(page);
  await notice.waitFor();
  assert.equal(await notice.getByRole('heading').textContent(), 'This xmpp: link can’t be opened');
  assert.match((await notice.textContent()) ?? '', /does not handle “join” links\. Nothing was changed\./);
  assert.ok(await notice.getByText('xmpp:room@conference.example?join;password=hunter2').isVisible());
  await screenshot(page, 'xmpp-link-invalid-320');
  await page.keyboard.press('Escape');
  await notice.waitFor({ state: 'hidden' });
  const methods = await page.evaluate(() => window.harness.calls.map((c) => c.method));
  assert.ok(!methods.some((m) => /add|remove|update|change|send/i.test(m)), methods.join());
  await page.context().close();
});

test('issue 13 #4: ?message opens the conversation with the body as a focused draft, never sent', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: sampleRoster() },
    { viewport: { width: 1280, height: 800 } },
  );
  await link(page, { kind: 'message', jid: 'romeo@montague.example', body: 'Wherefore art thou?' });
  const field = page.getByRole('textbox', { name: 'Message to Romeo Montague' });
  await field.waitFor();
  await page.waitForFunction(
    () =>
      document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-conversation')
        ?.shadowRoot?.querySelector('xm-composer')
        ?.shadowRoot?.querySelector('textarea')?.value === 'Wherefore art thou?',
  );
  assert.match(await deepFocus(page), /^textarea#/);
  await screenshot(page, 'xmpp-link-message');
  assert.equal(await callsOf(page, 'sendMessage').then((c) => c.length), 0);
  assert.equal(await callsOf(page, 'setChatState').then((c) => c.length), 0, 'not even "typing"');
  // The user's Enter sends it.
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.harness.calls.some((c) => c.method === 'sendMessage'));
  assert.deepEqual(await callsOf(page, 'sendMessage'), [
    [{ to: 'romeo@montague.example', body: 'Wherefore art thou?' }],
  ]);
  await page.context().close();
});

test('issue 13 #4: ?remove asks first, naming the contact; not in the list: said so', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await link(page, { kind: 'remove', jid: 'romeo@montague.example' });
  const confirm = page.locator('xm-remove-dialog').getByRole('alertdialog', { name: 'Remove contact?' });
  await confirm.waitFor();
  assert.match((await confirm.textContent()) ?? '', /Romeo Montague\s*\(romeo@montague.example\) will be removed/);
  assert.match(await deepFocus(page), /^button#cancel/);
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'removeContact').then((c) => c.length), 0);

  await link(page, { kind: 'remove', jid: 'romeo@montague.example' });
  await confirm.waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'hidden' });
  assert.deepEqual(await callsOf(page, 'removeContact'), [['romeo@montague.example']]);

  await link(page, { kind: 'remove', jid: 'paris@verona.example' });
  const notice = linkDialog(page);
  await notice.waitFor();
  assert.equal(await notice.getByRole('heading').textContent(), 'paris@verona.example is not in your contacts');
  await page.keyboard.press('Enter');
  await notice.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'removeContact').then((c) => c.length), 1);
  await page.context().close();
});

test('issue 13 #4: ?unsubscribe asks "Stop seeing …?" (or to withdraw a request) and changes nothing without a click', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await link(page, { kind: 'unsubscribe', jid: 'romeo@montague.example' });
  const confirm = linkDialog(page);
  await confirm.waitFor();
  assert.equal(await confirm.getByRole('heading').textContent(), 'Stop seeing Romeo Montague’s status?');
  await screenshot(page, 'xmpp-link-unsubscribe');
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'changeSubscription').then((c) => c.length), 0);

  await link(page, { kind: 'unsubscribe', jid: 'romeo@montague.example' });
  await confirm.getByRole('button', { name: 'Stop seeing' }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'hidden' });
  await page.locator('xm-roster-screen .notice').getByText('You no longer see Romeo Montague’s status.').waitFor();

  // Mercutio's request is still waiting: the link withdraws it, after asking.
  await link(page, { kind: 'unsubscribe', jid: 'mercutio@example.org' });
  await confirm.getByRole('heading', { name: 'Withdraw your request to see Mercutio’s status?' }).waitFor();
  await confirm.getByRole('button', { name: 'Withdraw request' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.deepEqual(await callsOf(page, 'changeSubscription'), [
    ['romeo@montague.example', 'stop-receiving'],
    ['mercutio@example.org', 'cancel-request'],
  ]);

  // The nurse's status is not seen: nothing to stop.
  await link(page, { kind: 'unsubscribe', jid: 'nurse@capulet.example' });
  await confirm.getByRole('heading', { name: 'You don’t see Nurse’s status' }).waitFor();
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'changeSubscription').then((c) => c.length), 2);
  await page.context().close();
});

test('issue 13 #4: links wait for the dialog before them, and never replace a form the user is typing in', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await page.keyboard.press('Control+n');
  const dialog = contactDialog(page);
  await dialog.waitFor();
  await page.keyboard.type('tybalt@capulet');
  await link(page, addRomeo);
  await link(page, { kind: 'remove', jid: 'paris@verona.example' });
  // the half-typed form is untouched
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.equal(await dialog.getByRole('textbox', { name: 'Address' }).inputValue(), 'tybalt@capulet');
  await page.keyboard.press('Escape');
  await page.waitForFunction(
    () =>
      (
        document
          .querySelector('xm-app')
          ?.shadowRoot?.querySelector('xm-roster-screen')
          ?.shadowRoot?.querySelector('xm-contact-dialog')
          ?.shadowRoot?.querySelector('#jid') as HTMLInputElement | null
      )?.value === 'romeo@verona.example',
  );
  assert.equal(await linkDialog(page).isVisible(), false, 'the second link waits for the first');
  await page.keyboard.press('Escape');
  await linkDialog(page).getByRole('heading', { name: 'paris@verona.example is not in your contacts' }).waitFor();
  await page.keyboard.press('Escape');
  await linkDialog(page).waitFor({ state: 'hidden' });
  await page.context().close();
});

test('issue 13 #4: a link that comes while signed out waits for the roster screen', async () => {
  const page = await openApp(env, {
    state: appState({ account: null, connection: { status: 'offline' }, syncedAt: null }),
    roster: sampleRoster(),
  });
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await link(page, addRomeo);
  assert.equal(await callsOf(page, 'takeXmppLinks').then((c) => c.length), 0, 'not asked before sign-in');
  await page.getByRole('textbox', { name: 'Address' }).fill('juliet@example.com');
  await page.getByLabel('Password', { exact: true }).fill('s3cret');
  await page.keyboard.press('Enter');
  const dialog = contactDialog(page);
  await dialog.waitFor();
  assert.equal(await dialog.getByRole('textbox', { name: 'Address' }).inputValue(), 'romeo@verona.example');
  assert.equal(await callsOf(page, 'takeXmppLinks').then((c) => c.length), 1);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 13 #4: the link dialogs in dark mode and at 320 × 400', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: sampleRoster() },
    { colorScheme: 'dark', viewport: { width: 320, height: 400 } },
  );
  await link(page, { kind: 'unsubscribe', jid: 'romeo@montague.example' });
  const confirm = linkDialog(page);
  await confirm.waitFor();
  const box = await confirm.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 320, 'fits the width');
  assert.ok(await confirm.getByRole('button', { name: 'Stop seeing' }).isVisible());
  await screenshot(page, 'xmpp-link-unsubscribe-dark-320');
  await page.context().close();
});

test('issue 13 #4: in the one-pane layout a link’s dialog brings the list back, so it is never open unseen', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: sampleRoster() },
    { viewport: { width: 420, height: 700 } },
  );
  await link(page, { kind: 'message', jid: 'romeo@montague.example', body: 'Later' });
  await page.getByRole('textbox', { name: 'Message to Romeo Montague' }).waitFor();
  await link(page, { kind: 'remove', jid: 'romeo@montague.example' });
  const confirm = page.locator('xm-remove-dialog').getByRole('alertdialog', { name: 'Remove contact?' });
  await confirm.waitFor();
  assert.ok(await confirm.getByRole('button', { name: 'Cancel' }).isVisible());
  await screenshot(page, 'xmpp-link-remove-narrow');
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await callsOf(page, 'removeContact').then((c) => c.length), 0);
  await page.context().close();
});
