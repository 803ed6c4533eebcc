/**
 * issue 13 #1: the tray's decisions, free of Electron: the attention count
 * and tooltip, the desktop's capabilities, what closing the window does,
 * whether the window shows at start, the login item, the icon's pixels and
 * the window's background before the page paints.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ConversationSummary, MessengerEvent, SubscriptionRequest } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import {
  AttentionTracker,
  countAttention,
  trayTooltip,
  type AttentionSource,
  type AttentionView,
} from '../../main/core/desktop/attention.js';
import { desktopCapabilities, hasTray } from '../../main/core/desktop/capabilities.js';
import { decideWindowClose } from '../../main/core/desktop/window-close.js';
import { HIDDEN_ARG, loginItemSettings, showWindowAtStart } from '../../main/core/desktop/start-window.js';
import { TRAY_ICON_SIZE, trayIconPixels } from '../../main/core/desktop/tray-icon.js';
import { WINDOW_BACKGROUND, windowBackground } from '../../main/core/desktop/window-background.js';
import { tempDir } from '../support/roster-fixtures.js';

const conversation = (jid: string, unread: number): ConversationSummary => ({ jid, unread, last: null });
const request = (jid: string): SubscriptionRequest => ({ jid, message: null, receivedAt: 1 });

/** A service stand-in: what getState and the getters answer, and the events a test emits. */
class FakeSource extends EventEmitter<{ event: [MessengerEvent] }> implements AttentionSource {
  account: { jid: string } | null = { jid: 'juliet@example.com' };
  conversations: ConversationSummary[] = [];
  requests: SubscriptionRequest[] = [];
  getState() {
    return {
      account: this.account && { ...this.account, host: null, port: null, rememberPassword: true },
      connection: { status: 'online' as const, jid: 'juliet@example.com' },
    };
  }
  getConversations() {
    if (!this.account) throw new Error('not signed in');
    return this.conversations;
  }
  getPresence() {
    if (!this.account) throw new Error('not signed in');
    return { requests: this.requests };
  }
}

describe('issue 13 #1: attention count and tooltip', () => {
  it('issue 13 #1: unread messages and requests add up; damaged counts count as nothing', () => {
    assert.deepEqual(countAttention([3, 0, 2], 1), { unread: 5, requests: 1, total: 6 });
    assert.deepEqual(countAttention([], 0), { unread: 0, requests: 0, total: 0 });
    assert.deepEqual(countAttention([-4, Number.NaN, 1.5, Infinity, 2], -1), { unread: 2, requests: 0, total: 2 });
  });

  it('issue 13 #1: the tooltip says the counts in words, or the state when nothing waits', () => {
    assert.equal(trayTooltip(countAttention([3], 1), 'online'), 'Balcony – 3 unread messages, 1 contact request');
    assert.equal(trayTooltip(countAttention([1], 2), 'online'), 'Balcony – 1 unread message, 2 contact requests');
    assert.equal(trayTooltip(countAttention([], 1), 'online'), 'Balcony – 1 contact request');
    assert.equal(trayTooltip(countAttention([], 0), 'online'), 'Balcony – online');
    assert.equal(trayTooltip(countAttention([], 0), 'offline'), 'Balcony – offline');
    assert.equal(trayTooltip(countAttention([], 0), 'signed-out'), 'Balcony – signed out');
    assert.equal(trayTooltip(countAttention([], 0), 'connecting'), 'Balcony – connecting…');
    assert.equal(trayTooltip(countAttention([2], 0), 'offline'), 'Balcony – 2 unread messages (offline)');
  });

  it('issue 13 #1: the tracker follows conversation, requests, connection and account events, and calls back only on a change', () => {
    const source = new FakeSource();
    source.conversations = [conversation('romeo@example.net', 2)];
    const views: AttentionView[] = [];
    const tracker = new AttentionTracker(source, (view) => views.push(view));
    assert.equal(tracker.view.tooltip, 'Balcony – 2 unread messages');
    assert.equal(tracker.view.attentionIcon, true);

    source.emit('event', { type: 'requests', requests: [request('tybalt@example.net')] });
    assert.equal(tracker.view.total, 3);
    assert.equal(tracker.view.tooltip, 'Balcony – 2 unread messages, 1 contact request');
    source.emit('event', { type: 'conversation', conversation: conversation('nurse@example.net', 1) });
    source.emit('event', { type: 'conversation', conversation: conversation('romeo@example.net', 0) });
    assert.deepEqual({ unread: tracker.view.unread, requests: tracker.view.requests }, { unread: 1, requests: 1 });
    // The same counts again (a message that changed nothing, a presence): no call back.
    const calls = views.length;
    source.emit('event', { type: 'conversation', conversation: conversation('nurse@example.net', 1) });
    source.emit('event', {
      type: 'presence',
      presence: { jid: 'romeo@example.net', show: 'away', status: null, resources: [] } as never,
    });
    assert.equal(views.length, calls);

    source.emit('event', { type: 'connection', state: { status: 'offline' }, syncedAt: null });
    assert.equal(tracker.view.tooltip, 'Balcony – 1 unread message, 1 contact request (offline)');
    source.emit('event', { type: 'requests', requests: [] });
    source.emit('event', { type: 'conversation', conversation: conversation('nurse@example.net', 0) });
    assert.equal(tracker.view.attentionIcon, false);
    assert.equal(tracker.view.tooltip, 'Balcony – offline');

    // Signed out: nothing waits, and the getters (which throw without an account) are not trusted.
    source.emit('event', { type: 'conversation', conversation: conversation('nurse@example.net', 4) });
    source.account = null;
    source.emit('event', { type: 'account', account: null });
    assert.equal(tracker.view.total, 0);
    assert.equal(tracker.view.tooltip, 'Balcony – signed out');

    tracker.dispose();
    assert.equal(source.listenerCount('event'), 0);
  });

  it('issue 13 #1: on a real MessengerService with a fresh profile the tracker says signed out, and follows its events', async () => {
    const service = new MessengerService({ profileDir: tempDir(), vault: new TestVault(true) });
    try {
      const tracker = new AttentionTracker(service);
      assert.deepEqual(
        { total: tracker.view.total, tooltip: tracker.view.tooltip, icon: tracker.view.attentionIcon },
        { total: 0, tooltip: 'Balcony – signed out', icon: false },
      );
      tracker.dispose();
      assert.equal(service.listenerCount('event'), 0);
    } finally {
      await service.close();
    }
  });
});

