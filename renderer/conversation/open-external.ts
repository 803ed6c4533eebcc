import type { MessengerApi, Result } from '../../preload/contract.js';

/** The page event for a confirmed link that is not for the browser (an `xmpp:` address): the app handles those. */
export const OPEN_EXTERNAL = 'xm-open-external';

/** True for the addresses the system browser gets. */
export function isWebAddress(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Opens an address the user confirmed (xm-link-confirm showed it whole). The
 * page cannot itself: its CSP and main's navigation lock refuse every
 * navigation and window.open, on purpose. An http(s) address goes to main
 * (`openExternal`, which checks it again and hands it to the system browser);
 * any other (`xmpp:`) is announced as `xm-open-external` on window, detail
 * `{ url }`, for the app to handle.
 */
export async function openExternal(messenger: MessengerApi | undefined, url: string): Promise<Result<null>> {
  if (!isWebAddress(url)) {
    window.dispatchEvent(new CustomEvent(OPEN_EXTERNAL, { detail: { url } }));
    return { ok: true, value: null };
  }
  if (!messenger) return { ok: false, error: { code: 'not-connected', message: 'Balcony is not ready yet.' } };
  return messenger.openExternal({ url });
}

declare global {
  interface WindowEventMap {
    [OPEN_EXTERNAL]: CustomEvent<{ url: string }>;
  }
}
