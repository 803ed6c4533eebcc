// Issue 14 #1 against the fake messenger: the list opens on its first page
// (getRosterPage) and takes the rest in chunks (getRosterChunk), which the
// tests hold back to act while the list is still loading: a push, a fold, a
// search, a reset. When the last chunk is in, the list is what the whole
// roster shows: every contact once, the groups and counts right.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RosterItem, RosterSnapshot } from '../../preload/contract.js';
import type { HarnessSetup } from './harness.js';
import { appState, bigRoster, contact, pageProblems, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const list = (page: Page) => page.locator('xm-contact-list');
const row = (page: Page, group: string, jid: string) =>
  page.locator(`xm-contact-list .contact-row[data-group="${group}"][data-jid="${jid}"]`);
const header = (page: Page, name: string) => page.locator('xm-contact-list .group-row').filter({ hasText: name });

/** A large roster (several chunks) with names the collator must order: accents, case, several groups, none. */
function roster(): RosterSnapshot {
  const big = bigRoster(6000);
  big.items.push(
    contact('emile@example.fr', { name: 'Émile', groups: ['Colleagues', 'Family'] }),
    contact('angel@example.de', { name: 'Ängel', groups: ['Colleagues'] }),
    contact('zoe@example.org', { name: 'zoë', groups: [] }),
    contact('abc@example.org', { name: null, groups: ['Colleagues', 'Sports club'] }),
  );
  return big;
}

/** Expected headers: "name count" per group in list order ("No group" last). */
function groupCounts(items: RosterItem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items)
    for (const g of item.groups.length ? item.groups : ['No group']) counts.set(g, (counts.get(g) ?? 0) + 1);
  return counts;
}

const totalRows = (items: RosterItem[]): number => [...groupCounts(items).values()].reduce((sum, n) => sum + n + 1, 0);

