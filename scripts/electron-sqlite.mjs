// Builds better-sqlite3 for Electron's ABI into .native/electron-<version>/,
// beside the Node build in node_modules that the tests load, so `npm test`
// and `npm start` both work, in either order, with no rebuild back and forth.
// main/index.ts passes the result to better-sqlite3's `nativeBinding` option.
// (Packaged apps need none of this: electron-builder rebuilds for Electron.)
import { cpSync, existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const outDir = join('.native', `electron-${electronVersion}`);
const outFile = join(outDir, 'better_sqlite3.node');

if (existsSync(outFile)) process.exit(0);

console.log(`building better-sqlite3 for Electron ${electronVersion} (once) ...`);
const source = join('.native', 'better-sqlite3-src');
rmSync(source, { recursive: true, force: true });
cpSync(join('node_modules', 'better-sqlite3'), source, {
  recursive: true,
  filter: (path) => !path.includes(`${join('better-sqlite3', 'build')}`),
});
execFileSync(
  process.execPath,
  [
    require.resolve('node-gyp/bin/node-gyp.js'),
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: source, stdio: 'inherit' },
);
mkdirSync(outDir, { recursive: true });
copyFileSync(join(source, 'build', 'Release', 'better_sqlite3.node'), outFile);
rmSync(source, { recursive: true, force: true });
console.log(`wrote ${outFile}`);
