/**
 * Developer tools (issue 13 #5): in a development checkout, always; in the
 * packaged app only when started with `--devtools`, deliberately. With them
 * anyone at the keyboard can call the page's whole API as the app.
 */
export const DEVTOOLS_FLAG = '--devtools';

export function devToolsAllowed(options: { isPackaged: boolean; argv: readonly string[] }): boolean {
  return !options.isPackaged || options.argv.includes(DEVTOOLS_FLAG);
}

/**
 * Chromium's switches that open a remote debugging endpoint to the browser
 * (any page, its `window.messenger` included, driven from outside). The
 * fuses leave them alone: enableNodeCliInspectArguments covers only Node's
 * `--inspect*`. Main removes them from Chromium's command line as well as
 * quitting, so the endpoint never opens while the process winds down.
 */
export const CHROMIUM_DEBUG_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe'] as const;

/**
 * Switch names (lower case, without the prefix) refused in a packaged build: one ending in '-' is a
 * prefix; any other is the name itself and its '-' variants ('inspect': --inspect-brk, --inspect-port,
 * --inspect-wait, --inspect-brk-node; 'debug': Node's old --debug-brk, --debug-port).
 */
const REFUSED_NAMES = ['remote-debugging-', 'inspect', 'debug'];

/** The longest name quoted back in the refusal (the argument is someone else's text). */
const QUOTED_CHARS = 64;

function refusedName(name: string): boolean {
  return REFUSED_NAMES.some((refused) =>
    refused.endsWith('-') ? name.startsWith(refused) : name === refused || name.startsWith(`${refused}-`),
  );
}

/**
 * The switch name of `arg` as Chromium or Node would read it, or null when
 * it is no switch: Chromium takes `--name`, `-name` and, on Windows,
 * `/name`, with an optional `=value`; Windows folds the case, and Node reads
 * `_` as `-` (`--inspect_brk`). Read loosely on purpose: refusing an odd
 * spelling costs nothing, missing one opens the app.
 */
function switchName(arg: string, platform: NodeJS.Platform): string | null {
  const prefix = arg.startsWith('--')
    ? 2
    : arg.startsWith('-') || (platform === 'win32' && arg.startsWith('/'))
      ? 1
      : 0;
  if (prefix === 0) return null;
  const equals = arg.indexOf('=');
  const name = arg.slice(prefix, equals === -1 ? undefined : equals);
  return name.toLowerCase().replaceAll('_', '-');
}

/**
 * Remote debugging refused in a packaged build (issue 13 leftovers #3):
 * Chromium's `--remote-debugging-port` / `--remote-debugging-pipe` (and
 * every `--remote-debugging-*`), Node's `--inspect`, `--inspect-brk`,
 * `--inspect-port` (every `--inspect*`, the old `--debug*`), with or without
 * `=value`. Every argument after the executable counts, also after `--`: a
 * launcher's terminator is no reason to let one through. `hasSwitch`
 * (app.commandLine.hasSwitch) adds Chromium's own reading of its command
 * line. Returns the refused switches' names (`--inspect-brk`: no value, cut
 * short), in order; empty when the build is not packaged (development keeps
 * them) or none is there.
 */
export function refusedDebugSwitches(options: {
  isPackaged: boolean;
  argv: readonly unknown[];
  platform: NodeJS.Platform;
  hasSwitch?: (name: string) => boolean;
}): string[] {
  if (!options.isPackaged) return [];
  const refused: string[] = [];
  for (const arg of options.argv.slice(1)) {
    if (typeof arg !== 'string') continue;
    const name = switchName(arg, options.platform);
    if (name !== null && refusedName(name)) refused.push(`--${name}`.slice(0, QUOTED_CHARS));
  }
  for (const name of CHROMIUM_DEBUG_SWITCHES) {
    if (options.hasSwitch?.(name) && !refused.includes(`--${name}`)) refused.push(`--${name}`);
  }
  return refused;
}

/** What a refused start says on stderr (no window exists to say it in). */
export function refusalWords(refused: readonly string[]): string {
  return `Balcony will not start with remote debugging (${refused.join(', ')}): a packaged build refuses it, because it would let another program control the app.`;
}
