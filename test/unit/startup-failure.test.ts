import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStartupFailure } from '../../main/core/app/startup-failure.js';
import { databaseForeign, profileFolderIsFile } from '../../main/core/store/store-error.js';

test('a profile folder blocked by a file is told in the words of the store error', () => {
  const shown = describeStartupFailure(profileFolderIsFile('/home/j/.config/Balcony'));
  assert.equal(shown.title, 'Balcony could not start');
  assert.match(shown.detail, /a file \(not a folder\) is in the way/);
});

test("another program's database is told as such, with its file", () => {
  const shown = describeStartupFailure(databaseForeign('/p/balcony.sqlite', ['moz_places']));
  assert.match(shown.detail, /another program's database/);
  assert.match(shown.detail, /\/p\/balcony\.sqlite/);
});

test('an unexpected failure keeps its message as the detail', () => {
  const shown = describeStartupFailure(new TypeError('boom'));
  assert.match(shown.detail, /^Something went wrong while opening your data\.\n\nboom$/);
});

test('a thrown non-Error still gives words', () => {
  assert.match(describeStartupFailure('weird').detail, /weird/);
});
