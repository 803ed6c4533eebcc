// The sign-in screen and the connection banner: validation as typed,
// "Signing in…", errors in plain words by code, the unencrypted-password
// confirmation, the banner's words per state, and listeners let go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ConnectionState, ErrorInfo } from '../../preload/contract.js';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

const signedOut = (canStorePasswordSafely = true) =>
  appState({ account: null, connection: { status: 'offline' }, syncedAt: null, canStorePasswordSafely });

async function fillSignIn(page: Page, jid: string, password: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Address' }).fill(jid);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

test('sign in: address checked as typed, "Signing in…", then the roster', async () => {
  const page = await openApp(env, { state: signedOut(), roster: sampleRoster() });
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await screenshot(page, 'sign-in');
  const jid = page.getByRole('textbox', { name: 'Address' });
  assert.ok(await jid.evaluate((el) => el.matches(':focus')), 'the address field has focus');

  await jid.fill('juliet');
  await jid.blur();
  await page.getByText('Use the form name@example.com.').waitFor();
  assert.equal(await jid.getAttribute('aria-invalid'), 'true');
  await jid.press('End');
  await jid.pressSequentially('@example.com');
  assert.equal(await jid.getAttribute('aria-invalid'), 'false');

  await page.getByLabel('Password', { exact: true }).fill('s3cret');
  await page.getByText('Advanced').click();
  await page.getByRole('textbox', { name: 'Server (optional)' }).fill('xmpp.example.com');
  await page.getByRole('textbox', { name: 'Port (optional)' }).fill('70000');
  await page.getByText('The port is a number from 1 to 65535.').waitFor();
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.evaluate(() => window.harness.callCount('signIn')), 0, 'a bad port is not sent');
  await page.getByRole('textbox', { name: 'Port (optional)' }).fill('5223');

  await page.evaluate(() => window.harness.hold('signIn'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Signing in…' }).waitFor();
  await screenshot(page, 'signing-in');
  assert.deepEqual(await page.evaluate(() => window.harness.calls.at(-1)), {
    method: 'signIn',
    args: [
      { jid: 'juliet@example.com', password: 's3cret', host: 'xmpp.example.com', port: 5223, rememberPassword: false },
    ],
  });
  await page.evaluate(() => window.harness.release('signIn'));
  await page.getByRole('heading', { level: 1, name: /Contacts/ }).waitFor();
  await page.waitForFunction(() => window.harness.events.includes('xm-roster-loaded'));
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

for (const [code, message, words] of [
  ['auth-failed', 'SASL: not-authorized', 'Wrong address or password'],
  ['host-unreachable', 'connect ECONNREFUSED 127.0.0.1:5222', 'Server unreachable'],
  ['tls-failed', 'certificate has expired', 'Secure connection problem: certificate has expired'],
  ['tls-required', 'the server offers no STARTTLS', 'Secure connection problem: the server offers no STARTTLS'],
  ['timeout', 'The server did not answer within 10 seconds.', 'The server did not answer within 10 seconds.'],
] as const) {
  test(`sign in: ${code} is shown as "${words}"`, async () => {
    const page = await openApp(env, { state: signedOut() });
    await fillSignIn(page, 'juliet@example.com', 'wrong');
    await page.evaluate((error) => window.harness.respondNext('signIn', { ok: false, error }), { code, message });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('xm-sign-in [role=alert]');
    await alert.filter({ hasText: words }).waitFor();
    assert.equal((await alert.textContent())!.trim(), words);
    if (code === 'auth-failed') await screenshot(page, 'sign-in-error');
    await page.context().close();
  });
}

test('remember password without a safe store needs an explicit confirmation', async () => {
  const page = await openApp(env, { state: signedOut(false) });
  await page.getByText('the password would be stored without OS encryption').waitFor();
  const remember = page.getByRole('checkbox', { name: 'Remember password' });
  await remember.click({ force: true });
  assert.equal(await remember.isChecked(), false, 'not ticked before confirming');
  await page.getByRole('button', { name: 'Store without encryption' }).waitFor();
  await screenshot(page, 'sign-in-unsafe-confirm');

  await page.getByRole('button', { name: 'Don’t remember' }).click();
  assert.equal(await remember.isChecked(), false);
  await remember.click({ force: true });
  await page.getByRole('button', { name: 'Store without encryption' }).click();
  assert.equal(await remember.isChecked(), true);

  await fillSignIn(page, 'juliet@example.com', 'pw');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => window.harness.events.includes('xm-signed-in'));
  const call = await page.evaluate(() => window.harness.calls.find((c) => c.method === 'signIn'));
  assert.equal((call!.args[0] as { rememberPassword: boolean }).rememberPassword, true);
  await page.context().close();
});

test('connection banner: online, connecting, offline with the saved time, refused password', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  const banner = page.locator('xm-connection-banner [role=status]');
  const set = (state: ConnectionState, syncedAt: number | null) =>
    page.evaluate(([s, t]) => window.harness.emit({ type: 'connection', state: s, syncedAt: t }), [
      state,
      syncedAt,
    ] as const);
  assert.equal((await banner.innerText()).trim(), 'Online');

  await set({ status: 'connecting', attempt: 3 }, null);
  await banner.filter({ hasText: 'Connecting (attempt 3)…' }).waitFor();
  await set({ status: 'connecting', attempt: 2 }, Date.UTC(2025, 10, 24, 14, 32));
  await banner
    .filter({ hasText: 'Offline — showing contacts saved at Nov 24, 2025, 2:32 PM; connecting (attempt 2)…' })
    .waitFor();

  await set({ status: 'offline' }, Date.UTC(2025, 10, 24, 14, 32));
  await banner.filter({ hasText: 'Offline — showing contacts saved at Nov 24, 2025, 2:32 PM' }).waitFor();
  await screenshot(page, 'banner-offline');
  await set({ status: 'offline' }, null);
  await banner.filter({ hasText: 'Offline — never synced' }).waitFor();
  await set(
    { status: 'error', error: { code: 'host-unreachable', message: 'connect ECONNREFUSED' } },
    Date.UTC(2025, 10, 24, 14, 32),
  );
  await banner
    .filter({ hasText: 'Offline — showing contacts saved at Nov 24, 2025, 2:32 PM. Server unreachable' })
    .waitFor();

  await set(
    { status: 'error', error: { code: 'auth-failed', message: 'not-authorized' } },
    Date.UTC(2025, 10, 24, 14, 32),
  );
  await banner.filter({ hasText: 'Sign-in failed: wrong password' }).waitFor();
  await screenshot(page, 'banner-auth-failed');
  await page.getByRole('button', { name: 'Sign in again' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in again' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Address' }).inputValue(), 'juliet@example.com');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('heading', { level: 1, name: /Contacts/ }).waitFor();
  await page.context().close();
});

test('the roster screen lets go of its event listener when it leaves', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  assert.equal(await page.evaluate(() => window.harness.listenerCount()), 2, 'xm-app and the roster');
  await page.evaluate(() => window.harness.emit({ type: 'account', account: null }));
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => window.harness.listenerCount()), 1);
  await page.context().close();
});

