// Issue 12 #4, #5 and #6: the contact list from the keyboard alone (tree
// keys in a 330-row virtualised list, type-ahead, F2, Delete, Enter, the
// context-menu key and Shift+F10), its context menus (pointer and keyboard,
// kept inside a 320×400 window) and dragging a contact onto a group.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RosterSnapshot } from '../../preload/contract.js';
import { appState, contact, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const FIRST_NAMES = [
  'Ada', 'Bertrand', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Giulia', 'Hiroshi', 'Inès', 'Jonas', 'Kwame', 'Lena',
  'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Xavier', 'Yara',
  'Zoe',
]; // prettier-ignore
const GROUPS = ['Book club', 'Choir', 'Climbing', 'Family', 'Friends', 'Garden', 'Neighbours', 'Office', 'Running', 'School', 'Travel', 'Work']; // prettier-ignore

/** 12 groups of 26 and 5 contacts in no group: 330 rows with the 13 headers. */
function townRoster(): RosterSnapshot {
  const items = GROUPS.flatMap((group, g) =>
    FIRST_NAMES.map((first) =>
      contact(`${first.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}.${g}@example.net`, {
        name: `${first} ${group}`,
        groups: [group],
      }),
    ),
  );
  for (let i = 0; i < 5; i += 1) items.push(contact(`loner${i}@example.net`, { name: `Zz loner ${i}` }));
  return { account: 'juliet@example.com', version: 'town', items };
}

const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);
const header = (page: Page, name: string) => page.locator('xm-contact-list .group-row').filter({ hasText: name });
const menu = (page: Page) => page.getByRole('menu');

/** The focused element, through shadow roots: a treeitem's accessible name, a menu item's text, or tag#id. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return 'none';
    const role = el.getAttribute('role');
    if (role === 'treeitem') return `${el.getAttribute('data-index')}: ${el.getAttribute('aria-label')}`;
    if (role === 'menuitem') return `menuitem ${el.querySelector('.label')?.textContent}`;
    return `${el.tagName}#${el.id}`;
  });
}

/**
 * The focused element once it is `expected`, or what it still is after 5 s: focus moves after the list has drawn
 * the row it goes to (a virtualised list), which on a loaded machine can take a few frames.
 */
async function focusedAs(page: Page, expected: string): Promise<string> {
  let now = await focused(page);
  for (const until = Date.now() + 5000; now !== expected && Date.now() < until; now = await focused(page))
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  return now;
}

/** Counts pointer and mouse events from here on: a keyboard walk must cause none. */
async function countPointerEvents(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { pointerEvents: number };
    w.pointerEvents = 0;
    for (const type of ['pointerdown', 'mousedown', 'click', 'contextmenu', 'dragstart'])
      document.addEventListener(
        type,
        (e) => {
          if (e.isTrusted) w.pointerEvents += 1;
        },
        true,
      );
  });
  return () => page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents);
}

/** From the search box into the list, by keyboard. */
async function enterList(page: Page): Promise<void> {
  await page.keyboard.press('/');
  await page.keyboard.press('ArrowDown');
}

