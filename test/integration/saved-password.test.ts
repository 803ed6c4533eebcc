/**
 * Issue 13 #5: the password vault is asynchronous (Electron 45's safeStorage
 * encryptStringAsync/decryptStringAsync). Against Prosody: a remembered
 * password is encrypted on sign-in and decrypted by the next start's resume(),
 * which then comes online by itself; a secret the vault cannot decrypt opens
 * the cached account offline instead of failing the start.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { MessengerEvent } from '../../preload/contract.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { tempDir, waitForEvent } from '../support/roster-fixtures.js';

/** The async vault as safeStorage behaves, counting its calls; `broken` makes decrypt fail (a changed keychain). */
class CountingVault extends TestVault {
  calls: string[] = [];
  constructor(private readonly broken = false) {
    super(true);
  }
  override async encrypt(plain: string): Promise<Buffer> {
    this.calls.push('encrypt');
    return super.encrypt(plain);
  }
  override async decrypt(secret: Buffer): Promise<string> {
    this.calls.push('decrypt');
    if (this.broken) throw new Error('the keychain key changed');
    return super.decrypt(secret);
  }
}

describe('issue 13 #5: the asynchronous password vault, against Prosody', { timeout: 120_000 }, () => {
  let server: TestServer;
  const services: MessengerService[] = [];
  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
  });
  after(async () => {
    for (const service of services) await service.close().catch(() => undefined);
    await (server as TestServer | undefined)?.stop();
  });

  function open(profileDir: string, vault: TestVault): MessengerService {
    const service = new MessengerService({
      profileDir,
      vault,
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 5_000 },
    });
    services.push(service);
    return service;
  }
  const online = (service: MessengerService): Promise<[MessengerEvent]> =>
    waitForEvent<[MessengerEvent]>(
      service,
      'event',
      (e) => e.type === 'connection' && e.state.status === 'online',
      10_000,
    );

  it('issue 13 #5: a remembered password is encrypted at sign-in and decrypted by resume(), which signs in', async () => {
    const profileDir = tempDir();
    const vault = new CountingVault();
    const first = open(profileDir, vault);
    await first.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: server.host,
      port: server.port,
      rememberPassword: true,
    });
    await first.close();
    assert.deepEqual(vault.calls, ['encrypt']);

    const second = open(profileDir, vault);
    const cameOnline = online(second);
    await second.resume();
    assert.deepEqual(vault.calls, ['encrypt', 'decrypt']);
    await cameOnline;
    assert.equal(second.getState().connection.status, 'online');
    await second.close();
  });

  it('issue 13 #5: a secret the vault cannot decrypt: resume() opens the account offline, asking for the password again', async () => {
    const profileDir = tempDir();
    const first = open(profileDir, new CountingVault());
    await first.signIn({
      jid: 'juliet@localhost',
      password: 'secret',
      host: server.host,
      port: server.port,
      rememberPassword: true,
    });
    await first.close();
    const vault = new CountingVault(true);
    const second = open(profileDir, vault);
    await second.resume();
    assert.deepEqual(vault.calls, ['decrypt']);
    assert.equal(second.getState().account?.jid, 'juliet@localhost');
    assert.notEqual(second.getState().connection.status, 'online');
    await second.close();
  });
});
