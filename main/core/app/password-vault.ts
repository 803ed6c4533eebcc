/**
 * Where a remembered password goes. The Electron build encrypts it with
 * safeStorage (the OS keychain); tests use a vault that reports no keychain
 * or one that does, to exercise both paths without Electron.
 */
export interface PasswordVault {
  /** True when the OS keychain protects secrets (not Linux's basic text store). Known when the vault is made. */
  isKeychainAvailable(): boolean;
  /** Asynchronous: Electron's safeStorage deprecates its synchronous calls (Electron 45). */
  encrypt(plain: string): Promise<Buffer>;
  decrypt(secret: Buffer): Promise<string>;
}

/** A vault for tests and the headless command: reversible, clearly not secure. */
export class TestVault implements PasswordVault {
  constructor(private readonly keychain: boolean) {}
  isKeychainAvailable(): boolean {
    return this.keychain;
  }
  encrypt(plain: string): Promise<Buffer> {
    return Promise.resolve(Buffer.from(`test-vault:${plain}`, 'utf8'));
  }
  decrypt(secret: Buffer): Promise<string> {
    return Promise.resolve(secret.toString('utf8').replace(/^test-vault:/, ''));
  }
}
