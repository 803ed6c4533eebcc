/**
 * The endpoint each account signed in through last time (issue 9 #1), kept
 * in the app settings: the next sign-in tries it first and only asks DNS
 * again when it fails.
 */
import { isEndpoint, type Endpoint, type EndpointMemory } from '../xmpp/discovery/endpoint.js';
import type { AppSettingsStore } from './app-settings-store.js';

const key = (account: string): string => `endpoint:${account}`;

export class EndpointMemoryStore implements EndpointMemory {
  readonly #settings: AppSettingsStore;

  constructor(settings: AppSettingsStore) {
    this.#settings = settings;
  }

  recall(account: string): Endpoint | undefined {
    const value = this.#settings.get<unknown>(key(account));
    return isEndpoint(value) ? { host: value.host, port: value.port, tls: value.tls } : undefined;
  }

  remember(account: string, endpoint: Endpoint): void {
    try {
      this.#settings.set(key(account), { host: endpoint.host, port: endpoint.port, tls: endpoint.tls });
    } catch {
      // Only a shortcut for the next sign-in: a profile that cannot be written just asks DNS again.
    }
  }

  forget(account: string): void {
    this.#settings.delete(key(account));
  }
}
