// Issue 10 #1 (layout): the two panes, the splitter, the narrow layout's back
// button, the empty state, CONVERSATION_SHOWN; screenshots light and dark,
// wide (1280×800) and narrow (420×760).
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { test } from 'node:test';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';
import type { HarnessSetup } from './harness.js';
import {
  ROMEO,
  openConversation,
  ours,
  recordShown,
  romeoConversation,
  shownSoFar,
  theirs,
  today,
} from './conversation-data.js';

const env = useComponentEnv();
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 420, height: 760 };

function setup(overrides: Partial<HarnessSetup> = {}): HarnessSetup {
  return { state: appState(), roster: sampleRoster(), messages: { messages: romeoConversation() }, ...overrides };
}

test('issue 10 #1: two panes, the list left and "Choose a contact" right, until OPEN_CONVERSATION opens one (CONVERSATION_SHOWN says which)', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await openApp(env, setup(), { viewport: WIDE, colorScheme });
    await recordShown(page);
    const empty = page.getByText('Choose a contact to start a conversation');
    await empty.waitFor();
    const list = await page.locator('xm-roster-screen').boundingBox();
    const pane = await page.locator('.conversation-pane').boundingBox();
    assert.ok(list && pane && list.x < pane.x && list.width >= 240 && pane.width > 600, 'side by side');
    await screenshot(page, `issue10-panes-empty-wide-${colorScheme}`);

    await openConversation(page, ROMEO);
    await page.getByRole('heading', { name: 'Romeo Montague' }).waitFor();
    assert.equal(await empty.count(), 0);
    // Focus lands in the message field, ready to type.
    await page.waitForFunction(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.localName === 'textarea';
    });
    assert.deepEqual(await shownSoFar(page), [ROMEO]);
    await screenshot(page, `issue10-conversation-wide-${colorScheme}`);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  }
});

test('issue 10 #1: below 700 px one pane at a time, with a back button', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await openApp(env, setup(), { viewport: NARROW, colorScheme });
    await recordShown(page);
    const list = page.locator('xm-roster-screen');
    await list.waitFor();
    // No conversation yet: the list alone, no empty pane beside it.
    assert.equal(await page.getByText('Choose a contact to start a conversation').isVisible(), false);
    assert.equal((await list.boundingBox())?.width, NARROW.width);

    await openConversation(page, ROMEO);
    assert.equal(await list.isVisible(), false, 'the list gives way to the conversation');
    const back = page.getByRole('button', { name: 'Back to contacts' });
    await back.waitFor();
    assert.equal((await page.locator('xm-conversation').boundingBox())?.width, NARROW.width);
    assert.deepEqual(await shownSoFar(page), [ROMEO]);
    await screenshot(page, `issue10-conversation-narrow-${colorScheme}`);

    // Back by keyboard: the list again, focus on it, and no conversation in view any more.
    await back.focus();
    await page.keyboard.press('Enter');
    await list.waitFor();
    assert.equal(await page.locator('xm-conversation').isVisible(), false);
    assert.deepEqual(await shownSoFar(page), [ROMEO, null]);
    const focusIn = await page.evaluate(() => {
      let el = document.activeElement;
      const path: string[] = [];
      while (el) {
        path.push(el.localName);
        el = el.shadowRoot?.activeElement ?? null;
      }
      return path;
    });
    assert.ok(focusIn.includes('xm-contact-list'), `focus is in the list: ${focusIn.join(' > ')}`);
    // Out of view: a message arriving now is not marked read.
    const marked = await page.evaluate(() => window.harness.callCount('markRead'));
    await page.evaluate(
      (m) => window.harness.receive(m),
      theirs('Are you there?', Date.now(), { id: `hidden-${colorScheme}`, seq: 9000 }),
    );
    await page.locator(`xm-conversation .entry[data-id="hidden-${colorScheme}"]`).waitFor({ state: 'attached' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.evaluate(() => window.harness.callCount('markRead')), marked);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  }
});

