/**
 * Issue 13 #3 in the real app: the application menu is Balcony's own
 * (core/desktop/app-menu-template.ts through main/app-menu.ts), not
 * Electron's default with Help > "Learn More". Where the Electron binary is
 * not installed, each test reports by name that it was skipped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { tempDir } from '../support/roster-fixtures.js';
import { installedElectron } from './electron-binary.js';

const executable = installedElectron();
const skip = executable ? false : 'skipped here: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)';
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

interface MenuShape {
  label: string;
  role: string | null;
  submenu: MenuShape[];
}

describe('Electron app menu', () => {
  let app: ElectronApplication;
  before(async () => {
    if (!executable) return;
    app = await _electron.launch({
      executablePath: executable,
      args: [APP_DIR, `--user-data-dir=${tempDir('balcony-electron-menu-')}`],
    });
    await app.firstWindow();
  });
  after(async () => {
    // unset when before() failed before getting to it
    await (app as ElectronApplication | undefined)?.close();
  });

  it('issue 13 #3: the application menu has no "Learn More" and has Help > About Balcony', { skip }, async () => {
    const menu = await app.evaluate(({ Menu }) => {
      const shape = (items: Electron.MenuItem[]): MenuShape[] =>
        items.map((item) => ({
          label: item.label,
          role: item.role ?? null,
          submenu: item.submenu ? shape(item.submenu.items) : [],
        }));
      return shape(Menu.getApplicationMenu()?.items ?? []);
    });
    const all = (items: MenuShape[]): MenuShape[] => items.flatMap((item) => [item, ...all(item.submenu)]);
    assert.ok(menu.length > 0, 'a menu is set');
    assert.equal(
      all(menu).some((item) => /learn more/i.test(item.label)),
      false,
      'no "Learn More"',
    );
    const help = menu.find((item) => item.label === 'Help');
    assert.ok(help, 'a Help menu');
    const labels = help.submenu.map((item) => item.label);
    if (process.platform === 'darwin') {
      assert.ok(
        menu[0]?.submenu.some((item) => item.label === 'About Balcony'),
        'About in the app menu',
      );
    } else {
      assert.ok(labels.includes('About Balcony'), 'Help > About Balcony');
    }
    for (const label of ['Keyboard Shortcuts', 'Connection Report…', 'Open the Profile Folder'])
      assert.ok(labels.includes(label), `Help > ${label}`);
  });
});
