// Issue 13: the desktop settings are kept in the profile's SQLite file (the
// app settings table of migration 0020) and read back by a new service on
// the same profile; a damaged value reads as the defaults, a bad write
// changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesktopCapabilities, DesktopSettings, MessengerEvent } from '../../preload/contract.js';
import { DesktopService } from '../../main/core/desktop/desktop-service.js';
import { defaultDesktopSettings } from '../../main/core/desktop/desktop-settings.js';
import { openDatabase } from '../../main/core/store/database.js';
import { AppSettingsStore } from '../../main/core/store/app-settings-store.js';

const WITH_TRAY: DesktopCapabilities = { hasTray: true, canStartAtLogin: true, osSpellchecker: true };
const LINUX_NO_TRAY: DesktopCapabilities = { hasTray: false, canStartAtLogin: false, osSpellchecker: false };

function profile(): string {
  return join(mkdtempSync(join(tmpdir(), 'balcony-desktop-settings-')), 'balcony.sqlite3');
}

function open(file: string, capabilities: DesktopCapabilities, events: MessengerEvent[] = []) {
  const { db } = openDatabase(file);
  const store = new AppSettingsStore(db);
  return { db, store, desktop: new DesktopService(store, { capabilities }, (event) => events.push(event)) };
}

test('issue 13 #3: the defaults follow the desktop: the tray where there is one, spellcheck only with the OS dictionaries', () => {
  assert.deepEqual(defaultDesktopSettings(WITH_TRAY), {
    theme: 'system',
    keepInTray: true,
    startAtLogin: false,
    startMinimised: false,
    spellcheck: true,
    requestNotifications: true,
  });
  const linux = defaultDesktopSettings(LINUX_NO_TRAY);
  assert.equal(linux.keepInTray, false, 'no tray: closing the window quits');
  assert.equal(linux.spellcheck, false, 'Linux: no dictionary download unless the user turns it on');
});

test('issue 13 #3: settings written are in the profile file: a new service on the same profile reads them back, and says so by event', () => {
  const file = profile();
  const events: MessengerEvent[] = [];
  const first = open(file, WITH_TRAY, events);
  const chosen: DesktopSettings = {
    theme: 'dark',
    keepInTray: false,
    startAtLogin: true,
    startMinimised: true,
    spellcheck: false,
    requestNotifications: false,
  };
  assert.deepEqual(first.desktop.setSettings(chosen), chosen);
  assert.deepEqual(events, [{ type: 'desktop-settings', settings: chosen }]);
  first.db.close();

  const again = open(file, WITH_TRAY);
  assert.deepEqual(again.desktop.settings(), chosen);
  again.db.close();
});

test('issue 13 #3: a damaged stored value reads as the defaults, field by field; a bad write is refused and changes nothing', () => {
  const file = profile();
  const { db, store, desktop } = open(file, LINUX_NO_TRAY);
  store.set('desktop.settings', { theme: 'neon', keepInTray: 'yes', startAtLogin: true, spellcheck: 1 });
  assert.deepEqual(desktop.settings(), { ...defaultDesktopSettings(LINUX_NO_TRAY), startAtLogin: true });
  db.prepare("UPDATE app_settings SET value = '{not json' WHERE key = 'desktop.settings'").run();
  assert.deepEqual(desktop.settings(), defaultDesktopSettings(LINUX_NO_TRAY));

  const before = desktop.settings();
  const good = defaultDesktopSettings(LINUX_NO_TRAY);
  for (const bad of [
    null,
    'dark',
    { ...good, theme: 'neon' },
    { ...good, keepInTray: 'true' },
    { theme: 'dark' },
    { ...good, devtools: true },
  ]) {
    assert.throws(() => desktop.setSettings(bad), { code: 'invalid-argument' });
  }
  assert.deepEqual(desktop.settings(), before);
  db.close();
});