test('issue 12 #4: Home/End/PageUp/PageDown in a 330-row virtualised list, no pointer', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: townRoster() },
    { viewport: { width: 420, height: 760 } },
  );
  const pointer = await countPointerEvents(page);
  await enterList(page);
  assert.equal(await focusedAs(page, '0: Book club, 26 contacts'), '0: Book club, 26 contacts');
  assert.equal(await page.locator('xm-contact-list [role=tree] [tabindex="0"]').count(), 1);

  await page.keyboard.press('End');
  assert.equal(await focusedAs(page, '329: Zz loner 4, offline'), '329: Zz loner 4, offline');
  assert.equal(await page.locator('xm-contact-list [data-index="329"]').getAttribute('aria-posinset'), '5');
  assert.equal(await page.locator('xm-contact-list [data-index="329"]').getAttribute('aria-setsize'), '5');
  await screenshot(page, 'issue-12-keyboard-end');

  await page.keyboard.press('Home');
  assert.equal(await focusedAs(page, '0: Book club, 26 contacts'), '0: Book club, 26 contacts');
  await page.keyboard.press('PageDown');
  const down = Number((await focused(page)).split(':')[0]);
  assert.ok(down >= 10 && down < 25, `PageDown went to row ${down}: about one screen`);
  await page.keyboard.press('PageDown');
  assert.equal(Number((await focused(page)).split(':')[0]), down * 2);
  await page.keyboard.press('PageUp');
  assert.equal(Number((await focused(page)).split(':')[0]), down);
  assert.equal(await pointer(), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #4: Left/Right fold, unfold and move between a group and its contacts; type-ahead by name', async () => {
  const page = await openApp(env, { state: appState(), roster: townRoster() });
  const pointer = await countPointerEvents(page);
  await enterList(page);
  await page.keyboard.press('ArrowRight'); // an open group: into its first contact
  assert.equal(await focusedAs(page, '1: Ada Book club, offline'), '1: Ada Book club, offline');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowLeft'); // a contact: to its group
  assert.equal(await focusedAs(page, '0: Book club, 26 contacts'), '0: Book club, 26 contacts');
  await page.keyboard.press('ArrowLeft'); // an open group: folds
  await page.locator('xm-contact-list [data-index="0"][aria-expanded="false"]').waitFor();
  await page.keyboard.press('ArrowDown');
  assert.equal(
    await focusedAs(page, '1: Choir, 26 contacts'),
    '1: Choir, 26 contacts',
    'the folded group’s contacts are skipped',
  );
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight'); // a folded group: unfolds, focus stays
  await page.locator('xm-contact-list [data-index="0"][aria-expanded="true"]').waitFor();
  assert.equal(await focusedAs(page, '0: Book club, 26 contacts'), '0: Book club, 26 contacts');

  // Letters typed quickly find the next contact whose name starts with them (accents folded).
  await page.keyboard.type('ro');
  assert.equal(await focusedAs(page, '18: Rosa Book club, offline'), '18: Rosa Book club, offline');
  // An arrow key ends the search; the next letter starts a new one, after the focused row.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type('e');
  assert.equal(await focusedAs(page, '32: Émile Choir, offline'), '32: Émile Choir, offline');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type('z');
  assert.equal(await focusedAs(page, '53: Zoe Choir, offline'), '53: Zoe Choir, offline');
  // The same letter again: the next one starting with it.
  await page.keyboard.type('z');
  assert.equal(await focusedAs(page, '80: Zoe Climbing, offline'), '80: Zoe Climbing, offline');
  assert.equal(await pointer(), 0);
  await page.context().close();
});

