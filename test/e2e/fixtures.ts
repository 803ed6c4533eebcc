/**
 * What every end-to-end test shares: the app opened in Chromium over the one
 * renderer bridge (test/support/renderer-bridge.ts) and closed again in one
 * call, page errors collected, screenshots, the axe check, and the locators
 * the screens have in common.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import type { MessengerService } from '../../main/core/app/messenger-service.js';
import {
  launchChromium,
  openBridgedPage,
  serveRenderer,
  type BridgeOptions,
  type BridgedPage,
  type ServedRenderer,
} from '../support/renderer-bridge.js';

const SCREENS = 'test-results/screens';

export interface E2eApp {
  page: Page;
  bridged: BridgedPage;
  /** Errors thrown in the page, as text; a test that ends with some has found a bug. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Launches Chromium, serves the built renderer and opens it wired to `service`. The caller closes the service. */
export async function openApp(service: MessengerService, options: BridgeOptions = {}): Promise<E2eApp> {
  let browser: Browser | undefined;
  let served: ServedRenderer | undefined;
  let bridged: BridgedPage | undefined;
  const close = async (): Promise<void> => {
    await bridged?.close();
    await browser?.close();
    await served?.close();
  };
  try {
    browser = await launchChromium();
    served = await serveRenderer();
    bridged = await openBridgedPage(browser, served, service, options);
  } catch (error) {
    await close();
    throw error;
  }
  const pageErrors: string[] = [];
  bridged.page.on('pageerror', (e) => pageErrors.push(String(e)));
  return { page: bridged.page, bridged, pageErrors, close };
}

/** Saves a screenshot as test-results/screens/e2e-<name>.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/e2e-${name}.png` });
}

/** axe on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help}`),
    [],
    `axe on ${screen}`,
  );
}

/** A contact's row in the list. */
export const contactRow = (page: Page, jid: string) => page.locator(`.contact-row[data-jid="${jid}"]`).first();
/** The connection banner's status line. */
export const connectionBanner = (page: Page) => page.locator('xm-connection-banner [role=status]');

/** The roster the Prosody-backed e2e tests start from (seedRoster). */
export const VERONA_ROSTER = [
  { jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'] },
  { jid: 'benvolio@example.net', name: 'Benvolio', groups: ['Friends'] },
  { jid: 'rene@example.fr', name: 'René Descartes' },
];

/** Fills the sign-in form for juliet@localhost with the server under Advanced; the caller presses "Sign in". */
export async function fillSignIn(page: Page, port: number, password = 'secret'): Promise<void> {
  await page.getByLabel('Address').fill('juliet@localhost');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByText('Advanced').click();
  await page.getByLabel('Server').fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(port));
}
