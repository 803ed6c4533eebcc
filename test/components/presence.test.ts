// Presence and subscriptions in the contact list: dots and words from the
// snapshot and live events (and nothing while not online), sorting and
// hiding offline contacts (remembered per account), contact requests,
// subscription steps by state, our own presence, conflict notices, signing
// out, and two display fixes (a failed edit's reason, saving while offline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { ContactPresence, PresenceSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import {
  appState,
  bigRoster,
  contact,
  mount,
  openApp,
  pageProblems,
  sampleRoster,
  screenshot,
  useComponentEnv,
} from './support.js';
import type { HarnessSetup } from './harness.js';
import { accountMenuClosed } from '../support/account-menu.js';

const env = useComponentEnv();

const ok = <T>(value: T) => ({ ok: true as const, value });
const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);
/** The one row the requests fold into ("2 contact requests"). */
const requestsRow = (page: Page) => page.getByRole('button', { name: /^\d+ contact requests?$/ });
/** Opens the requests panel from its row. */
async function openRequests(page: Page) {
  await requestsRow(page).click();
  const panel = page.getByRole('dialog', { name: 'Contact requests' });
  await panel.waitFor();
  return panel;
}
/** Opens the account menu (the header's account control). */
const openAccountMenu = (page: Page) => page.getByRole('button', { name: /^Account: / }).click();
/** Opens the list options panel (sort, hide offline). */
const openListOptions = (page: Page) => page.getByRole('button', { name: 'List options' }).click();
const lastCall = (page: Page) => page.evaluate(() => window.harness.calls.at(-1));
const callsOf = (page: Page, method: string) =>
  page.evaluate((m) => window.harness.calls.filter((c) => c.method === m).map((c) => c.args), method);

const online: ContactPresence[] = [
  { jid: 'romeo@montague.example', show: 'away', status: 'Under the balcony' },
  { jid: 'mercutio@example.org', show: 'available', status: null },
  {
    jid: 'tybalt@capulet.example',
    show: 'dnd',
    status: 'Do not disturb — fencing practice, then a very long meeting about swords',
  },
  { jid: 'friar@verona.example', show: 'xa', status: null },
];

const requests: SubscriptionRequest[] = [
  {
    jid: 'paris@verona.example',
    message: 'Hello, it is Paris — we met at the Capulet feast.',
    receivedAt: Date.UTC(2025, 10, 24, 12),
  },
  { jid: 'rosaline@example.org', message: null, receivedAt: Date.UTC(2025, 10, 24, 13) },
];

function snapshot(fields: Partial<PresenceSnapshot> = {}): PresenceSnapshot {
  return {
    contacts: online,
    requests: [],
    own: { show: 'available', status: null },
    preApprovalSupported: false,
    ...fields,
  };
}

function setup(presence: Partial<PresenceSnapshot> = {}, overrides: Partial<HarnessSetup> = {}): HarnessSetup {
  return {
    state: appState(),
    roster: sampleRoster(),
    responses: { getPresence: [ok(snapshot(presence))] },
    ...overrides,
  };
}

/** "words — status" of each contact row in list order, for the rows drawn. */
async function presenceOutline(page: Page): Promise<string[]> {
  return page.locator('xm-contact-list .contact-row').evaluateAll((rows) =>
    rows
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((el) => {
        const status = el.querySelector('.status-text')?.textContent;
        const group = el.dataset.group; // '' for the contacts in no group
        return `${group === undefined || group === '' ? '-' : group}/${el.querySelector('.name')!.textContent}: ${el.querySelector('.presence-words')?.textContent}${status ? ` (${status})` : ''}`;
      }),
  );
}