test('issue 11 #15: "Store without encryption" is sent as acceptUnencryptedStorage, and only then', async () => {
  const page = await openApp(env, { state: signedOut(false) }, { viewport: { width: 420, height: 760 } });
  const remember = page.getByRole('checkbox', { name: 'Remember password' });
  const signIns = () =>
    page.evaluate(() => window.harness.calls.filter((c) => c.method === 'signIn').map((c) => c.args[0]));

  // Confirmed, then taken back by unticking: nothing to accept.
  await remember.click({ force: true });
  await page.getByRole('button', { name: 'Store without encryption' }).click();
  assert.equal(await remember.isChecked(), true);
  await remember.click({ force: true });
  assert.equal(await remember.isChecked(), false);
  await fillSignIn(page, 'juliet@example.com', 'pw');
  // A refusal, so the form stays for the second try.
  await page.evaluate(() =>
    window.harness.respondNext('signIn', { ok: false, error: { code: 'auth-failed', message: 'no' } }),
  );
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Wrong address or password' }).waitFor();
  assert.deepEqual(await signIns(), [
    { jid: 'juliet@example.com', password: 'pw', host: null, port: null, rememberPassword: false },
  ]);

  // Ticked and confirmed: the yes goes with the request.
  await remember.click({ force: true });
  await page.getByRole('button', { name: 'Store without encryption' }).click();
  assert.equal(await remember.isChecked(), true);
  await screenshot(page, 'issue-15-unencrypted-confirmed');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => window.harness.events.includes('xm-signed-in'));
  assert.deepEqual((await signIns())[1], {
    jid: 'juliet@example.com',
    password: 'pw',
    host: null,
    port: null,
    rememberPassword: true,
    acceptUnencryptedStorage: true,
  });
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 11 #15: with a keychain, acceptUnencryptedStorage is never sent', async () => {
  const page = await openApp(env, { state: signedOut(true) });
  await page.getByRole('checkbox', { name: 'Remember password' }).click({ force: true });
  assert.equal(await page.getByRole('button', { name: 'Store without encryption' }).count(), 0);
  await fillSignIn(page, 'juliet@example.com', 'pw');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => window.harness.events.includes('xm-signed-in'));
  const call = await page.evaluate(() => window.harness.calls.find((c) => c.method === 'signIn'));
  assert.deepEqual(call!.args[0], {
    jid: 'juliet@example.com',
    password: 'pw',
    host: null,
    port: null,
    rememberPassword: true,
  });
  await page.context().close();
});