test('issue 10 #1: the splitter resizes the list by keyboard (arrows, Home, End) and the width is remembered per account', async () => {
  const page = await openApp(env, setup(), { viewport: WIDE });
  const splitter = page.getByRole('separator', { name: 'Contact list width' });
  await splitter.waitFor();
  const width = async () => (await page.locator('.list-pane').boundingBox())?.width ?? 0;
  const start = await width();
  assert.equal(Number(await splitter.getAttribute('aria-valuenow')), start);
  await splitter.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await width(), start + 32);
  assert.equal(Number(await splitter.getAttribute('aria-valuenow')), start + 32);
  await page.keyboard.press('Shift+ArrowLeft');
  assert.equal(await width(), start + 32 - 64);
  await page.keyboard.press('Home');
  assert.equal(await width(), Number(await splitter.getAttribute('aria-valuemin')));
  await page.keyboard.press('End');
  const max = Number(await splitter.getAttribute('aria-valuemax'));
  assert.equal(await width(), max);
  assert.ok(max <= WIDE.width - 360, 'the conversation keeps room');
  await page.keyboard.press('ArrowLeft');
  assert.equal(
    await page.evaluate(() => localStorage.getItem('balcony.list-width.juliet@example.com')),
    String(max - 16),
  );

  // Mounted again (a restart): the same width; another account starts from the default.
  await page.evaluate(() => document.querySelector('xm-app')?.remove());
  await page.evaluate((s) => window.harness.mount(s), setup());
  await splitter.waitFor();
  assert.equal(await width(), max - 16);
  await page.evaluate(() => document.querySelector('xm-app')?.remove());
  const other = setup({
    state: appState({ account: { jid: 'nurse@capulet.example', host: null, port: null, rememberPassword: false } }),
  });
  await page.evaluate((s) => window.harness.mount(s), other);
  await splitter.waitFor();
  assert.equal(await width(), start);
  // A window that starts narrow does not shrink the width kept for wide ones.
  await page.setViewportSize({ width: 420, height: 760 });
  await page.evaluate(() => document.querySelector('xm-app')?.remove());
  await page.evaluate((s) => window.harness.mount(s), setup());
  await page.locator('xm-roster-screen').waitFor();
  await page.setViewportSize(WIDE);
  await splitter.waitFor();
  assert.equal(await width(), max - 16);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'])
    .analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const size of [
    { name: '1280x800', width: 1280, height: 800 },
    { name: '420x760', width: 420, height: 760 },
    // 200% zoom of 1280×800: the same CSS pixels as a 640×400 window.
    { name: '1280x800-zoom200', width: 640, height: 400 },
  ]) {
    test(`issue 10 #5: a conversation at ${size.name} (${colorScheme}) with every kind of entry passes axe, nothing sideways`, async () => {
      const messages = [
        ...romeoConversation(),
        ours('Is the friar in?', today(8, 45), 'failed', {
          id: 'f1',
          seq: 3000,
          error: { code: 'service-unavailable', message: 'The server refused it.' },
        }),
        ours('On my way', today(8, 46), 'queued', { id: 'q1', seq: 3001 }),
        theirs('Come at once: https://verona.example/chapel', today(8, 47), { id: 'l1', seq: 3002 }),
      ];
      const gaps = [{ jid: ROMEO, gap: { kind: 'gap' as const, id: 'g1', time: today(8, 0), seq: 2999 } }];
      const page = await openApp(env, setup({ messages: { messages, gaps } }), {
        viewport: { width: size.width, height: size.height },
        colorScheme,
      });
      await openConversation(page, ROMEO);
      await page.evaluate((j) => window.harness.emit({ type: 'chat-state', jid: j, state: 'composing' }), ROMEO);
      await page.getByText('Romeo Montague is typing…').waitFor();
      assert.deepEqual(await axeViolations(page), []);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= size.width, `page ${width} px wide`);
      await screenshot(page, `issue10-states-${size.name}-${colorScheme}`);
      assert.deepEqual(await pageProblems(page), []);
      await page.context().close();
    });
  }
}
