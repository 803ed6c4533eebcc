/**
 * End to end, the first sign-in with a large roster sent slowly (issue 16
 * #1, #2): the built renderer in Chromium, the real core and a scripted
 * server that trickles a 12,000-contact result. After "Sign in" the roster
 * screen shows the progress panel at once, its count advances while the
 * result arrives, the page answers meanwhile, and the list replaces the panel.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { ROSTER_VER_FEATURE, ScriptedServer } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import { openApp, shoot, type E2eApp, fillSignIn } from './fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';
const CONTACTS = 12_000;

function itemsXml(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `<item jid='contact${i}@example.net' name='Contact ${String(i).padStart(5, '0')}' subscription='both'><group>Group ${i % 12}</group></item>`,
    );
  }
  return parts.join('');
}

/** The progress panel's headline, read through the shadow roots ('' when there is none). */
function headline(page: Page): Promise<string> {
  return page.evaluate(() => {
    const screen = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen');
    const panel = screen?.shadowRoot?.querySelector('xm-roster-progress');
    return panel?.shadowRoot?.querySelector('.headline')?.textContent ?? '';
  });
}

const countIn = (text: string): number => Number((/([\d,]+) so far/.exec(text)?.[1] ?? '0').replace(/,/g, ''));

describe(
  'issue 16: a large first roster, sent slowly, shows its progress (Chromium + real core + scripted server)',
  { timeout: 120_000 },
  () => {
    let server: ScriptedServer;
    let service: MessengerService;
    let app: E2eApp;

    before(async () => {
      server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
      service = new MessengerService({
        profileDir: tempDir(),
        vault: new TestVault(true),
        sessionDefaults: { ca: server.caPem, connectTimeoutMs: 5_000, iqTimeoutMs: 60_000 },
      });
      app = await openApp(service, { viewport: { width: 480, height: 760 } });
    });
    after(async () => {
      await (app as E2eApp | undefined)?.close();
      await (service as MessengerService | undefined)?.close();
      await (server as ScriptedServer | undefined)?.stop();
    });

    it('issue 16 #1/#2: the panel shows before the first byte, the count advances while the result arrives, the page stays responsive, then the list replaces the panel', async () => {
      const { page } = app;
      await fillSignIn(page, server.port);
      await page.getByRole('button', { name: 'Sign in' }).click();

      const session = await server.nextSession();
      const get = await session.expectIq('get', NS_ROSTER);
      // Issue 16 #2: signed in, the roster screen says what happens before the server sends a byte of the list.
      const panel = page.locator('xm-roster-progress');
      await panel.getByText('Asking the server for your contacts…').first().waitFor({ timeout: 10_000 });
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0, 'the form is gone');
      // ~1.3 MB in 16 KB pieces 60 ms apart: about five seconds on the wire.
      const sent = session.replyInPieces(
        get,
        `<query xmlns='${NS_ROSTER}' ver='v1'>${itemsXml(CONTACTS)}</query>`,
        16_384,
        60,
      );

      await panel.getByText(/Receiving your contacts: [\d,]+ so far/).waitFor({ timeout: 10_000 });
      const first = countIn(await headline(page));
      assert.ok(first > 0 && first < CONTACTS, `a count while it arrives: ${first}`);
      const bar = panel.getByRole('progressbar');
      assert.equal(await bar.getAttribute('aria-valuenow'), null, 'no cache, no estimate: an indeterminate bar');
      assert.match((await bar.getAttribute('aria-valuetext')) ?? '', /^[\d,]+ contacts so far$/);
      await shoot(page, 'roster-progress');

      // Responsive meanwhile: a trivial evaluation answers quickly, typing in the search box lands.
      const roundTrips: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await page.evaluate(() => 1 + 1);
        roundTrips.push(performance.now() - t);
      }
      assert.ok(
        Math.max(...roundTrips) < 1_000,
        `the page answers while the list arrives: ${roundTrips.map((ms) => Math.round(ms)).join(', ')} ms`,
      );
      const search = page.getByRole('searchbox');
      await search.fill('zz');
      assert.equal(await search.inputValue(), 'zz');
      await search.fill('');

      await page.waitForFunction(
        ([before]) => {
          const screen = document.querySelector('xm-app')?.shadowRoot?.querySelector('xm-roster-screen');
          const text =
            screen?.shadowRoot?.querySelector('xm-roster-progress')?.shadowRoot?.querySelector('.headline')
              ?.textContent ?? '';
          const n = Number((/([\d,]+) so far/.exec(text)?.[1] ?? '0').replace(/,/g, ''));
          return n > before;
        },
        [first] as const,
        { timeout: 15_000, polling: 50 },
      );
      const second = countIn(await headline(page));
      assert.ok(second > first, `the count advanced: ${first} -> ${second}`);
      assert.ok((await sent) > 0);

      await page.locator('.contact-row').first().waitFor({ timeout: 30_000 });
      await panel.waitFor({ state: 'detached' });
      assert.equal(service.getRoster().items.length, CONTACTS);
      assert.deepEqual(app.pageErrors, []);
    });
  },
);
