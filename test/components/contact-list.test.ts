// The contact list against a fake messenger: grouping and words, folding
// remembered per account, accent-insensitive search, deltas without a
// refetch, hostile names, virtualisation and the keyboard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
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

const env = useComponentEnv();

const rows = (page: Page) => page.locator('xm-contact-list .contact-row');
const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);
const header = (page: Page, name: string) => page.locator('xm-contact-list .group-row').filter({ hasText: name });

/** Group headers and contact rows in list order, as short strings. */
async function listOutline(page: Page): Promise<string[]> {
  return page
    .locator('xm-contact-list [role="treeitem"]')
    .evaluateAll((items) =>
      items
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((el) =>
          el.classList.contains('group-row')
            ? `# ${el.querySelector('.group-name')!.textContent} ${el.querySelector('.count')!.textContent}`
            : `${el.querySelector('.name')!.textContent} | ${[...el.querySelectorAll('.relation, .pill')].map((part) => part.textContent).join(' ')}`.trim(),
        ),
    );
}

test('groups, "No group", counts and subscription words (issue 12 #1: only when not mutual)', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  assert.deepEqual(await listOutline(page), [
    '# Family 2',
    'Nurse | you don’t see their status',
    'Romeo Montague |',
    '# Friends 3',
    'Mercutio | hasn’t accepted yet',
    'René Descartes | can’t see your status',
    'Romeo Montague |',
    '# Work 2',
    'benvolio@example.org |',
    'Tybalt | can’t see your status',
    '# No group 1',
    'Friar Laurence | you don’t see their status',
  ]);
  await screenshot(page, 'list');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('a folded group stays folded for that account after a restart', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await header(page, 'Friends').click();
  await page.locator('xm-contact-list .contact-row[data-group="Friends"]').first().waitFor({ state: 'detached' });
  assert.equal(await header(page, 'Friends').getAttribute('aria-expanded'), 'false');
  assert.equal(await rows(page).filter({ hasText: 'René' }).count(), 0);
  await screenshot(page, 'list-folded');

  await page.reload();
  await mount(page, { state: appState(), roster: sampleRoster() });
  assert.equal(await header(page, 'Friends').getAttribute('aria-expanded'), 'false');
  assert.equal(await header(page, 'Family').getAttribute('aria-expanded'), 'true');
  assert.equal(await rows(page).filter({ hasText: 'René' }).count(), 0);

  // Another account on the same machine has its own memory.
  await page.reload();
  await mount(page, {
    state: appState({ account: { jid: 'romeo@example.com', host: null, port: null, rememberPassword: false } }),
    roster: { ...sampleRoster(), account: 'romeo@example.com' },
  });
  assert.equal(await header(page, 'Friends').getAttribute('aria-expanded'), 'true');
  await page.context().close();
});

test('search folds case and accents and matches addresses', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const search = page.getByRole('searchbox', { name: 'Search contacts by name or address' });
  await search.fill('rene');
  await page.waitForFunction(
    () =>
      document
        .querySelector('xm-app')!
        .shadowRoot!.querySelector('xm-roster-screen')!
        .shadowRoot!.querySelector('xm-contact-list')!
        .shadowRoot!.querySelectorAll('.contact-row').length === 1,
  );
  assert.deepEqual(await listOutline(page), ['# Friends 1', 'René Descartes | can’t see your status']);
  await screenshot(page, 'search');

  await search.fill('CAPULET.EX');
  await assertNames(page, ['Nurse', 'Tybalt']);
  await search.fill('DESCARTÉS');
  await assertNames(page, ['René Descartes']);

  await search.fill('nobody-here');
  await page.getByText('No matches').waitFor();
  await screenshot(page, 'no-matches');

  await search.press('Escape');
  assert.equal(await search.inputValue(), '');
  await assertNames(page, [
    'Nurse',
    'Romeo Montague',
    'Mercutio',
    'René Descartes',
    'Romeo Montague',
    'benvolio@example.org',
    'Tybalt',
    'Friar Laurence',
  ]);
  await page.context().close();
});

