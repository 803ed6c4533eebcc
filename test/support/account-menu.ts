import type { Page } from 'playwright-core';

/** In the page: true while the account menu's toggle says it is open. Text: this folder has no DOM types. */
const MENU_OPEN = `document
  .querySelector('xm-app')
  ?.shadowRoot?.querySelector('xm-roster-screen')
  ?.shadowRoot?.querySelector('xm-account-menu')
  ?.shadowRoot?.querySelector('.toggle[aria-expanded="true"]')`;

/**
 * Waits until the account menu (xm-account-menu) is closed: a status chosen there is drawn with the menu's
 * closing, so a check of the account button's text comes after this. Components and e2e tests alike.
 */
export async function accountMenuClosed(page: Page): Promise<void> {
  await page.waitForFunction(`!(${MENU_OPEN})`);
}