describe('issue 13 #1: desktop capabilities', () => {
  const linux = (XDG_CURRENT_DESKTOP?: string) => ({ platform: 'linux' as const, env: { XDG_CURRENT_DESKTOP } });

  it('issue 13 #1: macOS and Windows have a tray, login items and the OS spellchecker', () => {
    for (const platform of ['darwin', 'win32'] as const)
      assert.deepEqual(desktopCapabilities({ platform, env: {} }), {
        hasTray: true,
        canStartAtLogin: true,
        osSpellchecker: true,
      });
  });

  it('issue 13 #1: on Linux the tray follows XDG_CURRENT_DESKTOP: KDE, XFCE, Cinnamon, Ubuntu’s GNOME yes; plain GNOME, unknown or none no', () => {
    for (const desktop of ['KDE', 'XFCE', 'X-Cinnamon', 'ubuntu:GNOME', 'Budgie:GNOME', 'LXQt', 'MATE', 'Unity'])
      assert.equal(hasTray(linux(desktop)), true, desktop);
    for (const desktop of ['GNOME', 'GNOME-Classic:GNOME', 'Pantheon', 'sway', '', undefined])
      assert.equal(hasTray(linux(desktop)), false, String(desktop));
    assert.deepEqual(desktopCapabilities(linux('KDE')), {
      hasTray: true,
      canStartAtLogin: false,
      osSpellchecker: false,
    });
  });
});

describe('issue 13 #1: closing the window', () => {
  const base = { platform: 'linux' as const, keepInTray: true, hasTray: true, quitting: false };

  it('issue 13 #1: kept in the tray (and a tray exists), closing hides the window: the session stays online', () => {
    assert.equal(decideWindowClose(base), 'hide');
    assert.equal(decideWindowClose({ ...base, platform: 'darwin' }), 'hide');
    assert.equal(decideWindowClose({ ...base, platform: 'win32' }), 'hide');
  });

  it('issue 13 #1: quitting, no tray, or the setting off closes; the app quits except on macOS', () => {
    assert.equal(decideWindowClose({ ...base, quitting: true }), 'close-and-quit');
    assert.equal(decideWindowClose({ ...base, platform: 'darwin', quitting: true }), 'close-and-quit');
    assert.equal(decideWindowClose({ ...base, hasTray: false }), 'close-and-quit');
    assert.equal(decideWindowClose({ ...base, keepInTray: false }), 'close-and-quit');
    assert.equal(decideWindowClose({ ...base, platform: 'win32', keepInTray: false }), 'close-and-quit');
    assert.equal(decideWindowClose({ ...base, platform: 'darwin', keepInTray: false }), 'close-keep-app');
  });
});

