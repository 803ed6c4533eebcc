// Bundles the two browser-side pieces that tsc cannot emit as they must run:
// - the renderer (Lit) into one classic script (ES module scripts are refused from file:// pages) served under a strict CSP;
// - the sandboxed preload, which Electron loads as CommonJS with only a
//   tiny `require` (electron), so it must be a single CJS file.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };

mkdirSync('dist/renderer', { recursive: true });
copyFileSync('renderer/index.html', 'dist/renderer/index.html');

await Promise.all([
  build({
    ...common,
    entryPoints: ['renderer/main.ts'],
    outfile: 'dist/renderer/app.js',
    format: 'iife',
    platform: 'browser',
  }),
  build({
    ...common,
    entryPoints: ['preload/index.ts'],
    outfile: 'dist/preload/preload.cjs',
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
  }),
]);
if (!watch) console.log('bundled renderer and preload into dist/');
