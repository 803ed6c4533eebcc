// Issue 12 #6 and #7 in the dialogs: groups ticked from a list (keyboard
// only), approving a request with a name and groups, the sharing steps in a
// menu with a confirmation each that keeps unsaved edits, and the denied
// requests list with its undo. Each dialog's accessibility tree is asserted
// through Chromium's (ariaSnapshot), and axe runs with its best-practice rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import type { RosterSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import { appState, contact, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const lastCall = (page: Page) => page.evaluate(() => window.harness.calls.at(-1));
const callCount = (page: Page, method: 'changeSubscription' | 'undoDenial' | 'approveRequest') =>
  page.evaluate((m) => window.harness.callCount(m), method);

/** The deepest focused element, as `tag#id` or the option's / button's text. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return 'none';
    const role = el.getAttribute('role');
    if (role === 'option' || role === 'menuitem') return `${role} ${el.textContent.trim()}`;
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`;
  });
}

/** Where each dialog sits, host by host through the shadow roots. */
const HOSTS = {
  'xm-contact-dialog': ['xm-app', 'xm-roster-screen', 'xm-contact-dialog'],
  'xm-approve-dialog': ['xm-app', 'xm-roster-screen', 'xm-approve-dialog'],
  'xm-sharing-menu': ['xm-app', 'xm-roster-screen', 'xm-contact-dialog', 'xm-sharing-menu'],
  'xm-denied-dialog': ['xm-app', 'xm-roster-screen', 'xm-account-menu', 'xm-denied-dialog'],
} satisfies Record<string, [string, string, ...string[]]>;

/** Focus lands where expected; polled briefly, since a component moves it after its next render. */
async function expectFocus(page: Page, want: string, why = `focus on ${want}`): Promise<void> {
  const deadline = Date.now() + 2_000;
  let seen = await focused(page);
  while (seen !== want && Date.now() < deadline) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    seen = await focused(page);
  }
  assert.equal(seen, want, why);
}

