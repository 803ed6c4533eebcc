import { safeStorage } from 'electron';
import type { PasswordVault } from './core/app/password-vault.js';

/**
 * Passwords encrypted with Electron's safeStorage. On Linux without a
 * keyring safeStorage falls back to 'basic_text' (a fixed key): that is not a
 * keychain, so the app asks the user before saving anything there.
 */
export const safeStorageVault: PasswordVault = {
  isKeychainAvailable() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt(plain) {
    return safeStorage.encryptString(plain);
  },
  decrypt(secret) {
    return safeStorage.decryptString(secret);
  },
};
