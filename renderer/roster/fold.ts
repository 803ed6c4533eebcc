/**
 * Search key for case- and accent-insensitive matching: "René" and "rene"
 * fold to the same string. Decomposing first leaves the accents as separate
 * marks that can be dropped.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