async function assertNames(page: Page, expected: string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const list = document
        .querySelector('xm-app')!
        .shadowRoot!.querySelector('xm-roster-screen')!
        .shadowRoot!.querySelector('xm-contact-list')!.shadowRoot!;
      const names = [...list.querySelectorAll('.contact-row')]
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((el) => el.querySelector('.name')!.textContent);
      return JSON.stringify(names) === JSON.stringify(want);
    },
    expected,
    { timeout: 5000 },
  );
}

test('deltas add, move and remove rows without fetching the roster again', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  assert.equal(await page.evaluate(() => window.harness.callCount('getRosterPage')), 1);

  await page.evaluate(
    (item) => window.harness.emit({ type: 'roster', change: { kind: 'upsert', item, version: 'v2' } }),
    contact('juliet.nurse@example.com', { name: 'Angelica', groups: ['Family'] }),
  );
  await row(page, 'Family', 'juliet.nurse@example.com').waitFor();
  assert.deepEqual((await listOutline(page)).slice(0, 4), [
    '# Family 3',
    'Angelica |',
    'Nurse | you don’t see their status',
    'Romeo Montague |',
  ]);

  // Tybalt moves from Work to Family and gets a name change.
  await page.evaluate(
    (item) => window.harness.emit({ type: 'roster', change: { kind: 'upsert', item, version: 'v3' } }),
    contact('tybalt@capulet.example', { name: 'Tybalt, Prince of Cats', groups: ['Family'], subscription: 'to' }),
  );
  await row(page, 'Family', 'tybalt@capulet.example').waitFor();
  assert.equal(await row(page, 'Work', 'tybalt@capulet.example').count(), 0);
  assert.match(await row(page, 'Family', 'tybalt@capulet.example').innerText(), /Tybalt, Prince of Cats/);

  await page.evaluate(() =>
    window.harness.emit({ type: 'roster', change: { kind: 'remove', jid: 'mercutio@example.org', version: 'v4' } }),
  );
  await row(page, 'Friends', 'mercutio@example.org').waitFor({ state: 'detached' });

  await page.evaluate(
    (snapshot) => {
      window.harness.setRoster(snapshot);
      window.harness.emit({ type: 'roster', change: { kind: 'reset', version: snapshot.version, count: 1 } });
    },
    { account: 'juliet@example.com', version: 'v9', items: [contact('solo@example.com', { name: 'Solo' })] },
  );
  await assertNames(page, ['Solo']);

  // The first page at start, once more after the reset; never the whole snapshot.
  assert.equal(await page.evaluate(() => window.harness.callCount('getRosterPage')), 2);
  assert.equal(await page.evaluate(() => window.harness.callCount('getRoster')), 0);
  await page.context().close();
});

test('edits waiting in the outbox are marked and can be cancelled', async () => {
  const page = await openApp(env, {
    state: appState({ connection: { status: 'offline' } }),
    roster: {
      account: 'juliet@example.com',
      version: 'v1',
      items: [
        contact('romeo@montague.example', {
          name: 'Romeo',
          groups: ['Friends'],
          pending: { id: 7, op: 'update', state: 'waiting', error: null },
        }),
        contact('paris@verona.example', {
          name: 'Paris',
          groups: ['Friends'],
          subscription: 'none',
          pending: {
            id: 8,
            op: 'add',
            state: 'failed',
            error: { code: 'forbidden', message: 'Not allowed by the server' },
          },
        }),
      ],
    },
  });
  assert.deepEqual(await listOutline(page), [
    '# Friends 2',
    'Paris | not sharing status not saved: Not allowed by the server',
    'Romeo | change waiting to sync',
  ]);
  await screenshot(page, 'pending-edits');

  const paris = row(page, 'Friends', 'paris@verona.example');
  await paris.hover();
  await paris.getByRole('button', { name: 'Dismiss: Paris' }).click();
  await page.waitForFunction(() => window.harness.callCount('cancelEdit') === 1);
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)), { method: 'cancelEdit', args: [8] });

  const romeo = row(page, 'Friends', 'romeo@montague.example');
  await page.evaluate(() =>
    window.harness.respondNext('cancelEdit', {
      ok: false,
      error: { code: 'item-not-found', message: 'This change was already sent.' },
    }),
  );
  await romeo.hover();
  await romeo.getByRole('button', { name: 'Cancel change: Romeo' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: 'Could not cancel the change to romeo@montague.example: This change was already sent.' })
    .waitFor();
  await page.context().close();
});

