import { safeStorage } from 'electron';
import type { PasswordVault } from './core/app/password-vault.js';

/**
 * Passwords encrypted with Electron's safeStorage. On Linux without a
 * keyring safeStorage falls back to 'basic_text' (a fixed key): that is not a
 * keychain, so the app asks the user before saving anything there.
 */
// Electron 45 deprecates safeStorage's synchronous calls in favour of
// isAsyncEncryptionAvailable/encryptStringAsync/decryptStringAsync. The vault
// contract (and MessengerService.getState, which reports whether a keychain
// exists) is synchronous today; moving it to the async calls is part of the
// desktop-app work (issue 13). Data encrypted by the sync call stays readable
// by the async one, so the move needs no migration.
/* eslint-disable @typescript-eslint/no-deprecated -- see above: the async API needs an async vault contract */
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
/* eslint-enable @typescript-eslint/no-deprecated */
