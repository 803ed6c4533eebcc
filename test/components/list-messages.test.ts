// Issue 10 #1 and #3, the list's side: a contact row opens its conversation
// (Enter, double click, "Message" in its menu: the OPEN_CONVERSATION page
// event the layout answers), editing moved to F2 and "Edit contact…"; the
// unread badge and the window title, the "Recent" sort and the last line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { ChatMessage, RosterSnapshot } from '../../preload/contract.js';
import type { HarnessSetup } from './harness.js';
import { appState, mount, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);

/** Starts recording the OPEN_CONVERSATION events that reach the document. */
async function recordOpens(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { tst_opened: string[] };
    w.tst_opened = [];
    document.addEventListener('xm-open-conversation', (e) =>
      w.tst_opened.push((e as CustomEvent<{ jid: string }>).detail.jid),
    );
  });
  return () => page.evaluate(() => (window as unknown as { tst_opened: string[] }).tst_opened);
}

test('issue 10 #1: Enter, a double click and "Message" (first in the menu) open the conversation; F2 and "Edit contact…" edit', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const opened = await recordOpens(page);
  const nurse = row(page, 'Family', 'nurse@capulet.example');

  await nurse.dblclick();
  await page.waitForFunction(() => (window as unknown as { tst_opened: string[] }).tst_opened.length === 1);
  assert.equal(await page.locator('xm-contact-dialog dialog').isVisible(), false, 'a double click no longer edits');

  await nurse.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { tst_opened: string[] }).tst_opened.length === 2);

  // (The conversation pane, where there is one, takes focus when it opens: back to the row.)
  await nurse.focus();
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Nurse' });
  await menu.waitFor();
  assert.deepEqual((await menu.locator('[role=menuitem] .label').allTextContents()).slice(0, 2), [
    'Message',
    'Edit contact…',
  ]);
  await page.keyboard.press('Enter'); // the first item has focus
  await page.waitForFunction(() => (window as unknown as { tst_opened: string[] }).tst_opened.length === 3);
  assert.deepEqual(await opened(), ['nurse@capulet.example', 'nurse@capulet.example', 'nurse@capulet.example']);

  await nurse.focus();
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

let seq = 1;
/** A stored message; `minutes` after 14:00 UTC on 24 Nov 2025. */
function message(conversation: string, body: string, minutes: number, direction: 'in' | 'out' = 'in'): ChatMessage {
  const own = 'juliet@example.com';
  return {
    id: `m${seq}`,
    conversation,
    direction,
    from: direction === 'in' ? conversation : own,
    to: direction === 'in' ? own : conversation,
    body,
    time: Date.UTC(2025, 10, 24, 14, minutes),
    seq: seq++,
    state: direction === 'in' ? 'received' : 'delivered',
  };
}

function withConversations(roster: RosterSnapshot = sampleRoster()): HarnessSetup {
  return {
    state: appState(),
    roster,
    messages: {
      messages: [
        message('romeo@montague.example', 'Wherefore art thou?', 1),
        message('romeo@montague.example', 'Meet me at the ball\nat nine', 5),
        message('nurse@capulet.example', 'I will tell her, my lady', 3, 'out'),
        // A contact since removed from the roster: the conversation stays readable.
        message('paris@verona.example', 'The wedding is on Thursday', 4),
      ],
      unread: { 'romeo@montague.example': 2, 'paris@verona.example': 1 },
    },
  };
}

/** The accessible name of a row once it is `expected` (rows draw on a frame), or what it still is after 5 s. */
async function nameOf(page: Page, group: string, jid: string, expected: string): Promise<string | null> {
  const target = row(page, group, jid);
  let now = await target.getAttribute('aria-label');
  for (
    const until = Date.now() + 5000;
    now !== expected && Date.now() < until;
    now = await target.getAttribute('aria-label')
  )
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  return now;
}

