import { create } from 'qrcode';

/** The quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4). */
export const QUIET_ZONE = 4;

export interface QrPath {
  /** Modules per side, the quiet zone included: the SVG's viewBox is 0 0 size size. */
  size: number;
  /** One SVG path of every dark module, a unit square each. */
  d: string;
}

/**
 * The QR code of `text` (error correction M: a phone reads it off a screen
 * at an angle), encoded by the `qrcode` package and returned as one SVG path:
 * no canvas and no data: URL, which the page's CSP would refuse.
 */
export function qrPath(text: string): QrPath {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) parts.push(`M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, d: parts.join('') };
}