test('issue 12 #4/#5: Shift+F10 and the context-menu key open the row’s menu with its shortcuts; Escape returns', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const pointer = await countPointerEvents(page);
  await enterList(page);
  await page.keyboard.press('ArrowDown');
  assert.equal(
    await focusedAs(page, '1: Nurse, offline, you don’t see their status'),
    '1: Nurse, offline, you don’t see their status',
  );

  await page.keyboard.press('Shift+F10');
  await menu(page).waitFor();
  assert.equal(await focusedAs(page, 'menuitem Message'), 'menuitem Message');
  const snapshot = await menu(page).ariaSnapshot();
  assert.equal(
    snapshot,
    [
      '- menu "Nurse":',
      '  - menuitem "Message"',
      '  - menuitem "Edit contact…"',
      '  - menuitem "Move to group…"',
      '  - menuitem "Copy address"',
      '  - separator',
      '  - menuitem "Remove…"',
    ].join('\n'),
  );
  assert.deepEqual(await menu(page).locator('kbd').allTextContents(), ['Enter', 'F2', 'Delete'], 'shortcuts shown');
  assert.equal(await menu(page).getByRole('menuitem', { name: 'Message' }).getAttribute('aria-keyshortcuts'), 'Enter');
  assert.equal(
    await menu(page).getByRole('menuitem', { name: 'Edit contact…' }).getAttribute('aria-keyshortcuts'),
    'F2',
  );
  await screenshot(page, 'issue-12-context-menu');
  await page.keyboard.press('End');
  assert.equal(await focusedAs(page, 'menuitem Remove…'), 'menuitem Remove…');
  await page.keyboard.press('Escape');
  await menu(page).waitFor({ state: 'hidden' });
  assert.equal(
    await focusedAs(page, '1: Nurse, offline, you don’t see their status'),
    '1: Nurse, offline, you don’t see their status',
  );

  await page.keyboard.press('ContextMenu');
  await menu(page).waitFor();
  await page.keyboard.press('r'); // type-ahead in the menu
  assert.equal(await focusedAs(page, 'menuitem Remove…'), 'menuitem Remove…');
  await page.keyboard.press('Enter');
  const remove = page.locator('xm-remove-dialog dialog');
  await remove.waitFor();
  await page.keyboard.press('Escape');
  await remove.waitFor({ state: 'hidden' });

  // On a group: Rename… (F2), Fold all, Unfold all.
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+F10');
  await menu(page).waitFor();
  assert.deepEqual(await menu(page).locator('[role=menuitem] .label').allTextContents(), [
    'Rename…',
    'Fold all',
    'Unfold all',
  ]);
  assert.deepEqual(await menu(page).locator('kbd').allTextContents(), ['F2']);
  await page.keyboard.press('f');
  assert.equal(await focusedAs(page, 'menuitem Fold all'), 'menuitem Fold all');
  await page.keyboard.press('Enter');
  await page.locator('xm-contact-list [aria-expanded="true"]').first().waitFor({ state: 'detached' });
  assert.equal(await page.locator('xm-contact-list .group-row[aria-expanded="false"]').count(), 4);
  assert.equal(await focusedAs(page, '0: Family, 2 contacts'), '0: Family, 2 contacts');
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('u');
  await page.keyboard.press('Enter');
  await page.locator('xm-contact-list .group-row[aria-expanded="false"]').first().waitFor({ state: 'detached' });
  assert.equal(await pointer(), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #4, issue 10 #1: F2 renames a group and edits a contact, Enter opens its conversation, Delete asks to remove it, all by keyboard', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const pointer = await countPointerEvents(page);
  await enterList(page);
  await page.keyboard.press('F2');
  const rename = page.locator('xm-rename-group-dialog dialog');
  await rename.waitFor();
  assert.match(await rename.innerText(), /Family/);
  await page.keyboard.press('Escape');
  await rename.waitFor({ state: 'hidden' });
  assert.equal(await focusedAs(page, '0: Family, 2 contacts'), '0: Family, 2 contacts');

  // "No group" is not a group on the server: F2 does nothing there.
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedAs(page, '10: No group, 1 contact'), '10: No group, 1 contact');
  await page.keyboard.press('F2');
  assert.equal(await rename.isVisible(), false);

  await page.keyboard.press('ArrowDown');
  for (let until = Date.now() + 5000; !(await focused(page)).startsWith('11: ') && Date.now() < until;)
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.match(await focused(page), /^11: Friar Laurence/, 'on the contact before Enter');
  // The listener is in place before Enter (an evaluate left pending could land after the key).
  await page.evaluate(() => {
    const w = window as unknown as { tst_opened: string[] };
    w.tst_opened = [];
    document.addEventListener('xm-open-conversation', (e) =>
      w.tst_opened.push((e as CustomEvent<{ jid: string }>).detail.jid),
    );
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { tst_opened: string[] }).tst_opened.length > 0);
  assert.deepEqual(
    await page.evaluate(() => (window as unknown as { tst_opened: string[] }).tst_opened),
    ['friar@verona.example'],
    'Enter opens the conversation',
  );
  assert.equal(await page.locator('xm-contact-dialog dialog').isVisible(), false, 'Enter does not edit');
  // The conversation pane, where there is one, takes focus when it opens: back to the row.
  await row(page, '', 'friar@verona.example').focus();
  await page.keyboard.press('F2');
  const edit = page.locator('xm-contact-dialog dialog');
  await edit.waitFor();
  assert.equal(await page.locator('xm-contact-dialog #name').inputValue(), 'Friar Laurence');
  await page.keyboard.press('Escape');
  await edit.waitFor({ state: 'hidden' });
  await page.keyboard.press('Delete');
  await page.locator('xm-remove-dialog dialog').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await pointer(), 0);
  await page.context().close();
});

