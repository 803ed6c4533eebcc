import type { Database, Statement } from 'better-sqlite3';

export type PasswordProtection = 'os-keychain' | 'plain-text';

export interface SavedPassword {
  protection: PasswordProtection;
  secret: Buffer;
}

/** Small app settings (JSON values by key) and saved passwords. */
export class AppSettingsStore {
  private readonly selectSetting: Statement<[string], { value: string }>;
  private readonly upsertSetting: Statement<[string, string]>;
  private readonly deleteSetting: Statement<[string]>;
  private readonly selectPassword: Statement<[string], SavedPassword>;
  private readonly upsertPassword: Statement<[string, string, Buffer]>;
  private readonly deletePassword: Statement<[string]>;

  constructor(db: Database) {
    this.selectSetting = db.prepare('SELECT value FROM app_settings WHERE key = ?');
    this.upsertSetting = db.prepare(
      'INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.deleteSetting = db.prepare('DELETE FROM app_settings WHERE key = ?');
    this.selectPassword = db.prepare('SELECT protection, secret FROM saved_passwords WHERE account = ?');
    this.upsertPassword = db.prepare(
      `INSERT INTO saved_passwords (account, protection, secret) VALUES (?, ?, ?)
       ON CONFLICT (account) DO UPDATE SET protection = excluded.protection, secret = excluded.secret`,
    );
    this.deletePassword = db.prepare('DELETE FROM saved_passwords WHERE account = ?');
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- callers name the stored shape (only set() writes it); returning unknown needs their files changed too
  get<T>(key: string): T | undefined {
    const row = this.selectSetting.get(key);
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return undefined; // a damaged value reads as unset
    }
  }

  set(key: string, value: unknown): void {
    this.upsertSetting.run(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.deleteSetting.run(key);
  }

  getPassword(account: string): SavedPassword | undefined {
    return this.selectPassword.get(account);
  }

  savePassword(account: string, password: SavedPassword): void {
    this.upsertPassword.run(account, password.protection, password.secret);
  }

  forgetPassword(account: string): void {
    this.deletePassword.run(account);
  }
}