/** Mounts the app with its chunk calls held back; resolves once the first page is drawn. */
async function openHeld(setup: HarnessSetup): Promise<Page> {
  const context = await env.browser.newContext({ viewport: { width: 960, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(env.url);
  await page.evaluate((s) => {
    window.harness.mount(s);
    window.harness.hold('getRosterChunk');
  }, setup);
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-loaded'));
  return page;
}

/** How many rows the list has (group headers, contacts, contacts still loading), drawn or not. */
const setSize = (page: Page): Promise<number> =>
  page.locator('xm-contact-list [role="tree"]').evaluate((el) => Number(el.getAttribute('data-row-count')));

/** The first rows drawn, in list order, as short strings. */
async function firstRows(page: Page, count: number): Promise<string[]> {
  const all = await list(page)
    .locator('[role="treeitem"]')
    .evaluateAll((items) =>
      items
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((el) =>
          el.classList.contains('group-row')
            ? `# ${el.querySelector('.group-name')!.textContent} ${el.querySelector('.count')!.textContent}`
            : el.classList.contains('placeholder-row')
              ? '…'
              : `${el.getAttribute('data-group')}: ${el.getAttribute('data-jid')}`,
        ),
    );
  return all.slice(0, count);
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByLabel('Search contacts by name or address').fill(text);
}

test('issue 14 #1: the first page is drawn at once in the final order and length, before any chunk', async () => {
  const snapshot = roster();
  const page = await openHeld({ state: appState(), roster: snapshot });
  assert.equal(await page.evaluate(() => window.harness.callCount('getRoster')), 0, 'never the whole snapshot');
  assert.equal(await setSize(page), totalRows(snapshot.items), 'the list has its final length while loading');
  const loading = await firstRows(page, 12);
  assert.ok(!loading.includes('…'), `the first rows are contacts, not placeholders: ${loading.join(', ')}`);
  // Further down, the rows not yet arrived hold their places.
  await list(page)
    .locator('.list')
    .evaluate((el) => (el.scrollTop = 20_000));
  await list(page).locator('.placeholder-row').first().waitFor();
  await screenshot(page, 'roster-loading-placeholders');
  await list(page)
    .locator('.list')
    .evaluate((el) => (el.scrollTop = 0));

  await page.evaluate(() => window.harness.release('getRosterChunk'));
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-complete'));
  assert.ok((await page.evaluate(() => window.harness.callCount('getRosterChunk'))) >= 3, 'several chunks');
  await list(page).locator('[role="treeitem"]').first().waitFor();
  const complete = await firstRows(page, 12);
  assert.deepEqual(loading, complete, 'the first page equals the first rows of the complete list');
  // Non-ASCII and unnamed contacts where the collator puts them: "abc@…" (its address), "Ängel", "Contact 0005", … "Émile".
  assert.deepEqual(complete.slice(0, 4), [
    `# Colleagues ${groupCounts(snapshot.items).get('Colleagues')}`,
    'Colleagues: abc@example.org',
    'Colleagues: angel@example.de',
    'Colleagues: user0005@example.net',
  ]);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 14 #1: a push, a fold and a search mid-load; once complete every contact is there once, groups and counts right', async () => {
  const snapshot = roster();
  const page = await openHeld({ state: appState(), roster: snapshot });
  const items = new Map(snapshot.items.map((i) => [i.jid, i]));

  // A push of a new contact that sorts first, and the removal of one on the first page.
  const aaron = contact('aaron@example.net', { name: 'Aaron', groups: ['Colleagues'] });
  items.set(aaron.jid, aaron);
  items.delete('user0005@example.net');
  await page.evaluate((item) => {
    window.harness.push({ kind: 'upsert', item, version: 'v2' });
    window.harness.push({ kind: 'remove', jid: 'user0005@example.net', version: 'v3' });
  }, aaron);
  await row(page, 'Colleagues', 'aaron@example.net').waitFor();
  await row(page, 'Colleagues', 'user0005@example.net').waitFor({ state: 'detached' });

  // A search finds what has arrived, and says that more is coming.
  await search(page, 'aaron');
  await row(page, 'Colleagues', 'aaron@example.net').waitFor();
  await search(page, 'Contact 5995');
  await list(page)
    .getByText(/still loading/)
    .waitFor();
  await screenshot(page, 'roster-loading-search');
  await search(page, '');

  // A fold mid-load.
  await header(page, 'Colleagues').click();
  await row(page, 'Colleagues', 'aaron@example.net').waitFor({ state: 'detached' });

  await page.evaluate(() => window.harness.release('getRosterChunk'));
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-complete'));

  const expected = [...items.values()];
  const counts = groupCounts(expected);
  // Colleagues folded: its header only.
  assert.equal(await setSize(page), totalRows(expected) - counts.get('Colleagues')!);
  // Fold every group: each header shows its count.
  for (const name of ['Family', 'Friends', 'Neighbours', 'Sports club', 'No group']) await header(page, name).click();
  await page.waitForFunction((n) => {
    const shadow = document
      .querySelector('xm-app')!
      .shadowRoot!.querySelector('xm-roster-screen')!
      .shadowRoot!.querySelector('xm-contact-list')!.shadowRoot!;
    return shadow.querySelectorAll('.group-row').length === n && shadow.querySelectorAll('.contact-row').length === 0;
  }, counts.size);
  const headers = await list(page)
    .locator('.group-row')
    .evaluateAll((els) =>
      els.map((el) => `${el.querySelector('.group-name')!.textContent} ${el.querySelector('.count')!.textContent}`),
    );
  assert.deepEqual(
    headers,
    ['Colleagues', 'Family', 'Friends', 'Neighbours', 'Sports club', 'No group'].map((g) => `${g} ${counts.get(g)}`),
  );

  // Unfolded (from the last, so the headers above stay in view), a search finds contacts from the last chunk.
  for (const name of ['No group', 'Sports club', 'Neighbours', 'Friends', 'Family', 'Colleagues'])
    await header(page, name).click();
  await search(page, 'Contact 5995');
  await list(page).locator('.contact-row').first().waitFor();
  assert.equal(await list(page).locator('.contact-row').count(), 1);
  await search(page, 'émile');
  await row(page, 'Family', 'emile@example.fr').waitFor();
  assert.equal(await list(page).locator('.contact-row').count(), 2, 'in each of its two groups');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 14 #1: a reset mid-load loads the new roster through the first page again; the old chunks are dropped', async () => {
  const page = await openHeld({ state: appState(), roster: roster() });
  const next = bigRoster(3000);
  next.items = next.items.map((item) => ({
    ...item,
    jid: item.jid.replace('user', 'other'),
    name: item.name!.replace('Contact', 'Other'),
  }));
  next.version = 'v9';
  await page.evaluate((snapshot) => {
    window.harness.setRoster(snapshot);
    window.harness.emit({ type: 'roster', change: { kind: 'reset', version: 'v9', count: snapshot.items.length } });
  }, next);
  await row(page, 'Colleagues', 'other0005@example.net').waitFor();
  assert.equal(await page.evaluate(() => window.harness.callCount('getRosterPage')), 2);
  await page.evaluate(() => window.harness.release('getRosterChunk'));
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-complete'));
  assert.equal(await setSize(page), totalRows(next.items));
  await search(page, 'Contact 0010');
  await list(page).getByText('No matches').waitFor();
  await search(page, 'Other 2995');
  await list(page).locator('.contact-row').first().waitFor();
  assert.equal(await list(page).locator('.contact-row').count(), 1);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
