// Issue 13 #5 and #6, where Electron's binary cannot be fetched: the packaging
// configuration is checked as electron-builder will read it (its own schema
// validation), and the icon is rendered from its one SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { minimatch } from 'minimatch';
import { tempDir } from '../support/roster-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
/** The top level of the repository is fixed: build resources live inside one of these folders. */
const FIXED_FOLDERS = ['main', 'renderer', 'preload', 'test', 'scripts', '.ci'];

function section(key: string): Record<string, unknown> {
  const value = config[key];
  assert.ok(value && typeof value === 'object', `electron-builder.yml has a ${key} section`);
  return value as Record<string, unknown>;
}

test("issue 13 #6: electron-builder.yml passes electron-builder's own schema validation", async () => {
  // electron-builder's own check, as `electron-builder` runs it before packaging
  const builder = (await import('app-builder-lib/out/util/config/config.js')) as {
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = (await import('builder-util')) as { DebugLogger: new (enabled: boolean) => unknown };
  await builder.validateConfiguration(structuredClone(config), new DebugLogger(false));
  // The check is live: a misspelt fuse would be refused, not ignored.
  const misspelt = { ...structuredClone(config), electronFuses: { runAsNodes: false } };
  await assert.rejects(builder.validateConfiguration(misspelt, new DebugLogger(false)), /configuration\.electronFuses/);
});

test('issue 13 #5: the fuses: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off; asar integrity, asar only and cookie encryption on', () => {
  assert.deepEqual(section('electronFuses'), {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    grantFileProtocolExtraPrivileges: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
  });
});

test('issue 13 #6: targets AppImage and deb, NSIS, dmg; asar on with better-sqlite3 unpacked; the xmpp: protocol', () => {
  assert.deepEqual(section('linux').target, ['AppImage', 'deb']);
  assert.equal(section('win').target, 'nsis');
  assert.equal(section('mac').target, 'dmg');
  assert.equal(config.asar, true);
  const unpack = config.asarUnpack as string[];
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  assert.ok(
    unpack.some((pattern) => minimatch(addon, pattern)),
    `asarUnpack ${JSON.stringify(unpack)} covers ${addon}`,
  );
  assert.ok(!unpack.some((pattern) => minimatch('dist/main/index.js', pattern)), 'the app code stays in the asar');
  assert.deepEqual(config.protocols, [{ name: 'XMPP', schemes: ['xmpp'] }]);
});

test('issue 13 #6: build resources inside a fixed top-level folder, holding the one icon SVG; npm run dist renders it first', () => {
  const resources = section('directories').buildResources as string;
  assert.ok(FIXED_FOLDERS.includes(resources.split('/')[0] ?? ''), `${resources} is inside a fixed folder`);
  assert.ok(existsSync(join(ROOT, resources, 'icon.svg')), 'the icon source is there');
  for (const key of ['linux', 'mac', 'win']) {
    const icon = section(key).icon as string;
    assert.ok(icon.startsWith(`${resources}/`), `${key}.icon (${icon}) is rendered into the build resources`);
  }
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  assert.match(scripts.dist ?? '', /^npm run build && node scripts\/render-icon\.mjs && electron-builder/);
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /npm run dist/);
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG`);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('issue 13 #6: the icon script renders every size electron-builder needs from the SVG', () => {
  const out = tempDir('balcony-icon-');
  execFileSync(process.execPath, [join(ROOT, 'scripts/render-icon.mjs'), out], { stdio: 'pipe', timeout: 60_000 });
  assert.deepEqual(pngSize(join(out, 'icon.png')), [1024, 1024], 'macOS and Windows want at least 512 (256 for .ico)');
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
    const file = join(out, 'icons', `${size}x${size}.png`);
    assert.deepEqual(pngSize(file), [size, size], file);
    assert.ok(statSync(file).size > 100, `${file} is not empty`);
  }
  const big = readFileSync(join(out, 'icon.png'));
  assert.ok(big.length > 10_000, 'the 1024 px icon has content');
});
