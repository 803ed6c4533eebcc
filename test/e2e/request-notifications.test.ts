/**
 * End to end, issue 13 #1/#2: another account's subscription request, through
 * a real Prosody and the real core, becomes a notification in the page (the
 * page's Notification API, recorded) whose click opens the requests panel;
 * and the tray's attention tracker, on the same service, counts the request
 * and an unread message as main's tray and badge would show them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { xml } from '@xmpp/client';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { AttentionTracker, type AttentionView } from '../../main/core/desktop/attention.js';
import { NICK_NS } from '../../main/core/presence/presence-stanzas.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';
import { contactRow, openApp, shoot, type E2eApp } from './fixtures.js';
import { notificationStub, type ShownNotification } from '../support/notification-stub.js';

describe(
  'request notifications end to end (Chromium + real core + Prosody, two real accounts)',
  { timeout: 180_000 },
  () => {
    let server: TestServer;
    let service: MessengerService;
    let app: E2eApp;
    let page: Page;
    let romeo: RosterCore | undefined;
    let tracker: AttentionTracker | undefined;
    const views: AttentionView[] = [];
    const waiters = new Set<() => void>();
    /** Resolves when the tracker's view satisfies `test` (checked now and on each call back), or fails after 15 s. */
    const untilView = (test: (view: AttentionView) => boolean): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (tracker && test(tracker.view)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the tracker still shows ${JSON.stringify(tracker?.view)}`));
        }, 15_000);
        waiters.add(check);
        check();
      });

    before(async () => {
      server = await startProsody({ tls: true });
      for (const user of ['juliet', 'romeo', 'nurse']) await server.register(user, 'secret');
      service = new MessengerService({
        profileDir: tempDir(),
        vault: new TestVault(true),
        sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), backoff: { initialMs: 200, maxMs: 800 } },
      });
      await service.signIn({
        jid: 'juliet@localhost',
        password: 'secret',
        host: '127.0.0.1',
        port: server.port,
        rememberPassword: false,
      });
      await service.addContact({ jid: 'nurse@localhost', name: 'Nurse', subscribe: false });
      tracker = new AttentionTracker(service, (view) => {
        views.push(view);
        for (const check of [...waiters]) check();
      });
      app = await openApp(service, { initScripts: [notificationStub({ focused: false })] });
      page = app.page;
      await contactRow(page, 'nurse@localhost').waitFor();
    });
    after(async () => {
      tracker?.dispose();
      await romeo?.close();
      // each is unset when before() failed before getting to it
      await (app as E2eApp | undefined)?.close();
      await (service as MessengerService | undefined)?.close();
      await (server as TestServer | undefined)?.stop();
    });

    it('issue 13 #2: another account’s subscription request becomes one notification with its name; its click opens the requests panel', async () => {
      romeo = openCore(server, 'romeo', 'secret', { resource: 'desk' });
      await romeo.session.start({ failFast: true });
      await romeo.roster.settled();
      await romeo.session.send(
        xml('presence', { to: 'juliet@localhost', type: 'subscribe' }, xml('nick', { xmlns: NICK_NS }, 'Romeo M.')),
      );
      await page.waitForFunction(
        () => (window as unknown as { tst_shown: unknown[] }).tst_shown.length > 0,
        undefined,
        {
          timeout: 15_000,
        },
      );
      await page.getByRole('button', { name: '1 contact request', exact: true }).waitFor();
      const shown = await page.evaluate(() =>
        (window as unknown as { tst_shown: ShownNotification[] }).tst_shown.map(({ title, body }) => ({ title, body })),
      );
      assert.deepEqual(shown, [
        { title: 'Contact request', body: 'Romeo M. (romeo@localhost) wants to see your presence' },
      ]);
      await page.evaluate(() =>
        (window as unknown as { tst_shown: { onclick: () => void }[] }).tst_shown[0]!.onclick(),
      );
      const panel = page.getByRole('dialog', { name: 'Contact requests' });
      await panel.waitFor();
      await panel.locator('xm-requests li').filter({ hasText: 'romeo@localhost' }).waitFor();
      await shoot(page, 'issue-13-request-notification');
      await page.keyboard.press('Escape');
      assert.deepEqual(app.pageErrors, []);
    });

    it('issue 13 #1: the tray’s attention tracker on the real core counts the request and an unread message', async () => {
      assert.ok(romeo && tracker);
      assert.equal(tracker.view.requests, 1);
      assert.equal(tracker.view.tooltip, 'Balcony – 1 contact request');
      romeo.messages.send('juliet@localhost', 'Wilt thou be gone?');
      await untilView((view) => view.unread === 1);
      assert.deepEqual(
        { unread: tracker.view.unread, requests: tracker.view.requests, total: tracker.view.total },
        { unread: 1, requests: 1, total: 2 },
      );
      assert.equal(tracker.view.tooltip, 'Balcony – 1 unread message, 1 contact request');
      assert.equal(tracker.view.attentionIcon, true);
      assert.ok(views.length >= 2, 'called back on each change');
    });
  },
);
