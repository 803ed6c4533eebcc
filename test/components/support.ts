// Node side of the component tests: bundles harness.ts (the renderer plus a
// fake MessengerApi) with esbuild into a throwaway directory, serves it on
// 127.0.0.1 under the app's own index.html and CSP, and drives Debian's
// Chromium with playwright-core.
import { build } from 'esbuild';
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { AccountSettings, AppState, RosterItem, RosterSnapshot } from '../../preload/contract.js';
import type { HarnessSetup } from './harness.js';
import { launchChromium, serveRendererDir } from '../support/renderer-server.js';

const root = new URL('../../', import.meta.url).pathname;
export const screensDir = join(root, 'test-results/screens');

export interface ComponentEnv {
  browser: Browser;
  url: string;
  close(): Promise<void>;
}

/**
 * The environment of one test file: started before its tests and closed
 * after them (also when the start failed half-way). Read its fields inside
 * tests only.
 */
export function useComponentEnv(): ComponentEnv {
  let started: ComponentEnv | undefined;
  before(async () => {
    started = await startEnv();
  });
  after(async () => {
    await started?.close();
  });
  const get = (): ComponentEnv => {
    if (!started) throw new Error('the component test environment did not start');
    return started;
  };
  return {
    get browser() {
      return get().browser;
    },
    get url() {
      return get().url;
    },
    close: () => get().close(),
  };
}

/** Builds the page, starts the server and the browser; `close()` undoes all three. */
export async function startEnv(): Promise<ComponentEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'balcony-components-'));
  await build({
    entryPoints: [join(root, 'test/components/harness.ts')],
    outfile: join(dir, 'harness.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    // Lit's development build warns about misuse (e.g. class fields shadowing properties).
    conditions: ['development'],
    logLevel: 'warning',
  });
  // The production page, CSP and all; only the script differs and the app is mounted by the test.
  const page = readFileSync(join(root, 'renderer/index.html'), 'utf8')
    .replace('./app.js', './harness.js')
    .replace('<xm-app></xm-app>', '');
  writeFileSync(join(dir, 'index.html'), page);

  const server = await serveRendererDir(dir);
  const browser = await launchChromium();
  return {
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions extends Pick<BrowserContextOptions, 'colorScheme' | 'viewport'> {
  /** Wait for the first roster to be drawn (default: when an account is set). */
  waitForRoster?: boolean;
}

/** A fresh page (own storage) with the app mounted on `setup`, ready to use. */
export async function openApp(env: ComponentEnv, setup: HarnessSetup, options: OpenOptions = {}): Promise<Page> {
  const context = await env.browser.newContext({
    viewport: options.viewport ?? { width: 960, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (msg) => {
    // Lit's one-time "dev mode" notice is expected in this build; anything else is a finding.
    if ((msg.type() === 'error' || msg.type() === 'warning') && !msg.text().includes('Lit is in dev mode'))
      problems.push(msg.text());
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(env.url);
  await mount(page, setup, options);
  return page;
}

/** Mounts the app again on the same page origin (e.g. after a reload, keeping localStorage). */
export async function mount(page: Page, setup: HarnessSetup, options: OpenOptions = {}): Promise<void> {
  await page.evaluate((s) => window.harness.mount(s), setup);
  await page.waitForFunction(() => window.harness.events.includes('xm-app-ready'));
  if (options.waitForRoster ?? setup.state.account !== null) {
    await page.waitForFunction(() => window.harness.events.includes('xm-roster-loaded'));
  }
}

/** Page errors, console errors/warnings and CSP violations seen so far. */
export async function pageProblems(page: Page): Promise<string[]> {
  const csp = await page.evaluate(() => window.harness.cspViolations);
  return [...(page as Page & { problems: string[] }).problems, ...csp.map((v) => `CSP: ${v}`)];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: join(screensDir, `components-${name}.png`) });
}

// ---- data ----

export function account(jid = 'juliet@example.com'): AccountSettings {
  return { jid, host: null, port: null, rememberPassword: false };
}

export function appState(overrides: Partial<AppState> = {}): AppState {
  return {
    account: account(),
    connection: { status: 'online', jid: 'juliet@example.com/balcony' },
    syncedAt: Date.UTC(2025, 10, 24, 14, 32),
    canStorePasswordSafely: true,
    ...overrides,
  };
}

export function contact(jid: string, fields: Partial<RosterItem> = {}): RosterItem {
  return { jid, name: null, subscription: 'both', ask: null, approved: false, groups: [], ...fields };
}

/** A small, realistic roster: groups, no group, a contact in two groups, every subscription state. */
export function sampleRoster(): RosterSnapshot {
  return {
    account: 'juliet@example.com',
    version: 'v1',
    items: [
      contact('romeo@montague.example', { name: 'Romeo Montague', groups: ['Family', 'Friends'] }),
      contact('rene@example.fr', { name: 'René Descartes', groups: ['Friends'], subscription: 'to' }),
      contact('nurse@capulet.example', { name: 'Nurse', groups: ['Family'], subscription: 'from' }),
      contact('mercutio@example.org', {
        name: 'Mercutio',
        groups: ['Friends'],
        subscription: 'none',
        ask: 'subscribe',
      }),
      contact('friar@verona.example', { name: 'Friar Laurence', subscription: 'from', approved: true }),
      contact('benvolio@example.org', { groups: ['Work'] }),
      contact('tybalt@capulet.example', { name: 'Tybalt', groups: ['Work'], subscription: 'to' }),
    ],
  };
}

export function bigRoster(count: number): RosterSnapshot {
  const groups = ['Colleagues', 'Family', 'Friends', 'Neighbours', 'Sports club'];
  const items = Array.from({ length: count }, (_, i) =>
    contact(`user${String(i).padStart(4, '0')}@example.net`, {
      name: `Contact ${String(i).padStart(4, '0')}`,
      groups: i % 7 === 0 ? [] : [groups[i % groups.length]!],
    }),
  );
  return { account: 'juliet@example.com', version: 'big', items };
}
