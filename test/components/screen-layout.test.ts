// Issue 12, the screen around the list (#2 layout, #4 its keyboard): the
// one account control and its menu's focus, the requests folded into one
// row and a panel, the keyboard help, Ctrl+N / Ctrl+F / "?", a
// keyboard-only sign out, and the list's share of the height measured at
// the four sizes. Keyboard tests use the keyboard only: no click, no hover.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ConnectionState, PresenceSnapshot, SubscriptionRequest } from '../../preload/contract.js';
import { appState, bigRoster, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';
import type { HarnessSetup } from './harness.js';

const env = useComponentEnv();
const ok = <T>(value: T) => ({ ok: true as const, value });

const requests: SubscriptionRequest[] = [
  { jid: 'paris@verona.example', message: 'Hello, it is Paris.', receivedAt: Date.UTC(2025, 10, 24, 12) },
  { jid: 'rosaline@example.org', message: null, receivedAt: Date.UTC(2025, 10, 24, 13) },
  { jid: 'balthasar@montague.example', message: 'Your servant', receivedAt: Date.UTC(2025, 10, 24, 14) },
];

function setup(presence: Partial<PresenceSnapshot> = {}, overrides: Partial<HarnessSetup> = {}): HarnessSetup {
  const snapshot: PresenceSnapshot = {
    contacts: [],
    requests: [],
    own: { show: 'available', status: null },
    preApprovalSupported: false,
    ...presence,
  };
  return { state: appState(), roster: sampleRoster(), responses: { getPresence: [ok(snapshot)] }, ...overrides };
}

/** The focused element, through every shadow root: its tag, classes, text and aria-pressed. */
function focused(page: Page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const host = (el?.getRootNode() as ShadowRoot | Document | undefined) instanceof ShadowRoot;
    return {
      tag: el?.localName ?? '',
      className: el instanceof HTMLElement ? el.className : '',
      text: (el?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      pressed: el?.getAttribute('aria-pressed') ?? null,
      inList: host && (el?.getRootNode() as ShadowRoot).host.localName === 'xm-contact-list',
      hostTag: host ? (el?.getRootNode() as ShadowRoot).host.localName : '',
    };
  });
}

const accountButton = (page: Page) => page.getByRole('button', { name: /^Account: juliet@example\.com/ });

