/**
 * What the page may ask Chromium for (issue 13 #5). Electron grants every
 * permission by default (camera, microphone, location, ...); Balcony needs
 * two, and only for its own page: notifications (the message notifier uses the
 * page's Notification API) and writing text to the clipboard ("Copy address"
 * uses navigator.clipboard.writeText, which Electron checks as
 * 'clipboard-sanitized-write'). Reading the clipboard is not among them.
 */
import { isAppOrigin } from './app-protocol.js';

const GRANTED = new Set(['notifications', 'clipboard-sanitized-write']);

export interface PermissionQuestion {
  permission: string;
  /** The requesting page's URL or origin. */
  origin: string;
  /** For requests: whether the main frame asks (a subframe never gets anything). */
  isMainFrame?: boolean;
}

/** True to grant. Used by both the request handler and the check handler. */
export function permissionGranted(question: PermissionQuestion): boolean {
  return GRANTED.has(question.permission) && question.isMainFrame !== false && isAppOrigin(question.origin);
}