test('hostile names are inert, isolated and truncated only in display', async () => {
  const long = 'W'.repeat(10_000);
  const page = await openApp(env, {
    state: appState(),
    roster: {
      account: 'juliet@example.com',
      version: null,
      items: [
        contact('html@evil.example', { name: '<img src=x onerror=alert(1)>', groups: ['Strangers'] }),
        contact('rtl@evil.example', { name: '\u202Egnp.exe', groups: ['Strangers'] }),
        contact('long@evil.example', { name: long, groups: ['Strangers'] }),
      ],
    },
  });
  const htmlName = row(page, 'Strangers', 'html@evil.example').locator('.name');
  assert.equal(await htmlName.textContent(), '<img src=x onerror=alert(1)>');
  assert.equal(await page.locator('xm-app img').count(), 0);

  const rtl = row(page, 'Strangers', 'rtl@evil.example').locator('.name');
  const isolation = await rtl.evaluate((el) => ({ tag: el.tagName, unicodeBidi: getComputedStyle(el).unicodeBidi }));
  assert.ok(isolation.tag === 'BDI' || isolation.unicodeBidi.includes('isolate'), JSON.stringify(isolation));
  // The override stays inside the name: the address after it (on the comfortable rows' second line) still reads left to right.
  await page.getByRole('button', { name: 'List options' }).click(); // the density sits in the list options panel
  await page.getByRole('checkbox', { name: 'Comfortable rows' }).check();
  await page.keyboard.press('Escape');
  await row(page, 'Strangers', 'rtl@evil.example').locator('.jid').waitFor();
  assert.equal(await row(page, 'Strangers', 'rtl@evil.example').locator('.jid').textContent(), 'rtl@evil.example');

  const longName = row(page, 'Strangers', 'long@evil.example').locator('.name');
  const size = await longName.evaluate((el) => ({
    scroll: el.scrollWidth,
    client: el.clientWidth,
    chars: el.textContent.length,
    overflow: getComputedStyle(el).textOverflow,
  }));
  assert.ok(size.scroll > size.client, `scrollWidth ${size.scroll} > clientWidth ${size.client}`);
  assert.equal(size.chars, 10_000);
  assert.equal(size.overflow, 'ellipsis');
  assert.ok(size.client < 960);
  await screenshot(page, 'hostile-names');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('5,000 contacts render only a window of rows', async () => {
  const page = await openApp(env, { state: appState(), roster: bigRoster(5000) });
  await rows(page).first().waitFor();
  const drawn = await rows(page).count();
  assert.ok(drawn > 5 && drawn < 100, `${drawn} rows in the DOM`);
  await screenshot(page, 'big-roster');

  // Scrolling to the end draws the last rows instead.
  // (each poll scrolls again: the virtualiser's height estimate firms up as rows are measured)
  await page.locator('xm-contact-list .list').evaluate(async (list) => {
    while (!list.querySelector('[data-jid="user4998@example.net"]')) {
      list.scrollTo(0, list.scrollHeight);
      await new Promise(requestAnimationFrame);
    }
  });
  await row(page, '', 'user4998@example.net').waitFor();
  assert.ok((await rows(page).count()) < 100);
  await page.context().close();
});

test('keyboard: / focuses search, arrows move, F2 edits, Delete asks, Escape returns', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  await page.keyboard.press('/');
  assert.equal(await focusedDescriptionAs(page, 'INPUT search'), 'INPUT search');

  await page.keyboard.type('a');
  assert.equal(await page.getByRole('searchbox').inputValue(), 'a', '"/" is not swallowed while typing in the box');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('searchbox').inputValue(), '');

  // Into the list: the first row (the Family header) holds the tab stop.
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedDescriptionAs(page, 'DIV Family 2'), 'DIV Family 2');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedDescriptionAs(page, 'DIV Nurse'), 'DIV Nurse');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedDescriptionAs(page, 'DIV Romeo Montague'), 'DIV Romeo Montague');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedDescriptionAs(page, 'DIV Nurse'), 'DIV Nurse');
  await screenshot(page, 'keyboard-focus');

  await page.keyboard.press('F2');
  const editDialog = page.locator('xm-contact-dialog dialog');
  await editDialog.waitFor();
  assert.equal(await editDialog.locator('h2').textContent(), 'Edit contact');
  assert.equal(await page.locator('xm-contact-dialog #name').inputValue(), 'Nurse');
  assert.equal(await focusedDescriptionAs(page, 'INPUT name'), 'INPUT name');
  await page.keyboard.press('Escape');
  await editDialog.waitFor({ state: 'hidden' });
  assert.equal(await focusedDescriptionAs(page, 'DIV Nurse'), 'DIV Nurse');

  await page.keyboard.press('Delete');
  const removeDialog = page.locator('xm-remove-dialog dialog');
  await removeDialog.waitFor();
  assert.match(await removeDialog.innerText(), /Nurse/);
  assert.equal(await focusedDescriptionAs(page, 'BUTTON cancel'), 'BUTTON cancel');
  await page.keyboard.press('Escape');
  await removeDialog.waitFor({ state: 'hidden' });
  assert.equal(await focusedDescriptionAs(page, 'DIV Nurse'), 'DIV Nurse');
  assert.equal(await page.evaluate(() => window.harness.callCount('removeContact')), 0);

  // Left folds the focused group from its header, Right unfolds it.
  await page.keyboard.press('Home');
  assert.equal(await focusedDescriptionAs(page, 'DIV Family 2'), 'DIV Family 2');
  await page.keyboard.press('ArrowLeft');
  await row(page, 'Family', 'nurse@capulet.example').waitFor({ state: 'detached' });
  await page.keyboard.press('ArrowRight');
  await row(page, 'Family', 'nurse@capulet.example').waitFor();
  await page.context().close();
});

