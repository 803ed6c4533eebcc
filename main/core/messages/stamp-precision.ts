/**
 * How precise a server's time stamp (archive, <delay/>) is, in ms. Prosody
 * 0.12 stamps whole seconds, ejabberd microseconds: a stamp on a whole second
 * is read as one of whole seconds (within which the stamps cannot tell the
 * order of two messages), any other as exact. An exact stamp that happens to
 * fall on a whole second (one in a thousand) is only treated more loosely.
 */
export function stampPrecision(stamp: number): number {
  return stamp % 1000 === 0 ? 1000 : 1;
}