test('issue 12 #4: a menu opened by Shift+F10 just as the edit dialog closes keeps focus (the late close event gives none back)', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await row(page, '', 'friar@verona.example').focus();
  await page.keyboard.press('F2');
  const edit = page.locator('xm-contact-dialog dialog');
  await edit.waitFor();
  // In one task, as a fast typist (or CI's Playwright) does it: the dialog goes, the browser puts focus back
  // on the row, and Shift+F10 there opens its menu, all before the dialog's close event is delivered.
  const before = await page.evaluate(async () => {
    const host = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen')?.shadowRoot;
    const dialog = host?.querySelector('xm-contact-dialog')?.shadowRoot?.querySelector('dialog');
    const list = host?.querySelector('xm-contact-list')?.shadowRoot;
    const target = list?.querySelector<HTMLElement>('.contact-row[data-jid="friar@verona.example"]');
    if (!dialog || !target) return 'no dialog or row';
    dialog.close();
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'F10', shiftKey: true, bubbles: true, composed: true }));
    // The menu draws its items in microtasks (a Lit update), still inside this task.
    for (let turn = 0; turn < 50; turn += 1) await Promise.resolve();
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('role') ?? el?.tagName ?? 'none';
  });
  assert.equal(before, 'menuitem', 'the menu took focus');
  await edit.waitFor({ state: 'hidden' });
  // The close event's task, and a few frames after it.
  for (let frame = 0; frame < 5; frame += 1)
    await page.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(resolve), 0)));
  assert.equal(await focused(page), 'menuitem Message', 'focus stays in the menu');
  await page.keyboard.press('Escape');
  assert.match(await focusedAs(page, '11: Friar Laurence'), /^11: Friar Laurence/, 'Escape gives it back to the row');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 12 #5/#6: "Move to group…" from the keyboard moves the contact, keeping its other groups', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const pointer = await countPointerEvents(page);
  await enterList(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedAs(page, '2: Romeo Montague, offline'), '2: Romeo Montague, offline');
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('m');
  assert.equal(await focusedAs(page, 'menuitem Move to group…'), 'menuitem Move to group…');
  await page.keyboard.press('Enter');
  await menu(page)
    .and(page.getByRole('menu', { name: 'Move Romeo Montague to' }))
    .waitFor();
  // Romeo is in Family and Friends; from Family he can go to Work, or to a new group.
  assert.deepEqual(await menu(page).locator('[role=menuitem] .label').allTextContents(), ['Work', 'New group…']);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.harness.callCount('updateContact') === 1);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)), {
    method: 'updateContact',
    args: [{ jid: 'romeo@montague.example', groups: ['Friends', 'Work'] }],
  });
  await page.getByRole('status').filter({ hasText: 'Moved Romeo Montague to Work.' }).waitFor();
  assert.equal(await pointer(), 0);
  await page.context().close();
});

