/**
 * Issue 14 #1 end to end: the built renderer in Chromium, the real core,
 * a real Prosody. The list opens on its first page (getRosterPage) and the
 * rest comes as chunks (getRosterChunk), held back here at the bridge so
 * that a second real client's push, a fold, a search and a full resync
 * (a 'reset') happen while the list is still loading. The first page is the
 * first rows of the complete list in the renderer's own order (accents,
 * several groups, no group), and once the last chunk is in the list holds
 * every contact once, in the right groups with the right counts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { RosterItem } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { RosterModel } from '../../renderer/roster/roster-model.js';
import { buildRows } from '../../renderer/roster/rows.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir } from '../support/roster-fixtures.js';
import { fillSignIn, openApp, shoot, type E2eApp } from './fixtures.js';

const NAMES = ['Émile', 'emile', 'Zoë', 'Øyvind', 'Ängel', 'Straße', '李雷', 'Ann 10', 'Ann 9', 'Bob'];
const GROUPS: string[][] = [['Friends'], ['Family', 'Friends'], [], ['Équipe'], ['Work']];
const CONTACTS = Array.from({ length: 60 }, (_, i) => ({
  jid: `c${String(i).padStart(2, '0')}@example.net`,
  ...(i % 6 === 5 ? {} : { name: `${NAMES[i % NAMES.length]} ${i}` }),
  groups: GROUPS[i % GROUPS.length]!,
}));

/** The rows the renderer draws from the whole roster (its own model and sort), as text. */
function expectedRows(items: RosterItem[], folded: ReadonlySet<string> = new Set()): string[] {
  const rows = buildRows(new RosterModel({ account: 'juliet@localhost', version: null, items }).view, '', folded);
  return Array.from({ length: rows.length }, (_, i) => {
    const row = rows.at(i)!;
    return row.kind === 'group'
      ? `# ${row.group} ${row.count}`
      : row.kind === 'contact'
        ? `${row.group}: ${row.entry.item.jid}`
        : '…';
  });
}

/** The rows drawn, in list order, as text ('' for "No group", as data-group has it). */
function drawnRows(page: Page): Promise<string[]> {
  return page.locator('xm-contact-list [role="treeitem"]').evaluateAll((items) =>
    items
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((el) => {
        if (el.classList.contains('placeholder-row')) return '…';
        if (!el.classList.contains('group-row'))
          return `${el.getAttribute('data-group')}: ${el.getAttribute('data-jid')}`;
        const name = el.querySelector('.group-name')!.textContent;
        return `# ${name === 'No group' ? '' : name} ${el.querySelector('.count')!.textContent}`;
      }),
  );
}

/** How many rows the list has (group headers, contacts, contacts still loading), drawn or not. */
const setSize = (page: Page): Promise<number> =>
  page.locator('xm-contact-list [role="tree"]').evaluate((el) => Number(el.getAttribute('data-row-count')));

