/**
 * Issue 13 #4, end to end: xmpp: links given to the real core
 * (MessengerService.desktop.openXmppLink, as main/index.ts does with argv,
 * a second instance or open-url) reach the built renderer in Chromium over
 * the bridge: one opened before sign-in waits for the window to ask
 * (takeXmppLinks), one opened while it runs comes as an event; a ?roster
 * link pre-fills the add-contact form and saving adds the contact on a real
 * Prosody; a ?message link opens the conversation with the body as a draft,
 * which romeo's own core never receives unless the user sends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ChatMessage } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, seedRoster, tempDir, waitForEvent } from '../support/roster-fixtures.js';
import { contactRow, expectAccessible, fillSignIn, openApp, shoot, type E2eApp } from './fixtures.js';

const ROMEO = 'romeo@localhost';
const JULIET = 'juliet@localhost';

describe('issue 13 #4: xmpp: links end to end (Chromium + real core + Prosody)', { timeout: 240_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;
  let romeo: RosterCore;
  const romeoGot: ChatMessage[] = [];

  const dialog = () => page.getByRole('dialog', { name: 'Add contact' });
  const composer = () => page.locator('xm-conversation').getByRole('textbox', { name: /^Message to / });

  before(async () => {
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo']) await server.register(user, 'secret');
    await seedRoster(server, 'juliet', 'secret', [
      { jid: 'benvolio@localhost', name: 'Benvolio', groups: ['Friends'] },
    ]);
    romeo = openCore(server, 'romeo', 'secret', { resource: 'desk' });
    romeo.messages.on('message', (message: ChatMessage) => {
      if (message.direction === 'in' && message.from === JULIET) romeoGot.push(message);
    });
    await romeo.session.start({ failFast: true });
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), backoff: { initialMs: 200, maxMs: 800 } },
    });
    app = await openApp(service, { viewport: { width: 1280, height: 800 } });
    page = app.page;
  });
  after(async () => {
    // each is unset when before() failed before getting to it
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (romeo as RosterCore | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 13 #4 e2e: a link opened before sign-in pre-fills the add-contact form once the roster is up', async () => {
    const action = service.desktop.openXmppLink('xmpp:mercutio@localhost?subscribe');
    assert.equal(action.kind, 'add-contact');
    await fillSignIn(page, server.port);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await contactRow(page, 'benvolio@localhost').waitFor({ timeout: 20_000 });
    await dialog().waitFor();
    assert.equal(await dialog().getByRole('textbox', { name: 'Address' }).inputValue(), 'mercutio@localhost');
    assert.equal(await dialog().getByRole('checkbox', { name: 'Ask to see their status' }).isChecked(), true);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    assert.equal(service.getRoster().items.length, 1, 'nothing added by the link');
  });

  it('issue 13 #4 e2e: a ?roster link while the app runs opens the pre-filled form; saving adds the contact on the server', async () => {
    service.desktop.openXmppLink('xmpp:Romeo@LocalHost?roster;name=Romeo;group=Friends');
    await dialog().waitFor();
    assert.equal(await dialog().getByRole('textbox', { name: 'Address' }).inputValue(), ROMEO);
    assert.equal(await dialog().getByRole('textbox', { name: 'Name (optional)' }).inputValue(), 'Romeo');
    await dialog().getByRole('option', { name: 'Friends', selected: true }).waitFor();
    await shoot(page, 'xmpp-link-roster');
    await expectAccessible(page, 'xmpp: link add-contact form');
    await dialog().getByRole('textbox', { name: 'Name (optional)' }).focus();
    await page.keyboard.press('Enter');
    await page.locator(`.contact-row[data-group="Friends"][data-jid="${ROMEO}"]`).waitFor({ timeout: 20_000 });
    // On the server: a fresh session of juliet's own sees it.
    const check = openCore(server, 'juliet', 'secret', { resource: 'check' });
    try {
      await check.session.start({ failFast: true });
      await check.roster.settled();
      const item = check.roster.snapshot().items.find((i) => i.jid === ROMEO);
      assert.deepEqual({ name: item?.name, groups: item?.groups }, { name: 'Romeo', groups: ['Friends'] });
    } finally {
      await check.close();
    }
  });

  it('issue 13 #4 e2e: a ?message link opens the conversation with the body as a draft that is not sent', async () => {
    service.desktop.openXmppLink('xmpp:romeo@localhost?message;body=Wherefore%20art%20thou%3F');
    await composer().waitFor();
    await page.waitForFunction(
      () =>
        document
          .querySelector('xm-app')
          ?.shadowRoot?.querySelector('xm-conversation')
          ?.shadowRoot?.querySelector('xm-composer')
          ?.shadowRoot?.querySelector('textarea')?.value === 'Wherefore art thou?',
    );
    await shoot(page, 'xmpp-link-message');
    // What the user sends goes; the draft never did: the first thing romeo's core gets is the user's own text.
    const arrived = waitForEvent<[ChatMessage]>(romeo.messages, 'message', (m) => m.body === 'Only this', 20_000);
    await composer().fill('Only this');
    await page.keyboard.press('Enter');
    await arrived;
    assert.deepEqual(
      romeoGot.map((m) => m.body),
      ['Only this'],
    );
    assert.deepEqual(app.pageErrors, []);
  });

  it('issue 13 #4 e2e: an unknown action is shown as an error and nothing is done', async () => {
    const before = service.getRoster().items.length;
    service.desktop.openXmppLink('xmpp:room@conference.localhost?join');
    const notice = page.locator('xm-link-dialog').getByRole('alertdialog');
    await notice.getByText('Balcony does not handle “join” links', { exact: false }).waitFor();
    await shoot(page, 'xmpp-link-invalid');
    await expectAccessible(page, 'xmpp: link refused');
    await page.keyboard.press('Escape');
    await notice.waitFor({ state: 'hidden' });
    assert.equal(service.getRoster().items.length, before);
  });
});
