// Issue 14 #3 and #4: what a keystroke, a push and a drawn row cost in the
// page, counted rather than timed (timings depend on the machine's load):
// a keystroke that leaves the drawn rows as they were touches none of them,
// one that changes them draws only the rows of the viewport (never the
// 5,000 the list holds), and a contact row's action icons are drawn by CSS
// while they show, not by an svg in every row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appState, bigRoster, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const list = (page: Page) => page.locator('xm-contact-list');

/** Starts counting the DOM changes under the list's scroller (rows added, removed, attributes and text changed). */
async function watchRows(page: Page): Promise<void> {
  await list(page).evaluate((el) => {
    const scroller = el.shadowRoot!.querySelector('.list')!;
    const counts = { added: 0, removed: 0, attributes: 0, text: 0 };
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'childList') {
          for (const n of r.addedNodes) if (n instanceof Element && n.classList.contains('row')) counts.added += 1;
          for (const n of r.removedNodes) if (n instanceof Element && n.classList.contains('row')) counts.removed += 1;
        } else if (r.type === 'attributes') counts.attributes += 1;
        else counts.text += 1;
      }
    });
    observer.observe(scroller, { subtree: true, childList: true, attributes: true, characterData: true });
    (window as unknown as { rowCounts: typeof counts }).rowCounts = counts;
  });
}

async function rowCounts(page: Page): Promise<{ added: number; removed: number; attributes: number; text: number }> {
  // Two frames: the virtualiser draws on its own frame after the list's update.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(
    () =>
      (window as unknown as { rowCounts: { added: number; removed: number; attributes: number; text: number } })
        .rowCounts,
  );
}

/** Types `text` into the search box and waits until every drawn contact row matches it. */
async function type(page: Page, text: string): Promise<void> {
  await page.getByLabel('Search contacts by name or address').fill(text);
  await list(page).evaluate(async (el, q) => {
    const root = el.shadowRoot!;
    for (let frame = 0; frame < 60; frame++) {
      const rows = [...root.querySelectorAll<HTMLElement>('.contact-row')];
      const shown = rows.map((r) => `${r.querySelector('.name')!.textContent}\n${r.dataset.jid}`.toLowerCase());
      if (shown.length > 0 && shown.every((t) => t.includes(q))) return;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }, text.toLowerCase());
}

test('issue 14 #3: a keystroke that leaves the drawn rows as they were touches none of them; one that changes them draws only the viewport’s rows', async () => {
  const page = await openApp(
    env,
    { state: appState(), roster: bigRoster(5000) },
    { viewport: { width: 960, height: 720 } },
  );
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-complete'));
  await type(page, 'contact');
  const drawn = await list(page).locator('.row').count();
  assert.ok(drawn > 10 && drawn < 200, `a window of rows is drawn: ${drawn}`);

  // Every contact matches both texts: the same rows, the same counts.
  await watchRows(page);
  await type(page, 'contact ');
  await page.waitForTimeout(50); // a few frames: anything the virtualiser would still draw
  assert.deepEqual(await rowCounts(page), { added: 0, removed: 0, attributes: 0, text: 0 }, 'nothing redrawn');

  // A text that changes every row: only the rows of the window are drawn, not the list.
  await type(page, 'contact 1');
  await list(page).locator('.contact-row[data-jid="user1000@example.net"]').waitFor();
  const changed = await rowCounts(page);
  const after = await list(page).locator('.row').count();
  assert.ok(changed.added <= after, `rows drawn ${changed.added}, rows shown ${after}`);
  assert.ok(changed.added < 200, `no full render: ${changed.added} rows added`);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 14 #4: a push redraws only the rows it moves: the rows above it are left alone', async () => {
  const page = await openApp(env, { state: appState(), roster: bigRoster(2000) });
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-complete'));
  await list(page).locator('.contact-row[data-jid="user0005@example.net"]').waitFor();
  await watchRows(page);
  // A rename of a contact far below the window: nothing drawn changes.
  await page.evaluate(() =>
    window.harness.push({
      kind: 'upsert',
      item: {
        jid: 'user1999@example.net',
        name: 'Contact 1999 renamed',
        subscription: 'both',
        ask: null,
        approved: false,
        groups: ['Sports club'],
      },
      version: 'v2',
    }),
  );
  await page.waitForTimeout(50);
  assert.deepEqual(await rowCounts(page), { added: 0, removed: 0, attributes: 0, text: 0 }, 'nothing redrawn');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 14 #3: a contact row’s action icons are drawn by CSS while the row is hovered or focused, with no svg in the row', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await openApp(env, { state: appState(), roster: sampleRoster() }, { colorScheme });
    const romeo = list(page).locator('.contact-row[data-group="Friends"][data-jid="romeo@montague.example"]');
    await romeo.waitFor();
    assert.equal(await list(page).locator('.contact-row svg').count(), 0, 'no svg in a contact row');
    const glyph = (name: string) =>
      romeo.getByRole('button', { name }).evaluate((button) => {
        const style = getComputedStyle(button, '::before');
        return {
          content: style.content,
          mask: style.maskImage.startsWith('url("data:image/svg+xml'),
          width: style.width,
        };
      });
    assert.equal((await glyph('Edit Romeo Montague')).content, 'none', 'no icon while the actions are hidden');
    await romeo.hover();
    assert.deepEqual(await glyph('Edit Romeo Montague'), { content: '""', mask: true, width: '16px' });
    assert.deepEqual(await glyph('Remove Romeo Montague'), { content: '""', mask: true, width: '16px' });
    await screenshot(page, `issue-14-row-actions-hover-${colorScheme}`);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  }
});
