import { safeStorage } from 'electron';
import type { PasswordVault } from './core/app/password-vault.js';

/**
 * Passwords encrypted with Electron's safeStorage, through its asynchronous
 * calls (Electron 45 deprecates encryptString/decryptString/
 * isEncryptionAvailable; data the sync calls encrypted stays readable by
 * decryptStringAsync, so no migration). Whether a keychain protects them is
 * asked once, when the vault is made after the app is ready. On Linux
 * without a keyring safeStorage falls back to 'basic_text' (a fixed key):
 * that is not a keychain, so the app asks the user before saving anything there.
 */
export async function createSafeStorageVault(): Promise<PasswordVault> {
  const available = await safeStorage.isAsyncEncryptionAvailable();
  const keychain =
    available && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  return {
    isKeychainAvailable: () => keychain,
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    // shouldReEncrypt (a rotated key) is left: the password is saved again at the next sign-in that remembers it
    decrypt: async (secret) => (await safeStorage.decryptStringAsync(secret)).result,
  };
}
