/**
 * Issue 13 #4 in the real Electron app: an `xmpp:` link given to a second
 * instance (as the desktop does when a link is clicked while Balcony runs)
 * reaches the running one through `second-instance`, and its window opens
 * the pre-filled add-contact form. Skipped by name where the Electron binary
 * is not installed (as in app.electron.test.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { tempDir } from '../support/roster-fixtures.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { fillSignIn } from '../e2e/fixtures.js';
import { installedElectron } from './electron-binary.js';

const executable = installedElectron();
const skip = executable ? false : 'skipped here: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)';
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('Electron: xmpp: links', { timeout: 120_000 }, () => {
  let server: TestServer;
  let app: ElectronApplication;
  let page: Page;
  let profile: string;

  before(async () => {
    if (!executable) return;
    profile = tempDir('balcony-electron-links-');
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    app = await _electron.launch({
      executablePath: executable,
      args: [APP_DIR, `--user-data-dir=${profile}`],
      // The session runs in main's Node: the test server's CA is trusted the way Node allows.
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1', NODE_EXTRA_CA_CERTS: server.caFile },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  after(async () => {
    // unset when before() failed before getting to them
    await (app as ElectronApplication | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it(
    'issue 13 #4: a second instance with an xmpp: argument opens the pre-filled add-contact form',
    { skip },
    async () => {
      await fillSignIn(page, server.port);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: /Contacts/ }).waitFor({ timeout: 20_000 });

      // The second instance finds the lock taken, hands its argv over and quits.
      const second = spawn(
        executable ?? '',
        [APP_DIR, `--user-data-dir=${profile}`, 'xmpp:romeo@localhost?roster;name=Romeo;group=Friends'],
        { stdio: 'ignore' },
      );
      const [code] = (await once(second, 'exit')) as [number | null];
      assert.equal(code, 0);

      const dialog = page.getByRole('dialog', { name: 'Add contact' });
      await dialog.waitFor({ timeout: 10_000 });
      assert.equal(await dialog.getByRole('textbox', { name: 'Address' }).inputValue(), 'romeo@localhost');
      assert.equal(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue(), 'Romeo');
      await dialog.getByRole('option', { name: 'Friends', selected: true }).waitFor();
      assert.equal(app.windows().length, 1, 'no second window');
    },
  );
});
