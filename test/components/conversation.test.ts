// Issue 10 #2–#5 (the conversation view): opening, sending, receiving,
// states, retry, gaps, paging back, typing, hostile bodies, links, the
// composer's limit and drafts, Ctrl+F search; in Chromium with the fake API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { MESSAGE_LIMITS, type ChatMessage } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';
import type { HarnessSetup } from './harness.js';
import {
  OWN,
  ROMEO,
  longConversation,
  openConversation,
  ours,
  romeoConversation,
  theirs,
  today,
} from './conversation-data.js';

const env = useComponentEnv();
const WIDE = { width: 1280, height: 800 };

function setup(messages: HarnessSetup['messages'] = { messages: romeoConversation() }): HarnessSetup {
  return { state: appState(), roster: sampleRoster(), messages };
}

const conversation = (page: Page) => page.locator('xm-conversation');
const log = (page: Page) => page.getByRole('log');
const rows = (page: Page) => page.locator('xm-conversation .entry');
const row = (page: Page, id: string) => page.locator(`xm-conversation .entry[data-id="${id}"]`);
const field = (page: Page) => page.getByRole('textbox', { name: /^Message to / });

async function calls(page: Page, method: string): Promise<unknown[][]> {
  return page.evaluate((m) => window.harness.calls.filter((c) => c.method === m).map((c) => c.args), method);
}

async function openRomeo(messages?: HarnessSetup['messages'], viewport = WIDE): Promise<Page> {
  const page = await openApp(env, setup(messages), { viewport });
  await openConversation(page, ROMEO);
  return page;
}

/** The scroll position of the history and where a row sits on screen. */
const rowTop = (page: Page, id: string) => row(page, id).evaluate((el) => el.getBoundingClientRect().top);

