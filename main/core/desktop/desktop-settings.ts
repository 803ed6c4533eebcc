/**
 * The desktop settings (issue 13), kept in the app settings table like the
 * message settings: one value for the app, a missing or damaged field reads
 * as its default, a write is checked whole.
 */
import type { DesktopCapabilities, DesktopSettings } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { AppSettingsStore } from '../store/app-settings-store.js';

const KEY = 'desktop.settings';
const THEMES = new Set<unknown>(['system', 'light', 'dark']);
const FLAGS = ['keepInTray', 'startAtLogin', 'startMinimised', 'spellcheck', 'requestNotifications'] as const;

/** The defaults on this machine: the tray only where there is one, spellcheck off where it would download. */
export function defaultDesktopSettings(capabilities: DesktopCapabilities): DesktopSettings {
  return {
    theme: 'system',
    keepInTray: capabilities.hasTray,
    startAtLogin: false,
    startMinimised: false,
    spellcheck: capabilities.osSpellchecker,
    requestNotifications: true,
  };
}

export function readDesktopSettings(store: AppSettingsStore, capabilities: DesktopCapabilities): DesktopSettings {
  const defaults = defaultDesktopSettings(capabilities);
  const stored = store.get<unknown>(KEY);
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const settings = { ...defaults };
  if (THEMES.has(value.theme)) settings.theme = value.theme as DesktopSettings['theme'];
  for (const flag of FLAGS) if (typeof value[flag] === 'boolean') settings[flag] = value[flag];
  return settings;
}

/** Checks and stores the settings (every field, nothing else); returns what is now stored. */
export function writeDesktopSettings(store: AppSettingsStore, input: unknown): DesktopSettings {
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : null;
  const known = new Set<string>(['theme', ...FLAGS]);
  if (
    !value ||
    !THEMES.has(value.theme) ||
    FLAGS.some((flag) => typeof value[flag] !== 'boolean') ||
    Object.keys(value).some((key) => !known.has(key))
  ) {
    throw new BalconyError(
      'invalid-argument',
      `Desktop settings need theme ("system", "light" or "dark") and ${FLAGS.join(', ')} (true or false), nothing else.`,
    );
  }
  const clean: DesktopSettings = {
    theme: value.theme as DesktopSettings['theme'],
    keepInTray: value.keepInTray as boolean,
    startAtLogin: value.startAtLogin as boolean,
    startMinimised: value.startMinimised as boolean,
    spellcheck: value.spellcheck as boolean,
    requestNotifications: value.requestNotifications as boolean,
  };
  store.set(KEY, clean);
  return clean;
}
