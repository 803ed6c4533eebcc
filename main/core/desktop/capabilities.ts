/**
 * What this machine's desktop offers (issue 13 #1), decided from the platform
 * and the environment only, so it can be tested without Electron. The
 * Settings screen hides what is not there, and the defaults follow it
 * (desktop-settings.ts: "keep in the tray" is on only where there is a tray).
 */
import type { DesktopCapabilities } from '../../../preload/contract.js';

/**
 * Linux desktops whose panel shows tray icons (StatusNotifierItem or the
 * older XEmbed tray, both of which Electron's Tray speaks) out of the box.
 * `ubuntu` is Ubuntu's GNOME session ("ubuntu:GNOME"), which ships the
 * AppIndicator extension enabled; plain GNOME does not, and neither do
 * Pantheon or a bare Wayland compositor (a tray there depends on what the
 * user installed: waybar, an extension), so they count as trayless. Being
 * wrong that way costs little: closing the window quits as it always did,
 * and the user can still turn "keep in the tray" on. Being wrong the other
 * way would hide the window with no icon to bring it back.
 */
const TRAY_DESKTOPS = new Set([
  'kde',
  'xfce',
  'lxqt',
  'lxde',
  'mate',
  'x-cinnamon',
  'cinnamon',
  'budgie',
  'unity',
  'ubuntu',
  'deepin',
  'enlightenment',
]);

export interface DesktopEnvironment {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}

/** Whether the desktop shows tray icons (see TRAY_DESKTOPS for Linux; macOS and Windows always do). */
export function hasTray({ platform, env }: DesktopEnvironment): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return false;
  // "ubuntu:GNOME", "Budgie:GNOME", "KDE": a colon-separated list, most specific first (XDG Desktop Entry spec).
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '')
    .split(':')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return desktops.some((name) => TRAY_DESKTOPS.has(name));
}

/** The capabilities main passes into MessengerService (desktop: { capabilities }). */
export function desktopCapabilities(environment: DesktopEnvironment): DesktopCapabilities {
  const { platform } = environment;
  const macOrWindows = platform === 'darwin' || platform === 'win32';
  return {
    hasTray: hasTray(environment),
    // Electron's setLoginItemSettings works on macOS and Windows only; on Linux it does nothing (an XDG
    // autostart file of our own would be needed), so the Settings screen does not offer what would not happen.
    canStartAtLogin: macOrWindows,
    // Electron uses the OS spellchecker there; on Linux it downloads Hunspell dictionaries from a Google CDN.
    osSpellchecker: macOrWindows,
  };
}
