/**
 * Issue 10 #6: what a person types into search, as an FTS5 MATCH expression
 * that can only mean "these words". Each whitespace-separated piece becomes
 * a quoted string (FTS5 3.2: inside double quotes, only a doubled quote is
 * special), so AND, OR, NOT, NEAR, *, ^, :, ( and " are text, never syntax.
 * The tokenizer then splits each piece like the bodies were split; a piece
 * with no word in it (a lone `*` or `"`) is an empty phrase, which FTS5
 * ignores beside others and which matches nothing alone. The last piece is
 * a prefix ("hel" finds "hello") when it ends in a letter or digit, as
 * search-as-you-type expects.
 */
export function ftsQuery(text: string): string | null {
  const pieces = text
    .normalize('NFC')
    .split(/\s+/u)
    .filter((p) => p.length > 0);
  if (pieces.length === 0) return null;
  return pieces
    .map((piece, i) => {
      const quoted = `"${piece.replace(/"/g, '""')}"`;
      return i === pieces.length - 1 && /[\p{L}\p{N}]$/u.test(piece) ? `${quoted}*` : quoted;
    })
    .join(' ');
}