test('issue 12 #2: the header is one account control (avatar, presence dot, address, status) that opens the account menu', async () => {
  const page = await openApp(env, setup({ own: { show: 'away', status: 'At the ball' } }));
  const toggle = accountButton(page);
  await toggle.waitFor();
  // Its name says what it shows: whose account and how they appear.
  assert.match((await toggle.getAttribute('aria-expanded')) ?? '', /false/);
  assert.equal(
    (await toggle.evaluate((el) => el.textContent)).replace(/\s+/g, ' ').trim(),
    'J Account: juliet@example.com , Away: At the ball',
  );
  assert.equal(await toggle.locator('.avatar.away .presence-dot').count(), 1);
  // One control, not three: no separate presence button, no "Online" pill taking header room.
  assert.equal(await page.getByRole('button', { name: /^Your presence/ }).count(), 0);
  const online = page.locator('xm-connection-banner .banner');
  assert.equal(await online.evaluate((el) => el.getBoundingClientRect().height), 1);

  // Not connected: the dot is grey and the words say so.
  await page.evaluate(() =>
    window.harness.emit({ type: 'connection', state: { status: 'offline' }, syncedAt: Date.UTC(2025, 10, 24, 14, 32) }),
  );
  await toggle.locator('.avatar.offline').waitFor();
  assert.match((await toggle.textContent()) ?? '', /Offline/);
  assert.match(await page.locator('xm-connection-banner .banner').innerText(), /^Offline — /);
  await screenshot(page, 'issue12-header-offline');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #4: the account menu takes focus on its first item (the current presence), arrows move, Escape gives focus back; "Sign out" is last and apart', async () => {
  const page = await openApp(env, setup({ own: { show: 'dnd', status: null } }));
  await accountButton(page).waitFor();
  await page.keyboard.press('Tab');
  assert.match((await focused(page)).className, /toggle/);
  assert.equal((await focused(page)).hostTag, 'xm-account-menu');
  await page.keyboard.press('Enter');
  await page.getByRole('group', { name: 'Show me as' }).waitFor();
  assert.deepEqual(await focused(page).then((f) => [f.text, f.pressed]), ['Busy', 'true']);
  // The menu's items in order: nothing destructive near the top, sign-out last, after a separator.
  const items = await page
    .locator('xm-account-menu #account-panel')
    .evaluate((panel) =>
      [...panel.querySelectorAll('.menu-item, hr')].map((el) =>
        el.localName === 'hr' ? '—' : el.textContent.replace(/\s+/g, ' ').trim(),
      ),
    );
  assert.deepEqual(items, [
    'Available',
    'Away',
    'Busy',
    'Extended away',
    'Set status message…',
    '—',
    'My address…',
    'Account and connection…',
    'Denied requests…',
    'Settings…',
    'Keyboard shortcuts… ?',
    'About Balcony',
    '—',
    'Sign out',
    'Sign out and forget this account…',
  ]);
  // Tab from the first focus does not land on "Sign out".
  await page.keyboard.press('Tab');
  assert.notEqual((await focused(page)).text, 'Sign out');
  await page.keyboard.press('Home');
  assert.equal((await focused(page)).text, 'Available');
  await page.keyboard.press('ArrowUp');
  assert.equal((await focused(page)).text, 'Sign out and forget this account…', 'ArrowUp from the first wraps');
  await page.keyboard.press('ArrowDown');
  assert.equal((await focused(page)).text, 'Available');
  await page.keyboard.press('End');
  assert.equal((await focused(page)).text, 'Sign out and forget this account…');
  await screenshot(page, 'issue12-account-menu');
  await page.keyboard.press('Escape');
  await page.getByRole('group', { name: 'Show me as' }).waitFor({ state: 'hidden' });
  assert.match((await focused(page)).className, /toggle/);
  assert.equal(await accountButton(page).getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => window.harness.callCount('signOut')), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #4: keyboard-only sign out: Tab, Enter, End, ArrowUp to "Sign out", Enter', async () => {
  const page = await openApp(env, setup());
  await accountButton(page).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  assert.equal((await focused(page)).text, 'Sign out');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.deepEqual(
    await page.evaluate(() => window.harness.calls.filter((c) => c.method === 'signOut').map((c) => c.args)),
    [[{ forgetAccount: false }]],
  );
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #2: three requests are one row, one tab stop before the list; it opens a panel with approve and deny; the count is said politely', async () => {
  const page = await openApp(env, setup({ requests }));
  const rowButton = page.getByRole('button', { name: '3 contact requests', exact: true });
  await rowButton.waitFor();
  const count = page.locator('xm-requests-row > [role=status], xm-requests-row span[role=status]');
  assert.equal(await count.first().textContent(), '3 contact requests');
  // The row is one line.
  assert.ok((await rowButton.evaluate((el) => el.getBoundingClientRect().height)) <= 40);

  // From the top of the page: account, search, list options, Add contact, the requests row, the list.
  const stops: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    stops.push(f.hostTag);
    if (f.inList) break;
  }
  assert.deepEqual(stops, [
    'xm-account-menu',
    'xm-search-field',
    'xm-list-options',
    'xm-roster-screen',
    'xm-requests-row',
    'xm-contact-list',
  ]);

  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).hostTag, 'xm-requests-row');
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Contact requests' });
  await panel.waitFor();
  assert.equal(await panel.getByRole('listitem').count(), 3);
  // Focus is on the first request's answer, not somewhere behind the dialog.
  assert.deepEqual(await focused(page).then((f) => [f.hostTag, f.text]), ['xm-requests', 'Approve…']);
  await screenshot(page, 'issue12-requests-panel');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Deny');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.harness.callCount('denyRequest') === 1);
  await panel.getByRole('status').filter({ hasText: 'Denied paris@verona.example.' }).waitFor();
  await page.evaluate((r) => window.harness.emit({ type: 'requests', requests: r }), requests.slice(1));
  await page.getByRole('button', { name: '2 contact requests', exact: true }).waitFor();
  assert.equal(await count.first().textContent(), '2 contact requests');
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal((await focused(page)).hostTag, 'xm-requests-row', 'focus back on the row');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #4: Ctrl+N adds a contact, Ctrl+F and "/" focus the search (Escape clears, then leaves), "?" opens the keyboard help', async () => {
  const page = await openApp(env, setup());
  await accountButton(page).waitFor();
  await page.keyboard.press('Control+n');
  const add = page.getByRole('dialog', { name: 'Add contact' });
  await add.waitFor();
  assert.equal((await focused(page)).tag, 'input');
  // Inside a dialog the screen's shortcuts rest: "?" is typed, Ctrl+N does not open a second form.
  await page.keyboard.press('Escape');
  await add.waitFor({ state: 'hidden' });

  await page.keyboard.press('Control+f');
  assert.equal((await focused(page)).hostTag, 'xm-search-field');
  await page.keyboard.type('Rom?');
  assert.equal(await page.locator('xm-keyboard-help dialog[open]').count(), 0, '"?" in a text field is typed');
  assert.equal(await page.getByRole('searchbox').inputValue(), 'Rom?');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('searchbox').inputValue(), '');
  assert.equal((await focused(page)).hostTag, 'xm-search-field', 'the first Escape only clears');
  await page.keyboard.press('Escape');
  assert.ok((await focused(page)).inList, 'the second Escape leaves for the list');

  // Ctrl+F works from the list too, and "?" outside a text field opens the help.
  await page.keyboard.press('Control+f');
  assert.equal((await focused(page)).hostTag, 'xm-search-field');
  await page.keyboard.press('ArrowDown');
  assert.ok((await focused(page)).inList);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.equal((await focused(page)).text, 'Close');
  const text = (await help.innerText()).replace(/\s+/g, ' ');
  for (const expected of [
    'Ctrl + N Add a contact',
    'Ctrl + F or / Search contacts',
    '? Show these keyboard shortcuts',
    '↑ or ↓ Previous or next contact or group',
    'Home or End First or last in the list',
    'Page Up or Page Down Up or down a page',
    'A–Z Jump to a contact by typing the start of their name',
    'Enter Open the conversation (on a group: fold or unfold it)',
    'F2 Edit the contact, or rename the group',
    'Delete Remove the contact (asks first)',
    'Menu or Shift + F10 Open the context menu of the contact or group',
  ])
    assert.ok(text.includes(expected), `the help lists "${expected}" in: ${text}`);
  await screenshot(page, 'issue12-keyboard-help');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden' });
  assert.ok((await focused(page)).inList, 'focus back where it was');

  // The account menu offers the same help. (The header's tab order has its own test; here the
  // button is focused directly, because four quick Shift+Tabs on a loaded machine can land short.)
  await accountButton(page).focus();
  assert.equal((await focused(page)).hostTag, 'xm-account-menu');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowUp');
  assert.equal((await focused(page)).text, 'Keyboard shortcuts… ?');
  await page.keyboard.press('Enter');
  await help.waitFor();
  await page.keyboard.press('Escape');
  assert.equal((await focused(page)).hostTag, 'xm-account-menu');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