describe('issue 14 #1: chunked roster load end to end (Chromium + real core + Prosody)', { timeout: 240_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;
  /** While set, getRosterChunk calls wait for it. */
  let held: { promise: Promise<void>; release: () => void; calls: number } | null = null;
  const hold = (): void => {
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    held = { promise, release, calls: 0 };
  };
  const releaseHeld = (): void => {
    const h = held;
    held = null;
    h?.release();
  };
  const chunkAsked = async (): Promise<void> => {
    const h = held!;
    for (let i = 0; i < 200 && h.calls === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(h.calls > 0, 'the renderer asked for a chunk');
  };
  const complete = (p: Page): Promise<unknown> =>
    p.waitForFunction(() => (window as unknown as { __complete?: number }).__complete !== undefined);

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await seedRoster(server, 'juliet', 'secret', CONTACTS);
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8') },
    });
    app = await openApp(service, {
      // Counts the list's complete loads (xm-roster-complete bubbles to the document).
      initScripts: [
        "document.addEventListener('xm-roster-complete', () => { window.__complete = (window.__complete ?? 0) + 1; });",
      ],
      beforeCall: async (channel) => {
        const h = held;
        if (channel !== 'getRosterChunk' || !h) return;
        h.calls += 1;
        await h.promise;
      },
    });
    page = app.page;
  });
  after(async () => {
    releaseHeld();
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 14 #1: the first page is the first rows of the complete list; a push, a fold and a search mid-load; then complete', async () => {
    hold();
    await fillSignIn(page, server.port);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await chunkAsked();
    const items = service.getRoster().items;
    assert.equal(items.length, CONTACTS.length);
    const expected = expectedRows(items);
    assert.equal(await setSize(page), expected.length, 'the final length while loading');
    const drawnWhileLoading = await drawnRows(page);
    const firstPage = drawnWhileLoading.slice(0, drawnWhileLoading.indexOf('…'));
    assert.ok(firstPage.length >= 10, `the first page shows rows: ${firstPage.length}`);
    assert.deepEqual(firstPage, expected.slice(0, firstPage.length), 'the first page is the first rows, in order');
    await shoot(page, 'roster-first-page');

    // A second real client adds a contact that sorts first: the push lands while the chunk waits.
    const other = openCore(server, 'juliet', 'secret', { resource: 'phone' });
    try {
      await other.session.start({ failFast: true });
      await other.roster.retrieve();
      await other.roster.add({ jid: 'aaron@example.com', name: 'Aaron', groups: ['Family'] });
    } finally {
      await other.close();
    }
    await page.locator('.contact-row[data-group="Family"][data-jid="aaron@example.com"]').waitFor();
    // A search while loading, then a fold.
    await page.getByLabel('Search contacts by name or address').fill('aaron');
    await page.locator('.contact-row[data-jid="aaron@example.com"]').waitFor();
    await page.getByLabel('Search contacts by name or address').fill('');
    await page.locator('xm-contact-list .group-row').filter({ hasText: 'Family' }).click();
    await page.locator('.contact-row[data-group="Family"]').first().waitFor({ state: 'detached' });

    releaseHeld();
    await complete(page);
    const now = service.getRoster().items;
    assert.equal(now.length, CONTACTS.length + 1);
    const folded = expectedRows(now, new Set(['Family']));
    assert.equal(await setSize(page), folded.length, 'every contact once, Family folded');
    const drawn = await drawnRows(page);
    assert.ok(!drawn.includes('…'), 'no placeholder left');
    assert.deepEqual(drawn, folded.slice(0, drawn.length));
    await page.locator('xm-contact-list .group-row').filter({ hasText: 'Family' }).click();
    assert.equal(await setSize(page), expectedRows(now).length);
    assert.deepEqual(app.pageErrors, []);
  });

  it('issue 14 #1: a reset mid-load (the whole roster fetched again) loads the list again through the first page', async () => {
    hold();
    const pagesBefore = app.bridged.handled.filter((h) => h.channel === 'getRosterPage').length;
    const eventsBefore = app.bridged.events.length;
    const resync = await service.resyncRoster();
    assert.equal(resync.count, CONTACTS.length + 1);
    await chunkAsked();
    assert.equal(app.bridged.handled.filter((h) => h.channel === 'getRosterPage').length, pagesBefore + 1);
    assert.equal(
      app.bridged.events.slice(eventsBefore).filter((e) => e.type === 'roster' && e.change.kind === 'reset').length,
      1,
      'one light reset event, never the roster itself',
    );
    releaseHeld();
    await page.waitForFunction(() => (window as unknown as { __complete?: number }).__complete === 2);
    const expected = expectedRows(service.getRoster().items);
    assert.equal(await setSize(page), expected.length);
    const drawn = await drawnRows(page);
    assert.deepEqual(drawn, expected.slice(0, drawn.length));
    // Nothing crossing IPC was large: the biggest answer is a chunk, not the roster twice.
    const biggest = Math.max(...app.bridged.handled.map((h) => h.bytes));
    assert.ok(biggest < 64 * 1024, `largest answer ${biggest} characters`);
    assert.deepEqual(app.pageErrors, []);
  });
});
