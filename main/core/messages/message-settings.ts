/**
 * The user's message settings (chat states, notifications), kept in the
 * app settings table: one value for the app, read on every use so a change
 * applies at once.
 */
import type { MessageSettings } from '../../../preload/contract.js';
import { BalconyError } from '../errors.js';
import type { AppSettingsStore } from '../store/app-settings-store.js';

const KEY = 'messages.settings';
export const DEFAULT_MESSAGE_SETTINGS: MessageSettings = { sendChatStates: true, notifications: 'full' };
const NOTIFICATIONS = new Set<unknown>(['full', 'private', 'off']);

/** The stored settings; a missing or damaged value (or field) reads as the default. */
export function readMessageSettings(settings: AppSettingsStore): MessageSettings {
  const stored = settings.get<unknown>(KEY);
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return {
    sendChatStates:
      typeof value.sendChatStates === 'boolean' ? value.sendChatStates : DEFAULT_MESSAGE_SETTINGS.sendChatStates,
    notifications: NOTIFICATIONS.has(value.notifications)
      ? (value.notifications as MessageSettings['notifications'])
      : DEFAULT_MESSAGE_SETTINGS.notifications,
  };
}

/** Checks and stores the settings; returns what is now stored. */
export function writeMessageSettings(settings: AppSettingsStore, input: unknown): MessageSettings {
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : null;
  if (!value || typeof value.sendChatStates !== 'boolean' || !NOTIFICATIONS.has(value.notifications)) {
    throw new BalconyError(
      'invalid-argument',
      'Message settings need sendChatStates (true or false) and notifications ("full", "private" or "off").',
    );
  }
  const clean: MessageSettings = {
    sendChatStates: value.sendChatStates,
    notifications: value.notifications as MessageSettings['notifications'],
  };
  settings.set(KEY, clean);
  return clean;
}
