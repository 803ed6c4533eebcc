/**
 * End to end, the offline-first marks: the built renderer in Chromium, the
 * real core, and a scripted XMPP server (it can refuse an edit on cue, which
 * no real server does for a valid one). An edit made while the server is
 * gone shows "waiting to sync"; when the server is back and refuses it, the
 * contact shows the server's error and the optimistic change is rolled back;
 * the user dismisses it; a conflict is told in the status line.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { ROSTER_VER_FEATURE, ScriptedServer, type ScriptedSession } from '../support/scripted-server.js';
import { tempDir } from '../support/roster-fixtures.js';
import { contactRow as row, openApp, shoot, type E2eApp } from './fixtures.js';

const NS_ROSTER = 'jabber:iq:roster';
const ITEMS =
  "<item jid='romeo@example.net' name='Romeo' subscription='both'><group>Friends</group></item>" +
  "<item jid='benvolio@example.net' name='Benvolio' subscription='both'><group>Friends</group></item>";

describe('offline edits end to end (Chromium + real core + scripted server)', { timeout: 90_000 }, () => {
  let server: ScriptedServer;
  let port: number;
  let service: MessengerService;
  let app: E2eApp;
  let page: Page;

  /** S: answers the sign-in retrieval: the full roster the first time, "unchanged" after. */
  async function answerRetrieval(session: ScriptedSession, full: boolean): Promise<void> {
    const get = await session.expectIq('get', NS_ROSTER);
    session.reply(get, full ? `<query xmlns='${NS_ROSTER}' ver='v1'>${ITEMS}</query>` : '');
  }

  before(async () => {
    server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE] });
    port = server.port;
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: server.caPem, backoff: { initialMs: 100, maxMs: 300 }, connectTimeoutMs: 3_000 },
    });
    const signingIn = service.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: '127.0.0.1',
      port,
      rememberPassword: false,
    });
    await answerRetrieval(await server.nextSession(), true);
    await signingIn;
    app = await openApp(service);
    page = app.page;
    await row(page, 'romeo@example.net').waitFor();
  });
  after(async () => {
    // each is unset when before() failed before getting to it
    await (app as E2eApp | undefined)?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as ScriptedServer | undefined)?.stop();
  });

  it('an edit made offline is marked "waiting to sync"; refused by the server, it shows the error and rolls back', async () => {
    await server.stop(); // the server is gone
    await page.locator('xm-connection-banner [role=status]').filter({ hasText: 'Offline' }).waitFor();

    await page.getByRole('button', { name: 'Edit Romeo' }).first().click();
    const dialog = page.locator('xm-contact-dialog dialog');
    await dialog.getByLabel('Name').fill('Romeo the Banished');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row(page, 'romeo@example.net').filter({ hasText: 'waiting to sync' }).waitFor();
    assert.match(await row(page, 'romeo@example.net').innerText(), /Romeo the Banished/);
    await shoot(page, 'offline-edit-waiting');

    // the server comes back, answers the retrieval, and refuses the replayed set
    server = await ScriptedServer.start({ extraFeatures: [ROSTER_VER_FEATURE], port });
    const session = await server.nextSession(10_000);
    await answerRetrieval(session, false);
    const set = await session.expectIq('set', NS_ROSTER);
    assert.equal(set.getChild('query', NS_ROSTER)?.getChild('item')?.attrs.name, 'Romeo the Banished');
    session.replyError(set, 'not-acceptable');

    await row(page, 'romeo@example.net').filter({ hasText: 'not saved' }).waitFor();
    const text = await row(page, 'romeo@example.net').innerText();
    assert.match(text, /The server rejected a name or group/);
    assert.match(text, /Romeo\b/);
    assert.doesNotMatch(text, /Banished/, 'the optimistic rename is rolled back');
    await shoot(page, 'offline-edit-failed');

    await page
      .getByRole('button', { name: /^Dismiss/ })
      .first()
      .click();
    await row(page, 'romeo@example.net').filter({ hasText: 'not saved' }).waitFor({ state: 'detached' });
    assert.equal(service.getRoster().items.find((i) => i.jid === 'romeo@example.net')?.pending, undefined);
  });
});
