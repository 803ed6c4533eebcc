/**
 * Issue 9 #5 end to end: the built renderer (dist/renderer) in Debian's
 * Chromium, bridged to the real core against a real Prosody. Sign in; open
 * "Account and connection" from the account menu and read the figures the
 * real sign-in recorded (TLS, SASL, Prosody's XEP-0092 answer, features,
 * last full sync); press "Fetch the whole roster again": the list is still
 * complete. Screenshots at 420x760 and 1280x800, light and dark, go to
 * test-results/screens/e2e-connection-*.png.
 *
 * Self-contained on purpose: its bridge builds window.messenger from the
 * contract's channel list, so it needs nothing from test/e2e/bridge.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHANNELS, type MessengerEvent } from '../../preload/contract.js';
import { createHandlers, type HandlerTable } from '../../main/core/app/ipc-handlers.js';
import { MessengerService } from '../../main/core/app/messenger-service.js';
import { TestVault } from '../../main/core/app/password-vault.js';
import { launchChromium, serveRendererDir, type StaticServer } from '../support/renderer-server.js';
import { startProsody, type TestServer } from '../support/xmpp-servers.js';
import { openCore, tempDir } from '../support/roster-fixtures.js';

const SCREENS = 'test-results/screens';
const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
const METHODS = Object.keys(CHANNELS).filter((name) => name !== 'event');

// The preload's object, over one binding; source text, so nothing of tsx's transform reaches the page.
const INSTALL_MESSENGER = `(() => {
  const listeners = new Set();
  const api = {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  for (const name of ${JSON.stringify(METHODS)}) api[name] = (...args) => window.__balconyInvoke(name, args);
  window.__balconyDeliver = (event) => { for (const l of listeners) l(event); };
  window.messenger = Object.freeze(api);
})();`;

async function openPage(browser: Browser, url: string, service: MessengerService, events: MessengerEvent[]): Promise<{ page: Page; context: BrowserContext; detach(): void }> {
  const context = await browser.newContext({ viewport: { width: 420, height: 760 }, colorScheme: 'light', locale: 'en-US' });
  const page = await context.newPage();
  const handlers: HandlerTable = createHandlers(service);
  await page.exposeBinding('__balconyInvoke', async (_source, channel: string, args: unknown[]) => {
    const handler = handlers[channel as keyof HandlerTable];
    return handler ? handler(Array.isArray(args) ? args : []) : { ok: false, error: { code: 'invalid-argument', message: 'unknown channel' } };
  });
  await page.addInitScript({ content: INSTALL_MESSENGER });
  const forward = (event: MessengerEvent): void => {
    events.push(event);
    page.evaluate((e) => (window as unknown as { __balconyDeliver(e: unknown): void }).__balconyDeliver(e), event).catch(() => {});
  };
  service.on('event', forward);
  await page.goto(url);
  return { page, context, detach: () => service.off('event', forward) };
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/e2e-${name}.png` });
}

const row = (page: Page, jid: string) => page.locator(`.contact-row[data-jid="${jid}"]`).first();
const figure = (page: Page, name: string) => page.locator(`xm-connection-view [data-figure="${name}"]`);
const JIDS = ['benvolio@example.net', 'rene@example.fr', 'romeo@example.net'];

describe('issue 9 #5: "Account and connection" end to end (Chromium + real core + Prosody)', { timeout: 180_000 }, () => {
  let server: TestServer;
  let service: MessengerService;
  let browser: Browser;
  let served: StaticServer;
  let opened: Awaited<ReturnType<typeof openPage>>;
  let page: Page;
  const events: MessengerEvent[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    server = await startProsody({ tls: true });
    await server.register('juliet', 'secret');
    const seed = openCore(server, 'juliet', 'secret', { resource: 'seed' });
    await seed.session.start({ failFast: true });
    await seed.roster.retrieve();
    await seed.roster.add({ jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'] });
    await seed.roster.add({ jid: 'benvolio@example.net', name: 'Benvolio', groups: ['Friends'] });
    await seed.roster.add({ jid: 'rene@example.fr', name: 'René Descartes' });
    await seed.close();
    service = new MessengerService({
      profileDir: tempDir(),
      vault: new TestVault(true),
      sessionDefaults: { ca: readFileSync(server.caFile, 'utf8'), connectTimeoutMs: 5_000 },
    });
    browser = await launchChromium();
    served = await serveRendererDir(RENDERER_DIR);
    opened = await openPage(browser, served.url, service, events);
    page = opened.page;
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });
  after(async () => {
    opened?.detach();
    await opened?.context.close();
    await browser?.close();
    await served?.close();
    await service?.close();
    await server?.stop();
  });

  it('issue 9 #5: the view opened from the account menu shows what the real sign-in recorded', async () => {
    await page.getByLabel('Address').fill('juliet@localhost');
    await page.getByLabel('Password', { exact: true }).fill('secret');
    await page.getByText('Advanced').click();
    await page.getByLabel('Server').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(server.port));
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const jid of JIDS) await row(page, jid).waitFor();

    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await page.getByRole('button', { name: 'Account and connection…' }).click();
    await page.getByRole('dialog', { name: 'Account and connection' }).waitFor();
    await figure(page, 'tls').waitFor();
    assert.equal(await figure(page, 'found').innerText(), `the server you entered (127.0.0.1:${server.port})`);
    assert.equal(await figure(page, 'attempts').innerText(), `127.0.0.1:${server.port} (STARTTLS): connected`);
    assert.match(await figure(page, 'tls').innerText(), /^TLSv1\.[23], \S+$/);
    assert.match(await figure(page, 'certificate').innerText(), /^issued to localhost by .+, valid until \w{3} \d{1,2}, \d{4}$/);
    assert.match(await figure(page, 'sasl').innerText(), /^SCRAM-SHA-\S+, with(out)? channel binding/);
    assert.match(await figure(page, 'server').innerText(), /^Prosody \d+\.\d+/);
    assert.equal(await figure(page, 'rosterVersioning').innerText(), 'yes');
    assert.equal(await figure(page, 'streamManagement').innerText(), 'yes');
    assert.equal(await figure(page, 'blocking').innerText(), 'yes');
    assert.notEqual(await figure(page, 'lastFullSync').innerText(), 'never');
    assert.equal(await figure(page, 'spoofedPushes').innerText(), '0');
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`), []);

    for (const [width, height] of [[420, 760], [1280, 800]] as const) {
      await page.setViewportSize({ width, height });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await shoot(page, `connection-view-${width}x${height}-${colorScheme}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('issue 9 #5: "Fetch the whole roster again" replaces the cache with the full roster; the list stays complete', async () => {
    const syncedBefore = (await service.getConnectionReport()).roster.lastFullSync!;
    const from = events.length;
    await page.locator('xm-connection-view #resync').click();
    await page.locator('xm-connection-view [role=status]').filter({ hasText: 'Fetched the whole roster again: 3 contacts.' }).waitFor();
    const replaced = events.slice(from).filter((e) => e.type === 'roster' && e.change.kind === 'replace');
    assert.equal(replaced.length, 1, 'one full result, as a replace');
    assert.ok((await service.getConnectionReport()).roster.lastFullSync! >= syncedBefore);
    await shoot(page, 'connection-view-resynced');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog', { name: 'Account and connection' }).waitFor({ state: 'hidden' });
    for (const jid of JIDS) await row(page, jid).waitFor();
    assert.deepEqual(service.getRoster().items.map((i) => i.jid), JIDS);
    await shoot(page, 'connection-after-resync');
    assert.deepEqual(pageErrors, []);
  });
});
