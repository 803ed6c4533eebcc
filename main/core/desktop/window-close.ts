/**
 * What closing the window does (issue 13 #1), decided here so it can be
 * tested: with "keep in the tray" on and a tray to come back from, the window
 * only hides and the session stays online (messages and requests still
 * arrive, the tray counts them); otherwise the app quits, except on macOS,
 * where an app without windows stays in the dock as users there expect.
 */

export interface CloseSituation {
  platform: NodeJS.Platform;
  keepInTray: boolean;
  hasTray: boolean;
  /** The app is quitting (menu Quit, tray Quit, Cmd+Q, the OS logging out): the window must really close. */
  quitting: boolean;
}

/**
 * - 'hide': keep the window (and the session), hidden; the 'close' event is prevented.
 * - 'close-and-quit': close it, and the app quits with its last window.
 * - 'close-keep-app': close it, the app stays (macOS: the dock icon opens a new window).
 */
export type CloseDecision = 'hide' | 'close-and-quit' | 'close-keep-app';

export function decideWindowClose(situation: CloseSituation): CloseDecision {
  if (situation.quitting) return 'close-and-quit';
  if (situation.keepInTray && situation.hasTray) return 'hide';
  return situation.platform === 'darwin' ? 'close-keep-app' : 'close-and-quit';
}