test('issue 10 #3: the unread count is on the row and in the title, and only that row is redrawn', async () => {
  const page = await openApp(env, withConversations());
  const romeo = row(page, 'Family', 'romeo@montague.example');
  await romeo.locator('.unread').filter({ hasText: '2' }).waitFor();
  // Romeo is in two groups: both rows say it.
  await row(page, 'Friends', 'romeo@montague.example').locator('.unread').filter({ hasText: '2' }).waitFor();
  assert.equal(
    await nameOf(page, 'Family', 'romeo@montague.example', 'Romeo Montague, offline, 2 unread messages'),
    'Romeo Montague, offline, 2 unread messages',
  );
  assert.equal(await page.title(), '(3) Balcony', 'the total, a removed contact’s conversation included');
  assert.equal(await row(page, 'Family', 'nurse@capulet.example').locator('.unread').count(), 0);

  // Watch the list: every DOM change a new message makes, and whether the other rows' nodes are the same ones.
  await page.evaluate(() => {
    const list = document
      .querySelector('xm-app')!
      .shadowRoot!.querySelector('xm-roster-screen')!
      .shadowRoot!.querySelector('xm-contact-list')!.shadowRoot!;
    const w = window as unknown as { tst_mutated: string[]; tst_kept: Element[]; tst_observer: MutationObserver };
    w.tst_kept = [...list.querySelectorAll('.contact-row .name')];
    w.tst_mutated = [];
    w.tst_observer = new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        const rowOf = target?.closest('.contact-row');
        w.tst_mutated.push(
          rowOf
            ? `${rowOf.getAttribute('data-group')}/${rowOf.getAttribute('data-jid')}`
            : `outside: ${target?.className}`,
        );
      }
    });
    w.tst_observer.observe(list, { subtree: true, childList: true, attributes: true, characterData: true });
    // And count the list's own work: its updates and the rows it draws.
    const proto = customElements.get('xm-contact-list')!.prototype as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    const counts = ((window as unknown as { tst_counts: Record<string, number> }).tst_counts = {
      update: 0,
      renderContact: 0,
    });
    for (const name of ['update', 'renderContact'] as const) {
      const original = proto[name]!;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        counts[name] += 1;
        return original.apply(this, args);
      };
    }
  });
  await page.evaluate(() =>
    window.harness.receive({
      id: 'live-1',
      conversation: 'nurse@capulet.example',
      direction: 'in',
      from: 'nurse@capulet.example',
      to: 'juliet@example.com',
      body: 'Madam!',
      time: Date.UTC(2025, 10, 24, 14, 30),
      seq: window.harness.nextSeq(),
      state: 'received',
    }),
  );
  const nurse = row(page, 'Family', 'nurse@capulet.example');
  await nurse.locator('.unread').filter({ hasText: '1' }).waitFor();
  await page.waitForFunction(() => document.title === '(4) Balcony');
  assert.equal(
    await nameOf(
      page,
      'Family',
      'nurse@capulet.example',
      'Nurse, offline, you don’t see their status, 1 unread message',
    ),
    'Nurse, offline, you don’t see their status, 1 unread message',
  );
  await nurse.locator('.preview-text').filter({ hasText: 'Madam!' }).waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const { mutated, keptSame } = await page.evaluate(() => {
    const w = window as unknown as { tst_mutated: string[]; tst_kept: Element[]; tst_observer: MutationObserver };
    w.tst_observer.disconnect();
    return { mutated: [...new Set(w.tst_mutated)], keptSame: w.tst_kept.every((el) => el.isConnected) };
  });
  assert.deepEqual(mutated, ['Family/nurse@capulet.example'], 'only the Nurse’s row changed');
  assert.deepEqual(
    await page.evaluate(() => (window as unknown as { tst_counts: Record<string, number> }).tst_counts),
    { update: 0, renderContact: 0 },
    'the list did not update and drew no row: the row’s own parts changed',
  );
  assert.ok(keptSame, 'every row’s name node is the one drawn before');

  // Read elsewhere (the conversation opened): the badge goes, the title follows.
  await page.evaluate(() =>
    window.harness.emit({
      type: 'conversation',
      conversation: {
        jid: 'romeo@montague.example',
        unread: 0,
        last: {
          id: 'm2',
          body: 'Meet me at the ball\nat nine',
          time: Date.UTC(2025, 10, 24, 14, 5),
          direction: 'in',
          state: 'received',
        },
      },
    }),
  );
  await romeo.locator('.unread').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.title === '(2) Balcony');
  await screenshot(page, 'issue-10-unread-light');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