/** The layout figures the issue sets: the list's share of the height, overlaps in the header, sideways overflow. */
async function layoutFigures(page: Page) {
  return page.evaluate(() => {
    const screen = document.querySelector('xm-app')!.shadowRoot!.querySelector('xm-roster-screen')!.shadowRoot!;
    const list = screen.querySelector('xm-contact-list')!.getBoundingClientRect();
    const boxes = [
      screen.querySelector('xm-account-menu')!.shadowRoot!.querySelector('.toggle')!,
      screen.querySelector('xm-search-field')!,
      screen.querySelector('xm-list-options')!.shadowRoot!.querySelector('.toggle')!,
      screen.querySelector('.add')!,
    ].map((el) => el.getBoundingClientRect());
    const overlaps: string[] = [];
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b, j) => {
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          overlaps.push(`${i}/${i + 1 + j}`);
      }),
    );
    return {
      share: list.height / window.innerHeight,
      overlaps,
      sideways: document.documentElement.scrollWidth - window.innerWidth,
      outside: boxes.filter((b) => b.right > window.innerWidth + 0.5 || b.left < -0.5).length,
    };
  });
}

const SIZES = [
  { width: 1280, height: 800 },
  { width: 420, height: 760 },
  { width: 320, height: 400 },
  // 1280×800 at 200% zoom: the same CSS pixels.
  { width: 640, height: 400 },
] as const;

test('issue 12 #2: the list keeps at least 60% of the height at every size, with three requests or a connection strip; nothing overlaps', async () => {
  const connecting: ConnectionState = { status: 'connecting', attempt: 3, host: 'xmpp.example.com', port: 5222 };
  for (const viewport of SIZES) {
    for (const state of ['requests', 'connecting'] as const) {
      const page = await openApp(
        env,
        state === 'requests'
          ? setup({ requests }, { roster: bigRoster(300) })
          : setup({}, { roster: bigRoster(300), state: appState({ connection: connecting }) }),
        { viewport },
      );
      if (state === 'requests') await page.getByRole('button', { name: '3 contact requests' }).waitFor();
      else await page.locator('xm-connection-banner .banner.connecting').waitFor();
      const figures = await layoutFigures(page);
      const where = `${viewport.width}×${viewport.height}, ${state}`;
      assert.ok(figures.share >= 0.6, `${where}: the list has ${(figures.share * 100).toFixed(1)}% of the height`);
      assert.deepEqual(figures.overlaps, [], `${where}: header controls overlap`);
      assert.equal(figures.sideways, 0, `${where}: the page scrolls sideways`);
      assert.equal(figures.outside, 0, `${where}: a header control is outside the window`);
      await screenshot(page, `issue12-layout-${viewport.width}x${viewport.height}-${state}`);
      await page.context().close();
    }
  }
});
