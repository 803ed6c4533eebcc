import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permissionGranted } from '../../main/core/desktop/permissions.js';
import { devToolsAllowed } from '../../main/core/desktop/devtools-policy.js';
import { LINUX_DICTIONARY_URL, spellcheckPlan } from '../../main/core/desktop/spellcheck-policy.js';
import { createQuitGate, QUIT_WAIT_MS } from '../../main/core/desktop/quit-gate.js';

const OURS = 'app://balcony/index.html';

test('issue 13 #5: permissions: notifications (and clipboard writing) for our own page only, everything else denied', () => {
  assert.equal(permissionGranted({ permission: 'notifications', origin: OURS, isMainFrame: true }), true);
  assert.equal(permissionGranted({ permission: 'notifications', origin: 'app://balcony' }), true);
  assert.equal(permissionGranted({ permission: 'clipboard-sanitized-write', origin: OURS, isMainFrame: true }), true);
  for (const permission of [
    'media',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'hid',
    'usb',
    'serial',
    'midiSysex',
    'fileSystem',
    'idle-detection',
    'local-fonts',
    'window-management',
    'unknown',
  ])
    assert.equal(permissionGranted({ permission, origin: OURS, isMainFrame: true }), false, permission);
  for (const origin of [
    'https://example.com',
    'file:///index.html',
    'app://other/index.html',
    'app://balcony.evil',
    'null',
    '',
  ])
    assert.equal(permissionGranted({ permission: 'notifications', origin, isMainFrame: true }), false, origin);
  assert.equal(permissionGranted({ permission: 'notifications', origin: OURS, isMainFrame: false }), false);
});

test('issue 13 #5: developer tools only when not packaged or started with --devtools', () => {
  assert.equal(devToolsAllowed({ isPackaged: false, argv: ['electron', '.'] }), true);
  assert.equal(devToolsAllowed({ isPackaged: true, argv: ['/opt/Balcony/balcony'] }), false);
  assert.equal(devToolsAllowed({ isPackaged: true, argv: ['/opt/Balcony/balcony', '--devtools'] }), true);
  assert.equal(devToolsAllowed({ isPackaged: true, argv: ['/opt/Balcony/balcony', '--devtools=1'] }), false);
  assert.equal(devToolsAllowed({ isPackaged: true, argv: ['/opt/Balcony/balcony', 'xmpp:--devtools'] }), false);
});

test('issue 13 #5: spellcheck: the download address only on Linux and only when the user turned it on', () => {
  assert.deepEqual(spellcheckPlan('linux', false), { enabled: false, dictionaryDownloadUrl: null });
  assert.deepEqual(spellcheckPlan('linux', true), { enabled: true, dictionaryDownloadUrl: LINUX_DICTIONARY_URL });
  assert.deepEqual(spellcheckPlan('darwin', true), { enabled: true, dictionaryDownloadUrl: null });
  assert.deepEqual(spellcheckPlan('win32', true), { enabled: true, dictionaryDownloadUrl: null });
  assert.deepEqual(spellcheckPlan('win32', false), { enabled: false, dictionaryDownloadUrl: null });
});

/** A before-quit as Electron sends it: records preventDefault. */
function quitEvent(): { preventDefault(): void; prevented: boolean } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

test('issue 13 #5: before-quit: a close that never ends still quits, after about 2 s, once', async () => {
  let quits = 0;
  let closes = 0;
  const started = performance.now();
  const quitted = new Promise<number>((resolve) => {
    const gate = createQuitGate(
      () => {
        closes += 1;
        return new Promise<never>(() => undefined); // a server that never answers
      },
      () => {
        quits += 1;
        resolve(performance.now() - started);
        const again = quitEvent(); // app.quit() fires before-quit again: it passes now
        gate.beforeQuit(again);
        assert.equal(again.prevented, false);
      },
    );
    const first = quitEvent();
    gate.beforeQuit(first);
    assert.equal(first.prevented, true);
    const second = quitEvent(); // Cmd+Q again while closing: held, no second close
    gate.beforeQuit(second);
    assert.equal(second.prevented, true);
  });
  const elapsed = await quitted;
  assert.equal(QUIT_WAIT_MS, 2_000);
  assert.ok(elapsed >= QUIT_WAIT_MS - 50 && elapsed < QUIT_WAIT_MS + 1_000, `quit after ${elapsed} ms`);
  assert.equal(quits, 1);
  assert.equal(closes, 1);
});

test('issue 13 #5: before-quit: a close that ends (or fails) quits at once', async () => {
  for (const close of [() => Promise.resolve(), () => Promise.reject(new Error('broken stream'))]) {
    const started = performance.now();
    const elapsed = await new Promise<number>((resolve) => {
      createQuitGate(close, () => resolve(performance.now() - started)).beforeQuit(quitEvent());
    });
    assert.ok(elapsed < 200, `quit after ${elapsed} ms`);
  }
});
