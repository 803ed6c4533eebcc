/**
 * The spellchecker and the network (issue 13 #5): Balcony talks to DNS and the
 * XMPP server and nobody else. On macOS and Windows Electron uses the OS
 * spellchecker (local dictionaries, nothing downloaded). On Linux it uses
 * Hunspell dictionaries that Chromium downloads from Google's CDN: there the
 * spellchecker is off unless the user turns it on (the default comes from
 * DesktopCapabilities.osSpellchecker, false on Linux, see desktop-settings.ts),
 * and when they do, the download address is set here, in sight, rather than
 * left to Electron's default.
 */

/** Chromium's dictionary CDN, the one source of Hunspell .bdic files Electron is built for. */
export const LINUX_DICTIONARY_URL = 'https://redirector.gvt1.com/edgedl/chrome/dict/';

export interface SpellcheckPlan {
  enabled: boolean;
  /** Set as the session's dictionary download URL; null: do not call it. */
  dictionaryDownloadUrl: string | null;
}

export function spellcheckPlan(platform: NodeJS.Platform, wanted: boolean): SpellcheckPlan {
  return {
    enabled: wanted,
    dictionaryDownloadUrl: platform === 'linux' && wanted ? LINUX_DICTIONARY_URL : null,
  };
}
