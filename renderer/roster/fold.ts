/**
 * Search key for case- and accent-insensitive matching: "René" and "rene"
 * fold to the same string. Decomposing first leaves the accents as separate
 * marks that can be dropped.
 */
export function fold(text: string): string {
  if (ASCII.test(text)) {
    // NFD leaves ASCII as it is, and its only Diacritic characters are "^" and "`".
    const lower = text.toLowerCase();
    return ASCII_DIACRITIC.test(lower) ? lower.replace(ASCII_DIACRITICS, '') : lower;
  }
  // Character by character, each character folded once and remembered: the
  // same result as folding the whole text as long as no character depends on
  // its neighbours. Those that may send the text the slow way: marks
  // (canonical reordering; NFD attaching them to a base) and capital sigma
  // (its lower case depends on the end of the word).
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    let folded: Fold;
    let width = 1;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const point = text.codePointAt(i) ?? unit; // always defined: i < text.length
      if (point > 0xffff) width = 2;
      const known = astral.get(point);
      folded = known === undefined ? remember(astral, point, String.fromCodePoint(point)) : known;
    } else {
      const known = bmp[unit];
      folded = known === undefined ? remember(bmp, unit, String.fromCharCode(unit)) : known;
    }
    if (folded === null) return foldSlowly(text);
    if (folded !== SAME) {
      out += text.slice(copied, i) + folded;
      copied = i + width;
    }
    i += width - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function foldSlowly(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** A character's fold: SAME (itself), another string, or null (fold the whole text instead). */
type Fold = string | typeof SAME | null;
const SAME = Symbol('same');

function remember(table: (Fold | undefined)[] | Map<number, Fold>, key: number, ch: string): Fold {
  let folded: Fold = null;
  if (!MARK.test(ch) && ch !== 'Σ') {
    const f = foldSlowly(ch);
    folded = f === ch ? SAME : f;
  }
  if (table instanceof Map) table.set(key, folded);
  else table[key] = folded;
  return folded;
}

const ASCII = /^\p{ASCII}*$/u;
const ASCII_DIACRITIC = /[\^`]/;
const ASCII_DIACRITICS = /[\^`]/g;
const MARK = /\p{M}/u;
/** Folds of the characters met so far, by code unit (BMP) or code point. */
const bmp = new Array<Fold | undefined>(0x10000);
const astral = new Map<number, Fold>();