describe('issue 13 #1: start at login, start minimised', () => {
  const tray = { hasTray: true };

  it('issue 13 #1: the window starts hidden only when started at login with "start minimised" and a tray', () => {
    assert.equal(
      showWindowAtStart({ argv: ['balcony', HIDDEN_ARG], settings: { startMinimised: true }, capabilities: tray }),
      false,
    );
    assert.equal(
      showWindowAtStart({
        argv: ['balcony'],
        settings: { startMinimised: true },
        capabilities: tray,
        openedAtLogin: true,
      }),
      false,
      'macOS: opened at login',
    );
    // Started by the user: always shown.
    assert.equal(
      showWindowAtStart({ argv: ['balcony'], settings: { startMinimised: true }, capabilities: tray }),
      true,
    );
    // "Start minimised" off: shown at login too.
    assert.equal(
      showWindowAtStart({ argv: ['balcony', HIDDEN_ARG], settings: { startMinimised: false }, capabilities: tray }),
      true,
    );
    // No tray to come back from: shown, never a window nobody can reach.
    assert.equal(
      showWindowAtStart({
        argv: ['balcony', HIDDEN_ARG],
        settings: { startMinimised: true },
        capabilities: { hasTray: false },
      }),
      true,
    );
  });

  it('issue 13 #1: the login item is on only when asked for, possible here and packaged; it always passes --hidden', () => {
    const can = { canStartAtLogin: true };
    assert.deepEqual(loginItemSettings({ startAtLogin: true }, can, true), { openAtLogin: true, args: ['--hidden'] });
    assert.deepEqual(loginItemSettings({ startAtLogin: false }, can, true), { openAtLogin: false, args: ['--hidden'] });
    assert.equal(loginItemSettings({ startAtLogin: true }, { canStartAtLogin: false }, true).openAtLogin, false);
    assert.equal(loginItemSettings({ startAtLogin: true }, can, false).openAtLogin, false, 'never from a checkout');
  });
});

describe('issue 13 #1: tray icon and window background', () => {
  const pixel = (pixels: Uint8Array, x: number, y: number) => {
    const i = (y * TRAY_ICON_SIZE + x) * 4;
    return { b: pixels[i]!, g: pixels[i + 1]!, r: pixels[i + 2]!, a: pixels[i + 3]! };
  };

  it('issue 13 #1: the icon is a 32 px BGRA disc, transparent in its corners; the attention variant has an orange dot', () => {
    const plain = trayIconPixels(false);
    const attention = trayIconPixels(true);
    assert.equal(plain.length, TRAY_ICON_SIZE * TRAY_ICON_SIZE * 4);
    assert.equal(pixel(plain, 0, 0).a, 0);
    assert.equal(pixel(plain, TRAY_ICON_SIZE - 1, TRAY_ICON_SIZE - 1).a, 0);
    // Inside the disc, off the bubble: the accent, opaque.
    assert.deepEqual(pixel(plain, 16, 3), { r: 0x24, g: 0x53, b: 0xc9, a: 255 });
    // Where the dot is (top right, 0.8 × 0.2 of the size): orange only in the attention variant.
    const dot = pixel(attention, 25, 6);
    assert.deepEqual(dot, { r: 0xf0, g: 0x6a, b: 0x1a, a: 255 });
    assert.notDeepEqual(pixel(plain, 25, 6), dot);
    assert.notDeepEqual(plain, attention);
  });

  it('issue 13 #1: the window’s background before the page paints is the page’s own (--xm-bg, light and dark)', () => {
    const theme = readFileSync(new URL('../../renderer/styles/theme.ts', import.meta.url), 'utf8');
    const backgrounds = [...theme.matchAll(/--xm-bg:\s*(#[0-9a-f]{6})/gi)].map((m) => m[1]!.toLowerCase());
    // Both themes' backgrounds, whatever order theme.ts declares them in (the system's, then a chosen one).
    assert.deepEqual([...new Set(backgrounds)].sort(), [WINDOW_BACKGROUND.light, WINDOW_BACKGROUND.dark].sort());
    assert.equal(windowBackground(true), WINDOW_BACKGROUND.dark);
    assert.equal(windowBackground(false), WINDOW_BACKGROUND.light);
  });
});
