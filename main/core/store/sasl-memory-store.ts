import type { SaslMemory, SaslSeen } from '../xmpp/sasl-policy.js';
import type { AppSettingsStore } from './app-settings-store.js';

const STRONGEST = new Set<SaslSeen['strongest']>(['PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);

/**
 * An account's SaslSeen (the strongest SASL mechanism and whether channel
 * binding was offered), kept in app_settings under `sasl-seen:<account>`:
 * a JSON value, so no migration. A damaged value reads as unset, like any
 * setting (the next sign-in then starts the memory again).
 */
export function saslMemoryFor(settings: AppSettingsStore, account: string): SaslMemory {
  const key = `sasl-seen:${account}`;
  return {
    load() {
      const value = settings.get<Partial<SaslSeen>>(key);
      const strongest = value?.strongest;
      if (!value || strongest === undefined || !STRONGEST.has(strongest) || typeof value.channelBinding !== 'boolean')
        return undefined;
      return { strongest, channelBinding: value.channelBinding };
    },
    save(seen) {
      settings.set(key, { strongest: seen.strongest, channelBinding: seen.channelBinding });
    },
  };
}
