/**
 * Where a remembered password goes. The Electron build encrypts it with
 * safeStorage (the OS keychain); tests use a vault that reports no keychain
 * or one that does, to exercise both paths without Electron.
 */
export interface PasswordVault {
  /** True when the OS keychain protects secrets (not Linux's basic text store). */
  isKeychainAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(secret: Buffer): string;
}

/** A vault for tests and the headless command: reversible, clearly not secure. */
export class TestVault implements PasswordVault {
  constructor(private readonly keychain: boolean) {}
  isKeychainAvailable(): boolean {
    return this.keychain;
  }
  encrypt(plain: string): Buffer {
    return Buffer.from(`test-vault:${plain}`, 'utf8');
  }
  decrypt(secret: Buffer): string {
    return secret.toString('utf8').replace(/^test-vault:/, '');
  }
}
