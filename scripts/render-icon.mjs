// Renders the app icon's PNG sizes from its one SVG (main/build-resources/icon.svg)
// with resvg (no system rasteriser needed), into electron-builder's
// buildResources folder (or the folder given as the first argument):
// - icon.png, 1024 px: electron-builder makes the macOS .icns and the Windows .ico from it;
// - icons/<n>x<n>.png: the Linux sizes (the .desktop file's hicolor icons).
// The PNGs are build output (ignored by git); `npm run dist` runs this first.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ICON_SVG = fileURLToPath(new URL('../main/build-resources/icon.svg', import.meta.url));
export const MAIN_SIZE = 1024;
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

export function renderIcons(outDir) {
  const svg = readFileSync(ICON_SVG);
  const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  const written = [join(outDir, 'icon.png')];
  writeFileSync(written[0], render(MAIN_SIZE));
  for (const size of LINUX_SIZES) {
    const file = join(outDir, 'icons', `${size}x${size}.png`);
    writeFileSync(file, render(size));
    written.push(file);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? fileURLToPath(new URL('../main/build-resources/', import.meta.url));
  const written = renderIcons(outDir);
  console.log(`rendered ${written.length} icon sizes into ${outDir}`);
}