async function assertNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join('\n  ')}`,
  );
  assert.deepEqual(report, []);
}

test('presence dots and words come from getPresence, then from live events', async () => {
  const page = await openApp(env, setup());
  await row(page, 'Work', 'tybalt@capulet.example').locator('.presence.dnd').waitFor();
  assert.deepEqual(await presenceOutline(page), [
    'Family/Nurse: offline',
    'Family/Romeo Montague: away (Under the balcony)',
    'Friends/Mercutio: available',
    'Friends/René Descartes: offline',
    'Friends/Romeo Montague: away (Under the balcony)',
    'Work/benvolio@example.org: offline',
    'Work/Tybalt: busy (Do not disturb — fencing practice, then a very long meeting about swords)',
    '-/Friar Laurence: extended away',
  ]);
  // Status text is text, bidi-isolated, and cut short on screen (the whole of it in the tooltip).
  const status = row(page, 'Work', 'tybalt@capulet.example').locator('bdi.status-text');
  assert.equal(await status.getAttribute('title'), online[2]!.status);
  assert.equal(await status.evaluate((el) => getComputedStyle(el).textOverflow), 'ellipsis');

  const rowsBefore = await page
    .locator('xm-contact-list .contact-row')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('.name')));
  await page.evaluate(() =>
    window.harness.emit({
      type: 'presence',
      presence: { jid: 'rene@example.fr', show: 'chat', status: '<b>not markup</b> שלום' },
    }),
  );
  await page.evaluate(() =>
    window.harness.emit({
      type: 'presence',
      presence: { jid: 'romeo@montague.example', show: 'offline', status: null },
    }),
  );
  await row(page, 'Friends', 'rene@example.fr').locator('.presence.chat').waitFor();
  assert.equal(
    await row(page, 'Friends', 'rene@example.fr').locator('.status-text').textContent(),
    '<b>not markup</b> שלום',
  );
  assert.equal(await row(page, 'Friends', 'rene@example.fr').locator('.status-text b').count(), 0);
  assert.equal(await row(page, 'Family', 'romeo@montague.example').locator('.presence-words').textContent(), 'offline');
  assert.equal(await row(page, 'Friends', 'romeo@montague.example').locator('.status-text').count(), 0);
  // Only the rows' presence parts were redrawn: the rows themselves are the same elements.
  const rowsAfter = await page
    .locator('xm-contact-list .contact-row')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('.name')));
  assert.equal(rowsAfter.length, rowsBefore.length);
  assert.equal(
    await page.evaluate(() => window.harness.callCount('getPresence')),
    1,
    'events are applied, not refetched',
  );
  await screenshot(page, 'presence-list-light');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();

  const dark = await openApp(env, setup({ requests }), { colorScheme: 'dark' });
  await row(dark, 'Work', 'tybalt@capulet.example').locator('.presence.dnd').waitFor();
  await screenshot(dark, 'presence-list-dark');
  await dark.setViewportSize({ width: 480, height: 800 });
  await screenshot(dark, 'presence-list-narrow-dark');
  await dark.context().close();
});

test('presence is cleared while the connection is not online, and loaded again when it is', async () => {
  const page = await openApp(env, setup({ requests }));
  await row(page, 'Friends', 'mercutio@example.org').locator('.presence.available').waitFor();
  await requestsRow(page).waitFor();

  await page.evaluate(() =>
    window.harness.emit({ type: 'connection', state: { status: 'connecting', attempt: 1 }, syncedAt: null }),
  );
  await row(page, 'Friends', 'mercutio@example.org').locator('.presence.offline').waitFor({ state: 'attached' });
  assert.equal(await page.locator('xm-contact-list .presence:not(.offline)').count(), 0);
  assert.equal(await page.locator('xm-contact-list .status-text').count(), 0);
  await requestsRow(page).waitFor({ state: 'detached' });
  // Events that still trickle in while not online are not shown as current.
  await page.evaluate(() =>
    window.harness.emit({
      type: 'presence',
      presence: { jid: 'nurse@capulet.example', show: 'available', status: null },
    }),
  );
  await page.waitForTimeout(50);
  assert.equal(await row(page, 'Family', 'nurse@capulet.example').locator('.presence-words').textContent(), 'offline');

  await page.evaluate(() =>
    window.harness.respondNext('getPresence', {
      ok: true,
      value: {
        contacts: [{ jid: 'nurse@capulet.example', show: 'away', status: null }],
        requests: [],
        own: { show: 'available', status: null },
        preApprovalSupported: false,
      },
    }),
  );
  await page.evaluate(() =>
    window.harness.emit({
      type: 'connection',
      state: { status: 'online', jid: 'juliet@example.com/balcony' },
      syncedAt: Date.now(),
    }),
  );
  await row(page, 'Family', 'nurse@capulet.example').locator('.presence.away').waitFor();
  assert.equal(await page.evaluate(() => window.harness.callCount('getPresence')), 2);
  assert.equal(await row(page, 'Friends', 'mercutio@example.org').locator('.presence-words').textContent(), 'offline');
  await page.context().close();
});

test('no presence is asked for or shown while starting offline', async () => {
  const page = await openApp(env, setup({}, { state: appState({ connection: { status: 'offline' } }) }));
  await page.waitForTimeout(50);
  assert.equal(await page.evaluate(() => window.harness.callCount('getPresence')), 0);
  assert.equal(await page.locator('xm-contact-list .presence:not(.offline)').count(), 0);
  await page.context().close();
});

test('sort by availability and hide offline contacts, remembered per account', async () => {
  const page = await openApp(env, setup());
  await row(page, 'Work', 'tybalt@capulet.example').locator('.presence.dnd').waitFor();
  await openListOptions(page);
  const sort = page.getByRole('combobox', { name: 'Sort' });
  assert.equal(await sort.inputValue(), 'name');
  await sort.selectOption('availability');
  await page.waitForFunction(() => true);
  const friends = async () => (await presenceOutline(page)).filter((line) => line.startsWith('Friends/'));
  await page.waitForFunction(() => {
    const list = document
      .querySelector('xm-app')!
      .shadowRoot!.querySelector('xm-roster-screen')!
      .shadowRoot!.querySelector('xm-contact-list')!;
    const first = [...list.shadowRoot!.querySelectorAll<HTMLElement>('.contact-row[data-group="Friends"]')].sort(
      (a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')),
    )[0];
    return first?.dataset.jid === 'mercutio@example.org';
  });
  assert.deepEqual(await friends(), [
    'Friends/Mercutio: available',
    'Friends/Romeo Montague: away (Under the balcony)',
    'Friends/René Descartes: offline',
  ]);
  assert.deepEqual(
    (await presenceOutline(page)).filter((line) => line.startsWith('Work/')),
    [
      'Work/Tybalt: busy (Do not disturb — fencing practice, then a very long meeting about swords)',
      'Work/benvolio@example.org: offline',
    ],
  );

  // A live change moves the contact.
  await page.evaluate(() =>
    window.harness.emit({ type: 'presence', presence: { jid: 'rene@example.fr', show: 'available', status: null } }),
  );
  await page.waitForFunction(() => {
    const list = document
      .querySelector('xm-app')!
      .shadowRoot!.querySelector('xm-roster-screen')!
      .shadowRoot!.querySelector('xm-contact-list')!;
    const rows = [...list.shadowRoot!.querySelectorAll<HTMLElement>('.contact-row[data-group="Friends"]')].sort(
      (a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')),
    );
    return rows.map((r) => r.dataset.jid).join() === 'mercutio@example.org,rene@example.fr,romeo@montague.example';
  });

  const hide = page.getByRole('checkbox', { name: 'Hide offline contacts' });
  await hide.check();
  await row(page, 'Family', 'nurse@capulet.example').waitFor({ state: 'detached' });
  assert.deepEqual(await presenceOutline(page), [
    'Family/Romeo Montague: away (Under the balcony)',
    'Friends/Mercutio: available',
    'Friends/René Descartes: available',
    'Friends/Romeo Montague: away (Under the balcony)',
    'Work/Tybalt: busy (Do not disturb — fencing practice, then a very long meeting about swords)',
    '-/Friar Laurence: extended away',
  ]);
  assert.equal(await page.locator('xm-contact-list .group-row[data-key=\'g"Friends"\'] .count').textContent(), '3');
  await screenshot(page, 'presence-sorted-hidden');
  // Someone going offline leaves the list.
  await page.evaluate(() =>
    window.harness.emit({
      type: 'presence',
      presence: { jid: 'tybalt@capulet.example', show: 'offline', status: null },
    }),
  );
  await row(page, 'Work', 'tybalt@capulet.example').waitFor({ state: 'detached' });

  // Remembered for this account after a restart.
  assert.deepEqual(
    JSON.parse((await page.evaluate(() => localStorage.getItem('balcony:list-options:juliet@example.com')))!),
    { sort: 'availability', hideOffline: true, density: 'compact', showPreview: true },
  );
  await page.reload();
  await mount(page, setup());
  await openListOptions(page);
  assert.equal(await page.getByRole('combobox', { name: 'Sort' }).inputValue(), 'availability');
  assert.ok(await page.getByRole('checkbox', { name: 'Hide offline contacts' }).isChecked());
  await row(page, 'Friends', 'mercutio@example.org').waitFor();
  assert.equal(await row(page, 'Family', 'nurse@capulet.example').count(), 0);

  // Not online: everyone is offline, so the list says why it is empty.
  await page.evaluate(() => window.harness.emit({ type: 'connection', state: { status: 'offline' }, syncedAt: null }));
  await page.getByText('No one is online').waitFor();
  await screenshot(page, 'presence-none-online');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('contact requests: approve in a dialog (also asking back by default), deny, a refusal beside the request', async () => {
  const page = await openApp(env, setup({ requests }));
  await page.getByRole('button', { name: '2 contact requests', exact: true }).waitFor();
  const section = await openRequests(page);
  const items = section.getByRole('listitem');
  assert.equal(await items.count(), 2);
  const paris = items.filter({ hasText: 'paris@verona.example' });
  await paris.getByText('Hello, it is Paris — we met at the Capulet feast.').waitFor();
  await screenshot(page, 'presence-requests');

  // issue 12 #6: Approve… asks for the name and groups first, asking back by default.
  const approveDialog = page.locator('xm-approve-dialog dialog');
  await paris.getByRole('button', { name: 'Approve…' }).click();
  await approveDialog.getByRole('button', { name: 'Approve' }).click();
  await page.waitForFunction(() => window.harness.callCount('approveRequest') === 1);
  assert.deepEqual(await lastCall(page), {
    method: 'approveRequest',
    args: ['paris@verona.example', { askBack: true, name: null, groups: [] }],
  });
  // Said inside the panel: behind a modal dialog the screen's own status line is inert.
  await section.getByRole('status').filter({ hasText: 'Approved paris@verona.example.' }).waitFor();
  // Main sends the new list: the answered request leaves.
  await page.evaluate((r) => window.harness.emit({ type: 'requests', requests: r }), requests.slice(1));
  await paris.waitFor({ state: 'detached' });

  const rosaline = items.filter({ hasText: 'rosaline@example.org' });
  await page.evaluate(() =>
    window.harness.respondNext('denyRequest', {
      ok: false,
      error: { code: 'not-connected', message: 'You are offline.' },
    }),
  );
  await rosaline.getByRole('button', { name: 'Deny', exact: true }).click();
  await rosaline
    .getByRole('alert')
    .filter({ hasText: 'Could not deny: You are offline. — try again when you are online.' })
    .waitFor();
  await screenshot(page, 'presence-request-error');

  await rosaline.getByRole('button', { name: 'Approve…' }).click();
  await approveDialog.getByRole('checkbox', { name: 'Also ask to see their status' }).uncheck();
  await approveDialog.getByRole('button', { name: 'Approve' }).click();
  await page.waitForFunction(() => window.harness.callCount('approveRequest') === 2);
  assert.deepEqual(await lastCall(page), {
    method: 'approveRequest',
    args: ['rosaline@example.org', { askBack: false, name: null, groups: [] }],
  });
  await rosaline.getByRole('alert').waitFor({ state: 'detached' });

  await page.evaluate(() =>
    window.harness.emit({
      type: 'requests',
      requests: [{ jid: 'rosaline@example.org', message: null, receivedAt: 0 }],
    }),
  );
  await rosaline.getByRole('button', { name: 'Deny', exact: true }).click();
  await page.waitForFunction(() => window.harness.callCount('denyRequest') === 2);
  assert.deepEqual(await lastCall(page), { method: 'denyRequest', args: ['rosaline@example.org'] });
  await page.evaluate(() => window.harness.emit({ type: 'requests', requests: [] }));
  // No request left: the panel closes, the row goes, and focus lands in the list rather than nowhere.
  await section.waitFor({ state: 'hidden' });
  await requestsRow(page).waitFor({ state: 'detached' });
  await page.waitForFunction(() =>
    Boolean(
      document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-roster-screen')
        ?.shadowRoot?.querySelector('xm-contact-list')
        ?.shadowRoot?.activeElement?.closest('[data-key]'),
    ),
  );
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

async function sharingButtons(page: Page, group: string, jid: string): Promise<string[]> {
  await row(page, group, jid).locator('[data-action=edit]').click();
  const dialog = page.locator('xm-contact-dialog dialog');
  await dialog.waitFor();
  // issue 12 #7: the steps are in the Sharing menu, no longer buttons in the form
  await dialog.getByRole('button', { name: 'Sharing' }).click();
  const labels = await dialog.getByRole('menuitem').allTextContents();
  await page.keyboard.press('Escape'); // the menu
  await page.keyboard.press('Escape'); // the dialog
  await dialog.waitFor({ state: 'hidden' });
  return labels.map((l) => l.trim());
}

test('subscription steps are offered by state; "Let them see your status when they ask" only where the server supports it', async () => {
  const roster = {
    account: 'juliet@example.com',
    version: 'v1',
    items: [
      contact('both@example.org', { name: 'Both', subscription: 'both' }),
      contact('to@example.org', { name: 'To', subscription: 'to' }),
      contact('from@example.org', { name: 'From', subscription: 'from' }),
      contact('none@example.org', { name: 'None', subscription: 'none' }),
      contact('asked@example.org', { name: 'Asked', subscription: 'none', ask: 'subscribe' }),
      contact('fromasked@example.org', { name: 'From asked', subscription: 'from', ask: 'subscribe' }),
      contact('approved@example.org', { name: 'Approved', subscription: 'none', approved: true }),
    ],
  };
  const ask = 'Ask to see their status…';
  const withdraw = 'Withdraw your request to see their status…';
  const stopSeeing = 'Stop seeing their status…';
  const stopSharing = 'Stop sharing your status with them…';
  const allow = 'Let them see your status when they ask…';
  const page = await openApp(env, setup({ preApprovalSupported: true, contacts: [] }, { roster }));
  await page.waitForFunction(() => window.harness.callCount('getPresence') === 1);
  await page.waitForTimeout(50);
  assert.deepEqual(await sharingButtons(page, '', 'both@example.org'), [stopSeeing, stopSharing]);
  assert.deepEqual(await sharingButtons(page, '', 'to@example.org'), [stopSeeing, allow]);
  assert.deepEqual(await sharingButtons(page, '', 'from@example.org'), [ask, stopSharing]);
  assert.deepEqual(await sharingButtons(page, '', 'none@example.org'), [ask, allow]);
  assert.deepEqual(await sharingButtons(page, '', 'asked@example.org'), [withdraw, allow]);
  assert.deepEqual(await sharingButtons(page, '', 'fromasked@example.org'), [withdraw, stopSharing]);
  assert.deepEqual(await sharingButtons(page, '', 'approved@example.org'), [ask]);
  // Pre-approval shows in the row's words (issue 12 #1: plain words, not "pre-approved").
  assert.equal(
    await row(page, '', 'approved@example.org').locator('.relation').textContent(),
    'will see your status when they ask',
  );

  const dialog = page.locator('xm-contact-dialog dialog');
  await row(page, '', 'asked@example.org').locator('[data-action=edit]').click();
  await dialog.waitFor();
  await screenshot(page, 'presence-edit-sharing');
  await dialog.getByRole('button', { name: 'Sharing' }).click();
  await dialog.getByRole('menuitem', { name: withdraw }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Withdraw request' }).click();
  await page.getByRole('alertdialog').waitFor({ state: 'detached' });
  assert.deepEqual(await lastCall(page), {
    method: 'changeSubscription',
    args: ['asked@example.org', 'cancel-request'],
  });
  await page.getByRole('status').filter({ hasText: 'Withdrew your request to see Asked’s status.' }).first().waitFor();
  assert.ok(await dialog.isVisible(), 'the form stays open');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // A refusal stays in the confirmation.
  await row(page, '', 'both@example.org').locator('[data-action=edit]').click();
  await page.evaluate(() =>
    window.harness.respondNext('changeSubscription', {
      ok: false,
      error: { code: 'not-connected', message: 'You are offline.' },
    }),
  );
  await dialog.getByRole('button', { name: 'Sharing' }).click();
  await dialog.getByRole('menuitem', { name: stopSharing }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Stop sharing' }).click();
  await page.getByRole('alertdialog').getByRole('alert').filter({ hasText: 'You are offline.' }).waitFor();
  assert.deepEqual(await lastCall(page), { method: 'changeSubscription', args: ['both@example.org', 'stop-sharing'] });
  await page.keyboard.press('Escape');
  await page.context().close();

  const unsupported = await openApp(env, setup({ preApprovalSupported: false, contacts: [] }, { roster }));
  await unsupported.waitForFunction(() => window.harness.callCount('getPresence') === 1);
  await unsupported.waitForTimeout(50);
  assert.deepEqual(await sharingButtons(unsupported, '', 'none@example.org'), [ask]);
  assert.deepEqual(await sharingButtons(unsupported, '', 'to@example.org'), [stopSeeing]);
  assert.deepEqual(await pageProblems(unsupported), []);
  await unsupported.context().close();
});

test('add contact: "Ask to see their status" is on by default and can be turned off', async () => {
  const page = await openApp(env, setup());
  const addButton = page.getByRole('banner').getByRole('button', { name: 'Add contact' });
  await addButton.click();
  const ask = page.getByRole('checkbox', { name: 'Ask to see their status' });
  assert.ok(await ask.isChecked());
  await page.getByRole('textbox', { name: 'Address' }).fill('paris@verona.example');
  await page.getByRole('button', { name: 'Add contact', exact: true }).last().click();
  await page.locator('xm-contact-dialog dialog').waitFor({ state: 'hidden' });
  // Left out: the contract's default is to ask.
  assert.deepEqual(await lastCall(page), { method: 'addContact', args: [{ jid: 'paris@verona.example', groups: [] }] });

  await addButton.click();
  await page.getByRole('textbox', { name: 'Address' }).fill('rosaline@example.org');
  await ask.uncheck();
  await page.getByRole('button', { name: 'Add contact', exact: true }).last().click();
  await page.locator('xm-contact-dialog dialog').waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'addContact',
    args: [{ jid: 'rosaline@example.org', groups: [], subscribe: false }],
  });
  await page.context().close();
});

test('own presence: the account control shows it; the menu sets show, the status dialog sets show and status', async () => {
  const page = await openApp(env, setup({ own: { show: 'available', status: null } }));
  const toggle = page.getByRole('button', { name: /^Account: juliet@example\.com/ });
  await toggle.waitFor();
  assert.match((await toggle.textContent()) ?? '', /Available/);
  // The menu's choices set show at once, keeping the status text.
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.getByRole('button', { name: 'Busy', exact: true }).click();
  await page.waitForFunction(() => window.harness.callCount('setOwnPresence') === 1);
  assert.deepEqual(await lastCall(page), { method: 'setOwnPresence', args: [{ show: 'dnd', status: null }] });
  await accountMenuClosed(page);
  assert.match((await toggle.textContent()) ?? '', /Busy/);

  // "Set status message…": show and text together.
  await toggle.click();
  await page.getByRole('button', { name: 'Set status message…' }).click();
  const form = page.getByRole('dialog', { name: 'Set your status' });
  await form.waitFor();
  await form.getByRole('radio', { name: 'Away', exact: true }).check();
  await form.getByRole('textbox', { name: 'Status message (optional)' }).fill('At the feast');
  await screenshot(page, 'presence-own-open');
  await form.getByRole('button', { name: 'Set status' }).click();
  await form.waitFor({ state: 'hidden' });
  assert.deepEqual(await lastCall(page), {
    method: 'setOwnPresence',
    args: [{ show: 'away', status: 'At the feast' }],
  });
  await page.getByRole('button', { name: /^Account: juliet@example\.com.*Away: At the feast/ }).waitFor();

  // A refusal is said in the dialog; Escape closes it and focus returns to the account button.
  await toggle.click();
  await page.getByRole('button', { name: 'Set status message…' }).click();
  await form.getByRole('radio', { name: 'Busy' }).check();
  await page.evaluate(() =>
    window.harness.respondNext('setOwnPresence', {
      ok: false,
      error: { code: 'internal', message: 'Something broke.' },
    }),
  );
  await form.getByRole('button', { name: 'Set status' }).click();
  await form.getByRole('alert').filter({ hasText: 'Could not change your presence: Something broke.' }).waitFor();
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'hidden' });
  assert.equal(
    await page.evaluate(
      () =>
        document.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement?.shadowRoot?.activeElement
          ?.className,
    ),
    'toggle',
  );
  await page.getByRole('button', { name: /Away: At the feast/ }).waitFor();
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('a conflict with a change made elsewhere is said in the status line', async () => {
  const page = await openApp(env, setup());
  await page.evaluate(() => window.harness.emit({ type: 'conflict', jid: 'romeo@montague.example', fields: ['name'] }));
  await page
    .getByRole('status')
    .filter({ hasText: 'Your offline change to Romeo Montague’s name was not kept: it was changed on another device.' })
    .waitFor();
  await page.evaluate(() =>
    window.harness.emit({ type: 'conflict', jid: 'nurse@capulet.example', fields: ['name', 'groups'] }),
  );
  await page
    .getByRole('status')
    .filter({
      hasText: 'Your offline change to Nurse’s name and groups was not kept: they were changed on another device.',
    })
    .waitFor();
  await page.evaluate(() =>
    window.harness.emit({ type: 'conflict', jid: 'gone@example.org', fields: ['removed-elsewhere'] }),
  );
  await page
    .getByRole('status')
    .filter({
      hasText: 'Your offline change to gone@example.org was not kept: the contact was removed on another device.',
    })
    .waitFor();
  await screenshot(page, 'presence-conflict');
  await page.context().close();
});

test('the browser coming back online asks main to reconnect now', async () => {
  const page = await openApp(env, setup({}, { state: appState({ connection: { status: 'connecting', attempt: 3 } }) }));
  await page.context().setOffline(true);
  await page.context().setOffline(false);
  await page.waitForFunction(() => window.harness.callCount('reconnectNow') === 1);
  await page.context().close();
});

test('sign out keeps the account (prefilled form); "forget" asks first', async () => {
  const page = await openApp(env, setup());
  await openAccountMenu(page);
  await screenshot(page, 'presence-account-menu');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.deepEqual(await lastCall(page), { method: 'signOut', args: [{ forgetAccount: false }] });
  assert.equal(await page.getByRole('textbox', { name: 'Address' }).inputValue(), 'juliet@example.com');
  assert.equal(await page.getByRole('button', { name: 'Cancel' }).count(), 0, 'no way back into a signed-out roster');
  await page.context().close();

  const forget = await openApp(env, setup());
  await openAccountMenu(forget);
  await forget.getByRole('button', { name: 'Sign out and forget this account…' }).click();
  const confirm = forget.getByRole('alertdialog', { name: 'Forget this account?' });
  await confirm.waitFor();
  await screenshot(forget, 'presence-forget-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await forget.evaluate(() => window.harness.callCount('signOut')), 0);
  await openAccountMenu(forget);
  await forget.getByRole('button', { name: 'Sign out and forget this account…' }).click();
  await confirm.getByRole('button', { name: 'Sign out and forget' }).click();
  await forget.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.deepEqual(await callsOf(forget, 'signOut'), [[{ forgetAccount: true }]]);
  assert.equal(await forget.getByRole('textbox', { name: 'Address' }).inputValue(), '');
  assert.deepEqual(await pageProblems(forget), []);
  await forget.context().close();
});

test('display: a failed edit’s reason gets its own wrapping line at 480 px', async () => {
  const message = 'The server refused this change because the contact list is full (limit: 500 contacts).';
  const page = await openApp(
    env,
    {
      state: appState(),
      roster: {
        account: 'juliet@example.com',
        version: 'v1',
        items: [
          contact('paris@verona.example', {
            name: 'Count Paris of Verona',
            groups: ['Friends'],
            subscription: 'none',
            pending: { id: 8, op: 'add', state: 'failed', error: { code: 'not-allowed', message } },
          }),
          contact('romeo@montague.example', { name: 'Romeo', groups: ['Friends'] }),
        ],
      },
    },
    { viewport: { width: 480, height: 640 } },
  );
  const badge = row(page, 'Friends', 'paris@verona.example').locator('.pill.failed');
  await badge.waitFor();
  assert.equal(await badge.textContent(), `not saved: ${message}`);
  const box = (await badge.boundingBox())!;
  const jid = (await row(page, 'Friends', 'paris@verona.example').locator('.jid').boundingBox())!;
  assert.ok(box.y >= jid.y + jid.height - 1, 'under the address');
  assert.ok(box.height > 24, 'wraps onto more lines');
  assert.equal(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), true, 'nothing cut off');
  // The next row is not overlapped.
  const next = (await row(page, 'Friends', 'romeo@montague.example').boundingBox())!;
  const own = (await row(page, 'Friends', 'paris@verona.example').boundingBox())!;
  assert.ok(next.y >= own.y + own.height - 1);
  await screenshot(page, 'presence-failed-edit-narrow');
  await page.context().close();
});

test('display: saving while offline says it will be sent later', async () => {
  const page = await openApp(env, setup({}, { state: appState({ connection: { status: 'offline' } }) }));
  await page.evaluate(() =>
    window.harness.respondNext('updateContact', {
      ok: true,
      value: {
        jid: 'romeo@montague.example',
        name: 'Romeo',
        subscription: 'both',
        ask: null,
        approved: false,
        groups: ['Family', 'Friends'],
        pending: { id: 3, op: 'update', state: 'waiting', error: null },
      },
    }),
  );
  await row(page, 'Family', 'romeo@montague.example').locator('[data-action=edit]').click();
  await page.getByRole('textbox', { name: 'Name (optional)' }).fill('Romeo');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved — will be sent when you’re back online.' }).waitFor();
  await page.context().close();
});

test('50,000 contacts: presence events stay cheap, by name and by availability', async () => {
  const roster = bigRoster(50_000);
  const contacts: ContactPresence[] = roster.items
    .filter((_, i) => i % 10 === 0)
    .map((item, i) => ({
      jid: item.jid,
      show: (['available', 'away', 'dnd', 'xa'] as const)[i % 4]!,
      status: i % 3 === 0 ? 'busy day' : null,
    }));
  const page = await openApp(env, setup({ contacts }, { roster }));
  await page.locator('xm-contact-list .contact-row .presence:not(.offline)').first().waitFor();
  // 1,000 events, then two frames: how long until the screen is current.
  const burst = () =>
    page.evaluate(
      async (jids) => {
        const start = performance.now();
        jids.forEach((jid, i) =>
          window.harness.emit({
            type: 'presence',
            presence: { jid, show: i % 2 ? 'away' : 'available', status: null },
          }),
        );
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return performance.now() - start;
      },
      roster.items.slice(0, 1000).map((item) => item.jid),
    );
  const byName = await burst();
  await openListOptions(page);
  await page.getByRole('combobox', { name: 'Sort' }).selectOption('availability');
  await page.getByRole('checkbox', { name: 'Hide offline contacts' }).check();
  await page.getByRole('checkbox', { name: 'Hide offline contacts' }).uncheck();
  const byAvailability = await burst();
  console.log(
    `1,000 presence events at 50,000 contacts: ${byName.toFixed(0)} ms by name, ${byAvailability.toFixed(0)} ms by availability`,
  );
  assert.ok(byName < 250, `by name: ${byName} ms`);
  assert.ok(byAvailability < 1000, `by availability: ${byAvailability} ms`);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe: list with requests and presence (${colorScheme})`, async () => {
    const page = await openApp(env, setup({ requests, own: { show: 'dnd', status: 'Writing sonnets' } }), {
      colorScheme,
    });
    await row(page, 'Work', 'tybalt@capulet.example').locator('.presence.dnd').waitFor();
    await requestsRow(page).waitFor();
    await assertNoSeriousViolations(page);
    await screenshot(page, `presence-axe-${colorScheme}`);
    await openRequests(page);
    await assertNoSeriousViolations(page);
    await page.keyboard.press('Escape');
    await openAccountMenu(page);
    await assertNoSeriousViolations(page);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  });
}
