// Issue 9 #5: the "Account and connection" view, opened from the account
// menu, against the fake API: the report's figures in plain words, network
// text rendered as text, a failed sign-in named by its step, "Fetch the
// whole roster again" busy then done, and the sign-in screen's error that
// names the step and the address tried.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { ConnectionReport } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

function signedInReport(): ConnectionReport {
  return {
    dns: [
      { name: '_xmpps-client._tcp.example.com', type: 'SRV', answers: [], error: null },
      { name: '_xmpp-client._tcp.example.com', type: 'SRV', answers: ['5 0 5222 xmpp.example.com'], error: null },
    ],
    attempts: [
      {
        host: '2001:db8::5',
        port: 5222,
        tls: 'starttls',
        ok: false,
        error: 'The server could not be reached (ENETUNREACH).',
      },
      { host: 'xmpp.example.com', port: 5222, tls: 'starttls', ok: true, error: null },
    ],
    tls: {
      version: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      certificate: { subject: 'example.com', issuer: 'Example CA', validTo: '2027-03-01T12:00:00.000Z' },
    },
    sasl: { mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-exporter' },
    server: { name: '<img src=x onerror=alert(1)>', version: '0.12.4' },
    features: { rosterVersioning: true, streamManagement: true, preApproval: false, blocking: true },
    roster: { lastFullSync: Date.UTC(2025, 10, 24, 14, 32), spoofedPushes: 2 },
    failure: null,
  };
}

const figure = (page: Page, name: string) => page.locator(`xm-connection-view [data-figure="${name}"]`);

async function openView(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Account and connection…' }).click();
  await page.getByRole('dialog', { name: 'Account and connection' }).waitFor();
  await figure(page, 'tls').waitFor();
}

test('issue 9 #5: the account menu opens "Account and connection" with the report in plain words', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster(), report: signedInReport() });
  await openView(page);
  assert.equal(await figure(page, 'found').innerText(), 'DNS service records (_xmpp-client._tcp.example.com)');
  assert.deepEqual(await figure(page, 'attempts').locator('li').allInnerTexts(), [
    '[2001:db8::5]:5222 (STARTTLS): failed — The server could not be reached (ENETUNREACH).',
    'xmpp.example.com:5222 (STARTTLS): connected',
  ]);
  assert.equal(await figure(page, 'tls').innerText(), 'TLSv1.3, TLS_AES_256_GCM_SHA384');
  assert.equal(
    await figure(page, 'certificate').innerText(),
    'issued to example.com by Example CA, valid until Mar 1, 2027',
  );
  assert.equal(await figure(page, 'sasl').innerText(), 'SCRAM-SHA-256-PLUS, with channel binding (tls-exporter)');
  assert.equal(
    await figure(page, 'server').innerText(),
    '<img src=x onerror=alert(1)> 0.12.4',
    'the server’s words are text',
  );
  assert.equal(await page.locator('xm-connection-view img').count(), 0);
  assert.equal(await figure(page, 'rosterVersioning').innerText(), 'yes');
  assert.equal(await figure(page, 'streamManagement').innerText(), 'yes');
  assert.equal(await figure(page, 'preApproval').innerText(), 'no');
  assert.equal(await figure(page, 'blocking').innerText(), 'yes');
  assert.equal(await figure(page, 'lastFullSync').innerText(), 'Nov 24, 2025, 2:32 PM');
  assert.equal(await figure(page, 'spoofedPushes').innerText(), '2');
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(
    violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    [],
  );
  await screenshot(page, 'connection-view');

  // Escape closes it and focus goes back to the menu's toggle.
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Account and connection' }).waitFor({ state: 'hidden' });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 9 #5: "Fetch the whole roster again" is busy while it runs, then says how many contacts came and reads the report again', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster(), report: signedInReport() });
  await openView(page);
  await page.evaluate(() => window.harness.hold('resyncRoster'));
  const button = page.locator('xm-connection-view #resync');
  await button.click();
  await page.locator('xm-connection-view [role=status]').filter({ hasText: 'Fetching the whole roster…' }).waitFor();
  assert.equal(await button.innerText(), 'Fetching…');
  assert.equal(await button.getAttribute('aria-disabled'), 'true');
  await button.dispatchEvent('click'); // a second press while busy does nothing
  await page.evaluate(() => window.harness.release('resyncRoster'));
  await page
    .locator('xm-connection-view [role=status]')
    .filter({ hasText: 'Fetched the whole roster again: 7 contacts.' })
    .waitFor();
  assert.equal(await page.evaluate(() => window.harness.callCount('resyncRoster')), 1);
  await page.waitForFunction(() => window.harness.callCount('getConnectionReport') === 2);
  assert.ok(await page.evaluate(() => window.harness.events.includes('xm-roster-resynced')));
  assert.equal(await button.innerText(), 'Fetch the whole roster again');

  await page.evaluate(() =>
    window.harness.respondNext('resyncRoster', {
      ok: false,
      error: { code: 'not-connected', message: 'Not connected to the server.' },
    }),
  );
  await button.click();
  await page
    .locator('xm-connection-view [role=alert]')
    .filter({ hasText: 'Could not fetch the roster: Not connected to the server. — try again when you are online.' })
    .waitFor();
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 9 #5: a failed last sign-in is named by its step; features are not guessed', async () => {
  const report: ConnectionReport = {
    ...signedInReport(),
    dns: [],
    attempts: [
      {
        host: 'xmpp.example.com',
        port: 5222,
        tls: 'starttls',
        ok: false,
        error: 'The secure connection failed: certificate has expired.',
      },
    ],
    tls: null,
    sasl: null,
    server: null,
    failure: { code: 'tls-failed', message: 'The secure connection failed: certificate has expired.', step: 'tls' },
  };
  const page = await openApp(env, {
    state: appState({
      account: { jid: 'juliet@example.com', host: 'xmpp.example.com', port: null, rememberPassword: false },
      connection: { status: 'offline' },
    }),
    roster: sampleRoster(),
    report,
  });
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('button', { name: 'Account and connection…' }).click();
  await figure(page, 'failure').waitFor();
  assert.equal(
    await figure(page, 'failure').innerText(),
    'The last sign-in failed while securing the connection: The secure connection failed: certificate has expired.',
  );
  assert.equal(await figure(page, 'found').innerText(), 'the server you entered (xmpp.example.com)');
  assert.equal(await figure(page, 'tls').innerText(), 'not established');
  assert.equal(await figure(page, 'sasl').innerText(), 'not completed');
  assert.equal(await figure(page, 'server').innerText(), 'not disclosed');
  assert.equal(await figure(page, 'features').innerText(), 'not known until signed in');
  await screenshot(page, 'connection-view-failed');
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