/** The deeply focused element as "TAG what": a row's name, a button's text, an input's id or type. */
function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return 'none';
    const what =
      el.querySelector('.name')?.textContent ??
      (el instanceof HTMLInputElement
        ? el.type === 'search'
          ? 'search'
          : el.id
        : el.id || el.textContent.replace(/\s+/g, ' ').trim());
    return `${el.tagName} ${what}`;
  });
}

/**
 * The focused element once it is `expected`, or what it still is after 5 s: focus moves after the list has drawn
 * the row it goes to (a virtualised list), which on a loaded machine can take a few frames.
 */
async function focusedDescriptionAs(page: Page, expected: string): Promise<string> {
  let now = await focusedDescription(page);
  for (const until = Date.now() + 5000; now !== expected && Date.now() < until; now = await focusedDescription(page))
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  return now;
}

test('empty, loading and load-error states', async () => {
  const page = await openApp(env, {
    state: appState(),
    roster: { account: 'juliet@example.com', version: null, items: [] },
  });
  await page.getByText('No contacts yet — add one').waitFor();
  await screenshot(page, 'empty');
  await page.getByRole('main').getByRole('button', { name: 'Add contact' }).click();
  await page.locator('xm-contact-dialog dialog').waitFor();
  await page.context().close();

  const loading = await env.browser.newPage();
  await loading.goto(env.url);
  await loading.evaluate(() => {
    window.harness.mount({
      state: {
        account: { jid: 'juliet@example.com', host: null, port: null, rememberPassword: false },
        connection: { status: 'connecting', attempt: 1 },
        syncedAt: null,
        canStorePasswordSafely: true,
      },
    });
    window.harness.hold('getRosterPage');
  });
  await loading.getByText('Loading contacts…').waitFor();
  await screenshot(loading, 'loading');
  await loading.evaluate(() => window.harness.release('getRosterPage'));
  await loading.getByText('No contacts yet — add one').waitFor();
  await loading.close();

  const failing = await openApp(env, {
    state: appState(),
    roster: sampleRoster(),
    responses: {
      getRosterPage: [
        {
          ok: false,
          error: { code: 'database-corrupt', message: 'The contact cache was damaged and has been set aside.' },
        },
      ],
    },
  });
  await failing
    .getByRole('alert')
    .filter({ hasText: 'Could not load your contacts: The contact cache was damaged and has been set aside.' })
    .waitFor();
  await screenshot(failing, 'load-error');
  await failing.getByRole('button', { name: 'Try again' }).click();
  await failing.locator('xm-contact-list .contact-row').first().waitFor();
  assert.equal(await failing.evaluate(() => window.harness.callCount('getRosterPage')), 2);
  await failing.context().close();
});