test('issue 10 #2: OPEN_CONVERSATION opens the newest page: day separators, theirs left and ours right, our states', async () => {
  const page = await openRomeo();
  assert.deepEqual(await calls(page, 'getHistory'), [[{ jid: ROMEO, limit: 50 }]]);
  assert.equal(await rows(page).count(), romeoConversation().length);
  assert.deepEqual(await page.locator('xm-conversation .day').allInnerTexts(), ['Yesterday', 'Today']);
  assert.equal(await log(page).getAttribute('aria-label'), 'Messages with Romeo Montague');
  const first = page.locator('xm-conversation .message.in .bubble').first();
  const mine = page.locator('xm-conversation .message.out .bubble').first();
  const [a, b] = [await first.boundingBox(), await mine.boundingBox()];
  assert.ok(a && b && a.x < b.x, 'theirs on the left, ours on the right');
  // Each message reads whole for a screen reader: who, when, and where ours is.
  assert.match((await page.locator('xm-conversation .message.out').last().textContent()) ?? '', /You, .*, Sent:/);
  assert.equal(await page.locator('xm-conversation .state.delivered').count(), 1);
  assert.ok(await page.getByText('This is the start of your conversation with Romeo Montague.').isVisible());
  // The newest is in view and the window is focused: read up to the newest of theirs.
  await page.waitForFunction(() => window.harness.callCount('markRead') === 1);
  assert.deepEqual(await calls(page, 'markRead'), [[{ jid: ROMEO, upTo: 'r6' }]]);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #3: Enter sends (the call, and the row at once as "Waiting to send"), Shift+Enter is a new line; the states follow', async () => {
  const page = await openRomeo();
  await field(page).focus();
  await page.keyboard.type('Noon it is.');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('Wear the mask.');
  await page.keyboard.press('Enter');
  assert.deepEqual(await calls(page, 'sendMessage'), [[{ to: ROMEO, body: 'Noon it is.\nWear the mask.' }]]);
  const sent = rows(page).last();
  await sent.locator('.state-words', { hasText: 'Waiting to send' }).waitFor();
  assert.equal(await sent.locator('.body').innerText(), 'Noon it is.\nWear the mask.');
  assert.equal(await field(page).inputValue(), '', 'the field is emptied');
  const id = (await sent.getAttribute('data-id')) ?? '';
  assert.match(id, /^fake-/, 'the row is the message sendMessage answered');
  await screenshot(page, 'issue10-sending-light');

  // Main reports each step: sending, sent (XEP-0198 ack), delivered (receipt), read (marker).
  for (const [state, words] of [
    ['sending', 'Sending…'],
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['read', 'Read'],
  ] as const) {
    await page.evaluate(
      ([i, s, own, to]) =>
        window.harness.receive({
          id: i,
          conversation: to,
          direction: 'out',
          from: own,
          to,
          body: 'Noon it is.\nWear the mask.',
          time: Date.now(),
          seq: 5000,
          state: s,
        }),
      [id, state, OWN, ROMEO] as const,
    );
    await page.waitForFunction(
      ([i, w]) => {
        const host = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-conversation');
        const el = host?.shadowRoot?.querySelector(`.entry[data-id="${i}"]`);
        return el?.textContent.includes(`${w}:`) ?? false;
      },
      [id, words] as const,
    );
  }
  assert.equal(await rows(page).count(), romeoConversation().length + 1, 'upserted by id: still one row');
  assert.equal(await row(page, id).locator('.state.read').count(), 1);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: a message received live is placed by (time, seq), announced politely and marked read when in view', async () => {
  const page = await openRomeo();
  await page.waitForFunction(() => window.harness.callCount('markRead') === 1);
  const live: ChatMessage = theirs('But soft, what light through yonder window breaks?', today(8, 50), {
    id: 'live-1',
    seq: 2000,
  });
  await page.evaluate((m) => window.harness.receive(m), live);
  await row(page, 'live-1').waitFor();
  assert.equal(await rows(page).last().getAttribute('data-id'), 'live-1');
  assert.equal(
    await page.locator('xm-conversation [role="status"]').innerText(),
    'Romeo Montague: But soft, what light through yonder window breaks?',
  );
  await page.waitForFunction(() => window.harness.callCount('markRead') === 2);
  assert.deepEqual((await calls(page, 'markRead'))[1], [{ jid: ROMEO, upTo: 'live-1' }]);
  // An older one (delayed, say) goes to its place, not to the end.
  await page.evaluate(
    (m) => window.harness.receive(m),
    theirs('Late, from the morning', today(8, 35), { id: 'late', seq: 2001 }),
  );
  await row(page, 'late').waitFor();
  const order = await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
  assert.deepEqual(order.slice(-6), ['r6', 'late', 'r7', 'r8', 'r9', 'live-1']);
  // Another conversation's message is not drawn here.
  await page.evaluate(
    (m) => window.harness.receive(m),
    theirs('Wherefore?', today(9), { id: 'other', conversation: 'nurse@capulet.example', seq: 2002 }),
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  assert.equal(await row(page, 'other').count(), 0);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: a failed message says why and Retry sends it again (retryMessage)', async () => {
  const failed = ours('Is the friar in?', today(8, 45), 'failed', {
    id: 'f1',
    seq: 3000,
    error: { code: 'service-unavailable', message: 'The server refused it: the recipient does not exist.' },
  });
  const page = await openRomeo({ messages: [...romeoConversation(), failed] });
  const entry = row(page, 'f1');
  await entry.getByText('Not sent: The server refused it: the recipient does not exist.').waitFor();
  await screenshot(page, 'issue10-failed-light');
  const retry = entry.getByRole('button', { name: 'Retry sending this message' });
  await retry.focus();
  await page.keyboard.press('Enter');
  await entry.locator('.state-words', { hasText: 'Waiting to send' }).waitFor();
  assert.deepEqual(await calls(page, 'retryMessage'), [['f1']]);
  assert.equal(await entry.getByRole('button', { name: /Retry/ }).count(), 0);
  // Refused again, live: said in the polite status too, and Retry is back.
  await page.evaluate((m) => window.harness.receive(m), {
    ...failed,
    error: { code: 'service-unavailable' as const, message: 'Refused again.' },
  });
  await entry.getByRole('button', { name: 'Retry sending this message' }).waitFor();
  assert.equal(await page.locator('xm-conversation [role="status"]').innerText(), 'Not sent: Refused again.');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: a gap marker "Earlier messages may be missing" stands at its place, also when it arrives live', async () => {
  const gap = { kind: 'gap' as const, id: 'g1', time: today(8, 0), seq: 4000 };
  const page = await openRomeo({ messages: romeoConversation(), gaps: [{ jid: ROMEO, gap }] });
  const marker = row(page, 'g1');
  await marker.getByText('Earlier messages may be missing').waitFor();
  const order = await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
  assert.equal(order.indexOf('g1'), order.indexOf('r5') - 1, 'before this morning’s first message');
  // A minute after the newest message (this morning's, at fixed hours, can be ahead of the clock just after midnight).
  const later = Math.max(Date.now(), today(8, 42)) + 60_000;
  await page.evaluate(
    ([j, time]) =>
      window.harness.emit({
        type: 'gap',
        jid: j,
        gap: { kind: 'gap', id: 'g2', time, seq: 4001 },
      }),
    [ROMEO, later] as const,
  );
  await row(page, 'g2').waitFor();
  assert.equal(await rows(page).last().getAttribute('data-id'), 'g2');
  await screenshot(page, 'issue10-gap-light');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: a conversation of 100,000 stored messages opens with only the newest page loaded and drawn', async () => {
  // Made in the page and mounted there: 100,000 messages are too many to pass from the test.
  const context = await env.browser.newContext({ viewport: WIDE, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(env.url);
  const base = setup({ messages: [] });
  await page.evaluate(
    ([s, jid, own]) => {
      const messages = Array.from({ length: 100_000 }, (_, i) => {
        const out = i % 3 === 0;
        return {
          id: `big${i}`,
          conversation: jid,
          direction: out ? ('out' as const) : ('in' as const),
          from: out ? own : jid,
          to: out ? jid : own,
          body: `Message ${i}`,
          time: Date.UTC(2025, 0, 1) + i * 60_000,
          seq: i + 1,
          state: out ? ('read' as const) : ('received' as const),
        };
      });
      window.harness.mount({ ...s, messages: { messages } });
    },
    [base, ROMEO, OWN] as const,
  );
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-loaded'));
  const started = Date.now();
  await openConversation(page, ROMEO);
  await row(page, 'big99999').waitFor();
  const opened = Date.now() - started;
  assert.deepEqual(await calls(page, 'getHistory'), [[{ jid: ROMEO, limit: 50 }]]);
  assert.equal(await rows(page).count(), 50);
  // The newest is at the bottom, in view.
  const view = await log(page).boundingBox();
  const newest = await row(page, 'big99999').boundingBox();
  assert.ok(view && newest && newest.y + newest.height <= view.y + view.height + 1 && newest.y >= view.y);
  console.log(`# opened 100,000-message conversation in ${opened} ms (fake API, its own sort included)`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('issue 10 #2: scrolling up pages back (getHistory before the oldest) and keeps the message in view where it was; the drawn part stays bounded', async () => {
  const page = await openRomeo({ messages: longConversation(1000) });
  assert.equal(await rows(page).count(), 50);
  // Scroll up until the older page arrives; the message at the top stays put on screen.
  const anchor = 'h960';
  await row(page, anchor).waitFor();
  await log(page).evaluate((el) => (el.scrollTop = 0));
  await page.waitForFunction(() => window.harness.callCount('getHistory') === 2);
  assert.deepEqual((await calls(page, 'getHistory'))[1], [{ jid: ROMEO, before: 'h950', limit: 50 }]);
  await row(page, 'h900').waitFor({ state: 'attached' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const logTop = (await log(page).boundingBox())?.y ?? 0;
  // Where h950 (the oldest before the page) is now: below the new page, the view did not jump to the new top.
  const top950 = await rowTop(page, 'h950');
  assert.ok(top950 > logTop - 5, `h950 still near the top of the view (${top950} vs ${logTop})`);
  assert.ok(top950 < logTop + 200, `… not pushed down by the page above it (${top950})`);

  // Far back: the drawn part never grows past a few hundred rows.
  for (let i = 0; i < 12; i++) {
    const before = await page.evaluate(() => window.harness.callCount('getHistory'));
    await log(page).evaluate((el) => (el.scrollTop = 0));
    await page.waitForFunction((n) => window.harness.callCount('getHistory') > n, before);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  const drawn = await rows(page).count();
  assert.ok(drawn <= 250, `${drawn} rows drawn`);
  // And back down to the newest, drawn again from memory (no further calls).
  const callsBefore = await page.evaluate(() => window.harness.callCount('getHistory'));
  const newest = page.getByRole('button', { name: /Newest messages/ });
  await newest.click();
  await row(page, 'h999').waitFor();
  assert.equal(await page.evaluate(() => window.harness.callCount('getHistory')), callsBefore);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: "typing…" shows on their composing and goes on paused or their message; ours is sent as composing, paused, active', async () => {
  const page = await openRomeo();
  const typing = page.locator('xm-conversation .typing');
  const state = (s: string) =>
    page.evaluate(([j, st]) => window.harness.emit({ type: 'chat-state', jid: j, state: st as 'composing' }), [
      ROMEO,
      s,
    ] as const);
  await state('composing');
  await page.getByText('Romeo Montague is typing…').waitFor();
  await screenshot(page, 'issue10-typing-light');
  await state('paused');
  await page.waitForFunction(
    () =>
      document
        .querySelector('xm-app')
        ?.shadowRoot?.querySelector('xm-conversation')
        ?.shadowRoot?.querySelector('.typing')?.textContent === '',
  );
  await state('composing');
  await typing.getByText('typing…').waitFor();
  await page.evaluate((m) => window.harness.receive(m), theirs('Here I am.', Date.now(), { id: 't1', seq: 6000 }));
  await row(page, 't1').waitFor();
  assert.equal(await typing.innerText(), '');

  // Ours: one 'composing' for many keys, 'active' when the field is emptied.
  await field(page).focus();
  await page.keyboard.type('abc');
  await page.waitForFunction(() => window.harness.callCount('setChatState') === 1);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => window.harness.callCount('setChatState') === 2);
  assert.deepEqual(await calls(page, 'setChatState'), [
    [{ jid: ROMEO, state: 'composing' }],
    [{ jid: ROMEO, state: 'active' }],
  ]);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: text is text: markup shown as typed, an RTL override stays inside its bubble, 20,000 characters wrap inside it', async () => {
  const hostile = [
    theirs('<img src=x onerror="window.pwned=1"><b>bold?</b>', today(9, 1), { id: 'x1', seq: 7001 }),
    theirs('\u202Egnirts desrever a\u202C then normal', today(9, 2), { id: 'x2', seq: 7002 }),
    theirs('שלום, מה שלומך? 😀👍🏽 e\u0301 ﷽', today(9, 3), { id: 'x3', seq: 7003 }),
    theirs('W'.repeat(MESSAGE_LIMITS.bodyChars), today(9, 4), { id: 'x4', seq: 7004 }),
    theirs('javascript:alert(1) file:///etc/passwd data:text/html,hi', today(9, 5), { id: 'x5', seq: 7005 }),
  ];
  const page = await openRomeo({ messages: hostile });
  await row(page, 'x4').waitFor();
  const first = row(page, 'x1');
  assert.equal(await first.locator('.body').innerText(), '<img src=x onerror="window.pwned=1"><b>bold?</b>');
  assert.equal(await page.locator('xm-conversation img, xm-conversation b').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  for (const id of ['x1', 'x2', 'x3', 'x4'])
    assert.equal(await row(page, id).locator('.body').getAttribute('dir'), 'auto');
  // The override is isolated: the time after it reads left to right as before.
  const bidi = await row(page, 'x2')
    .locator('.body')
    .evaluate((el) => getComputedStyle(el).unicodeBidi);
  assert.equal(bidi, 'isolate');
  assert.match(await row(page, 'x2').locator('time').innerText(), /^\d\d:\d\d [AP]M$/);
  // The long word wraps inside the bubble; nothing scrolls sideways.
  const wrap = await log(page).evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(wrap.scroll <= wrap.client, `no sideways scroll (${wrap.scroll} > ${wrap.client})`);
  const bubble = await row(page, 'x4').locator('.bubble').boundingBox();
  const view = await log(page).boundingBox();
  assert.ok(bubble && view && bubble.x + bubble.width <= view.x + view.width);
  // No link for schemes other than http, https, xmpp.
  assert.equal(await row(page, 'x5').locator('a').count(), 0);
  await row(page, 'x3').scrollIntoViewIfNeeded();
  await screenshot(page, 'issue10-hostile-bodies-light');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #2: a link opens only after a confirmation that shows the full address (then xm-open-external for main)', async () => {
  const page = await openRomeo({
    messages: [
      ...romeoConversation(),
      theirs('See (https://xn--80ak6aa92e.com/путь?q=1#top) and xmpp:friar@verona.example?message.', today(8, 50), {
        id: 'l1',
        seq: 8000,
      }),
    ],
  });
  const address = page.url();
  await page.evaluate(() => {
    (window as unknown as { opened: string[] }).opened = [];
    window.addEventListener('xm-open-external', (e) =>
      (window as unknown as { opened: string[] }).opened.push(e.detail.url),
    );
  });
  const links = row(page, 'l1').locator('a');
  assert.deepEqual(await links.allInnerTexts(), [
    'https://xn--80ak6aa92e.com/путь?q=1#top',
    'xmpp:friar@verona.example?message',
  ]);
  // By keyboard: focus the link, Enter: the dialog, nothing opened or navigated yet.
  await links.first().focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Open this address?' });
  await dialog.waitFor();
  assert.equal(
    await dialog.locator('.address').innerText(),
    'https://xn--80ak6aa92e.com/%D0%BF%D1%83%D1%82%D1%8C?q=1#top',
  );
  await screenshot(page, 'issue10-link-confirm-light');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await page.evaluate(() => (window as unknown as { opened: string[] }).opened), []);
  await links.nth(1).click();
  await dialog.getByRole('button', { name: 'Open' }).click();
  assert.deepEqual(await page.evaluate(() => (window as unknown as { opened: string[] }).opened), [
    'xmpp:friar@verona.example?message',
  ]);
  assert.equal(page.url(), address, 'the page itself never navigated');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #3: the length limit is said before sending: a counter near it, Send disabled over it; the draft is kept per conversation', async () => {
  const page = await openRomeo();
  const send = page.getByRole('button', { name: 'Send' });
  await field(page).fill('x'.repeat(MESSAGE_LIMITS.bodyChars - 10));
  await page.getByText(`${(MESSAGE_LIMITS.bodyChars - 10).toLocaleString('en-US')} of 20,000 characters`).waitFor();
  assert.equal(await send.isDisabled(), false);
  await field(page).fill('x'.repeat(MESSAGE_LIMITS.bodyChars + 5));
  await page.getByText(/Too long to send: 20,005 of 20,000 characters\. Shorten it by 5\./).waitFor();
  assert.equal(await send.isDisabled(), true);
  assert.equal(await field(page).getAttribute('aria-invalid'), 'true');
  await field(page).press('Enter');
  assert.equal(await page.evaluate(() => window.harness.callCount('sendMessage')), 0);

  // A draft stays with its conversation while another is open.
  await field(page).fill('For Romeo only');
  await openConversation(page, 'nurse@capulet.example');
  await page.getByRole('heading', { name: 'Nurse' }).waitFor();
  assert.equal(await field(page).inputValue(), '');
  await field(page).fill('For the nurse');
  await openConversation(page, ROMEO);
  await page.getByRole('heading', { name: 'Romeo Montague' }).waitFor();
  assert.equal(await field(page).inputValue(), 'For Romeo only');
  await openConversation(page, 'nurse@capulet.example');
  assert.equal(await field(page).inputValue(), 'For the nurse');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #4: Ctrl+F searches this conversation; choosing a hit by keyboard loads the pages back to it, scrolls to it and highlights it', async () => {
  const history = longConversation(1000);
  history[20] = { ...history[20]!, body: 'Where is the nightingale singing?' };
  const page = await openRomeo({ messages: history });
  await field(page).focus();
  await page.keyboard.press('Control+F');
  const search = page.getByRole('searchbox', { name: 'Search in this conversation' });
  await search.waitFor();
  assert.ok(await search.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el));
  await page.keyboard.type('nightingale');
  await page.getByText('1 match:').waitFor();
  assert.deepEqual((await calls(page, 'searchMessages')).at(-1), [{ query: 'nightingale', jid: ROMEO, limit: 50 }]);
  assert.equal(await conversation(page).locator('mark').innerText(), 'nightingale');
  await screenshot(page, 'issue10-search-light');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const hit = row(page, 'h20');
  await hit.waitFor();
  await page.waitForFunction(() => {
    const host = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-conversation');
    return host?.shadowRoot?.activeElement?.getAttribute('data-id') === 'h20';
  });
  assert.match((await hit.getAttribute('class')) ?? '', /highlight/);
  const view = await log(page).boundingBox();
  const box = await hit.boundingBox();
  assert.ok(view && box && box.y >= view.y && box.y + box.height <= view.y + view.height, 'in view');
  // Escape closes the search and gives focus back to the field.
  await search.focus();
  await page.keyboard.press('Escape');
  await search.waitFor({ state: 'detached' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 10 #5: the conversation at 320×400 and in dark: everything reachable, nothing sideways', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await openApp(env, setup(), { viewport: { width: 320, height: 400 }, colorScheme });
    await openConversation(page, ROMEO);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `page ${width} px wide`);
    for (const name of ['Back to contacts', 'Search in this conversation', 'Send'])
      assert.ok(await page.getByRole('button', { name }).isVisible(), name);
    assert.ok(await field(page).isVisible());
    await screenshot(page, `issue10-conversation-320x400-${colorScheme}`);
    assert.deepEqual(await pageProblems(page), []);
    await page.context().close();
  }
});
