// The notice that the saved data was damaged and rebuilt (issue 11 #20):
// shown in plain words over the roster, with the kept edits, until "OK".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appState, openApp, pageProblems, sampleRoster, screenshot, useComponentEnv } from './support.js';

const env = useComponentEnv();

test('issue 11 #20: a profile rebuilt at start is said in plain words, with the edits kept, until OK', async () => {
  const movedTo = '/home/juliet/.config/Balcony/balcony.sqlite3.corrupt-2026-01-01T00-00-00-000Z';
  const page = await openApp(env, {
    state: appState({ profileRecovery: { movedTo, keptEdits: 2, keptOther: 3 } }),
    roster: sampleRoster(),
  });
  const notice = page.getByRole('alert').filter({ hasText: 'damaged' });
  await notice.waitFor();
  const text = await notice.innerText();
  assert.match(
    text,
    /Your saved contact list was damaged, so Balcony started a fresh one and will fetch your contacts again from the server\./,
  );
  assert.match(text, /2 changes waiting to be sent were recovered and will be sent when you are online\./);
  assert.ok(text.includes(movedTo), text);
  await page.getByRole('heading', { level: 1, name: /Contacts/ }).waitFor();
  await screenshot(page, 'profile-recovered');
  await notice.getByRole('button', { name: 'OK' }).click();
  await notice.waitFor({ state: 'detached' });
  assert.deepEqual(await pageProblems(page), []);
});

test('issue 11 #20: no notice when the profile opened cleanly', async () => {
  const page = await openApp(env, { state: appState(), roster: sampleRoster() });
  assert.equal(await page.locator('xm-profile-notice').count(), 0);
});
