/**
 * Developer tools (issue 13 #5): in a development checkout, always; in the
 * packaged app only when started with `--devtools`, deliberately. With them
 * anyone at the keyboard can call the page's whole API as the app.
 */
export const DEVTOOLS_FLAG = '--devtools';

export function devToolsAllowed(options: { isPackaged: boolean; argv: readonly string[] }): boolean {
  return !options.isPackaged || options.argv.includes(DEVTOOLS_FLAG);
}
