// Issue 12 #1/#3/#5: the contact list with a realistic roster (300 contacts
// in 12 groups, names in Latin, CJK, Arabic, Hebrew and emoji, presence and
// status texts) at 1280×800, 420×760, 320×400 and 1280×800 at 200% zoom
// (640×400 CSS pixels), light and dark: axe with its best-practice rules on
// the list and its menu, density measured, and a screenshot of each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { ContactPresence, RosterSnapshot } from '../../preload/contract.js';
import { appState, contact, openApp, pageProblems, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const GROUPS = ['Book club', 'Choir', 'Climbing', 'Family', 'Friends', 'Garden', 'Neighbours', 'Office', 'Running', 'School', 'Travel', 'Work']; // prettier-ignore
const NAMES = [
  'Romeo Montague', '田中 太郎', 'ليلى العربية', 'נועה כהן', '🎉 Party Bot', 'René Descartes', 'Zoë Ångström',
  '김민준', 'Mercutio', 'Άρτεμις Παππά', 'Иван Петров', 'Friar Laurence', '鈴木 一郎 (営業部)', 'محمد الأحمد',
  'דוד לוי', 'Benvolio', 'Nurse', 'Tybalt', 'Paris of Verona', 'Lady Capulet', 'Rosaline', 'Balthasar', 'Sampson',
  'Gregory', 'Abram',
]; // prettier-ignore
const STATUSES = [
  'At the ball',
  '出張中、来週の月曜日に戻ります',
  'في اجتماع حتى المساء',
  'בפגישה עד הערב',
  null,
  'Je pense, donc je suis',
];
const SHOWS = ['available', 'away', 'dnd', 'xa', 'chat'] as const;

function realisticRoster(): { roster: RosterSnapshot; presence: ContactPresence[] } {
  const items = Array.from({ length: 300 }, (_, i) =>
    contact(`c${i}@example.net`, {
      name: `${NAMES[i % NAMES.length]!}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length)}` : ''}`,
      groups: [GROUPS[i % GROUPS.length]!],
      subscription: i % 17 === 0 ? 'to' : i % 23 === 0 ? 'from' : 'both',
      ask: i % 29 === 0 ? 'subscribe' : null,
    }),
  );
  const presence = items
    .filter((_, i) => i % 3 === 0)
    .map((item, i) => ({ jid: item.jid, show: SHOWS[i % SHOWS.length]!, status: STATUSES[i % STATUSES.length]! }));
  return { roster: { account: 'juliet@example.com', version: 'real', items }, presence };
}

const SIZES = [
  { name: '1280x800', width: 1280, height: 800 },
  { name: '420x760', width: 420, height: 760 },
  { name: '320x400', width: 320, height: 400 },
  // 200% zoom of 1280×800: the same CSS pixels as a 640×400 window.
  { name: '1280x800-zoom200', width: 640, height: 400 },
];

async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'])
    .analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const size of SIZES) {
    test(`issue 12 #1/#3: the list at ${size.name} (${colorScheme}): dense, axe best-practice clean, menu inside`, async () => {
      const { roster, presence } = realisticRoster();
      const page = await openApp(
        env,
        {
          state: appState(),
          roster,
          responses: {
            getPresence: [
              {
                ok: true,
                value: {
                  contacts: presence,
                  requests: [],
                  own: { show: 'available', status: null },
                  preApprovalSupported: false,
                },
              },
            ],
          },
        },
        { viewport: { width: size.width, height: size.height }, colorScheme },
      );
      await page.locator('xm-contact-list .contact-row .presence.away').first().waitFor();
      const rowHeight = (await page.locator('xm-contact-list .contact-row').first().boundingBox())!.height;
      assert.ok(rowHeight <= 36, `one-line rows: ${rowHeight} px`);
      const shown = await page
        .locator('xm-contact-list .contact-row')
        .evaluateAll(
          (rows, h) =>
            rows.filter((r) => r.getBoundingClientRect().top >= 0 && r.getBoundingClientRect().bottom <= h).length,
          size.height,
        );
      if (size.name === '1280x800') assert.ok(shown > 9, `${shown} contacts fit at 1280×800`);
      await screenshot(page, `issue-12-list-${size.name}-${colorScheme}`);
      assert.deepEqual(await axeViolations(page), []);

      // The focused row's menu stays inside the window, and passes axe too.
      await page.keyboard.press('/');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Shift+F10');
      const menu = page.getByRole('menu');
      await menu.waitFor();
      const box = (await menu.boundingBox())!;
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height);
      await screenshot(page, `issue-12-menu-${size.name}-${colorScheme}`);
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(await pageProblems(page), []);
      await page.context().close();
    });
  }
}
