/**
 * The real app in Electron, through Playwright's _electron: the thin glue the
 * browser tests cannot reach. Where the Electron binary is not installed
 * (CI here: it cannot be downloaded), every test reports by name that it was
 * skipped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { CHANNELS } from '../../preload/contract.js';
import { tempDir } from '../support/roster-fixtures.js';
import { installedElectron } from './electron-binary.js';

const executable = installedElectron();
const skip = executable ? false : 'skipped here: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)';
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  before(async () => {
    if (!executable) return;
    app = await _electron.launch({
      executablePath: executable,
      args: [APP_DIR, `--user-data-dir=${tempDir('balcony-electron-')}`],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });
  after(async () => {
    // unset when before() failed before getting to it
    await (app as ElectronApplication | undefined)?.close();
  });

  it(
    'window has secure webPreferences: contextIsolation, sandbox, no nodeIntegration, no webview',
    { skip },
    async () => {
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        // getLastWebPreferences is documented API but missing from electron.d.ts
        const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
          getLastWebPreferences(): Record<string, unknown>;
        };
        const p = contents.getLastWebPreferences();
        return {
          contextIsolation: p.contextIsolation,
          sandbox: p.sandbox,
          nodeIntegration: p.nodeIntegration,
          webviewTag: p.webviewTag,
          webSecurity: p.webSecurity,
        };
      });
      assert.deepEqual(prefs, {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        webSecurity: true,
      });
    },
  );

  it('preload surface: window.messenger and nothing else; no require, no process', { skip }, async () => {
    const surface = await page.evaluate(() => ({
      keys: Object.keys((window as unknown as { messenger: object }).messenger).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    // Exactly the contract: one method per invoke channel, plus onEvent (a new channel cannot be forgotten here).
    const contract = [...Object.keys(CHANNELS).filter((key) => key !== 'event'), 'onEvent'].sort();
    assert.deepEqual(surface.keys, contract);
    assert.equal(surface.require, 'undefined');
    assert.equal(surface.process, 'undefined');
    assert.equal(surface.ipcRenderer, 'undefined');
  });

  it("issue 10 #1: the window opens at 1000 × 700 (or its display's work area, if smaller)", { skip }, async () => {
    const { size, area } = await app.evaluate(({ BrowserWindow, screen }) => ({
      size: BrowserWindow.getAllWindows()[0]!.getSize(),
      area: screen.getPrimaryDisplay().workArea,
    }));
    assert.deepEqual(size, [Math.min(1000, area.width), Math.min(700, area.height)]);
  });

  it('navigation is locked and window.open is denied', { skip }, async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    assert.equal(page.url(), before);
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    assert.equal(opened, true);
    assert.equal(app.windows().length, 1);
  });

  it('the CSP blocks inline script', { skip }, async () => {
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    assert.equal(ran, false);
  });

  it('every IPC call from the page gets a Result envelope', { skip }, async () => {
    const state = await page.evaluate(() =>
      (window as unknown as { messenger: { getState(): Promise<unknown> } }).messenger.getState(),
    );
    assert.equal((state as { ok: boolean }).ok, true);
    const bad = await page.evaluate(() =>
      (window as unknown as { messenger: { removeContact(x: unknown): Promise<unknown> } }).messenger.removeContact(42),
    );
    assert.equal((bad as { ok: boolean; error: { code: string } }).error.code, 'invalid-argument');
  });
});
