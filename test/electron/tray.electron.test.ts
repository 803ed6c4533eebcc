/**
 * issue 13 #1 in the real app, in Electron (skipped by name where the binary
 * is not installed): the tray icon is there and says what waits, the badge
 * count follows, and closing the window keeps Balcony in the tray with the
 * session online. Signed in against a real Prosody (its test CA given to
 * main's Node through NODE_EXTRA_CA_CERTS); a desktop with a tray is
 * declared through XDG_CURRENT_DESKTOP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { AppState, MessengerApi, Result } from '../../preload/contract.js';
import type { RosterCore } from '../../main/core/roster-core.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { installedElectron } from './electron-binary.js';

const executable = installedElectron();
const skip = executable ? false : 'skipped here: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)';
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

interface TrayDiagnostic {
  present: boolean;
  tooltip: string | null;
  badge: number;
}

describe('Electron app: tray and window (issue 13 #1)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let app: ElectronApplication;
  let page: Page;
  let romeo: RosterCore | undefined;

  const tray = (): Promise<TrayDiagnostic | undefined> =>
    app.evaluate(() => (globalThis as Record<symbol, TrayDiagnostic | undefined>)[Symbol.for('balcony.tray')]);
  const untilTray = (test: (t: TrayDiagnostic | undefined) => boolean, what: string): Promise<void> =>
    (async () => {
      const deadline = Date.now() + 15_000;
      // The main process pushes nothing to the test: read back, a bounded number of times.
      while (Date.now() < deadline) {
        if (test(await tray())) return;
        await page.waitForTimeout(100);
      }
      assert.fail(`the tray never showed ${what}: ${JSON.stringify(await tray())}`);
    })();
  const windowState = () =>
    app.evaluate(({ BrowserWindow }) => {
      const all = BrowserWindow.getAllWindows();
      return { count: all.length, visible: all[0]?.isVisible() ?? false };
    });

  before(async () => {
    if (!executable) return;
    server = await startProsody({ tls: true });
    for (const user of ['juliet', 'romeo']) await server.register(user, 'secret');
    app = await _electron.launch({
      executablePath: executable,
      args: [APP_DIR, `--user-data-dir=${tempDir('balcony-electron-tray-')}`],
      env: { ...process.env, XDG_CURRENT_DESKTOP: 'KDE', NODE_EXTRA_CA_CERTS: server.caFile },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    const port = server.port;
    const signedIn = await page.evaluate(
      (p) =>
        (window as unknown as { messenger: MessengerApi }).messenger.signIn({
          jid: 'juliet@localhost',
          password: 'secret',
          host: '127.0.0.1',
          port: p,
          rememberPassword: false,
        }),
      port,
    );
    assert.equal(signedIn.ok && signedIn.value.connection.status, 'online');
  });
  after(async () => {
    await romeo?.close();
    // unset when before() failed before getting to it
    await (app as ElectronApplication | undefined)?.close();
    await (server as TestServer | undefined)?.stop();
  });

  it('issue 13 #1: the tray icon is present and its tooltip says the state', { skip }, async () => {
    await untilTray((t) => t?.present === true && t.tooltip === 'Balcony – online', 'online');
  });

  it('issue 13 #1: a contact request shows in the tooltip and sets the badge count', { skip }, async () => {
    romeo = openCore(server, 'romeo', 'secret', { resource: 'desk' });
    await romeo.session.start({ failFast: true });
    await romeo.presence.subscribe('juliet@localhost');
    await untilTray((t) => t?.tooltip === 'Balcony – 1 contact request' && t.badge === 1, 'the request');
    if (process.platform === 'darwin')
      assert.equal(await app.evaluate(({ app: electronApp }) => electronApp.getBadgeCount()), 1);
  });

  it(
    'issue 13 #1: closing the window keeps Balcony in the tray: the window hides, the session stays online',
    { skip },
    async () => {
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
      await page.waitForFunction(() => document.visibilityState === 'hidden', undefined, { timeout: 10_000 });
      assert.deepEqual(await windowState(), { count: 1, visible: false });
      const state: Result<AppState> = await page.evaluate(() =>
        (window as unknown as { messenger: MessengerApi }).messenger.getState(),
      );
      assert.equal(state.ok && state.value.connection.status, 'online');
      // A notification's click (showWindow) brings it back.
      const shown = await page.evaluate(() =>
        (window as unknown as { messenger: MessengerApi }).messenger.showWindow(),
      );
      assert.equal(shown.ok, true);
      assert.deepEqual(await windowState(), { count: 1, visible: true });
    },
  );
});