/** Six groups of six, in list order: "Colleagues 1" … "Work 6". */
function clubRoster() {
  const groups = ['Colleagues', 'Family', 'Friends', 'Neighbours', 'Sports club', 'Work'];
  const items = groups.flatMap((group) =>
    Array.from({ length: 6 }, (_, i) =>
      contact(`${group.replace(' ', '').toLowerCase()}${i + 1}@example.net`, {
        name: `${group} ${i + 1}`,
        groups: [group],
      }),
    ),
  );
  return { account: 'juliet@example.com', version: 'clubs', items };
}

/** The names of the contact rows drawn, in list order. */
function drawnNames(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((els) =>
    els
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((el) => el.querySelector('.name')!.textContent),
  );
}

// Each path leaves the virtualiser holding row positions of the full list; the search then gives it a list of two rows.
const movedList: Record<string, { roster: () => ReturnType<typeof bigRoster>; move: (page: Page) => Promise<void> }> = {
  'scrolled 300 px': {
    roster: () => bigRoster(200),
    async move(page) {
      await page.locator('xm-contact-list .list').evaluate(
        (list) =>
          new Promise<void>((resolve) => {
            list.addEventListener('visibilityChanged', () => resolve(), { once: true });
            list.scrollBy(0, 300);
          }),
      );
    },
  },
  'moved down 15 rows with the arrow key': {
    roster: () => bigRoster(200),
    async move(page) {
      await page.keyboard.press('/');
      await page.keyboard.press('Escape');
      for (let i = 0; i < 16; i += 1) await page.keyboard.press('ArrowDown');
      assert.equal(
        await focusedDescriptionAs(page, 'DIV Contact 0090'),
        'DIV Contact 0090',
        'the 16th row of Colleagues',
      );
    },
  },
  'folded and unfolded at a group': {
    roster: clubRoster,
    async move(page) {
      await header(page, 'Friends').click();
      await row(page, 'Friends', 'friends1@example.net').waitFor({ state: 'detached' });
      await header(page, 'Friends').click();
      await row(page, 'Friends', 'friends1@example.net').waitFor();
    },
  },
};

for (const [path, { roster, move }] of Object.entries(movedList)) {
  test(`issue 11 #13: search filters after the list was ${path}`, async () => {
    const setup = { state: appState(), roster: roster() };
    const page = await openApp(env, setup, { viewport: { width: 420, height: 760 } });
    await rows(page).first().waitFor();
    await move(page);

    const search = page.getByRole('searchbox', { name: 'Search contacts by name or address' });
    await search.click();
    const [query, match] =
      setup.roster.version === 'clubs' ? ['Neighbours 4', 'Neighbours 4'] : ['Contact 0001', 'Contact 0001'];
    await page.keyboard.type(query);
    await assertNames(page, [match]).catch(async (error: unknown) => {
      throw new Error(
        `${(error as Error).message}\nrows drawn: ${JSON.stringify(await drawnNames(page))}\npage problems: ${JSON.stringify(await pageProblems(page))}`,
        { cause: error },
      );
    });
    await screenshot(page, `issue-13-search-after-${path.split(' ')[0]}`);

    // Typing on, and clearing the search, keep working.
    await page.keyboard.press('Backspace');
    const wider = query.slice(0, -1);
    await page.waitForFunction(
      (q) => {
        const list = document
          .querySelector('xm-app')!
          .shadowRoot!.querySelector('xm-roster-screen')!
          .shadowRoot!.querySelector('xm-contact-list')!.shadowRoot!;
        const names = [...list.querySelectorAll('.contact-row .name')].map((el) => el.textContent.toLowerCase());
        return names.length > 1 && names.every((name) => name.includes(q));
      },
      wider.toLowerCase(),
      { timeout: 5000 },
    );
    await search.press('Escape');
    await rows(page).nth(3).waitFor();
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  });
}
