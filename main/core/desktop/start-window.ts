/**
 * Start at login and start minimised (issue 13 #1). The login item always
 * starts Balcony with `--hidden`; whether the window then stays hidden is
 * decided at start from the settings, so turning "start minimised" on or off
 * needs no new login item. Free of Electron, so it can be tested.
 */
import type { DesktopCapabilities, DesktopSettings } from '../../../preload/contract.js';

/** The argument the login item passes: "started by the OS at login, not by the user". */
export const HIDDEN_ARG = '--hidden';

export interface StartSituation {
  argv: readonly string[];
  settings: Pick<DesktopSettings, 'startMinimised'>;
  capabilities: Pick<DesktopCapabilities, 'hasTray'>;
  /** macOS, which passes no arguments to login items: the app was opened at login (wasOpenedAtLogin). */
  openedAtLogin?: boolean;
}

/**
 * Whether the window is shown when it is ready. Hidden only when started at
 * login (the argument, or macOS's own flag) with "start minimised" on, and
 * only where a tray icon can bring it back: without one a hidden window
 * would leave the app running with nothing to click. A start by the user
 * (no argument) always shows the window.
 */
export function showWindowAtStart(situation: StartSituation): boolean {
  const atLogin = situation.argv.includes(HIDDEN_ARG) || situation.openedAtLogin === true;
  return !(atLogin && situation.settings.startMinimised && situation.capabilities.hasTray);
}

/**
 * What app.setLoginItemSettings is given: the login item on or off, always
 * with HIDDEN_ARG (Windows passes it; macOS says wasOpenedAtLogin instead).
 * Never on from a checkout (`packaged` false): the item would start the bare
 * Electron binary without our app, so there the setting only turns it off.
 */
export function loginItemSettings(
  settings: Pick<DesktopSettings, 'startAtLogin'>,
  capabilities: Pick<DesktopCapabilities, 'canStartAtLogin'>,
  packaged: boolean,
): { openAtLogin: boolean; args: string[] } {
  return { openAtLogin: settings.startAtLogin && capabilities.canStartAtLogin && packaged, args: [HIDDEN_ARG] };
}
