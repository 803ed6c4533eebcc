/** The page event the link confirmation sends; the Electron side will open the address in the system browser. */
export const OPEN_EXTERNAL = 'xm-open-external';

/**
 * Opens a confirmed address. The page cannot: its CSP and the navigation
 * lock in main block window.open and every navigation, on purpose. So it
 * asks: `xm-open-external` on window, detail `{ url }`. Until main listens
 * (shell.openExternal through a contract call, not yet added), nothing opens.
 */
export function openExternal(url: string): void {
  window.dispatchEvent(new CustomEvent(OPEN_EXTERNAL, { detail: { url } }));
}

declare global {
  interface WindowEventMap {
    [OPEN_EXTERNAL]: CustomEvent<{ url: string }>;
  }
}