/** axe with the WCAG A/AA and best-practice rules, on `scope` only: no violation of any impact. */
async function axeClean(page: Page, scope: keyof typeof HOSTS): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .include({ fromShadowDom: HOSTS[scope] })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe on ${scope}`,
  );
}

async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key);
}

/** Opens Romeo's edit dialog from the keyboard: search, arrow into the list, F2 (Enter opens the conversation). */
async function editRomeo(page: Page): Promise<Locator> {
  await page.keyboard.press('/');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('romeo');
  // the first row is the Family group, the next Romeo in it
  await press(page, 'ArrowDown', 'ArrowDown', 'F2');
  const dialog = page.locator('xm-contact-dialog dialog');
  await dialog.waitFor();
  return dialog;
}

test('issue 12 #6: groups are ticked in a list of the existing ones, by keyboard alone; a new group must be named', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const dialog = await editRomeo(page);
  await expectFocus(page, 'input#name');
  assert.equal(
    await dialog.ariaSnapshot(),
    [
      '- dialog "Edit contact":',
      '  - heading "Edit contact" [level=2]',
      '  - paragraph: Address romeo@montague.example',
      '  - text: Name (optional)',
      '  - textbox "Name (optional)": Romeo Montague',
      '  - text: Groups',
      '  - listbox "Groups":',
      '    - option "Family" [selected]',
      '    - option "Friends" [selected]',
      '    - option "Work"',
      '  - button "New group…"',
      '  - text: Status sharing You see each other’s status.',
      '  - status',
      '  - button "Sharing"',
      '  - button "Cancel"',
      '  - button "Save"',
    ].join('\n'),
  );
  await axeClean(page, 'xm-contact-dialog');

  // One Tab stop in the list, on the first ticked group; arrows move, Space ticks.
  await press(page, 'Tab');
  await expectFocus(page, 'option Family');
  await press(page, 'Space');
  await press(page, 'End');
  await expectFocus(page, 'option Work');
  await press(page, 'Space', 'Home');
  await expectFocus(page, 'option Family');
  const options = dialog.getByRole('option');
  assert.deepEqual(
    await options.evaluateAll((all) => all.map((o) => `${o.textContent.trim()}:${o.getAttribute('aria-selected')}`)),
    ['Family:false', 'Friends:true', 'Work:true'],
  );

  // "New group…": named, then listed and ticked, focus on it.
  await press(page, 'Tab');
  await expectFocus(page, 'button#new-group');
  await press(page, 'Enter');
  await expectFocus(page, 'input#new-name');
  await press(page, 'Enter');
  await dialog.getByRole('alert').filter({ hasText: 'Enter a name for the group.' }).waitFor();
  // Escape closes the field only, never the dialog with its edits.
  await press(page, 'Escape');
  assert.ok(await dialog.isVisible());
  await expectFocus(page, 'button#new-group');
  await press(page, 'Enter');
  await page.keyboard.type('Cousins');
  await press(page, 'Enter');
  await expectFocus(page, 'option Cousins');
  await dialog.getByRole('status').filter({ hasText: 'New group “Cousins” added and ticked.' }).waitFor();
  // A near miss of an existing group is that group, not a second one.
  await press(page, 'Tab', 'Enter');
  await page.keyboard.type('  family ');
  await press(page, 'Enter');
  await expectFocus(page, 'option Family');
  await dialog.getByRole('status').filter({ hasText: '“Family” already exists: ticked.' }).waitFor();
  assert.deepEqual(await options.allTextContents().then((t) => t.map((s) => s.trim())), [
    'Cousins',
    'Family',
    'Friends',
    'Work',
  ]);
  await screenshot(page, 'issue-12-group-picker');

  // Save sends the ticked groups, in list order.
  await dialog.getByRole('button', { name: 'Save' }).focus();
  await press(page, 'Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'updateContact',
    args: [{ jid: 'romeo@montague.example', name: 'Romeo Montague', groups: ['Cousins', 'Family', 'Friends', 'Work'] }],
  });

  // Opening again (focus is back on Romeo's row) starts from the contact's groups; the unsaved new group is gone.
  await press(page, 'F2');
  await dialog.waitFor();
  assert.deepEqual(await options.allTextContents().then((t) => t.map((s) => s.trim())), ['Family', 'Friends', 'Work']);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #6: with many groups a filter narrows the list; Enter on no match offers it as a new group', async () => {
  const names = ['Band', 'Book club', 'Chess', 'Climbing', 'Colleagues', 'Family', 'Friends', 'Neighbours', 'Work'];
  const roster: RosterSnapshot = {
    account: 'juliet@example.com',
    version: 'v1',
    items: names.map((g, i) => contact(`c${i}@example.net`, { name: `C${i}`, groups: [g] })),
  };
  const page = await openApp(env, { state: appState(), roster }, { viewport: { width: 320, height: 400 } });
  await page.getByRole('banner').getByRole('button', { name: 'Add contact' }).click();
  const dialog = page.locator('xm-contact-dialog dialog');
  await dialog.waitFor();
  await page.getByRole('textbox', { name: 'Address' }).fill('tybalt@capulet.example');
  const filter = dialog.getByRole('searchbox', { name: 'Filter groups' });
  await filter.focus();
  await page.keyboard.type('cl');
  assert.deepEqual(
    await dialog
      .getByRole('option')
      .allTextContents()
      .then((t) => t.map((s) => s.trim())),
    ['Book club', 'Climbing'],
  );
  await press(page, 'ArrowDown');
  await expectFocus(page, 'option Book club');
  await press(page, 'ArrowDown', 'Space', 'ArrowUp', 'ArrowUp');
  await expectFocus(page, 'input#filter', 'up from the first option goes back to the filter');
  await filter.fill('Fencing');
  await dialog.getByText('No group matches “Fencing”. Press Enter to make it.').waitFor();
  await press(page, 'Enter');
  assert.equal(await dialog.getByRole('textbox', { name: 'Name of the new group' }).inputValue(), 'Fencing');
  assert.ok(await dialog.isVisible(), 'Enter in the filter does not submit the form');
  await press(page, 'Enter');
  await expectFocus(page, 'option Fencing');
  await screenshot(page, 'issue-12-group-filter-320');
  await axeClean(page, 'xm-contact-dialog');
  await dialog.getByRole('button', { name: 'Add contact' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'addContact',
    args: [{ jid: 'tybalt@capulet.example', groups: ['Climbing', 'Fencing'] }],
  });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

const paris: SubscriptionRequest = {
  jid: 'paris@verona.example',
  message: 'We met at the feast.',
  nick: 'Count Paris',
  receivedAt: Date.UTC(2025, 10, 24, 12),
};

/** Opens the requests panel from the one row the requests fold into. */
async function openRequests(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^\d+ contact requests?$/ }).click();
  await page.getByRole('dialog', { name: 'Contact requests' }).waitFor();
}

test('issue 12 #6: approving a request asks for a name (the nickname they sent) and groups, then approves and adds', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await page.evaluate((r) => window.harness.emit({ type: 'requests', requests: r }), [paris]);
  await openRequests(page);
  const approveButton = page.getByRole('button', { name: 'Approve…' });
  await approveButton.focus();
  await press(page, 'Enter');
  const dialog = page.locator('xm-approve-dialog dialog');
  await dialog.waitFor();
  await expectFocus(page, 'input#name');
  assert.equal(
    await dialog.ariaSnapshot(),
    [
      '- dialog "Approve contact request":',
      '  - heading "Approve contact request" [level=2]',
      '  - paragraph: paris@verona.example We met at the feast.',
      '  - text: Name (optional)',
      '  - textbox "Name (optional)": Count Paris',
      '  - text: Groups',
      '  - listbox "Groups":',
      '    - option "Family"',
      '    - option "Friends"',
      '    - option "Work"',
      '  - button "New group…"',
      '  - checkbox "Also ask to see their status" [checked]',
      '  - text: Also ask to see their status',
      '  - button "Cancel"',
      '  - button "Approve"',
    ].join('\n'),
  );
  await axeClean(page, 'xm-approve-dialog');
  await screenshot(page, 'issue-12-approve-dialog');
  assert.equal(await callCount(page, 'approveRequest'), 0, 'nothing is approved before the dialog says so');

  // Keyboard only: keep the nickname, tick Friends, leave "ask back" on, Enter in the name approves.
  await press(page, 'Tab', 'ArrowDown', 'Space');
  await dialog.getByRole('textbox', { name: 'Name (optional)' }).focus();
  await press(page, 'Enter');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'approveRequest',
    args: ['paris@verona.example', { askBack: true, name: 'Count Paris', groups: ['Friends'] }],
  });
  // Said inside the requests panel, which stays open (the screen's own status line is inert behind it).
  await page
    .getByRole('dialog', { name: 'Contact requests' })
    .getByRole('status')
    .filter({ hasText: 'Approved paris@verona.example as “Count Paris”.' })
    .waitFor();
  await expectFocus(page, 'button', 'focus is back on Approve…');

  // No nickname, a refusal, then without asking back and with no name.
  await page.evaluate(
    (r) => window.harness.emit({ type: 'requests', requests: r }),
    [{ jid: 'rosaline@example.org', message: null, nick: null, receivedAt: 0 }],
  );
  await page.getByRole('button', { name: 'Approve…' }).click();
  await dialog.waitFor();
  assert.equal(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), '');
  await page.evaluate(() =>
    window.harness.respondNext('approveRequest', {
      ok: false,
      error: { code: 'not-acceptable', message: 'The server refused the group name.' },
    }),
  );
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'The server refused the group name.' }).waitFor();
  assert.ok(await dialog.isVisible());
  await dialog.getByRole('checkbox', { name: 'Also ask to see their status' }).uncheck();
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'approveRequest',
    args: ['rosaline@example.org', { askBack: false, name: null, groups: [] }],
  });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #6: approving someone already in the list keeps their name and groups as the starting point', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await page.evaluate(
    (r) => window.harness.emit({ type: 'requests', requests: r }),
    [{ jid: 'rene@example.fr', message: null, nick: 'René', receivedAt: 0 }],
  );
  await openRequests(page);
  await page.getByRole('button', { name: 'Approve…' }).click();
  const dialog = page.locator('xm-approve-dialog dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), 'René Descartes');
  assert.deepEqual(
    await dialog
      .getByRole('option', { selected: true })
      .allTextContents()
      .then((t) => t.map((s) => s.trim())),
    ['Friends'],
  );
  await page.context().close();
});

test('issue 12 #7: sharing steps sit in their own menu, each asks first in plain words, and unsaved edits stay', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const dialog = await editRomeo(page);
  // Unsaved edits: a new name and one group less.
  await dialog.getByRole('textbox', { name: 'Name (optional)' }).fill('Romeo M.');
  await press(page, 'Tab', 'Space');

  const sharing = dialog.getByRole('button', { name: 'Sharing' });
  await sharing.focus();
  await press(page, 'ArrowDown');
  await expectFocus(page, 'menuitem Stop seeing their status…');
  assert.equal(
    await dialog.getByRole('menu', { name: 'Sharing' }).ariaSnapshot(),
    [
      '- menu "Sharing":',
      '  - menuitem "Stop seeing their status…"',
      '  - menuitem "Stop sharing your status with them…"',
    ].join('\n'),
  );
  await axeClean(page, 'xm-contact-dialog');
  await screenshot(page, 'issue-12-sharing-menu');
  // Escape closes the menu only.
  await press(page, 'Escape');
  assert.ok(await dialog.isVisible());
  await expectFocus(page, 'button');
  assert.equal(await sharing.getAttribute('aria-expanded'), 'false');

  await press(page, 'ArrowUp');
  await expectFocus(page, 'menuitem Stop sharing your status with them…');
  await press(page, 'Enter');
  const confirm = page.getByRole('alertdialog', { name: 'Stop sharing your status with Romeo Montague?' });
  await confirm.waitFor();
  await expectFocus(page, 'button#confirm-cancel', 'focus starts on the harmless choice');
  assert.equal(
    await confirm.ariaSnapshot(),
    [
      '- alertdialog "Stop sharing your status with Romeo Montague?":',
      '  - heading "Stop sharing your status with Romeo Montague?" [level=2]',
      '  - paragraph: Romeo Montague will no longer see when you are online. If they ask again, you decide then.',
      '  - button "Cancel"',
      '  - button "Stop sharing"',
    ].join('\n'),
  );
  await axeClean(page, 'xm-sharing-menu');
  await screenshot(page, 'issue-12-sharing-confirm');
  await press(page, 'Enter'); // Cancel
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await callCount(page, 'changeSubscription'), 0, 'nothing happens without a yes');
  assert.ok(await dialog.isVisible());

  // A refusal stays in the confirmation; a yes goes through and the form keeps its edits.
  await sharing.click();
  await dialog.getByRole('menuitem', { name: 'Stop sharing your status with them…' }).click();
  await page.evaluate(() =>
    window.harness.respondNext('changeSubscription', {
      ok: false,
      error: { code: 'not-connected', message: 'You are offline.' },
    }),
  );
  await confirm.getByRole('button', { name: 'Stop sharing' }).click();
  await confirm.getByRole('alert').filter({ hasText: 'You are offline. — try again when you are online.' }).waitFor();
  await confirm.getByRole('button', { name: 'Stop sharing' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'changeSubscription',
    args: ['romeo@montague.example', 'stop-sharing'],
  });
  assert.ok(await dialog.isVisible(), 'the edit dialog stays open');
  assert.equal(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), 'Romeo M.');
  await dialog.getByText('You see their status; they don’t see yours.').waitFor();
  await dialog.getByRole('status').filter({ hasText: 'Romeo Montague no longer sees your status.' }).waitFor();
  await sharing.click();
  assert.deepEqual(
    await dialog
      .getByRole('menuitem')
      .allTextContents()
      .then((t) => t.map((s) => s.trim())),
    ['Stop seeing their status…'],
    'the menu follows the new state',
  );
  await press(page, 'Escape');

  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'updateContact',
    args: [{ jid: 'romeo@montague.example', name: 'Romeo M.', groups: ['Friends'] }],
  });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #7: the menu offers what fits each state, in plain words; no "Cancel my request" beside Cancel', async () => {
  const roster: RosterSnapshot = {
    account: 'juliet@example.com',
    version: 'v1',
    items: [
      contact('none@example.org', { name: 'None', subscription: 'none' }),
      contact('asked@example.org', { name: 'Asked', subscription: 'from', ask: 'subscribe' }),
    ],
  };
  const page = await openApp(env, {
    state: appState(),
    roster,
    responses: {
      getPresence: [
        {
          ok: true,
          value: { contacts: [], requests: [], own: { show: 'available', status: null }, preApprovalSupported: true },
        },
      ],
    },
  });
  const menuOf = async (name: string): Promise<string[]> => {
    await page.keyboard.press('/');
    await page.getByRole('searchbox', { name: 'Search contacts by name or address' }).fill(name);
    await press(page, 'ArrowDown', 'ArrowDown', 'F2');
    const dialog = page.locator('xm-contact-dialog dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Sharing' }).click();
    const labels = await dialog.getByRole('menuitem').allTextContents();
    assert.equal(await dialog.getByRole('button', { name: /Cancel my request/ }).count(), 0);
    await press(page, 'Escape', 'Escape');
    await dialog.waitFor({ state: 'hidden' });
    return labels.map((l) => l.trim());
  };
  assert.deepEqual(await menuOf('None'), ['Ask to see their status…', 'Let them see your status when they ask…']);
  assert.deepEqual(await menuOf('Asked'), [
    'Withdraw your request to see their status…',
    'Stop sharing your status with them…',
  ]);
  await page.context().close();
});

test('issue 12 #7: "Denied requests" in the account menu lists denials, newest first, and one can be undone', async () => {
  const denied = [
    { jid: 'tybalt@capulet.example', deniedAt: Date.UTC(2025, 10, 22) },
    { jid: 'rosaline@example.org', deniedAt: Date.UTC(2025, 10, 20) },
  ];
  const page = await openApp(env, {
    state: appState({ connection: { status: 'offline' } }),
    roster: sampleRoster(),
    denied,
  });
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Denied requests…' }).focus();
  await press(page, 'Enter');
  const dialog = page.locator('xm-denied-dialog dialog');
  await dialog.getByText('tybalt@capulet.example').waitFor();
  await expectFocus(page, 'button#close');
  assert.equal(
    await dialog.ariaSnapshot(),
    [
      '- dialog "Denied requests":',
      '  - heading "Denied requests" [level=2]',
      '  - paragraph: Requests from these people are refused without asking you. Allow them again to see their next request.',
      '  - list "Denied requests":',
      '    - listitem:',
      '      - text: tybalt@capulet.example denied Nov 22, 2025',
      '      - button "Allow requests again"',
      '    - listitem:',
      '      - text: rosaline@example.org denied Nov 20, 2025',
      '      - button "Allow requests again"',
      '  - status',
      '  - button "Close"',
    ].join('\n'),
  );
  await axeClean(page, 'xm-denied-dialog');
  await screenshot(page, 'issue-12-denied-requests');

  // Offline too: the undo is local.
  await press(page, 'Shift+Tab', 'Shift+Tab');
  await press(page, 'Enter');
  await dialog.getByRole('status').filter({ hasText: 'tybalt@capulet.example can ask again' }).waitFor();
  assert.deepEqual(await lastCall(page), { method: 'undoDenial', args: ['tybalt@capulet.example'] });
  assert.equal(await dialog.getByRole('listitem').count(), 1);
  await expectFocus(page, 'button', 'focus stays in the list');

  await page.evaluate(() =>
    window.harness.respondNext('undoDenial', {
      ok: false,
      error: { code: 'disk-full', message: 'The disk is full.' },
    }),
  );
  await press(page, 'Enter');
  await dialog.getByRole('alert').filter({ hasText: 'The disk is full.' }).waitFor();
  assert.equal(await dialog.getByRole('listitem').count(), 1, 'kept when the undo failed');
  await press(page, 'Enter');
  await dialog.getByText('You have not denied any contact requests.').waitFor();
  assert.equal(await callCount(page, 'undoDenial'), 3);
  await press(page, 'Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