/** The list's rows as "group/jid" (headers as "# name"), in order, as drawn. */
function listOrder(page: Page): Promise<string[]> {
  return page
    .locator('xm-contact-list .row[data-key]')
    .evaluateAll((rows) =>
      rows
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((r) =>
          r.classList.contains('group-row')
            ? `# ${r.querySelector('.group-name')?.textContent ?? ''}`
            : (r.getAttribute('data-jid') ?? ''),
        ),
    );
}

async function chooseSort(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: 'List options' }).click();
  await page.getByRole('combobox', { name: 'Sort' }).selectOption({ label });
  await page.keyboard.press('Escape');
}

test('issue 10 #3: "Recent" puts the latest conversations first (a removed contact’s too), then everyone else by name', async () => {
  const page = await openApp(env, withConversations());
  await chooseSort(page, 'Recent conversations');
  const expected = [
    '# Recent',
    'romeo@montague.example',
    'paris@verona.example',
    'nurse@capulet.example',
    '# Other contacts',
    'benvolio@example.org',
    'friar@verona.example',
    'mercutio@example.org',
    'rene@example.fr',
    'tybalt@capulet.example',
  ];
  await page.waitForFunction(
    (first) =>
      document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-roster-screen')
        ?.shadowRoot?.querySelector('xm-contact-list')
        ?.shadowRoot?.querySelector('.row[data-index="1"]')
        ?.getAttribute('data-jid') === first,
    'romeo@montague.example',
  );
  assert.deepEqual(await listOrder(page), expected);
  const paris = row(page, '\u0001recent', 'paris@verona.example');
  assert.equal(
    await nameOf(
      page,
      '\u0001recent',
      'paris@verona.example',
      'paris@verona.example, not in your contacts, 1 unread message',
    ),
    'paris@verona.example, not in your contacts, 1 unread message',
  );
  // Nothing to edit on an address that is not a contact: its menu has the conversation and the address.
  await paris.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'paris@verona.example' });
  await menu.waitFor();
  assert.deepEqual(await menu.locator('[role=menuitem] .label').allTextContents(), ['Message', 'Copy address']);
  await page.keyboard.press('Escape');
  await screenshot(page, 'issue-10-recent-light');

  // By keyboard: the header, then the conversations; Enter opens one; F2 and Delete do nothing on a stranger.
  const opened = await recordOpens(page);
  await page.keyboard.press('/');
  await page.keyboard.press('ArrowDown'); // into the list, where its tab stop is (the row last right-clicked)
  await page.keyboard.press('Home'); // the "Recent" header
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('data-jid') === 'paris@verona.example';
  });
  await page.keyboard.press('F2');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { tst_opened: string[] }).tst_opened.length === 1);
  assert.deepEqual(await opened(), ['paris@verona.example']);
  assert.equal(await page.locator('xm-contact-dialog dialog').isVisible(), false);
  assert.equal(await page.locator('xm-remove-dialog dialog').isVisible(), false);

  // A new message moves its conversation to the top; an unread count alone moves nothing.
  await page.evaluate(() =>
    window.harness.receive({
      id: 'live-2',
      conversation: 'tybalt@capulet.example',
      direction: 'in',
      from: 'tybalt@capulet.example',
      to: 'juliet@example.com',
      body: 'Boy, this shall not excuse the injuries',
      time: Date.UTC(2025, 10, 24, 15, 0),
      seq: window.harness.nextSeq(),
      state: 'received',
    }),
  );
  await row(page, '\u0001recent', 'tybalt@capulet.example').waitFor();
  await page.waitForFunction(
    () =>
      document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-roster-screen')
        ?.shadowRoot?.querySelector('xm-contact-list')
        ?.shadowRoot?.querySelector('.row[data-index="1"]')
        ?.getAttribute('data-jid') === 'tybalt@capulet.example',
  );
  assert.deepEqual(await listOrder(page), [
    '# Recent',
    'tybalt@capulet.example',
    ...expected.slice(1, 4),
    '# Other contacts',
    ...expected.slice(5, 9),
  ]);

  // Remembered per account; "By name" brings the groups back.
  await page.reload();
  await mount(page, withConversations());
  await row(page, '\u0001recent', 'romeo@montague.example').waitFor();
  await chooseSort(page, 'By name');
  await row(page, 'Family', 'nurse@capulet.example').waitFor();
  assert.equal(await page.locator('xm-contact-list .row[data-group="\u0001recent"]').count(), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #3: the last message’s first line under the name, "You: " for ours, one line, in its own direction; an option turns it off', async () => {
  const setup = withConversations();
  setup.messages!.messages!.push(
    message('rene@example.fr', 'مرحبا بك في فيرونا، هذه رسالة طويلة جدا لا تتسع في سطر واحد من القائمة أبدا', 6),
  );
  const page = await openApp(env, setup, { viewport: { width: 320, height: 600 } });
  const romeo = row(page, 'Family', 'romeo@montague.example');
  await romeo.locator('.preview-text').filter({ hasText: 'Meet me at the ball' }).waitFor();
  assert.equal(await romeo.locator('.preview-text').textContent(), 'Meet me at the ball', 'the first line only');
  assert.equal(await romeo.locator('.preview-text').getAttribute('dir'), 'auto');
  const nurse = row(page, 'Family', 'nurse@capulet.example');
  assert.equal(
    (await nurse.locator('.preview').textContent())?.replace(/\s+/g, ' ').trim(),
    'You: I will tell her, my lady',
  );
  const rene = row(page, 'Friends', 'rene@example.fr').locator('.preview-text');
  const box = await rene.evaluate((el) => ({
    scroll: el.scrollWidth,
    client: el.clientWidth,
    height: el.getBoundingClientRect().height,
    overflow: getComputedStyle(el).textOverflow,
  }));
  assert.ok(box.scroll > box.client, 'the long line is cut');
  assert.equal(box.overflow, 'ellipsis');
  assert.ok(box.height <= 20, `one line (${box.height} px)`);
  // A row without a conversation stays one line.
  assert.equal(await row(page, 'Work', 'benvolio@example.org').evaluate((el) => el.getBoundingClientRect().height), 36);
  await screenshot(page, 'issue-10-preview-narrow-light');

  await page.getByRole('button', { name: 'List options' }).click();
  await page.getByRole('checkbox', { name: 'Show message preview' }).uncheck();
  await page.keyboard.press('Escape');
  await romeo.locator('.preview').waitFor({ state: 'detached' });
  assert.equal(await romeo.evaluate((el) => el.getBoundingClientRect().height), 36);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`issue 10 #3/#5: badges, last lines, Recent and the message settings, wide and narrow, axe-clean (${colorScheme})`, async () => {
    for (const viewport of [
      { width: 960, height: 720 },
      { width: 320, height: 400 },
    ]) {
      const size = viewport.width > 400 ? 'wide' : 'narrow';
      const page = await openApp(env, withConversations(), { colorScheme, viewport });
      await row(page, 'Family', 'romeo@montague.example').locator('.unread').waitFor();
      await assertNoSeriousViolations(page);
      await screenshot(page, `issue-10-list-${size}-${colorScheme}`);
      await chooseSort(page, 'Recent conversations');
      await row(page, '\u0001recent', 'paris@verona.example').waitFor();
      await row(page, '\u0001recent', 'paris@verona.example').focus();
      await assertNoSeriousViolations(page);
      await screenshot(page, `issue-10-recent-${size}-${colorScheme}`);
      await page.getByRole('button', { name: /^Account: juliet@example\.com/ }).click();
      // The message settings are in Settings now (issue 13 #3).
      await page.getByRole('button', { name: 'Settings…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByRole('radio', { name: 'Same as the system' }).and(page.locator(':focus')).waitFor();
      await dialog.getByRole('checkbox', { name: 'Let contacts see when I am typing' }).scrollIntoViewIfNeeded();
      await assertNoSeriousViolations(page);
      await screenshot(page, `issue-10-message-settings-${size}-${colorScheme}`);
      assert.deepEqual(await pageProblems(page), []);
      await page.context().close();
    }
  });
}

async function assertNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
  );
}
