/**
 * Issue 10 #6: what a person types into search, made into a plan that can
 * only mean "these pieces of text". The index is FTS5's trigram tokenizer
 * (migration 0110): any run of three or more characters is found anywhere,
 * inside words ("ünch" in "Münchhausen") and among emoji. Each
 * whitespace-separated piece of three characters or more becomes a quoted
 * phrase (inside double quotes only a doubled quote is special), so AND, OR,
 * NOT, NEAR, *, ^, :, ( and " are text, never syntax; all pieces must be
 * there. Trigrams cannot find a piece of one or two characters (an emoji,
 * "ok"): those are checked on the text itself (`fold`, `hasAll`), and a
 * query of only such pieces is a bounded scan (MessageStore).
 */

/** Fewest characters a piece needs to be found by the trigram index. */
const TRIGRAM = 3;
/** Combining marks and variation selectors: what folding drops after decomposing (é is e + U+0301). */
const MARKS = /\p{M}/gu;

export interface SearchPlan {
  /** FTS5 MATCH of the pieces of 3+ characters; null when every piece is shorter. */
  match: string | null;
  /** The pieces under 3 characters, folded (fold()), joined by one space: each must be in the body; '' for none. */
  short: string;
  /** Every piece, folded: what the snippet highlights. */
  pieces: string[];
}

export function searchPlan(text: string): SearchPlan | null {
  const pieces = text
    .normalize('NFC')
    .split(/\s+/u)
    .filter((p) => p.length > 0);
  if (pieces.length === 0) return null;
  const long = pieces.filter((p) => codePoints(p) >= TRIGRAM);
  // A lone combining mark or variation selector folds to nothing: nothing to look for.
  const short = pieces
    .filter((p) => codePoints(p) < TRIGRAM)
    .map(fold)
    .filter((p) => p.length > 0);
  if (long.length === 0 && short.length === 0) return null;
  return {
    match: long.length === 0 ? null : long.map((p) => `"${p.replace(/"/g, '""')}"`).join(' '),
    short: short.join(' '),
    pieces: [...new Set(pieces.map(fold).filter((p) => p.length > 0))],
  };
}

/**
 * Text as search compares it: lower case for all of Unicode (É is é, ẞ is
 * ß), without diacritics (é is e, as the index's remove_diacritics), one
 * code point at a time so that positions map back (foldWithPositions).
 */
export function fold(text: string): string {
  // Whole-string operations (native, fast: a short query scans thousands of bodies); the same
  // result as foldWithPositions' code point at a time, final sigma aside, which both make σ.
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(/ς/g, 'σ');
}

/** Whether `body` holds every piece of `needles` (fold()ed pieces joined by spaces; '' holds nothing to check). */
export function hasAll(body: string, needles: string): boolean {
  if (needles === '') return true;
  const folded = fold(body);
  return needles.split(' ').every((needle) => folded.includes(needle));
}

/**
 * `body` with each place a piece was found between U+E000 and U+E001 (the
 * snippet's marks the renderer shows as <mark>), found on the folded text
 * and marked on the original, whole characters with their combining marks.
 */
export function markPieces(body: string, pieces: readonly string[]): string {
  const { folded, starts, ends } = foldWithPositions(body);
  // Where a match covers a folded unit: merged ranges in the original text.
  const covered: [number, number][] = [];
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    for (let at = folded.indexOf(piece); at >= 0; at = folded.indexOf(piece, at + piece.length)) {
      covered.push([starts[at] ?? 0, ends[at + piece.length - 1] ?? body.length]);
    }
  }
  if (covered.length === 0) return body;
  covered.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  let open: [number, number] | null = null;
  for (const range of covered) {
    if (open && range[0] <= open[1]) {
      open[1] = Math.max(open[1], range[1]);
      continue;
    }
    if (open) {
      out += `${body.slice(from, open[0])}\uE000${body.slice(open[0], open[1])}\uE001`;
      from = open[1];
    }
    open = [range[0], range[1]];
  }
  if (open) out += `${body.slice(from, open[0])}\uE000${body.slice(open[0], open[1])}\uE001`;
  return out + body.slice(open ? open[1] : from);
}

/** Characters as the trigram tokenizer counts them: code points (an emoji is one, not two UTF-16 units). */
function codePoints(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/** fold(), with each folded UTF-16 unit's start and end in the original text. */
function foldWithPositions(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const char of text) {
    const end = at + char.length;
    const piece = char.normalize('NFD').replace(MARKS, '').toLowerCase().replace(/ς/g, 'σ');
    if (piece.length === 0) {
      // A combining mark (or a variation selector) belongs to the character before it.
      if (ends.length > 0) ends[ends.length - 1] = end;
    } else {
      // One entry per UTF-16 unit of the folded text (an emoji is two).
      starts.push(...new Array<number>(piece.length).fill(at));
      ends.push(...new Array<number>(piece.length).fill(end));
      folded += piece;
    }
    at = end;
  }
  return { folded, starts, ends };
}
