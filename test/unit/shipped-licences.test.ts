import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { aboutInfo } from '../../main/core/desktop/about-info.js';
import { LICENCE_TEXT_LIMIT, shippedLicences } from '../../main/core/desktop/shipped-licences.js';
import { tempDir } from '../support/roster-fixtures.js';

const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('issue 13 #3: the shipped licences are the production tree of the real node_modules, with their texts', () => {
  const licences = shippedLicences(APP_ROOT);
  const byName = new Map(licences.map((entry) => [entry.name, entry]));
  for (const name of ['lit', '@xmpp/client', 'better-sqlite3', 'qrcode', '@lit/context']) {
    const entry = byName.get(name);
    assert.ok(entry, `${name} is shipped`);
    assert.match(entry.version, /^\d+\.\d+\.\d+/, `${name} has its version`);
    assert.notEqual(entry.licence, '', `${name} states its licence`);
    assert.ok(entry.text.length > 100, `${name} carries its licence text`);
  }
  assert.equal(byName.get('lit')?.licence, 'BSD-3-Clause');
  assert.match(byName.get('lit')?.text ?? '', /Redistribution and use in source and binary forms/);
  assert.equal(byName.get('@xmpp/client')?.licence, 'ISC');
  assert.equal(byName.get('better-sqlite3')?.licence, 'MIT');
  // Dependencies of dependencies, resolved as Node resolves them.
  assert.ok(byName.has('@lit/reactive-element'), 'lit’s own dependency');
  assert.ok(byName.has('@xmpp/xml'), '@xmpp/client’s dependencies');
  // Development tools are not shipped.
  for (const dev of ['eslint', 'typescript', 'electron', 'playwright-core', 'prettier', 'esbuild', 'electron-builder'])
    assert.equal(byName.has(dev), false, `${dev} is not shipped`);
  assert.deepEqual(
    licences.map((entry) => entry.name),
    [...licences.map((entry) => entry.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    'sorted by name',
  );
  assert.equal(shippedLicences(APP_ROOT), licences, 'read once, then cached');
});

test('issue 13 #3: licences: nested versions, old licence forms, LICENCE/COPYING names, long texts cut, loops and bad names safe', () => {
  const root = tempDir('balcony-licences-');
  const pkg = (dir: string, manifest: object, files: Record<string, string> = {}): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  };
  pkg(root, {
    name: 'app',
    dependencies: { a: '1', '@s/b': '1', '../evil': '1', missing: '1' },
    devDependencies: { dev: '1' },
  });
  pkg(
    join(root, 'node_modules/a'),
    { name: 'a', version: '1.0.0', license: { type: 'MIT' }, dependencies: { c: '2' } },
    {
      LICENCE: 'A licence',
    },
  );
  // a needs c@2 (nested), b needs c@1 (hoisted): both are shipped.
  pkg(
    join(root, 'node_modules/a/node_modules/c'),
    { name: 'c', version: '2.0.0', license: 'ISC' },
    { 'COPYING.txt': 'C2' },
  );
  pkg(
    join(root, 'node_modules/@s/b'),
    {
      name: '@s/b',
      version: '1.0.0',
      licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }],
      dependencies: { c: '1', a: '1' },
    },
    {
      'LICENSE.md': 'x'.repeat(LICENCE_TEXT_LIMIT + 10),
    },
  );
  pkg(join(root, 'node_modules/c'), {
    name: 'c',
    version: '1.0.0',
    license: 'Apache-2.0',
    dependencies: { '@s/b': '1' },
  });
  pkg(join(root, 'node_modules/dev'), { name: 'dev', version: '1.0.0', license: 'MIT' });
  const found = shippedLicences(root).map(({ name, version, licence, text }) => ({
    name,
    version,
    licence,
    text: text.length > 20 ? text.length : text,
  }));
  assert.deepEqual(found, [
    { name: '@s/b', version: '1.0.0', licence: 'MIT OR GPL-2.0', text: LICENCE_TEXT_LIMIT + 2 },
    { name: 'a', version: '1.0.0', licence: 'MIT', text: 'A licence' },
    { name: 'c', version: '1.0.0', licence: 'Apache-2.0', text: '' },
    { name: 'c', version: '2.0.0', licence: 'ISC', text: 'C2' },
  ]);
});

test('issue 13 #3: About carries the name, version, runtime versions present and the shipped licences', () => {
  const about = aboutInfo({
    appRoot: APP_ROOT,
    name: 'Balcony',
    version: '0.1.0',
    versions: { node: '20.20.0', v8: '12.4', chrome: undefined, electron: '45.4.1' },
    os: 'Linux 6.1.0 (x64)',
  });
  assert.equal(about.name, 'Balcony');
  assert.equal(about.version, '0.1.0');
  assert.deepEqual(about.runtime, [
    { name: 'Electron', version: '45.4.1' },
    { name: 'Node.js', version: '20.20.0' },
    { name: 'V8', version: '12.4' },
    { name: 'Operating system', version: 'Linux 6.1.0 (x64)' },
  ]);
  assert.ok(about.licences.some((entry) => entry.name === 'lit'));
});