test('issue 12 #5: right click opens the menu at the pointer; Copy address; Block only when the server can', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: sampleRoster() },
    { viewport: { width: 320, height: 400 } },
  );
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const tybalt = row(page, 'Work', 'tybalt@capulet.example');
  await tybalt.scrollIntoViewIfNeeded();
  const box = (await tybalt.boundingBox())!;
  // Near the bottom-right corner of a small window: the menu moves to stay inside it.
  await tybalt.click({ button: 'right', position: { x: box.width - 4, y: box.height / 2 } });
  await menu(page).waitFor();
  const placed = (await menu(page).boundingBox())!;
  assert.ok(placed.x >= 0 && placed.y >= 0, JSON.stringify(placed));
  assert.ok(placed.x + placed.width <= 320 && placed.y + placed.height <= 400, JSON.stringify(placed));
  assert.equal(await menu(page).getByRole('menuitem', { name: 'Block' }).count(), 0);
  await screenshot(page, 'issue-12-context-menu-320x400');
  await menu(page).getByRole('menuitem', { name: 'Copy address' }).click();
  await menu(page).waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'tybalt@capulet.example');
  await page.getByRole('status').filter({ hasText: 'Copied tybalt@capulet.example' }).waitFor();

  // A click outside closes the menu.
  await tybalt.click({ button: 'right' });
  await menu(page).waitFor();
  await page.getByLabel('Search contacts by name or address').click();
  await menu(page).waitFor({ state: 'hidden' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();

  // Where the server can block, "Block" is offered; the screen asks first, with the contact's name, then blocks.
  const blocking = await openApp(env, {
    state: appState(),
    roster: sampleRoster(),
    blocklist: { supported: true, items: [], failures: [] },
  });
  await row(blocking, 'Work', 'tybalt@capulet.example').click({ button: 'right' });
  await menu(blocking).getByRole('menuitem', { name: 'Block' }).click();
  const confirm = blocking.getByRole('alertdialog');
  await confirm.waitFor();
  assert.match((await confirm.getByRole('heading').textContent()) ?? '', /^Block\s+Tybalt\?$/);
  assert.equal(await blocking.evaluate(() => window.harness.callCount('block')), 0, 'nothing blocked before the yes');
  await confirm.getByRole('button', { name: /^Block/ }).click();
  await blocking.waitForFunction(() => window.harness.callCount('block') === 1);
  assert.deepEqual(await blocking.evaluate(() => window.harness.calls.at(-1)), {
    method: 'block',
    args: [['tybalt@capulet.example']],
  });
  assert.deepEqual(await pageProblems(blocking), []);
  await blocking.context().close();
});

test('issue 12 #6: dragging a contact onto another group moves it there, keeping its other groups', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await row(page, 'Friends', 'rene@example.fr').dragTo(header(page, 'Work'));
  await page.waitForFunction(() => window.harness.callCount('updateContact') === 1);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)?.args), [
    { jid: 'rene@example.fr', groups: ['Work'] },
  ]);
  // Onto a contact row: into that row's group. Romeo leaves Friends and stays in Family.
  await row(page, 'Friends', 'romeo@montague.example').dragTo(row(page, 'Work', 'tybalt@capulet.example'));
  await page.waitForFunction(() => window.harness.callCount('updateContact') === 2);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)?.args), [
    { jid: 'romeo@montague.example', groups: ['Family', 'Work'] },
  ]);
  // Onto a group it is already in: nothing.
  await row(page, 'Family', 'romeo@montague.example').dragTo(header(page, 'Friends'));
  await row(page, 'Family', 'nurse@capulet.example').dragTo(header(page, 'No group'));
  await page.waitForFunction(() => window.harness.callCount('updateContact') === 3);
  assert.deepEqual(
    await page.evaluate(() => window.harness.calls.filter((c) => c.method === 'updateContact').map((c) => c.args)),
    [
      [{ jid: 'rene@example.fr', groups: ['Work'] }],
      [{ jid: 'romeo@montague.example', groups: ['Family', 'Work'] }],
      [{ jid: 'nurse@capulet.example', groups: [] }],
    ],
  );
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