const signedOut = appState({ account: null, connection: { status: 'offline' }, syncedAt: null });

for (const [name, report, error, words] of [
  [
    'an unreachable endpoint',
    {
      attempts: [
        {
          host: '127.0.0.1',
          port: 1,
          tls: 'starttls',
          ok: false,
          error: 'The server could not be reached (ECONNREFUSED).',
        },
      ],
      failure: {
        code: 'host-unreachable',
        message: 'The server could not be reached (ECONNREFUSED).',
        step: 'connect',
      },
    },
    { code: 'host-unreachable', message: 'The server could not be reached (ECONNREFUSED).' },
    'Server unreachable: could not connect to 127.0.0.1:1 (The server could not be reached (ECONNREFUSED).)',
  ],
  [
    'no server in DNS',
    {
      attempts: [],
      failure: { code: 'no-xmpp-service', message: 'The domain says it offers no XMPP service.', step: 'dns' },
    },
    { code: 'no-xmpp-service', message: 'The domain says it offers no XMPP service.' },
    'No server found for example.org: The domain says it offers no XMPP service.',
  ],
] as const) {
  test(`issue 9 #5: the sign-in error names the step that failed: ${name}`, async () => {
    const base = signedInReport();
    const full = { ...base, tls: null, sasl: null, server: null, dns: [], ...report } as unknown as ConnectionReport;
    const page = await openApp(env, { state: signedOut, report: full });
    await page.getByRole('textbox', { name: 'Address' }).fill('juliet@example.org');
    await page.getByLabel('Password', { exact: true }).fill('secret');
    await page.evaluate((e) => window.harness.respondNext('signIn', { ok: false, error: e }), error);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('xm-sign-in [role=alert]');
    await alert.filter({ hasText: words }).waitFor();
    assert.equal((await alert.textContent())!.trim(), words);
    await page.context().close();
  });
}
