/**
 * The tray icon (issue 13 #1), drawn in code so no image file or rasteriser
 * is needed: a round balcony-blue disc with a white speech bubble outline,
 * and for the "attention" variant (unread messages or requests waiting) an
 * orange dot at its top right, the way most messengers mark their tray icon.
 * main/tray.ts hands the pixels to nativeImage.createFromBitmap.
 */

/** Pixel size: 32 drawn, shown at 16 logical pixels with scale factor 2 (crisp on HiDPI, fine on 1×). */
export const TRAY_ICON_SIZE = 32;

type Rgb = readonly [number, number, number];
/** The accent of the light theme (renderer/styles/theme.ts), readable on light and dark panels alike. */
const ACCENT: Rgb = [0x24, 0x53, 0xc9];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const ATTENTION: Rgb = [0xf0, 0x6a, 0x1a];

/** Coverage (0..1) of the pixel at (x, y) by a disc: its edge anti-aliased over one pixel. */
function disc(x: number, y: number, cx: number, cy: number, r: number): number {
  const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
  return Math.min(1, Math.max(0, r - d + 0.5));
}

/** Coverage by a ring (the bubble's outline) of the given width. */
function ring(x: number, y: number, cx: number, cy: number, r: number, width: number): number {
  return Math.min(disc(x, y, cx, cy, r), 1 - disc(x, y, cx, cy, r - width));
}

/** Coverage by the bubble's tail: a small triangle down and left from the ring. */
function tail(x: number, y: number, size: number): number {
  const px = x + 0.5;
  const py = y + 0.5;
  const top = size * 0.62;
  const left = size * 0.26;
  const bottom = size * 0.78;
  if (py < top || py > bottom || px < left) return 0;
  // The triangle's right edge leans from (0.44, top) to (left, bottom).
  const right = size * 0.44 - ((py - top) / (bottom - top)) * (size * 0.44 - left);
  return Math.min(1, Math.max(0, right - px + 0.5));
}

function over(below: Rgb, above: Rgb, alpha: number): Rgb {
  const mix = (a: number, b: number): number => a + (b - a) * alpha;
  return [mix(below[0], above[0]), mix(below[1], above[1]), mix(below[2], above[2])];
}

/**
 * The icon's pixels, `size` × `size`, 4 bytes each in BGRA order with
 * premultiplied alpha: what Skia's native 32-bit format is on every desktop
 * Electron runs on, and so what nativeImage.createFromBitmap expects.
 */
export function trayIconPixels(attention: boolean, size: number = TRAY_ICON_SIZE): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let alpha = disc(x, y, c, c, size / 2 - 0.5);
      const bubble = Math.max(ring(x, y, c, c * 0.92, size * 0.26, size * 0.08), tail(x, y, size));
      let colour = over(ACCENT, WHITE, bubble);
      if (attention) {
        const dot = disc(x, y, size * 0.8, size * 0.2, size * 0.2);
        // A thin cut in the disc around the dot, so it reads as a separate mark.
        const cut = disc(x, y, size * 0.8, size * 0.2, size * 0.27);
        alpha = Math.max(alpha * (1 - cut), dot);
        // Inside the cut only the dot is drawn, so its edge needs no blending with the disc: alpha does it.
        if (dot > 0) colour = ATTENTION;
      }
      const i = (y * size + x) * 4;
      pixels[i] = Math.round(colour[2] * alpha);
      pixels[i + 1] = Math.round(colour[1] * alpha);
      pixels[i + 2] = Math.round(colour[0] * alpha);
      pixels[i + 3] = Math.round(255 * alpha);
    }
  }
  return pixels;
}
