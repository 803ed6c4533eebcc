/**
 * Where `xmpp:` links reach the app on Windows and Linux: as command-line
 * arguments, of the first launch and of every second instance (whose argv
 * Electron hands to the running one). macOS sends them as `open-url` instead.
 * Electron-free, so the picking is unit-tested.
 */

/** Links taken from one command line; a desktop hands over one at a time, so more is someone's flood. */
export const LINKS_PER_LAUNCH = 5;

/**
 * The arguments that are `xmpp:` links (the scheme in any case), in order,
 * at most LINKS_PER_LAUNCH. Everything else is ignored: the executable, the
 * app path in development, and the switches Chromium or a desktop adds
 * (`--allow-file-access-from-files`, `--original-process-start-time=…`),
 * which start with "-" and so are never links.
 */
export function xmppLinksInArgv(argv: readonly unknown[]): string[] {
  const links: string[] = [];
  for (const arg of argv) {
    if (links.length >= LINKS_PER_LAUNCH) break;
    if (typeof arg === 'string' && /^xmpp:/i.test(arg)) links.push(arg);
  }
  return links;
}
