/**
 * End to end, signing in on a machine without an OS keychain (issue 11 #15):
 * the built renderer in Chromium, the real core (MessengerService behind the
 * same handler table main/ipc.ts registers) and a real Prosody. Remembering
 * the password without the user's yes is refused before anything is stored;
 * with "Store without encryption" confirmed in the form the sign-in succeeds
 * and the password is kept in the basic-text store, and only then.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { createHandlers } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { databasePath } from '../../main/core/profile-paths.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir } from '../support/roster-fixtures.js';
import { connectionBanner, openApp, shoot, type E2eApp, fillSignIn } from './fixtures.js';

/** The basic-text store of a keychain-less Linux, counting what it was asked to keep. */
class BasicTextVault extends TestVault {
  encrypted = 0;
  constructor() {
    super(false);
  }
  override encrypt(plain: string): Promise<Buffer> {
    this.encrypted += 1;
    return super.encrypt(plain);
  }
}

function savedPasswords(profileDir: string): { account: string; protection: string }[] {
  const db = new Database(databasePath(profileDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT account, protection FROM saved_passwords').all() as {
      account: string;
      protection: string;
    }[];
  } finally {
    db.close();
  }
}

describe('issue 11 #15: sign-in without an OS keychain (Chromium + real core + Prosody)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let vault: BasicTextVault;
  let profileDir: string;
  let app: E2eApp | undefined;
  let page: Page;

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    profileDir = tempDir();
    vault = new BasicTextVault();
    service = new MessengerService({
      profileDir,
      vault,
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 3_000 },
    });
  });
  after(async () => {
    // unset when before() failed before getting to them
    await app?.close();
    await (service as MessengerService | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 11 #15: without the confirmation, remembering is refused at the IPC boundary and nothing is stored', async () => {
    const handlers = createHandlers(service);
    const result = await handlers.signIn([
      { jid: 'juliet@localhost', password: 'secret', host: '127.0.0.1', port: server.port, rememberPassword: true },
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.error.code, 'invalid-argument');
    assert.match(result.error.message, /Confirm that it may be stored without encryption/);
    assert.equal(vault.encrypted, 0, 'the basic-text store was not used');
    assert.deepEqual(savedPasswords(profileDir), []);
    const state = service.getState();
    assert.equal(state.canStorePasswordSafely, false);
    assert.equal(state.account, null, 'no account was saved either');
  });

  it('issue 11 #15: "Store without encryption" in the form signs in and keeps the password in the basic-text store', async () => {
    app = await openApp(service, { viewport: { width: 420, height: 760 } });
    page = app.page;
    await fillSignIn(page, server.port);
    await page.getByRole('checkbox', { name: 'Remember password' }).click({ force: true });
    await page.getByRole('button', { name: 'Store without encryption' }).click();
    assert.equal(vault.encrypted, 0, 'confirming alone stores nothing');
    await shoot(page, 'issue-15-sign-in-unencrypted');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await connectionBanner(page).filter({ hasText: 'Online' }).waitFor();
    assert.equal(vault.encrypted, 1);
    assert.deepEqual(savedPasswords(profileDir), [{ account: 'juliet@localhost', protection: 'plain-text' }]);
    assert.equal(service.getState().account?.rememberPassword, true);
    await shoot(page, 'issue-15-signed-in');
    assert.deepEqual(app.pageErrors, []);
  });
});
