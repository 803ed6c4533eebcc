// Issue 14 #3 against the fake messenger: a fling lands where it was
// thrown. The list places rows at exact positions computed from the rows'
// kinds (renderer/components/rows-layout.ts), so a jump far down the list
// draws the right rows at once, with no scroll correction and no second
// layout pass; the stock flow layout estimates unmeasured rows at the
// average height, draws the wrong rows and moves the scroll position.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RosterSnapshot } from '../../preload/contract.js';
import { RosterModel } from '../../renderer/roster/roster-model.js';
import { buildRows } from '../../renderer/roster/rows.js';
import { appState, contact, openApp, pageProblems, useComponentEnv } from './support.js';

const env = useComponentEnv();

/** Many small groups: headers are a third of the rows. */
function manyGroups(): RosterSnapshot {
  const items = Array.from({ length: 3000 }, (_, i) =>
    contact(`u${String(i).padStart(4, '0')}@example.net`, {
      name: `Person ${String(i).padStart(4, '0')}`,
      groups: [`Team ${String(Math.floor(i / 2)).padStart(4, '0')}`],
    }),
  );
  return { account: 'juliet@example.com', version: 'v1', items };
}

test('issue 14 #3: a fling far down the list draws the exact rows at once, without moving the scroll position', async () => {
  const roster = manyGroups();
  const page = await openApp(env, { state: appState(), roster }, { viewport: { width: 480, height: 800 } });
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-complete'));
  const rows = buildRows(new RosterModel(roster).view, '', new Set());
  const list = page.locator('xm-contact-list .list');
  for (const offset of [60_000, 150_000, 20_000]) {
    const top = await list.evaluate(async (el, to) => {
      el.scrollTop = to;
      for (let i = 0; i < 4; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
      return el.scrollTop;
    }, offset);
    assert.equal(top, offset, 'no scroll correction');
    // The two heights the stylesheet gives the rows (the layout learns them from the rows it measures).
    const heights = await list.evaluate((el) => ({
      header: el.querySelector<HTMLElement>('.group-row')!.getBoundingClientRect().height,
      contact: el.querySelector<HTMLElement>('.contact-row')!.getBoundingClientRect().height,
    }));
    const expected = rows.indexAt(offset, heights.header, heights.contact);
    // The row drawn at the top of the viewport is the one the exact geometry puts there.
    const atTop = await list.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const hit =
        el.getRootNode() instanceof ShadowRoot
          ? (el.getRootNode() as ShadowRoot).elementFromPoint(box.left + 40, box.top + 2)
          : null;
      return Number(hit?.closest('[data-index]')?.getAttribute('data-index'));
    });
    assert.equal(atTop, expected, `at ${offset} px`);
  }
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