test('issue 9 #1: the Direct TLS checkbox under Advanced sends directTls; the banner names the host being tried', async () => {
  const page = await openApp(env, { state: signedOut(), roster: sampleRoster() });
  await fillSignIn(page, 'juliet@example.com', 's3cret');
  await page.getByText('Advanced').click();
  await page.getByRole('textbox', { name: 'Server (optional)' }).fill('xmpp.example.com');
  const direct = page.getByRole('checkbox', { name: 'Direct TLS' });
  assert.equal(await direct.isChecked(), false);
  await direct.check();
  await screenshot(page, 'sign-in-direct-tls');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => window.harness.events.includes('xm-signed-in'));
  const call = await page.evaluate(() => window.harness.calls.find((c) => c.method === 'signIn'));
  assert.deepEqual(call!.args[0], {
    jid: 'juliet@example.com',
    password: 's3cret',
    host: 'xmpp.example.com',
    port: null,
    directTls: true,
    rememberPassword: false,
  });
  const banner = page.locator('xm-connection-banner [role=status]');
  const set = (state: ConnectionState) =>
    page.evaluate((s) => window.harness.emit({ type: 'connection', state: s, syncedAt: null }), state);
  await set({ status: 'connecting', attempt: 1, host: 'xmpp1.hosting.example', port: 5223 });
  await banner.filter({ hasText: 'Connecting to xmpp1.hosting.example:5223…' }).waitFor();
  await set({ status: 'connecting', attempt: 2, host: 'xmpp2.hosting.example', port: 5222 });
  await banner.filter({ hasText: 'Connecting to xmpp2.hosting.example (attempt 2)…' }).waitFor();
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});

test('issue 9 #4: sign in: auth-downgrade is named, and "Sign in anyway" resends with acceptDowngrade', async () => {
  const page = await openApp(env, { state: signedOut(), roster: sampleRoster() });
  await fillSignIn(page, 'juliet@example.com', 's3cret');
  const message =
    'The server no longer offers SCRAM (it offered SCRAM-SHA-256 before; now only PLAIN, which sends the password itself). ' +
    'Someone between you and the server may have removed them, so Balcony sent no password.';
  const downgrade: ErrorInfo = { code: 'auth-downgrade', message };
  await page.evaluate((error) => window.harness.respondNext('signIn', { ok: false, error }), downgrade);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('xm-sign-in [role=alert]').filter({ hasText: 'no longer offers SCRAM' }).waitFor();
  const anyway = page.getByRole('button', { name: 'Sign in anyway' });
  await anyway.waitFor();
  await screenshot(page, 'sign-in-downgrade');
  const firstRequest = (await page.evaluate(() => window.harness.calls.filter((c) => c.method === 'signIn').at(-1)))
    ?.args[0] as { acceptDowngrade?: boolean } | undefined;
  assert.equal(firstRequest?.acceptDowngrade, undefined, 'no consent before the user gives it');
  await anyway.click();
  await page.getByRole('heading', { level: 1, name: /Contacts/ }).waitFor();
  const last = await page.evaluate(() => window.harness.calls.filter((c) => c.method === 'signIn').at(-1));
  assert.equal((last?.args[0] as { acceptDowngrade?: boolean } | undefined)?.acceptDowngrade, true);
  assert.equal(await page.evaluate(() => window.harness.callCount('signIn')), 2);
  assert.deepEqual(await pageProblems(page), []);
  await page.context().close();
});
