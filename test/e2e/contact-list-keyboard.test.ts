/**
 * Issue 12 #4/#5/#6 end to end: the built renderer in Chromium, bridged to the
 * real core against a real Prosody, driven by the keyboard alone once signed
 * in (no pointer event reaches the page): edit a contact (type-ahead, F2),
 * move it to another group from its context menu (Shift+F10), rename a group
 * (F2). The server's roster is checked after each step.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { seedRoster, tempDir } from '../support/roster-fixtures.js';
import { contactRow as row, expectAccessible, fillSignIn, openApp, shoot, type E2eApp } from './fixtures.js';

/** The focused element through shadow roots: a treeitem's or menu item's name, else tag#id. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return 'none';
    if (el.getAttribute('role') === 'treeitem') return el.getAttribute('aria-label') ?? '';
    if (el.getAttribute('role') === 'menuitem') return `menuitem ${el.querySelector('.label')?.textContent}`;
    return `${el.tagName}#${el.id}`;
  });
}

/** A bounded wait for the server-side roster (through the core) to satisfy `check`. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('issue 12: the contact list by keyboard alone (Chromium + real core + Prosody)', { timeout: 180_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    await seedRoster(server, 'juliet', 'secret', [
      { jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'] },
      { jid: 'benvolio@example.net', name: 'Benvolio', groups: ['Friends'] },
      { jid: 'nurse@example.net', name: 'Nurse', groups: ['Family'] },
      { jid: 'rene@example.fr', name: 'René Descartes' },
    ]);
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 3_000 },
    });
    app = await openApp(service);
    page = app.page;
  });
  after(async () => {
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  const item = (jid: string) => service.getRoster().items.find((i) => i.jid === jid);

  it('edits a contact, moves it to another group from its menu and renames a group, with no pointer', async () => {
    await fillSignIn(page, server.port);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await row(page, 'romeo@example.net').waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: string[] };
      w.pointerEvents = [];
      for (const type of ['pointerdown', 'mousedown', 'contextmenu', 'dragstart'])
        document.addEventListener(type, (e) => w.pointerEvents.push(e.type), true);
    });

    // Into the list, then type-ahead to Romeo and F2: the edit dialog (Enter opens the conversation, issue 10).
    await page.keyboard.press('/');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(page), 'Family, 1 contact');
    await page.keyboard.type('ro');
    assert.equal(await focused(page), 'Romeo, offline, not sharing status');
    await page.keyboard.press('F2');
    await page.locator('xm-contact-dialog dialog').waitFor();
    assert.equal(await focused(page), 'INPUT#name');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Romeo Montague');
    await page.keyboard.press('Enter');
    await until('the new name on the server', () => item('romeo@example.net')?.name === 'Romeo Montague');
    await row(page, 'romeo@example.net').filter({ hasText: 'Romeo Montague' }).waitFor();
    await page.locator('xm-contact-dialog dialog').waitFor({ state: 'hidden' });
    assert.equal(await focused(page), 'Romeo Montague, offline, not sharing status', 'focus back on the row');

    // Shift+F10 → "Move to group…" → Family.
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menu', { name: 'Romeo Montague' }).waitFor();
    await page.keyboard.press('m');
    assert.equal(await focused(page), 'menuitem Move to group…');
    await page.keyboard.press('Enter');
    await page.getByRole('menu', { name: 'Move Romeo Montague to' }).waitFor();
    assert.equal(await focused(page), 'menuitem Family');
    await shoot(page, 'issue-12-move-menu');
    await expectAccessible(page, 'move-to-group menu');
    await page.keyboard.press('Enter');
    await until('Romeo in Family on the server', () => item('romeo@example.net')?.groups.join() === 'Family');
    await page.locator('.contact-row[data-group="Family"][data-jid="romeo@example.net"]').waitFor();

    // Home → the Family header; F2 renames it.
    await page.keyboard.press('Home');
    assert.equal(await focused(page), 'Family, 2 contacts');
    await page.keyboard.press('F2');
    await page.locator('xm-rename-group-dialog dialog').waitFor();
    await page.keyboard.type('Kin');
    await page.keyboard.press('Enter');
    await until('the group renamed on the server', () =>
      ['romeo@example.net', 'nurse@example.net'].every((jid) => item(jid)?.groups.join() === 'Kin'),
    );
    await page.locator('.contact-row[data-group="Kin"][data-jid="romeo@example.net"]').waitFor();
    await shoot(page, 'issue-12-keyboard-walk');
    await expectAccessible(page, 'list after the keyboard walk');

    assert.deepEqual(await page.evaluate(() => (window as unknown as { pointerEvents: string[] }).pointerEvents), []);
    assert.deepEqual(app.pageErrors, []);
  });
});
